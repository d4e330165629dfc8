// GodfsClient: the one client of the cluster (docs/architecture.md). Control calls go to the master over
// gRPC; bytes go straight to chunkservers over HTTP. Writes stream: a source of any size is cut into
// chunks as it arrives, each piped to its replica chain, and nothing becomes visible until the
// master commits the new extent list — so a failed or aborted write leaves the old content intact.
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { GodfsError, InvalidArgumentError } from '../common/errors.js';
import { normalizePath } from '../common/paths.js';
import type { AllocateResponse__Output } from '../proto/generated/godfs/master/v1/AllocateResponse.js';
import type { Inode__Output } from '../proto/generated/godfs/master/v1/Inode.js';
import type { ListResponse__Output } from '../proto/generated/godfs/master/v1/ListResponse.js';
import type { LocateResponse__Output } from '../proto/generated/godfs/master/v1/LocateResponse.js';
import type { ListPartsResponse__Output } from '../proto/generated/godfs/master/v1/ListPartsResponse.js';
import type { Upload__Output } from '../proto/generated/godfs/master/v1/Upload.js';
import type { Part__Output } from '../proto/generated/godfs/master/v1/Part.js';
import { clusterStats, drainNode, listChunks, listNodes } from './admin.js';
import type { ChunkWriteResult } from './chunk-io.js';
import { parseMasterList } from '../common/master-addresses.js';
import { MasterConnection } from './master-client.js';
import { LocalChunkReader } from './local-read.js';
import { readExtent } from './read-path.js';
import { DEFAULT_WRITE_ATTEMPTS, DEFAULT_WRITE_UNIT, streamChunks, SuspectNodes, type StreamedChunks, type StreamOptions, type WritePathDeps } from './write-path.js';
import type { AccessKey__Output } from '../proto/generated/godfs/master/v1/AccessKey.js';
import type {
  AccessKeyInfo,
  CreateAccessKeyOptions,
  ClientOptions,
  ChunkList,
  ClusterStats,
  DirEntryInfo,
  GodfsAdmin,
  ListChunksOptions,
  FileInfo,
  Godfs,
  ListResult,
  NodeStatus,
  PartInfo,
  ReadOptions,
  ReadResult,
  SetAttrOptions,
  UploadInfo,
  WriteOptions,
  WriteSource,
} from './types.js';

export * from './types.js';

const ZEROS = Buffer.alloc(64 * 1024);

function toInfo(path: string, ino: Inode__Output): FileInfo {
  const type = ino.type === 'DIR' ? 'dir' : ino.type === 'SYMLINK' ? 'symlink' : 'file';
  const name = path === '/' ? '' : path.slice(path.lastIndexOf('/') + 1);
  const info: FileInfo = {
    path, name, id: ino.id, type, isDir: type === 'dir', size: ino.size, mode: ino.mode, uid: ino.uid, gid: ino.gid,
    mtimeMs: ino.mtime_ms, ctimeMs: ino.ctime_ms, atimeMs: ino.atime_ms, birthMs: ino.birth_ms, nlink: ino.nlink,
    etag: ino.etag, gen: ino.gen, xattrs: { ...ino.xattrs },
  };
  if (type === 'symlink') info.target = ino.target;
  return info;
}

function xattrsToProto(x: Record<string, Buffer | string> | undefined): Record<string, Buffer> {
  const out: Record<string, Buffer> = {};
  for (const [k, v] of Object.entries(x ?? {})) out[k] = typeof v === 'string' ? Buffer.from(v) : Buffer.from(v);
  return out;
}

export class GodfsClient implements Godfs, GodfsAdmin {
  #master: MasterConnection;
  #apiKey: string | undefined;
  #writeDeps: WritePathDeps;
  #local: LocalChunkReader | undefined;

