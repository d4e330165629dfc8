// Garbage collection (GFS §4.4): unreferenced chunks are deleted lazily, after a grace period, by
// piggybacking deletions on heartbeat replies. Chunks a chunkserver reports that the master does not
// know (writes that were never committed) are deleted once they have stayed unknown for the grace
// period — long enough for any write in flight to commit.
import type { Logger } from '../../common/log.js';
import type { MasterMetrics } from './metrics.js';
import type { Registry } from './registry.js';
import type { MasterService } from './service.js';

export interface GcOptions {
  graceMs: number;
  intervalMs: number;
}

export class GarbageCollector {
  #svc: MasterService;
  #registry: Registry;
  #opts: GcOptions;
  #log: Logger;
  #metrics: MasterMetrics;
  #timer: NodeJS.Timeout | undefined;
  #running = false;
  /** (node, chunk) pairs reported but unknown to the master → first time seen. */
  #orphans = new Map<string, number>();

  constructor(svc: MasterService, registry: Registry, opts: GcOptions, log: Logger, metrics: MasterMetrics) {
    this.#svc = svc;
    this.#registry = registry;
    this.#opts = opts;
    this.#log = log;
    this.#metrics = metrics;
    svc.onChunkReport = (node, ids) => this.#report(node, ids);
  }

  start(): void {
    this.#timer = setInterval(() => void this.sweep(), this.#opts.intervalMs);
    this.#timer.unref();
  }

  stop(): void {
    clearInterval(this.#timer);
  }

  #report(nodeId: string, ids: number[]): void {
    const fsm = this.#svc.fsm;
    const now = Date.now();
    const seen = new Set<string>();
    for (const id of ids) {
      if (fsm.chunks.has(id) || fsm.garbage.has(id) || this.#svc.pending.has(id)) continue;
      const key = `${nodeId}/${id}`;
      seen.add(key);
      const first = this.#orphans.get(key);
      if (first === undefined) this.#orphans.set(key, now);
      else if (now - first >= this.#opts.graceMs) {
        this.#registry.queueDelete(nodeId, id);
        this.#orphans.delete(key);
        this.#metrics.gcDeleted.inc();
        this.#log.info({ node: nodeId, chunk: id }, 'deleting orphaned chunk replica');
      }
    }
    // Forget orphans this node no longer reports.
    for (const key of this.#orphans.keys()) if (key.startsWith(`${nodeId}/`) && !seen.has(key)) this.#orphans.delete(key);
  }

  /** Sends deletions for garbage past its grace period and drops it from the state. */
  async sweep(): Promise<void> {
    if (this.#running) return;
    this.#running = true;
    try {
      const now = Date.now();
      const due: number[] = [];
      for (const [id, g] of this.#svc.fsm.garbage) {
        if (now - g.sinceMs < this.#opts.graceMs) continue;
        due.push(id);
        for (const node of g.replicas) this.#registry.queueDelete(node, id);
        this.#metrics.gcDeleted.inc(g.replicas.length);
      }
      // Allocations that never committed are forgotten after the grace period; their replicas are
      // then orphans and go through the report path above.
      for (const [id, t] of this.#svc.pending) if (now - t >= Math.max(this.#opts.graceMs, 15 * 60_000)) this.#svc.pending.delete(id);
      if (due.length) {
        await this.#svc.propose({ op: 'gc_done', chunkIds: due });
        this.#log.debug({ chunks: due.length }, 'garbage chunks scheduled for deletion');
      }
    } catch (err) {
      this.#log.warn({ err }, 'gc sweep failed');
    } finally {
      this.#running = false;
    }
  }
}
