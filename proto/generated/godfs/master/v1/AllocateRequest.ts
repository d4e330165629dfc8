// Original file: proto/master.proto

import type { Long } from '@grpc/proto-loader';

export interface AllocateRequest {
  'replication'?: (number);
  'size_hint'?: (number | string | Long);
}

export interface AllocateRequest__Output {
  'replication': (number);
  'size_hint': (number);
}
