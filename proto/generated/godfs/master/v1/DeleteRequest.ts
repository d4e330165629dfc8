// Original file: proto/master.proto


export interface DeleteRequest {
  'path'?: (string);
  'recursive'?: (boolean);
  'only_dir'?: (boolean);
  'only_file'?: (boolean);
}

export interface DeleteRequest__Output {
  'path': (string);
  'recursive': (boolean);
  'only_dir': (boolean);
  'only_file': (boolean);
}
