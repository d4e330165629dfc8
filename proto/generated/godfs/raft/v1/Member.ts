// Original file: proto/raft.proto

import type { Long } from '@grpc/proto-loader';

export interface Member {
  'id'?: (string);
  'address'?: (string);
  'role'?: (string);
  'match_index'?: (number | string | Long);
  'next_index'?: (number | string | Long);
  'progress'?: (string);
  'voter'?: (boolean);
}

export interface Member__Output {
  'id': (string);
  'address': (string);
  'role': (string);
  'match_index': (number);
  'next_index': (number);
  'progress': (string);
  'voter': (boolean);
}
