// Original file: proto/master.proto

import type { Long } from '@grpc/proto-loader';

export interface Extent {
  'chunk_id'?: (number | string | Long);
  'version'?: (number | string | Long);
  'chunk_offset'?: (number | string | Long);
  'length'?: (number | string | Long);
}

export interface Extent__Output {
  'chunk_id': (number);
  'version': (number);
  'chunk_offset': (number);
  'length': (number);
}
