// One chunk being written: bytes go to a private temp file while their block CRCs are computed; the
// chunk becomes visible only through prepare() (footer + fsync) then commit() (rename + directory
// fsync). Until commit() nothing is visible, and abort() leaves nothing behind.
//
// Writes are queued and flushed with pwritev in the background so the disk stays busy while the
// network delivers the next piece; write() resolves once the queue is below HIGH_WATER, which is how
// backpressure reaches the socket without ever holding a whole chunk in memory. A flush starts once
// FLUSH_AT bytes are queued (and at the end): flushing every socket read as it came meant one pwritev
// of ~48 KiB per read, ~21,000 file-system requests per GiB, each with its own main-thread cost.
import { unlink, type FileHandle } from 'node:fs/promises';
import { GodfsError } from '../../common/errors.js';
import { BlockChecksummer, encodeFooter, type ChunkInfo } from '../../common/chunk-format.js';

const HIGH_WATER = 4 * 2 ** 20;
/** Queued bytes that start a flush: pwritev calls of about 1 MiB. Nothing is acknowledged before prepare(). */
const FLUSH_AT = 2 ** 20;
/** Buffers per pwritev call (IOV_MAX is 1024 on Linux). */
const MAX_IOV = 256;

/** What the store lends a writer: space accounting and the final publish step. */
export interface WriterHost {
  maxChunkSize: number;
  /** Accounts n more bytes of temp data against the quota; throws no_space when over. */
  reserve(n: number): void;
  /** Returns n reserved bytes (the write ended either way). */
  release(n: number): void;
  /** Renames the prepared temp file into place, fsyncs the directory and indexes the chunk. */
  publish(w: ChunkWriter, tmpPath: string, fileBytes: number): Promise<void>;
  /** The write is over (committed or aborted): forget it. */
  done(w: ChunkWriter): void;
}

/** Maps a file-system error to the godfs code a client should see. */
export function diskError(err: unknown, what: string): GodfsError {
  if (err instanceof GodfsError) return err;
  const code = (err as NodeJS.ErrnoException)?.code;
  if (code === 'ENOSPC' || code === 'EDQUOT') return new GodfsError('no_space', `${what}: disk full`, { cause: err });
  return new GodfsError('internal', `${what}: ${(err as Error)?.message ?? String(err)}`, { cause: err });
}

type State = 'open' | 'prepared' | 'committed' | 'aborted';

