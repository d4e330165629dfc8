// Chunk replicas on local disk (file format in chunk-format.ts). The store keeps an in-memory index
// (id → version, size) rebuilt at startup by scanning the chunk directories, hands out writers that
// publish atomically (chunk-writer.ts), and serves reads that verify every 64 KiB block's CRC before
// returning any of its bytes (GFS §5.2) — a mismatch is an error, never wrong data.
import { mkdir, open, readdir, rename, rm, statfs, unlink, type FileHandle } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import { ChecksumMismatchError, GodfsError, InvalidRangeError, NotFoundError } from '../../common/errors.js';
import { silentLogger, type Logger } from '../../common/log.js';
import {
  BLOCK_SIZE, DEFAULT_MAX_CHUNK_SIZE, TRAILER_SIZE, chunkPath, decodeTrailer, fileSizeFor, footerIsIntact, fsyncDir,
  isValidChunkId, isValidVersion, readAt, readVerified, shardOf, ChunkCorruptError, type ChunkInfo,
} from '../../common/chunk-format.js';
import { ChunkWriter, diskError, type WriterHost } from './chunk-writer.js';
export { BLOCK_SIZE, DEFAULT_MAX_CHUNK_SIZE, ChunkWriter, type ChunkInfo };

/** After a write ran out of space, the node reports itself full for this long (or until a delete). */
const FULL_LATCH_MS = 30_000;

export interface ChunkStoreOptions {
  /** Largest chunk accepted, bytes (default 64 MiB). */
  maxChunkSize?: number;
  /** Optional quota: free = min(disk free, quota − used). */
  capacityBytes?: number;
  logger?: Logger;
  /** Called once per replica found corrupt (a read or the scrubber failed its checksums). */
  onCorrupt?: (id: number, version: number) => void;
}

export interface SpaceInfo {
  /** The quota when one is set, else the size of the file system. */
  capacity: number;
  free: number;
  /** Bytes of complete chunk files (data + checksums). */
  used: number;
}

export interface WriterOptions {
  /** Declared size (Content-Length): checked against the maximum and the free space up front. */
  expectedSize?: number;
  /** Allow replacing a replica with a lower version (a newer lease's write, or re-replication over a stale copy). */
  replace?: boolean;
}

interface Entry {
  version: number;
  size: number;
  fileBytes: number;
}

export class ChunkStore {
  readonly dataDir: string;
  readonly maxChunkSize: number;
  readonly capacityBytes: number | undefined;
  /** Running totals since start (metrics, Stats RPC). */
  bytesWritten = 0;
  bytesRead = 0;
  checksumFailures = 0;
  #chunksDir: string;
  #tmpDir: string;
  #log: Logger;
  #index = new Map<number, Entry>();
  #writing = new Map<number, ChunkWriter>();
  /** Highest version seen per chunk (stored or attempted): a PUT below it is a stale lease (GFS §4.5). */
  #known = new Map<number, number>();
  /** Replicas that failed verification → their version (0 = unreadable footer, already removed). */
  #corrupt = new Map<number, number>();
  #fullUntil = 0;
  #onCorrupt: ((id: number, version: number) => void) | undefined;
  #writers = new Set<ChunkWriter>();
  #shards = new Set<string>();
  #used = 0;
  #reserved = 0;
  #open = true;
  #host: WriterHost;

  private constructor(dataDir: string, opts: ChunkStoreOptions) {
    this.dataDir = dataDir;
    this.maxChunkSize = opts.maxChunkSize ?? DEFAULT_MAX_CHUNK_SIZE;
    this.capacityBytes = opts.capacityBytes;
    this.#chunksDir = resolve(dataDir, 'chunks');
    this.#tmpDir = join(dataDir, 'tmp');
    this.#log = opts.logger ?? silentLogger;
    this.#onCorrupt = opts.onCorrupt;
    this.#host = this.#makeHost();
  }

