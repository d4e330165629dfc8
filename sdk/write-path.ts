// The sdk's write path: a source of any size is cut into chunks as it arrives; each chunk is streamed
// to its primary, which pipelines it down the replica chain (GFS §3.2). Each chunk's bytes stay in
// memory until every replica has fsynced it, so a failed attempt (a replica died, a network error, a
// full disk) is retried on a fresh replica set without the failed node: the master re-leases the same
// chunk id at version+1 (GFS §4.5), and chunkservers refuse the older version from then on. Memory is
// bounded: chunks are cut at min(the master's chunk size, writeUnitBytes), and at most two are held at
// once (one streaming, one awaiting its fsyncs). Nothing is visible until the caller commits; a write
// that fails tells the master to forget its chunks at once (AbandonChunks). From its first allocation
// until its commit, a write renews its lease on a timer (RenewWrite), so a slow source, a slow replica
// or a busy machine never lets the master expire chunks that a live writer is still streaming.
import { randomUUID } from 'node:crypto';
import { GodfsError, TooLargeError, type ErrorCode } from '../common/errors.js';
import type { AllocateRequest } from '../proto/generated/godfs/master/v1/AllocateRequest.js';
import type { AllocateResponse__Output } from '../proto/generated/godfs/master/v1/AllocateResponse.js';
import type { PendingLease } from '../proto/generated/godfs/master/v1/PendingLease.js';
import type { WritePrecheck } from '../proto/generated/godfs/master/v1/WritePrecheck.js';
import { ChunkUpload, failedNodeIdOf, type ChunkWriteResult } from './chunk-io.js';
import { StreamMd5 } from './md5.js';
import type { WriteSource } from './types.js';

export const DEFAULT_WRITE_UNIT = 8 * 2 ** 20;
export const DEFAULT_WRITE_ATTEMPTS = 4;
/** A node that failed a write is avoided (when others have room) for this long. */
const SUSPECT_MS = 10_000;

/** Failures that a new replica set cannot fix. */
const FINAL: ReadonlySet<ErrorCode> = new Set(['unauthenticated', 'permission_denied', 'invalid_argument', 'invalid_path', 'too_large']);

export interface WritePathDeps {
  allocate(req: AllocateRequest): Promise<AllocateResponse__Output>;
  abandon(writeId: string, chunkIds: number[]): Promise<void>;
  /** Renews the write's lease on every chunk it holds; the answer names the lease's length. */
  renew(writeId: string, chunks: PendingLease[]): Promise<{ lease_ms: number }>;
  apiKey: string | undefined;
  writeUnitBytes: number;
  maxAttempts: number;
  dataTimeoutMs: number;
  suspects: SuspectNodes;
}

export interface StreamOptions {
  maxBytes?: number;
  replication?: number;
  signal?: AbortSignal;
  onProgress?: (n: number) => void;
  /** Hash the content for an ETag (default true); writeAt has no use for a partial MD5. */
  md5?: boolean;
  /** The commit to check at the first allocation (AllocateRequest.precheck). */
  precheck?: WritePrecheck;
  /** Bytes the source is expected to yield (WriteOptions.sizeHint). */
  sizeHint?: number;
}

export interface StreamedChunks {
  extents: ChunkWriteResult[];
  size: number;
  md5: string;
  /** Groups the write's chunks at the master: abandon them all with it. */
  writeId: string;
  chunkIds: number[];
  /** Allocated ahead for bytes that never came: to abandon once the write has committed. */
  spareChunkIds: number[];
  /** Keeps the write's lease alive until the caller has committed (or abandoned) it: stop it then. */
  lease: LeaseKeeper;
}

/** Used when a master does not say how long its leases last. */
const DEFAULT_LEASE_MS = 60_000;

/**
 * Renews a write's lease while it is alive: every chunk granted to it (retries and allocations made
 * ahead included), at a quarter of the lease's length, so three renewals in a row may be lost or late
 * before the master would expire it. A renewal the master refuses (the lease is gone: expired or
 * abandoned) fails the write at its next step instead of at its commit.
 */
