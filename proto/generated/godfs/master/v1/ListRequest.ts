// Original file: proto/master.proto


export interface ListRequest {
  'path'?: (string);
  'limit'?: (number);
  'cursor'?: (string);
}

export interface ListRequest__Output {
  'path': (string);
  'limit': (number);
  'cursor': (string);
}