  /** Opens (creating if needed) the store: empties tmp/ (unfinished writes) and indexes every chunk. */
  static async open(dataDir: string, opts: ChunkStoreOptions = {}): Promise<ChunkStore> {
    const s = new ChunkStore(dataDir, opts);
    await mkdir(s.#chunksDir, { recursive: true });
    await rm(s.#tmpDir, { recursive: true, force: true });
    await mkdir(s.#tmpDir, { recursive: true });
    await fsyncDir(dataDir);
    await s.#scan();
    s.#log.info({ chunks: s.#index.size, used: s.#used }, 'chunk store opened');
    return s;
  }

  async #scan(): Promise<void> {
    for (const shard of (await readdir(this.#chunksDir)).sort()) {
      if (!/^[0-9a-f]{2}$/.test(shard)) continue;
      this.#shards.add(shard);
      const names = await readdir(join(this.#chunksDir, shard));
      for (let i = 0; i < names.length; i += 32) await Promise.all(names.slice(i, i + 32).map((n) => this.#load(shard, n)));
    }
  }

  async #load(shard: string, name: string): Promise<void> {
    const m = /^(\d+)\.chunk$/.exec(name);
    const path = join(this.#chunksDir, shard, name);
    if (!m || !isValidChunkId(Number(m[1])) || shardOf(Number(m[1])) !== shard) {
      this.#log.warn({ path }, 'ignoring unexpected file in the chunk directory');
      return;
    }
    const id = Number(m[1]);
    const fh = await open(path, 'r');
    let entry: Entry | undefined;
    try {
      const { size } = await fh.stat();
      const t = size >= TRAILER_SIZE ? decodeTrailer(await readAt(fh, TRAILER_SIZE, size - TRAILER_SIZE)) : undefined;
      if (t && fileSizeFor(t.size) === size) {
        const footerLen = 4 * t.blocks + TRAILER_SIZE;
        if (footerIsIntact(await readAt(fh, footerLen, size - footerLen))) entry = { version: t.version, size: t.size, fileBytes: size };
      }
    } finally {
      await fh.close();
    }
    if (!entry) {
      // Files are published only complete (temp + fsync + rename), so a bad footer is media corruption:
      // the replica is useless, and the master re-replicates what this node stops reporting.
      this.#log.error({ path, chunk: id }, 'chunk footer is corrupt; deleting the replica');
      await unlink(path).catch(() => undefined);
      // Reported to the master (version 0: unknown), which re-replicates it from a good copy.
      this.#corrupt.set(id, 0);
      return;
    }
    this.#index.set(id, entry);
    this.#used += entry.fileBytes;
  }

  /** Absolute path of the chunk directory (advertised for short-circuit reads on this host). */
  get chunksDir(): string {
    return this.#chunksDir;
  }

  get isOpen(): boolean {
    return this.#open;
  }
  get chunkCount(): number {
    return this.#index.size;
  }
  get usedBytes(): number {
    return this.#used;
  }

  has(id: number): boolean {
    return this.#index.has(id);
  }

  stat(id: number): ChunkInfo | undefined {
    const e = this.#index.get(id);
    return e && { id, version: e.version, size: e.size };
  }

  /** Replicas found corrupt and not yet deleted (reported to the master in every heartbeat). */
  corruptList(): ChunkInfo[] {
    return [...this.#corrupt].map(([id, version]) => ({ id, version, size: this.#index.get(id)?.size ?? 0 }));
  }

  isCorrupt(id: number): boolean {
    return this.#corrupt.has(id);
  }
  /** Every complete chunk, for the master's chunk reports. */
  list(): ChunkInfo[] {
    return [...this.#index].map(([id, e]) => ({ id, version: e.version, size: e.size }));
  }

  async space(): Promise<SpaceInfo> {
    const s = await statfs(this.dataDir);
    const diskFree = s.bavail * s.bsize;
    const used = this.#used;
    // A write that just ran out of room: report full (free 0) so the master places nothing here.
    const full = Date.now() < this.#fullUntil;
    if (this.capacityBytes === undefined) return { capacity: s.blocks * s.bsize, free: full ? 0 : diskFree, used };
    return { capacity: this.capacityBytes, free: full ? 0 : Math.max(0, Math.min(diskFree, this.capacityBytes - used - this.#reserved)), used };
  }

  /** Marks the store full for a while: called when a write failed with no_space. */
  noteFull = (): void => void (this.#fullUntil = Date.now() + FULL_LATCH_MS);

  /**
   * Starts writing chunk `id` at `version`. Fails with already_exists when a complete replica exists
   * (unless `replace` and it is older), conflict while another write of the same id and version (or a
   * newer one) is in flight or when a newer version was seen (a stale lease, GFS §4.5), too_large /
   * no_space when the declared size cannot fit. A write of an older version still in flight is
   * superseded: the newer lease aborts it.
   */
  async createWriter(id: number, version: number, opts: WriterOptions = {}): Promise<ChunkWriter> {
    if (!this.#open) throw new GodfsError('unavailable', 'chunk store is closed');
    if (!isValidChunkId(id)) throw new GodfsError('invalid_argument', `invalid chunk id ${id}`);
    if (!isValidVersion(version)) throw new GodfsError('invalid_argument', `invalid chunk version ${version}`);
    const older = this.#writing.get(id);
    if (older && older.version < version) {
      // Not yet publishing: abort it. Publishing: let it finish, then replace it.
      if (older.state === 'open') await older.abort();
      await older.ended;
    }
    if (this.#writing.has(id)) throw new GodfsError('conflict', `chunk ${id} is already being written`);
    const prev = this.#index.get(id);
    if (prev && (!opts.replace || prev.version >= version)) throw new GodfsError('already_exists', `chunk ${id} already exists at version ${prev.version}`);
    const known = this.#known.get(id) ?? 0;
    if (known > version) throw new GodfsError('conflict', `chunk ${id}: version ${version} is stale, version ${known} was seen`);
    const expected = opts.expectedSize;
    if (expected !== undefined && expected > this.maxChunkSize) {
      throw new GodfsError('too_large', `chunk of ${expected} bytes exceeds the maximum chunk size of ${this.maxChunkSize} bytes`);
    }
    this.#known.set(id, version);
    this.#writing.set(id, undefined as unknown as ChunkWriter); // claimed while the temp file opens
    try {
      if (expected !== undefined && (await this.space()).free < fileSizeFor(expected)) throw new GodfsError('no_space', `no room for ${expected} more bytes`);
      const tmpPath = join(this.#tmpDir, `${id}.${randomBytes(6).toString('hex')}`);
      const w = new ChunkWriter(this.#host, id, version, await open(tmpPath, 'wx'), tmpPath);
      this.#writing.set(id, w);
      this.#writers.add(w);
      return w;
    } catch (err) {
      this.#writing.delete(id);
      const e = diskError(err, `create chunk ${id}`);
      if (e.code === 'no_space') this.noteFull();
      throw e;
    }
  }

  /** Writes a whole chunk from a stream (replication, tests). */
  async write(id: number, version: number, source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, opts: WriterOptions = {}): Promise<ChunkInfo> {
    const w = await this.createWriter(id, version, opts);
    try {
      for await (const buf of source) await w.write(buf);
      return await w.finish();
    } finally {
      await w.abort(); // a no-op once committed
    }
  }

  #makeHost(): WriterHost {
    return {
      maxChunkSize: this.maxChunkSize,
      reserve: (n) => {
        if (this.capacityBytes !== undefined && this.#used + this.#reserved + n > this.capacityBytes) {
          this.noteFull();
          throw new GodfsError('no_space', `capacity quota of ${this.capacityBytes} bytes reached`);
        }
        this.#reserved += n;
      },
      release: (n) => {
        this.#reserved -= n;
      },
      publish: async (w, tmpPath, fileBytes) => {
        const shard = shardOf(w.id);
        const dir = join(this.#chunksDir, shard);
        if (!this.#shards.has(shard)) {
          // A new directory entry is durable only once its parent is fsynced.
          if (await mkdir(dir, { recursive: true })) await fsyncDir(this.#chunksDir);
          this.#shards.add(shard);
        }
        const final = join(dir, `${w.id}.chunk`);
        const prev = this.#index.get(w.id);
        await rename(tmpPath, final);
        try {
          await fsyncDir(dir);
        } catch (err) {
          // The rename may not survive a crash: unpublish rather than acknowledge a non-durable chunk.
          await unlink(final).catch(() => undefined);
          if (prev) this.#forget(w.id);
          throw err;
        }
        if (prev) this.#forget(w.id);
        this.#index.set(w.id, { version: w.version, size: w.size, fileBytes });
        this.#used += fileBytes;
        this.bytesWritten += w.size;
      },
      done: (w) => {
        this.#writers.delete(w);
        if (this.#writing.get(w.id) === w) this.#writing.delete(w.id);
      },
    };
  }

  #forget(id: number): void {
    const e = this.#index.get(id);
    if (!e) return;
    this.#index.delete(id);
    this.#used -= e.fileBytes;
  }

  /**
   * Streams [offset, offset+length) of a chunk (default: all of it). Argument errors (not_found,
   * invalid_range) are thrown synchronously; the returned iterator yields only verified bytes and
   * throws checksum_mismatch at the first block that fails — after yielding the verified bytes
   * before it.
   */
  read(id: number, offset = 0, length?: number, opts: { scrub?: boolean } = {}): AsyncGenerator<Buffer, void, undefined> {
    const e = this.#index.get(id);
    if (!e) throw new NotFoundError(`chunk ${id} not found`);
    const len = length ?? Math.max(0, e.size - offset);
    if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(len) || offset < 0 || len < 0 || offset + len > e.size) {
      throw new InvalidRangeError(`range ${offset}+${len} is outside chunk ${id} of ${e.size} bytes`);
    }
    return this.#readBlocks(id, { ...e }, offset, len, opts.scrub === true);
  }

  async *#readBlocks(id: number, e: Entry, offset: number, length: number, scrub: boolean): AsyncGenerator<Buffer, void, undefined> {
    let fh: FileHandle;
    try {
      fh = await open(chunkPath(this.#chunksDir, id), 'r');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new NotFoundError(`chunk ${id} not found`);
      throw diskError(err, `read chunk ${id}`);
    }
    try {
      // The file we opened may have been replaced since the index lookup: trust its own trailer.
      const onChanged = (t: { size: number; version: number }) =>
        t.size !== e.size ? new ChunkCorruptError(-1, 'the footer is unreadable') : new GodfsError('unavailable', `chunk ${id} changed while being opened`);
      for await (const data of readVerified(fh, e.fileBytes, offset, length, { size: e.size, version: e.version, onChanged })) {
        if (!scrub) this.bytesRead += data.length;
        yield data;
      }
    } catch (err) {
      if (err instanceof ChunkCorruptError) this.#mismatch(id, err.block, err.reason, e.version);
      throw err;
    } finally {
      await fh.close();
    }
  }

  /**
   * A replica failed verification: it is marked corrupt and reported to the master, which copies a
   * good replica elsewhere and then has this one deleted (GFS §5.2). Until then its verified blocks
   * may still be read — it may be the last copy of the others — but it is never a repair source.
   */
  #mismatch(id: number, block: number, why: string, version: number): never {
    this.checksumFailures++;
    this.#log.error({ chunk: id, block }, `checksum mismatch: ${why}`);
    if (this.#index.get(id)?.version === version && !this.#corrupt.has(id)) {
      this.#corrupt.set(id, version);
      this.#onCorrupt?.(id, version);
    }
    throw new ChecksumMismatchError(`chunk ${id}${block >= 0 ? ` block ${block}` : ''}: ${why}`);
  }

  /** Deletes a replica only if it is at `maxVersion` or older (a stale one); false otherwise. */
  deleteStale = (id: number, maxVersion: number): Promise<boolean> => ((this.#index.get(id)?.version ?? Infinity) <= maxVersion ? this.delete(id) : Promise.resolve(false));

  /** Deletes a replica; false when it was not there. Readers holding it open finish undisturbed. */
  async delete(id: number): Promise<boolean> {
    const wasCorrupt = this.#corrupt.delete(id);
    this.#known.delete(id);
    if (!this.#index.has(id)) return wasCorrupt;
    this.#fullUntil = 0;
    this.#forget(id);
    try {
      await unlink(chunkPath(this.#chunksDir, id));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw diskError(err, `delete chunk ${id}`);
    }
    return true;
  }

  /** Aborts writes in flight; the store refuses new ones. */
  async close(): Promise<void> {
    this.#open = false;
    await Promise.all([...this.#writers].map((w) => w.abort()));
  }
}
