// Original file: proto/master.proto

import type { AccessKey as _godfs_master_v1_AccessKey, AccessKey__Output as _godfs_master_v1_AccessKey__Output } from '../../../godfs/master/v1/AccessKey.js';

export interface ListAccessKeysResponse {
  'keys'?: (_godfs_master_v1_AccessKey)[];
}

export interface ListAccessKeysResponse__Output {
  'keys': (_godfs_master_v1_AccessKey__Output)[];
}
