// TEST DOUBLE — not product code. A small in-memory implementation of the sdk's `Godfs` interface so
// the gateway's HTTP shape (auth, errors, ranges, conditions, streaming framing) can be tested with
// app.inject() and no cluster. It mimics the documented sdk contract (sdk/types.ts) closely enough
// for that and no further; end-to-end behaviour is tested against a real cluster in v1/e2e.test.ts.
// (Named *.test-double.ts so mocha's `*.test.js` spec glob does not run it as a suite.)
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import {
  AlreadyExistsError,
  GodfsError,
  InvalidArgumentError,
  IsADirectoryError,
  NotADirectoryError,
  NotEmptyError,
  NotFoundError,
  PreconditionFailedError,
  TooLargeError,
} from '../common/errors.js';
import { isWithin, normalizePath, splitPath } from '../common/paths.js';
import type { AccessKeyInfo, CreateAccessKeyOptions, ClusterStats, DirEntryInfo, FileInfo, Godfs, ListResult, PartInfo, ReadOptions, ReadResult, UploadInfo, WriteOptions, WriteSource } from '../sdk/types.js';

interface Node {
  id: number;
  isDir: boolean;
  data: Buffer;
  mtimeMs: number;
  birthMs: number;
  etag: string;
  gen: number;
  xattrs: Record<string, Buffer>;
}

const md5 = (b: Buffer | string) => createHash('md5').update(b).digest('hex');

async function collect(source: WriteSource, maxBytes?: number): Promise<Buffer> {
  if (typeof source === 'string') source = Buffer.from(source);
  if (source instanceof Uint8Array) {
    if (maxBytes !== undefined && source.length > maxBytes) throw new TooLargeError();
    return Buffer.from(source);
  }
  const chunks: Buffer[] = [];
  let n = 0;
  for await (const c of source as AsyncIterable<Uint8Array>) {
    n += c.length;
    // Like the sdk: stop reading and store nothing once the cap is passed.
    if (maxBytes !== undefined && n > maxBytes) throw new TooLargeError();
    chunks.push(Buffer.from(c));
  }
  return Buffer.concat(chunks);
}

export class MemoryGodfs implements Godfs {
  readonly nodes = new Map<string, Node>();
  readonly uploads = new Map<string, { upload: UploadInfo; parts: Map<number, { data: Buffer; info: PartInfo }> }>();
  /** Names of the methods called, in order (to assert that e.g. nothing was written). */
  readonly calls: string[] = [];
  nodesAlive = 1;
  /** Bytes per chunk of read streams (small, so streams really arrive in pieces). */
  readChunk = 4;
  /** Fault injection: wraps every read stream (e.g. to make it fail half-way). */
  readFault?: (stream: Readable, path: string) => Readable;
  #nextId = 2;
  #clock = Date.UTC(2024, 0, 2, 3, 4, 5);

  constructor() {
    this.nodes.set('/', this.#node(true));
  }

  #node(isDir: boolean, data: Buffer = Buffer.alloc(0)): Node {
    const now = (this.#clock += 1000);
    return { id: this.#nextId++, isDir, data, mtimeMs: now, birthMs: now, etag: isDir ? '' : md5(data), gen: 1, xattrs: {} };
  }

  #info(path: string, n: Node): FileInfo {
    const parts = splitPath(path);
    return {
      path,
      name: parts.at(-1) ?? '',
      id: n.id,
      type: n.isDir ? 'dir' : 'file',
      isDir: n.isDir,
      size: n.data.length,
      mode: n.isDir ? 0o755 : 0o644,
      uid: 0,
      gid: 0,
      mtimeMs: n.mtimeMs,
      ctimeMs: n.mtimeMs,
      atimeMs: n.mtimeMs,
      birthMs: n.birthMs,
      nlink: 1,
      etag: n.etag,
      gen: n.gen,
      xattrs: { ...n.xattrs },
    };
  }

  #get(path: string): Node {
    const n = this.nodes.get(path);
    if (!n) throw new NotFoundError(`${path}: not found`);
    return n;
  }

  #parent(path: string, parents?: boolean): void {
    const parts = splitPath(path);
    for (let i = 1; i < parts.length; i++) {
      const dir = '/' + parts.slice(0, i).join('/');
      const n = this.nodes.get(dir);
      if (!n) {
        if (!parents) throw new NotFoundError(`${dir}: not found`);
        this.nodes.set(dir, this.#node(true));
      } else if (!n.isDir) throw new NotADirectoryError(`${dir}: not a directory`);
    }
  }

  /** Test setup helper: a file with these bytes (and parents). */
  put(path: string, data: string | Buffer, xattrs: Record<string, string> = {}): FileInfo {
    const p = normalizePath(path);
    this.#parent(p, true);
    const n = this.#node(false, Buffer.from(data));
    n.xattrs = Object.fromEntries(Object.entries(xattrs).map(([k, v]) => [k, Buffer.from(v)]));
    this.nodes.set(p, n);
    return this.#info(p, n);
  }

  async stat(path: string): Promise<FileInfo> {
    this.calls.push('stat');
    const p = normalizePath(path);
    return this.#info(p, this.#get(p));
  }

