// Original file: proto/master.proto

import type { Long } from '@grpc/proto-loader';

export interface Upload {
  'upload_id'?: (string);
  'path'?: (string);
  'created_ms'?: (number | string | Long);
  'xattrs'?: ({[key: string]: Buffer | Uint8Array | string});
}

export interface Upload__Output {
  'upload_id': (string);
  'path': (string);
  'created_ms': (number);
  'xattrs': ({[key: string]: Buffer});
}
