// The master's state machine: namespace (inodes, sorted directories), the chunk map, and multipart
// uploads. Every mutation is a serialisable Command applied by apply(). apply() is deterministic —
// no clock reads, no randomness: times and ids travel inside the command — so the Raft issue can
// replicate exactly these commands. apply() is also atomic: it validates everything before it
// mutates anything, so a command that throws leaves the state untouched.
import { BTree } from '../../common/btree.js';
import {
  AlreadyExistsError,
  GodfsError,
  InvalidArgumentError,
  IsADirectoryError,
  NotADirectoryError,
  NotEmptyError,
  NotFoundError,
  PreconditionFailedError,
} from '../../common/errors.js';
import { splitPath } from '../../common/paths.js';
import { compareUtf8 } from '../../common/utf8.js';
import { coalesce, HOLE, overlay, resize, totalLength, type Extent } from './extents.js';
import type { Command, WrittenExtent } from './commands.js';
import { applyReplicaCommand } from './replica-commands.js';

export type InodeType = 'file' | 'dir' | 'symlink';

export interface Inode {
  id: number;
  type: InodeType;
  mode: number;
  uid: number;
  gid: number;
  size: number;
  mtimeMs: number;
  ctimeMs: number;
  atimeMs: number;
  birthMs: number;
  nlink: number;
  /** xattr name → value, base64 (keeps the state JSON-serialisable). */
  xattrs: Record<string, string>;
  etag: string;
  gen: number;
  target?: string;
  extents?: Extent[];
  /** Directories only: parent inode id (the root is its own parent). */
  parent?: number;
}

export interface ChunkRecord {
  /** The committed version: replicas at any other version are stale (GFS §4.5). */
  version: number;
  /** Node ids holding a complete, fsynced replica at `version` (from the commit, then replica_add/remove). */
  replicas: string[];
  /** Number of extents (in files and upload parts) that reference this chunk. */
  refs: number;
  /** Replication goal: how many replicas the chunk was written with (older states: replicas.length). */
  goal?: number;
  /** Chunk size in bytes, as committed. */
  size?: number;
}

export interface PartRecord {
  extents: Extent[];
  size: number;
  etag: string;
  modifiedMs: number;
}

export interface UploadRecord {
  path: string;
  createdMs: number;
  xattrs: Record<string, string>;
  parts: Map<number, PartRecord>;
}

export interface AccessKeyRecord {
  secretKey: string;
  buckets: string[];
  readOnly: boolean;
  description: string;
  createdMs: number;
}

export const ROOT_ID = 1;
const DIR_MODE = 0o755;
const FILE_MODE = 0o644;

export class Fsm {
  clusterId = '';
  inodes = new Map<number, Inode>();
  dirs = new Map<number, BTree<string, number>>();
  chunks = new Map<number, ChunkRecord>();
  /** Chunks no longer referenced, with the command time they became garbage. */
  garbage = new Map<number, { replicas: string[]; sinceMs: number }>();
  uploads = new Map<string, UploadRecord>();
  /** S3 access keys (the root key from configuration is not stored). */
  keys = new Map<string, AccessKeyRecord>();
  /** Chunkservers being drained (`godfs admin drain`): no new chunks, replicas moved off. */
  draining = new Set<string>();
  nextInodeId = ROOT_ID + 1;
  /** Chunk ids below this have been handed out (reserved in blocks through the log). */
  chunkIdLimit = 1;
  appliedIndex = 0;

  constructor() {
    this.#putInode({ id: ROOT_ID, type: 'dir', mode: DIR_MODE, uid: 0, gid: 0, size: 0, mtimeMs: 0, ctimeMs: 0, atimeMs: 0, birthMs: 0, nlink: 2, xattrs: {}, etag: '', gen: 0, parent: ROOT_ID });
  }

  // ---- reads -------------------------------------------------------------------------------

  /** Resolves a path to its inode; throws NotFound / NotADirectory / InvalidPath. */
  resolve(path: string): Inode {
    return this.#walk(splitPath(path));
  }

