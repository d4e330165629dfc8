// The vocabulary of the Raft core: log entries, the persistent state, messages between members, and the
// Ready that tells the caller what to persist, send and apply. Everything here is plain data, so a
// transport can encode it and a simulation can copy, drop, duplicate or reorder it.

export type NodeId = string;

/** A member of the configuration. A learner receives the log but neither votes nor counts for commit. */
export interface Member {
  id: NodeId;
  address: string;
  voter: boolean;
}

/** One membership change at a time (single-server changes): a new member always starts as a learner. */
export type ConfChange =
  | { type: 'add_learner'; id: NodeId; address: string }
  | { type: 'promote'; id: NodeId }
  | { type: 'remove'; id: NodeId };

export type EntryKind = 'noop' | 'command' | 'config';

export interface Entry {
  index: number;
  term: number;
  kind: EntryKind;
  /** The application's command (kind 'command'). */
  data?: Uint8Array;
  /** The change (kind 'config'); the configuration it produces is `config`. */
  change?: ConfChange;
  /** kind 'config': the whole configuration in force from this entry on (it takes effect once appended). */
  config?: Member[];
}

/** Term and vote (and the commit index, a hint) — persisted as one record before any message is sent. */
export interface HardState {
  term: number;
  vote: NodeId | null;
  commit: number;
}

/** What a snapshot covers: the state after applying every entry up to `index`. */
export interface SnapshotMeta {
  index: number;
  term: number;
  config: Member[];
}

export type Message =
  | { type: 'prevote' | 'vote'; from: NodeId; to: NodeId; term: number; lastIndex: number; lastTerm: number; transfer?: boolean }
  | { type: 'prevote_resp' | 'vote_resp'; from: NodeId; to: NodeId; term: number; granted: boolean }
  | { type: 'append'; from: NodeId; to: NodeId; term: number; prevIndex: number; prevTerm: number; entries: Entry[]; commit: number }
  /**
   * success: `index` is the follower's last index known to match the leader. Rejection: `index` is the
   * prevIndex refused, and (hintIndex, hintTerm) the follower's last entry that may still match, so the
   * leader can skip a whole term of conflicting entries at once.
   */
  | { type: 'append_resp'; from: NodeId; to: NodeId; term: number; success: boolean; index: number; hintIndex: number; hintTerm: number }
  | { type: 'heartbeat'; from: NodeId; to: NodeId; term: number; commit: number; ctx: string }
  | { type: 'heartbeat_resp'; from: NodeId; to: NodeId; term: number; ctx: string }
  /**
   * One piece of a snapshot. The core sends it without `data`: whoever transmits it attaches the bytes at
   * `offset` of the snapshot named by `meta` and sets `done` on the last piece.
   */
  | { type: 'snapshot'; from: NodeId; to: NodeId; term: number; meta: SnapshotMeta; offset: number; data?: Uint8Array; done?: boolean }
  /** The follower has `next` bytes of the snapshot at `index` (and wants the piece at that offset). */
  | { type: 'snapshot_resp'; from: NodeId; to: NodeId; term: number; index: number; next: number }
  | { type: 'timeout_now'; from: NodeId; to: NodeId; term: number };

export type MessageType = Message['type'];

export type Role = 'follower' | 'precandidate' | 'candidate' | 'leader';

/** A linearizable read may be served once the state machine has applied `index`. */
export interface ReadState {
  ctx: string;
  index: number;
}

/** A piece of an incoming snapshot, to be written at `offset` of the file that will hold it. */
export interface SnapshotPiece {
  meta: SnapshotMeta;
  offset: number;
  data: Uint8Array;
  done: boolean;
}

export interface Ready {
  /**
   * Changed term/vote/commit: persist before sending any message. A change of term or vote must be
   * fsynced; the commit index alone is a hint (it is learned again from the leader) and need not be.
   */
  hardState?: HardState;
  /**
   * Entries to persist, in order. The first may overwrite persisted entries from its index on: drop those
   * before appending.
   */
  entries: Entry[];
  /** Pieces of a snapshot arriving from the leader, to write (and fsync) before the messages go out. */
  snapshotPieces: SnapshotPiece[];
  /**
   * A complete received snapshot to install: load the state machine from it, persist it as the current
   * snapshot, drop persisted entries up to its index — and, unless keepLog, every persisted entry.
   */
  snapshot?: { meta: SnapshotMeta; keepLog: boolean };
  /** To send once the above is durable. */
  messages: Message[];
  /** Committed entries to apply, in order. */
  committed: Entry[];
  readStates: ReadState[];
  /** Read requests that will never be answered here (leadership lost): fail them. */
  droppedReads: string[];
  /** Set when the role or known leader changed. */
  soft?: { role: Role; leader: NodeId | null; term: number };
}

export interface RaftOptions {
  id: NodeId;
  /** Ticks without hearing from a leader before an election: randomized in [electionTicks, 2·electionTicks). */
  electionTicks: number;
  heartbeatTicks: number;
  /** Uniform in [0, 1): the caller's seeded source (the core has no randomness of its own). */
  random: () => number;
  /** Most append messages outstanding to one follower (flow control). */
  maxInflight?: number;
  /** Most entries in one append message. */
  maxEntriesPerAppend?: number;
  /** A leader that has not heard from a quorum within an election timeout steps down (default true). */
  checkQuorum?: boolean;
  /** Campaign only after a pre-vote round shows a quorum would vote (default true). */
  preVote?: boolean;
}

/** What the node has on disk when it (re)starts. */
export interface Persisted {
  hardState: HardState;
  snapshot: SnapshotMeta;
  /** Persisted entries after snapshot.index, contiguous. */
  entries: Entry[];
}

export interface Progress {
  match: number;
  next: number;
  state: 'probe' | 'replicate' | 'snapshot';
  /** Probe: an append is out and unanswered. */
  paused: boolean;
  /** Last index of each append message in flight (replicate). */
  inflight: number[];
  recentActive: boolean;
  /** Replicate: the match index at the previous heartbeat reply (no progress since then means appends were lost). */
  stallMatch: number;
  /** Snapshot: the snapshot being sent and the bytes the follower has confirmed. */
  snapshotIndex: number;
  snapshotOffset: number;
}

export interface Status {
  id: NodeId;
  role: Role;
  term: number;
  leader: NodeId | null;
  vote: NodeId | null;
  commit: number;
  applied: number;
  lastIndex: number;
  snapshotIndex: number;
  config: Member[];
  progress: Record<NodeId, { match: number; next: number; state: Progress['state'] }>;
  transferring: NodeId | null;
}
