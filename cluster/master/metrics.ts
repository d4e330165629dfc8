// Master metrics (prom-client), one Registry per master so several can run in one test process.
// docs/operations.md explains what each one means and what to do about it.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface MasterMetrics {
  registry: Registry;
  commandDuration: Histogram<'op'>;
  chunksAllocated: Counter;
  gcDeleted: Counter;
  repairs: Counter;
  repairBytes: Counter;
  repairFailures: Counter;
  badReports: Counter<'from'>;
  staleFound: Counter;
  writeRetries: Counter;
  uploadsExpired: Counter;
}

export interface MasterGauges {
  inodes: number;
  chunks: number;
  garbage: number;
  nodesAlive: number;
  nodesTotal: number;
  nodesDraining: number;
  uploads: number;
  appliedIndex: number;
  underReplicated: number;
  unrepairable: number;
  staleReplicas: number;
  badReplicas: number;
  repairQueue: number;
  repairsInFlight: number;
  pendingAllocations: number;
}

export function createMasterMetrics(collect: () => MasterGauges): MasterMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const gauge = (name: string, help: string, key: keyof MasterGauges) =>
    new Gauge({ name, help, registers: [registry], collect() { this.set(collect()[key]); } });
  gauge('godfs_master_inodes', 'Inodes in the namespace', 'inodes');
  gauge('godfs_master_chunks', 'Chunks referenced by files or uploads', 'chunks');
  gauge('godfs_master_garbage_chunks', 'Unreferenced chunks waiting for the GC grace period', 'garbage');
  gauge('godfs_master_chunkservers_alive', 'Chunkservers that sent a recent heartbeat', 'nodesAlive');
  gauge('godfs_master_chunkservers_total', 'Chunkservers known to the master', 'nodesTotal');
  gauge('godfs_master_chunkservers_draining', 'Chunkservers being drained', 'nodesDraining');
  gauge('godfs_master_uploads', 'Multipart uploads in progress', 'uploads');
  gauge('godfs_master_applied_index', 'Index of the last applied log entry', 'appliedIndex');
  gauge('godfs_master_chunks_under_replicated', 'Chunks with fewer usable replicas (live, not draining, not corrupt) than their goal', 'underReplicated');
  gauge('godfs_master_chunks_unrepairable', 'Chunks with no live, uncorrupted replica to copy from', 'unrepairable');
  gauge('godfs_master_stale_replicas', 'Replicas reported at a version other than the committed one (being deleted)', 'staleReplicas');
  gauge('godfs_master_bad_replicas', 'Replicas reported corrupt and not yet replaced', 'badReplicas');
  gauge('godfs_master_repair_queue', 'Under-replicated chunks waiting for a copy slot', 'repairQueue');
  gauge('godfs_master_repairs_in_flight', 'Re-replication copies running', 'repairsInFlight');
  gauge('godfs_master_pending_allocations', 'Chunks allocated to writes in progress, not yet committed', 'pendingAllocations');
  const counter = (name: string, help: string) => new Counter({ name, help, registers: [registry] });
  return {
    registry,
    commandDuration: new Histogram({
      name: 'godfs_master_command_duration_seconds',
      help: 'Time to apply and durably log a command',
      labelNames: ['op'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
      registers: [registry],
    }),
    chunksAllocated: counter('godfs_master_chunks_allocated_total', 'Chunk leases handed out (new chunks and retries)'),
    gcDeleted: counter('godfs_master_gc_chunk_deletions_total', 'Chunk replica deletions sent to chunkservers by the GC'),
    repairs: counter('godfs_master_repairs_total', 'Replicas re-created by re-replication'),
    repairBytes: counter('godfs_master_repair_bytes_total', 'Bytes copied by re-replication'),
    repairFailures: counter('godfs_master_repair_failures_total', 'Re-replication copies that failed (retried)'),
    badReports: new Counter({ name: 'godfs_master_bad_replica_reports_total', help: 'Corrupt replicas reported, by reporter', labelNames: ['from'], registers: [registry] }),
    staleFound: counter('godfs_master_stale_replicas_found_total', 'Stale replicas detected in chunk reports'),
    writeRetries: counter('godfs_master_write_retries_total', 'Chunk leases re-granted to a write retrying on a fresh replica set'),
    uploadsExpired: counter('godfs_master_uploads_expired_total', 'Incomplete multipart uploads aborted for being older than the maximum age'),
  };
}
