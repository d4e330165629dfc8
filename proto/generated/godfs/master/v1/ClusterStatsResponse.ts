// Original file: proto/master.proto

import type { Long } from '@grpc/proto-loader';

export interface ClusterStatsResponse {
  'cluster_id'?: (string);
  'capacity'?: (number | string | Long);
  'free'?: (number | string | Long);
  'used'?: (number | string | Long);
  'nodes_alive'?: (number);
  'nodes_total'?: (number);
  'inodes'?: (number | string | Long);
  'chunks'?: (number | string | Long);
  'default_replication'?: (number);
  'max_chunk_size'?: (number | string | Long);
  'applied_index'?: (number | string | Long);
  'under_replicated'?: (number | string | Long);
  'unrepairable'?: (number | string | Long);
  'stale_replicas'?: (number | string | Long);
  'repair_queue'?: (number | string | Long);
  'repairs_done'?: (number | string | Long);
  'nodes_draining'?: (number);
  'bad_replicas'?: (number | string | Long);
}

export interface ClusterStatsResponse__Output {
  'cluster_id': (string);
  'capacity': (number);
  'free': (number);
  'used': (number);
  'nodes_alive': (number);
  'nodes_total': (number);
  'inodes': (number);
  'chunks': (number);
  'default_replication': (number);
  'max_chunk_size': (number);
  'applied_index': (number);
  'under_replicated': (number);
  'unrepairable': (number);
  'stale_replicas': (number);
  'repair_queue': (number);
  'repairs_done': (number);
  'nodes_draining': (number);
  'bad_replicas': (number);
}
