// Original file: proto/master.proto

import type { Extent as _godfs_master_v1_Extent, Extent__Output as _godfs_master_v1_Extent__Output } from '../../../godfs/master/v1/Extent.js';

export interface WrittenExtent {
  'extent'?: (_godfs_master_v1_Extent | null);
  'replica_ids'?: (string)[];
}

export interface WrittenExtent__Output {
  'extent': (_godfs_master_v1_Extent__Output | null);
  'replica_ids': (string)[];
}
