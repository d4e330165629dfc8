// Pending allocations: chunks handed out but not yet committed, grouped by the write they belong to.
// An allocation is a lease grant for (chunk id, version) (GFS §3.1); a retry of the same chunk on a
// fresh replica set re-leases it at version+1, so chunkservers refuse the older, failed attempt
// (GFS §4.5). Soft state, like GFS's leases: after a master restart an uncommitted chunk is unknown,
// and its replicas are orphans that the GC removes after the grace period.
//
// Each allocation renews every pending chunk of its write, and a writer renews its lease on a timer
// while it streams (RenewWrite), so a write keeps its lease however slow its source, its chunkservers
// or the machine are; a write whose lease has not been renewed for the grace period (its writer is
// gone) is expired, and a chunk that was expired or abandoned is "retired": a late commit naming it is
// refused rather than pointing at deleted data.
import { GodfsError } from '../../common/errors.js';

export interface PendingChunk {
  writeId: string;
  version: number;
  /** Every node any attempt was placed on: prompt deletion when the write is abandoned. */
  nodes: Set<string>;
}

interface WriteLease {
  chunks: Set<number>;
  renewedMs: number;
}

/** Retired ids remembered (FIFO) so late commits are refused; bounded memory. */
const RETIRED_MAX = 1_000_000;

export class Allocations {
  readonly chunks = new Map<number, PendingChunk>();
  readonly #writes = new Map<string, WriteLease>();
  readonly #retired = new Set<number>();

  /** Forgets every allocation (leadership changed: they were the previous leader's soft state). */
  reset(): void {
    this.chunks.clear();
    this.#writes.clear();
  }

  has(id: number): boolean {
    return this.chunks.has(id);
  }

  get size(): number {
    return this.chunks.size;
  }

  /** Records a new allocation (version 1) or a re-lease (the caller chose the higher version). */
  grant(id: number, version: number, writeId: string, nodes: string[], now: number): void {
    const prev = this.chunks.get(id);
    if (prev && prev.writeId !== writeId) this.#writes.get(prev.writeId)?.chunks.delete(id);
    const p: PendingChunk = { writeId, version, nodes: new Set([...(prev?.nodes ?? []), ...nodes]) };
    this.chunks.set(id, p);
    let lease = this.#writes.get(writeId);
    if (!lease) this.#writes.set(writeId, (lease = { chunks: new Set(), renewedMs: now }));
    lease.chunks.add(id);
    lease.renewedMs = now;
  }

  /** Owner of a pending chunk, if it is pending. */
  owner(id: number): string | undefined {
    return this.chunks.get(id)?.writeId;
  }

  /** Renews a write's lease; false if the write holds no pending chunk (all committed, or unknown). */
  renew(writeId: string, now: number): boolean {
    const lease = this.#writes.get(writeId);
    if (!lease) return false;
    lease.renewedMs = now;
    return true;
  }

  isRetired(id: number): boolean {
    return this.#retired.has(id);
  }

  /** Refuses a commit naming a retired chunk or an old lease of a pending one. */
  checkCommit(extents: Array<{ chunkId: number; version: number }>): void {
    for (const e of extents) {
      if (e.chunkId === 0) continue;
      if (this.#retired.has(e.chunkId)) throw new GodfsError('conflict', `chunk ${e.chunkId}: its allocation expired or was abandoned; write again`);
      const p = this.chunks.get(e.chunkId);
      if (p && p.version !== e.version) throw new GodfsError('conflict', `chunk ${e.chunkId}: version ${e.version} is not the current lease (${p.version})`);
    }
  }

  /** The chunks are in the chunk map now: no longer pending. */
  committed(ids: Iterable<number>): void {
    for (const id of ids) {
      const p = this.chunks.get(id);
      if (!p) continue;
      this.chunks.delete(id);
      const lease = this.#writes.get(p.writeId);
      lease?.chunks.delete(id);
      if (lease && lease.chunks.size === 0) this.#writes.delete(p.writeId);
    }
  }

  /** Forgets a failed write's chunks; returns them with the nodes they may have reached. */
  abandon(writeId: string, ids: Iterable<number>): Array<[number, PendingChunk]> {
    const out: Array<[number, PendingChunk]> = [];
    const all = new Set(ids);
    for (const id of this.#writes.get(writeId)?.chunks ?? []) all.add(id);
    for (const id of all) {
      const p = this.chunks.get(id);
      // Only the write that owns a chunk may abandon it.
      if (!p || (writeId && p.writeId !== writeId)) continue;
      out.push([id, p]);
      this.#retire(id);
    }
    return out;
  }

  /** Expires writes whose lease was not renewed within `graceMs`; returns their chunks. */
  expire(now: number, graceMs: number): Array<[number, PendingChunk]> {
    const out: Array<[number, PendingChunk]> = [];
    for (const [writeId, lease] of this.#writes) {
      if (now - lease.renewedMs < graceMs) continue;
      for (const id of lease.chunks) {
        const p = this.chunks.get(id);
        if (p) out.push([id, p]);
        this.#retire(id);
      }
      this.#writes.delete(writeId);
    }
    return out;
  }

  #retire(id: number): void {
    const p = this.chunks.get(id);
    this.chunks.delete(id);
    if (p) {
      const lease = this.#writes.get(p.writeId);
      lease?.chunks.delete(id);
      if (lease && lease.chunks.size === 0) this.#writes.delete(p.writeId);
    }
    this.#retired.add(id);
    if (this.#retired.size > RETIRED_MAX) this.#retired.delete(this.#retired.values().next().value!);
  }
}
