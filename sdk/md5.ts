// The MD5 of a write's content: its ETag, which S3 clients (s3cmd, rclone) compare with their own.
// At about 1.3 ms of CPU per MiB it is the largest single cost of a large PUT, more than moving the
// bytes, and it used to run on the gateway's event loop, which then capped a PUT at ~300 MiB/s
// (bench/run.ts). A stream longer than INLINE_MAX is therefore hashed on a worker thread: its bytes
// are copied (about 0.04 ms per MiB) into blocks of shared memory that the thread hashes and hands
// back, so the event loop only copies while the other core hashes. Shorter streams (every small
// object) are hashed inline at the end, as before: a thread hop would cost them more than it saves.
//
// Two measured details. V8 copies into shared memory with relaxed atomics, word by word only when
// source and target are equally aligned and byte by byte otherwise (0.28 vs 0.04 ms per MiB here), so
// each piece is placed at the block offset congruent to its own mod 8, and the block goes to the
// thread with the list of its byte ranges. Plain ArrayBuffers transferred back and forth instead
// would copy at memcpy speed, but every block arriving counts as new external memory and set off
// major GCs in the gateway (about 10% of its CPU in a PUT).
//
// Node's MD5 state cannot move between threads, so a stream starts out held (by reference; a write's
// source buffers are not reused, write-path.ts keeps them for retries too) and is sent to the thread
// only once it outgrows INLINE_MAX. The blocks come from a bounded pool: a stream that outruns the
// thread waits for a block to come back, which is the backpressure.
import { createHash } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import { GodfsError } from '../common/errors.js';

export type ToWorker =
  /** `ranges`: [start, end) pairs of the block, in stream order. */
  | { op: 'update'; id: number; block: SharedArrayBuffer; ranges: number[] }
  | { op: 'digest'; id: number }
  | { op: 'drop'; id: number };
export type ToMain = { op: 'block'; block: SharedArrayBuffer } | { op: 'digest'; id: number; hex: string };

/** Streams up to this many bytes are hashed inline when they end. */
export const INLINE_MAX = 1024 * 1024;
const BLOCK = 256 * 1024;
/**
 * At most this many blocks (4 MiB) per process, shared by every stream: enough that the event loop
 * does not wait on the thread in a PUT at 400 MiB/s, few enough not to show in the gateway's RSS.
 */
const MAX_BLOCKS = 16;
/**
 * The thread holds a hash object per stream and a message at a time: a small V8 heap keeps its share
 * of the process's RSS at the ~10 MiB a Node worker costs (64 MiB blocks and V8's default young
 * generation put the gateway's peak RSS in the benchmark at 213 MiB, against 172–183 inline).
 */
const WORKER_LIMITS = { maxYoungGenerationSizeMb: 1, maxOldGenerationSizeMb: 32 };

/**
 * A thread with no stream open and nothing in flight exits after `idleMs`, giving back its memory and
 * its blocks; the next large write starts a new one (about 20 ms, overlapped with the first MiB).
 * Exported for tests.
 */
export const md5Thread = { idleMs: 5_000 };

/** Whether the process has an MD5 thread now (tests). */
export function md5ThreadRunning(): boolean {
  return thread !== undefined;
}

interface Waiter<T> {
  resolve(v: T): void;
  reject(e: Error): void;
}

/** The process's hashing thread and its pool of blocks. */
class HashThread {
  readonly #worker: Worker;
  #failed: Error | undefined;
  readonly #free: SharedArrayBuffer[] = [];
  #blocks = 0;
  readonly #waiting: Array<Waiter<SharedArrayBuffer>> = [];
  readonly #digests = new Map<number, Waiter<string>>();
  #nextId = 1;
  /** Blocks at the thread plus digests asked for: the thread keeps the process alive while > 0. */
  #busy = 0;
  /** Streams begun and not yet digested or dropped. */
  #open = 0;
  #idleTimer: NodeJS.Timeout | undefined;

