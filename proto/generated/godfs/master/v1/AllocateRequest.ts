// Original file: proto/master.proto

import type { Long } from '@grpc/proto-loader';

export interface AllocateRequest {
  'replication'?: (number);
  'size_hint'?: (number | string | Long);
  'retry_chunk_id'?: (number | string | Long);
  'retry_version'?: (number | string | Long);
  'exclude_nodes'?: (string)[];
  'avoid_nodes'?: (string)[];
  'write_id'?: (string);
}

export interface AllocateRequest__Output {
  'replication': (number);
  'size_hint': (number);
  'retry_chunk_id': (number);
  'retry_version': (number);
  'exclude_nodes': (string)[];
  'avoid_nodes': (string)[];
  'write_id': (string);
}
