// Original file: proto/master.proto


export interface NodeRef {
  'id'?: (string);
  'addr'?: (string);
}

export interface NodeRef__Output {
  'id': (string);
  'addr': (string);
}
