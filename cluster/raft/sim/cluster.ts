// A deterministic simulation of a Raft cluster: the real core (cluster/raft/core) on every member, with
// a simulated disk, network, clock and clients, all driven by one seeded event queue.
//
// - Disk: what a Ready asks to persist is written, then "fsynced" after a random delay; only then are its
//   messages sent and its entries applied. A crash keeps what was fsynced plus a random prefix of the
//   records written since (a torn tail cut on open is the same as a shorter prefix). An fsync can fail,
//   which crashes the member, as it does in the real master.
// - Network: per directed link, drop, duplicate and random delay (so reordering); one-way partitions.
// - Clock: every member ticks at its own rate (skew).
// - State machine: a key-value store with client sessions: a command carries (client, seq), and a retried
//   command that already applied returns its first result instead of applying again.
// - Clients: put / get (ReadIndex) / cas on a few keys with timeouts and retries; each operation is
//   recorded with its call and return times for the linearizability checker (a given-up one returns at
//   Infinity: unknown).
// - Invariants after every event: at most one leader per term, an (index, term) names one entry, applied
//   entries agree across members, a new leader holds every committed entry, term/commit/applied never go
//   back, and snapshot ≤ applied ≤ commit ≤ last index.
import { NotLeaderError, Raft, RetryLaterError } from '../core/raft.js';
import type { ConfChange, Entry, HardState, Member, Message, NodeId, Ready, SnapshotMeta } from '../core/types.js';
import { EventQueue, Rng } from './engine.js';
import type { KvInput, KvOutput, Operation } from './linearizability.js';

export interface SimOptions {
  seed: number;
  voters: number;
  /** Keys the clients use. */
  keys?: number;
  clients?: number;
  /** Probability a message is dropped / duplicated. */
  drop?: number;
  duplicate?: number;
  /** Message delay range (ms). */
  minDelay?: number;
  maxDelay?: number;
  /** fsync delay range (ms), and probability an fsync fails (the member crashes). */
  fsyncMin?: number;
  fsyncMax?: number;
  fsyncFailure?: number;
  /** Tick length (ms) before skew; each member's is scaled by up to ±skew. */
  tickMs?: number;
  skew?: number;
  electionTicks?: number;
  heartbeatTicks?: number;
  /** Snapshot when this many entries applied since the last one (0: never). */
  snapshotEvery?: number;
  /** Snapshot piece size for the simulated transport (bytes). */
  pieceBytes?: number;
  maxInflight?: number;
  maxEntriesPerAppend?: number;
  /** Client request timeout (ms) and how long a client keeps retrying one operation. */
  requestTimeout?: number;
  giveUpAfter?: number;
  preVote?: boolean;
  checkQuorum?: boolean;
}

interface KvCommand {
  client: number;
  seq: number;
  input: KvInput;
}

interface KvState {
  data: Map<string, string>;
  sessions: Map<number, { seq: number; output: KvOutput }>;
}

interface Disk {
  hard: HardState;
  snapshot: { meta: SnapshotMeta; data: Uint8Array };
  /** Persisted entries after snapshot.meta.index - retained, in order. */
  log: Entry[];
}

type Waiter = { term: number; done: (output: KvOutput | undefined) => void };

/**
 * A scenario test's own network rule: it sees every message as the core sent it, before the links' own
 * faults, and returns the message to send (the same one, or a copy with fewer entries), or null to drop it.
 * A rule that only looks and returns `m` is a tap.
 */
export type NetworkRule = (m: Message) => Message | null;

/** One operation a scenario test submitted through submit() or read(). */
export interface Submitted {
  /** Writes: where the command went in the proposing member's log. Reads: -1. */
  index: number;
  term: number;
  /** Once the outcome is known: `output` is the answer (acknowledged), or undefined (lost, or unknown). */
  settled: boolean;
  output: KvOutput | undefined;
  /** Virtual time it settled at. */
  at: number;
}

class SimNode {
  raft: Raft | null = null;
  busy = false;
  inbox: Message[] = [];
  kv: KvState = { data: new Map(), sessions: new Map() };
  /** The incoming snapshot file, piece by piece. */
  incoming: Uint8Array[] = [];
  proposals = new Map<number, Waiter>();
  reads = new Map<string, (index: number | undefined) => void>();
  readsAt: { index: number; run: () => void }[] = [];
  life = 0;
  lastTerm = 0;
  lastCommit = 0;
  lastApplied = 0;
  /** A Ready written but not yet fsynced. */
  pendingWrite: { rd: Ready; records: number } | undefined;
  constructor(
    readonly id: NodeId,
    readonly tickMs: number,
    public disk: Disk,
  ) {}
}