  constructor() {
    this.#worker = new Worker(new URL('./md5-worker.js', import.meta.url), { resourceLimits: WORKER_LIMITS });
    this.#worker.unref();
    this.#worker.on('message', (m: ToMain) => {
      if (m.op === 'block') {
        this.#idle();
        this.release(m.block);
      } else {
        const w = this.#digests.get(m.id);
        this.#digests.delete(m.id);
        this.#open--;
        this.#idle();
        w?.resolve(m.hex);
      }
    });
    this.#worker.on('error', (err) => this.#fail(err));
    this.#worker.on('exit', (code) => this.#fail(new Error(`the MD5 thread exited (code ${code})`)));
  }

  /** A new stream: its id at the thread. */
  newId(): number {
    this.#open++;
    clearTimeout(this.#idleTimer);
    this.#idleTimer = undefined;
    return this.#nextId++;
  }

  /** A free block, or a promise of the next one handed back. */
  acquire(): SharedArrayBuffer | Promise<SharedArrayBuffer> {
    if (this.#failed) return Promise.reject(this.#error());
    const b = this.#free.pop();
    if (b) return b;
    if (this.#blocks < MAX_BLOCKS) {
      this.#blocks++;
      return new SharedArrayBuffer(BLOCK);
    }
    return new Promise((resolve, reject) => this.#waiting.push({ resolve, reject }));
  }

  release(block: SharedArrayBuffer): void {
    const w = this.#waiting.shift();
    if (w) w.resolve(block);
    else this.#free.push(block);
  }

  update(id: number, block: SharedArrayBuffer, ranges: number[]): void {
    this.#post({ op: 'update', id, block, ranges });
  }

  digest(id: number): Promise<string> {
    if (this.#failed) return Promise.reject(this.#error());
    return new Promise((resolve, reject) => {
      this.#digests.set(id, { resolve, reject });
      this.#post({ op: 'digest', id });
    });
  }

  drop(id: number): void {
    if (this.#failed) return;
    this.#open--;
    this.#worker.postMessage({ op: 'drop', id } satisfies ToWorker);
    this.#checkIdle();
  }

  #post(m: ToWorker): void {
    if (this.#failed) return;
    if (this.#busy++ === 0) this.#worker.ref();
    this.#worker.postMessage(m);
  }

  #idle(): void {
    if (--this.#busy === 0) this.#worker.unref();
    this.#checkIdle();
  }

  #checkIdle(): void {
    if (this.#open > 0 || this.#busy > 0 || this.#idleTimer || this.#failed) return;
    this.#idleTimer = setTimeout(() => {
      this.#idleTimer = undefined;
      if (this.#open > 0 || this.#busy > 0 || this.#failed) return;
      // Not a failure: nothing is pending, and the next stream gets a new thread.
      this.#failed = new Error('the MD5 thread was idle and stopped');
      if (thread === this) thread = undefined;
      void this.#worker.terminate();
    }, md5Thread.idleMs);
    this.#idleTimer.unref();
  }

  #error(): GodfsError {
    return new GodfsError('unavailable', `MD5 thread failed: ${this.#failed?.message}`, { cause: this.#failed });
  }

  #fail(err: Error): void {
    if (this.#failed) return;
    this.#failed = err;
    clearTimeout(this.#idleTimer);
    if (thread === this) thread = undefined;
    const e = this.#error();
    for (const w of this.#waiting.splice(0)) w.reject(e);
    for (const w of this.#digests.values()) w.reject(e);
    this.#digests.clear();
    void this.#worker.terminate();
  }
}

let thread: HashThread | undefined;

function hashThread(): HashThread {
  return (thread ??= new HashThread());
}

/** The MD5 of one stream, fed in order; `update` may return a promise, to be awaited before the next. */
export class StreamMd5 {
  /** The first bytes, held until the stream ends (inline) or outgrows INLINE_MAX (thread). */
  #held: Uint8Array[] | undefined = [];
  #heldBytes = 0;
  #thread: HashThread | undefined;
  #id = 0;
  #block: Uint8Array | undefined;
  #fill = 0;
  #ranges: number[] = [];
  #done = false;

  update(b: Uint8Array): void | Promise<void> {
    if (this.#done) throw new Error('StreamMd5: update after digest or dispose');
    if (!this.#held) return this.#copy(b, 0);
    this.#held.push(b);
    this.#heldBytes += b.length;
    if (this.#heldBytes <= INLINE_MAX) return;
    const held = this.#held;
    this.#held = undefined;
    this.#thread = hashThread();
    this.#id = this.#thread.newId();
    return this.#copyAll(held);
  }

  /** The hex digest; the stream is finished. */
  async digest(): Promise<string> {
    this.#done = true;
    if (this.#held) {
      const h = createHash('md5');
      for (const b of this.#held) h.update(b);
      this.#held = undefined;
      return h.digest('hex');
    }
    const t = this.#thread!;
    if (this.#fill) this.#send();
    this.#thread = undefined; // digested: a later dispose() has nothing to drop
    return t.digest(this.#id);
  }

  /** Forgets the stream (a failed write); safe to call at any time, more than once. */
  dispose(): void {
    this.#done = true;
    this.#held = undefined;
    const t = this.#thread;
    if (!t) return;
    this.#thread = undefined;
    if (this.#block) t.release(this.#block.buffer as SharedArrayBuffer);
    this.#block = undefined;
    t.drop(this.#id);
  }

  async #copyAll(list: Uint8Array[]): Promise<void> {
    for (const b of list) await this.#copy(b, 0);
  }

  #copy(b: Uint8Array, from: number): void | Promise<void> {
    let at = from;
    while (at < b.length) {
      if (!this.#block) {
        const t = this.#thread;
        if (!t) throw new GodfsError('unavailable', 'MD5 stream was disposed');
        const got = t.acquire();
        if (got instanceof Promise) {
          const resume = at;
          return got.then((blk) => {
            if (this.#thread !== t) {
              // Disposed while it waited: the block goes straight back.
              t.release(blk);
              throw new GodfsError('unavailable', 'MD5 stream was disposed');
            }
            this.#take(blk);
            return this.#copy(b, resume);
          });
        }
        this.#take(got);
      }
      // The offset congruent to the piece's own mod 8 (see the top of this file).
      const pos = this.#fill + ((((b.byteOffset + at) & 7) - (this.#fill & 7) + 8) & 7);
      if (pos >= BLOCK) {
        this.#send();
        continue;
      }
      const n = Math.min(BLOCK - pos, b.length - at);
      this.#block!.set(b.subarray(at, at + n), pos);
      const r = this.#ranges;
      if (r.length && r[r.length - 1] === pos) r[r.length - 1] = pos + n;
      else r.push(pos, pos + n);
      this.#fill = pos + n;
      at += n;
      if (this.#fill === BLOCK) this.#send();
    }
  }

  #take(block: SharedArrayBuffer): void {
    this.#block = new Uint8Array(block);
    this.#fill = 0;
    this.#ranges = [];
  }

  #send(): void {
    this.#thread!.update(this.#id, this.#block!.buffer as SharedArrayBuffer, this.#ranges);
    this.#block = undefined;
    this.#fill = 0;
    this.#ranges = [];
  }
}
