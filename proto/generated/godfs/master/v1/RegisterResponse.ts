// Original file: proto/master.proto


export interface RegisterResponse {
  'cluster_id'?: (string);
  'heartbeat_interval_ms'?: (number);
}

export interface RegisterResponse__Output {
  'cluster_id': (string);
  'heartbeat_interval_ms': (number);
}
