// Original file: proto/master.proto

import type { WritePrecheck as _godfs_master_v1_WritePrecheck, WritePrecheck__Output as _godfs_master_v1_WritePrecheck__Output } from '../../../godfs/master/v1/WritePrecheck.js';
import type { Long } from '@grpc/proto-loader';

export interface AllocateRequest {
  'replication'?: (number);
  'size_hint'?: (number | string | Long);
  'retry_chunk_id'?: (number | string | Long);
  'retry_version'?: (number | string | Long);
  'exclude_nodes'?: (string)[];
  'avoid_nodes'?: (string)[];
  'write_id'?: (string);
  'precheck'?: (_godfs_master_v1_WritePrecheck | null);
}

export interface AllocateRequest__Output {
  'replication': (number);
  'size_hint': (number);
  'retry_chunk_id': (number);
  'retry_version': (number);
  'exclude_nodes': (string)[];
  'avoid_nodes': (string)[];
  'write_id': (string);
  'precheck': (_godfs_master_v1_WritePrecheck__Output | null);
}
