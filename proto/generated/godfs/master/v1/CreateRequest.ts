// Original file: proto/master.proto


export interface CreateRequest {
  'path'?: (string);
  'exclusive'?: (boolean);
  'mode'?: (number);
  'uid'?: (number);
  'gid'?: (number);
  'parents'?: (boolean);
  'symlink_target'?: (string);
}

export interface CreateRequest__Output {
  'path': (string);
  'exclusive': (boolean);
  'mode': (number);
  'uid': (number);
  'gid': (number);
  'parents': (boolean);
  'symlink_target': (string);
}
