// Chunkserver registry (soft state, rebuilt from registrations and heartbeats after a master restart,
// as in GFS §2.6.2) and replica placement.
import { GodfsError } from '../../common/errors.js';

export interface NodeState {
  id: string;
  addr: string;
  controlAddr: string;
  zone: string;
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

export class Registry {
  readonly nodes = new Map<string, NodeState>();
  /** Chunk deletions waiting to ride on each node's next heartbeat reply. */
  readonly pendingDeletes = new Map<string, Set<number>>();
  #opts: RegistryOptions;

  constructor(opts: RegistryOptions) {
    this.#opts = opts;
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
   * space (weighted random, so equal nodes share the load).
   */
  place(count: number, now: number, random: () => number = Math.random): NodeState[] {
    const candidates = this.alive(now).filter((n) => n.free >= this.#opts.reserveBytes);
    if (candidates.length < count) {
      const alive = this.alive(now).length;
      if (alive >= count) throw new GodfsError('no_space', `need ${count} chunkservers with free space, ${candidates.length} of ${alive} live ones have room`);
      throw new GodfsError('unavailable', `need ${count} live chunkservers for replication ${count}, ${alive} are live`);
    }
    const chosen: NodeState[] = [];
    const usedZones = new Set<string>();
    let pool = [...candidates];
    while (chosen.length < count) {
      const fresh = pool.filter((n) => !usedZones.has(n.zone));
      const from = fresh.length ? fresh : pool;
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
