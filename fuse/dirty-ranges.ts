// The dirty bytes of one open file: sorted, non-overlapping pieces. Kernel writes arrive as ≤128 KiB
// pieces; they are kept as they came (one copy out of the kernel's buffer) and only glued into
// contiguous runs when flushed, so one writeAt carries megabytes instead of one chunk extent per
// kernel write. A later write over earlier dirty bytes replaces them (last writer wins, as on disk).

export interface Piece {
  off: number;
  buf: Buffer;
}

export interface Run {
  off: number;
  length: number;
  parts: Buffer[];
}

export class DirtyRanges {
  #pieces: Piece[] = [];
  #bytes = 0;

  /** Bytes held. */
  get bytes(): number {
    return this.#bytes;
  }

  get empty(): boolean {
    return this.#pieces.length === 0;
  }

  /** One past the last dirty byte (0 when clean). */
  get end(): number {
    const last = this.#pieces[this.#pieces.length - 1];
    return last ? last.off + last.buf.length : 0;
  }

  /** Adds a write; returns how many previously held bytes it replaced (to give back to the budget). */
  add(off: number, buf: Buffer): number {
    if (buf.length === 0) return 0;
    const end = off + buf.length;
    const ps = this.#pieces;
    const last = ps[ps.length - 1];
    if (!last || off >= last.off + last.buf.length) {
      // The common case: sequential or beyond everything dirty.
      ps.push({ off, buf });
      this.#bytes += buf.length;
      return 0;
    }
    // First piece that ends after `off`.
    let lo = 0;
    let hi = ps.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const p = ps[mid]!;
      if (p.off + p.buf.length <= off) lo = mid + 1;
      else hi = mid;
    }
    // Only the first overlapped piece can leave a head, only the last a tail.
    const around: Piece[] = [];
    let tail: Piece | undefined;
    let i = lo;
    let replaced = 0;
    for (; i < ps.length && ps[i]!.off < end; i++) {
      const p = ps[i]!;
      const pEnd = p.off + p.buf.length;
      if (p.off < off) around.push({ off: p.off, buf: p.buf.subarray(0, off - p.off) });
      if (pEnd > end) tail = { off: end, buf: p.buf.subarray(end - p.off) };
      replaced += Math.min(pEnd, end) - Math.max(p.off, off);
    }
    around.push({ off, buf });
    if (tail) around.push(tail);
    ps.splice(lo, i - lo, ...around);
    this.#bytes += buf.length - replaced;
    return replaced;
  }

  /** True when any dirty byte lies in [off, off+len). */
  overlaps(off: number, len: number): boolean {
    const end = off + len;
    for (const p of this.#pieces) {
      if (p.off >= end) return false;
      if (p.off + p.buf.length > off) return true;
    }
    return false;
  }

  /** Drops dirty bytes at or beyond `size`; returns the bytes freed. */
  truncate(size: number): number {
    let freed = 0;
    const out: Piece[] = [];
    for (const p of this.#pieces) {
      const pEnd = p.off + p.buf.length;
      if (pEnd <= size) out.push(p);
      else if (p.off < size) {
        out.push({ off: p.off, buf: p.buf.subarray(0, size - p.off) });
        freed += pEnd - size;
      } else freed += p.buf.length;
    }
    this.#pieces = out;
    this.#bytes -= freed;
    return freed;
  }

  /** Removes everything and returns it as contiguous runs, in offset order. */
  take(): Run[] {
    const runs: Run[] = [];
    for (const p of this.#pieces) {
      const cur = runs[runs.length - 1];
      if (cur && cur.off + cur.length === p.off) {
        cur.parts.push(p.buf);
        cur.length += p.buf.length;
      } else runs.push({ off: p.off, length: p.buf.length, parts: [p.buf] });
    }
    this.#pieces = [];
    this.#bytes = 0;
    return runs;
  }
}
