// Original file: proto/master.proto

import type { NodeRef as _godfs_master_v1_NodeRef, NodeRef__Output as _godfs_master_v1_NodeRef__Output } from '../../../godfs/master/v1/NodeRef.js';
import type { Long } from '@grpc/proto-loader';

export interface AllocateResponse {
  'chunk_id'?: (number | string | Long);
  'version'?: (number | string | Long);
  'replicas'?: (_godfs_master_v1_NodeRef)[];
  'max_chunk_size'?: (number | string | Long);
  'lease_ms'?: (number | string | Long);
}

export interface AllocateResponse__Output {
  'chunk_id': (number);
  'version': (number);
  'replicas': (_godfs_master_v1_NodeRef__Output)[];
  'max_chunk_size': (number);
  'lease_ms': (number);
}
