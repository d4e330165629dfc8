// The master's write-ahead log: records of  u32 length | u32 CRC-32 | JSON payload  (CORRECTNESS.md
// B2.2). Appends are group-committed: every record queued while an fsync runs goes out in the next
// write + fdatasync, and no append resolves before the fsync that covers it. On open, a torn or
// bad-CRC tail is cut off. An fsync error is fatal (fsyncgate): the process must not go on.
import { open, readFile, type FileHandle } from 'node:fs/promises';
import { crc32 } from 'node:zlib';

export interface WalRecord<T> {
  index: number;
  cmd: T;
}

const HEADER = 8;

export function encodeRecord(rec: WalRecord<unknown>): Buffer {
  const payload = Buffer.from(JSON.stringify(rec));
  const buf = Buffer.allocUnsafe(HEADER + payload.length);
  buf.writeUInt32LE(payload.length, 0);
  buf.writeUInt32LE(crc32(payload), 4);
  payload.copy(buf, HEADER);
  return buf;
}

/** Decodes records up to the first torn or corrupt one; `validBytes` is where the good prefix ends. */
export function decodeRecords<T>(buf: Buffer): { records: WalRecord<T>[]; validBytes: number } {
  const records: WalRecord<T>[] = [];
  let off = 0;
  while (off + HEADER <= buf.length) {
    const len = buf.readUInt32LE(off);
    const sum = buf.readUInt32LE(off + 4);
    if (off + HEADER + len > buf.length) break;
    const payload = buf.subarray(off + HEADER, off + HEADER + len);
    if (crc32(payload) !== sum) break;
    let rec: WalRecord<T>;
    try {
      rec = JSON.parse(payload.toString('utf8')) as WalRecord<T>;
    } catch {
      break;
    }
    records.push(rec);
    off += HEADER + len;
  }
  return { records, validBytes: off };
}

export class Wal {
  #fh: FileHandle;
  #queue: Buffer[] = [];
  #waiters: Array<{ resolve: () => void; reject: (e: unknown) => void }> = [];
  #flushing: Promise<void> | undefined;
  #size: number;
  #onFatal: (err: unknown) => void;
  #closed = false;
  #appended = 0;
  #durable = 0;
  #durableWaiters: Array<{ seq: number; resolve: () => void }> = [];

  private constructor(fh: FileHandle, size: number, onFatal: (err: unknown) => void) {
    this.#fh = fh;
    this.#size = size;
    this.#onFatal = onFatal;
  }

  /** Opens (creating) a log file, reads its valid records and truncates any torn tail. */
  static async open<T>(path: string, onFatal: (err: unknown) => void): Promise<{ wal: Wal; records: WalRecord<T>[] }> {
    let buf: Buffer;
    try {
      buf = await readFile(path);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      buf = Buffer.alloc(0);
    }
    const { records, validBytes } = decodeRecords<T>(buf);
    const fh = await open(path, 'a+');
    if (validBytes < buf.length) {
      await fh.truncate(validBytes);
      await fh.sync();
    }
    return { wal: new Wal(fh, validBytes, onFatal), records };
  }

  get size(): number {
    return this.#size;
  }

  /** Queues a record; resolves once it is on disk. */
  append(rec: WalRecord<unknown>): Promise<void> {
    if (this.#closed) return Promise.reject(new Error('wal is closed'));
    const buf = encodeRecord(rec);
    this.#size += buf.length;
    this.#queue.push(buf);
    this.#appended++;
    const p = new Promise<void>((resolve, reject) => this.#waiters.push({ resolve, reject }));
    this.#kick();
    return p;
  }

  /** Resolves when everything appended so far is durable (later appends are not waited for). */
  barrier(): Promise<void> {
    const seq = this.#appended;
    if (this.#durable >= seq) return Promise.resolve();
    return new Promise((resolve) => this.#durableWaiters.push({ seq, resolve }));
  }

  #kick(): void {
    if (this.#flushing) return;
    this.#flushing = this.#flush().finally(() => {
      this.#flushing = undefined;
      if (this.#queue.length) this.#kick();
    });
  }

  async #flush(): Promise<void> {
    const bufs = this.#queue;
    const waiters = this.#waiters;
    this.#queue = [];
    this.#waiters = [];
    try {
      await this.#fh.writev(bufs);
      await this.#fh.datasync();
    } catch (err) {
      for (const w of waiters) w.reject(err);
      // fsyncgate: after a failed fsync the page cache state is unknown; never retry, stop.
      this.#onFatal(err);
      return;
    }
    this.#durable += bufs.length;
    for (const w of waiters) w.resolve();
    if (this.#durableWaiters.length) {
      const still: Array<{ seq: number; resolve: () => void }> = [];
      for (const w of this.#durableWaiters) {
        if (this.#durable >= w.seq) w.resolve();
        else still.push(w);
      }
      this.#durableWaiters = still;
    }
  }

  async close(): Promise<void> {
    while (this.#flushing) await this.#flushing;
    this.#closed = true;
    await this.#fh.close();
  }
}
