// Chunkserver registry (soft state, rebuilt from registrations and heartbeats after a master restart,
// as in GFS §2.6.2) and replica placement.
import { GodfsError } from '../../common/errors.js';

export interface NodeState {
  id: string;
  addr: string;
  controlAddr: string;
  zone: string;
  /** The node's chunk directory, for short-circuit reads on its host (RegisterRequest.chunks_dir). */
  chunksDir?: string;
  capacity: number;
  free: number;
  used: number;
  chunkCount: number;
  lastHeartbeatMs: number;
  registeredMs: number;
}

export interface RegistryOptions {
  /** A node silent for longer than this is dead (default 10 s). */
  deadAfterMs: number;
  /** A node with less free space than this gets no new chunks (default: one max-size chunk). */
  reserveBytes: number;
}

export interface PlaceOptions {
  /** Never choose these nodes (they failed this chunk, already hold it, or are draining). */
  exclude?: ReadonlySet<string>;
  /** Choose these only when too few others have room (recently failed for this client). */
  avoid?: ReadonlySet<string>;
  /** Zones already holding a replica: spread away from them first. */
  zonesTaken?: Iterable<string>;
  random?: () => number;
}

export class Registry {
  readonly nodes = new Map<string, NodeState>();
  /** Chunk deletions waiting to ride on each node's next heartbeat reply. */
  readonly pendingDeletes = new Map<string, Set<number>>();
  /** Deletions of stale replicas: chunk → the highest version to delete. */
  readonly pendingStaleDeletes = new Map<string, Map<number, number>>();
  /** When this master started leading: nodes get deadAfterMs to register before any is presumed lost. */
  startedMs: number;
  #opts: RegistryOptions;

  constructor(opts: RegistryOptions, now = Date.now()) {
    this.#opts = opts;
    this.startedMs = now;
  }

  /**
   * Forgets every node (a new term of leadership): the view is rebuilt from registrations and
   * heartbeats, and nothing is presumed lost until deadAfterMs has passed.
   */
  reset(now = Date.now()): void {
    this.nodes.clear();
    this.pendingDeletes.clear();
    this.pendingStaleDeletes.clear();
    this.startedMs = now;
  }

  get deadAfterMs(): number {
    return this.#opts.deadAfterMs;
  }

  get reserveBytes(): number {
    return this.#opts.reserveBytes;
  }

  /** True once every chunkserver that is up has had time to register after a master (re)start. */
  settled(now: number): boolean {
    return now - this.startedMs > this.#opts.deadAfterMs;
  }

  /**
   * Right after this master started leading, the view of chunkservers is still filling in as they
   * register: waits until `complete()` holds or the view is settled, so a read or a write just after a
   * failover waits a moment instead of failing for want of nodes that are up but not yet heard from.
   */
  async awaitView(complete: () => boolean): Promise<void> {
    while (!complete() && !this.settled(Date.now())) await new Promise((r) => setTimeout(r, 25));
  }

  isAliveId(id: string, now: number): boolean {
    const n = this.nodes.get(id);
    return n !== undefined && this.isAlive(n, now);
  }

  /** A node whose free space is below the reserve (one chunk) gets no new chunks. */
  isFull(node: NodeState): boolean {
    return node.free < this.#opts.reserveBytes;
  }

  upsert(n: Omit<NodeState, 'registeredMs' | 'lastHeartbeatMs'>, now: number): NodeState {
    const prev = this.nodes.get(n.id);
    const node: NodeState = { ...prev, ...n, lastHeartbeatMs: now, registeredMs: prev?.registeredMs ?? now };
    this.nodes.set(n.id, node);
    return node;
  }

  isAlive(node: NodeState, now: number): boolean {
    return now - node.lastHeartbeatMs <= this.#opts.deadAfterMs;
  }

  alive(now: number): NodeState[] {
    return [...this.nodes.values()].filter((n) => this.isAlive(n, now));
  }

  /**
   * Picks `count` distinct live nodes with room, spreading across zones first and preferring free
   * space (weighted random, so equal nodes share the load). Excluded nodes are never chosen; avoided
   * ones only when the others cannot make up the count.
   */
  place(count: number, now: number, opts: PlaceOptions = {}): NodeState[] {
    const random = opts.random ?? Math.random;
    const usable = this.alive(now).filter((n) => !opts.exclude?.has(n.id));
    const candidates = usable.filter((n) => !this.isFull(n));
    if (candidates.length < count) {
      if (usable.length >= count) throw new GodfsError('no_space', `need ${count} chunkservers with free space, ${candidates.length} of ${usable.length} usable live ones have room`);
      throw new GodfsError('unavailable', `need ${count} live chunkservers for replication ${count}, ${usable.length} are live and usable`);
    }
    const chosen: NodeState[] = [];
    const usedZones = new Set<string>(opts.zonesTaken ?? []);
    let pool = candidates;
    while (chosen.length < count) {
      // Avoided nodes only once no other candidate is left.
      const preferred = pool.filter((n) => !opts.avoid?.has(n.id));
      const tier = preferred.length ? preferred : pool;
      const fresh = tier.filter((n) => !usedZones.has(n.zone));
      const from = fresh.length ? fresh : tier;
      const pick = weightedPick(from, random);
      chosen.push(pick);
      usedZones.add(pick.zone);
      pool = pool.filter((n) => n !== pick);
    }
    return chosen;
  }

  queueDelete(nodeId: string, chunkId: number): void {
    let set = this.pendingDeletes.get(nodeId);
    if (!set) this.pendingDeletes.set(nodeId, (set = new Set()));
    set.add(chunkId);
  }

  /** Deletes `chunkId` on `nodeId` only if its replica there is at `version` or older. */
  queueStaleDelete(nodeId: string, chunkId: number, version: number): void {
    let m = this.pendingStaleDeletes.get(nodeId);
    if (!m) this.pendingStaleDeletes.set(nodeId, (m = new Map()));
    m.set(chunkId, Math.max(version, m.get(chunkId) ?? 0));
  }

  takeStaleDeletes(nodeId: string): Array<{ chunk_id: number; version: number }> {
    const m = this.pendingStaleDeletes.get(nodeId);
    if (!m) return [];
    this.pendingStaleDeletes.delete(nodeId);
    return [...m].map(([chunk_id, version]) => ({ chunk_id, version }));
  }

  hasPendingDelete(nodeId: string, chunkId: number): boolean {
    return (this.pendingDeletes.get(nodeId)?.has(chunkId) ?? false) || (this.pendingStaleDeletes.get(nodeId)?.has(chunkId) ?? false);
  }

  takeDeletes(nodeId: string): number[] {
    const set = this.pendingDeletes.get(nodeId);
    if (!set) return [];
    this.pendingDeletes.delete(nodeId);
    return [...set];
  }
}

function weightedPick(nodes: NodeState[], random: () => number): NodeState {
  const total = nodes.reduce((s, n) => s + Math.max(n.free, 1), 0);
  let r = random() * total;
  for (const n of nodes) {
    r -= Math.max(n.free, 1);
    if (r <= 0) return n;
  }
  return nodes[nodes.length - 1]!;
}
