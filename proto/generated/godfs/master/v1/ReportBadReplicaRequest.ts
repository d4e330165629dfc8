// Original file: proto/master.proto

import type { Long } from '@grpc/proto-loader';

export interface ReportBadReplicaRequest {
  'chunk_id'?: (number | string | Long);
  'node_id'?: (string);
  'version'?: (number | string | Long);
  'reason'?: (string);
}

export interface ReportBadReplicaRequest__Output {
  'chunk_id': (number);
  'node_id': (string);
  'version': (number);
  'reason': (string);
}
