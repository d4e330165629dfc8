// The master's gRPC service: turns requests into commands (stamping the time and any random id),
// proposes them to the replicated state store, and answers reads from the state after a ReadIndex
// barrier. Only the leader serves: every other master answers not_leader with the leader's address.
import { randomBytes, randomUUID } from 'node:crypto';
import type * as grpc from '@grpc/grpc-js';
import { GodfsError, InvalidArgumentError } from '../../common/errors.js';
import { unary } from '../../common/grpc.js';
import type { Logger } from '../../common/log.js';
import { normalizePath } from '../../common/paths.js';
import type { MasterHandlers } from '../../proto/generated/godfs/master/v1/Master.js';
import type { Inode as PInode } from '../../proto/generated/godfs/master/v1/Inode.js';
import type { WrittenExtent__Output } from '../../proto/generated/godfs/master/v1/WrittenExtent.js';
import type { NodeRef } from '../../proto/generated/godfs/master/v1/NodeRef.js';
import { Allocations } from './allocations.js';
import { clusterHandlers, type ClusterDeps } from './cluster-service.js';
import type { Command, WrittenExtent } from './commands.js';
import { slice } from './extents.js';
import type { Inode, UploadCreated } from './fsm.js';
import { rpcSession, sessionOf } from './session.js';
import type { StateStore } from './state-store.js';
import type { MasterMetrics } from './metrics.js';
import type { Reconciler } from './reconcile.js';
import type { Registry } from './registry.js';
import type { RepairManager } from './repair.js';

export interface ServiceConfig {
  apiKey: string | undefined;
  replication: number;
  maxChunkSize: number;
  heartbeatIntervalMs: number;
  /** Chunk ids are reserved through the log in blocks of this many. */
  idBlock: number;
}

const LIST_DEFAULT = 1000;

/** 20 characters of A–Z0–9, the shape of AWS access key ids. */
function generateKeyId(): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  return 'GK' + [...randomBytes(18)].map((b) => alphabet[b % alphabet.length]).join('');
}
const LIST_MAX = 10000;

export function toProtoInode(ino: Inode): PInode {
  const xattrs: Record<string, Buffer> = {};
  for (const [k, v] of Object.entries(ino.xattrs)) xattrs[k] = Buffer.from(v, 'base64');
  return {
    id: ino.id,
    type: ino.type === 'dir' ? 'DIR' : ino.type === 'symlink' ? 'SYMLINK' : 'FILE',
    mode: ino.mode,
    uid: ino.uid,
    gid: ino.gid,
    size: ino.size,
    mtime_ms: ino.mtimeMs,
    ctime_ms: ino.ctimeMs,
    atime_ms: ino.atimeMs,
    birth_ms: ino.birthMs,
    nlink: ino.nlink,
    etag: ino.etag,
    xattrs,
    gen: ino.gen,
    target: ino.target ?? '',
    extent_count: ino.extents?.length ?? 0,
  };
}

function b64map(m: Record<string, Buffer> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(m ?? {})) out[k] = Buffer.from(v).toString('base64');
  return out;
}

function written(list: WrittenExtent__Output[]): WrittenExtent[] {
  return list.map((w) => {
    if (!w.extent) throw new InvalidArgumentError('extent missing');
    const e = w.extent;
    if (e.length <= 0) throw new InvalidArgumentError('extent length must be positive');
    return { extent: { chunkId: e.chunk_id, version: e.version, chunkOffset: e.chunk_offset, length: e.length }, replicaIds: w.replica_ids };
  });
}

export class MasterService {
  #store: StateStore;
  #registry: Registry;
  #cfg: ServiceConfig;
  #log: Logger;
  #metrics: MasterMetrics;
  #nextChunkId: number;
  #reserving: Promise<void> | undefined;
  /** Allocated, not yet committed chunks (leases of writes in progress; orphan GC leaves them alone). */
  readonly allocations = new Allocations();
  /** Wired by server.ts: replica health (Locate ordering, admin views) and chunk-report handling. */
  repair!: RepairManager;
  reconciler!: Reconciler;

