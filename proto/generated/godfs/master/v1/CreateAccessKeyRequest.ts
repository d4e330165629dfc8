// Original file: proto/master.proto


export interface CreateAccessKeyRequest {
  'access_key_id'?: (string);
  'secret_key'?: (string);
  'buckets'?: (string)[];
  'read_only'?: (boolean);
  'description'?: (string);
}

export interface CreateAccessKeyRequest__Output {
  'access_key_id': (string);
  'secret_key': (string);
  'buckets': (string)[];
  'read_only': (boolean);
  'description': (string);
}
