// Original file: proto/master.proto

import type { ChunkReport as _godfs_master_v1_ChunkReport, ChunkReport__Output as _godfs_master_v1_ChunkReport__Output } from '../../../godfs/master/v1/ChunkReport.js';
import type { Long } from '@grpc/proto-loader';

export interface HeartbeatRequest {
  'node_id'?: (string);
  'addr'?: (string);
  'capacity'?: (number | string | Long);
  'free'?: (number | string | Long);
  'used'?: (number | string | Long);
  'chunk_count'?: (number | string | Long);
  'chunks'?: (_godfs_master_v1_ChunkReport)[];
  'full_report'?: (boolean);
  'bad_chunks'?: (_godfs_master_v1_ChunkReport)[];
}

export interface HeartbeatRequest__Output {
  'node_id': (string);
  'addr': (string);
  'capacity': (number);
  'free': (number);
  'used': (number);
  'chunk_count': (number);
  'chunks': (_godfs_master_v1_ChunkReport__Output)[];
  'full_report': (boolean);
  'bad_chunks': (_godfs_master_v1_ChunkReport__Output)[];
}