export class LeaseKeeper {
  readonly #d: WritePathDeps;
  readonly #writeId: string;
  readonly #chunks = new Map<number, { version: number; nodes: Set<string> }>();
  #timer: NodeJS.Timeout | undefined;
  #renewing: Promise<void> | undefined;
  #failure: GodfsError | undefined;
  #stopped = false;

  constructor(d: WritePathDeps, writeId: string) {
    this.#d = d;
    this.#writeId = writeId;
  }

  /** Records an allocation of this write; the first one starts the renewals. */
  granted(a: AllocateResponse__Output): void {
    const prev = this.#chunks.get(a.chunk_id);
    const nodes = new Set([...(prev?.nodes ?? []), ...a.replicas.map((r) => r.id)]);
    this.#chunks.set(a.chunk_id, { version: Math.max(prev?.version ?? 0, a.version), nodes });
    if (this.#timer || this.#stopped) return;
    const every = Math.max(20, Math.floor((a.lease_ms || DEFAULT_LEASE_MS) / 4));
    this.#timer = setInterval(() => void this.renew(), every);
    this.#timer.unref();
  }

  /** One renewal (a tick of the timer); a renewal still on its way is not doubled. */
  renew(): Promise<void> {
    if (this.#stopped || this.#failure || this.#chunks.size === 0) return Promise.resolve();
    this.#renewing ??= this.#d
      .renew(this.#writeId, [...this.#chunks].map(([id, c]) => ({ chunk_id: id, version: c.version, node_ids: [...c.nodes] })))
      .then(
        () => undefined,
        (err: unknown) => {
          const e = asGodfs(err);
          // The master unreachable for a moment: the next tick tries again, well within the lease.
          if (e.code !== 'unavailable') this.#failure = e;
        },
      )
      .finally(() => (this.#renewing = undefined));
    return this.#renewing;
  }

  /** Throws if the master refused to renew the lease. */
  check(): void {
    if (this.#failure) throw this.#failure;
  }

  /** After the commit (or the abandon): no more renewals. */
  stop(): void {
    this.#stopped = true;
    clearInterval(this.#timer);
    this.#timer = undefined;
  }
}

/** Nodes this client saw fail recently: avoided by new allocations while others have room. */
export class SuspectNodes {
  #until = new Map<string, number>();
  add(id: string): void {
    this.#until.set(id, Date.now() + SUSPECT_MS);
  }
  list(): string[] {
    const now = Date.now();
    for (const [id, t] of this.#until) if (t <= now) this.#until.delete(id);
    return [...this.#until.keys()];
  }
}

async function* iterate(source: WriteSource): AsyncGenerator<Uint8Array> {
  if (typeof source === 'string') yield Buffer.from(source);
  else if (source instanceof Uint8Array) yield source;
  else for await (const c of source as AsyncIterable<Uint8Array | string>) yield typeof c === 'string' ? Buffer.from(c) : c;
}

function asGodfs(err: unknown): GodfsError {
  return err instanceof GodfsError ? err : new GodfsError('unavailable', (err as Error)?.message ?? String(err), { cause: err });
}

/** One chunk of a write: its bytes, and the attempts at storing them on a full replica set. */
class ChunkInFlight {
  readonly id: number;
  readonly unit: number;
  version: number;
  len = 0;
  #pieces: Buffer[] = [];
  #upload: ChunkUpload | undefined;
  #attempts = 1;
  #excluded = new Set<string>();
  #lastErr: GodfsError | undefined;
  #aborted = false;
  #d: WritePathDeps;
  #writeId: string;
  #replication: number;

  constructor(d: WritePathDeps, writeId: string, replication: number, a: AllocateResponse__Output) {
    this.#d = d;
    this.#writeId = writeId;
    this.#replication = replication;
    this.id = a.chunk_id;
    this.version = a.version;
    this.unit = Math.max(1, Math.min(a.max_chunk_size || d.writeUnitBytes, d.writeUnitBytes));
    this.#upload = new ChunkUpload({ chunkId: a.chunk_id, version: a.version, replicas: a.replicas }, d.apiKey, { idleTimeoutMs: d.dataTimeoutMs });
  }

  /** Keeps the bytes and streams them to the current attempt (if it is still going). */
  async append(piece: Uint8Array): Promise<void> {
    const buf = Buffer.isBuffer(piece) ? piece : Buffer.from(piece.buffer, piece.byteOffset, piece.length);
    this.#pieces.push(buf);
    this.len += buf.length;
    const u = this.#upload;
    if (!u) return;
    try {
      await u.write(buf);
    } catch (err) {
      // Keep collecting this chunk's bytes; complete() retries them elsewhere.
      this.#upload = undefined;
      this.#failed(u, err);
    }
  }

  /** Resolves once a full replica set has fsynced the chunk; retries on fresh replica sets. */
  async complete(): Promise<ChunkWriteResult> {
    const first = this.#upload;
    if (first) {
      try {
        return this.#done(await first.finish());
      } catch (err) {
        this.#failed(first, err);
      } finally {
        this.#upload = undefined;
      }
    }
    for (;;) {
      if (this.#aborted) throw new GodfsError('unavailable', 'write aborted');
      if (this.#attempts >= this.#d.maxAttempts) {
        const e = this.#lastErr ?? new GodfsError('unavailable', `chunk ${this.id} could not be stored`);
        throw new GodfsError(e.code, `chunk ${this.id}: ${this.#attempts} attempts failed; last: ${e.message}`, { cause: e });
      }
      this.#attempts++;
      await new Promise((r) => setTimeout(r, 50 * this.#attempts));
      const a = await this.#d.allocate({
        replication: this.#replication, size_hint: this.len, retry_chunk_id: this.id, retry_version: this.version,
        exclude_nodes: [...this.#excluded], avoid_nodes: this.#d.suspects.list(), write_id: this.#writeId,
      });
      this.version = a.version;
      const u = new ChunkUpload({ chunkId: this.id, version: a.version, replicas: a.replicas }, this.#d.apiKey, { size: this.len, idleTimeoutMs: this.#d.dataTimeoutMs });
      this.#upload = u;
      try {
        for (const p of this.#pieces) await u.write(p);
        return this.#done(await u.finish());
      } catch (err) {
        this.#failed(u, err);
      } finally {
        this.#upload = undefined;
      }
    }
  }

  #done(r: ChunkWriteResult): ChunkWriteResult {
    if (r.size !== this.len) throw new GodfsError('unavailable', `chunk ${this.id}: ${r.size} bytes stored, ${this.len} sent`);
    this.#pieces = []; // durable on every replica: the memory can go
    return r;
  }

  #failed(u: ChunkUpload, err: unknown): void {
    u.abort();
    const e = asGodfs(err);
    if (this.#aborted || FINAL.has(e.code)) throw e;
    const blamed = failedNodeIdOf(e);
    if (blamed) {
      this.#excluded.add(blamed);
      this.#d.suspects.add(blamed);
    }
    this.#lastErr = e;
  }

  abort(): void {
    this.#aborted = true;
    this.#upload?.abort();
    this.#upload = undefined;
    this.#pieces = [];
  }
}

/** Streams a source into new chunks; returns what was written (nothing is committed here). */
export async function streamChunks(d: WritePathDeps, source: WriteSource, o: StreamOptions): Promise<StreamedChunks> {
  const writeId = randomUUID();
  const lease = new LeaseKeeper(d, writeId);
  // Every allocation of this write (retries of a chunk included) is recorded for the renewals.
  const base = d.allocate;
  d = { ...d, allocate: (req) => base(req).then((a) => (lease.granted(a), a)) };
  const replication = o.replication ?? 0;
  const md5 = o.md5 === false ? undefined : new StreamMd5();
  const results: ChunkWriteResult[] = [];
  const ids: number[] = [];
  const live = new Set<ChunkInFlight>();
  let cur: ChunkInFlight | undefined;
  let finishing: Promise<void> | undefined;
  // The next chunk's allocation, asked for while the current chunk streams, so the source is not
  // held up by a master round trip at every chunk boundary.
  let ahead: Promise<AllocateResponse__Output> | undefined;
  let size = 0;
  // Only the write's first allocation carries the precheck (an allocation ahead comes after it).
  const allocate = () =>
    d.allocate({
      replication, size_hint: 0, retry_chunk_id: 0, retry_version: 0, exclude_nodes: [], avoid_nodes: d.suspects.list(), write_id: writeId,
      ...(ids.length === 0 && o.precheck ? { precheck: o.precheck } : {}),
    });
  const seal = async (c: ChunkInFlight) => {
    const prev = finishing;
    const at = results.length;
    results.push(undefined as unknown as ChunkWriteResult);
    finishing = c.complete().then((r) => {
      results[at] = r;
      live.delete(c);
    });
    finishing.catch(() => undefined);
    // The next chunk streams only once the one before this has all its fsyncs: at most two chunks
    // (this one finishing, the next streaming) are held in memory.
    await prev;
  };
  try {
    for await (let buf of iterate(source)) {
      if (o.signal?.aborted) throw o.signal.reason ?? new GodfsError('unavailable', 'write aborted');
      lease.check();
      if (o.maxBytes !== undefined && size + buf.length > o.maxBytes) throw new TooLargeError(`the body is larger than ${o.maxBytes} bytes`);
      const hashing = md5?.update(buf);
      if (hashing) await hashing;
      size += buf.length;
      while (buf.length) {
        if (!cur) {
          const a = await (ahead ?? allocate());
          ahead = undefined;
          cur = new ChunkInFlight(d, writeId, replication, a);
          live.add(cur);
          ids.push(cur.id);
        }
        const room = cur.unit - cur.len;
        const piece = buf.length <= room ? buf : buf.subarray(0, room);
        await cur.append(piece);
        buf = buf.subarray(piece.length);
        if (!ahead && moreExpected(o.sizeHint, size - buf.length, cur)) {
          ahead = allocate();
          ahead.catch(() => undefined); // awaited when the chunk is needed, or at the end
        }
        if (cur.len === cur.unit) {
          const c = cur;
          cur = undefined;
          await seal(c);
        }
      }
      o.onProgress?.(size);
    }
    if (o.signal?.aborted) throw o.signal.reason ?? new GodfsError('unavailable', 'write aborted');
    if (cur) {
      const c = cur;
      cur = undefined;
      await seal(c);
    }
    await finishing;
    lease.check();
    // An allocation made ahead that was never needed: abandoned after the commit. If it failed, there
    // is nothing to abandon, and the write, which never needed it, stands.
    const spare = ahead ? await ahead.then((a) => [a.chunk_id], () => []) : [];
    return { extents: results, size, md5: md5 ? await md5.digest() : '', writeId, chunkIds: ids, spareChunkIds: spare, lease };
  } catch (err) {
    lease.stop();
    md5?.dispose();
    for (const c of live) c.abort();
    cur?.abort();
    // The write's lease names every chunk it was granted, an allocation made ahead included.
    await ahead?.catch(() => undefined);
    await d.abandon(writeId, ids).catch(() => undefined);
    throw err;
  }
}

/**
 * Whether to allocate the chunk after `cur` now. With a size hint: once bytes beyond `cur` are still
 * to come. Without one: once `cur` is half full, so a stream that ends early wastes nothing and one
 * that goes on finds its next chunk ready.
 */
function moreExpected(sizeHint: number | undefined, consumed: number, cur: ChunkInFlight): boolean {
  const room = cur.unit - cur.len;
  if (sizeHint !== undefined) return sizeHint > consumed + room;
  return cur.len * 2 >= cur.unit;
}
