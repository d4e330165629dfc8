// Garbage collection (GFS §4.4): unreferenced chunks are deleted lazily, after a grace period, by
// piggybacking deletions on heartbeat replies. Allocations whose write stopped renewing its lease for
// the grace period are expired; their replicas are then orphans, which the report reconciliation
// (reconcile.ts) deletes once they have stayed unknown for the grace period too.
import type { Logger } from '../../common/log.js';
import type { Allocations } from './allocations.js';
import type { MasterMetrics } from './metrics.js';
import type { Registry } from './registry.js';
import type { RepairHost } from './repair.js';

export interface GcOptions {
  graceMs: number;
  intervalMs: number;
  /** Incomplete multipart uploads older than this are aborted, freeing their parts (0 = never). */
  uploadMaxAgeMs?: number;
}

/** Default age at which an incomplete multipart upload expires (MinIO's default too). */
export const DEFAULT_UPLOAD_MAX_AGE_MS = 24 * 3600_000;

export class GarbageCollector {
  #host: RepairHost;
  #allocations: Allocations;
  #registry: Registry;
  #opts: GcOptions;
  #log: Logger;
  #metrics: MasterMetrics;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #uploadsSweptMs = 0;

  constructor(host: RepairHost, allocations: Allocations, registry: Registry, opts: GcOptions, log: Logger, metrics: MasterMetrics) {
    this.#host = host;
    this.#allocations = allocations;
    this.#registry = registry;
    this.#opts = opts;
    this.#log = log.child({ part: 'gc' });
    this.#metrics = metrics;
  }

  start(): void {
    this.#timer = setInterval(() => void this.sweep(), this.#opts.intervalMs);
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    await this.#running;
  }

  /** Sends deletions for garbage past its grace period and drops it from the state. */
  sweep(): Promise<void> {
    this.#running ??= this.#sweep().finally(() => (this.#running = undefined));
    return this.#running;
  }

  async #sweep(): Promise<void> {
    try {
      const now = Date.now();
      const fsm = this.#host.fsm;
      const due: number[] = [];
      for (const [id, g] of fsm.garbage) {
        if (now - g.sinceMs < this.#opts.graceMs) continue;
        due.push(id);
        for (const node of g.replicas) this.#registry.queueDelete(node, id);
        this.#metrics.gcDeleted.inc(g.replicas.length);
      }
      const expired = this.#allocations.expire(now, this.#opts.graceMs);
      for (const [id, p] of expired) {
        // Placed but never committed: delete wherever an attempt may have landed.
        if (fsm.chunks.has(id) || fsm.garbage.has(id)) continue;
        for (const node of p.nodes) this.#registry.queueDelete(node, id);
      }
      if (expired.length) this.#log.info({ chunks: expired.length }, 'expired allocations that were never committed');
      if (due.length) {
        await this.#host.propose({ op: 'gc_done', chunkIds: due });
        this.#log.debug({ chunks: due.length }, 'garbage chunks scheduled for deletion');
      }
      await this.#expireUploads(now);
    } catch (err) {
      this.#log.warn({ err }, 'gc sweep failed');
    }
  }

  /**
   * Aborts incomplete multipart uploads older than uploadMaxAgeMs (S3 and /v1 alike): their parts'
   * chunks lose their last reference and become garbage, deleted after the grace period like any other.
   * Looked at every tenth of the age (between 1 s and 1 min), not on every sweep.
   */
  async #expireUploads(now: number): Promise<void> {
    const maxAge = this.#opts.uploadMaxAgeMs ?? DEFAULT_UPLOAD_MAX_AGE_MS;
    if (maxAge <= 0 || now - this.#uploadsSweptMs < Math.min(60_000, Math.max(1000, maxAge / 10))) return;
    this.#uploadsSweptMs = now;
    const stale = [...this.#host.fsm.uploads].filter(([, u]) => now - u.createdMs > maxAge).map(([id]) => id);
    let n = 0;
    for (const uploadId of stale) {
      try {
        await this.#host.propose({ op: 'upload_abort', uploadId, now });
        n++;
      } catch (err) {
        // Finished or aborted meanwhile (not_found): nothing left to expire.
        this.#log.debug({ err, uploadId }, 'upload expiry: abort refused');
      }
    }
    if (n > 0) {
      this.#metrics.uploadsExpired.inc(n);
      this.#log.info({ uploads: n, maxAgeMs: maxAge }, 'expired incomplete multipart uploads');
    }
  }
}
