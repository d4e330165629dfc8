// Re-replication (GFS §4.3): the master keeps every chunk at its replication goal. A periodic scan
// classifies each chunk's replicas — live, draining, reported bad, or on a dead node — and queues the
// chunks below their goal, fewest usable replicas first (one usable replica is the most endangered;
// GFS §4.3 "the chunk furthest from its replication goal"). Copies run through the target chunkserver's
// Replicate RPC, which pulls the bytes from a surviving replica over the data plane, bounded by a
// concurrency limit and a bytes/s budget (GFS §4.3 "limits the numbers of active clone operations").
// A finished copy is recorded through the log (`replica_add`); once a chunk is back at its goal, the
// replicas that do not count — on dead or draining nodes, reported corrupt, or in excess — are removed
// from the record (`replica_remove`) and deleted through heartbeat replies.
import { GodfsError } from '../../common/errors.js';
import { fromServiceError } from '../../common/grpc.js';
import type { Logger } from '../../common/log.js';
import type { ChunkserverClients } from './chunkserver-clients.js';
import type { Command } from './commands.js';
import type { ChunkRecord, Fsm } from './fsm.js';
import type { MasterMetrics } from './metrics.js';
import type { NodeState, Registry } from './registry.js';

export interface RepairOptions {
  /** How often the chunk map is scanned for chunks below their goal (ms). */
  intervalMs: number;
  /** Copies in flight at once. */
  concurrency: number;
  /** Average copy rate across the cluster, bytes/s (0 = unlimited). */
  bytesPerSec: number;
  /** Size assumed for chunks whose size is not recorded. */
  maxChunkSize: number;
}

export interface RepairHost {
  readonly fsm: Fsm;
  propose(cmd: Command): Promise<unknown>;
}

export type ReplicaState = 'live' | 'draining' | 'bad' | 'dead';

export interface Classified {
  live: string[];
  draining: string[];
  bad: string[];
  dead: string[];
}

interface QueueItem {
  id: number;
  usable: number;
  goal: number;
}

export interface RepairStats {
  underReplicated: number;
  unrepairable: number;
  queue: number;
  repairsDone: number;
  repairFailures: number;
  bytesCopied: number;
  /** Under-replicated chunks for which no chunkserver could take a copy in the last pass. */
  noTarget: number;
}

const CLEANUP_BATCH = 128;
/** Even when nothing seems to have changed, the chunk map is scanned this often. */
const FULL_SCAN_MS = 30_000;
/** A target that failed a copy is not chosen again for that chunk for this long. */
const FAILED_TARGET_MS = 30_000;

export class RepairManager {
  /** Replicas reported corrupt (by readers or by the chunkserver's own checks): chunk → nodes. Soft state. */
  readonly bad = new Map<number, Set<string>>();
  /** Copies in flight: chunk → target and source node ids. */
  readonly inflight = new Map<number, { target: string; source: string; startedMs: number }>();
  /** Per node: how many chunks the record counts on it (from the last scan; drain progress). */
  needed = new Map<string, number>();
  readonly stats: RepairStats = { underReplicated: 0, unrepairable: 0, queue: 0, repairsDone: 0, repairFailures: 0, bytesCopied: 0, noTarget: 0 };
  #host: RepairHost;
  #registry: Registry;
  #clients: ChunkserverClients;
  #opts: RepairOptions;
  #log: Logger;
  #metrics: MasterMetrics;
  #queue: QueueItem[] = [];
  #timer: NodeJS.Timeout | undefined;
  #refillTimer: NodeJS.Timeout | undefined;
  #scanning: Promise<void> | undefined;
  #rescan = false;
  #stopped = false;
  #budget: number;
  #lastRefill = Date.now();
  /** Targets that failed a copy of a chunk (→ when): tried elsewhere for a while. */
  #failedTargets = new Map<number, Map<string, number>>();
  #cleaning = new Set<number>();
  #dirty = true;
  #lastKey = '';
  #lastFullScan = 0;
  #hadCleanups = false;

  constructor(host: RepairHost, registry: Registry, clients: ChunkserverClients, opts: RepairOptions, log: Logger, metrics: MasterMetrics) {
    this.#host = host;
    this.#registry = registry;
    this.#clients = clients;
    this.#opts = opts;
    this.#log = log.child({ part: 'repair' });
    this.#metrics = metrics;
    this.#budget = this.#burst;
  }