  constructor(store: StateStore, registry: Registry, cfg: ServiceConfig, log: Logger, metrics: MasterMetrics) {
    this.#store = store;
    this.#registry = registry;
    this.#cfg = cfg;
    this.#log = log;
    this.#metrics = metrics;
    // Every id below the reserved limit may have been handed out before a restart: start above it.
    this.#nextChunkId = store.fsm.chunkIdLimit;
  }

  get fsm() {
    return this.#store.fsm;
  }

  /**
   * Proposes a command; resolves with its result once it is durable. Results are copies taken when the
   * command was applied (never live state), so reading them after the await is safe.
   */
  async propose<T>(cmd: Command): Promise<T> {
    const end = this.#metrics.commandDuration.startTimer({ op: cmd.op });
    try {
      return (await this.#store.propose(cmd)) as T;
    } finally {
      end();
    }
  }

  /**
   * Reads run against the state once it holds every write acknowledged before the read began (on any
   * master): a ReadIndex confirmation by a quorum, then applying up to that index.
   */
  async read<T>(fn: () => T): Promise<T> {
    await this.#store.readBarrier();
    return fn();
  }

  barrier(): Promise<void> {
    return this.#store.readBarrier();
  }

  /** Called when this master has become the leader and applied its no-op: chunk ids restart above the reserved limit. */
  onLeader(): void {
    this.#nextChunkId = this.#store.fsm.chunkIdLimit;
  }

  async allocateId(): Promise<number> {
    while (this.#nextChunkId >= this.#store.fsm.chunkIdLimit) {
      this.#reserving ??= this.propose({ op: 'reserve_ids', upTo: this.#store.fsm.chunkIdLimit + this.#cfg.idBlock })
        .then(() => undefined)
        .finally(() => (this.#reserving = undefined));
      await this.#reserving;
    }
    return this.#nextChunkId++;
  }

  /**
   * The replicas a reader may use, best first: live ones, then ones reported corrupt (their verified
   * blocks still read), then ones on nodes not heard from recently. Only replicas holding the committed
   * version are in the record at all, so a stale replica is never handed out (GFS §4.5).
   */
  #refs(chunkId: number, nodeIds: string[]): NodeRef[] {
    const now = Date.now();
    const rank = (id: string) => (!this.#registry.isAliveId(id, now) ? 2 : this.repair.isBad(chunkId, id) ? 1 : 0);
    const nodes = nodeIds.map((id) => this.#registry.nodes.get(id)).filter((n) => n !== undefined);
    nodes.sort((a, b) => rank(a.id) - rank(b.id));
    return nodes.map((n) => ({ id: n.id, addr: n.addr, chunks_dir: n.chunksDir ?? '' }));
  }

  handlers(): MasterHandlers {
    const k = this.#cfg.apiKey;
    const log = this.#log;
    const now = () => Date.now();
    const store = this.#store;
    const u = <Req, Res>(fn: (req: Req, call: grpc.ServerUnaryCall<Req, Res>) => Promise<Res> | Res) =>
      unary<Req, Res>(k, log, (req, call) => {
        store.checkLeader();
        // A session-tagged call (the sdk's writes): its commands apply once however often it is resent.
        const session = sessionOf(call.metadata);
        return session ? rpcSession.run(session, () => fn(req, call)) : fn(req, call);
      });
    return {
      Mkdir: u(async (r) => toProtoInode(await this.propose<Inode>({ op: 'mkdir', path: normalizePath(r.path), parents: r.parents, mode: r.mode, uid: r.uid, gid: r.gid, now: now() }))),
      Create: u(async (r) =>
        toProtoInode(
          await this.propose<Inode>({
            op: 'create', path: normalizePath(r.path), exclusive: r.exclusive, parents: r.parents, mode: r.mode, uid: r.uid, gid: r.gid, now: now(),
            ...(r.symlink_target ? { target: r.symlink_target } : {}),
          }),
        ),
      ),
      Stat: u((r) => this.read(() => toProtoInode(this.fsm.resolve(r.path)))),
      Lstat: u((r) => this.read(() => toProtoInode(this.fsm.resolve(r.path)))),
      List: u((r) =>
        this.read(() => {
          const limit = Math.min(r.limit || LIST_DEFAULT, LIST_MAX);
          const { entries, more } = this.fsm.list(r.path, limit, r.cursor);
          return {
            entries: entries.map(([name, ino]) => ({ name, inode: toProtoInode(ino) })),
            next_cursor: more && entries.length ? entries[entries.length - 1]![0] : '',
          };
        }),
      ),
      Delete: u(async (r) => {
        await this.propose({ op: 'delete', path: normalizePath(r.path), recursive: r.recursive, onlyDir: r.only_dir, onlyFile: r.only_file, now: now() });
        return {};
      }),
      Rename: u(async (r) => {
        await this.propose({ op: 'rename', from: normalizePath(r.old_path), to: normalizePath(r.new_path), noReplace: r.no_replace, now: now() });
        return {};
      }),
      SetAttr: u(async (r) =>
        toProtoInode(
          await this.propose<Inode>({
            op: 'setattr', path: normalizePath(r.path), now: now(),
            ...(r.mode !== undefined ? { mode: r.mode } : {}),
            ...(r.uid !== undefined ? { uid: r.uid } : {}),
            ...(r.gid !== undefined ? { gid: r.gid } : {}),
            ...(r.atime_ms !== undefined ? { atimeMs: r.atime_ms } : {}),
            ...(r.mtime_ms !== undefined ? { mtimeMs: r.mtime_ms } : {}),
            setXattrs: b64map(r.set_xattrs), removeXattrs: r.remove_xattrs, replaceXattrs: r.replace_xattrs,
          }),
        ),
      ),
      Truncate: u(async (r) => toProtoInode(await this.propose<Inode>({ op: 'truncate', path: normalizePath(r.path), size: r.size, now: now() }))),
      Locate: u(async (r) => {
        // After a failover, wait until the nodes holding these chunks have registered with this leader.
        await this.read(() => {
          const ino = this.fsm.resolve(r.path);
          const ids = new Set<string>();
          for (const e of ino.extents ?? []) for (const id of this.fsm.chunks.get(e.chunkId)?.replicas ?? []) ids.add(id);
          return this.#registry.awaitView(() => [...ids].every((id) => this.#registry.nodes.has(id)));
        });
        return this.read(() => {
          const ino = this.fsm.resolve(r.path);
          if (ino.type === 'dir') throw new GodfsError('is_a_directory', `${r.path} is a directory`);
          const from = Math.min(r.offset, ino.size);
          const to = r.length ? Math.min(ino.size, from + r.length) : ino.size;
          let pos = from;
          const extents = slice(ino.extents ?? [], from, to).map((e) => {
            const fileOffset = pos;
            pos += e.length;
            const rec = this.fsm.chunks.get(e.chunkId);
            return {
              file_offset: fileOffset,
              extent: { chunk_id: e.chunkId, version: e.version, chunk_offset: e.chunkOffset, length: e.length },
              replicas: rec && rec.version === e.version ? this.#refs(e.chunkId, rec.replicas) : [],
            };
          });
          return { inode: toProtoInode(ino), extents };
        });
      }),
      CommitWrite: u(async (r) => {
        const extents = written(r.extents);
        this.allocations.checkCommit(extents.map((w) => w.extent));
        const ino = await this.propose<Inode>({
          op: 'commit', path: normalizePath(r.path), mode: r.mode === 'WRITE_AT' ? 'write_at' : 'replace', offset: r.offset, extents, length: r.length,
          etag: r.etag, create: r.create, exclusive: r.exclusive, ifMatch: r.if_match, setXattrs: r.set_xattrs, xattrs: b64map(r.xattrs),
          modeBits: r.mode_bits, parents: r.parents, ...(r.parents_below ? { parentsBelow: normalizePath(r.parents_below) } : {}), now: now(),
        });
        this.allocations.committed(extents.map((w) => w.extent.chunkId));
        return toProtoInode(ino);
      }),
      CreateUpload: u(async (r) => {
        const path = normalizePath(r.path);
        // A random, unguessable id (S3 upload ids are opaque); stamped here so apply() stays pure.
        const uploadId = `${randomUUID().replace(/-/g, '')}${randomBytes(4).toString('hex')}`;
        // The answer comes from the command's result, not from the state after the fsync: by then the
        // upload may have been completed or aborted.
        const up = await this.propose<UploadCreated>({ op: 'upload_create', uploadId, path, xattrs: b64map(r.xattrs), now: now() });
        return { upload_id: up.uploadId, path: up.path, created_ms: up.createdMs, xattrs: r.xattrs ?? {} };
      }),
      PutPart: u(async (r) => {
        if (r.part_number < 1 || r.part_number > 10000) throw new InvalidArgumentError('part number must be 1..10000');
        const extents = written(r.extents);
        this.allocations.checkCommit(extents.map((w) => w.extent));
        const part = await this.propose<{ size: number; etag: string; modifiedMs: number }>({
          op: 'upload_part', uploadId: r.upload_id, partNumber: r.part_number, extents, size: r.size, etag: r.etag, now: now(),
        });
        this.allocations.committed(extents.map((w) => w.extent.chunkId));
        return { part_number: r.part_number, size: part.size, etag: part.etag, modified_ms: part.modifiedMs };
      }),
      ListParts: u((r) =>
        this.read(() => {
          const up = this.fsm.uploads.get(r.upload_id);
          if (!up) throw new GodfsError('not_found', `no such upload: ${r.upload_id}`);
          const parts = [...up.parts].sort((a, b) => a[0] - b[0]).map(([n, p]) => ({ part_number: n, size: p.size, etag: p.etag, modified_ms: p.modifiedMs }));
          return { upload: this.#uploadOut(r.upload_id), parts };
        }),
      ),
      ListUploads: u((r) =>
        this.read(() => {
          const out = [...this.fsm.uploads.keys()]
            .filter((id) => this.fsm.uploads.get(id)!.path.startsWith(r.path_prefix))
            .map((id) => this.#uploadOut(id))
            .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : a.created_ms - b.created_ms));
          return { uploads: r.limit ? out.slice(0, r.limit) : out };
        }),
      ),
      CompleteUpload: u(async (r) =>
        toProtoInode(
          await this.propose<Inode>({ op: 'upload_complete', uploadId: r.upload_id, partNumbers: r.part_numbers, etag: r.etag, ifMatch: r.if_match, exclusive: r.exclusive, now: now() }),
        ),
      ),
      AbortUpload: u(async (r) => {
        await this.propose({ op: 'upload_abort', uploadId: r.upload_id, now: now() });
        return {};
      }),
      CreateAccessKey: u(async (r) => {
        const accessKeyId = r.access_key_id || generateKeyId();
        if (!/^[A-Za-z0-9_.-]{3,128}$/.test(accessKeyId)) throw new InvalidArgumentError('access key ids are 3–128 characters of A–Z, a–z, 0–9, _ . -');
        const secretKey = r.secret_key || randomBytes(30).toString('base64').replace(/[+/]/g, (c) => (c === '+' ? 'A' : 'B'));
        if (secretKey.length < 8) throw new InvalidArgumentError('secret keys are at least 8 characters');
        const rec = await this.propose<{ createdMs: number }>({ op: 'key_create', accessKeyId, secretKey, buckets: r.buckets, readOnly: r.read_only, description: r.description, now: now() });
        return { access_key_id: accessKeyId, secret_key: secretKey, buckets: r.buckets, read_only: r.read_only, description: r.description, created_ms: rec.createdMs };
      }),
      ListAccessKeys: u(() =>
        this.read(() => ({
          keys: [...this.fsm.keys].map(([id, k]) => ({ access_key_id: id, secret_key: k.secretKey, buckets: [...k.buckets], read_only: k.readOnly, description: k.description, created_ms: k.createdMs })),
        })),
      ),
      RevokeAccessKey: u(async (r) => {
        await this.propose({ op: 'key_revoke', accessKeyId: r.access_key_id });
        return {};
      }),
      ...clusterHandlers(this.#clusterDeps(), u),
    };
  }

  #clusterDeps(): ClusterDeps {
    return {
      svc: this, registry: this.#registry, allocations: this.allocations, repair: this.repair, reconciler: this.reconciler,
      cfg: this.#cfg, metrics: this.#metrics, log: this.#log,
    };
  }

  #uploadOut(id: string) {
    const up = this.fsm.uploads.get(id)!;
    const xattrs: Record<string, Buffer> = {};
    for (const [k, v] of Object.entries(up.xattrs)) xattrs[k] = Buffer.from(v, 'base64');
    return { upload_id: id, path: up.path, created_ms: up.createdMs, xattrs };
  }
}
