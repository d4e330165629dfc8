// Original file: proto/master.proto


export interface CompleteUploadRequest {
  'upload_id'?: (string);
  'part_numbers'?: (number)[];
  'etag'?: (string);
  'if_match'?: (string);
  'exclusive'?: (boolean);
}

export interface CompleteUploadRequest__Output {
  'upload_id': (string);
  'part_numbers': (number)[];
  'etag': (string);
  'if_match': (string);
  'exclusive': (boolean);
}
