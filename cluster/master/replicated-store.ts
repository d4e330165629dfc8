// The master's state replicated by Raft: every command the services propose goes through the Raft log
// (cluster/raft/node.ts) and is applied, in log order, to the Fsm on every master. A write is
// acknowledged only once a quorum has fsynced it and it is applied here; a read is answered only after a
// ReadIndex round confirms this master still leads and it has applied that far.
//
// Only the leader serves (checkLeader): a follower refuses with not_leader, naming the leader's address
// so clients go there. A proposal whose leader was deposed before it committed may or may not have been
// applied: it fails `unavailable` (outcome unknown), which clients retry only for idempotent calls.
//
// Upgrade from a single master: the first time a data directory holding the old single-node state
// (snapshot.json / wal-*.log) starts with Raft, that state is loaded and becomes the group's first
// snapshot (index 1), and the old files move to <data>/pre-raft/. Only a group of one can be seeded so;
// more masters join it afterwards (`godfs admin raft add`) and receive the snapshot.
import { mkdir, readdir, rename, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { fsyncDir } from '../../common/fsync.js';
import { errorCodeOf, GodfsError, isErrorCode } from '../../common/errors.js';
import type { Member } from '../raft/core/types.js';
import { NotLeaderError as RaftNotLeaderError, OutcomeUnknownError, RaftNode, RetryLaterError, type RaftNodeOptions, type StateMachine } from '../raft/node.js';
import { DiskStorage, type SyncKind } from '../raft/storage/disk-storage.js';
import type { Command } from './commands.js';
import { Fsm, PartialApplyError } from './fsm.js';
import { MetaStore } from './meta-store.js';
import { decodeStateStream, encodeStateChunks } from './state-codec.js';
import { rpcSession } from './session.js';
import type { StateStore } from './state-store.js';

/** The Raft member's settings (credential: what masters present to each other), plus where it lives. */
export interface ReplicatedStoreOptions
  extends Pick<RaftNodeOptions, 'credential' | 'logger' | 'onFatal' | 'tickMs' | 'electionTicks' | 'heartbeatTicks'> {
  /**
   * Snapshot after at least this many applied commands (default 20 000) — and never more often than
   * once per half as many commands as the state has inodes and chunks: a snapshot costs time in
   * proportion to the state and applies nothing while it is written, so its cost per command stays
   * bounded; the half keeps the log bounded too while the namespace grows (each create adds an inode).
   */
  snapshotEvery?: number;
  dataDir: string;
  /** This master's member id. */
  nodeId: string;
  /** The group's first configuration (used only when this member's Raft state is empty). */
  peers: Member[];
  /** Every fsync of the Raft storage, with its latency (metrics). */
  onSynced?: (what: SyncKind, seconds: number) => void;
}

/** A log entry of a session-tagged command: its key and the command. */
interface Keyed {
  $k: string;
  $c: Command;
}

/** Commands a client's call proposes (keyed when the call is session-tagged); not the master's own. */
const UNKEYED: ReadonlySet<Command['op']> = new Set(['init', 'reserve_ids']);

const enc = new TextEncoder();
const dec = new TextDecoder();

/** The Fsm as a Raft state machine: JSON commands in, results out; refusals are answers, not failures. */
class FsmMachine implements StateMachine {
  constructor(private readonly store: ReplicatedStore) {}

  apply(data: Uint8Array, index: number): unknown {
    const entry = JSON.parse(dec.decode(data)) as Command | Keyed;
    const fsm = this.store.fsm;
    const key = '$k' in entry ? entry.$k : undefined;
    const cmd = '$k' in entry ? entry.$c : entry;
    if (key !== undefined) {
      const seen = fsm.sessions.get(key);
      if (seen) {
        // A resent copy of a command already applied: nothing changes, the first answer is repeated.
        fsm.appliedIndex = index;
        if ('err' in seen) throw new GodfsError(isErrorCode(seen.err.code) ? seen.err.code : 'internal', seen.err.message);
        return seen.ok;
      }
    }
    try {
      const result = fsm.apply(cmd, index);
      if (key !== undefined) fsm.rememberSession(key, { ok: result });
      return result;
    } catch (err) {
      // A refused command changed nothing (apply validates before it mutates); only the index moves.
      if (!(err instanceof PartialApplyError)) {
        fsm.appliedIndex = index;
        if (key !== undefined) fsm.rememberSession(key, { err: { code: errorCodeOf(err), message: (err as Error).message } });
      }
      throw err;
    }
  }

  isFatal(err: unknown): boolean {
    return err instanceof PartialApplyError;
  }

  snapshot(): Iterable<Uint8Array> {
    // In bounded slices: the node yields to the event loop between them (and applies nothing meanwhile).
    return encodeStateChunks(this.store.fsm);
  }

  async restore(body: Readable, index: number): Promise<void> {
    const fsm = await decodeStateStream(body);
    fsm.appliedIndex = Math.max(fsm.appliedIndex, index);
    this.store.replaceFsm(fsm);
  }
}

export class ReplicatedStore implements StateStore {
  #fsm = new Fsm();
  #node!: RaftNode;

  private constructor() {}

  get fsm(): Fsm {
    return this.#fsm;
  }

  get node(): RaftNode {
    return this.#node;
  }

  /** Called by a snapshot restore: the services read `fsm` through this store each time, never keep it. */
  replaceFsm(fsm: Fsm): void {
    this.#fsm = fsm;
  }

  static async open(o: ReplicatedStoreOptions): Promise<ReplicatedStore> {
    const store = new ReplicatedStore();
    const raftDir = join(o.dataDir, 'raft');
    await mkdir(o.dataDir, { recursive: true });
    const imported = await importSingleNodeState(o, raftDir);
    const storage = await DiskStorage.open(raftDir, { onFatal: o.onFatal, logger: o.logger, onSynced: o.onSynced });
    let bootstrap = o.peers;
    if (imported) {
      imported.appliedIndex = 1;
      store.#fsm = imported;
      // The imported state is the group's first snapshot. It is taken at index 1 so that members added
      // later (whose log starts empty) are sent it rather than the log from index 1.
      bootstrap = [];
      await storage.saveSnapshot({ index: 1, term: 1, config: o.peers }, (async function* () {
        yield* encodeStateChunks(imported);
      })(), 0);
      await storage.saveHardState({ term: 1, vote: null, commit: 1 });
      await storage.close();
      return ReplicatedStore.#start(store, o, await DiskStorage.open(raftDir, { onFatal: o.onFatal, logger: o.logger, onSynced: o.onSynced }), bootstrap);
    }
    return ReplicatedStore.#start(store, o, storage, bootstrap);
  }

  static async #start(store: ReplicatedStore, o: ReplicatedStoreOptions, storage: DiskStorage, bootstrap: Member[]): Promise<ReplicatedStore> {
    store.#node = await RaftNode.start({
      id: o.nodeId,
      storage,
      stateMachine: new FsmMachine(store),
      bootstrap,
      credential: o.credential,
      logger: o.logger.child({ subsystem: 'raft' }),
      onFatal: o.onFatal,
      tickMs: o.tickMs,
      electionTicks: o.electionTicks,
      heartbeatTicks: o.heartbeatTicks,
      snapshotEvery: () => Math.max(o.snapshotEvery ?? 20_000, Math.floor((store.#fsm.inodes.size + store.#fsm.chunks.size) / 2)),
    });
    return store;
  }

  async propose(cmd: Command): Promise<unknown> {
    this.checkLeader();
    const s = UNKEYED.has(cmd.op) ? undefined : rpcSession.getStore();
    const entry: Command | Keyed = s ? { $k: `${s.id}:${s.seq}:${s.proposed++}`, $c: cmd } : cmd;
    try {
      return await this.#node.propose(enc.encode(JSON.stringify(entry)));
    } catch (err) {
      throw this.#clientError(err);
    }
  }

  async readBarrier(): Promise<void> {
    try {
      await this.#node.readBarrier();
    } catch (err) {
      throw this.#clientError(err);
    }
  }

  checkLeader(): void {
    if (!this.#node.isLeaderReady) throw this.notLeader();
  }

  /** not_leader, naming the leader's address when this member knows it. */
  notLeader(): GodfsError {
    const leader = this.#node.leaderAddress;
    const self = this.#node.leader === this.#node.id;
    if (self) return new GodfsError('not_leader', 'this master was just elected and is catching up; retry shortly');
    return new GodfsError('not_leader', leader ? `this master is not the leader; the leader is ${leader}` : 'no master leads right now (an election is running, or there is no quorum)', leader ? { leader } : undefined);
  }

  #clientError(err: unknown): unknown {
    if (err instanceof RaftNotLeaderError) return this.notLeader();
    if (err instanceof OutcomeUnknownError) return new GodfsError('unavailable', 'the leader changed before the command committed; it may or may not have been applied', { cause: err });
    if (err instanceof RetryLaterError) return new GodfsError('unavailable', err.message, { cause: err });
    return err;
  }

  async close(): Promise<void> {
    await this.#node.stop();
  }
}

/**
 * Loads the single-node master state found in `dataDir` when there is no Raft state yet, and moves its
 * files to <data>/pre-raft/. Returns undefined when there is nothing to import.
 */
async function importSingleNodeState(o: ReplicatedStoreOptions, raftDir: string): Promise<Fsm | undefined> {
  if (await exists(raftDir)) return undefined;
  const names = await readdir(o.dataDir);
  const old = names.filter((n) => n === 'snapshot.json' || /^wal-\d{16}\.log$/.test(n));
  if (!old.length) return undefined;
  if (o.peers.length !== 1 || o.peers[0]!.id !== o.nodeId) {
    throw new Error(`${o.dataDir} holds the state of a single master; start it alone first (--peers ${o.nodeId}=<address>), then add the other masters`);
  }
  const meta = await MetaStore.open(o.dataDir, { logger: o.logger, snapshotEvery: 0, onFatal: o.onFatal });
  const fsm = meta.fsm;
  await meta.close();
  const pre = join(o.dataDir, 'pre-raft');
  await mkdir(pre, { recursive: true });
  for (const n of old) await rename(join(o.dataDir, n), join(pre, n));
  await fsyncDir(pre);
  await fsyncDir(o.dataDir);
  o.logger.info({ appliedIndex: fsm.appliedIndex, inodes: fsm.inodes.size, moved: pre }, 'imported the single-master state into Raft');
  return fsm;
}

async function exists(p: string): Promise<boolean> {
  try {
    await stat(p);
    return true;
  } catch {
    return false;
  }
}
