// Original file: proto/master.proto


export interface MkdirRequest {
  'path'?: (string);
  'parents'?: (boolean);
  'mode'?: (number);
  'uid'?: (number);
  'gid'?: (number);
}

export interface MkdirRequest__Output {
  'path': (string);
  'parents': (boolean);
  'mode': (number);
  'uid': (number);
  'gid': (number);
}
