// Original file: proto/master.proto

import type { Upload as _godfs_master_v1_Upload, Upload__Output as _godfs_master_v1_Upload__Output } from '../../../godfs/master/v1/Upload.js';

export interface ListUploadsResponse {
  'uploads'?: (_godfs_master_v1_Upload)[];
}

export interface ListUploadsResponse__Output {
  'uploads': (_godfs_master_v1_Upload__Output)[];
}
