// Original file: proto/raft.proto


export interface ChangeRequest {
  'type'?: (string);
  'id'?: (string);
  'address'?: (string);
}

export interface ChangeRequest__Output {
  'type': (string);
  'id': (string);
  'address': (string);
}
