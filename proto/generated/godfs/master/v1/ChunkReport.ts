// Original file: proto/master.proto

import type { Long } from '@grpc/proto-loader';

export interface ChunkReport {
  'chunk_id'?: (number | string | Long);
  'version'?: (number | string | Long);
  'size'?: (number | string | Long);
}

export interface ChunkReport__Output {
  'chunk_id': (number);
  'version': (number);
  'size': (number);
}
