// Original file: proto/master.proto

import type { PendingLease as _godfs_master_v1_PendingLease, PendingLease__Output as _godfs_master_v1_PendingLease__Output } from '../../../godfs/master/v1/PendingLease.js';

export interface RenewWriteRequest {
  'write_id'?: (string);
  'chunks'?: (_godfs_master_v1_PendingLease)[];
}

export interface RenewWriteRequest__Output {
  'write_id': (string);
  'chunks': (_godfs_master_v1_PendingLease__Output)[];
}
