// Original file: proto/master.proto

import type { Long } from '@grpc/proto-loader';

export interface TruncateRequest {
  'path'?: (string);
  'size'?: (number | string | Long);
}

export interface TruncateRequest__Output {
  'path': (string);
  'size': (number);
}
