// Original file: proto/master.proto

import type { Long } from '@grpc/proto-loader';

export interface ListChunksRequest {
  'under_replicated'?: (boolean);
  'node_id'?: (string);
  'path'?: (string);
  'limit'?: (number);
  'after_chunk_id'?: (number | string | Long);
}

export interface ListChunksRequest__Output {
  'under_replicated': (boolean);
  'node_id': (string);
  'path': (string);
  'limit': (number);
  'after_chunk_id': (number);
}
