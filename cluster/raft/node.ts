// A Raft member as a running service: the pure core (cluster/raft/core) driven by a clock, its disk
// (cluster/raft/storage) and the gRPC transport, with a state machine on top.
//
// The loop takes one Ready at a time and does what it asks in the order that keeps Raft safe: hard state
// and entries are fsynced (together, group-committed) and received snapshot pieces written before any of
// its messages go out; committed entries are then queued for the state machine, which applies them in
// order. Proposals, reads and membership changes made meanwhile wait in the core and go out in the next
// Ready, so one fsync covers every request that arrived while the previous one ran.
//
// Applying is decoupled from the loop: while a snapshot of the state machine is being written (its body
// generated in slices, yielding to the event loop between them), committed entries wait in the apply
// queue, and heartbeats, votes and replication go on. A linearizable read resolves once the state
// machine has applied the index the leader confirmed.
import { EventEmitter } from 'node:events';
import type { Readable } from 'node:stream';
import type { Logger } from '../../common/log.js';
import { InvalidChangeError, NotLeaderError, Raft, RetryLaterError } from './core/raft.js';
import type { ConfChange, Entry, Member, Message, NodeId, Persisted, Role, Status } from './core/types.js';
import type { RaftStorage } from './storage/types.js';
import { GrpcTransport } from './transport.js';

export { InvalidChangeError, NotLeaderError, RetryLaterError };

export interface StateMachine {
  /**
   * Applies a committed command. Deterministic: the same command at the same index does the same on every
   * member. A thrown error is the command's answer (it was refused and changed nothing) unless `isFatal`
   * says the state machine is broken.
   */
  apply(data: Uint8Array, index: number): unknown;
  /** The state as of the last applied index, in pieces; nothing is applied until the iteration ends. */
  snapshot(): Iterable<Uint8Array>;
  /** Replaces the whole state with a snapshot's body, taken at `index`. */
  restore(body: Readable, index: number): Promise<void>;
  /** An error from apply() that means the state is no longer trustworthy: the member stops. */
  isFatal?(err: unknown): boolean;
}

/** A proposal whose outcome cannot be known here: leadership was lost before it committed. */
export class OutcomeUnknownError extends Error {
  constructor(readonly leader: NodeId | null) {
    super('leadership changed before the command committed; it may or may not have been applied');
    this.name = 'OutcomeUnknownError';
  }
}

export interface RaftNodeOptions {
  id: NodeId;
  storage: RaftStorage;
  stateMachine: StateMachine;
  /** The initial configuration, used only when the storage is empty (a new cluster). */
  bootstrap?: Member[];
  credential: string | undefined;
  logger: Logger;
  /** Fatal errors (fsync failure, broken state machine): the process must stop. */
  onFatal: (err: unknown) => void;
  tickMs?: number;
  electionTicks?: number;
  heartbeatTicks?: number;
  /** Snapshot after this many applied entries (default 20000); keep this many entries behind it. */
  snapshotEvery?: number | (() => number);
  snapshotRetain?: number;
  maxInflight?: number;
  random?: () => number;
}

interface Waiter {
  term: number;
  resolve: (result: unknown) => void;
  reject: (err: unknown) => void;
}

export interface NodeStatus extends Status {
  /** What the state machine has applied (the core's `applied` counts entries handed over). */
  smApplied: number;
  addresses: Record<NodeId, string>;
}

export interface RaftNodeEvents {
  /** This member leads and its no-op of `term` is applied: the state machine holds every committed entry. */
  'leader-ready': [term: number];
  /** This member stopped leading. */
  'leader-lost': [term: number];
  /** The known leader or role changed. */
  role: [role: Role, leader: NodeId | null, term: number];
  applied: [index: number];
  /** A snapshot of the state machine was written (or one from the leader installed: seconds 0). */
  snapshot: [index: number, seconds: number, bytes: number];
}

