// Original file: proto/master.proto

import type { InodeType as _godfs_master_v1_InodeType, InodeType__Output as _godfs_master_v1_InodeType__Output } from '../../../godfs/master/v1/InodeType.js';
import type { Long } from '@grpc/proto-loader';

export interface Inode {
  'id'?: (number | string | Long);
  'type'?: (_godfs_master_v1_InodeType);
  'mode'?: (number);
  'uid'?: (number);
  'gid'?: (number);
  'size'?: (number | string | Long);
  'mtime_ms'?: (number | string | Long);
  'ctime_ms'?: (number | string | Long);
  'atime_ms'?: (number | string | Long);
  'birth_ms'?: (number | string | Long);
  'nlink'?: (number);
  'etag'?: (string);
  'xattrs'?: ({[key: string]: Buffer | Uint8Array | string});
  'gen'?: (number | string | Long);
  'target'?: (string);
  'extent_count'?: (number | string | Long);
}

export interface Inode__Output {
  'id': (number);
  'type': (_godfs_master_v1_InodeType__Output);
  'mode': (number);
  'uid': (number);
  'gid': (number);
  'size': (number);
  'mtime_ms': (number);
  'ctime_ms': (number);
  'atime_ms': (number);
  'birth_ms': (number);
  'nlink': (number);
  'etag': (string);
  'xattrs': ({[key: string]: Buffer});
  'gen': (number);
  'target': (string);
  'extent_count': (number);
}
