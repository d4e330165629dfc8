// What a Raft member keeps on disk, as the node driver (cluster/raft/node.ts) uses it. One implementation
// (disk-storage.ts) writes real files; the contract is the same one the simulation's disk honours.
import type { Readable } from 'node:stream';
import type { Entry, HardState, Persisted, SnapshotMeta, SnapshotPiece } from '../core/types.js';

export interface SnapshotSource {
  meta: SnapshotMeta;
  /** Bytes of the snapshot file as sent to followers (header included), for piece offsets. */
  size: number;
  /** Reads up to `length` bytes at `offset`; fewer only at the end. */
  read(offset: number, length: number): Promise<Uint8Array>;
}

export interface RaftStorage {
  /** What was on disk at open: hard state, current snapshot meta, and the entries after it. */
  readonly persisted: Persisted;
  /** Term and vote (and commit hint) as one record; resolves once fsynced. */
  saveHardState(hs: HardState): Promise<void>;
  /**
   * Appends entries (contiguous). If the first overlaps persisted entries, those from its index on are
   * dropped first. Resolves once fsynced; calls made while an fsync runs share the next one (group commit).
   */
  append(entries: Entry[]): Promise<void>;
  /**
   * Writes a snapshot of this member's own state machine at meta.index, from the body chunks, to a temp
   * file → fsync → rename → fsync dir; it becomes the current snapshot. Then the log before
   * meta.index - retain is dropped from disk.
   */
  saveSnapshot(meta: SnapshotMeta, body: AsyncIterable<Uint8Array>, retain?: number): Promise<void>;
  /** The current snapshot, for sending in pieces (undefined: none yet, only the empty initial state). */
  snapshotSource(): SnapshotSource | undefined;
  /** The body (application bytes, header stripped and checked) of the current snapshot. */
  openSnapshotBody(): Readable | undefined;
  /** A piece of a snapshot arriving from the leader (offsets into the file the leader's source reads). */
  writeSnapshotPiece(piece: SnapshotPiece): Promise<void>;
  /**
   * The snapshot received whole (its last piece written) becomes current: fsynced and renamed into place;
   * persisted entries up to meta.index are dropped — all of them unless keepLog.
   */
  installReceivedSnapshot(meta: SnapshotMeta, keepLog: boolean): Promise<void>;
  close(): Promise<void>;
}
