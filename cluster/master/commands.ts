// The master's commands: every mutation of its state, as plain JSON. The leader stamps `now` (and any
// random id) into the command before it is logged, so apply() never reads a clock or a PRNG.
import type { Extent } from './extents.js';

export interface WrittenExtent {
  extent: Extent;
  replicaIds: string[];
}

export type Command =
  | { op: 'init'; clusterId: string }
  | { op: 'reserve_ids'; upTo: number }
  | { op: 'mkdir'; path: string; parents: boolean; mode: number; uid: number; gid: number; now: number }
  | { op: 'create'; path: string; exclusive: boolean; parents: boolean; mode: number; uid: number; gid: number; now: number; target?: string }
  | { op: 'delete'; path: string; recursive: boolean; onlyDir?: boolean; onlyFile?: boolean; now: number }
  | { op: 'rename'; from: string; to: string; noReplace: boolean; now: number }
  | {
      op: 'setattr';
      path: string;
      mode?: number;
      uid?: number;
      gid?: number;
      atimeMs?: number;
      mtimeMs?: number;
      setXattrs?: Record<string, string>;
      removeXattrs?: string[];
      replaceXattrs?: boolean;
      now: number;
    }
  | { op: 'truncate'; path: string; size: number; now: number }
  | {
      op: 'commit';
      path: string;
      mode: 'replace' | 'write_at';
      offset: number;
      extents: WrittenExtent[];
      length: number;
      etag: string;
      create: boolean;
      exclusive: boolean;
      ifMatch: string;
      setXattrs: boolean;
      xattrs?: Record<string, string>;
      modeBits: number;
      parents: boolean;
      /** With parents: make them only below this directory, which must exist (absent in older logs). */
      parentsBelow?: string;
      now: number;
    }
  | { op: 'upload_create'; uploadId: string; path: string; xattrs: Record<string, string>; now: number }
  | { op: 'upload_part'; uploadId: string; partNumber: number; extents: WrittenExtent[]; size: number; etag: string; now: number }
  | { op: 'upload_complete'; uploadId: string; partNumbers: number[]; etag: string; ifMatch: string; exclusive: boolean; now: number }
  | { op: 'upload_abort'; uploadId: string; now: number }
  | { op: 'gc_done'; chunkIds: number[] }
  // Replica-set changes decided by the master's repair loop (GFS §4.3 re-replication) and drain.
  | { op: 'replica_add'; chunkId: number; version: number; nodeId: string }
  | { op: 'replica_remove'; chunkId: number; nodeIds: string[] }
  | { op: 'node_drain'; nodeId: string; draining: boolean }
  | { op: 'key_create'; accessKeyId: string; secretKey: string; buckets: string[]; readOnly: boolean; description: string; now: number }
  | { op: 'key_revoke'; accessKeyId: string };
