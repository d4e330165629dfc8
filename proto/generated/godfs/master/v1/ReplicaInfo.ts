// Original file: proto/master.proto


export interface ReplicaInfo {
  'node_id'?: (string);
  'addr'?: (string);
  'state'?: (string);
}

export interface ReplicaInfo__Output {
  'node_id': (string);
  'addr': (string);
  'state': (string);
}
