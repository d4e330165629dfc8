// Original file: proto/master.proto

import type { DirEntry as _godfs_master_v1_DirEntry, DirEntry__Output as _godfs_master_v1_DirEntry__Output } from '../../../godfs/master/v1/DirEntry.js';

export interface ListResponse {
  'entries'?: (_godfs_master_v1_DirEntry)[];
  'next_cursor'?: (string);
}

export interface ListResponse__Output {
  'entries': (_godfs_master_v1_DirEntry__Output)[];
  'next_cursor': (string);
}
