// Original file: proto/master.proto

import type { Inode as _godfs_master_v1_Inode, Inode__Output as _godfs_master_v1_Inode__Output } from '../../../godfs/master/v1/Inode.js';

export interface DirEntry {
  'name'?: (string);
  'inode'?: (_godfs_master_v1_Inode | null);
}

export interface DirEntry__Output {
  'name': (string);
  'inode': (_godfs_master_v1_Inode__Output | null);
}
