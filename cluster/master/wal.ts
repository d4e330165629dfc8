// The write-ahead log framing shared by the master (MetaStore) and Raft (cluster/raft/storage):
// records of  u32 length | u32 CRC-32 | payload . The master's payload is a JSON
// {index, cmd}; Raft's is its own binary record (appendFrame / openFrames). Appends are group-committed:
// every record queued while an fsync runs goes out in the next write + fdatasync, and no append resolves
// before the fsync that covers it. On open, a torn or bad-CRC tail is cut off. An fsync error is fatal
// (fsyncgate): the process must not go on, and this log never writes again (nothing is retried).
import { open, readFile, type FileHandle } from 'node:fs/promises';
import { crc32 } from 'node:zlib';

export interface WalRecord<T> {
  index: number;
  cmd: T;
}

export interface WalOptions {
  /** Replaces fh.datasync() after each group write (a test hook that counts or fails syncs). */
  datasync?: (fh: FileHandle) => Promise<void>;
}

/** Bytes of the frame header (u32 length, u32 CRC-32 of the payload). */
export const FRAME_HEADER = 8;
const HEADER = FRAME_HEADER;

/** Frames a payload (given whole or in parts, copied once into the frame). */
export function encodeFrame(payload: Uint8Array | readonly Uint8Array[]): Buffer {
  const parts = payload instanceof Uint8Array ? [payload] : payload;
  let len = 0;
  for (const p of parts) len += p.length;
  const buf = Buffer.allocUnsafe(HEADER + len);
  let off = HEADER;
  for (const p of parts) {
    buf.set(p, off);
    off += p.length;
  }
  buf.writeUInt32LE(len, 0);
  buf.writeUInt32LE(crc32(buf.subarray(HEADER)), 4);
  return buf;
}

/**
 * Splits `buf` into frame payloads (views into `buf`) up to the first torn or bad-CRC frame;
 * `validBytes` is where the good prefix ends.
 */
export function decodeFrames(buf: Buffer): { payloads: Buffer[]; validBytes: number } {
  const payloads: Buffer[] = [];
  let off = 0;
  while (off + HEADER <= buf.length) {
    const len = buf.readUInt32LE(off);
    const sum = buf.readUInt32LE(off + 4);
    if (off + HEADER + len > buf.length) break;
    const payload = buf.subarray(off + HEADER, off + HEADER + len);
    if (crc32(payload) !== sum) break;
    payloads.push(payload);
    off += HEADER + len;
  }
  return { payloads, validBytes: off };
}

export function encodeRecord(rec: WalRecord<unknown>): Buffer {
  return encodeFrame(Buffer.from(JSON.stringify(rec)));
}

/** Decodes records up to the first torn or corrupt one; `validBytes` is where the good prefix ends. */
export function decodeRecords<T>(buf: Buffer): { records: WalRecord<T>[]; validBytes: number } {
  const records: WalRecord<T>[] = [];
  let validBytes = 0;
  for (const payload of decodeFrames(buf).payloads) {
    let rec: WalRecord<T>;
    try {
      rec = JSON.parse(payload.toString('utf8')) as WalRecord<T>;
    } catch {
      break;
    }
    records.push(rec);
    validBytes += HEADER + payload.length;
  }
  return { records, validBytes };
}

export class Wal {
  #fh: FileHandle;
  #queue: Buffer[] = [];
  #waiters: Array<{ resolve: () => void; reject: (e: unknown) => void }> = [];
  #flushing: Promise<void> | undefined;
  #size: number;
  #onFatal: (err: unknown) => void;
  #datasync: (fh: FileHandle) => Promise<void>;
  #closed = false;
  /** Set by a failed write or fsync: nothing is written again (fsyncgate: never retry). */
  #failed: { err: unknown } | undefined;
  #appended = 0;
  #durable = 0;
  #durableWaiters: Array<{ seq: number; resolve: () => void }> = [];

  private constructor(fh: FileHandle, size: number, onFatal: (err: unknown) => void, opts: WalOptions) {
    this.#fh = fh;
    this.#size = size;
    this.#onFatal = onFatal;
    this.#datasync = opts.datasync ?? ((f) => f.datasync());
  }

  /** Opens (creating) a log file, reads its valid JSON records and truncates any torn tail. */
  static async open<T>(path: string, onFatal: (err: unknown) => void, opts: WalOptions = {}): Promise<{ wal: Wal; records: WalRecord<T>[] }> {
    const buf = await readOrEmpty(path);
    const { records, validBytes } = decodeRecords<T>(buf);
    return { wal: await Wal.#openAt(path, buf.length, validBytes, onFatal, opts), records };
  }

  /**
   * Opens (creating) a log file of raw frames: returns the payloads of its valid prefix (views into one
   * buffer of the file) and truncates a torn or bad-CRC tail (`cutBytes` says how much was cut).
   */
  static async openFrames(path: string, onFatal: (err: unknown) => void, opts: WalOptions = {}): Promise<{ wal: Wal; payloads: Buffer[]; cutBytes: number }> {
    const buf = await readOrEmpty(path);
    const { payloads, validBytes } = decodeFrames(buf);
    return { wal: await Wal.#openAt(path, buf.length, validBytes, onFatal, opts), payloads, cutBytes: buf.length - validBytes };
  }

  static async #openAt(path: string, length: number, validBytes: number, onFatal: (err: unknown) => void, opts: WalOptions): Promise<Wal> {
    const fh = await open(path, 'a+');
    if (validBytes < length) {
      await fh.truncate(validBytes);
      await fh.sync();
    }
    return new Wal(fh, validBytes, onFatal, opts);
  }

  get size(): number {
    return this.#size;
  }

  /** Queues a record; resolves once it is on disk. */
  append(rec: WalRecord<unknown>): Promise<void> {
    return this.#push(() => encodeRecord(rec));
  }

  /** Queues one frame holding `payload` (whole or in parts); resolves once it is on disk. */
  appendFrame(payload: Uint8Array | readonly Uint8Array[]): Promise<void> {
    return this.#push(() => encodeFrame(payload));
  }

  #push(encode: () => Buffer): Promise<void> {
    if (this.#closed) return Promise.reject(new Error('wal is closed'));
    if (this.#failed) return Promise.reject(this.#failed.err);
    const buf = encode();
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
    if (this.#failed) {
      for (const w of waiters) w.reject(this.#failed.err);
      return;
    }
    try {
      await this.#fh.writev(bufs);
      await this.#datasync(this.#fh);
    } catch (err) {
      this.#failed = { err };
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

  /** Waits for every queued record to be written and synced (or refused), then closes the file. */
  async close(): Promise<void> {
    while (this.#flushing) await this.#flushing;
    this.#closed = true;
    await this.#fh.close();
  }
}

async function readOrEmpty(path: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    return Buffer.alloc(0);
  }
}
