// Sequential read-ahead for one open file. The kernel asks for ≤128 KiB at a time; fetching each
// piece with its own readRange would pay a master Locate and an HTTP request per 128 KiB. Once reads
// look sequential, the file is fetched in aligned windows of `windowSize` bytes, a few windows ahead,
// and kernel reads are served from memory. Random reads bypass it. Windows are charged to the shared
// memory budget and dropped as the reader moves past them.
import type { MemoryBudget } from './memory-budget.js';

interface Window {
  reserved: number;
  data: Promise<Buffer>;
}

export type RangeFetcher = (offset: number, length: number) => Promise<Buffer>;

export class ReadAhead {
  readonly windowSize: number;
  readonly depth: number;
  #fetch: RangeFetcher;
  #budget: MemoryBudget;
  #windows = new Map<number, Window>();
  #lastEnd = -1;
  /** Window index past the end of file, once a short window showed where EOF is. */
  #eofIndex = Infinity;

  constructor(fetch: RangeFetcher, budget: MemoryBudget, windowSize: number, depth: number) {
    this.#fetch = fetch;
    this.#budget = budget;
    this.windowSize = windowSize;
    this.depth = depth;
  }

  #sequential(off: number): boolean {
    if (this.#windows.has(Math.floor(off / this.windowSize))) return true;
    if (this.#lastEnd < 0) return off === 0;
    // The kernel's own read-ahead sends several reads at once; small reorderings still count.
    return Math.abs(off - this.#lastEnd) <= 2 * this.windowSize;
  }

  #ensure(k: number): Window | undefined {
    const have = this.#windows.get(k);
    if (have) return have;
    if (k >= this.#eofIndex) return undefined;
    const reserved = this.windowSize;
    if (!this.#budget.tryAcquireRead(reserved)) return undefined;
    const w: Window = {
      reserved,
      data: this.#fetch(k * this.windowSize, this.windowSize).then((buf) => {
        if (buf.length < this.windowSize) this.#eofIndex = Math.min(this.#eofIndex, k + 1);
        return buf;
      }),
    };
    // A failed window is forgotten so the next read fetches it again (or reports the error).
    w.data.catch(() => {
      if (this.#windows.get(k) === w) this.#drop(k);
    });
    this.#windows.set(k, w);
    return w;
  }

  #drop(k: number): void {
    const w = this.#windows.get(k);
    if (!w) return;
    this.#windows.delete(k);
    this.#budget.releaseRead(w.reserved);
  }

  /**
   * Bytes [off, off+len) (shorter at end of file), or undefined when this read should go straight to
   * the cluster (not sequential, or no memory for a window).
   */
  async read(off: number, len: number): Promise<Buffer | undefined> {
    if (!this.#sequential(off)) {
      this.#lastEnd = off + len;
      return undefined;
    }
    const W = this.windowSize;
    const k0 = Math.floor(off / W);
    const k1 = Math.floor((off + len - 1) / W);
    for (const k of [...this.#windows.keys()]) if (k < k0 - 1) this.#drop(k);
    const needed: Window[] = [];
    for (let k = k0; k <= k1; k++) {
      if (k >= this.#eofIndex) break;
      const w = this.#ensure(k);
      if (!w) return undefined;
      needed.push(w);
    }
    for (let k = k1 + 1; k <= k1 + this.depth; k++) if (!this.#ensure(k)) break;
    this.#lastEnd = off + len;
    if (needed.length === 0) return Buffer.alloc(0);
    const bufs = await Promise.all(needed.map((w) => w.data));
    if (bufs.length === 1) {
      const b = bufs[0]!;
      const s = off - k0 * W;
      return b.subarray(Math.min(s, b.length), Math.min(s + len, b.length));
    }
    const out: Buffer[] = [];
    let pos = off;
    const end = off + len;
    for (let i = 0; i < bufs.length && pos < end; i++) {
      const b = bufs[i]!;
      const base = (k0 + i) * W;
      const s = pos - base;
      if (s >= b.length) break;
      const piece = b.subarray(s, Math.min(b.length, end - base));
      out.push(piece);
      pos += piece.length;
      if (b.length < W) break;
    }
    return Buffer.concat(out);
  }

  /** Forgets everything (the file changed under this handle, or it closed). */
  reset(): void {
    for (const k of [...this.#windows.keys()]) this.#drop(k);
    this.#lastEnd = -1;
    this.#eofIndex = Infinity;
  }
}