const enc = new TextEncoder();
const dec = new TextDecoder();

export class SimFailure extends Error {}

export class SimCluster {
  readonly q = new EventQueue();
  readonly rng: Rng;
  readonly o: Required<SimOptions>;
  readonly nodes = new Map<NodeId, SimNode>();
  /** Directed links that drop everything: "a>b". */
  readonly blocked = new Set<string>();
  readonly history: Operation<KvInput, KvOutput>[] = [];
  /** Commands acknowledged to a client: they must all be applied in the end. */
  readonly acked: KvCommand[] = [];
  readonly leaders = new Map<number, NodeId>();
  /** index → term and digest of the entry applied there (by anyone). */
  readonly applied = new Map<number, string>();
  /** (index:term) → digest of the entry, as first persisted by anyone. */
  readonly entryDigest = new Map<string, string>();
  maxCommit = 0;
  readonly stats = { leaderChanges: 0, crashes: 0, snapshotsSent: 0, snapshotsTaken: 0, partitions: 0, transfers: 0, confChanges: 0, retries: 0 };
  #nextId = 0;
  #stopClients = false;
  #nemesisOn = true;
  #readSeq = 0;
  readonly #rules = new Set<NetworkRule>();
  #adhocClient = 1_000_000;

  constructor(opts: SimOptions) {
    this.o = {
      keys: 5,
      clients: 4,
      drop: 0.02,
      duplicate: 0.02,
      minDelay: 1,
      maxDelay: 12,
      fsyncMin: 0.2,
      fsyncMax: 3,
      fsyncFailure: 0,
      tickMs: 10,
      skew: 0.2,
      electionTicks: 10,
      heartbeatTicks: 2,
      snapshotEvery: 40,
      pieceBytes: 256,
      maxInflight: 4,
      maxEntriesPerAppend: 8,
      requestTimeout: 400,
      giveUpAfter: 4000,
      preVote: true,
      checkQuorum: true,
      ...opts,
    };
    this.rng = new Rng(opts.seed);
    const config: Member[] = [];
    for (let i = 0; i < this.o.voters; i++) config.push({ id: `n${i + 1}`, address: `sim:${i + 1}`, voter: true });
    this.#nextId = this.o.voters;
    for (const m of config) this.#addNode(m.id, config);
  }

  // ---- members ----

  #addNode(id: NodeId, config: Member[]): SimNode {
    const skew = 1 + (this.rng.float() * 2 - 1) * this.o.skew;
    const disk: Disk = {
      hard: { term: 0, vote: null, commit: 0 },
      snapshot: { meta: { index: 0, term: 0, config: config.map((m) => ({ ...m })) }, data: this.#encodeKv({ data: new Map(), sessions: new Map() }) },
      log: [],
    };
    const n = new SimNode(id, this.o.tickMs * skew, disk);
    this.nodes.set(id, n);
    this.#start(n);
    return n;
  }

