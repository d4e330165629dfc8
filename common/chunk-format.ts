// On-disk format of one chunk replica. One file per chunk, so that a single rename(2) publishes data and
// metadata together (no window where a .chunk exists without its checksums, or the reverse):
//
//   <dataDir>/chunks/<xx>/<id>.chunk     xx = the last two hex digits of the id (256-way fan-out keeps
//                                        directories small; the id itself is decimal)
//   [0, size)                            the chunk's bytes, verbatim: file offset == chunk offset
//   [size, size + 4·n)                   CRC-32 of each 64 KiB block, u32 big-endian, n = ceil(size / 64 KiB)
//   last 32 bytes (trailer)              "GODFSCK1" | version u64 | size u64 | n u32 | CRC-32 of the CRC
//                                        table and the 28 trailer bytes before it, u32
//
// GFS §5.2: "a chunk is broken up into 64 KB blocks. Each has a corresponding 32 bit checksum", kept
// apart from the data and verified before any byte of the block is returned. The checksum is CRC-32
// (IEEE, zlib.crc32 from node:zlib; HDFS uses CRC32C — same strength for detecting media errors).
// The footer carries its own CRC so a corrupt footer is told apart from corrupt data at load time.
import { crc32 } from 'node:zlib';
import type { FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { ChecksumMismatchError, GodfsError } from './errors.js';
export { fsyncDir } from './fsync.js';

export const BLOCK_SIZE = 64 * 1024;
export const DEFAULT_MAX_CHUNK_SIZE = 64 * 2 ** 20;
export const TRAILER_SIZE = 32;
/** `<chunks>/NODE`: the id of the node that owns the chunk directory (for short-circuit reads). */
export const NODE_MARKER = 'NODE';
const MAGIC = Buffer.from('GODFSCK1', 'latin1');

export interface ChunkInfo {
  id: number;
  version: number;
  /** Data bytes (not counting the footer). */
  size: number;
}

export function blockCount(size: number): number {
  return Math.ceil(size / BLOCK_SIZE);
}

/** Bytes the chunk file occupies: data, CRC table, trailer. */
export function fileSizeFor(size: number): number {
  return size + 4 * blockCount(size) + TRAILER_SIZE;
}

export function shardOf(id: number): string {
  return (id % 256).toString(16).padStart(2, '0');
}

export function chunkPath(chunksDir: string, id: number): string {
  return join(chunksDir, shardOf(id), `${id}.chunk`);
}

/** Chunk ids are positive integers that fit a JS number exactly (uint64 on the wire, longs: Number). */
export function isValidChunkId(id: number): boolean {
  return Number.isSafeInteger(id) && id > 0;
}

export function isValidVersion(v: number): boolean {
  return Number.isSafeInteger(v) && v >= 0;
}

/** Parses a decimal uint from a URL or header, or throws invalid_argument. */
export function parseUint(s: string | null | undefined, what: string): number {
  if (s == null || !/^\d{1,16}$/.test(s)) throw new GodfsError('invalid_argument', `${what} must be a non-negative integer, got ${JSON.stringify(s)}`);
  const n = Number(s);
  if (!Number.isSafeInteger(n)) throw new GodfsError('invalid_argument', `${what} is too large`);
  return n;
}

/** Builds the CRC table + trailer that follows the data. */
export function encodeFooter(version: number, size: number, crcs: readonly number[]): Buffer {
  if (crcs.length !== blockCount(size)) throw new Error(`footer: ${crcs.length} CRCs for ${size} bytes`);
  const buf = Buffer.alloc(4 * crcs.length + TRAILER_SIZE);
  crcs.forEach((c, i) => buf.writeUInt32BE(c >>> 0, 4 * i));
  const t = 4 * crcs.length;
  MAGIC.copy(buf, t);
  buf.writeBigUInt64BE(BigInt(version), t + 8);
  buf.writeBigUInt64BE(BigInt(size), t + 16);
  buf.writeUInt32BE(crcs.length, t + 24);
  buf.writeUInt32BE(crc32(buf.subarray(0, t + 28)), t + 28);
  return buf;
}

export interface Trailer {
  version: number;
  size: number;
  blocks: number;
}

/** Parses the last 32 bytes of a chunk file; returns undefined when they are not a valid trailer. */
export function decodeTrailer(buf: Buffer): Trailer | undefined {
  if (buf.length !== TRAILER_SIZE || !buf.subarray(0, 8).equals(MAGIC)) return undefined;
  const version = Number(buf.readBigUInt64BE(8));
  const size = Number(buf.readBigUInt64BE(16));
  const blocks = buf.readUInt32BE(24);
  if (!isValidVersion(version) || !Number.isSafeInteger(size) || blocks !== blockCount(size)) return undefined;
  return { version, size, blocks };
}

/** Checks the footer's own CRC (CRC table + trailer, as written by encodeFooter). */
export function footerIsIntact(footer: Buffer): boolean {
  if (footer.length < TRAILER_SIZE) return false;
  const end = footer.length - 4;
  return crc32(footer.subarray(0, end)) === footer.readUInt32BE(end);
}

/** Incremental per-block CRCs over a byte stream of unknown length. */
export class BlockChecksummer {
  readonly crcs: number[] = [];
  #crc = 0;
  #fill = 0;

  update(buf: Uint8Array): void {
    let at = 0;
    while (at < buf.length) {
      const n = Math.min(BLOCK_SIZE - this.#fill, buf.length - at);
      this.#crc = crc32(buf.subarray(at, at + n), this.#crc);
      this.#fill += n;
      at += n;
      if (this.#fill === BLOCK_SIZE) {
        this.crcs.push(this.#crc);
        this.#crc = 0;
        this.#fill = 0;
      }
    }
  }

  /** The CRC list including the trailing partial block. Call once, at the end. */
  finish(): number[] {
    if (this.#fill > 0) this.crcs.push(this.#crc);
    this.#crc = 0;
    this.#fill = 0;
    return this.crcs;
  }
}

/** Reads exactly `length` bytes at `position`; a short file means lost data (checksum_mismatch). */
export async function readAt(fh: FileHandle, length: number, position: number): Promise<Buffer> {
  const buf = Buffer.allocUnsafe(length);
  let got = 0;
  while (got < length) {
    const { bytesRead } = await fh.read(buf, got, length - got, position + got);
    if (bytesRead === 0) throw new ChecksumMismatchError(`chunk file is shorter than its footer says (${position + got} bytes)`);
    got += bytesRead;
  }
  return buf;
}

/** Blocks read (and verified) per disk read: 1 MiB. */
const READ_BATCH_BLOCKS = 16;

/** A block (or the footer, block -1) of a chunk file that failed verification. */
export class ChunkCorruptError extends ChecksumMismatchError {
  readonly block: number;
  readonly reason: string;
  constructor(block: number, reason: string) {
    super(block < 0 ? `chunk file: ${reason}` : `chunk file: block ${block}: ${reason}`);
    this.block = block;
    this.reason = reason;
  }
}

/**
 * Streams [offset, offset+length) of an open chunk file of `fileBytes` bytes, verifying every 64 KiB
 * block against its stored CRC before yielding any of its bytes (GFS §5.2). The trailer is read first:
 * it must be intact and describe `expect` (size and version, when given) — a file that was replaced
 * since the caller looked it up is answered with `onChanged()`'s error. The next 1 MiB is read while
 * the caller consumes the current one. Throws ChunkCorruptError at the first block that fails, after
 * yielding the verified bytes before it. The chunk store serves reads with this; the sdk uses it for
 * short-circuit reads of chunk files on its own host.
 */
export async function* readVerified(
  fh: FileHandle,
  fileBytes: number,
  offset: number,
  length: number,
  expect: { size?: number; version?: number; onChanged: (t: Trailer) => Error },
): AsyncGenerator<Buffer, void, undefined> {
  const at = (len: number, pos: number) =>
    readAt(fh, len, pos).catch((err: unknown) => Promise.reject(err instanceof ChecksumMismatchError ? new ChunkCorruptError(-1, 'the file is truncated') : err));
  if (fileBytes < TRAILER_SIZE) throw new ChunkCorruptError(-1, 'the file is truncated');
  const t = decodeTrailer(await at(TRAILER_SIZE, fileBytes - TRAILER_SIZE));
  if (!t || fileSizeFor(t.size) !== fileBytes) throw new ChunkCorruptError(-1, 'the footer is unreadable');
  if ((expect.size !== undefined && t.size !== expect.size) || (expect.version !== undefined && t.version !== expect.version)) throw expect.onChanged(t);
  if (length === 0) return;
  if (offset + length > t.size) throw new ChunkCorruptError(-1, `range ${offset}+${length} is past the end of the chunk (${t.size} bytes)`);
  const end = offset + length;
  const first = Math.floor(offset / BLOCK_SIZE);
  const last = Math.floor((end - 1) / BLOCK_SIZE);
  const crcs = await at(4 * (last - first + 1), t.size + 4 * first);
  const batchEnd = (b: number) => Math.min(last + 1, b + READ_BATCH_BLOCKS);
  const batch = (b: number) => {
    const start = b * BLOCK_SIZE;
    const p = at(Math.min(batchEnd(b) * BLOCK_SIZE, t.size) - start, start);
    p.catch(() => undefined); // awaited below; never an unhandled rejection if the reader stops early
    return p;
  };
  let next = batch(first);
  for (let b = first; b <= last; b += READ_BATCH_BLOCKS) {
    const bEnd = batchEnd(b);
    const start = b * BLOCK_SIZE;
    const data = await next;
    if (bEnd <= last) next = batch(bEnd);
    let verified = 0;
    let bad = -1;
    for (let k = b; k < bEnd; k++) {
      const s = (k - b) * BLOCK_SIZE;
      const block = data.subarray(s, Math.min(s + BLOCK_SIZE, data.length));
      if (crc32(block) !== crcs.readUInt32BE(4 * (k - first))) {
        bad = k;
        break;
      }
      verified = s + block.length;
    }
    const from = Math.max(offset, start) - start;
    const to = Math.min(end, start + verified) - start;
    if (to > from) yield data.subarray(from, to);
    if (bad >= 0) throw new ChunkCorruptError(bad, 'stored CRC does not match the data');
  }
}
