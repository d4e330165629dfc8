// A Raft member as a pure state machine. It does no I/O and keeps no time of its own: the caller feeds it
// ticks, messages and proposals, then takes a Ready (what to persist, send and apply), does it in that
// order, and calls advance(). Randomness (the election timeout) comes from the caller's seeded source.
// The same code therefore runs in the master process and, step by step, in the deterministic simulation.
//
// What it implements, beyond the basic algorithm of the Raft paper:
// - pre-vote and check-quorum: a member that hears from a leader ignores vote requests for an election
//   timeout, and a leader that cannot reach a quorum for an election timeout steps down, so a member cut
//   off and coming back cannot depose a healthy leader;
// - a no-op appended on election; only entries of the leader's own term are committed by counting
//   replicas (earlier ones commit with them);
// - pipelined appends with an in-flight cap per follower, and backtracking a whole term per round trip;
// - ReadIndex: a read is served at the commit index once a quorum confirmed the leadership after the read
//   arrived, and never before the leader's no-op has committed;
// - snapshots sent in pieces with stop-and-wait flow control; a follower keeps the part of its log that
//   matches the snapshot, else drops it;
// - single-server membership changes that take effect once appended (at most one uncommitted, and only
//   after the leader has committed in its own term), learners, and a removed leader stepping down;
// - leadership transfer with TimeoutNow.
import type {
  ConfChange,
  Entry,
  HardState,
  Member,
  Message,
  NodeId,
  Persisted,
  Progress,
  RaftOptions,
  ReadState,
  Ready,
  Role,
  SnapshotMeta,
  SnapshotPiece,
  Status,
} from './types.js';

export class NotLeaderError extends Error {
  constructor(readonly leader: NodeId | null) {
    super(leader ? `not the leader; the leader is ${leader}` : 'not the leader; no leader is known');
    this.name = 'NotLeaderError';
  }
}

/** The request cannot be taken now (a transfer or a membership change is under way): retry later. */
export class RetryLaterError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RetryLaterError';
  }
}

export class InvalidChangeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidChangeError';
  }
}

interface PendingRead {
  ctx: string;
  index: number;
  acks: Set<NodeId>;
}

const clone = (c: Member[]): Member[] => c.map((m) => ({ ...m }));

export class Raft {
  readonly id: NodeId;
  readonly #electionTicks: number;
  readonly #heartbeatTicks: number;
  readonly #random: () => number;
  readonly #maxInflight: number;
  readonly #maxEntries: number;
  readonly #checkQuorum: boolean;
  readonly #preVote: boolean;

  #term: number;
  #vote: NodeId | null;
  #commit: number;
  #applied: number;
  #role: Role = 'follower';
  #leader: NodeId | null = null;

  // The log: entries offset+1 … offset+log.length; `offset` is where it starts (at or before the snapshot).
  #log: Entry[];
  #offset: number;
  #offsetTerm: number;
  #snapshot: SnapshotMeta;
  /** Configurations in force from an index on (the first at or before the log's start). */
  #configs: { index: number; config: Member[] }[];
  /** Last index persisted by the caller. */
  #stable: number;

  #prs = new Map<NodeId, Progress>();
  #votes = new Map<NodeId, boolean>();
  #electionElapsed = 0;
  #heartbeatElapsed = 0;
  #randomizedTimeout = 0;
  #transferee: NodeId | null = null;
  #transferElapsed = 0;
  /** Leader: ticks since it was elected, and the tick at which each follower last answered (check-quorum). */
  #leaderTicks = 0;
  #heardAt = new Map<NodeId, number>();

  #readQueue: PendingRead[] = [];
  /** Reads that arrived before this leader committed in its term. */
  #readsWaiting: string[] = [];
  #readStates: ReadState[] = [];
  #droppedReads: string[] = [];

  #msgs: Message[] = [];
  #pieces: SnapshotPiece[] = [];
  #install: { meta: SnapshotMeta; keepLog: boolean } | undefined;
  #receiving: { meta: SnapshotMeta; next: number } | null = null;
  #persistedHard: HardState;
  #lastSoft: { role: Role; leader: NodeId | null; term: number };