  lstat(path: string): Promise<FileInfo> {
    return this.stat(path);
  }

  async mkdir(path: string, opts: { parents?: boolean } = {}): Promise<FileInfo> {
    this.calls.push('mkdir');
    const p = normalizePath(path);
    const cur = this.nodes.get(p);
    if (cur) {
      if (cur.isDir && opts.parents) return this.#info(p, cur);
      throw new AlreadyExistsError(`${p}: exists`);
    }
    this.#parent(p, opts.parents);
    const n = this.#node(true);
    this.nodes.set(p, n);
    return this.#info(p, n);
  }

  async create(path: string, opts: { exclusive?: boolean; parents?: boolean } = {}): Promise<FileInfo> {
    this.calls.push('create');
    const p = normalizePath(path);
    const cur = this.nodes.get(p);
    if (cur) {
      if (opts.exclusive || cur.isDir) throw new AlreadyExistsError(`${p}: exists`);
      return this.#info(p, cur);
    }
    this.#parent(p, opts.parents);
    const n = this.#node(false);
    this.nodes.set(p, n);
    return this.#info(p, n);
  }

  #children(p: string): string[] {
    const prefix = p === '/' ? '/' : p + '/';
    return [...this.nodes.keys()].filter((k) => k !== p && k.startsWith(prefix) && !k.slice(prefix.length).includes('/')).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  }

  async list(path: string, opts: { limit?: number; cursor?: string } = {}): Promise<ListResult> {
    this.calls.push('list');
    const p = normalizePath(path);
    if (!this.#get(p).isDir) throw new NotADirectoryError(`${p}: not a directory`);
    const all = this.#children(p).filter((k) => opts.cursor === undefined || Buffer.compare(Buffer.from(k.slice(k.lastIndexOf('/') + 1)), Buffer.from(opts.cursor)) > 0);
    const limit = opts.limit ?? 1000;
    const page = all.slice(0, limit).map((k) => this.#info(k, this.nodes.get(k)!) as DirEntryInfo);
    return { entries: page, nextCursor: all.length > limit ? page.at(-1)!.name : null };
  }

  async *listAll(path: string): AsyncIterable<DirEntryInfo> {
    yield* (await this.list(path, { limit: Number.MAX_SAFE_INTEGER })).entries;
  }

  async read(path: string, opts: ReadOptions = {}): Promise<ReadResult> {
    this.calls.push('read');
    const p = normalizePath(path);
    const n = this.#get(p);
    if (n.isDir) throw new IsADirectoryError(`${p}: is a directory`);
    const offset = opts.offset ?? 0;
    const length = opts.length ?? n.data.length - offset;
    if (offset < 0 || offset + length > n.data.length) throw new GodfsError('invalid_range');
    const bytes = n.data.subarray(offset, offset + length);
    const pieces: Buffer[] = [];
    for (let i = 0; i < bytes.length; i += this.readChunk) pieces.push(bytes.subarray(i, i + this.readChunk));
    let stream: Readable = Readable.from(pieces);
    if (this.readFault) stream = this.readFault(stream, p);
    return { info: this.#info(p, n), stream, offset, length };
  }

  readRange(path: string, offset: number, length: number): Promise<ReadResult> {
    return this.read(path, { offset, length });
  }

  async readFile(path: string): Promise<Buffer> {
    return Buffer.from(this.#get(normalizePath(path)).data);
  }

  /** Writes still reading their source (a test can wait for one to start or to be given up). */
  writesInFlight = 0;

  async write(path: string, source: WriteSource, opts: WriteOptions = {}): Promise<FileInfo> {
    this.calls.push('write');
    const p = normalizePath(path);
    this.writesInFlight++;
    let data: Buffer;
    try {
      data = await collect(source, opts.maxBytes);
    } finally {
      this.writesInFlight--;
    }
    const cur = this.nodes.get(p);
    if (cur?.isDir) throw new IsADirectoryError(`${p}: is a directory`);
    if (opts.exclusive && cur) throw new AlreadyExistsError(`${p}: exists`);
    if (opts.ifMatch !== undefined && cur?.etag !== opts.ifMatch) throw new PreconditionFailedError();
    this.#parent(p, opts.parents);
    const n = this.#node(false, data);
    if (cur) Object.assign(n, { id: cur.id, birthMs: cur.birthMs, gen: cur.gen + 1, xattrs: cur.xattrs });
    if (opts.xattrs) n.xattrs = Object.fromEntries(Object.entries(opts.xattrs).map(([k, v]) => [k, Buffer.from(v)]));
    this.nodes.set(p, n);
    return this.#info(p, n);
  }

  async writeAt(): Promise<FileInfo> {
    throw new GodfsError('not_implemented', 'writeAt is not in the test double');
  }

  async truncate(path: string, size: number): Promise<FileInfo> {
    this.calls.push('truncate');
    const p = normalizePath(path);
    const n = this.#get(p);
    if (n.isDir) throw new IsADirectoryError();
    const data = Buffer.alloc(size);
    n.data.copy(data, 0, 0, Math.min(size, n.data.length));
    Object.assign(n, { data, etag: md5(data), gen: n.gen + 1 });
    return this.#info(p, n);
  }

  async delete(path: string, opts: { recursive?: boolean } = {}): Promise<void> {
    this.calls.push('delete');
    const p = normalizePath(path);
    const n = this.#get(p);
    if (n.isDir && this.#children(p).length > 0 && !opts.recursive) throw new NotEmptyError(`${p}: not empty`);
    for (const k of [...this.nodes.keys()]) if (isWithin(p, k)) this.nodes.delete(k);
  }

  async rename(oldPath: string, newPath: string): Promise<void> {
    this.calls.push('rename');
    const [from, to] = [normalizePath(oldPath), normalizePath(newPath)];
    const n = this.#get(from);
    if (from !== to && isWithin(from, to)) throw new InvalidArgumentError('cannot move a directory into itself');
    const target = this.nodes.get(to);
    if (target?.isDir && this.#children(to).length) throw new NotEmptyError();
    this.#parent(to);
    for (const k of [...this.nodes.keys()].sort()) {
      if (!isWithin(from, k)) continue;
      const v = this.nodes.get(k)!;
      this.nodes.delete(k);
      this.nodes.set(to + k.slice(from.length), v);
    }
    void n;
  }

  async setAttr(): Promise<FileInfo> {
    throw new GodfsError('not_implemented', 'setAttr is not in the test double');
  }

  async createUpload(path: string): Promise<UploadInfo> {
    this.calls.push('createUpload');
    const upload = { uploadId: `up-${this.#nextId++}`, path: normalizePath(path), createdMs: this.#clock, xattrs: {} };
    this.uploads.set(upload.uploadId, { upload, parts: new Map() });
    return upload;
  }

  #upload(id: string) {
    const u = this.uploads.get(id);
    if (!u) throw new NotFoundError(`upload ${id}: not found`);
    return u;
  }

  async uploadPart(uploadId: string, partNumber: number, source: WriteSource, opts: { maxBytes?: number } = {}): Promise<PartInfo> {
    this.calls.push('uploadPart');
    const u = this.#upload(uploadId);
    const data = await collect(source, opts.maxBytes);
    const info = { partNumber, size: data.length, etag: md5(data), modifiedMs: this.#clock };
    u.parts.set(partNumber, { data, info });
    return info;
  }

  async listParts(uploadId: string): Promise<{ upload: UploadInfo; parts: PartInfo[] }> {
    const u = this.#upload(uploadId);
    return { upload: u.upload, parts: [...u.parts.values()].map((x) => x.info).sort((a, b) => a.partNumber - b.partNumber) };
  }

  async listUploads(): Promise<UploadInfo[]> {
    return [...this.uploads.values()].map((u) => u.upload);
  }

  async completeUpload(uploadId: string, partNumbers: number[], opts: { ifMatch?: string; exclusive?: boolean } = {}): Promise<FileInfo> {
    this.calls.push('completeUpload');
    const u = this.#upload(uploadId);
    const parts = partNumbers.map((n) => {
      const part = u.parts.get(n);
      if (!part) throw new InvalidArgumentError(`part ${n} was not uploaded`);
      return part;
    });
    const info = await this.write(u.upload.path, Buffer.concat(parts.map((x) => x.data)), { ...opts, parents: true });
    const n = this.nodes.get(info.path)!;
    n.etag = `${md5(Buffer.concat(parts.map((x) => Buffer.from(x.info.etag, 'hex'))))}-${parts.length}`;
    this.uploads.delete(uploadId);
    return this.#info(info.path, n);
  }

  async abortUpload(uploadId: string): Promise<void> {
    this.#upload(uploadId);
    this.uploads.delete(uploadId);
  }

  readonly keys = new Map<string, AccessKeyInfo>();

  async createAccessKey(o: CreateAccessKeyOptions = {}): Promise<AccessKeyInfo> {
    const k: AccessKeyInfo = {
      accessKeyId: o.accessKeyId ?? `GK${this.keys.size + 1}`, secretKey: o.secretKey ?? `secret-${this.keys.size + 1}`,
      buckets: o.buckets ?? [], readOnly: !!o.readOnly, description: o.description ?? '', createdMs: Date.now(),
    };
    if (this.keys.has(k.accessKeyId)) throw new AlreadyExistsError(k.accessKeyId);
    this.keys.set(k.accessKeyId, k);
    return k;
  }

  async listAccessKeys(): Promise<AccessKeyInfo[]> {
    return [...this.keys.values()];
  }

  async revokeAccessKey(id: string): Promise<void> {
    if (!this.keys.delete(id)) throw new NotFoundError(id);
  }

  async clusterStats(): Promise<ClusterStats> {
    return { clusterId: 'memory', capacity: 0, free: 0, used: 0, nodesAlive: this.nodesAlive, nodesTotal: 1, inodes: this.nodes.size, chunks: 0, defaultReplication: 1, maxChunkSize: 64 << 20 };
  }

  async listNodes() {
    return [];
  }

  close(): void {}
}