  constructor(opts: ClientOptions) {
    let masters: string[];
    try {
      masters = parseMasterList(opts.master);
    } catch (err) {
      throw new InvalidArgumentError((err as Error).message);
    }
    this.#apiKey = opts.apiKey;
    this.#master = new MasterConnection(masters, opts.apiKey, opts.timeoutMs, opts.retryForMs);
    const unit = opts.writeUnitBytes ?? DEFAULT_WRITE_UNIT;
    if (!Number.isSafeInteger(unit) || unit < 1) throw new InvalidArgumentError('writeUnitBytes must be a positive integer');
    this.#writeDeps = {
      allocate: (req) => this.#call<AllocateResponse__Output>('AllocateChunk', req),
      abandon: async (writeId, ids) => void (await this.#call('AbandonChunks', { write_id: writeId, chunk_ids: ids })),
      renew: (writeId, chunks) => this.#call<{ lease_ms: number }>('RenewWrite', { write_id: writeId, chunks }),
      apiKey: opts.apiKey,
      writeUnitBytes: unit,
      maxAttempts: Math.max(1, opts.writeAttempts ?? DEFAULT_WRITE_ATTEMPTS),
      dataTimeoutMs: opts.dataTimeoutMs ?? 30_000,
      suspects: new SuspectNodes(),
    };
    this.#local = opts.shortCircuitReads === false ? undefined : new LocalChunkReader();
  }

  /** Bytes this client read straight from chunk files on its host (short-circuit reads). */
  get shortCircuitBytes(): number {
    return this.#local?.bytesRead ?? 0;
  }

