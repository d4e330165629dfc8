// Original file: proto/master.proto

import type { ChunkInfo as _godfs_master_v1_ChunkInfo, ChunkInfo__Output as _godfs_master_v1_ChunkInfo__Output } from '../../../godfs/master/v1/ChunkInfo.js';
import type { Long } from '@grpc/proto-loader';

export interface ListChunksResponse {
  'chunks'?: (_godfs_master_v1_ChunkInfo)[];
  'next_after_chunk_id'?: (number | string | Long);
}

export interface ListChunksResponse__Output {
  'chunks': (_godfs_master_v1_ChunkInfo__Output)[];
  'next_after_chunk_id': (number);
}
