// Original file: proto/master.proto

import type { Long } from '@grpc/proto-loader';

export interface Part {
  'part_number'?: (number);
  'size'?: (number | string | Long);
  'etag'?: (string);
  'modified_ms'?: (number | string | Long);
}

export interface Part__Output {
  'part_number': (number);
  'size': (number);
  'etag': (string);
  'modified_ms': (number);
}