  /** Tells the master a replica failed verification (or lost the chunk); best effort. */
  #reportBad = (chunkId: number, nodeId: string, version: number, reason: string): void => {
    this.#call('ReportBadReplica', { chunk_id: chunkId, node_id: nodeId, version, reason }).catch(() => undefined);
  };

  #call<Res>(method: Parameters<MasterConnection['call']>[0], req: object): Promise<Res> {
    return this.#master.call<Res>(method, req);
  }

  // ---- namespace -----------------------------------------------------------------------------

  async stat(path: string): Promise<FileInfo> {
    const p = normalizePath(path);
    return toInfo(p, await this.#call<Inode__Output>('Stat', { path: p }));
  }

  async lstat(path: string): Promise<FileInfo> {
    const p = normalizePath(path);
    return toInfo(p, await this.#call<Inode__Output>('Lstat', { path: p }));
  }

  async mkdir(path: string, opts: { parents?: boolean; mode?: number; uid?: number; gid?: number } = {}): Promise<FileInfo> {
    const p = normalizePath(path);
    return toInfo(p, await this.#call<Inode__Output>('Mkdir', { path: p, parents: !!opts.parents, mode: opts.mode ?? 0, uid: opts.uid ?? 0, gid: opts.gid ?? 0 }));
  }

  async create(path: string, opts: { exclusive?: boolean; parents?: boolean; mode?: number; uid?: number; gid?: number; symlinkTarget?: string } = {}): Promise<FileInfo> {
    const p = normalizePath(path);
    const ino = await this.#call<Inode__Output>('Create', {
      path: p, exclusive: !!opts.exclusive, parents: !!opts.parents, mode: opts.mode ?? 0, uid: opts.uid ?? 0, gid: opts.gid ?? 0, symlink_target: opts.symlinkTarget ?? '',
    });
    return toInfo(p, ino);
  }

  async list(path: string, opts: { limit?: number; cursor?: string } = {}): Promise<ListResult> {
    const p = normalizePath(path);
    const res = await this.#call<ListResponse__Output>('List', { path: p, limit: opts.limit ?? 0, cursor: opts.cursor ?? '' });
    return {
      entries: res.entries.map((e) => toInfo(p === '/' ? `/${e.name}` : `${p}/${e.name}`, e.inode!)),
      nextCursor: res.next_cursor || null,
    };
  }

  async *listAll(path: string, opts: { pageSize?: number; startAfter?: string } = {}): AsyncIterable<DirEntryInfo> {
    let cursor: string | undefined = opts.startAfter;
    do {
      const page = await this.list(path, { limit: opts.pageSize ?? 1000, ...(cursor ? { cursor } : {}) });
      yield* page.entries;
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
  }

  async delete(path: string, opts: { recursive?: boolean; onlyDir?: boolean; onlyFile?: boolean } = {}): Promise<void> {
    await this.#call('Delete', { path: normalizePath(path), recursive: !!opts.recursive, only_dir: !!opts.onlyDir, only_file: !!opts.onlyFile });
  }

  async rename(oldPath: string, newPath: string, opts: { noReplace?: boolean } = {}): Promise<void> {
    await this.#call('Rename', { old_path: normalizePath(oldPath), new_path: normalizePath(newPath), no_replace: !!opts.noReplace });
  }

  async setAttr(path: string, a: SetAttrOptions): Promise<FileInfo> {
    const p = normalizePath(path);
    const req: Record<string, unknown> = { path: p, set_xattrs: xattrsToProto(a.setXattrs), remove_xattrs: a.removeXattrs ?? [], replace_xattrs: !!a.replaceXattrs };
    if (a.mode !== undefined) req.mode = a.mode;
    if (a.uid !== undefined) req.uid = a.uid;
    if (a.gid !== undefined) req.gid = a.gid;
    if (a.atimeMs !== undefined) req.atime_ms = Math.round(a.atimeMs);
    if (a.mtimeMs !== undefined) req.mtime_ms = Math.round(a.mtimeMs);
    return toInfo(p, await this.#call<Inode__Output>('SetAttr', req));
  }

  async truncate(path: string, size: number): Promise<FileInfo> {
    if (!Number.isSafeInteger(size) || size < 0) throw new InvalidArgumentError('size must be a non-negative integer');
    const p = normalizePath(path);
    return toInfo(p, await this.#call<Inode__Output>('Truncate', { path: p, size }));
  }

  // ---- reads ---------------------------------------------------------------------------------

  async read(path: string, opts: ReadOptions = {}): Promise<ReadResult> {
    const p = normalizePath(path);
    const offset = opts.offset ?? 0;
    if (!Number.isSafeInteger(offset) || offset < 0) throw new InvalidArgumentError('offset must be a non-negative integer');
    if (opts.length !== undefined && (!Number.isSafeInteger(opts.length) || opts.length < 0)) throw new InvalidArgumentError('length must be a non-negative integer');
    if (opts.length === 0) {
      const info = await this.stat(p);
      if (info.isDir) throw new GodfsError('is_a_directory', `${p} is a directory`);
      return { info, stream: Readable.from([]), offset, length: 0 };
    }
    const loc = await this.#call<LocateResponse__Output>('Locate', { path: p, offset, length: opts.length ?? 0 });
    const info = toInfo(p, loc.inode!);
    const start = Math.min(offset, info.size);
    const length = loc.extents.reduce((s, e) => s + e.extent!.length, 0);
    const apiKey = this.#apiKey;
    const signal = opts.signal;
    const report = this.#reportBad;
    const local = this.#local;
    async function* bytes(): AsyncGenerator<Buffer> {
      for (const le of loc.extents) {
        const e = le.extent!;
        if (e.chunk_id === 0) {
          for (let left = e.length; left > 0; left -= ZEROS.length) yield left >= ZEROS.length ? ZEROS : ZEROS.subarray(0, left);
          continue;
        }
        yield* readExtent(le.replicas, e.chunk_id, e.version, e.chunk_offset, e.length, apiKey, signal, report, local);
      }
    }
    return { info, stream: Readable.from(bytes(), { objectMode: false, highWaterMark: 1 << 20 }), offset: start, length };
  }

  readRange(path: string, offset: number, length: number): Promise<ReadResult> {
    return this.read(path, { offset, length });
  }

  async readFile(path: string): Promise<Buffer> {
    const { stream } = await this.read(path);
    const parts: Buffer[] = [];
    for await (const c of stream) parts.push(c as Buffer);
    return Buffer.concat(parts);
  }

  // ---- writes --------------------------------------------------------------------------------

  /** Streams a source into new chunks (write-path.ts); nothing is committed here. */
  #streamChunks(source: WriteSource, o: StreamOptions): Promise<StreamedChunks> {
    return streamChunks(this.#writeDeps, source, o);
  }

  /** Commits streamed chunks; if the commit fails, the master forgets them at once. */
  async #commit<T>(w: StreamedChunks, commit: () => Promise<T>): Promise<T> {
    let out: T;
    try {
      out = await commit();
    } catch (err) {
      await this.#call('AbandonChunks', { write_id: w.writeId, chunk_ids: w.chunkIds }).catch(() => undefined);
      throw err;
    } finally {
      // Committed or abandoned: the lease has nothing left to keep alive (a spare is abandoned below).
      w.lease.stop();
    }
    // A chunk allocated ahead for bytes that never came: the commit has taken the write's other
    // chunks out of its lease, so abandoning the write now drops only that one (else its lease
    // expires). Awaited, so a write leaves nothing pending once it returns; a failure is harmless.
    if (w.spareChunkIds.length) await this.#call('AbandonChunks', { write_id: w.writeId, chunk_ids: w.spareChunkIds }).catch(() => undefined);
    return out;
  }

  #extentsOut(chunks: ChunkWriteResult[]) {
    return chunks.map((c) => ({ extent: { chunk_id: c.chunkId, version: c.version, chunk_offset: 0, length: c.size }, replica_ids: c.replicaIds }));
  }

  async write(path: string, source: WriteSource, opts: WriteOptions = {}): Promise<FileInfo> {
    const p = normalizePath(path);
    if (p === '/') throw new GodfsError('is_a_directory', '/ is a directory');
    // The first allocation also checks the commit this write will ask for (WritePrecheck), so a write
    // that can never commit fails before its bytes are sent, without a round trip of its own.
    const parentsBelow = opts.parentsBelow === undefined ? '' : normalizePath(opts.parentsBelow);
    const precheck = { path: p, exclusive: !!opts.exclusive, if_match: opts.ifMatch ?? '', parents: !!opts.parents, parents_below: parentsBelow };
    const w = await this.#streamChunks(source, { ...opts, precheck });
    // Acknowledged only now: every replica of every chunk has fsynced, and the master commits.
    const ino = await this.#commit(w, () =>
      this.#call<Inode__Output>('CommitWrite', {
        path: p, mode: 'REPLACE', offset: 0, extents: this.#extentsOut(w.extents), length: w.size, etag: w.md5, create: true,
        exclusive: !!opts.exclusive, if_match: opts.ifMatch ?? '', xattrs: xattrsToProto(opts.xattrs), set_xattrs: opts.xattrs !== undefined,
        mode_bits: opts.mode ?? 0, parents: !!opts.parents, parents_below: parentsBelow,
      }),
    );
    return toInfo(p, ino);
  }

  async writeAt(path: string, offset: number, source: WriteSource, opts: { signal?: AbortSignal; replication?: number } = {}): Promise<FileInfo> {
    const p = normalizePath(path);
    if (!Number.isSafeInteger(offset) || offset < 0) throw new InvalidArgumentError('offset must be a non-negative integer');
    const w = await this.#streamChunks(source, { ...opts, md5: false });
    const ino = await this.#commit(w, () =>
      this.#call<Inode__Output>('CommitWrite', {
        path: p, mode: 'WRITE_AT', offset, extents: this.#extentsOut(w.extents), length: w.size, etag: '', create: true,
        exclusive: false, if_match: '', xattrs: {}, set_xattrs: false, mode_bits: 0, parents: false,
      }),
    );
    return toInfo(p, ino);
  }

  // ---- multipart -----------------------------------------------------------------------------

  async createUpload(path: string, opts: { xattrs?: Record<string, Buffer | string> } = {}): Promise<UploadInfo> {
    const u = await this.#call<Upload__Output>('CreateUpload', { path: normalizePath(path), xattrs: xattrsToProto(opts.xattrs) });
    return uploadInfo(u);
  }

  async uploadPart(uploadId: string, partNumber: number, source: WriteSource, opts: { maxBytes?: number; signal?: AbortSignal; sizeHint?: number } = {}): Promise<PartInfo> {
    if (!Number.isInteger(partNumber) || partNumber < 1 || partNumber > 10000) throw new InvalidArgumentError('part number must be 1..10000');
    // Fail fast on an unknown upload before moving any bytes.
    await this.#call('ListParts', { upload_id: uploadId });
    const w = await this.#streamChunks(source, opts);
    const part = await this.#commit(w, () =>
      this.#call<Part__Output>('PutPart', { upload_id: uploadId, part_number: partNumber, extents: this.#extentsOut(w.extents), size: w.size, etag: w.md5 }),
    );
    return { partNumber: part.part_number, size: part.size, etag: part.etag, modifiedMs: part.modified_ms };
  }

  async listParts(uploadId: string): Promise<{ upload: UploadInfo; parts: PartInfo[] }> {
    const r = await this.#call<ListPartsResponse__Output>('ListParts', { upload_id: uploadId });
    return { upload: uploadInfo(r.upload!), parts: r.parts.map((p) => ({ partNumber: p.part_number, size: p.size, etag: p.etag, modifiedMs: p.modified_ms })) };
  }

  async listUploads(opts: { pathPrefix?: string; limit?: number } = {}): Promise<UploadInfo[]> {
    const r = await this.#call<{ uploads: Upload__Output[] }>('ListUploads', { path_prefix: opts.pathPrefix ?? '', limit: opts.limit ?? 0 });
    return r.uploads.map(uploadInfo);
  }

  async completeUpload(uploadId: string, partNumbers: number[], opts: { etag?: string; ifMatch?: string; exclusive?: boolean } = {}): Promise<FileInfo> {
    const { upload, parts } = await this.listParts(uploadId);
    let etag = opts.etag;
    if (etag === undefined) {
      // S3's multipart ETag: MD5 of the concatenated binary part MD5s, then "-<number of parts>".
      const byNumber = new Map(parts.map((p) => [p.partNumber, p]));
      const h = createHash('md5');
      for (const n of partNumbers) {
        const part = byNumber.get(n);
        if (!part) throw new InvalidArgumentError(`part ${n} was not uploaded`);
        h.update(Buffer.from(part.etag, 'hex'));
      }
      etag = `${h.digest('hex')}-${partNumbers.length}`;
    }
    const ino = await this.#call<Inode__Output>('CompleteUpload', { upload_id: uploadId, part_numbers: partNumbers, etag, if_match: opts.ifMatch ?? '', exclusive: !!opts.exclusive });
    return toInfo(upload.path, ino);
  }

  async abortUpload(uploadId: string): Promise<void> {
    await this.#call('AbortUpload', { upload_id: uploadId });
  }

  // ---- access keys ---------------------------------------------------------------------------

  async createAccessKey(o: CreateAccessKeyOptions = {}): Promise<AccessKeyInfo> {
    return keyInfo(
      await this.#call<AccessKey__Output>('CreateAccessKey', {
        access_key_id: o.accessKeyId ?? '', secret_key: o.secretKey ?? '', buckets: o.buckets ?? [], read_only: !!o.readOnly, description: o.description ?? '',
      }),
    );
  }

  async listAccessKeys(): Promise<AccessKeyInfo[]> {
    return (await this.#call<{ keys: AccessKey__Output[] }>('ListAccessKeys', {})).keys.map(keyInfo);
  }

  async revokeAccessKey(accessKeyId: string): Promise<void> {
    await this.#call('RevokeAccessKey', { access_key_id: accessKeyId });
  }

  // ---- cluster -------------------------------------------------------------------------------

  clusterStats(): Promise<ClusterStats> {
    return clusterStats((m, r) => this.#call(m, r));
  }

  listNodes(): Promise<NodeStatus[]> {
    return listNodes((m, r) => this.#call(m, r));
  }

  /** Marks a chunkserver draining (no new chunks; its replicas are re-created elsewhere), or undoes it. */
  drainNode(nodeId: string, opts: { cancel?: boolean } = {}): Promise<NodeStatus> {
    return drainNode((m, r) => this.#call(m, r), nodeId, opts);
  }

  /** Chunks with their replicas and states: all, under-replicated ones, a node's, or a file's. */
  listChunks(opts: ListChunksOptions = {}): Promise<ChunkList> {
    return listChunks((m, r) => this.#call(m, r), opts);
  }

  close(): void {
    this.#master.close();
  }
}

function keyInfo(k: AccessKey__Output): AccessKeyInfo {
  return { accessKeyId: k.access_key_id, secretKey: k.secret_key, buckets: k.buckets, readOnly: k.read_only, description: k.description, createdMs: k.created_ms };
}

function uploadInfo(u: Upload__Output): UploadInfo {
  return { uploadId: u.upload_id, path: u.path, createdMs: u.created_ms, xattrs: { ...u.xattrs } };
}
