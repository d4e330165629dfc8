// Original file: proto/master.proto

import type { CommitMode as _godfs_master_v1_CommitMode, CommitMode__Output as _godfs_master_v1_CommitMode__Output } from '../../../godfs/master/v1/CommitMode.js';
import type { WrittenExtent as _godfs_master_v1_WrittenExtent, WrittenExtent__Output as _godfs_master_v1_WrittenExtent__Output } from '../../../godfs/master/v1/WrittenExtent.js';
import type { Long } from '@grpc/proto-loader';

export interface CommitWriteRequest {
  'path'?: (string);
  'mode'?: (_godfs_master_v1_CommitMode);
  'offset'?: (number | string | Long);
  'extents'?: (_godfs_master_v1_WrittenExtent)[];
  'length'?: (number | string | Long);
  'etag'?: (string);
  'create'?: (boolean);
  'exclusive'?: (boolean);
  'if_match'?: (string);
  'xattrs'?: ({[key: string]: Buffer | Uint8Array | string});
  'set_xattrs'?: (boolean);
  'mode_bits'?: (number);
  'parents'?: (boolean);
  'parents_below'?: (string);
}

export interface CommitWriteRequest__Output {
  'path': (string);
  'mode': (_godfs_master_v1_CommitMode__Output);
  'offset': (number);
  'extents': (_godfs_master_v1_WrittenExtent__Output)[];
  'length': (number);
  'etag': (string);
  'create': (boolean);
  'exclusive': (boolean);
  'if_match': (string);
  'xattrs': ({[key: string]: Buffer});
  'set_xattrs': (boolean);
  'mode_bits': (number);
  'parents': (boolean);
  'parents_below': (string);
}
