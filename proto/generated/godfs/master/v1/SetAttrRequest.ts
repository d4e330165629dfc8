// Original file: proto/master.proto

import type { Long } from '@grpc/proto-loader';

export interface SetAttrRequest {
  'path'?: (string);
  'mode'?: (number);
  'uid'?: (number);
  'gid'?: (number);
  'atime_ms'?: (number | string | Long);
  'mtime_ms'?: (number | string | Long);
  'set_xattrs'?: ({[key: string]: Buffer | Uint8Array | string});
  'remove_xattrs'?: (string)[];
  'replace_xattrs'?: (boolean);
  '_mode'?: "mode";
  '_uid'?: "uid";
  '_gid'?: "gid";
  '_atime_ms'?: "atime_ms";
  '_mtime_ms'?: "mtime_ms";
}

export interface SetAttrRequest__Output {
  'path': (string);
  'mode'?: (number);
  'uid'?: (number);
  'gid'?: (number);
  'atime_ms'?: (number);
  'mtime_ms'?: (number);
  'set_xattrs': ({[key: string]: Buffer});
  'remove_xattrs': (string)[];
  'replace_xattrs': (boolean);
  '_mode'?: "mode";
  '_uid'?: "uid";
  '_gid'?: "gid";
  '_atime_ms'?: "atime_ms";
  '_mtime_ms'?: "mtime_ms";
}
