// Chunkserver metrics (prom-client). One Registry per chunkserver, never the global one, so several
// chunkservers can run in one test process. Byte and checksum counters mirror the store's running
// totals at scrape time, so the store itself stays free of metrics code.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { ChunkStore } from './chunk-store.js';
import type { ScrubStats } from './scrubber.js';

export interface ChunkserverMetrics {
  registry: Registry;
  requestDuration: Histogram<'method' | 'route' | 'status'>;
}

export function createChunkserverMetrics(store: ChunkStore, scrub?: ScrubStats): ChunkserverMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });

  const mirror = (name: string, help: string, read: () => number) => {
    let last = 0;
    return new Counter({
      name,
      help,
      registers: [registry],
      collect() {
        const now = read();
        if (now > last) this.inc(now - last);
        last = now;
      },
    });
  };
  mirror('godfs_chunkserver_bytes_written_total', 'Chunk bytes durably stored (fsynced and published)', () => store.bytesWritten);
  mirror('godfs_chunkserver_bytes_read_total', 'Verified chunk bytes served to readers', () => store.bytesRead);
  mirror('godfs_chunkserver_checksum_failures_total', 'Blocks whose stored CRC did not match their data', () => store.checksumFailures);
  mirror('godfs_chunkserver_scrubbed_bytes_total', 'Bytes re-verified by the background scrubber', () => scrub?.scrubbedBytes ?? 0);
  mirror('godfs_chunkserver_scrub_passes_total', 'Complete scrubber passes over every replica', () => scrub?.passes ?? 0);
  new Gauge({ name: 'godfs_chunkserver_corrupt_chunks', help: 'Replicas found corrupt, reported to the master, awaiting deletion', registers: [registry], collect() { this.set(store.corruptList().length); } });
  new Gauge({ name: 'godfs_chunkserver_scrub_bytes_per_second', help: 'Configured scrub rate (0 = off)', registers: [registry], collect() { this.set(scrub?.bytesPerSec ?? 0); } });

  new Gauge({ name: 'godfs_chunkserver_chunks', help: 'Chunk replicas stored', registers: [registry], collect() { this.set(store.chunkCount); } });
  new Gauge({ name: 'godfs_chunkserver_used_bytes', help: 'Bytes of chunk files on disk', registers: [registry], collect() { this.set(store.usedBytes); } });
  new Gauge({
    name: 'godfs_chunkserver_free_bytes',
    help: 'Bytes still available for chunks (disk free, bounded by the configured capacity)',
    registers: [registry],
    async collect() {
      this.set((await store.space()).free);
    },
  });
  new Gauge({
    name: 'godfs_chunkserver_capacity_bytes',
    help: 'Configured capacity, or the size of the data file system',
    registers: [registry],
    async collect() {
      this.set((await store.space()).capacity);
    },
  });

  return {
    registry,
    requestDuration: new Histogram({
      name: 'godfs_chunkserver_request_duration_seconds',
      help: 'Data-plane HTTP request duration',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.0005, 0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
  };
}
