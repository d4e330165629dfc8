// Original file: proto/master.proto

import type { Upload as _godfs_master_v1_Upload, Upload__Output as _godfs_master_v1_Upload__Output } from '../../../godfs/master/v1/Upload.js';
import type { Part as _godfs_master_v1_Part, Part__Output as _godfs_master_v1_Part__Output } from '../../../godfs/master/v1/Part.js';

export interface ListPartsResponse {
  'upload'?: (_godfs_master_v1_Upload | null);
  'parts'?: (_godfs_master_v1_Part)[];
}

export interface ListPartsResponse__Output {
  'upload': (_godfs_master_v1_Upload__Output | null);
  'parts': (_godfs_master_v1_Part__Output)[];
}
