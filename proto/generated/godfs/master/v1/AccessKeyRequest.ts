// Original file: proto/master.proto


export interface AccessKeyRequest {
  'access_key_id'?: (string);
}

export interface AccessKeyRequest__Output {
  'access_key_id': (string);
}
