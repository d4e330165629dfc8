// Original file: proto/raft.proto

import type { Member as _godfs_raft_v1_Member, Member__Output as _godfs_raft_v1_Member__Output } from '../../../godfs/raft/v1/Member.js';
import type { Long } from '@grpc/proto-loader';

export interface StatusResponse {
  'id'?: (string);
  'leader'?: (string);
  'leader_address'?: (string);
  'term'?: (number | string | Long);
  'commit_index'?: (number | string | Long);
  'applied_index'?: (number | string | Long);
  'last_index'?: (number | string | Long);
  'snapshot_index'?: (number | string | Long);
  'role'?: (string);
  'members'?: (_godfs_raft_v1_Member)[];
}

export interface StatusResponse__Output {
  'id': (string);
  'leader': (string);
  'leader_address': (string);
  'term': (number);
  'commit_index': (number);
  'applied_index': (number);
  'last_index': (number);
  'snapshot_index': (number);
  'role': (string);
  'members': (_godfs_raft_v1_Member__Output)[];
}
