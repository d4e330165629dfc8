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
}

export class GarbageCollector {
  #host: RepairHost;
  #allocations: Allocations;
  #registry: Registry;
  #opts: GcOptions;
  #log: Logger;
  #metrics: MasterMetrics;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;

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
    } catch (err) {
      this.#log.warn({ err }, 'gc sweep failed');
    }
  }
}
