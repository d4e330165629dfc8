// Original file: proto/chunkserver.proto

import type { Long } from '@grpc/proto-loader';

export interface ReplicateRequest {
  'chunk_id'?: (number | string | Long);
  'version'?: (number | string | Long);
  'source_addr'?: (string);
}

export interface ReplicateRequest__Output {
  'chunk_id': (number);
  'version': (number);
  'source_addr': (string);
}
