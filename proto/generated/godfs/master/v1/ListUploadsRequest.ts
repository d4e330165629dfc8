// Original file: proto/master.proto


export interface ListUploadsRequest {
  'path_prefix'?: (string);
  'limit'?: (number);
}

export interface ListUploadsRequest__Output {
  'path_prefix': (string);
  'limit': (number);
}
