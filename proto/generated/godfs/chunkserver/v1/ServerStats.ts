// Original file: proto/chunkserver.proto

import type { Long } from '@grpc/proto-loader';

export interface ServerStats {
  'node_id'?: (string);
  'capacity'?: (number | string | Long);
  'free'?: (number | string | Long);
  'used'?: (number | string | Long);
  'chunk_count'?: (number | string | Long);
  'bytes_written'?: (number | string | Long);
  'bytes_read'?: (number | string | Long);
  'scrub_bytes_per_sec'?: (number | string | Long);
  'scrubbed_bytes'?: (number | string | Long);
  'corrupt_chunks'?: (number | string | Long);
  'scrub_passes'?: (number | string | Long);
}

export interface ServerStats__Output {
  'node_id': (string);
  'capacity': (number);
  'free': (number);
  'used': (number);
  'chunk_count': (number);
  'bytes_written': (number);
  'bytes_read': (number);
  'scrub_bytes_per_sec': (number);
  'scrubbed_bytes': (number);
  'corrupt_chunks': (number);
  'scrub_passes': (number);
}
