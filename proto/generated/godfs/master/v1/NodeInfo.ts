// Original file: proto/master.proto

import type { Long } from '@grpc/proto-loader';

export interface NodeInfo {
  'id'?: (string);
  'addr'?: (string);
  'capacity'?: (number | string | Long);
  'free'?: (number | string | Long);
  'used'?: (number | string | Long);
  'chunk_count'?: (number | string | Long);
  'last_heartbeat_ms'?: (number | string | Long);
  'alive'?: (boolean);
  'zone'?: (string);
  'control_addr'?: (string);
  'draining'?: (boolean);
  'needed_chunks'?: (number | string | Long);
  'full'?: (boolean);
}

export interface NodeInfo__Output {
  'id': (string);
  'addr': (string);
  'capacity': (number);
  'free': (number);
  'used': (number);
  'chunk_count': (number);
  'last_heartbeat_ms': (number);
  'alive': (boolean);
  'zone': (string);
  'control_addr': (string);
  'draining': (boolean);
  'needed_chunks': (number);
  'full': (boolean);
}
