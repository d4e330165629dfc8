// The master's state machine: namespace (inodes, sorted directories), the chunk map, and multipart
// uploads. Every mutation is a serialisable Command applied by apply(). apply() is deterministic —
// no clock reads, no randomness: times and ids travel inside the command — so the Raft issue can
// replicate exactly these commands.
//
// apply() is also atomic, by construction rather than by rollback: each command is handled in two
// phases. The first (#prepare and the #prepareX helpers) checks everything the command needs — paths,
// types, preconditions, chunk ids and versions, upload and part numbers — reading the state only, and
// throws a typed GodfsError if the command is refused. It returns the second phase, a closure that
// makes the changes and cannot fail for a command that passed the checks. Every command's checks can
// be made against the state as it stands before its first change (even commit, which may have to make
// directories, a file and chunk records: the directories it would make are planned during the checks),
// so no command needs a copy-on-write or undo-logged state. Should a mutation throw anyway (a bug),
// apply() reports a PartialApplyError: the state may be half-changed, and the MetaStore stops rather
// than serve or log it (a restart replays the log, which never saw the command).
//
// apply() returns copies taken when the command is applied (inodes, chunk, part and upload records),
// never the live objects: a caller reads its result after awaiting the log's fsync, by which time
// later commands may have changed the live ones.
import { BTree } from '../../common/btree.js';
import {
  AlreadyExistsError,
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
import { prepareReplicaCommand } from './replica-commands.js';
import { MAX_SESSIONS, type SessionAnswer } from './session.js';

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

/** S3's part numbers: 1..10000. */
const MAX_PART_NUMBER = 10_000;

/** What upload_create returns: the upload as created (a plain object, not the live record). */
export interface UploadCreated {
  uploadId: string;
  path: string;
  createdMs: number;
  xattrs: Record<string, string>;
}

/** A deep copy of an inode, unaffected by later commands. */
export function copyInode(ino: Inode): Inode {
  const c: Inode = { ...ino, xattrs: { ...ino.xattrs } };
  if (ino.extents) c.extents = ino.extents.map((e) => ({ ...e }));
  return c;
}

function copyChunk(rec: ChunkRecord): ChunkRecord {
  return { ...rec, replicas: [...rec.replicas] };
}

function copyPart(p: PartRecord): PartRecord {
  return { ...p, extents: p.extents.map((e) => ({ ...e })) };
}

/**
 * A command's mutation threw after its checks had passed: a bug, and the state may be half-changed.
 * Not a GodfsError on purpose — it is not a refusal, and whoever applies commands must stop.
 */
export class PartialApplyError extends Error {
  readonly op: Command['op'];
  constructor(op: Command['op'], cause: unknown) {
    super(`command ${op} failed part-way through changing the state: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'PartialApplyError';
    this.op = op;
  }
}

/** The second phase of apply(): the changes of a command that passed its checks. Must not throw. */
type Mutation<T = unknown> = () => T;

function isCount(n: unknown): n is number {
  return Number.isSafeInteger(n) && (n as number) >= 0;
}

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
  /** Answers of session-tagged commands (cluster/master/session.ts), oldest first. */
  sessions = new Map<string, SessionAnswer>();

  /** Remembers a session-tagged command's answer, forgetting the oldest past MAX_SESSIONS. */
  rememberSession(key: string, answer: SessionAnswer): void {
    this.sessions.set(key, answer);
    while (this.sessions.size > MAX_SESSIONS) this.sessions.delete(this.sessions.keys().next().value!);
  }

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
    const { base, missing, name } = this.#locateParent(path, parents);
    return { dir: missing.length ? undefined : base, name, missing };
  }

  /**
   * The parent directory of `path`, or — with `parents`, when some of it is missing — the deepest
   * directory that exists and the names still to make below it. Throws NotFound for a missing parent
   * without `parents`, NotADirectory where an existing component is not a directory, InvalidArgument
   * for the root. Reads only.
   */
  #locateParent(path: string, parents: boolean): { base: Inode; missing: string[]; name: string } {
    const parts = splitPath(path);
    if (parts.length === 0) throw new InvalidArgumentError('the root has no parent');
    const name = parts[parts.length - 1]!;
    let cur = this.inodes.get(ROOT_ID)!;
    for (let i = 0; i < parts.length - 1; i++) {
      const childId = this.dirs.get(cur.id)!.get(parts[i]!);
      if (childId === undefined) {
        if (!parents) throw new NotFoundError(`no such directory: /${parts.slice(0, i + 1).join('/')}`);
        // Nothing exists below a missing component, so no file can be in the way further down.
        return { base: cur, missing: parts.slice(i, -1), name };
      }
      const child = this.inodes.get(childId)!;
      if (child.type !== 'dir') throw new NotADirectoryError(`not a directory: /${parts.slice(0, i + 1).join('/')}`);
      cur = child;
    }
    return { base: cur, missing: [], name };
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

  /**
   * Applies one command: either refuses it (throws a GodfsError and changes nothing, not even
   * appliedIndex) or applies it whole and returns its result, a copy taken now.
   */
  apply(cmd: Command, index: number): unknown {
    const mutate = this.#prepare(cmd);
    let result: unknown;
    try {
      result = mutate();
    } catch (err) {
      throw new PartialApplyError(cmd.op, err);
    }
    this.appliedIndex = index;
    return result;
  }

  /** Phase one of apply(): every check of `cmd`, reading the state only; returns phase two. */
  #prepare(cmd: Command): Mutation {
    switch (cmd.op) {
      case 'init': {
        if (typeof cmd.clusterId !== 'string' || cmd.clusterId === '') throw new InvalidArgumentError('a cluster id is required');
        return () => {
          // The first init names the cluster; a later one changes nothing and answers that name.
          if (!this.clusterId) this.clusterId = cmd.clusterId;
          return this.clusterId;
        };
      }
      case 'reserve_ids':
        // A NaN or fractional limit would poison every later id comparison.
        if (!Number.isSafeInteger(cmd.upTo) || cmd.upTo < 1) throw new InvalidArgumentError(`cannot reserve chunk ids below ${String(cmd.upTo)}`);
        return () => (this.chunkIdLimit = Math.max(this.chunkIdLimit, cmd.upTo));
      case 'mkdir': {
        const mkdir = this.#prepareMkdir(cmd);
        return () => copyInode(mkdir());
      }
      case 'create': {
        const create = this.#prepareCreate(cmd);
        return () => copyInode(create());
      }
      case 'delete':
        return this.#prepareDelete(cmd);
      case 'rename':
        return this.#prepareRename(cmd);
      case 'setattr': {
        const setattr = this.#prepareSetattr(cmd);
        return () => copyInode(setattr());
      }
      case 'truncate': {
        const ino = this.#fileForWrite(cmd.path);
        if (!isCount(cmd.size)) throw new InvalidArgumentError('size must be a non-negative integer');
        return () => {
          this.#setContent(ino, resize(ino.extents!, ino.size, cmd.size), cmd.size, cmd.now, contentEtag(ino.id, ino.gen + 1));
          return copyInode(ino);
        };
      }
      case 'commit': {
        const commit = this.#prepareCommit(cmd);
        return () => copyInode(commit());
      }
      case 'upload_create':
        return this.#prepareUploadCreate(cmd);
      case 'upload_part':
        return this.#prepareUploadPart(cmd);
      case 'upload_complete': {
        const complete = this.#prepareCompleteUpload(cmd);
        return () => copyInode(complete());
      }
      case 'upload_abort': {
        const up = this.#upload(cmd.uploadId);
        return () => {
          for (const p of up.parts.values()) this.#ref(p.extents, -1, cmd.now);
          this.uploads.delete(cmd.uploadId);
          return undefined;
        };
      }
      case 'key_create': {
        if (!cmd.accessKeyId) throw new InvalidArgumentError('an access key id is required');
        if (this.keys.has(cmd.accessKeyId)) throw new AlreadyExistsError(`access key ${cmd.accessKeyId} exists`);
        return () => {
          const rec: AccessKeyRecord = { secretKey: cmd.secretKey, buckets: [...cmd.buckets], readOnly: cmd.readOnly, description: cmd.description, createdMs: cmd.now };
          this.keys.set(cmd.accessKeyId, rec);
          return { ...rec, buckets: [...rec.buckets] };
        };
      }
      case 'key_revoke':
        if (!this.keys.has(cmd.accessKeyId)) throw new NotFoundError(`no such access key: ${cmd.accessKeyId}`);
        return () => {
          this.keys.delete(cmd.accessKeyId);
          return undefined;
        };
      case 'gc_done':
        // Ids that are not (or no longer) garbage are fine — nothing to forget; malformed ones refuse
        // the whole command, so it never forgets only some of the ids it names.
        if (!Array.isArray(cmd.chunkIds)) throw new InvalidArgumentError('chunk ids are required');
        for (const id of cmd.chunkIds) if (!Number.isSafeInteger(id) || id <= HOLE) throw new InvalidArgumentError(`not a chunk id: ${String(id)}`);
        return () => {
          for (const id of cmd.chunkIds) this.garbage.delete(id);
          return undefined;
        };
      case 'replica_add':
      case 'replica_remove': {
        const change = prepareReplicaCommand(this, cmd);
        return () => copyChunk(change() as ChunkRecord);
      }
      case 'node_drain':
        return prepareReplicaCommand(this, cmd);
      default: {
        const never: never = cmd;
        throw new InvalidArgumentError(`unknown command ${JSON.stringify(never)}`);
      }
    }
  }

  #prepareMkdir(cmd: Extract<Command, { op: 'mkdir' }>): Mutation<Inode> {
    const parts = splitPath(cmd.path);
    const root = this.inodes.get(ROOT_ID)!;
    if (parts.length === 0) {
      if (cmd.parents) return () => root;
      throw new AlreadyExistsError('/ already exists');
    }
    let cur = root;
    let i = 0;
    for (; i < parts.length; i++) {
      const childId = this.dirs.get(cur.id)!.get(parts[i]!);
      if (childId === undefined) break;
      const child = this.inodes.get(childId)!;
      if (child.type !== 'dir') throw i === parts.length - 1 ? new AlreadyExistsError(`a file exists at ${cmd.path}`) : new NotADirectoryError(`not a directory: /${parts.slice(0, i + 1).join('/')}`);
      cur = child;
    }
    const base = cur;
    if (i === parts.length) {
      if (cmd.parents) return () => base;
      throw new AlreadyExistsError(`${cmd.path} already exists`);
    }
    if (i < parts.length - 1 && !cmd.parents) throw new NotFoundError(`no such directory: /${parts.slice(0, i + 1).join('/')}`);
    const names = parts.slice(i);
    const attrs = { mode: cmd.mode || DIR_MODE, uid: cmd.uid, gid: cmd.gid, now: cmd.now };
    return () => this.#makeDirs(base, names, attrs);
  }

  /** Makes the directories `names` (each inside the one before) below `base`; returns the last. */
  #makeDirs(base: Inode, names: readonly string[], a: { mode: number; uid: number; gid: number; now: number }): Inode {
    let cur = base;
    for (const name of names) cur = this.#newChild(cur, name, { type: 'dir', ...a });
    return cur;
  }

  #prepareCreate(cmd: Extract<Command, { op: 'create' }>): Mutation<Inode> {
    const { base, missing, name } = this.#locateParent(cmd.path, cmd.parents);
    if (missing.length === 0) {
      const existingId = this.dirs.get(base.id)!.get(name);
      if (existingId !== undefined) {
        const existing = this.inodes.get(existingId)!;
        if (cmd.exclusive || cmd.target !== undefined) throw new AlreadyExistsError(`${cmd.path} already exists`);
        if (existing.type === 'dir') throw new IsADirectoryError(`${cmd.path} is a directory`);
        return () => existing;
      }
    }
    const symlink = cmd.target !== undefined;
    const dirAttrs = { mode: DIR_MODE, uid: cmd.uid, gid: cmd.gid, now: cmd.now };
    const attrs = { type: symlink ? ('symlink' as const) : ('file' as const), mode: cmd.mode || (symlink ? 0o777 : FILE_MODE), uid: cmd.uid, gid: cmd.gid, now: cmd.now, target: cmd.target };
    return () => this.#newChild(this.#makeDirs(base, missing, dirAttrs), name, attrs);
  }

  #newChild(parent: Inode, name: string, a: { type: InodeType; mode: number; uid: number; gid: number; now: number; target?: string | undefined }): Inode {
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

  #prepareDelete(cmd: Extract<Command, { op: 'delete' }>): Mutation {
    const { base: dir, name } = this.#locateParent(cmd.path, false);
    const id = this.dirs.get(dir.id)!.get(name);
    if (id === undefined) throw new NotFoundError(`no such file or directory: ${cmd.path}`);
    const ino = this.inodes.get(id)!;
    if (ino.type === 'dir') {
      if (cmd.onlyFile) throw new IsADirectoryError(`${cmd.path} is a directory`);
      if (!cmd.recursive && this.dirs.get(id)!.size > 0) throw new NotEmptyError(`${cmd.path} is not empty`);
    } else if (cmd.onlyDir) {
      throw new NotADirectoryError(`${cmd.path} is not a directory`);
    }
    return () => {
      this.dirs.get(dir.id)!.delete(name);
      if (ino.type === 'dir') dir.nlink--;
      dir.mtimeMs = dir.ctimeMs = cmd.now;
      this.#dropTree(ino, cmd.now);
      return undefined;
    };
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

  #prepareRename(cmd: Extract<Command, { op: 'rename' }>): Mutation {
    const from = splitPath(cmd.from);
    const to = splitPath(cmd.to);
    if (from.length === 0 || to.length === 0) throw new InvalidArgumentError('cannot rename the root');
    const src = this.#locateParent(cmd.from, false);
    const srcId = this.dirs.get(src.base.id)!.get(src.name);
    if (srcId === undefined) throw new NotFoundError(`no such file or directory: ${cmd.from}`);
    const ino = this.inodes.get(srcId)!;
    const dst = this.#locateParent(cmd.to, false);
    if (ino.type === 'dir') {
      // rename(2) EINVAL: a directory may not move into its own subtree.
      for (let a: Inode = dst.base; ; a = this.inodes.get(a.parent!)!) {
        if (a.id === ino.id) throw new InvalidArgumentError(`cannot move ${cmd.from} into its own subtree ${cmd.to}`);
        if (a.id === ROOT_ID) break;
      }
    }
    const dstTree = this.dirs.get(dst.base.id)!;
    const existingId = dstTree.get(dst.name);
    if (existingId === ino.id) return () => undefined; // same file: rename(2) does nothing
    let replaced: Inode | undefined;
    if (existingId !== undefined) {
      if (cmd.noReplace) throw new AlreadyExistsError(`${cmd.to} already exists`);
      replaced = this.inodes.get(existingId)!;
      if (ino.type === 'dir' && replaced.type !== 'dir') throw new NotADirectoryError(`${cmd.to} is not a directory`);
      if (ino.type !== 'dir' && replaced.type === 'dir') throw new IsADirectoryError(`${cmd.to} is a directory`);
      if (replaced.type === 'dir' && this.dirs.get(replaced.id)!.size > 0) throw new NotEmptyError(`${cmd.to} is not empty`);
    }
    const srcDir = src.base;
    const dstDir = dst.base;
    return () => {
      this.dirs.get(srcDir.id)!.delete(src.name);
      if (replaced) {
        dstTree.delete(dst.name);
        if (replaced.type === 'dir') dstDir.nlink--;
        this.#dropTree(replaced, cmd.now);
      }
      dstTree.set(dst.name, ino.id);
      if (ino.type === 'dir') {
        srcDir.nlink--;
        dstDir.nlink++;
        ino.parent = dstDir.id;
      }
      srcDir.mtimeMs = srcDir.ctimeMs = cmd.now;
      dstDir.mtimeMs = dstDir.ctimeMs = cmd.now;
      ino.ctimeMs = cmd.now;
      return undefined;
    };
  }

  #prepareSetattr(cmd: Extract<Command, { op: 'setattr' }>): Mutation<Inode> {
    const ino = this.resolve(cmd.path);
    return () => {
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
    };
  }

  #fileForWrite(path: string): Inode {
    const ino = this.resolve(path);
    if (ino.type === 'dir') throw new IsADirectoryError(`${path} is a directory`);
    if (ino.type !== 'file') throw new InvalidArgumentError(`${path} is not a regular file`);
    return ino;
  }

  /**
   * Everything a commit to `path` checks about the namespace before it mutates: the target (a file,
   * or absent when `create`), the guards, and the parent directories it may have to make. Returns the
   * existing file, live — for callers that read it at once. Also the allocation-time precheck
   * (AllocateRequest.precheck) and upload_create's check, so all three answer alike.
   */
  checkCommit(c: { path: string; mode: 'replace' | 'write_at'; create: boolean; exclusive: boolean; ifMatch: string; parents: boolean; parentsBelow?: string | undefined }): Inode | undefined {
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
      const { missing } = this.#locateParent(c.path, c.parents);
      if (missing.length > 0 && c.parentsBelow) {
        // Directories are to be made: only below parentsBelow, which must already be there.
        if (!c.path.startsWith(c.parentsBelow === '/' ? '/' : `${c.parentsBelow}/`)) throw new InvalidArgumentError(`${c.path} is not below ${c.parentsBelow}`);
        const below = this.resolve(c.parentsBelow);
        if (below.type !== 'dir') throw new NotADirectoryError(`not a directory: ${c.parentsBelow}`);
      }
    }
    return ino;
  }

  #prepareCommit(cmd: Extract<Command, { op: 'commit' }>): Mutation<Inode> {
    const written = cmd.extents.map((w) => w.extent);
    if (totalLength(written) !== cmd.length) throw new InvalidArgumentError('extent lengths do not add up to the written length');
    if (cmd.mode === 'write_at' && !isCount(cmd.offset)) throw new InvalidArgumentError('offset must be a non-negative integer');
    const existing = this.checkCommit(cmd);
    this.#checkChunks(cmd.extents);
    // An absent file (and any directories above it) is made by the same path create takes; checkCommit
    // has vouched for the parents, and planning the create here re-checks them without changing anything.
    const create = existing
      ? undefined
      : this.#prepareCreate({ op: 'create', path: cmd.path, exclusive: true, parents: cmd.parents, mode: cmd.modeBits, uid: 0, gid: 0, now: cmd.now });
    return () => {
      this.#addChunks(cmd.extents);
      const ino = existing ?? create!();
      if (cmd.mode === 'replace') {
        this.#setContent(ino, coalesce(written), cmd.length, cmd.now, cmd.etag || contentEtag(ino.id, ino.gen + 1));
        if (cmd.setXattrs) ino.xattrs = { ...(cmd.xattrs ?? {}) };
      } else {
        const size = Math.max(ino.size, cmd.offset + cmd.length);
        this.#setContent(ino, overlay(ino.extents!, ino.size, cmd.offset, written), size, cmd.now, contentEtag(ino.id, ino.gen + 1));
      }
      return ino;
    };
  }

  /**
   * upload_create. Uploads are S3-shaped: S3 has no directories, so an upload may target a path
   * whose parent directories do not exist yet; upload_complete makes them (a commit with `parents`),
   * like a PutObject of a nested key. What can be known now is checked now, exactly as that commit
   * would check it against the namespace as it stands: an existing component of the path that is a
   * file (NotADirectory), a directory (IsADirectory) or symlink (InvalidArgument) at the path itself,
   * a malformed path. upload_complete checks again, as things may change while parts are uploaded.
   */
  #prepareUploadCreate(cmd: Extract<Command, { op: 'upload_create' }>): Mutation<UploadCreated> {
    if (!cmd.uploadId) throw new InvalidArgumentError('an upload id is required');
    this.checkCommit({ path: cmd.path, mode: 'replace', create: true, exclusive: false, ifMatch: '', parents: true });
    if (this.uploads.has(cmd.uploadId)) throw new AlreadyExistsError('upload id in use');
    return () => {
      this.uploads.set(cmd.uploadId, { path: cmd.path, createdMs: cmd.now, xattrs: { ...cmd.xattrs }, parts: new Map() });
      return { uploadId: cmd.uploadId, path: cmd.path, createdMs: cmd.now, xattrs: { ...cmd.xattrs } };
    };
  }

  #prepareUploadPart(cmd: Extract<Command, { op: 'upload_part' }>): Mutation<PartRecord> {
    const up = this.#upload(cmd.uploadId);
    if (!Number.isSafeInteger(cmd.partNumber) || cmd.partNumber < 1 || cmd.partNumber > MAX_PART_NUMBER) throw new InvalidArgumentError(`part number must be 1..${MAX_PART_NUMBER}`);
    const written = cmd.extents.map((w) => w.extent);
    if (totalLength(written) !== cmd.size) throw new InvalidArgumentError('extent lengths do not add up to the part size');
    this.#checkChunks(cmd.extents);
    return () => {
      const extents = coalesce(written);
      this.#addChunks(cmd.extents);
      // The new part's references first, so a chunk shared with the part it replaces never hits zero.
      this.#ref(extents, +1);
      const old = up.parts.get(cmd.partNumber);
      if (old) this.#ref(old.extents, -1, cmd.now);
      const part: PartRecord = { extents, size: cmd.size, etag: cmd.etag, modifiedMs: cmd.now };
      up.parts.set(cmd.partNumber, part);
      return copyPart(part);
    };
  }

  #prepareCompleteUpload(cmd: Extract<Command, { op: 'upload_complete' }>): Mutation<Inode> {
    const up = this.#upload(cmd.uploadId);
    const parts: PartRecord[] = [];
    for (const n of cmd.partNumbers) {
      const p = up.parts.get(n);
      if (!p) throw new InvalidArgumentError(`part ${n} was not uploaded`);
      parts.push(p);
    }
    const extents = coalesce(parts.flatMap((p) => p.extents));
    const size = parts.reduce((s, p) => s + p.size, 0);
    // Commit's checks and create path, with parents: the parts' chunks are already in the chunk map.
    const commit = this.#prepareCommit({
      op: 'commit', path: up.path, mode: 'replace', offset: 0, length: size, etag: cmd.etag,
      extents: extents.map((extent) => ({ extent, replicaIds: this.chunks.get(extent.chunkId)?.replicas ?? [] })),
      create: true, exclusive: cmd.exclusive, ifMatch: cmd.ifMatch, parents: true, modeBits: 0,
      setXattrs: true, xattrs: up.xattrs, now: cmd.now,
    });
    return () => {
      const ino = commit();
      // The file now references the spliced extents (counted by the commit); drop the upload's own
      // refs, including parts that were uploaded but not listed.
      for (const p of up.parts.values()) this.#ref(p.extents, -1, cmd.now);
      this.uploads.delete(cmd.uploadId);
      return ino;
    };
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

  /**
   * The checks #addChunks relies on: every chunk a command names was handed out (below the reserved
   * limit), and names one version — the committed one for a chunk already in the chunk map (the
   * record would otherwise keep the old version, and Locate would list no replica for the extent).
   */
  #checkChunks(written: readonly WrittenExtent[]): void {
    const versions = new Map<number, number>();
    for (const w of written) {
      const { chunkId: id, version } = w.extent;
      if (id === HOLE) continue;
      if (!Number.isSafeInteger(id) || id < 0 || id >= this.chunkIdLimit) throw new InvalidArgumentError(`chunk ${id} was never allocated`);
      const known = versions.get(id) ?? this.chunks.get(id)?.version;
      if (known !== undefined && known !== version) throw new InvalidArgumentError(`chunk ${id} is at version ${known}, not ${version}`);
      versions.set(id, version);
    }
  }

  /** Records the chunks of a write (checked by #checkChunks) in the chunk map. */
  #addChunks(written: readonly WrittenExtent[]): void {
    for (const w of written) {
      const id = w.extent.chunkId;
      if (id === HOLE) continue;
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
