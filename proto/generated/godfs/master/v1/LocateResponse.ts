// Original file: proto/master.proto

import type { Inode as _godfs_master_v1_Inode, Inode__Output as _godfs_master_v1_Inode__Output } from '../../../godfs/master/v1/Inode.js';
import type { LocatedExtent as _godfs_master_v1_LocatedExtent, LocatedExtent__Output as _godfs_master_v1_LocatedExtent__Output } from '../../../godfs/master/v1/LocatedExtent.js';

export interface LocateResponse {
  'inode'?: (_godfs_master_v1_Inode | null);
  'extents'?: (_godfs_master_v1_LocatedExtent)[];
}

export interface LocateResponse__Output {
  'inode': (_godfs_master_v1_Inode__Output | null);
  'extents': (_godfs_master_v1_LocatedExtent__Output)[];
}
