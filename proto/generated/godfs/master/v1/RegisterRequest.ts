// Original file: proto/master.proto

import type { ChunkReport as _godfs_master_v1_ChunkReport, ChunkReport__Output as _godfs_master_v1_ChunkReport__Output } from '../../../godfs/master/v1/ChunkReport.js';
import type { Long } from '@grpc/proto-loader';

export interface RegisterRequest {
  'node_id'?: (string);
  'addr'?: (string);
  'capacity'?: (number | string | Long);
  'free'?: (number | string | Long);
  'chunks'?: (_godfs_master_v1_ChunkReport)[];
  'zone'?: (string);
  'control_addr'?: (string);
  'chunks_dir'?: (string);
}

export interface RegisterRequest__Output {
  'node_id': (string);
  'addr': (string);
  'capacity': (number);
  'free': (number);
  'chunks': (_godfs_master_v1_ChunkReport__Output)[];
  'zone': (string);
  'control_addr': (string);
  'chunks_dir': (string);
}
