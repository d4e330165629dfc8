// Original file: proto/master.proto

import type { Extent as _godfs_master_v1_Extent, Extent__Output as _godfs_master_v1_Extent__Output } from '../../../godfs/master/v1/Extent.js';
import type { NodeRef as _godfs_master_v1_NodeRef, NodeRef__Output as _godfs_master_v1_NodeRef__Output } from '../../../godfs/master/v1/NodeRef.js';
import type { Long } from '@grpc/proto-loader';

export interface LocatedExtent {
  'file_offset'?: (number | string | Long);
  'extent'?: (_godfs_master_v1_Extent | null);
  'replicas'?: (_godfs_master_v1_NodeRef)[];
}

export interface LocatedExtent__Output {
  'file_offset': (number);
  'extent': (_godfs_master_v1_Extent__Output | null);
  'replicas': (_godfs_master_v1_NodeRef__Output)[];
}
