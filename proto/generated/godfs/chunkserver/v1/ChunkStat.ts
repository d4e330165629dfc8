// Original file: proto/chunkserver.proto

import type { Long } from '@grpc/proto-loader';

export interface ChunkStat {
  'chunk_id'?: (number | string | Long);
  'version'?: (number | string | Long);
  'size'?: (number | string | Long);
  'present'?: (boolean);
}

export interface ChunkStat__Output {
  'chunk_id': (number);
  'version': (number);
  'size': (number);
  'present': (boolean);
}
