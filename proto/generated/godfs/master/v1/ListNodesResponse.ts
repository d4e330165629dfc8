// Original file: proto/master.proto

import type { NodeInfo as _godfs_master_v1_NodeInfo, NodeInfo__Output as _godfs_master_v1_NodeInfo__Output } from '../../../godfs/master/v1/NodeInfo.js';

export interface ListNodesResponse {
  'nodes'?: (_godfs_master_v1_NodeInfo)[];
}

export interface ListNodesResponse__Output {
  'nodes': (_godfs_master_v1_NodeInfo__Output)[];
}