export class ChunkWriter {
  readonly id: number;
  readonly version: number;
  #host: WriterHost;
  #fh: FileHandle | undefined;
  #tmpPath: string;
  #state: State = 'open';
  #size = 0;
  #written = 0;
  #reserved = 0;
  #sums = new BlockChecksummer();
  #queue: Buffer[] = [];
  #queued = 0;
  #flushing: Promise<void> | undefined;
  #error: GodfsError | undefined;
  #waiters: Array<{ resolve: () => void; reject: (e: unknown) => void }> = [];
  #fileBytes = 0;
  #ended!: () => void;
  /** Resolves once the write is over (committed or aborted) and forgotten by the store. */
  readonly ended = new Promise<void>((resolve) => (this.#ended = resolve));

  constructor(host: WriterHost, id: number, version: number, fh: FileHandle, tmpPath: string) {
    this.#host = host;
    this.id = id;
    this.version = version;
    this.#fh = fh;
    this.#tmpPath = tmpPath;
  }

  /** Bytes accepted so far. */
  get size(): number {
    return this.#size;
  }

  get state(): State {
    return this.#state;
  }

  /**
   * Queues bytes. Resolves when the writer can take more (queue below the high-water mark); rejects
   * with too_large past the maximum chunk size, no_space when the disk or quota is full, or the first
   * write error. A rejected writer must be aborted.
   */
  write(data: Uint8Array): Promise<void> {
    try {
      return this.accept(data) ? Promise.resolve() : this.drained();
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /**
   * The synchronous form of write() for hot paths: queues the bytes and returns whether the writer
   * can take more right away (false: wait for drained()). Throws like write() rejects.
   */
  accept(data: Uint8Array): boolean {
    if (this.#error) throw this.#error;
    if (this.#state !== 'open') throw new GodfsError('internal', `chunk ${this.id}: write after ${this.#state}`);
    if (data.length === 0) return true;
    try {
      if (this.#size + data.length > this.#host.maxChunkSize) {
        throw new GodfsError('too_large', `chunk ${this.id} exceeds the maximum chunk size of ${this.#host.maxChunkSize} bytes`);
      }
      this.#host.reserve(data.length);
      this.#reserved += data.length;
    } catch (err) {
      this.#fail(diskError(err, `write chunk ${this.id}`));
      throw this.#error;
    }
    const buf = Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.length);
    this.#sums.update(buf);
    this.#size += buf.length;
    this.#queue.push(buf);
    this.#queued += buf.length;
    if (this.#queued >= FLUSH_AT) this.#flushing ??= this.#flush();
    return this.#queued < HIGH_WATER;
  }

  /** Resolves once the queue is below the high-water mark; rejects on a write error. */
  drained(): Promise<void> {
    if (this.#error) return Promise.reject(this.#error);
    if (this.#queued < HIGH_WATER) return Promise.resolve();
    return new Promise((resolve, reject) => this.#waiters.push({ resolve, reject }));
  }

  async #flush(): Promise<void> {
    try {
      while (this.#queue.length > 0 && !this.#error) {
        const bufs = this.#queue.splice(0, MAX_IOV);
        const n = bufs.reduce((s, b) => s + b.length, 0);
        await writeAll(this.#fh!, bufs, this.#written);
        this.#written += n;
        this.#queued -= n;
        if (this.#queued < HIGH_WATER) this.#wake();
      }
    } catch (err) {
      this.#fail(diskError(err, `write chunk ${this.id}`));
    } finally {
      this.#flushing = undefined;
    }
  }

  #wake(): void {
    for (const w of this.#waiters.splice(0)) w.resolve();
  }

  #fail(err: GodfsError): void {
    this.#error ??= err;
    for (const w of this.#waiters.splice(0)) w.reject(this.#error);
  }

  /**
   * Ends the data: writes the CRC table and trailer, fsyncs and closes the temp file. Nothing is
   * visible yet. An fsync error is final for this write — the page cache may already have dropped the
   * dirty pages, so a retry could "succeed" over lost data (PostgreSQL fsyncgate, 2018) — and the
   * temp file is removed.
   */
  async prepare(): Promise<ChunkInfo> {
    if (this.#state !== 'open') throw new GodfsError('internal', `chunk ${this.id}: prepare after ${this.#state}`);
    try {
      // The tail below FLUSH_AT is still queued.
      if (this.#queue.length > 0) this.#flushing ??= this.#flush();
      while (this.#flushing) await this.#flushing;
      if (this.#error) throw this.#error;
      const footer = encodeFooter(this.version, this.#size, this.#sums.finish());
      await writeAll(this.#fh!, [footer], this.#written);
      this.#fileBytes = this.#written + footer.length;
      await this.#fh!.sync();
      const fh = this.#fh!;
      this.#fh = undefined;
      await fh.close();
      this.#state = 'prepared';
      return this.info();
    } catch (err) {
      const e = diskError(err, `write chunk ${this.id}`);
      await this.abort();
      throw e;
    }
  }

  /** Publishes the prepared chunk (rename + directory fsync). On failure nothing stays visible. */
  async commit(): Promise<ChunkInfo> {
    if (this.#state !== 'prepared') throw new GodfsError('internal', `chunk ${this.id}: commit after ${this.#state}`);
    try {
      await this.#host.publish(this, this.#tmpPath, this.#fileBytes);
      this.#state = 'committed';
      this.#end();
      return this.info();
    } catch (err) {
      const e = diskError(err, `commit chunk ${this.id}`);
      await this.abort();
      throw e;
    }
  }

  /** prepare() then commit(). */
  async finish(): Promise<ChunkInfo> {
    await this.prepare();
    return this.commit();
  }

  /** Drops the write and its temp file. Safe to call at any time, more than once. */
  async abort(): Promise<void> {
    if (this.#state === 'committed' || this.#state === 'aborted') return;
    this.#state = 'aborted';
    this.#fail(new GodfsError('unavailable', `write of chunk ${this.id} was aborted`));
    // Let a pwritev in progress finish before closing its descriptor.
    while (this.#flushing) await this.#flushing;
    this.#queue = [];
    const fh = this.#fh;
    this.#fh = undefined;
    await fh?.close().catch(() => undefined);
    await unlink(this.#tmpPath).catch(() => undefined);
    this.#end();
  }

  #end(): void {
    this.#host.release(this.#reserved);
    this.#reserved = 0;
    this.#host.done(this);
    this.#ended();
  }

  info(): ChunkInfo {
    return { id: this.id, version: this.version, size: this.#size };
  }
}

/** pwritev until every byte is on its way to disk (a regular file may still take a short write). */
async function writeAll(fh: FileHandle, bufs: Buffer[], position: number): Promise<void> {
  let rest = bufs;
  let pos = position;
  while (rest.length > 0) {
    const want = rest.reduce((s, b) => s + b.length, 0);
    const { bytesWritten } = await fh.writev(rest, pos);
    if (bytesWritten === want) return;
    if (bytesWritten === 0) throw Object.assign(new Error('short write'), { code: 'EIO' });
    pos += bytesWritten;
    let skip = bytesWritten;
    const next: Buffer[] = [];
    for (const b of rest) {
      if (skip >= b.length) {
        skip -= b.length;
        continue;
      }
      next.push(skip > 0 ? b.subarray(skip) : b);
      skip = 0;
    }
    rest = next;
  }
}