  #start(n: SimNode): void {
    const life = ++n.life;
    const snap = n.disk.snapshot;
    n.kv = this.#decodeKv(snap.data);
    n.incoming = [];
    n.busy = false;
    n.inbox = [];
    n.raft = new Raft(
      {
        id: n.id,
        electionTicks: this.o.electionTicks,
        heartbeatTicks: this.o.heartbeatTicks,
        random: () => this.rng.float(),
        maxInflight: this.o.maxInflight,
        maxEntriesPerAppend: this.o.maxEntriesPerAppend,
        preVote: this.o.preVote,
        checkQuorum: this.o.checkQuorum,
      },
      { hardState: { ...n.disk.hard }, snapshot: snap.meta, entries: n.disk.log.filter((e) => e.index > snap.meta.index) },
    );
    if (n.disk.hard.term < n.lastTerm) this.fail(`${n.id} restarted at term ${n.disk.hard.term} after term ${n.lastTerm} was persisted`);
    n.lastCommit = 0;
    n.lastApplied = snap.meta.index;
    const tick = () => {
      if (n.life !== life || !n.raft) return;
      n.raft.tick();
      this.#process(n);
      this.q.after(n.tickMs, tick);
    };
    this.q.after(this.rng.float() * n.tickMs, tick);
  }

  /**
   * Crashes `id`. Of the records being written and not yet fsynced (hard state first, then entries), a
   * random prefix survives — or exactly the first `keepRecords` when given (a scenario's torn tail).
   */
  crash(id: NodeId, keepRecords?: number): void {
    const n = this.nodes.get(id)!;
    if (!n.raft) return;
    this.stats.crashes++;
    n.raft = null;
    n.life++;
    n.busy = false;
    for (const w of n.proposals.values()) w.done(undefined);
    n.proposals.clear();
    for (const r of n.reads.values()) r(undefined);
    n.reads.clear();
    n.readsAt = [];
    const torn = n.pendingWrite;
    n.pendingWrite = undefined;
    if (torn) this.#persist(n, torn, keepRecords === undefined ? this.rng.int(0, torn.records) : Math.max(0, Math.min(keepRecords, torn.records)));
  }

  restart(id: NodeId): void {
    const n = this.nodes.get(id)!;
    if (n.raft) return;
    this.#start(n);
  }

  // ---- the Ready loop ----

  #process(n: SimNode): void {
    const raft = n.raft;
    if (!raft || n.busy) return;
    for (const m of n.inbox.splice(0)) raft.step(m);
    if (!raft.hasReady()) return;
    const rd = raft.ready();
    if (rd.soft) this.#onSoft(n, rd.soft);
    const records = (rd.hardState ? 1 : 0) + rd.entries.length;
    const pending = { rd, records };
    const needsSync = records > 0 || rd.snapshotPieces.length > 0 || rd.snapshot !== undefined;
    const life = n.life;
    const finish = () => {
      if (n.life !== life || !n.raft) return;
      if (needsSync && this.rng.chance(this.o.fsyncFailure)) {
        this.crash(n.id); // an fsync error is fatal: nothing of this Ready is known durable
        return;
      }
      n.pendingWrite = undefined;
      this.#persist(n, pending, records);
      this.#afterSync(n, rd);
      n.busy = false;
      this.#process(n);
    };
    n.busy = true;
    n.pendingWrite = pending;
    if (needsSync) this.q.after(this.o.fsyncMin + this.rng.float() * (this.o.fsyncMax - this.o.fsyncMin), finish);
    else this.q.after(0, finish);
  }

  /** Makes durable the snapshot of `p` and its first `keep` records (hard state first, then entries). */
  #persist(n: SimNode, p: { rd: Ready; records: number }, keep: number): void {
    const rd = p.rd;
    if (keep === p.records) {
      for (const piece of rd.snapshotPieces) {
        if (piece.offset === 0) n.incoming = [];
        n.incoming.push(piece.data);
      }
      if (rd.snapshot) {
        const data = concat(n.incoming);
        n.incoming = [];
        n.disk.snapshot = { meta: rd.snapshot.meta, data };
        n.disk.log = rd.snapshot.keepLog ? n.disk.log.filter((e) => e.index > rd.snapshot!.meta.index) : [];
        n.kv = this.#decodeKv(data);
        n.lastApplied = rd.snapshot.meta.index;
      }
    }
    let k = keep;
    if (rd.hardState) {
      if (k === 0) return;
      n.disk.hard = { ...rd.hardState };
      n.lastTerm = Math.max(n.lastTerm, rd.hardState.term);
      k--;
    }
    const entries = rd.entries.slice(0, k);
    if (entries.length > 0) {
      const first = entries[0]!.index;
      n.disk.log = n.disk.log.filter((e) => e.index < first);
      const last = n.disk.log.at(-1);
      const floor = Math.max(n.disk.snapshot.meta.index, last?.index ?? 0);
      if (first > floor + 1) this.fail(`${n.id}: persisted log would have a gap: ${floor} then ${first}`);
      for (const e of entries) {
        const key = `${e.index}:${e.term}`;
        const d = digest(e);
        const seen = this.entryDigest.get(key);
        if (seen === undefined) this.entryDigest.set(key, d);
        else if (seen !== d) this.fail(`log matching: entry ${key} is ${d} on ${n.id} but ${seen} elsewhere`);
        n.disk.log.push(e);
      }
    }
  }

  #afterSync(n: SimNode, rd: Ready): void {
    const raft = n.raft!;
    for (const m of rd.messages) this.#send(n, m);
    for (const e of rd.committed) this.#apply(n, e);
    for (const r of rd.readStates) {
      const done = n.reads.get(r.ctx);
      if (!done) continue;
      n.reads.delete(r.ctx);
      n.readsAt.push({ index: r.index, run: () => done(r.index) });
    }
    for (const ctx of rd.droppedReads) {
      n.reads.get(ctx)?.(undefined);
      n.reads.delete(ctx);
    }
    raft.advance(rd);
    this.#serveReads(n);
    this.#maybeSnapshot(n);
    this.#checkNode(n);
  }

  #serveReads(n: SimNode): void {
    const applied = n.raft!.appliedIndex;
    const ready = n.readsAt.filter((r) => r.index <= applied);
    n.readsAt = n.readsAt.filter((r) => r.index > applied);
    for (const r of ready) r.run();
  }

  #apply(n: SimNode, e: Entry): void {
    const key = e.index;
    const d = `${e.term}:${digest(e)}`;
    const seen = this.applied.get(key);
    if (seen === undefined) this.applied.set(key, d);
    else if (seen !== d) this.fail(`state-machine safety: ${n.id} applied ${d} at ${e.index}, another member applied ${seen}`);
    if (e.index !== n.lastApplied + 1) this.fail(`${n.id} applied ${e.index} after ${n.lastApplied}`);
    n.lastApplied = e.index;
    let output: KvOutput | undefined;
    if (e.kind === 'command' && e.data) {
      const cmd = JSON.parse(dec.decode(e.data)) as KvCommand;
      const session = n.kv.sessions.get(cmd.client);
      if (session && session.seq >= cmd.seq) {
        output = session.seq === cmd.seq ? session.output : undefined; // a retry: its first result, applied once
      } else {
        output = applyKv(n.kv.data, cmd.input);
        n.kv.sessions.set(cmd.client, { seq: cmd.seq, output });
      }
    }
    const w = n.proposals.get(e.index);
    if (w) {
      n.proposals.delete(e.index);
      w.done(w.term === e.term ? output : undefined);
    }
  }

  #maybeSnapshot(n: SimNode): void {
    const raft = n.raft!;
    if (this.o.snapshotEvery <= 0 || raft.appliedIndex - raft.snapshotMeta.index < this.o.snapshotEvery) return;
    // The snapshot file is written (tmp, fsync, rename) before the log before it is dropped.
    const meta = raft.compact(raft.appliedIndex, this.rng.int(0, 6));
    n.disk.snapshot = { meta, data: this.#encodeKv(n.kv) };
    n.disk.log = n.disk.log.filter((e) => e.index >= raft.firstIndex);
    this.stats.snapshotsTaken++;
  }

  #onSoft(n: SimNode, soft: NonNullable<Ready['soft']>): void {
    if (soft.role !== 'leader') return;
    this.stats.leaderChanges++;
    const prev = this.leaders.get(soft.term);
    if (prev !== undefined && prev !== n.id) this.fail(`election safety: ${prev} and ${n.id} both lead term ${soft.term}`);
    this.leaders.set(soft.term, n.id);
    // Leader completeness: every entry committed anywhere is in the new leader's log.
    const raft = n.raft!;
    for (let i = raft.firstIndex; i <= this.maxCommit; i++) {
      const want = this.applied.get(i);
      const t = raft.termAt(i);
      if (want !== undefined && (t === undefined || !want.startsWith(`${t}:`))) this.fail(`leader completeness: ${n.id} leads term ${soft.term} without committed entry ${i} (${want})`);
    }
  }

  #checkNode(n: SimNode): void {
    const r = n.raft!;
    const s = r.status();
    if (s.term < n.lastTerm) this.fail(`${n.id} term went back to ${s.term} from ${n.lastTerm}`);
    if (s.commit < n.lastCommit) this.fail(`${n.id} commit went back to ${s.commit} from ${n.lastCommit}`);
    if (s.applied < n.lastApplied && s.applied !== n.lastApplied) this.fail(`${n.id} applied went back`);
    if (!(r.firstIndex - 1 <= s.snapshotIndex && s.snapshotIndex <= s.applied && s.applied <= s.commit && s.commit <= s.lastIndex))
      this.fail(`${n.id}: expected first-1 ≤ snapshot ≤ applied ≤ commit ≤ last, got ${r.firstIndex - 1} ${s.snapshotIndex} ${s.applied} ${s.commit} ${s.lastIndex}`);
    n.lastTerm = Math.max(n.lastTerm, s.term);
    n.lastCommit = s.commit;
    this.maxCommit = Math.max(this.maxCommit, s.applied);
  }

  fail(why: string): never {
    throw new SimFailure(`${why} (at ${this.q.now.toFixed(1)} ms, step ${this.q.steps})`);
  }

  // ---- network ----

  #send(from: SimNode, m: Message): void {
    let msg = m;
    if (m.type === 'snapshot') {
      // The transport attaches the bytes of the snapshot the message names.
      const snap = from.disk.snapshot;
      if (snap.meta.index !== m.meta.index) return;
      const data = snap.data.subarray(m.offset, m.offset + this.o.pieceBytes);
      msg = { ...m, data, done: m.offset + data.length >= snap.data.length };
      if (m.offset === 0) this.stats.snapshotsSent++;
    }
    for (const rule of this.#rules) {
      const next = rule(msg);
      if (next === null) return;
      msg = next;
    }
    if (this.blocked.has(`${m.from}>${m.to}`)) return;
    if (this.rng.chance(this.o.drop)) return;
    const copies = this.rng.chance(this.o.duplicate) ? 2 : 1;
    for (let c = 0; c < copies; c++) {
      const delay = this.o.minDelay + this.rng.float() * (this.o.maxDelay - this.o.minDelay);
      const copy = structuredClone(msg);
      this.q.after(delay, () => {
        const to = this.nodes.get(m.to);
        if (!to?.raft) return;
        to.inbox.push(copy);
        this.#process(to);
      });
    }
  }

  partition(groups: NodeId[][]): void {
    this.stats.partitions++;
    this.blocked.clear();
    for (const a of groups) for (const b of groups) if (a !== b) for (const x of a) for (const y of b) this.blocked.add(`${x}>${y}`);
  }

  block(from: NodeId, to: NodeId): void {
    this.blocked.add(`${from}>${to}`);
  }

  heal(): void {
    this.blocked.clear();
  }

  // ---- the view from outside ----

  live(): SimNode[] {
    return [...this.nodes.values()].filter((n) => n.raft);
  }

  leader(): SimNode | undefined {
    let best: SimNode | undefined;
    for (const n of this.live()) if (n.raft!.role === 'leader' && (!best || n.raft!.term > best.raft!.term)) best = n;
    return best;
  }

  members(): Member[] {
    const l = this.leader();
    return (l ?? this.live()[0] ?? [...this.nodes.values()][0]!).raft?.config ?? [];
  }

  // ---- clients ----

  startClients(): void {
    for (let c = 1; c <= this.o.clients; c++) this.#client(c, 0);
  }

  stopClients(): void {
    this.#stopClients = true;
  }

  #client(client: number, seq: number): void {
    if (this.#stopClients) return;
    const key = `k${this.rng.int(1, this.o.keys)}`;
    const r = this.rng.float();
    const input: KvInput =
      r < 0.4 ? { op: 'put', key, value: `${client}.${seq + 1}` } : r < 0.75 ? { op: 'get', key } : { op: 'cas', key, from: `${this.rng.int(1, this.o.clients)}.${this.rng.int(1, Math.max(1, seq))}`, to: `${client}.${seq + 1}` };
    const op: Operation<KvInput, KvOutput> = { client, input, call: this.q.now, output: undefined, ret: Infinity };
    this.history.push(op);
    const cmd: KvCommand = { client, seq: seq + 1, input };
    const started = this.q.now;
    let target = this.rng.pick([...this.nodes.keys()]);
    const attempt = () => {
      if (this.q.now - started > this.o.giveUpAfter) {
        this.q.after(this.rng.int(1, 20), () => this.#client(client, seq + 1)); // unknown: ret stays Infinity
        return;
      }
      let settled = false;
      const settle = (output: KvOutput | undefined, hint?: NodeId | null) => {
        if (settled) return;
        settled = true;
        if (output !== undefined) {
          op.output = output;
          op.ret = this.q.now;
          if (input.op !== 'get') this.acked.push(cmd);
          this.q.after(this.rng.int(0, 10), () => this.#client(client, seq + 1));
          return;
        }
        this.stats.retries++;
        target = hint ?? this.rng.pick([...this.nodes.keys()]);
        this.q.after(this.rng.int(5, 30), attempt);
      };
      this.q.after(this.o.requestTimeout, () => settle(undefined));
      const delay = this.rng.int(1, 5);
      this.q.after(delay, () => {
        const n = this.nodes.get(target);
        if (!n?.raft) return; // nobody answers: the timeout retries
        const back = (output: KvOutput | undefined, hint?: NodeId | null) => this.q.after(this.rng.int(1, 5), () => settle(output, hint));
        try {
          if (input.op === 'get') {
            const ctx = `r${++this.#readSeq}`;
            if (!n.raft.readIndex(ctx)) return back(undefined, n.raft.leader);
            n.reads.set(ctx, (index) => (index === undefined ? back(undefined) : back(n.kv.data.has(input.key) ? { value: n.kv.data.get(input.key)! } : {})));
            this.#process(n);
          } else {
            const { index, term } = n.raft.propose(enc.encode(JSON.stringify(cmd)));
            n.proposals.set(index, { term, done: (out) => back(out) });
            this.#process(n);
          }
        } catch (e) {
          if (e instanceof NotLeaderError) return back(undefined, e.leader);
          if (e instanceof RetryLaterError) return back(undefined);
          throw e;
        }
      });
    };
    attempt();
  }

  // ---- hooks for scenario tests ----

  /** Adds a network rule (see NetworkRule); returns a function that removes it. */
  addRule(rule: NetworkRule): () => void {
    this.#rules.add(rule);
    return () => void this.#rules.delete(rule);
  }

  /** Runs `id`'s Ready loop now (after a test drove its Raft directly). */
  process(id: NodeId): void {
    const n = this.nodes.get(id);
    if (n?.raft) this.#process(n);
  }

  /**
   * Proposes a write at `id` now, as a one-shot client of its own: throws what propose throws
   * (NotLeaderError, RetryLaterError). Recorded in the history; acknowledged once applied in the term it
   * was proposed in (then also in `acked`), settled with undefined when overwritten or its member crashes.
   */
  submit(id: NodeId, input: KvInput): Submitted {
    const n = this.nodes.get(id);
    if (!n?.raft) throw new Error(`${id} is down`);
    const client = ++this.#adhocClient;
    const cmd: KvCommand = { client, seq: 1, input };
    const { index, term } = n.raft.propose(enc.encode(JSON.stringify(cmd)));
    const op: Operation<KvInput, KvOutput> = { client, input, call: this.q.now, output: undefined, ret: Infinity };
    this.history.push(op);
    const s: Submitted = { index, term, settled: false, output: undefined, at: NaN };
    n.proposals.get(index)?.done(undefined); // an earlier proposal at this index was overwritten
    n.proposals.set(index, {
      term,
      done: (output) => {
        if (s.settled) return;
        Object.assign(s, { settled: true, output, at: this.q.now });
        if (output === undefined) return;
        op.output = output;
        op.ret = this.q.now;
        if (input.op !== 'get') this.acked.push(cmd);
      },
    });
    this.#process(n);
    return s;
  }

  /** A linearizable read (ReadIndex) of `key` at `id` now; undefined when `id` is not the leader. Recorded in the history. */
  read(id: NodeId, key: string): Submitted | undefined {
    const n = this.nodes.get(id);
    if (!n?.raft) throw new Error(`${id} is down`);
    const ctx = `x${++this.#readSeq}`;
    if (!n.raft.readIndex(ctx)) return undefined;
    const input: KvInput = { op: 'get', key };
    const op: Operation<KvInput, KvOutput> = { client: ++this.#adhocClient, input, call: this.q.now, output: undefined, ret: Infinity };
    this.history.push(op);
    const s: Submitted = { index: -1, term: n.raft.term, settled: false, output: undefined, at: NaN };
    n.reads.set(ctx, (index) => {
      const output = index === undefined ? undefined : n.kv.data.has(key) ? { value: n.kv.data.get(key)! } : {};
      Object.assign(s, { settled: true, output, at: this.q.now });
      if (output !== undefined) Object.assign(op, { output, ret: this.q.now });
    });
    this.#process(n);
    return s;
  }

  /** Proposes a membership change at `leader` (throws what proposeConfChange throws); a new learner gets a fresh, empty member. */
  changeMembership(leader: NodeId, change: ConfChange): { index: number; term: number } {
    const l = this.nodes.get(leader);
    if (!l?.raft) throw new Error(`${leader} is down`);
    const at = l.raft.proposeConfChange(change);
    this.stats.confChanges++;
    if (change.type === 'add_learner' && !this.nodes.has(change.id)) this.#addNode(change.id, []);
    this.#process(l);
    return at;
  }

  // ---- nemesis ----

  stopNemesis(): void {
    this.#nemesisOn = false;
  }

  /** Random faults every `everyMs` on average: crashes and restarts, partitions, transfers, membership churn. */
  startNemesis(everyMs: number, kinds: { crash?: boolean; partition?: boolean; transfer?: boolean; churn?: boolean } = {}): void {
    const { crash = true, partition = true, transfer = true, churn = false } = kinds;
    const next = () => {
      if (!this.#nemesisOn) return;
      const ids = [...this.nodes.keys()];
      const r = this.rng.int(0, 3);
      if (r === 0 && crash) {
        const down = ids.filter((id) => !this.nodes.get(id)!.raft);
        if (down.length > 0 && this.rng.chance(0.6)) this.restart(this.rng.pick(down));
        else if (down.length < Math.floor((ids.length - 1) / 2) || this.rng.chance(0.2)) {
          const victim = this.rng.chance(0.5) ? (this.leader()?.id ?? this.rng.pick(ids)) : this.rng.pick(ids);
          this.crash(victim);
          this.q.after(this.rng.int(50, 1500), () => this.restart(victim));
        }
      } else if (r === 1 && partition) {
        if (this.blocked.size > 0 && this.rng.chance(0.5)) this.heal();
        else if (this.rng.chance(0.3)) {
          const a = this.rng.pick(ids);
          const b = this.rng.pick(ids.filter((x) => x !== a));
          this.block(a, b); // one way
        } else {
          const shuffled = this.rng.shuffle([...ids]);
          const cut = this.rng.int(1, shuffled.length - 1);
          this.partition([shuffled.slice(0, cut), shuffled.slice(cut)]);
        }
      } else if (r === 2 && transfer) {
        const l = this.leader();
        const voters = this.members().filter((m) => m.voter && m.id !== l?.id && this.nodes.get(m.id)?.raft);
        if (l && voters.length > 0) {
          try {
            l.raft!.transferLeadership(this.rng.pick(voters).id);
            this.stats.transfers++;
            this.#process(l);
          } catch (e) {
            if (!(e instanceof RetryLaterError || e instanceof NotLeaderError)) throw e;
          }
        }
      } else if (r === 3 && churn) {
        this.#churn();
      }
      this.q.after(this.rng.int(everyMs / 2, everyMs * 2), next);
    };
    this.q.after(everyMs, next);
  }

  #churn(): void {
    const l = this.leader();
    if (!l) return;
    const config = l.raft!.config;
    const voters = config.filter((m) => m.voter);
    const learners = config.filter((m) => !m.voter);
    let change: ConfChange;
    if (learners.length > 0) {
      const learner = learners[0]!;
      const pr = l.raft!.status().progress[learner.id];
      if (!pr || pr.match < l.raft!.commitIndex) return; // promote only once caught up
      change = { type: 'promote', id: learner.id };
    } else if (voters.length < 5 && (voters.length <= 3 || this.rng.chance(0.5))) {
      const id = `n${++this.#nextId}`;
      change = { type: 'add_learner', id, address: `sim:${this.#nextId}` };
    } else {
      change = { type: 'remove', id: this.rng.pick(voters).id };
    }
    try {
      l.raft!.proposeConfChange(change);
    } catch (e) {
      if (e instanceof RetryLaterError || e instanceof NotLeaderError) return;
      throw e;
    }
    this.stats.confChanges++;
    // A new member starts empty, knowing nobody; the leader's appends (or a snapshot) bring it up.
    if (change.type === 'add_learner') this.#addNode(change.id, []);
    this.#process(l);
  }

  // ---- running ----

  runUntil(time: number): void {
    while (this.q.now < time && this.q.step()) {
      /* events do the work */
    }
  }

  /** Heals everything, restarts every member and waits for one leader and converged logs. */
  settle(withinMs: number): void {
    this.stopNemesis();
    this.o.fsyncFailure = 0;
    this.heal();
    for (const n of this.nodes.values()) if (!n.raft) this.restart(n.id); // removed members too: they must not disturb the others
    const deadline = this.q.now + withinMs;
    while (this.q.now < deadline) {
      this.runUntil(this.q.now + 50);
      if (this.converged()) return;
    }
    const s = [...this.nodes.values()].map((n) => (n.raft ? `${n.id}:${n.raft.role}/t${n.raft.term}/c${n.raft.commitIndex}/a${n.raft.appliedIndex}/l${n.raft.lastIndex}` : `${n.id}:down`));
    const pr = JSON.stringify(this.leader()?.raft?.status().progress ?? {});
    this.fail(`no convergence within ${withinMs} ms: ${s.join(' ')}; members ${this.members().map((m) => m.id + (m.voter ? '' : '(learner)')).join(',')}; progress ${pr}`);
  }

  converged(): boolean {
    const l = this.leader();
    if (!l) return false;
    const leaders = this.live().filter((n) => n.raft!.role === 'leader');
    if (leaders.length !== 1) return false;
    const members = l.raft!.config;
    const last = l.raft!.lastIndex;
    if (l.raft!.commitIndex !== last) return false;
    for (const m of members) {
      const n = this.nodes.get(m.id);
      if (!n?.raft || n.busy) return false;
      if (n.raft.lastIndex !== last || n.raft.appliedIndex !== last || n.raft.termAt(last) !== l.raft!.termAt(last)) return false;
    }
    return true;
  }

  /** At the end: logs equal where present, every acknowledged command applied on every member. */
  checkFinal(): void {
    const l = this.leader()!;
    const members = l.raft!.config.map((m) => this.nodes.get(m.id)!);
    for (const n of members) {
      const lo = Math.max(n.raft!.firstIndex, l.raft!.firstIndex);
      const a = n.raft!.entries(lo, n.raft!.lastIndex);
      const b = l.raft!.entries(lo, l.raft!.lastIndex);
      if (a.length !== b.length) this.fail(`${n.id} has ${a.length} entries from ${lo}, the leader ${b.length}`);
      for (let i = 0; i < a.length; i++) if (digest(a[i]!) !== digest(b[i]!) || a[i]!.term !== b[i]!.term) this.fail(`${n.id} differs from the leader at ${a[i]!.index}`);
      if (this.#encodeKvData(n.kv) !== this.#encodeKvData(l.kv)) this.fail(`${n.id}'s state differs from the leader's`);
      for (const cmd of this.acked) {
        const s = n.kv.sessions.get(cmd.client);
        if (!s || s.seq < cmd.seq) this.fail(`acknowledged command ${cmd.client}.${cmd.seq} (${JSON.stringify(cmd.input)}) missing on ${n.id}`);
      }
    }
  }

  #encodeKv(kv: KvState): Uint8Array {
    return enc.encode(JSON.stringify({ data: [...kv.data], sessions: [...kv.sessions] }));
  }
  #encodeKvData(kv: KvState): string {
    return JSON.stringify([...kv.data].sort());
  }
  #decodeKv(b: Uint8Array): KvState {
    const j = JSON.parse(dec.decode(b)) as { data: [string, string][]; sessions: [number, { seq: number; output: KvOutput }][] };
    return { data: new Map(j.data), sessions: new Map(j.sessions) };
  }
}

function applyKv(data: Map<string, string>, input: KvInput): KvOutput {
  if (input.op === 'put') {
    data.set(input.key, input.value);
    return {};
  }
  if (input.op === 'get') return data.has(input.key) ? { value: data.get(input.key)! } : {};
  if (data.get(input.key) === input.from) {
    data.set(input.key, input.to);
    return { ok: true };
  }
  return { ok: false };
}

function digest(e: Entry): string {
  return `${e.kind}|${e.data ? dec.decode(e.data) : ''}|${e.change ? JSON.stringify(e.change) : ''}`;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