  /** Resolves the parent of a path: [parent dir inode, last name]. */
  resolveParent(path: string, parents = false): { dir: Inode | undefined; name: string; missing: string[] } {
    const parts = splitPath(path);
    if (parts.length === 0) throw new InvalidArgumentError('the root has no parent');
    const name = parts[parts.length - 1]!;
    let cur = this.inodes.get(ROOT_ID)!;
    for (let i = 0; i < parts.length - 1; i++) {
      const childId = this.dirs.get(cur.id)!.get(parts[i]!);
      if (childId === undefined) {
        if (!parents) throw new NotFoundError(`no such directory: /${parts.slice(0, i + 1).join('/')}`);
        return { dir: undefined, name, missing: parts.slice(i, -1) };
      }
      const child = this.inodes.get(childId)!;
      if (child.type !== 'dir') throw new NotADirectoryError(`not a directory: /${parts.slice(0, i + 1).join('/')}`);
      cur = child;
    }
    return { dir: cur, name, missing: [] };
  }

  #walk(parts: string[]): Inode {
    let cur = this.inodes.get(ROOT_ID)!;
    for (let i = 0; i < parts.length; i++) {
      if (cur.type !== 'dir') throw new NotADirectoryError(`not a directory: /${parts.slice(0, i).join('/')}`);
      const childId = this.dirs.get(cur.id)!.get(parts[i]!);
      if (childId === undefined) throw new NotFoundError(`no such file or directory: /${parts.slice(0, i + 1).join('/')}`);
      cur = this.inodes.get(childId)!;
    }
    return cur;
  }

  /** Up to `limit` entries of a directory strictly after `cursor`, in UTF-8 byte order. */
  list(path: string, limit: number, cursor: string): { entries: Array<[string, Inode]>; more: boolean } {
    const dir = this.resolve(path);
    if (dir.type !== 'dir') throw new NotADirectoryError(`not a directory: ${path}`);
    const tree = this.dirs.get(dir.id)!;
    const entries: Array<[string, Inode]> = [];
    let more = false;
    // An ordered scan from the cursor: never a full sort, never the whole directory in memory.
    for (const [name, id] of tree.entries(cursor || undefined)) {
      if (cursor && name === cursor) continue;
      if (entries.length === limit) {
        more = true;
        break;
      }
      entries.push([name, this.inodes.get(id)!]);
    }
    return { entries, more };
  }

  // ---- apply -------------------------------------------------------------------------------

  apply(cmd: Command, index: number): unknown {
    const result = this.#dispatch(cmd);
    this.appliedIndex = index;
    return result;
  }

  #dispatch(cmd: Command): unknown {
    switch (cmd.op) {
      case 'init':
        if (!this.clusterId) this.clusterId = cmd.clusterId;
        return this.clusterId;
      case 'reserve_ids':
        this.chunkIdLimit = Math.max(this.chunkIdLimit, cmd.upTo);
        return this.chunkIdLimit;
      case 'mkdir':
        return this.#mkdir(cmd);
      case 'create':
        return this.#create(cmd);
      case 'delete':
        return this.#delete(cmd);
      case 'rename':
        return this.#rename(cmd);
      case 'setattr':
        return this.#setattr(cmd);
      case 'truncate': {
        const ino = this.#fileForWrite(cmd.path);
        this.#setContent(ino, resize(ino.extents!, ino.size, cmd.size), cmd.size, cmd.now, contentEtag(ino.id, ino.gen + 1));
        return ino;
      }
      case 'commit':
        return this.#commit(cmd);
      case 'upload_create': {
        const { dir } = this.resolveParent(cmd.path, true);
        if (dir === undefined) { /* parents are created at complete time */ }
        if (this.uploads.has(cmd.uploadId)) throw new AlreadyExistsError('upload id in use');
        this.uploads.set(cmd.uploadId, { path: cmd.path, createdMs: cmd.now, xattrs: cmd.xattrs, parts: new Map() });
        return cmd.uploadId;
      }
      case 'upload_part': {
        const up = this.#upload(cmd.uploadId);
        const extents = coalesce(cmd.extents.map((w) => w.extent));
        this.#addChunks(cmd.extents);
        this.#ref(extents, +1);
        const old = up.parts.get(cmd.partNumber);
        if (old) this.#ref(old.extents, -1, cmd.now);
        const part = { extents, size: cmd.size, etag: cmd.etag, modifiedMs: cmd.now };
        up.parts.set(cmd.partNumber, part);
        return part;
      }
      case 'upload_complete':
        return this.#completeUpload(cmd);
      case 'upload_abort': {
        const up = this.#upload(cmd.uploadId);
        for (const p of up.parts.values()) this.#ref(p.extents, -1, cmd.now);
        this.uploads.delete(cmd.uploadId);
        return undefined;
      }
      case 'key_create': {
        if (this.keys.has(cmd.accessKeyId)) throw new AlreadyExistsError(`access key ${cmd.accessKeyId} exists`);
        const rec = { secretKey: cmd.secretKey, buckets: [...cmd.buckets], readOnly: cmd.readOnly, description: cmd.description, createdMs: cmd.now };
        this.keys.set(cmd.accessKeyId, rec);
        return rec;
      }
      case 'key_revoke':
        if (!this.keys.delete(cmd.accessKeyId)) throw new NotFoundError(`no such access key: ${cmd.accessKeyId}`);
        return undefined;
      case 'gc_done':
        for (const id of cmd.chunkIds) this.garbage.delete(id);
        return undefined;
      case 'replica_add':
      case 'replica_remove':
      case 'node_drain':
        return applyReplicaCommand(this, cmd);
      default: {
        const never: never = cmd;
        throw new InvalidArgumentError(`unknown command ${JSON.stringify(never)}`);
      }
    }
  }

  #mkdir(cmd: Extract<Command, { op: 'mkdir' }>): Inode {
    const parts = splitPath(cmd.path);
    if (parts.length === 0) {
      if (cmd.parents) return this.inodes.get(ROOT_ID)!;
      throw new AlreadyExistsError('/ already exists');
    }
    // Validate the whole walk before creating anything (atomic apply).
    let cur = this.inodes.get(ROOT_ID)!;
    let i = 0;
    for (; i < parts.length; i++) {
      const childId = this.dirs.get(cur.id)!.get(parts[i]!);
      if (childId === undefined) break;
      const child = this.inodes.get(childId)!;
      if (child.type !== 'dir') throw i === parts.length - 1 ? new AlreadyExistsError(`a file exists at ${cmd.path}`) : new NotADirectoryError(`not a directory: /${parts.slice(0, i + 1).join('/')}`);
      cur = child;
    }
    if (i === parts.length) {
      if (cmd.parents) return cur;
      throw new AlreadyExistsError(`${cmd.path} already exists`);
    }
    if (i < parts.length - 1 && !cmd.parents) throw new NotFoundError(`no such directory: /${parts.slice(0, i + 1).join('/')}`);
    for (; i < parts.length; i++) {
      cur = this.#newChild(cur, parts[i]!, { type: 'dir', mode: cmd.mode || DIR_MODE, uid: cmd.uid, gid: cmd.gid, now: cmd.now });
    }
    return cur;
  }

  #create(cmd: Extract<Command, { op: 'create' }>): Inode {
    const dir = this.#parentForCreate(cmd.path, cmd.parents);
    const name = splitPath(cmd.path).at(-1)!;
    const existingId = dir ? this.dirs.get(dir.id)!.get(name) : undefined;
    if (existingId !== undefined) {
      const existing = this.inodes.get(existingId)!;
      if (cmd.exclusive || cmd.target !== undefined) throw new AlreadyExistsError(`${cmd.path} already exists`);
      if (existing.type === 'dir') throw new IsADirectoryError(`${cmd.path} is a directory`);
      return existing;
    }
    const parent = dir ?? this.#mkdir({ op: 'mkdir', path: '/' + splitPath(cmd.path).slice(0, -1).join('/'), parents: true, mode: 0, uid: cmd.uid, gid: cmd.gid, now: cmd.now });
    return this.#newChild(parent, name, {
      type: cmd.target !== undefined ? 'symlink' : 'file',
      mode: cmd.mode || (cmd.target !== undefined ? 0o777 : FILE_MODE),
      uid: cmd.uid,
      gid: cmd.gid,
      now: cmd.now,
      target: cmd.target,
    });
  }

  /** The parent directory for a create; undefined when it is missing and `parents` allows creating it. */
  #parentForCreate(path: string, parents: boolean): Inode | undefined {
    const { dir, missing } = this.resolveParent(path, parents);
    if (dir === undefined && missing.length === 0) throw new NotFoundError(`no parent for ${path}`);
    if (dir === undefined) {
      // Fail now if some existing component on the way is a file (checked before any mutation).
      this.#checkMkdirPossible('/' + splitPath(path).slice(0, -1).join('/'));
    }
    return dir;
  }

  #checkMkdirPossible(path: string): void {
    let cur = this.inodes.get(ROOT_ID)!;
    for (const p of splitPath(path)) {
      const id = this.dirs.get(cur.id)!.get(p);
      if (id === undefined) return;
      const c = this.inodes.get(id)!;
      if (c.type !== 'dir') throw new NotADirectoryError(`not a directory: ${p}`);
      cur = c;
    }
  }

  #newChild(parent: Inode, name: string, a: { type: InodeType; mode: number; uid: number; gid: number; now: number; target?: string }): Inode {
    const ino: Inode = {
      id: this.nextInodeId++,
      type: a.type,
      mode: a.mode & 0o7777,
      uid: a.uid,
      gid: a.gid,
      size: a.type === 'symlink' ? Buffer.byteLength(a.target ?? '') : 0,
      mtimeMs: a.now,
      ctimeMs: a.now,
      atimeMs: a.now,
      birthMs: a.now,
      nlink: a.type === 'dir' ? 2 : 1,
      xattrs: {},
      etag: a.type === 'file' ? EMPTY_MD5 : '',
      gen: 0,
    };
    if (a.type === 'file') ino.extents = [];
    if (a.type === 'symlink') ino.target = a.target ?? '';
    if (a.type === 'dir') ino.parent = parent.id;
    this.#putInode(ino);
    this.dirs.get(parent.id)!.set(name, ino.id);
    if (a.type === 'dir') parent.nlink++;
    parent.mtimeMs = parent.ctimeMs = a.now;
    return ino;
  }

  #putInode(ino: Inode): void {
    this.inodes.set(ino.id, ino);
    if (ino.type === 'dir') this.dirs.set(ino.id, new BTree<string, number>(undefined, compareUtf8));
  }

  #delete(cmd: Extract<Command, { op: 'delete' }>): void {
    const { dir, name } = this.resolveParent(cmd.path);
    const id = this.dirs.get(dir!.id)!.get(name);
    if (id === undefined) throw new NotFoundError(`no such file or directory: ${cmd.path}`);
    const ino = this.inodes.get(id)!;
    if (ino.type === 'dir') {
      if (cmd.onlyFile) throw new IsADirectoryError(`${cmd.path} is a directory`);
      if (!cmd.recursive && this.dirs.get(id)!.size > 0) throw new NotEmptyError(`${cmd.path} is not empty`);
    } else if (cmd.onlyDir) {
      throw new NotADirectoryError(`${cmd.path} is not a directory`);
    }
    this.dirs.get(dir!.id)!.delete(name);
    if (ino.type === 'dir') dir!.nlink--;
    dir!.mtimeMs = dir!.ctimeMs = cmd.now;
    this.#dropTree(ino, cmd.now);
  }

  /** Frees an unlinked inode and, for a directory, everything below it. */
  #dropTree(ino: Inode, now: number): void {
    const stack = [ino];
    while (stack.length) {
      const cur = stack.pop()!;
      if (cur.type === 'dir') {
        for (const childId of this.dirs.get(cur.id)!.values()) stack.push(this.inodes.get(childId)!);
        this.dirs.delete(cur.id);
      } else if (cur.extents) {
        this.#ref(cur.extents, -1, now);
      }
      this.inodes.delete(cur.id);
    }
  }

  #rename(cmd: Extract<Command, { op: 'rename' }>): void {
    const from = splitPath(cmd.from);
    const to = splitPath(cmd.to);
    if (from.length === 0 || to.length === 0) throw new InvalidArgumentError('cannot rename the root');
    const src = this.resolveParent(cmd.from);
    const srcId = this.dirs.get(src.dir!.id)!.get(src.name);
    if (srcId === undefined) throw new NotFoundError(`no such file or directory: ${cmd.from}`);
    const ino = this.inodes.get(srcId)!;
    const dst = this.resolveParent(cmd.to);
    if (ino.type === 'dir') {
      // rename(2) EINVAL: a directory may not move into its own subtree.
      for (let a: Inode = dst.dir!; ; a = this.inodes.get(a.parent!)!) {
        if (a.id === ino.id) throw new InvalidArgumentError(`cannot move ${cmd.from} into its own subtree ${cmd.to}`);
        if (a.id === ROOT_ID) break;
      }
    }
    const dstTree = this.dirs.get(dst.dir!.id)!;
    const existingId = dstTree.get(dst.name);
    if (existingId === ino.id) return; // same file: rename(2) does nothing
    let replaced: Inode | undefined;
    if (existingId !== undefined) {
      if (cmd.noReplace) throw new AlreadyExistsError(`${cmd.to} already exists`);
      replaced = this.inodes.get(existingId)!;
      if (ino.type === 'dir' && replaced.type !== 'dir') throw new NotADirectoryError(`${cmd.to} is not a directory`);
      if (ino.type !== 'dir' && replaced.type === 'dir') throw new IsADirectoryError(`${cmd.to} is a directory`);
      if (replaced.type === 'dir' && this.dirs.get(replaced.id)!.size > 0) throw new NotEmptyError(`${cmd.to} is not empty`);
    }
    // Validation done; mutate.
    this.dirs.get(src.dir!.id)!.delete(src.name);
    if (replaced) {
      dstTree.delete(dst.name);
      if (replaced.type === 'dir') dst.dir!.nlink--;
      this.#dropTree(replaced, cmd.now);
    }
    dstTree.set(dst.name, ino.id);
    if (ino.type === 'dir') {
      src.dir!.nlink--;
      dst.dir!.nlink++;
      ino.parent = dst.dir!.id;
    }
    src.dir!.mtimeMs = src.dir!.ctimeMs = cmd.now;
    dst.dir!.mtimeMs = dst.dir!.ctimeMs = cmd.now;
    ino.ctimeMs = cmd.now;
  }

  #setattr(cmd: Extract<Command, { op: 'setattr' }>): Inode {
    const ino = this.resolve(cmd.path);
    if (cmd.mode !== undefined) ino.mode = cmd.mode & 0o7777;
    if (cmd.uid !== undefined) ino.uid = cmd.uid;
    if (cmd.gid !== undefined) ino.gid = cmd.gid;
    if (cmd.atimeMs !== undefined) ino.atimeMs = cmd.atimeMs;
    if (cmd.mtimeMs !== undefined) ino.mtimeMs = cmd.mtimeMs;
    if (cmd.replaceXattrs) ino.xattrs = {};
    for (const k of cmd.removeXattrs ?? []) delete ino.xattrs[k];
    Object.assign(ino.xattrs, cmd.setXattrs ?? {});
    ino.ctimeMs = cmd.now;
    return ino;
  }

  #fileForWrite(path: string): Inode {
    const ino = this.resolve(path);
    if (ino.type === 'dir') throw new IsADirectoryError(`${path} is a directory`);
    if (ino.type !== 'file') throw new InvalidArgumentError(`${path} is not a regular file`);
    return ino;
  }

  /**
   * Everything a commit to `path` checks before it mutates: the target (a file, or absent when
   * `create`), the guards, and the parent directories it may have to make. Returns the existing file.
   * Also the allocation-time precheck (AllocateRequest.precheck), so both answer alike.
   */
  checkCommit(c: { path: string; mode: 'replace' | 'write_at'; create: boolean; exclusive: boolean; ifMatch: string; parents: boolean; parentsBelow?: string }): Inode | undefined {
    let ino: Inode | undefined;
    try {
      ino = this.resolve(c.path);
    } catch (err) {
      if (!(err instanceof NotFoundError) || !c.create) throw err;
    }
    if (ino) {
      if (ino.type === 'dir') throw new IsADirectoryError(`${c.path} is a directory`);
      if (ino.type !== 'file') throw new InvalidArgumentError(`${c.path} is not a regular file`);
      if (c.mode === 'replace' && c.exclusive) throw new PreconditionFailedError(`${c.path} already exists`);
      if (c.ifMatch && c.ifMatch !== '*' && c.ifMatch !== ino.etag) throw new PreconditionFailedError(`etag of ${c.path} does not match`);
    } else {
      if (c.ifMatch) throw new PreconditionFailedError(`${c.path} does not exist`);
      if (this.#parentForCreate(c.path, c.parents) === undefined && c.parentsBelow) {
        // Directories are to be made: only below parentsBelow, which must already be there.
        if (!c.path.startsWith(c.parentsBelow === '/' ? '/' : `${c.parentsBelow}/`)) throw new InvalidArgumentError(`${c.path} is not below ${c.parentsBelow}`);
        const below = this.resolve(c.parentsBelow);
        if (below.type !== 'dir') throw new NotADirectoryError(`not a directory: ${c.parentsBelow}`);
      }
    }
    return ino;
  }

  #commit(cmd: Extract<Command, { op: 'commit' }>): Inode {
    const written = cmd.extents.map((w) => w.extent);
    if (totalLength(written) !== cmd.length) throw new InvalidArgumentError('extent lengths do not add up to the written length');
    let ino = this.checkCommit(cmd);
    // Validation done; mutate.
    this.#addChunks(cmd.extents);
    ino ??= this.#create({ op: 'create', path: cmd.path, exclusive: true, parents: cmd.parents, mode: cmd.modeBits, uid: 0, gid: 0, now: cmd.now });
    if (cmd.mode === 'replace') {
      this.#setContent(ino, coalesce(written), cmd.length, cmd.now, cmd.etag || contentEtag(ino.id, ino.gen + 1));
      if (cmd.setXattrs) ino.xattrs = { ...(cmd.xattrs ?? {}) };
    } else {
      const size = Math.max(ino.size, cmd.offset + cmd.length);
      this.#setContent(ino, overlay(ino.extents!, ino.size, cmd.offset, written), size, cmd.now, contentEtag(ino.id, ino.gen + 1));
    }
    return ino;
  }

  #completeUpload(cmd: Extract<Command, { op: 'upload_complete' }>): Inode {
    const up = this.#upload(cmd.uploadId);
    const parts: PartRecord[] = [];
    for (const n of cmd.partNumbers) {
      const p = up.parts.get(n);
      if (!p) throw new GodfsError('invalid_argument', `part ${n} was not uploaded`);
      parts.push(p);
    }
    const extents = coalesce(parts.flatMap((p) => p.extents));
    const size = parts.reduce((s, p) => s + p.size, 0);
    // Reuse commit's validation and create path: the parts' chunks are already in the chunk map.
    const ino = this.#commit({
      op: 'commit', path: up.path, mode: 'replace', offset: 0, length: size, etag: cmd.etag,
      extents: extents.map((extent) => ({ extent, replicaIds: this.chunks.get(extent.chunkId)?.replicas ?? [] })),
      create: true, exclusive: cmd.exclusive, ifMatch: cmd.ifMatch, parents: true, modeBits: 0,
      setXattrs: true, xattrs: up.xattrs, now: cmd.now,
    });
    // The file now references the spliced extents (counted by #commit); drop the upload's own refs,
    // including parts that were uploaded but not listed.
    for (const p of up.parts.values()) this.#ref(p.extents, -1, cmd.now);
    this.uploads.delete(cmd.uploadId);
    return ino;
  }

  #upload(id: string): UploadRecord {
    const up = this.uploads.get(id);
    if (!up) throw new NotFoundError(`no such upload: ${id}`);
    return up;
  }

  #setContent(ino: Inode, extents: Extent[], size: number, now: number, etag: string): void {
    this.#ref(extents, +1);
    this.#ref(ino.extents ?? [], -1, now);
    ino.extents = extents;
    ino.size = size;
    ino.mtimeMs = ino.ctimeMs = now;
    ino.gen++;
    ino.etag = etag;
  }

  #addChunks(written: readonly WrittenExtent[]): void {
    for (const w of written) {
      const id = w.extent.chunkId;
      if (id === HOLE) continue;
      if (id >= this.chunkIdLimit) throw new InvalidArgumentError(`chunk ${id} was never allocated`);
      const rec = this.chunks.get(id);
      if (!rec) {
        const replicas = [...new Set(w.replicaIds)];
        const size = w.extent.chunkOffset + w.extent.length;
        this.chunks.set(id, { version: w.extent.version, replicas, refs: 0, goal: Math.max(1, replicas.length), size });
        this.garbage.delete(id);
      } else if (rec.version === w.extent.version && rec.size !== undefined) {
        rec.size = Math.max(rec.size, w.extent.chunkOffset + w.extent.length);
      }
    }
  }

  #ref(extents: readonly Extent[], delta: 1 | -1, now = 0): void {
    for (const e of extents) {
      if (e.chunkId === HOLE) continue;
      const rec = this.chunks.get(e.chunkId);
      if (!rec) continue;
      rec.refs += delta;
      if (rec.refs <= 0) {
        // GFS §4.4: unreferenced chunks are reclaimed lazily, after a grace period.
        this.chunks.delete(e.chunkId);
        this.garbage.set(e.chunkId, { replicas: rec.replicas, sinceMs: now });
      }
    }
  }
}

/** MD5 of zero bytes: the etag of an empty file, as S3 reports it. */
export const EMPTY_MD5 = 'd41d8cd98f00b204e9800998ecf8427e';

/** A strong validator for content produced by writeAt/truncate, where no whole-content MD5 is known. */
export function contentEtag(inodeId: number, gen: number): string {
  return `${inodeId.toString(16)}g${gen.toString(16)}`;
}
