// Original file: proto/master.proto

import type { ChunkReport as _godfs_master_v1_ChunkReport, ChunkReport__Output as _godfs_master_v1_ChunkReport__Output } from '../../../godfs/master/v1/ChunkReport.js';
import type { Long } from '@grpc/proto-loader';

export interface HeartbeatResponse {
  'delete_chunks'?: (number | string | Long)[];
  'reregister'?: (boolean);
  'delete_stale'?: (_godfs_master_v1_ChunkReport)[];
}

export interface HeartbeatResponse__Output {
  'delete_chunks': (number)[];
  'reregister': (boolean);
  'delete_stale': (_godfs_master_v1_ChunkReport__Output)[];
}
