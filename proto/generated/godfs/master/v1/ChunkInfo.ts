// Original file: proto/master.proto

import type { ReplicaInfo as _godfs_master_v1_ReplicaInfo, ReplicaInfo__Output as _godfs_master_v1_ReplicaInfo__Output } from '../../../godfs/master/v1/ReplicaInfo.js';
import type { Long } from '@grpc/proto-loader';

export interface ChunkInfo {
  'chunk_id'?: (number | string | Long);
  'version'?: (number | string | Long);
  'size'?: (number | string | Long);
  'goal'?: (number);
  'usable'?: (number);
  'replicas'?: (_godfs_master_v1_ReplicaInfo)[];
  'repairing'?: (boolean);
}

export interface ChunkInfo__Output {
  'chunk_id': (number);
  'version': (number);
  'size': (number);
  'goal': (number);
  'usable': (number);
  'replicas': (_godfs_master_v1_ReplicaInfo__Output)[];
  'repairing': (boolean);
}
