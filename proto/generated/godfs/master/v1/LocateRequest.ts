// Original file: proto/master.proto

import type { Long } from '@grpc/proto-loader';

export interface LocateRequest {
  'path'?: (string);
  'offset'?: (number | string | Long);
  'length'?: (number | string | Long);
}

export interface LocateRequest__Output {
  'path': (string);
  'offset': (number);
  'length': (number);
}
