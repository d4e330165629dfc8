// Original file: proto/raft.proto


export interface TransferRequest {
  'id'?: (string);
}

export interface TransferRequest__Output {
  'id': (string);
}