  constructor(opts: RaftOptions, persisted: Persisted) {
    this.id = opts.id;
    this.#electionTicks = opts.electionTicks;
    this.#heartbeatTicks = opts.heartbeatTicks;
    this.#random = opts.random;
    this.#maxInflight = opts.maxInflight ?? 64;
    this.#maxEntries = opts.maxEntriesPerAppend ?? 256;
    this.#checkQuorum = opts.checkQuorum ?? true;
    this.#preVote = opts.preVote ?? true;
    const { hardState, snapshot, entries } = persisted;
    this.#term = hardState.term;
    this.#vote = hardState.vote;
    this.#snapshot = { ...snapshot, config: clone(snapshot.config) };
    this.#offset = snapshot.index;
    this.#offsetTerm = snapshot.term;
    this.#log = [];
    this.#configs = [{ index: snapshot.index, config: clone(snapshot.config) }];
    let expect = snapshot.index + 1;
    for (const e of entries) {
      if (e.index !== expect) throw new Error(`persisted log not contiguous: entry ${e.index} where ${expect} was expected`);
      expect++;
    }
    this.#appendLocal(entries);
    this.#stable = this.lastIndex;
    // The persisted commit index is not trusted: it is written with (or, in node.ts, beside) the entries
    // of the same Ready, so a crash can leave it durable while those entries are torn off — and below it
    // the log may then still hold entries of an older term that were never committed (they were being
    // overwritten), or a stale tail a snapshot was about to replace. Applying up to it would apply them.
    // Commit starts at the snapshot and is learned again from a leader (the paper's volatile commitIndex).
    this.#commit = snapshot.index;
    this.#applied = snapshot.index;
    this.#persistedHard = { ...hardState };
    this.#lastSoft = { role: this.#role, leader: null, term: this.#term };
    this.#resetRandomizedTimeout();
  }

  // ---- read-only views ----

