// Original file: proto/chunkserver.proto

import type { Long } from '@grpc/proto-loader';

export interface ChunkIds {
  'chunk_ids'?: (number | string | Long)[];
}

export interface ChunkIds__Output {
  'chunk_ids': (number)[];
}