export class RaftNode extends EventEmitter<RaftNodeEvents> {
  readonly id: NodeId;
  readonly transport: GrpcTransport;
  readonly #raft: Raft;
  readonly #storage: RaftStorage;
  readonly #sm: StateMachine;
  readonly #log: Logger;
  readonly #opts: RaftNodeOptions;
  #timer: NodeJS.Timeout | undefined;
  #looping = false;
  #stopped = false;
  #fatal: unknown;

  #applied: number;
  #appliedConfig: Member[];
  #applyQueue: Entry[] = [];
  #waiters = new Map<number, Waiter>();
  #reads = new Map<string, { resolve: () => void; reject: (e: unknown) => void }>();
  #readyReads: Array<{ index: number; resolve: () => void }> = [];
  #readSeq = 0;
  #snapshotting = false;
  #snapshotIndex: number;
  #pendingCompact: number | undefined;
  #leaderReady = false;
  #role: Role = 'follower';
  #leader: NodeId | null = null;
  #lastHard: { term: number; vote: NodeId | null };
  #restoring: Promise<void> | undefined;
  /** Addresses peers sent with their messages: where to answer before our configuration names them. */
  #learned = new Map<NodeId, string>();

  private constructor(opts: RaftNodeOptions, persisted: Persisted) {
    super();
    this.id = opts.id;
    this.#opts = opts;
    this.#storage = opts.storage;
    this.#sm = opts.stateMachine;
    this.#log = opts.logger;
    this.#raft = new Raft(
      {
        id: opts.id,
        electionTicks: opts.electionTicks ?? 10,
        heartbeatTicks: opts.heartbeatTicks ?? 1,
        random: opts.random ?? Math.random,
        maxInflight: opts.maxInflight ?? 64,
      },
      persisted,
    );
    this.#applied = persisted.snapshot.index;
    this.#snapshotIndex = persisted.snapshot.index;
    this.#appliedConfig = persisted.snapshot.config;
    this.#lastHard = { term: persisted.hardState.term, vote: persisted.hardState.vote };
    this.transport = new GrpcTransport({
      id: opts.id,
      credential: opts.credential,
      snapshotSource: () => this.#storage.snapshotSource(),
      selfAddress: () => this.addressOf(this.id),
      onUnreachable: (id) => {
        this.#raft.reportUnreachable(id);
        this.#kick();
      },
      logger: opts.logger,
    });
  }

  /** Opens a member on its storage: restores the state machine from the snapshot, then starts the clock. */
  static async start(opts: RaftNodeOptions): Promise<RaftNode> {
    const persisted = structuredClone(opts.storage.persisted);
    const fresh = persisted.snapshot.index === 0 && persisted.entries.length === 0 && persisted.hardState.term === 0;
    if (fresh && persisted.snapshot.config.length === 0 && opts.bootstrap?.length) {
      // The first configuration is made durable as a snapshot at index 0 (the empty state): a member that
      // restarts before its first snapshot still knows who its peers are.
      persisted.snapshot.config = structuredClone(opts.bootstrap);
      const sm = opts.stateMachine;
      await opts.storage.saveSnapshot({ index: 0, term: 0, config: persisted.snapshot.config }, (async function* () {
        yield* sm.snapshot();
      })(), 0);
    }
    if (persisted.snapshot.index > 0) {
      const body = opts.storage.openSnapshotBody();
      if (!body) throw new Error(`snapshot at ${persisted.snapshot.index} is missing its body`);
      await opts.stateMachine.restore(body, persisted.snapshot.index);
    }
    const node = new RaftNode(opts, persisted);
    node.#timer = setInterval(() => node.#tick(), opts.tickMs ?? 100);
    // A member that is the only voter need not wait an election timeout.
    const voters = node.#raft.config.filter((m) => m.voter);
    if (voters.length === 1 && voters[0]!.id === opts.id) node.#raft.campaign();
    node.#kick();
    return node;
  }

  // ---- views ----

  get role(): Role {
    return this.#role;
  }
  get leader(): NodeId | null {
    return this.#leader;
  }
  get term(): number {
    return this.#raft.term;
  }
  /** True once this member leads and has applied its own no-op (every committed entry is in the state). */
  get isLeaderReady(): boolean {
    return this.#leaderReady;
  }
  get appliedIndex(): number {
    return this.#applied;
  }
  addressOf(id: NodeId | null): string | undefined {
    return id ? this.#raft.config.find((m) => m.id === id)?.address : undefined;
  }
  get leaderAddress(): string | undefined {
    return this.addressOf(this.#leader);
  }
  status(): NodeStatus {
    const s = this.#raft.status();
    return { ...s, smApplied: this.#applied, addresses: Object.fromEntries(s.config.map((m) => [m.id, m.address])) };
  }

  // ---- inputs ----

  /** Incoming message from a peer (the transport's server half), with the address it says it has. */
  step(m: Message, fromAddress?: string): void {
    if (this.#stopped) return;
    if (fromAddress) this.#learned.set(m.from, fromAddress);
    this.#raft.step(m);
    this.#kick();
  }

  /**
   * Replicates a command; resolves with the state machine's result once it is committed and applied here,
   * rejects with the state machine's refusal, NotLeaderError (nothing was proposed), or
   * OutcomeUnknownError (leadership was lost after it was proposed).
   */
  propose(data: Uint8Array): Promise<unknown> {
    this.#mustRun();
    const { index, term } = this.#raft.propose(data);
    const p = new Promise<unknown>((resolve, reject) => this.#waiters.set(index, { term, resolve, reject }));
    this.#kick();
    return p;
  }

  /** Resolves once this member may answer a linearizable read from its state machine (ReadIndex). */
  readBarrier(): Promise<void> {
    this.#mustRun();
    const ctx = `${this.id}:${this.#raft.term}:${++this.#readSeq}`;
    if (!this.#raft.readIndex(ctx)) return Promise.reject(new NotLeaderError(this.#raft.leader));
    const p = new Promise<void>((resolve, reject) => this.#reads.set(ctx, { resolve, reject }));
    this.#kick();
    return p;
  }

  /** Proposes a membership change; resolves once it is applied here. */
  async changeMembership(change: ConfChange): Promise<void> {
    this.#mustRun();
    const { index, term } = this.#raft.proposeConfChange(change);
    await new Promise<unknown>((resolve, reject) => {
      this.#waiters.set(index, { term, resolve, reject });
      this.#kick();
    });
  }

  transferLeadership(to: NodeId): void {
    this.#mustRun();
    this.#raft.transferLeadership(to);
    this.#kick();
  }

  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    clearInterval(this.#timer);
    this.transport.close();
    this.#failAll(new NotLeaderError(null));
    while (this.#looping || this.#snapshotting) await new Promise((r) => setTimeout(r, 5));
    await this.#restoring;
    await this.#storage.close();
  }

  #mustRun(): void {
    if (this.#fatal) throw this.#fatal instanceof Error ? this.#fatal : new Error(String(this.#fatal));
    if (this.#stopped) throw new NotLeaderError(null);
  }

  #tick(): void {
    if (this.#stopped) return;
    this.#raft.tick();
    this.#kick();
  }

  // ---- the loop ----

  #kick(): void {
    if (this.#looping || this.#stopped || this.#fatal) return;
    this.#looping = true;
    setImmediate(() => void this.#loop());
  }

  async #loop(): Promise<void> {
    try {
      while (!this.#stopped && !this.#fatal) {
        if (this.#pendingCompact !== undefined) {
          this.#raft.compact(this.#pendingCompact, this.#opts.snapshotRetain ?? 1000);
          this.#pendingCompact = undefined;
        }
        if (!this.#raft.hasReady()) break;
        const rd = this.#raft.ready();
        if (rd.soft) this.#onSoft(rd.soft.role, rd.soft.leader, rd.soft.term);
        const writes: Promise<void>[] = [];
        const hardChanged = rd.hardState !== undefined && (rd.hardState.term !== this.#lastHard.term || rd.hardState.vote !== this.#lastHard.vote);
        if (rd.hardState && hardChanged) {
          this.#lastHard = { term: rd.hardState.term, vote: rd.hardState.vote };
          writes.push(this.#storage.saveHardState(rd.hardState));
        }
        // A leader's appends may go out while its own fsync runs (the follower fsyncs in parallel): the
        // core counts the leader's own entries towards commit only once advance() reports them durable.
        // Everything else — votes, responses, anything sent under a term or vote being persisted — waits.
        let later = rd.messages;
        if (!hardChanged && this.#raft.role === 'leader') {
          // Order per peer is kept: a peer with any other message in this Ready (a snapshot piece, say)
          // gets all of its messages after the fsync, in order.
          const kind = (m: Message) => m.type === 'append' || m.type === 'heartbeat';
          const held = new Set(rd.messages.filter((m) => !kind(m)).map((m) => m.to));
          const early = (m: Message) => kind(m) && !held.has(m.to);
          this.#send(rd.messages.filter(early));
          later = rd.messages.filter((m) => !early(m));
        }
        if (rd.entries.length) writes.push(this.#storage.append(rd.entries));
        for (const piece of rd.snapshotPieces) writes.push(this.#storage.writeSnapshotPiece(piece));
        await Promise.all(writes);
        if (rd.snapshot) await this.#install(rd.snapshot.meta.index, rd.snapshot.keepLog, rd);
        this.#send(later);
        for (const e of rd.committed) if (e.index > this.#applied) this.#applyQueue.push(e);
        for (const r of rd.readStates) {
          const w = this.#reads.get(r.ctx);
          if (!w) continue;
          this.#reads.delete(r.ctx);
          this.#readyReads.push({ index: r.index, resolve: w.resolve });
        }
        for (const ctx of rd.droppedReads) {
          const w = this.#reads.get(ctx);
          this.#reads.delete(ctx);
          w?.reject(new NotLeaderError(this.#raft.leader));
        }
        this.#raft.advance(rd);
        this.#drainApply();
        this.#resolveReads();
      }
    } catch (err) {
      this.#die(err);
    } finally {
      this.#looping = false;
    }
    if (!this.#stopped && !this.#fatal && (this.#raft.hasReady() || this.#pendingCompact !== undefined)) this.#kick();
  }

  #send(messages: readonly Message[]): void {
    for (const m of messages) {
      const address = this.addressOf(m.to) ?? this.#appliedConfig.find((c) => c.id === m.to)?.address ?? this.#learned.get(m.to);
      if (address) this.transport.send(m, address);
    }
  }

  async #install(index: number, keepLog: boolean, rd: ReturnType<Raft['ready']>): Promise<void> {
    const meta = rd.snapshot!.meta;
    // Wait for a snapshot of our own being written: the state must not be replaced under its generator.
    while (this.#snapshotting) await new Promise((r) => setTimeout(r, 5));
    await this.#storage.installReceivedSnapshot(meta, keepLog);
    const body = this.#storage.openSnapshotBody();
    if (!body) throw new Error(`installed snapshot ${index} has no body`);
    this.#restoring = this.#sm.restore(body, index);
    await this.#restoring;
    this.#restoring = undefined;
    this.#applyQueue = this.#applyQueue.filter((e) => e.index > index);
    this.#applied = index;
    this.#snapshotIndex = index;
    this.#appliedConfig = meta.config;
    this.#log.info({ index, term: meta.term }, 'installed a snapshot from the leader');
    this.#resolveReads();
  }

  #onSoft(role: Role, leader: NodeId | null, term: number): void {
    const wasLeader = this.#role === 'leader';
    this.#role = role;
    this.#leader = leader;
    if (wasLeader && role !== 'leader') {
      this.#leaderReady = false;
      // Proposals still waiting may commit under the next leader, or be overwritten: nobody here can tell.
      for (const [index, w] of this.#waiters) {
        if (index > this.#applied) w.reject(new OutcomeUnknownError(leader));
      }
      this.#waiters.clear();
      this.emit('leader-lost', term);
    }
    this.#log.info({ raftRole: role, leader, term }, 'raft role');
    this.emit('role', role, leader, term);
  }

  #drainApply(): void {
    if (this.#snapshotting || this.#restoring) return;
    let applied = false;
    while (this.#applyQueue.length) {
      const e = this.#applyQueue.shift()!;
      if (e.index <= this.#applied) continue;
      let result: unknown;
      let error: unknown;
      let failed = false;
      if (e.kind === 'command' && e.data) {
        try {
          result = this.#sm.apply(e.data, e.index);
        } catch (err) {
          if (this.#sm.isFatal?.(err)) {
            this.#die(err);
            return;
          }
          failed = true;
          error = err;
        }
      } else if (e.kind === 'config' && e.config) {
        this.#appliedConfig = e.config;
        this.transport.retain(e.config.map((m) => m.id));
      }
      this.#applied = e.index;
      applied = true;
      const w = this.#waiters.get(e.index);
      if (w) {
        this.#waiters.delete(e.index);
        if (w.term !== e.term) w.reject(new OutcomeUnknownError(this.#raft.leader));
        else if (failed) w.reject(error);
        else w.resolve(result);
      }
      if (e.kind === 'noop' && e.term === this.#raft.term && this.#raft.role === 'leader' && !this.#leaderReady) {
        this.#leaderReady = true;
        this.emit('leader-ready', e.term);
      }
    }
    if (applied) {
      this.#resolveReads();
      this.emit('applied', this.#applied);
      this.#maybeSnapshot();
    }
  }

  #resolveReads(): void {
    if (!this.#readyReads.length) return;
    const still: Array<{ index: number; resolve: () => void }> = [];
    for (const r of this.#readyReads) {
      if (r.index <= this.#applied) r.resolve();
      else still.push(r);
    }
    this.#readyReads = still;
  }

  #maybeSnapshot(): void {
    const o = this.#opts.snapshotEvery ?? 20_000;
    const every = typeof o === 'function' ? o() : o;
    if (every <= 0 || this.#snapshotting || this.#applied - this.#snapshotIndex < every) return;
    void this.snapshot();
  }

  /** Writes a snapshot of the state machine at the applied index and compacts the log behind it. */
  async snapshot(): Promise<void> {
    if (this.#snapshotting || this.#stopped) return;
    this.#snapshotting = true;
    const index = this.#applied;
    const started = performance.now();
    try {
      const term = this.#raft.termAt(index);
      if (term === undefined) return; // already compacted past it
      const meta = { index, term, config: structuredClone(this.#appliedConfig) };
      const gen = this.#sm.snapshot()[Symbol.iterator]();
      const body = (async function* () {
        for (;;) {
          const { value, done } = gen.next();
          if (done) return;
          yield value;
          await new Promise((r) => setImmediate(r));
        }
      })();
      await this.#storage.saveSnapshot(meta, body, this.#opts.snapshotRetain ?? 1000);
      this.#snapshotIndex = index;
      this.#pendingCompact = index;
      const bytes = this.#storage.snapshotSource()?.size ?? 0;
      this.#log.info({ index, ms: Math.round(performance.now() - started), bytes }, 'raft snapshot written');
      this.emit('snapshot', index, (performance.now() - started) / 1000, bytes);
    } catch (err) {
      this.#log.error({ err, index }, 'raft snapshot failed; the log is kept');
    } finally {
      this.#snapshotting = false;
      this.#drainApply();
      this.#kick();
    }
  }

  #failAll(err: unknown): void {
    for (const w of this.#waiters.values()) w.reject(err);
    this.#waiters.clear();
    for (const r of this.#reads.values()) r.reject(err);
    this.#reads.clear();
  }

  #die(err: unknown): void {
    if (this.#fatal) return;
    this.#fatal = err;
    clearInterval(this.#timer);
    this.#failAll(err);
    this.#log.fatal({ err }, 'raft member stopped');
    this.#opts.onFatal(err);
  }
}
