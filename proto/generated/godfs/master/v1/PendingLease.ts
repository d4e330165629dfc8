// Original file: proto/master.proto

import type { Long } from '@grpc/proto-loader';

export interface PendingLease {
  'chunk_id'?: (number | string | Long);
  'version'?: (number | string | Long);
  'node_ids'?: (string)[];
}

export interface PendingLease__Output {
  'chunk_id': (number);
  'version': (number);
  'node_ids': (string)[];
}
