// Original file: proto/raft.proto


export interface Frame {
  'header'?: (string);
  'data'?: (Buffer | Uint8Array | string)[];
  'snapshot'?: (Buffer | Uint8Array | string);
}

export interface Frame__Output {
  'header': (string);
  'data': (Buffer)[];
  'snapshot': (Buffer);
}
