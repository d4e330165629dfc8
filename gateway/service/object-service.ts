// THE object service (docs/architecture.md): the one implementation of files, ranges,
// conditions and multipart that both HTTP dialects call. It speaks godfs terms — paths, FileInfo,
// GodfsError codes — and never HTTP framing beyond what both dialects share (validators, ranges).
// /v1 renders its results as JSON; the S3 dialect (gateway/s3) renders the same results as XML.
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream';
import {
  AlreadyExistsError,
  GodfsError,
  InvalidArgumentError,
  IsADirectoryError,
  NotFoundError,
  PreconditionFailedError,
  TooLargeError,
  UnavailableError,
} from '../../common/errors.js';
import { normalizePath } from '../../common/paths.js';
import type { AccessKeyInfo, FileInfo, Godfs, ListResult, PartInfo, ReadResult, SetAttrOptions, UploadInfo } from '../../sdk/types.js';
import { LengthGuard } from './byte-streams.js';
import { byterangesFraming, byterangesStream } from './byteranges.js';
import { TreeWalk, type TreeEntry, type TreeWalkOptions } from './tree-walk.js';
import { isUnconditional, parseEtagList, planRead, rangeLength, strongMatch, weakMatch, type ByteRange, type RequestConditions } from './http-conditions.js';

/** The xattr holding an object's Content-Type (shared with the S3 dialect and the CLI). */
export const CONTENT_TYPE_XATTR = 'content-type';
export const DEFAULT_CONTENT_TYPE = 'application/octet-stream';
/** S3's part-number bounds; /v1 uses the same so an upload can be finished from either dialect. */
export const MAX_PART_NUMBER = 10000;
/** How often a read is retried when the file changes between planning and reading. */
const READ_ATTEMPTS = 3;

export interface GetRequest {
  method: 'GET' | 'HEAD';
  conditions: RequestConditions;
  /** Called with every body byte count handed to the socket (bytes-out metric). */
  onBytes?: (n: number) => void;
}

export interface GetResult {
  status: 200 | 206 | 304;
  info: FileInfo;
  /** The ranges sent with 206; empty for 200/304. */
  ranges: ByteRange[];
  /** Content-Type of the body: the object's own, or multipart/byteranges for several ranges. */
  contentType: string;
  contentLength: number;
  /** The body; undefined for HEAD, 304 and empty bodies. */
  stream?: Readable;
}

export interface PutOptions {
  /** Raw If-Match / If-None-Match header values. */
  ifMatch?: string;
  ifNoneMatch?: string;
  xattrs?: Record<string, Buffer | string>;
  maxBytes?: number;
  /** The Content-Length the client declared, checked against maxBytes before a byte is read. */
  declaredLength?: number;
  parents?: boolean;
  /** With parents: make them only below this existing directory (S3: the bucket). */
  parentsBelow?: string;
}

export interface CompletePart {
  partNumber: number;
  /** Optional: when given it must equal the uploaded part's ETag (quotes allowed). */
  etag?: string;
}

function sameVersion(a: FileInfo, b: FileInfo): boolean {
  return a.id === b.id && a.gen === b.gen && a.etag === b.etag && a.size === b.size;
}

export function contentTypeOf(info: FileInfo): string {
  const v = info.xattrs?.[CONTENT_TYPE_XATTR]?.toString('utf8');
  // Stored metadata goes into a response header: refuse anything that could split or corrupt it.
  return v && /^[\x20-\x7e]{1,255}$/.test(v) ? v : DEFAULT_CONTENT_TYPE;
}

function checkPartNumber(n: number): void {
  if (!Number.isInteger(n) || n < 1 || n > MAX_PART_NUMBER) throw new InvalidArgumentError(`part number must be an integer in 1..${MAX_PART_NUMBER}`);
}

function checkUploadId(id: string): void {
  if (typeof id !== 'string' || !/^[\x21-\x7e]{1,256}$/.test(id)) throw new InvalidArgumentError('upload id is not valid');
}

function guarded(source: Readable, length: number, onBytes?: (n: number) => void): Readable {
  const guard = new LengthGuard(length, onBytes);
  // pipeline destroys the source when the guard is destroyed (client gone) and vice versa (sdk error).
  pipeline(source, guard, () => {});
  return guard;
}

export class ObjectService {
  readonly #client: Godfs;

  constructor(client: Godfs) {
    this.#client = client;
  }

