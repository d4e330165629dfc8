// Original file: proto/master.proto


export interface CreateUploadRequest {
  'path'?: (string);
  'xattrs'?: ({[key: string]: Buffer | Uint8Array | string});
}

export interface CreateUploadRequest__Output {
  'path': (string);
  'xattrs': ({[key: string]: Buffer});
}
