// Original file: proto/master.proto


export interface RenameRequest {
  'old_path'?: (string);
  'new_path'?: (string);
  'no_replace'?: (boolean);
}

export interface RenameRequest__Output {
  'old_path': (string);
  'new_path': (string);
  'no_replace': (boolean);
}
