// Master metrics (prom-client), one Registry per master so several can run in one test process.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface MasterMetrics {
  registry: Registry;
  commandDuration: Histogram<'op'>;
  chunksAllocated: Counter;
  gcDeleted: Counter;
}

export function createMasterMetrics(collect: () => { inodes: number; chunks: number; garbage: number; nodesAlive: number; nodesTotal: number; uploads: number; appliedIndex: number }): MasterMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const gauge = (name: string, help: string, key: keyof ReturnType<typeof collect>) =>
    new Gauge({ name, help, registers: [registry], collect() { this.set(collect()[key]); } });
  gauge('godfs_master_inodes', 'Inodes in the namespace', 'inodes');
  gauge('godfs_master_chunks', 'Chunks referenced by files or uploads', 'chunks');
  gauge('godfs_master_garbage_chunks', 'Unreferenced chunks waiting for the GC grace period', 'garbage');
  gauge('godfs_master_chunkservers_alive', 'Chunkservers that sent a recent heartbeat', 'nodesAlive');
  gauge('godfs_master_chunkservers_total', 'Chunkservers known to the master', 'nodesTotal');
  gauge('godfs_master_uploads', 'Multipart uploads in progress', 'uploads');
  gauge('godfs_master_applied_index', 'Index of the last applied log entry', 'appliedIndex');
  return {
    registry,
    commandDuration: new Histogram({
      name: 'godfs_master_command_duration_seconds',
      help: 'Time to apply and durably log a command',
      labelNames: ['op'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
      registers: [registry],
    }),
    chunksAllocated: new Counter({ name: 'godfs_master_chunks_allocated_total', help: 'Chunk ids handed out', registers: [registry] }),
    gcDeleted: new Counter({ name: 'godfs_master_gc_chunk_deletions_total', help: 'Chunk replica deletions sent to chunkservers', registers: [registry] }),
  };
}