  get lastIndex(): number {
    return this.#offset + this.#log.length;
  }
  get term(): number {
    return this.#term;
  }
  get role(): Role {
    return this.#role;
  }
  get leader(): NodeId | null {
    return this.#leader;
  }
  get commitIndex(): number {
    return this.#commit;
  }
  get appliedIndex(): number {
    return this.#applied;
  }
  get config(): Member[] {
    return clone(this.#config());
  }
  /** The snapshot the caller last reported (compact) or installed. */
  get snapshotMeta(): SnapshotMeta {
    return { ...this.#snapshot, config: clone(this.#snapshot.config) };
  }

  /** The term of entry i, or undefined when it is compacted away or beyond the log. */
  termAt(i: number): number | undefined {
    if (i === this.#offset) return this.#offsetTerm;
    if (i === this.#snapshot.index) return this.#snapshot.term;
    if (i < this.#offset || i > this.lastIndex) return undefined;
    return this.#log[i - this.#offset - 1]!.term;
  }

  /** Entries lo … hi that are still in the log (for invariant checks and tests). */
  entries(lo: number, hi: number): Entry[] {
    const from = Math.max(lo, this.#offset + 1);
    return this.#log.slice(from - this.#offset - 1, Math.max(0, hi - this.#offset));
  }

  get firstIndex(): number {
    return this.#offset + 1;
  }

  status(): Status {
    const progress: Status['progress'] = {};
    for (const [id, pr] of this.#prs) progress[id] = { match: id === this.id ? this.#stable : pr.match, next: pr.next, state: pr.state };
    return {
      id: this.id,
      role: this.#role,
      term: this.#term,
      leader: this.#leader,
      vote: this.#vote,
      commit: this.#commit,
      applied: this.#applied,
      lastIndex: this.lastIndex,
      snapshotIndex: this.#snapshot.index,
      config: this.config,
      progress,
      transferring: this.#transferee,
    };
  }

  // ---- inputs ----

  tick(): void {
    if (this.#role === 'leader') {
      this.#heartbeatElapsed++;
      this.#electionElapsed++;
      this.#leaderTicks++;
      if (this.#transferee !== null && ++this.#transferElapsed >= this.#electionTicks) this.#transferee = null;
      if (this.#electionElapsed >= this.#electionTicks) this.#electionElapsed = 0;
      if (this.#checkQuorum) {
        // A follower is active while it has answered within the last election timeout, and the leader
        // steps down at the first tick its active voters are no quorum: one election timeout after it
        // last heard from a quorum. (Judging once per timeout on what was heard since the previous check
        // lets a leader cut off just after a check lead on for almost two.)
        for (const [id, pr] of this.#prs) if (id !== this.id) pr.recentActive = this.#leaderTicks - (this.#heardAt.get(id) ?? 0) < this.#electionTicks;
        if (!this.#quorumActive()) {
          this.#becomeFollower(this.#term, null);
          return;
        }
      }
      if (this.#heartbeatElapsed >= this.#heartbeatTicks) {
        this.#heartbeatElapsed = 0;
        this.#broadcastHeartbeat(this.#readQueue.at(-1)?.ctx ?? '');
      }
      return;
    }
    this.#electionElapsed++;
    if (this.#promotable() && this.#electionElapsed >= this.#randomizedTimeout) {
      this.#electionElapsed = 0;
      this.#campaign(this.#preVote ? 'pre' : 'real', false);
    }
  }

  /** Starts an election now (tests and bootstrap of a one-member cluster). */
  campaign(): void {
    if (this.#role !== 'leader' && this.#promotable()) this.#campaign(this.#preVote ? 'pre' : 'real', false);
  }

  propose(data: Uint8Array): { index: number; term: number } {
    this.#mustLead();
    return this.#appendNew({ kind: 'command', data });
  }

  proposeConfChange(change: ConfChange): { index: number; term: number } {
    this.#mustLead();
    if (!this.#committedInTerm()) throw new RetryLaterError('the leader has not committed an entry of its term yet');
    if (this.#configs.at(-1)!.index > this.#commit) throw new RetryLaterError('another membership change is not committed yet');
    const config = clone(this.#config());
    const at = config.findIndex((m) => m.id === change.id);
    if (change.type === 'add_learner') {
      if (at >= 0) throw new InvalidChangeError(`${change.id} is already a member`);
      config.push({ id: change.id, address: change.address, voter: false });
    } else if (change.type === 'promote') {
      if (at < 0) throw new InvalidChangeError(`${change.id} is not a member`);
      if (config[at]!.voter) throw new InvalidChangeError(`${change.id} is already a voter`);
      config[at]!.voter = true;
    } else {
      if (at < 0) throw new InvalidChangeError(`${change.id} is not a member`);
      if (config[at]!.voter && config.filter((m) => m.voter).length === 1) throw new InvalidChangeError('cannot remove the last voter');
      config.splice(at, 1);
    }
    return this.#appendNew({ kind: 'config', change, config });
  }

  /**
   * Asks for a linearizable read. On the leader, a ReadState with `ctx` follows once it is safe to read at
   * its index (after applying up to it); false when this member is not the leader. `ctx` must be unique.
   */
  readIndex(ctx: string): boolean {
    if (this.#role !== 'leader') return false;
    if (this.#readQueue.some((r) => r.ctx === ctx) || this.#readsWaiting.includes(ctx)) throw new InvalidChangeError(`read ${ctx} is already pending`);
    if (!this.#committedInTerm()) this.#readsWaiting.push(ctx);
    else this.#issueRead(ctx);
    return true;
  }

  /** The transport could not deliver to `id` (its connection broke): stop pipelining and probe again. */
  reportUnreachable(id: NodeId): void {
    const pr = this.#role === 'leader' ? this.#prs.get(id) : undefined;
    if (pr && pr.state === 'replicate') this.#probe(pr);
  }

  transferLeadership(to: NodeId): void {
    this.#mustLead();
    if (to === this.id) return;
    const member = this.#config().find((m) => m.id === to);
    if (!member?.voter) throw new InvalidChangeError(`${to} is not a voter`);
    this.#transferee = to;
    this.#transferElapsed = 0;
    const pr = this.#prs.get(to)!;
    if (pr.match === this.lastIndex) this.#send({ type: 'timeout_now', from: this.id, to, term: this.#term });
    else this.#sendAppend(to, true);
  }

  /**
   * The caller has taken a snapshot of the state machine at `index` (≤ applied): it becomes the snapshot
   * this member sends, and the log before it is dropped, except the last `retain` entries.
   */
  compact(index: number, retain = 0): SnapshotMeta {
    if (index > this.#applied) throw new Error(`cannot snapshot at ${index}: only ${this.#applied} is applied`);
    if (index <= this.#snapshot.index) return this.snapshotMeta;
    this.#snapshot = { index, term: this.termAt(index)!, config: clone(this.#configAt(index)) };
    const cut = Math.max(this.#offset, index - retain);
    if (cut > this.#offset) {
      const term = this.termAt(cut)!;
      this.#log = this.#log.slice(cut - this.#offset);
      const base = this.#configAt(cut);
      this.#configs = [{ index: cut, config: clone(base) }, ...this.#configs.filter((c) => c.index > cut)];
      this.#offset = cut;
      this.#offsetTerm = term;
    }
    return this.snapshotMeta;
  }

  step(m: Message): void {
    if (m.to !== this.id) return;
    if (m.term > this.#term) {
      if (m.type === 'prevote' || m.type === 'vote') {
        const inLease = this.#checkQuorum && this.#leader !== null && this.#electionElapsed < this.#electionTicks;
        if (!m.transfer && inLease) return; // a live leader is known: do not let this member disrupt it
      }
      if (m.type === 'prevote' || (m.type === 'prevote_resp' && m.granted)) {
        // a pre-vote never changes the term
      } else if (m.type === 'append' || m.type === 'heartbeat' || m.type === 'snapshot') {
        this.#becomeFollower(m.term, m.from);
      } else {
        this.#becomeFollower(m.term, null);
      }
    } else if (m.term < this.#term) {
      if (m.type === 'append' || m.type === 'heartbeat' || m.type === 'snapshot') {
        // A stale leader: tell it the term so it steps down.
        this.#send({ type: 'append_resp', from: this.id, to: m.from, term: this.#term, success: false, index: 0, hintIndex: 0, hintTerm: 0 });
      } else if (m.type === 'prevote') {
        this.#send({ type: 'prevote_resp', from: this.id, to: m.from, term: this.#term, granted: false });
      }
      return;
    }

    switch (m.type) {
      case 'prevote':
      case 'vote': {
        const canVote = this.#vote === m.from || (this.#vote === null && this.#leader === null) || (m.type === 'prevote' && m.term > this.#term);
        const granted = canVote && this.#upToDate(m.lastIndex, m.lastTerm);
        if (granted && m.type === 'vote') {
          this.#vote = m.from;
          this.#electionElapsed = 0;
        }
        const type = m.type === 'vote' ? 'vote_resp' : 'prevote_resp';
        this.#send({ type, from: this.id, to: m.from, term: granted ? m.term : this.#term, granted });
        return;
      }
      case 'prevote_resp':
        if (this.#role === 'precandidate' && m.term === this.#term + 1) this.#poll(m.from, m.granted, 'pre');
        return;
      case 'vote_resp':
        if (this.#role === 'candidate') this.#poll(m.from, m.granted, 'real');
        return;
      case 'append':
      case 'heartbeat':
      case 'snapshot':
        if (this.#role === 'leader') return; // same term, another leader: cannot happen
        if (this.#role !== 'follower') this.#becomeFollower(this.#term, m.from);
        this.#leader = m.from;
        this.#electionElapsed = 0;
        if (m.type === 'append') this.#handleAppend(m);
        else if (m.type === 'heartbeat') this.#handleHeartbeat(m);
        else this.#handleSnapshot(m);
        return;
      case 'timeout_now':
        if (this.#role === 'follower' && this.#promotable()) this.#campaign('real', true);
        return;
      case 'append_resp':
      case 'heartbeat_resp':
      case 'snapshot_resp':
        if (this.#role === 'leader') this.#leaderResponse(m);
        return;
    }
  }

  // ---- output ----

  hasReady(): boolean {
    return (
      this.#msgs.length > 0 ||
      this.#stable < this.lastIndex ||
      this.#applied < this.#commit ||
      this.#readStates.length > 0 ||
      this.#droppedReads.length > 0 ||
      this.#pieces.length > 0 ||
      this.#install !== undefined ||
      this.#hardChanged() ||
      this.#softChanged()
    );
  }

  ready(): Ready {
    const rd: Ready = {
      entries: this.entries(this.#stable + 1, this.lastIndex),
      snapshotPieces: this.#pieces,
      messages: this.#msgs,
      committed: this.entries(this.#applied + 1, this.#commit),
      readStates: this.#readStates,
      droppedReads: this.#droppedReads,
    };
    if (this.#install) rd.snapshot = this.#install;
    if (this.#hardChanged()) rd.hardState = { term: this.#term, vote: this.#vote, commit: this.#commit };
    if (this.#softChanged()) rd.soft = this.#lastSoft = { role: this.#role, leader: this.#leader, term: this.#term };
    this.#msgs = [];
    this.#pieces = [];
    this.#readStates = [];
    this.#droppedReads = [];
    this.#install = undefined;
    return rd;
  }

  /** The caller has persisted, sent and applied what `rd` asked. */
  advance(rd: Ready): void {
    if (rd.hardState) this.#persistedHard = rd.hardState;
    const last = rd.entries.at(-1);
    if (last && this.termAt(last.index) === last.term && last.index > this.#stable) this.#stable = last.index;
    const applied = rd.committed.at(-1);
    if (applied && applied.index > this.#applied) this.#applied = applied.index;
    if (this.#role === 'leader') {
      const self = this.#prs.get(this.id);
      if (self) {
        self.match = Math.max(self.match, this.#stable);
        self.next = self.match + 1;
      }
      this.#maybeCommit();
    }
  }

  // ---- roles ----

  #becomeFollower(term: number, leader: NodeId | null): void {
    const wasLeader = this.#role === 'leader';
    if (term !== this.#term) {
      this.#term = term;
      this.#vote = null; // a new term only: clearing the vote within a term would allow a second vote
    }
    this.#role = 'follower';
    this.#leader = leader;
    this.#reset();
    if (wasLeader) this.#dropLeaderState();
  }

  #campaign(kind: 'pre' | 'real', transfer: boolean): void {
    if (kind === 'pre') {
      this.#role = 'precandidate';
      this.#leader = null;
      this.#reset();
    } else {
      this.#term++;
      this.#vote = this.id;
      this.#role = 'candidate';
      this.#leader = null;
      this.#reset();
    }
    this.#votes.clear();
    this.#poll(this.id, true, kind);
    // A member that is the only voter has won already (and, from a pre-vote, campaigned for real).
    if ((this.#role as Role) === 'leader' || (kind === 'pre' && (this.#role as Role) === 'candidate')) return;
    const lastIndex = this.lastIndex;
    const lastTerm = this.termAt(lastIndex)!;
    const term = kind === 'pre' ? this.#term + 1 : this.#term;
    for (const m of this.#config()) {
      if (!m.voter || m.id === this.id) continue;
      this.#send({ type: kind === 'pre' ? 'prevote' : 'vote', from: this.id, to: m.id, term, lastIndex, lastTerm, ...(transfer ? { transfer } : {}) });
    }
  }

  #poll(from: NodeId, granted: boolean, kind: 'pre' | 'real'): void {
    const voters = this.#config().filter((m) => m.voter);
    if (!voters.some((m) => m.id === from)) return;
    this.#votes.set(from, granted);
    let yes = 0;
    let no = 0;
    for (const v of voters) {
      const g = this.#votes.get(v.id);
      if (g === true) yes++;
      else if (g === false) no++;
    }
    const q = Math.floor(voters.length / 2) + 1;
    if (yes >= q) {
      if (kind === 'pre') this.#campaign('real', false);
      else this.#becomeLeader();
    } else if (no > voters.length - q) {
      this.#becomeFollower(this.#term, null);
    }
  }

  #becomeLeader(): void {
    this.#role = 'leader';
    this.#leader = this.id;
    this.#reset();
    this.#prs.clear();
    this.#leaderTicks = 0;
    this.#heardAt.clear();
    for (const m of this.#config()) this.#prs.set(m.id, this.#newProgress(m.id));
    this.#appendNew({ kind: 'noop' });
  }

  #reset(): void {
    this.#electionElapsed = 0;
    this.#heartbeatElapsed = 0;
    this.#transferee = null;
    this.#resetRandomizedTimeout();
  }

  #resetRandomizedTimeout(): void {
    this.#randomizedTimeout = this.#electionTicks + Math.floor(this.#random() * this.#electionTicks);
  }

  #dropLeaderState(): void {
    for (const r of this.#readQueue) this.#droppedReads.push(r.ctx);
    this.#droppedReads.push(...this.#readsWaiting);
    this.#readQueue = [];
    this.#readsWaiting = [];
    this.#prs.clear();
    this.#heardAt.clear();
  }

  #newProgress(id: NodeId): Progress {
    const self = id === this.id;
    if (!self) this.#heardAt.set(id, this.#leaderTicks); // counted active for an election timeout from now
    return {
      match: self ? this.#stable : 0,
      next: this.lastIndex + 1,
      state: 'probe',
      paused: false,
      inflight: [],
      recentActive: true,
      stallMatch: -1,
      snapshotIndex: 0,
      snapshotOffset: 0,
    };
  }

  #mustLead(): void {
    if (this.#role !== 'leader') throw new NotLeaderError(this.#leader);
    if (this.#transferee !== null) throw new RetryLaterError(`leadership is being transferred to ${this.#transferee}`);
  }

  #promotable(): boolean {
    return this.#config().some((m) => m.id === this.id && m.voter);
  }

  #quorumActive(): boolean {
    const voters = this.#config().filter((m) => m.voter);
    let active = 0;
    for (const v of voters) if (v.id === this.id || this.#prs.get(v.id)?.recentActive) active++;
    return active >= Math.floor(voters.length / 2) + 1;
  }

  #upToDate(lastIndex: number, lastTerm: number): boolean {
    const myLast = this.lastIndex;
    const myTerm = this.termAt(myLast)!;
    return lastTerm > myTerm || (lastTerm === myTerm && lastIndex >= myLast);
  }

  #committedInTerm(): boolean {
    return this.termAt(this.#commit) === this.#term;
  }

  // ---- the log ----

  #config(): Member[] {
    return this.#configs.at(-1)!.config;
  }

  #configAt(i: number): Member[] {
    let c = this.#configs[0]!.config;
    for (const x of this.#configs) if (x.index <= i) c = x.config;
    return c;
  }

  #appendNew(e: Omit<Entry, 'index' | 'term'>): { index: number; term: number } {
    const entry: Entry = { index: this.lastIndex + 1, term: this.#term, ...e };
    this.#appendLocal([entry]);
    this.#broadcastAppend();
    return { index: entry.index, term: entry.term };
  }

  #appendLocal(entries: Entry[]): void {
    let changed = false;
    for (const e of entries) {
      this.#log.push(e);
      if (e.kind === 'config' && e.config) {
        this.#configs.push({ index: e.index, config: clone(e.config) });
        changed = true;
      }
    }
    if (changed) this.#configChanged();
  }

  /** Drops entries from `from` on (never committed ones: asserted). */
  #truncate(from: number): void {
    if (from <= this.#commit) throw new Error(`raft ${this.id}: truncating committed entry ${from} (commit ${this.#commit})`);
    this.#log.length = from - this.#offset - 1;
    if (this.#stable >= from) this.#stable = from - 1;
    const before = this.#configs.length;
    this.#configs = this.#configs.filter((c, i) => i === 0 || c.index < from);
    if (this.#configs.length !== before) this.#configChanged();
  }

  #configChanged(): void {
    if (this.#role !== 'leader') return;
    const config = this.#config();
    for (const m of config) if (!this.#prs.has(m.id)) this.#prs.set(m.id, this.#newProgress(m.id));
    for (const id of [...this.#prs.keys()]) {
      if (config.some((m) => m.id === id)) continue;
      this.#prs.delete(id);
      this.#heardAt.delete(id);
    }
  }

  /** The last index ≤ i whose term is ≤ term (or the log's start). */
  #findConflictByTerm(i: number, term: number): number {
    let at = Math.min(i, this.lastIndex);
    while (at > this.#offset) {
      const t = this.termAt(at)!;
      if (t <= term) return at;
      at--;
    }
    return this.#offset;
  }

  // ---- follower ----

  #handleAppend(m: Extract<Message, { type: 'append' }>): void {
    let { prevIndex, prevTerm, entries } = m;
    if (prevIndex < this.#commit) {
      // Entries up to the commit index are known to match the leader's (a compacted prefix is no conflict).
      entries = entries.filter((e) => e.index > this.#commit);
      prevIndex = this.#commit;
      prevTerm = this.termAt(prevIndex)!;
      if (m.prevIndex + m.entries.length < this.#commit) {
        this.#reply(m.from, true, this.#commit);
        return;
      }
    }
    const t = this.termAt(prevIndex);
    if (t === undefined || t !== prevTerm) {
      const hintIndex = this.#findConflictByTerm(Math.min(prevIndex, this.lastIndex), prevTerm);
      this.#send({ type: 'append_resp', from: this.id, to: m.from, term: this.#term, success: false, index: prevIndex, hintIndex, hintTerm: this.termAt(hintIndex) ?? 0 });
      return;
    }
    for (let k = 0; k < entries.length; k++) {
      const e = entries[k]!;
      const mine = this.termAt(e.index);
      if (mine === e.term) continue;
      if (mine !== undefined) this.#truncate(e.index);
      this.#appendLocal(entries.slice(k));
      break;
    }
    const lastNew = prevIndex + entries.length;
    this.#commitTo(Math.min(m.commit, lastNew));
    this.#reply(m.from, true, lastNew);
  }

  #reply(to: NodeId, success: boolean, index: number): void {
    this.#send({ type: 'append_resp', from: this.id, to, term: this.#term, success, index, hintIndex: 0, hintTerm: 0 });
  }

  #commitTo(i: number): void {
    if (i > this.#commit) this.#commit = Math.min(i, this.lastIndex);
  }

  #handleHeartbeat(m: Extract<Message, { type: 'heartbeat' }>): void {
    this.#commitTo(m.commit);
    this.#send({ type: 'heartbeat_resp', from: this.id, to: m.from, term: this.#term, ctx: m.ctx });
  }

  #handleSnapshot(m: Extract<Message, { type: 'snapshot' }>): void {
    const meta = m.meta;
    if (meta.index <= this.#commit) {
      this.#receiving = null;
      this.#reply(m.from, true, this.#commit);
      return;
    }
    if (m.offset === 0 && m.data) this.#receiving = { meta, next: 0 };
    const r = this.#receiving;
    const same = r !== null && r.meta.index === meta.index && r.meta.term === meta.term;
    if (!same || !m.data || m.offset !== r.next) {
      this.#send({ type: 'snapshot_resp', from: this.id, to: m.from, term: this.#term, index: meta.index, next: same ? r.next : 0 });
      return;
    }
    this.#pieces.push({ meta, offset: m.offset, data: m.data, done: m.done === true });
    r.next += m.data.length;
    if (!m.done) {
      this.#send({ type: 'snapshot_resp', from: this.id, to: m.from, term: this.#term, index: meta.index, next: r.next });
      return;
    }
    this.#receiving = null;
    this.#restore(meta);
    this.#reply(m.from, true, meta.index);
  }

  #restore(meta: SnapshotMeta): void {
    const keepLog = this.termAt(meta.index) === meta.term && meta.index > this.#offset;
    if (keepLog) {
      this.#log = this.#log.slice(meta.index - this.#offset);
      this.#configs = [{ index: meta.index, config: clone(meta.config) }, ...this.#configs.filter((c) => c.index > meta.index)];
    } else {
      this.#log = [];
      this.#configs = [{ index: meta.index, config: clone(meta.config) }];
    }
    this.#offset = meta.index;
    this.#offsetTerm = meta.term;
    this.#snapshot = { ...meta, config: clone(meta.config) };
    this.#stable = keepLog ? Math.max(this.#stable, meta.index) : meta.index;
    this.#commit = meta.index;
    this.#applied = meta.index;
    this.#install = { meta: this.snapshotMeta, keepLog };
  }

  // ---- leader ----

  #send(m: Message): void {
    this.#msgs.push(m);
  }

  #broadcastAppend(): void {
    for (const id of this.#prs.keys()) if (id !== this.id) this.#sendAppend(id, true);
  }

  #broadcastHeartbeat(ctx: string): void {
    for (const [id, pr] of this.#prs) {
      if (id === this.id) continue;
      this.#send({ type: 'heartbeat', from: this.id, to: id, term: this.#term, commit: Math.min(pr.match, this.#commit), ctx });
    }
  }

  /** Sends what `to` needs next, if flow control allows; sendIfEmpty sends an append without entries (to carry the commit). */
  #sendAppend(to: NodeId, sendIfEmpty: boolean): boolean {
    const pr = this.#prs.get(to);
    if (!pr || pr.state === 'snapshot') return false;
    if (pr.state === 'probe' && pr.paused) return false;
    if (pr.state === 'replicate' && pr.inflight.length >= this.#maxInflight) return false;
    const prevIndex = pr.next - 1;
    const prevTerm = this.termAt(prevIndex);
    if (prevTerm === undefined || prevIndex < this.#offset) {
      pr.state = 'snapshot';
      pr.snapshotIndex = this.#snapshot.index;
      pr.snapshotOffset = 0;
      pr.inflight = [];
      this.#sendPiece(to, pr);
      return true;
    }
    const entries = this.entries(pr.next, Math.min(this.lastIndex, pr.next + this.#maxEntries - 1));
    if (entries.length === 0 && !sendIfEmpty) return false;
    this.#send({ type: 'append', from: this.id, to, term: this.#term, prevIndex, prevTerm, entries, commit: this.#commit });
    if (entries.length > 0) {
      if (pr.state === 'replicate') {
        const last = entries.at(-1)!.index;
        pr.next = last + 1;
        pr.inflight.push(last);
      } else {
        pr.paused = true;
      }
    }
    return entries.length > 0;
  }

  #sendPiece(to: NodeId, pr: Progress): void {
    if (pr.snapshotIndex !== this.#snapshot.index) {
      pr.snapshotIndex = this.#snapshot.index;
      pr.snapshotOffset = 0;
    }
    this.#send({ type: 'snapshot', from: this.id, to, term: this.#term, meta: this.snapshotMeta, offset: pr.snapshotOffset });
  }

  #leaderResponse(m: Extract<Message, { type: 'append_resp' | 'heartbeat_resp' | 'snapshot_resp' }>): void {
    const pr = this.#prs.get(m.from);
    if (!pr) return;
    pr.recentActive = true;
    this.#heardAt.set(m.from, this.#leaderTicks);
    if (m.type === 'heartbeat_resp') {
      if (pr.state === 'snapshot') this.#sendPiece(m.from, pr);
      else {
        if (pr.state === 'replicate' && pr.inflight.length > 0 && pr.match === pr.stallMatch) this.#probe(pr); // appends lost
        pr.stallMatch = pr.match;
        pr.paused = false;
        if (pr.match < this.lastIndex) this.#sendAppend(m.from, false);
      }
      if (m.ctx) this.#ackRead(m.ctx, m.from);
      return;
    }
    if (m.type === 'snapshot_resp') {
      if (pr.state !== 'snapshot' || m.index !== pr.snapshotIndex) return;
      // A reply that moves nothing answers a duplicate piece: sending again would start a second
      // stream of pieces. A lost piece is sent again on the next heartbeat reply.
      if (m.next === pr.snapshotOffset) return;
      pr.snapshotOffset = m.next;
      this.#sendPiece(m.from, pr);
      return;
    }
    if (!m.success) {
      if (pr.state === 'replicate' && m.index <= pr.match) return; // stale
      if (pr.state === 'probe' && m.index !== pr.next - 1) return; // stale
      if (pr.state === 'snapshot') return;
      const probe = m.hintTerm > 0 ? this.#findConflictByTerm(m.hintIndex, m.hintTerm) : m.hintIndex;
      pr.next = Math.max(Math.min(m.index, probe + 1), pr.match + 1);
      pr.state = 'probe';
      pr.paused = false;
      pr.inflight = [];
      this.#sendAppend(m.from, true);
      return;
    }
    const advanced = m.index > pr.match;
    if (advanced) pr.match = m.index;
    if (pr.state === 'snapshot') {
      if (pr.match < pr.snapshotIndex) return;
      pr.state = 'probe';
      pr.next = pr.match + 1;
      pr.paused = false;
    }
    if (pr.state === 'probe') {
      pr.state = 'replicate';
      pr.next = pr.match + 1;
      pr.paused = false;
      pr.inflight = [];
    } else {
      pr.next = Math.max(pr.next, m.index + 1);
      while (pr.inflight.length > 0 && pr.inflight[0]! <= m.index) pr.inflight.shift();
    }
    if (advanced && this.#maybeCommit()) this.#broadcastAppend();
    while (this.#sendAppend(m.from, false)) {
      /* fill the pipeline */
    }
    if (this.#role === 'leader' && this.#transferee === m.from && pr.match === this.lastIndex) {
      this.#send({ type: 'timeout_now', from: this.id, to: m.from, term: this.#term });
    }
  }

  #probe(pr: Progress): void {
    pr.state = 'probe';
    pr.next = pr.match + 1;
    pr.paused = false;
    pr.inflight = [];
  }

  /** Advances the commit index to the highest current-term index stored on a quorum of voters. */
  #maybeCommit(): boolean {
    if (this.#role !== 'leader') return false;
    const voters = this.#config().filter((m) => m.voter);
    if (voters.length === 0) return false;
    const matches = voters.map((v) => (v.id === this.id ? this.#stable : (this.#prs.get(v.id)?.match ?? 0))).sort((a, b) => b - a);
    const n = matches[Math.floor(voters.length / 2)]!;
    if (n <= this.#commit || this.termAt(n) !== this.#term) return false;
    const firstInTerm = !this.#committedInTerm();
    this.#commit = n;
    if (firstInTerm) {
      const waiting = this.#readsWaiting;
      this.#readsWaiting = [];
      for (const ctx of waiting) this.#issueRead(ctx);
    }
    if (!this.#configAt(this.#commit).some((m) => m.id === this.id && m.voter)) {
      // The configuration that removed this leader is committed: hand over by stepping down.
      this.#broadcastAppend();
      this.#becomeFollower(this.#term, null);
      return false;
    }
    return true;
  }

  #issueRead(ctx: string): void {
    const voters = this.#config().filter((m) => m.voter);
    if (voters.length === 1 && voters[0]!.id === this.id) {
      this.#readStates.push({ ctx, index: this.#commit });
      return;
    }
    this.#readQueue.push({ ctx, index: this.#commit, acks: new Set([this.id]) });
    this.#broadcastHeartbeat(ctx);
  }

  #ackRead(ctx: string, from: NodeId): void {
    const at = this.#readQueue.findIndex((r) => r.ctx === ctx);
    if (at < 0) return;
    const r = this.#readQueue[at]!;
    r.acks.add(from);
    const voters = this.#config().filter((m) => m.voter);
    const acks = voters.filter((v) => r.acks.has(v.id)).length;
    if (acks < Math.floor(voters.length / 2) + 1) return;
    // A quorum confirmed leadership after this read (and so after every earlier one) arrived.
    for (const done of this.#readQueue.splice(0, at + 1)) this.#readStates.push({ ctx: done.ctx, index: done.index });
  }

  #hardChanged(): boolean {
    const h = this.#persistedHard;
    return h.term !== this.#term || h.vote !== this.#vote || h.commit !== this.#commit;
  }

  #softChanged(): boolean {
    const s = this.#lastSoft;
    return s.role !== this.#role || s.leader !== this.#leader || s.term !== this.#term;
  }
}
