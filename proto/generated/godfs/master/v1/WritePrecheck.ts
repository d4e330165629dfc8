// Original file: proto/master.proto


export interface WritePrecheck {
  'path'?: (string);
  'exclusive'?: (boolean);
  'if_match'?: (string);
  'parents'?: (boolean);
  'parents_below'?: (string);
}

export interface WritePrecheck__Output {
  'path': (string);
  'exclusive': (boolean);
  'if_match': (string);
  'parents': (boolean);
  'parents_below': (string);
}
