// Original file: proto/master.proto

import type { Long } from '@grpc/proto-loader';

export interface HeartbeatResponse {
  'delete_chunks'?: (number | string | Long)[];
  'reregister'?: (boolean);
}

export interface HeartbeatResponse__Output {
  'delete_chunks': (number)[];
  'reregister': (boolean);
}
