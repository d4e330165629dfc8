// Chunk-report reconciliation (GFS §4.4, §4.5): every registration and every Nth heartbeat carries
// the chunkserver's full list of (chunk id, version, size). The master compares it with the chunk map:
//   - a replica at a version other than the committed one is stale: never served, deleted at once;
//   - a current replica the record does not list (a node back after its replicas were re-created
//     elsewhere, or a copy whose Replicate answer was lost) is adopted when the chunk is short of its
//     goal, else deleted as excess;
//   - a replica the record lists but the node no longer reports (in two consecutive full reports) is
//     dropped from the record, so re-replication replaces it;
//   - a chunk nobody references and nobody is writing is an orphan: deleted once it has stayed
//     unknown for the grace period (long enough for any write in flight to commit).
// Corrupt replicas (reported by readers, the chunkserver's reads, or its scrubber) are marked bad:
// re-replicated from a good copy, then deleted (GFS §5.2).
import type { Logger } from '../../common/log.js';
import type { Allocations } from './allocations.js';
import type { MasterMetrics } from './metrics.js';
import type { Registry } from './registry.js';
import type { RepairHost, RepairManager } from './repair.js';

export interface ReportedChunk {
  chunk_id: number;
  version: number;
  size?: number;
}

export class Reconciler {
  /** node/chunk → reported version, for replicas at a version other than the committed one. */
  readonly stale = new Map<string, number>();
  #host: RepairHost;
  #allocations: Allocations;
  #registry: Registry;
  #repair: RepairManager;
  #graceMs: number;
  #log: Logger;
  #metrics: MasterMetrics;
  /** node/chunk reported but unknown to the master → first time seen. */
  #orphans = new Map<string, number>();
  /** node/chunk listed in the record but missing from the node's full reports → how many reports. */
  #missing = new Map<string, number>();

  constructor(host: RepairHost, allocations: Allocations, registry: Registry, repair: RepairManager, graceMs: number, log: Logger, metrics: MasterMetrics) {
    this.#host = host;
    this.#allocations = allocations;
    this.#registry = registry;
    this.#repair = repair;
    this.#graceMs = graceMs;
    this.#log = log.child({ part: 'reconcile' });
    this.#metrics = metrics;
  }

  /** Forgets what reports showed (a new term of leadership starts from fresh reports). */
  reset(): void {
    this.stale.clear();
    this.#orphans.clear();
    this.#missing.clear();
  }

  get graceMs(): number {
    return this.#graceMs;
  }