  stat(path: string): Promise<FileInfo> {
    return this.#client.stat(normalizePath(path));
  }

  /** stat, or undefined when nothing is at the path (or a component on the way is a file). */
  async statIfExists(path: string): Promise<FileInfo | undefined> {
    try {
      return await this.#client.stat(normalizePath(path));
    } catch (err) {
      if (err instanceof GodfsError && (err.code === 'not_found' || err.code === 'not_a_directory')) return undefined;
      throw err;
    }
  }

  /** Metadata-only change (xattrs, times): no content is read or written. */
  setAttr(path: string, attrs: SetAttrOptions): Promise<FileInfo> {
    return this.#client.setAttr(normalizePath(path), attrs);
  }

  /**
   * Every file below `root` as one sequence of relative paths in UTF-8 byte order, paginated from the
   * master as it goes (tree-walk.ts); `prefix`, `after` and `collapse` give S3 listing its shape.
   */
  walk(root: string, opts: TreeWalkOptions = {}): AsyncGenerator<TreeEntry> {
    return new TreeWalk(this.#client, opts).walk(normalizePath(root));
  }

  /** S3 access keys kept in master metadata (with secrets). */
  listAccessKeys(): Promise<AccessKeyInfo[]> {
    return this.#client.listAccessKeys();
  }

  /** GET/HEAD of a file's content with conditions and ranges (RFC 9110 §13, §14). */
  async get(path: string, req: GetRequest): Promise<GetResult> {
    const p = normalizePath(path);
    if (req.method === 'GET' && isUnconditional(req.conditions)) {
      // Common case: one round trip. read() answers is_a_directory for a directory.
      const r = await this.#client.read(p);
      if (r.info.isDir) {
        r.stream.destroy();
        throw new IsADirectoryError(`${p} is a directory`);
      }
      return { status: 200, info: r.info, ranges: [], contentType: contentTypeOf(r.info), contentLength: r.length, stream: guarded(r.stream, r.length, req.onBytes) };
    }
    let info = await this.#client.stat(p);
    for (let attempt = 1; ; attempt++) {
      if (info.isDir) throw new IsADirectoryError(`${p} is a directory`);
      const plan = planRead(info, req.conditions);
      const base = { status: plan.status, info, ranges: plan.ranges, contentType: contentTypeOf(info) };
      if (plan.status === 304) return { ...base, contentLength: 0 };
      if (plan.ranges.length > 1) {
        const framing = byterangesFraming(plan.ranges, info.size, base.contentType);
        const result = { ...base, contentType: framing.contentType, contentLength: framing.contentLength };
        if (req.method === 'HEAD') return result;
        // The first range is opened before headers go out, so a vanished or changed file is still a
        // clean error response; later parts that find the file changed abort the connection.
        const first = await this.#readVersion(p, info, plan.ranges[0]!);
        if (first.changed) {
          if (attempt >= READ_ATTEMPTS) throw new UnavailableError('the file kept changing while it was being read; retry');
          info = first.info;
          continue;
        }
        const planned = info;
        const stream = byterangesStream(framing, plan.ranges, async (i) => {
          if (i === 0) return first.stream;
          const r = await this.#readVersion(p, planned, plan.ranges[i]!);
          if (r.changed) throw new GodfsError('conflict', `${p} changed while its ranges were being sent`);
          return r.stream;
        }, req.onBytes);
        // If the body is dropped before its generator starts, nothing else would release the first read.
        stream.once('close', () => first.stream.destroy());
        return { ...result, stream };
      }
      const range = plan.ranges[0] ?? { start: 0, end: info.size - 1 };
      const length = info.size === 0 ? 0 : rangeLength(range);
      const result = { ...base, contentLength: length };
      if (req.method === 'HEAD' || length === 0) return result;
      const r = await this.#readVersion(p, info, range);
      if (r.changed) {
        if (attempt >= READ_ATTEMPTS) throw new UnavailableError('the file kept changing while it was being read; retry');
        info = r.info;
        continue;
      }
      return { ...result, stream: guarded(r.stream, length, req.onBytes) };
    }
  }

  /** Reads one range and reports whether the bytes come from a different version than planned. */
  async #readVersion(p: string, planned: FileInfo, range: ByteRange): Promise<{ changed: false; stream: Readable } | { changed: true; info: FileInfo }> {
    let r: ReadResult;
    try {
      r = await this.#client.readRange(p, range.start, rangeLength(range));
    } catch (err) {
      // The file shrank between stat and read: re-plan against what is there now.
      if (err instanceof GodfsError && err.code === 'invalid_range') return { changed: true, info: await this.#client.stat(p) };
      throw err;
    }
    if (sameVersion(r.info, planned)) return { changed: false, stream: r.stream };
    r.stream.destroy();
    return { changed: true, info: r.info };
  }

  /** Creates or atomically replaces a file with the stream's bytes. */
  async put(path: string, source: Readable | Uint8Array, o: PutOptions = {}): Promise<FileInfo> {
    const p = normalizePath(path);
    if (o.maxBytes !== undefined && o.declaredLength !== undefined && o.declaredLength > o.maxBytes) {
      throw new TooLargeError(`the body (${o.declaredLength} bytes) is larger than the ${o.maxBytes}-byte limit`);
    }
    const guards = await this.#writeGuards(p, o.ifMatch, o.ifNoneMatch);
    try {
      return await this.#client.write(p, source, {
        ...guards, xattrs: o.xattrs, maxBytes: o.maxBytes, parents: o.parents, sizeHint: o.declaredLength, ...(o.parentsBelow ? { parentsBelow: o.parentsBelow } : {}),
      });
    } catch (err) {
      throw guardError(err, guards);
    }
  }

  /**
   * Turns If-Match / If-None-Match into the sdk's atomic guards. The two common forms map directly
   * (`If-None-Match: *` → exclusive, one strong `If-Match` tag → ifMatch, checked by the master). The
   * rest is evaluated against a stat, and the version it saw is then pinned with ifMatch/exclusive so
   * a concurrent writer still makes the write fail instead of slipping past the check.
   */
  async #writeGuards(p: string, ifMatch?: string, ifNoneMatch?: string): Promise<{ ifMatch?: string; exclusive?: boolean }> {
    const im = ifMatch === undefined ? undefined : parseEtagList(ifMatch);
    const inm = ifNoneMatch === undefined ? undefined : parseEtagList(ifNoneMatch);
    if (im === undefined && inm === undefined) return {};
    if (im === undefined && inm === '*') return { exclusive: true };
    if (inm === undefined && im !== undefined && im !== '*' && im.length === 1 && !im[0]!.weak) return { ifMatch: im[0]!.tag };
    let cur: FileInfo | undefined;
    try {
      cur = await this.#client.stat(p);
    } catch (err) {
      if (!(err instanceof NotFoundError)) throw err;
    }
    if (cur?.isDir) throw new IsADirectoryError(`${p} is a directory`);
    if (im !== undefined && (!cur || !strongMatch(im, cur.etag))) throw new PreconditionFailedError('If-Match does not match the current ETag');
    if (inm !== undefined && cur && weakMatch(inm, cur.etag)) throw new PreconditionFailedError('If-None-Match matches the current ETag');
    if (!cur) return { exclusive: true };
    return cur.etag ? { ifMatch: cur.etag } : {};
  }

  async delete(path: string, opts: { recursive?: boolean; onlyFile?: boolean; onlyDir?: boolean } = {}): Promise<void> {
    const p = normalizePath(path);
    if (p === '/') throw new InvalidArgumentError('the root directory cannot be deleted');
    await this.#client.delete(p, { recursive: opts.recursive ?? false, ...(opts.onlyFile ? { onlyFile: true } : {}), ...(opts.onlyDir ? { onlyDir: true } : {}) });
  }

  list(path: string, opts: { limit?: number; cursor?: string } = {}): Promise<ListResult> {
    return this.#client.list(normalizePath(path), opts);
  }

  mkdir(path: string, opts: { parents?: boolean } = {}): Promise<FileInfo> {
    return this.#client.mkdir(normalizePath(path), { parents: opts.parents ?? false });
  }

  /** Creates an empty file; already_exists when the path is taken. */
  createFile(path: string, opts: { parents?: boolean } = {}): Promise<FileInfo> {
    return this.#client.create(normalizePath(path), { exclusive: true, parents: opts.parents ?? false });
  }

  rename(oldPath: string, newPath: string): Promise<void> {
    return this.#client.rename(normalizePath(oldPath), normalizePath(newPath));
  }

  truncate(path: string, size: number): Promise<FileInfo> {
    if (!Number.isSafeInteger(size) || size < 0) throw new InvalidArgumentError('size must be a non-negative integer');
    return this.#client.truncate(normalizePath(path), size);
  }

  /** Ready = the master answers and at least one chunkserver is alive. */
  async ready(): Promise<boolean> {
    try {
      const s = await this.#client.clusterStats();
      return s.nodesAlive >= 1;
    } catch {
      return false;
    }
  }

  readonly multipart = {
    /** Uploads in progress whose target path starts with `pathPrefix` (sorted by path, then age). */
    list: (pathPrefix: string): Promise<UploadInfo[]> => this.#client.listUploads({ pathPrefix }),

    create: (path: string, opts: { xattrs?: Record<string, Buffer | string> } = {}): Promise<UploadInfo> =>
      this.#client.createUpload(normalizePath(path), opts),

    uploadPart: async (uploadId: string, partNumber: number, source: Readable | Uint8Array, o: { maxBytes?: number; declaredLength?: number } = {}): Promise<PartInfo> => {
      checkUploadId(uploadId);
      checkPartNumber(partNumber);
      if (o.maxBytes !== undefined && o.declaredLength !== undefined && o.declaredLength > o.maxBytes) {
        throw new TooLargeError(`the part (${o.declaredLength} bytes) is larger than the ${o.maxBytes}-byte limit`);
      }
      return this.#client.uploadPart(uploadId, partNumber, source, { maxBytes: o.maxBytes, sizeHint: o.declaredLength });
    },

    listParts: (uploadId: string): Promise<{ upload: UploadInfo; parts: PartInfo[] }> => {
      checkUploadId(uploadId);
      return this.#client.listParts(uploadId);
    },

    complete: async (uploadId: string, parts: CompletePart[], o: { ifMatch?: string; ifNoneMatch?: string } = {}): Promise<FileInfo> => {
      checkUploadId(uploadId);
      if (parts.length === 0) throw new InvalidArgumentError('complete needs at least one part');
      let prev = 0;
      for (const part of parts) {
        checkPartNumber(part.partNumber);
        // S3 semantics (InvalidPartOrder): ascending, no repeats, so the splice order is unambiguous.
        if (part.partNumber <= prev) throw new InvalidArgumentError('parts must be listed in strictly ascending part-number order');
        prev = part.partNumber;
      }
      let guards: { ifMatch?: string; exclusive?: boolean } = {};
      if (parts.some((x) => x.etag !== undefined) || o.ifMatch !== undefined || o.ifNoneMatch !== undefined) {
        const { upload, parts: uploaded } = await this.#client.listParts(uploadId);
        const byNumber = new Map(uploaded.map((x) => [x.partNumber, x]));
        for (const part of parts) {
          const have = byNumber.get(part.partNumber);
          if (!have) throw new InvalidArgumentError(`part ${part.partNumber} was not uploaded`);
          if (part.etag !== undefined && parseEtagListTag(part.etag) !== have.etag) throw new InvalidArgumentError(`part ${part.partNumber}: ETag does not match the uploaded part`);
        }
        guards = await this.#writeGuards(upload.path, o.ifMatch, o.ifNoneMatch);
      }
      try {
        return await this.#client.completeUpload(uploadId, parts.map((x) => x.partNumber), guards);
      } catch (err) {
        throw guardError(err, guards);
      }
    },

    /** Idempotent: aborting an unknown or finished upload succeeds. */
    abort: async (uploadId: string): Promise<void> => {
      checkUploadId(uploadId);
      try {
        await this.#client.abortUpload(uploadId);
      } catch (err) {
        if (!(err instanceof NotFoundError)) throw err;
      }
    },
  };
}

/** The sdk's guard failures, as HTTP preconditions report them (RFC 9110 §13.1.1, §13.1.2). */
function guardError(err: unknown, guards: { ifMatch?: string; exclusive?: boolean }): unknown {
  // If-Match on a missing file is a failed precondition, not a 404...
  if (guards.ifMatch !== undefined && err instanceof NotFoundError) return new PreconditionFailedError('If-Match given but the file does not exist');
  // ...and an If-None-Match that finds the file is one too, not a 409.
  if (guards.exclusive && err instanceof AlreadyExistsError) return new PreconditionFailedError('If-None-Match given but the file exists');
  return err;
}

function parseEtagListTag(v: string): string {
  const list = parseEtagList(v);
  return list === '*' || list.length !== 1 ? v : list[0]!.tag;
}
