// Original file: proto/master.proto


export interface NodeRef {
  'id'?: (string);
  'addr'?: (string);
  'chunks_dir'?: (string);
}

export interface NodeRef__Output {
  'id': (string);
  'addr': (string);
  'chunks_dir': (string);
}