  /** A full chunk report from `nodeId` (registration or every Nth heartbeat). */
  onReport(nodeId: string, chunks: ReportedChunk[], now = Date.now()): void {
    const fsm = this.#host.fsm;
    const prefix = `${nodeId}/`;
    const seenOrphans = new Set<string>();
    const seenStale = new Set<string>();
    const reported = new Set<number>();
    const dropFromRecord: number[] = [];
    const flaggedStale = new Set<string>();
    let matched = 0;
    for (const c of chunks) {
      const id = c.chunk_id;
      reported.add(id);
      const key = prefix + id;
      const rec = fsm.chunks.get(id);
      if (rec) {
        if (c.version !== rec.version) {
          if (rec.replicas.includes(nodeId) && c.version < rec.version && !this.#twice(key)) {
            // The record lists this node only because it acknowledged the committed version: a lower
            // one is a report taken before that write landed. Twice in a row, it is really stale.
            flaggedStale.add(key);
            continue;
          }
          // GFS §4.5: a stale replica is never handed to a reader and is garbage-collected.
          seenStale.add(key);
          if (!this.stale.has(key)) {
            this.#metrics.staleFound.inc();
            this.#log.warn({ node: nodeId, chunk: id, version: c.version, committed: rec.version }, 'stale replica: deleting it');
          }
          this.stale.set(key, c.version);
          if (rec.replicas.includes(nodeId)) dropFromRecord.push(id);
          // Versioned: a copy of the committed version that lands meanwhile is not touched.
          this.#registry.queueStaleDelete(nodeId, id, c.version);
          continue;
        }
        if (rec.replicas.includes(nodeId)) {
          matched++;
          continue;
        }
        if (!this.#repair.isTarget(id, nodeId) && !this.#registry.hasPendingDelete(nodeId, id)) this.#unlisted(nodeId, id, now);
        continue;
      }
      if (fsm.garbage.has(id) || this.#allocations.has(id)) continue;
      seenOrphans.add(key);
      const first = this.#orphans.get(key);
      if (first === undefined) this.#orphans.set(key, now);
      else if (now - first >= this.#graceMs) {
        this.#registry.queueDelete(nodeId, id);
        this.#orphans.delete(key);
        this.#metrics.gcDeleted.inc();
        this.#log.info({ node: nodeId, chunk: id }, 'deleting orphaned chunk replica');
      }
    }
    // Forget what this node no longer reports.
    for (const key of this.#orphans.keys()) if (key.startsWith(prefix) && !seenOrphans.has(key)) this.#orphans.delete(key);
    for (const key of this.stale.keys()) if (key.startsWith(prefix) && !seenStale.has(key)) this.stale.delete(key);
    for (const id of dropFromRecord) this.#remove(id, nodeId, 'stale replica listed in the record');
    this.#checkMissing(nodeId, reported, matched, flaggedStale);
  }

  /** True when `key` was already flagged by the previous full report (counted in #missing). */
  #twice(key: string): boolean {
    return (this.#missing.get(key) ?? 0) >= 1;
  }

  /** A current replica that the record does not list. */
  #unlisted(nodeId: string, id: number, now: number): void {
    // Right after a master restart the other replicas' nodes may not have registered yet: wait.
    if (!this.#registry.settled(now)) return;
    const rec = this.#host.fsm.chunks.get(id)!;
    const goal = rec.goal ?? rec.replicas.length;
    const usable = this.#repair.classify(id, rec, now).live.length;
    if (usable >= goal) {
      this.#registry.queueDelete(nodeId, id);
      this.#log.info({ node: nodeId, chunk: id }, 'deleting an excess replica');
      return;
    }
    if (this.#repair.state(id, nodeId, now) !== 'live') return;
    this.#host.propose({ op: 'replica_add', chunkId: id, version: rec.version, nodeId }).then(
      () => this.#log.info({ node: nodeId, chunk: id }, 'adopted a reported replica of an under-replicated chunk'),
      (err: unknown) => this.#log.debug({ err, chunk: id }, 'cannot adopt replica'),
    );
  }

  /**
   * Replicas the record lists on `nodeId` but the report lacks. Cheap in the common case: only when
   * fewer matched than the last scan counted does it look through the chunk map.
   */
  #checkMissing(nodeId: string, reported: Set<number>, matched: number, flaggedStale: Set<string>): void {
    const prefix = `${nodeId}/`;
    const flagged = new Set<string>(flaggedStale);
    for (const key of flaggedStale) this.#missing.set(key, 1);
    if (matched < (this.#repair.needed.get(nodeId) ?? 0)) {
      for (const [id, rec] of this.#host.fsm.chunks) {
        if (reported.has(id) || !rec.replicas.includes(nodeId) || this.#repair.isTarget(id, nodeId)) continue;
        const key = prefix + id;
        const n = (this.#missing.get(key) ?? 0) + 1;
        // Twice in a row: a report taken just before a commit or a copy would miss it once.
        if (n >= 2) this.#remove(id, nodeId, 'replica missing from the node');
        else {
          this.#missing.set(key, n);
          flagged.add(key);
        }
      }
    }
    for (const key of this.#missing.keys()) if (key.startsWith(prefix) && !flagged.has(key)) this.#missing.delete(key);
  }

  #remove(id: number, nodeId: string, why: string): void {
    this.#missing.delete(`${nodeId}/${id}`);
    this.#host.propose({ op: 'replica_remove', chunkId: id, nodeIds: [nodeId] }).then(
      () => {
        this.#log.warn({ node: nodeId, chunk: id }, `${why}: dropped from the chunk's replicas`);
        this.#repair.kick();
      },
      (err: unknown) => this.#log.debug({ err, chunk: id }, 'cannot drop replica'),
    );
  }

  /**
   * Replicas that failed checksum verification (or are missing), reported by a reader or by the
   * chunkserver itself. Re-replication replaces them, then they are deleted (GFS §5.2).
   */
  onBad(nodeId: string, chunks: Array<{ chunkId: number; version: number }>, from: 'chunkserver' | 'client'): void {
    const fsm = this.#host.fsm;
    for (const { chunkId, version } of chunks) {
      const rec = fsm.chunks.get(chunkId);
      const counted = rec !== undefined && rec.replicas.includes(nodeId) && (version === 0 || version === rec.version);
      if (counted) {
        if (!this.#repair.isBad(chunkId, nodeId)) this.#metrics.badReports.inc({ from });
        this.#repair.markBad(chunkId, nodeId);
      } else if (from === 'chunkserver') {
        // Not a replica anyone counts on: delete the corrupt copy now.
        this.#registry.queueDelete(nodeId, chunkId);
      }
    }
  }
}
