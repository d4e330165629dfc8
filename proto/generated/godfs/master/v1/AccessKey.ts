// Original file: proto/master.proto

import type { Long } from '@grpc/proto-loader';

export interface AccessKey {
  'access_key_id'?: (string);
  'secret_key'?: (string);
  'buckets'?: (string)[];
  'read_only'?: (boolean);
  'description'?: (string);
  'created_ms'?: (number | string | Long);
}

export interface AccessKey__Output {
  'access_key_id': (string);
  'secret_key': (string);
  'buckets': (string)[];
  'read_only': (boolean);
  'description': (string);
  'created_ms': (number);
}
