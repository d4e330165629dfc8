// Original file: proto/master.proto

import type { Long } from '@grpc/proto-loader';

export interface AbandonChunksRequest {
  'write_id'?: (string);
  'chunk_ids'?: (number | string | Long)[];
}

export interface AbandonChunksRequest__Output {
  'write_id': (string);
  'chunk_ids': (number)[];
}
