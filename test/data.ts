// Deterministic test data of any size, generated as a stream (never held whole in memory), and
// hashing helpers to compare what went in with what came out.
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';

const BLOCK = 1 << 20;

/** A 1 MiB block derived from (seed, block index): cheap, deterministic, not compressible. */
function block(seed: number, index: number): Buffer {
  const out = Buffer.allocUnsafe(BLOCK);
  let x = (seed * 0x9e3779b1 + index * 0x85ebca6b + 1) >>> 0;
  for (let i = 0; i < BLOCK; i += 4) {
    // xorshift32
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    out.writeUInt32LE(x, i);
  }
  return out;
}

/** Bytes [0, size) of the pattern for `seed`, as a stream of ≤1 MiB buffers. */
export function patternStream(size: number, seed = 1): Readable {
  let pos = 0;
  return new Readable({
    highWaterMark: BLOCK,
    read() {
      if (pos >= size) return void this.push(null);
      const n = Math.min(BLOCK, size - pos);
      const b = block(seed, pos / BLOCK);
      pos += n;
      this.push(n === BLOCK ? b : b.subarray(0, n));
    },
  });
}

/** The pattern bytes [from, to) in memory (for small ranges). */
export function patternSlice(seed: number, from: number, to: number): Buffer {
  const parts: Buffer[] = [];
  for (let b = Math.floor(from / BLOCK); b * BLOCK < to; b++) {
    const blk = block(seed, b);
    const s = Math.max(from - b * BLOCK, 0);
    const e = Math.min(to - b * BLOCK, BLOCK);
    parts.push(blk.subarray(s, e));
  }
  return Buffer.concat(parts);
}

export async function sha256Of(stream: AsyncIterable<Uint8Array | string>): Promise<{ hex: string; size: number }> {
  const h = createHash('sha256');
  let size = 0;
  for await (const c of stream) {
    const b = typeof c === 'string' ? Buffer.from(c) : c;
    h.update(b);
    size += b.length;
  }
  return { hex: h.digest('hex'), size };
}

export function patternSha256(size: number, seed = 1): Promise<{ hex: string; size: number }> {
  return sha256Of(patternStream(size, seed));
}

export async function collect(stream: AsyncIterable<Uint8Array | string>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of stream) parts.push(typeof c === 'string' ? Buffer.from(c) : Buffer.from(c));
  return Buffer.concat(parts);
}