  get #burst(): number {
    return Math.max(this.#opts.bytesPerSec, this.#opts.maxChunkSize);
  }

  /** Starts scanning (again, after stop(): a new term of leadership begins with no soft state). */
  start(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#stopped = false;
    this.bad.clear();
    this.needed = new Map();
    this.#queue = [];
    this.#failedTargets.clear();
    this.#dirty = true;
    this.#lastKey = '';
    this.#timer = setInterval(() => void this.#tick(), this.#opts.intervalMs);
    this.#timer.unref();
  }

  /**
   * A scan costs O(chunks), so the periodic one is skipped while nothing it depends on changed: the
   * set of live nodes, the draining set, a kick (a corrupt replica, a drain, a registration), work left
   * from the last pass — with a full pass at least every FULL_SCAN_MS as a safety net.
   */
  #tick(): Promise<void> | undefined {
    const now = Date.now();
    const key = this.#registry.alive(now).map((n) => n.id).sort().join(',') + '|' + [...this.#host.fsm.draining].sort().join(',') + '|' + this.#registry.settled(now);
    const idle = !this.#dirty && key === this.#lastKey && this.#queue.length === 0 && this.stats.underReplicated === 0 && !this.#hadCleanups;
    if (idle && now - this.#lastFullScan < FULL_SCAN_MS) return undefined;
    this.#lastKey = key;
    return this.scan();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearInterval(this.#timer);
    clearTimeout(this.#refillTimer);
    await this.#scanning;
  }

  /** Runs a scan soon (a node died, a replica went bad, a drain started). */
  kick(): void {
    this.#dirty = true;
    setImmediate(() => void this.scan());
  }

  /** Records a corrupt replica; false when the record does not list it (nothing to repair). */
  markBad(chunkId: number, nodeId: string): boolean {
    const rec = this.#host.fsm.chunks.get(chunkId);
    if (!rec || !rec.replicas.includes(nodeId)) return false;
    let set = this.bad.get(chunkId);
    if (!set) this.bad.set(chunkId, (set = new Set()));
    if (set.has(nodeId)) return true;
    set.add(nodeId);
    this.#log.warn({ chunk: chunkId, node: nodeId }, 'replica reported corrupt; re-replicating from a good copy');
    this.kick();
    return true;
  }

  /** Replicas currently marked corrupt. */
  badCount(): number {
    let n = 0;
    for (const v of this.bad.values()) n += v.size;
    return n;
  }

  isBad(chunkId: number, nodeId: string): boolean {
    return this.bad.get(chunkId)?.has(nodeId) ?? false;
  }

  isTarget(chunkId: number, nodeId: string): boolean {
    return this.inflight.get(chunkId)?.target === nodeId;
  }

  state(chunkId: number, nodeId: string, now: number): ReplicaState {
    if (!this.#registry.isAliveId(nodeId, now)) return 'dead';
    if (this.isBad(chunkId, nodeId)) return 'bad';
    if (this.#host.fsm.draining.has(nodeId)) return 'draining';
    return 'live';
  }

  classify(chunkId: number, rec: ChunkRecord, now: number): Classified {
    const out: Classified = { live: [], draining: [], bad: [], dead: [] };
    for (const n of rec.replicas) out[this.state(chunkId, n, now)].push(n);
    return out;
  }

  /** One pass over the chunk map: statistics, the repair queue, and clean-up of chunks at their goal. */
  scan(): Promise<void> {
    if (this.#scanning) {
      this.#rescan = true;
      return this.#scanning;
    }
    this.#scanning = this.#scan()
      .catch((err: unknown) => this.#log.error({ err }, 'repair scan failed'))
      .finally(() => {
        this.#scanning = undefined;
        if (this.#rescan && !this.#stopped) {
          this.#rescan = false;
          void this.scan();
        }
      });
    return this.#scanning;
  }

  async #scan(): Promise<void> {
    if (this.#stopped) return;
    const now = Date.now();
    this.#dirty = false;
    this.#lastFullScan = now;
    const fsm = this.#host.fsm;
    const settled = this.#registry.settled(now);
    const needed = new Map<string, number>();
    const queue: QueueItem[] = [];
    const cleanups: Array<{ id: number; drop: string[] }> = [];
    let under = 0;
    let unrepairable = 0;
    for (const [id, rec] of fsm.chunks) {
      for (const n of rec.replicas) needed.set(n, (needed.get(n) ?? 0) + 1);
      // Right after a master (re)start, nodes that are up may not have registered yet: act only once
      // they have had deadAfterMs to do so (GFS §4.1: the master learns locations from the chunkservers).
      if (!settled) continue;
      const goal = rec.goal ?? rec.replicas.length;
      const c = this.classify(id, rec, now);
      if (c.live.length >= goal) {
        if ((c.live.length > goal || c.draining.length || c.bad.length || c.dead.length) && !this.inflight.has(id) && !this.#cleaning.has(id)) {
          cleanups.push({ id, drop: [...c.dead, ...c.bad, ...c.draining, ...this.#excess(c.live, goal)] });
        }
        continue;
      }
      under++;
      if (c.live.length + c.draining.length === 0) {
        unrepairable++;
        continue;
      }
      if (!this.inflight.has(id)) queue.push({ id, usable: c.live.length, goal });
    }
    for (const id of this.bad.keys()) if (!fsm.chunks.has(id)) this.bad.delete(id);
    for (const id of this.#failedTargets.keys()) if (!fsm.chunks.has(id)) this.#failedTargets.delete(id);
    // GFS §4.3: the chunk furthest below its goal first; among equals, the one missing more replicas.
    queue.sort((a, b) => a.usable - b.usable || b.goal - b.usable - (a.goal - a.usable) || a.id - b.id);
    this.#queue = queue;
    this.needed = needed;
    this.stats.underReplicated = under;
    this.stats.unrepairable = unrepairable;
    this.stats.noTarget = 0;
    this.#hadCleanups = cleanups.length > 0;
    this.#pump();
    for (let i = 0; i < cleanups.length && !this.#stopped; i += CLEANUP_BATCH) {
      await Promise.all(cleanups.slice(i, i + CLEANUP_BATCH).map((c) => this.#drop(c.id, c.drop)));
    }
  }

  /** Live replicas beyond the goal: drop the ones on the fullest nodes. */
  #excess(live: string[], goal: number): string[] {
    if (live.length <= goal) return [];
    const free = (id: string) => this.#registry.nodes.get(id)?.free ?? 0;
    return [...live].sort((a, b) => free(a) - free(b) || (a < b ? -1 : 1)).slice(0, live.length - goal);
  }

  /** Removes replicas from a chunk that is at its goal without them, and deletes them on their nodes. */
  async #drop(id: number, nodes: string[]): Promise<void> {
    if (nodes.length === 0) return;
    this.#cleaning.add(id);
    try {
      await this.#host.propose({ op: 'replica_remove', chunkId: id, nodeIds: nodes });
      const bad = this.bad.get(id);
      for (const n of nodes) {
        // A dead node gets the deletion when (if) it heartbeats again (GFS §4.4).
        this.#registry.queueDelete(n, id);
        bad?.delete(n);
      }
      if (bad?.size === 0) this.bad.delete(id);
      this.#log.info({ chunk: id, nodes }, 'replicas no longer needed removed from the chunk');
    } catch (err) {
      if (!(err instanceof GodfsError && err.code === 'not_found')) this.#log.warn({ err, chunk: id }, 'cannot remove replicas');
    } finally {
      this.#cleaning.delete(id);
    }
  }

  #refill(now: number): void {
    if (this.#opts.bytesPerSec <= 0) return;
    this.#budget = Math.min(this.#burst, this.#budget + (this.#opts.bytesPerSec * (now - this.#lastRefill)) / 1000);
    this.#lastRefill = now;
  }

  /** Starts copies while there are free slots and budget. */
  #pump(): void {
    if (this.#stopped) return;
    const now = Date.now();
    this.#refill(now);
    const fsm = this.#host.fsm;
    while (this.inflight.size < this.#opts.concurrency && this.#queue.length > 0) {
      const item = this.#queue[0]!;
      const size = fsm.chunks.get(item.id)?.size ?? this.#opts.maxChunkSize;
      // Token bucket: a copy starts once the budget covers it (a chunk never needs more than a burst).
      const need = Math.min(size, this.#burst);
      if (this.#opts.bytesPerSec > 0 && this.#budget < need) {
        if (!this.#refillTimer) {
          const waitMs = Math.ceil(((need - this.#budget) / this.#opts.bytesPerSec) * 1000) + 5;
          this.#refillTimer = setTimeout(() => {
            this.#refillTimer = undefined;
            this.#pump();
          }, waitMs);
          this.#refillTimer.unref();
        }
        break;
      }
      this.#queue.shift();
      const rec = fsm.chunks.get(item.id);
      if (!rec || this.inflight.has(item.id)) continue;
      const c = this.classify(item.id, rec, now);
      const goal = rec.goal ?? rec.replicas.length;
      const sources = [...c.live, ...c.draining];
      if (c.live.length >= goal || sources.length === 0) continue;
      const source = this.#leastBusySource(sources);
      const failed = [...(this.#failedTargets.get(item.id) ?? [])].filter(([, at]) => now - at < FAILED_TARGET_MS).map(([n]) => n);
      const exclude = new Set([...rec.replicas, ...fsm.draining, ...failed]);
      // A node with a deletion of this chunk queued would delete the new copy on its next heartbeat.
      for (const n of this.#registry.nodes.keys()) if (this.#registry.hasPendingDelete(n, item.id)) exclude.add(n);
      let target: NodeState;
      try {
        const zonesTaken = c.live.map((n) => this.#registry.nodes.get(n)?.zone ?? '');
        [target] = this.#registry.place(1, now, { exclude, zonesTaken }) as [NodeState];
      } catch {
        this.stats.noTarget++;
        continue;
      }
      this.#budget -= size;
      this.inflight.set(item.id, { target: target.id, source, startedMs: now });
      void this.#copy(item.id, rec.version, size, source, target).finally(() => {
        this.inflight.delete(item.id);
        this.#pump();
      });
    }
    this.stats.queue = this.#queue.length;
  }

  #leastBusySource(sources: string[]): string {
    const busy = new Map<string, number>();
    for (const f of this.inflight.values()) busy.set(f.source, (busy.get(f.source) ?? 0) + 1);
    let best = sources[0]!;
    for (const s of sources) if ((busy.get(s) ?? 0) < (busy.get(best) ?? 0)) best = s;
    return best;
  }

  async #copy(id: number, version: number, size: number, sourceId: string, target: NodeState): Promise<void> {
    const source = this.#registry.nodes.get(sourceId);
    const started = Date.now();
    try {
      if (!source) throw new GodfsError('unavailable', `source node ${sourceId} is unknown`);
      // Generous deadline: at least 1 MiB/s plus connection set-up.
      const stat = await this.#clients.replicate(target.controlAddr, id, version, source.addr, 30_000 + (size / 2 ** 20) * 1000);
      if (!stat.present || stat.version !== version) throw new GodfsError('unavailable', `target reports version ${stat.version}, present ${stat.present}`);
      try {
        await this.#host.propose({ op: 'replica_add', chunkId: id, version, nodeId: target.id });
      } catch (err) {
        // The chunk became garbage (or changed) while it was copied: the new copy is not needed.
        this.#registry.queueDelete(target.id, id);
        throw err;
      }
      this.#failedTargets.delete(id);
      this.stats.repairsDone++;
      this.stats.bytesCopied += stat.size;
      this.#metrics.repairs.inc();
      this.#metrics.repairBytes.inc(stat.size);
      this.#log.info({ chunk: id, version, size: stat.size, source: sourceId, target: target.id, ms: Date.now() - started }, 'chunk re-replicated');
    } catch (raw) {
      const err = fromServiceError(raw);
      this.stats.repairFailures++;
      this.#metrics.repairFailures.inc();
      if (err.code === 'checksum_mismatch') this.markBad(id, sourceId);
      else {
        let failed = this.#failedTargets.get(id);
        if (!failed) this.#failedTargets.set(id, (failed = new Map()));
        failed.set(target.id, Date.now());
      }
      this.#log.warn({ chunk: id, source: sourceId, target: target.id, code: err.code, msg: err.message }, 're-replication failed; will retry');
    }
  }
}
