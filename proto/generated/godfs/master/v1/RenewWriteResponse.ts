// Original file: proto/master.proto

import type { Long } from '@grpc/proto-loader';

export interface RenewWriteResponse {
  'lease_ms'?: (number | string | Long);
}

export interface RenewWriteResponse__Output {
  'lease_ms': (number);
}
