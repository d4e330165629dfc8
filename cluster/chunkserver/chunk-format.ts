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
import { ChecksumMismatchError, GodfsError } from '../../common/errors.js';
export { fsyncDir } from '../../common/fsync.js';

export const BLOCK_SIZE = 64 * 1024;
export const DEFAULT_MAX_CHUNK_SIZE = 64 * 2 ** 20;
export const TRAILER_SIZE = 32;
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

