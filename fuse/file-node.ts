// One open file as the mount sees it: its path in godfs, its size including bytes not yet written
// back, and the bounded write-back buffer. Kernel writes land in DirtyRanges; once `flushBytes` are
// dirty they are handed to the cluster as a few large writeAt calls (each writeAt makes new chunk
// extents, so one per kernel write would fragment the file and cost an fsync each). Flushes of one
// file run one after another, in write order, so overlapping writes reach the cluster in the order
// they were made; new writes keep buffering while a flush is in flight. fsync, flush (close) and
// release wait for everything to be written back: data is durable when they return.
import type { Logger } from '../common/log.js';
import type { FileInfo, Godfs } from '../sdk/types.js';
import { DirtyRanges, type Run } from './dirty-ranges.js';
import type { MemoryBudget } from './memory-budget.js';
import type { Retrier } from './retry.js';

export interface NodeContext {
  client: Godfs;
  retrier: Retrier;
  budget: MemoryBudget;
  log: Logger;
  /** Dirty bytes of one file that start a write-back. */
  flushBytes: number;
  /** Called with the file's info after each write-back (to refresh the attribute cache). */
  onWritten(node: FileNode, info: FileInfo): void;
}

function source(parts: Buffer[]): AsyncIterable<Uint8Array> {
  return (async function* () {
    yield* parts;
  })();
}

export class FileNode {
  path: string;
  readonly id: number;
  /** Open handles on this node. */
  refs = 0;
  /** Size as this mount sees it: the cluster's, extended by dirty bytes, cut by truncates. */
  size: number;
  /** Modification time of the newest local write (reported while bytes are still buffered). */
  mtimeMs: number;
  /** Bumped by every local change of content: read-ahead windows older than this are stale. */
  gen = 0;
  #dirty = new DirtyRanges();
  #chain: Promise<void> = Promise.resolve();
  #inFlight = 0;
  #error: unknown;
  #ctx: NodeContext;

  constructor(ctx: NodeContext, path: string, info: FileInfo) {
    this.#ctx = ctx;
    this.path = path;
    this.id = info.id;
    this.size = info.size;
    this.mtimeMs = info.mtimeMs;
  }

  /** True while bytes are buffered or being written back (the cluster's size may lag ours). */
  get busy(): boolean {
    return !this.#dirty.empty || this.#inFlight > 0;
  }

  get dirtyBytes(): number {
    return this.#dirty.bytes;
  }

  /** Refreshes the size from the cluster's view when nothing local is pending. */
  observe(info: FileInfo): void {
    if (!this.busy) {
      if (info.size !== this.size || info.mtimeMs !== this.mtimeMs) this.gen++;
      this.size = info.size;
      this.mtimeMs = info.mtimeMs;
    }
  }

  async write(off: number, data: Buffer): Promise<void> {
    this.#throwPending();
    await this.#ctx.budget.acquire(data.length);
    const replaced = this.#dirty.add(off, data);
    if (replaced) this.#ctx.budget.release(replaced);
    this.size = Math.max(this.size, off + data.length);
    this.mtimeMs = Date.now();
    this.gen++;
    if (this.#dirty.bytes >= this.#ctx.flushBytes) void this.startFlush();
  }

  /** Starts writing back everything dirty now; resolves when that (and all before it) is written. */
  startFlush(): Promise<void> {
    const runs = this.#dirty.take();
    if (runs.length === 0) return this.#chain;
    const bytes = runs.reduce((s, r) => s + r.length, 0);
    this.#inFlight += bytes;
    const job = this.#chain.then(() => this.#writeRuns(runs));
    this.#chain = job
      .catch((err: unknown) => {
        // Kept until the next fsync/flush/write reports it, like a deferred write error on NFS.
        this.#error ??= err;
        this.#ctx.log.error({ path: this.path, bytes, err: (err as Error).message }, 'write-back failed');
      })
      .finally(() => {
        this.#inFlight -= bytes;
        this.#ctx.budget.release(bytes);
      });
    return this.#chain;
  }

  async #writeRuns(runs: Run[]): Promise<void> {
    for (const run of runs) {
      const info = await this.#ctx.retrier.run('writeAt', () => this.#ctx.client.writeAt(this.path, run.off, source(run.parts)));
      this.#ctx.onWritten(this, info);
    }
  }

  /** Writes back everything and reports a write-back error since the last report (then clears it). */
  async flushAll(): Promise<void> {
    await this.startFlush();
    this.#throwPending();
  }

  #throwPending(): void {
    if (this.#error !== undefined) {
      const err = this.#error;
      this.#error = undefined;
      throw err;
    }
  }

  /** truncate/ftruncate/O_TRUNC: dirty bytes past the cut are dropped, the rest written first. */
  async truncate(size: number): Promise<FileInfo> {
    const freed = this.#dirty.truncate(size);
    if (freed) this.#ctx.budget.release(freed);
    await this.flushAll();
    const info = await this.#ctx.retrier.run('truncate', () => this.#ctx.client.truncate(this.path, size));
    this.size = size;
    this.mtimeMs = info.mtimeMs;
    this.gen++;
    return info;
  }
}
