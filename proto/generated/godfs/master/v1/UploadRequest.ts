// Original file: proto/master.proto


export interface UploadRequest {
  'upload_id'?: (string);
}

export interface UploadRequest__Output {
  'upload_id': (string);
}
