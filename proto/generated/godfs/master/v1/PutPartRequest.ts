// Original file: proto/master.proto

import type { WrittenExtent as _godfs_master_v1_WrittenExtent, WrittenExtent__Output as _godfs_master_v1_WrittenExtent__Output } from '../../../godfs/master/v1/WrittenExtent.js';
import type { Long } from '@grpc/proto-loader';

export interface PutPartRequest {
  'upload_id'?: (string);
  'part_number'?: (number);
  'extents'?: (_godfs_master_v1_WrittenExtent)[];
  'size'?: (number | string | Long);
  'etag'?: (string);
}

export interface PutPartRequest__Output {
  'upload_id': (string);
  'part_number': (number);
  'extents': (_godfs_master_v1_WrittenExtent__Output)[];
  'size': (number);
  'etag': (string);
}
