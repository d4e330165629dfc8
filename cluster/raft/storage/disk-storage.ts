// A Raft member's storage on real files (the contract is storage/types.ts). One directory holds:
//
//   hardstate                      term, vote and commit: ONE framed record (u32 length | u32 CRC-32 |
//                                  JSON {term, vote, commit}), replaced atomically (see #writeHardState).
//   log-<seq:16>.wal               log segments in the master's WAL framing (cluster/master/wal.ts: the same
//                                  Wal class does framing, group commit and the torn-tail cut), one record
//                                  per append() call or log reset (record layout below). A new segment is
//                                  started once the current one reaches segmentBytes.
//   snap-<index:16>-<term:16>.snap the current snapshot (format below); at most one after a clean run.
//   snap-….tmp / recv-….tmp        a snapshot being written by this member / received from a leader;
//                                  deleted at open.
//
// Log records (payload of one WAL frame; integers little-endian, u64 = two u32, lo then hi):
//   ENTRIES  u8 1 | u64 firstIndex | u32 count | count × entry
//            entry = u64 term | u8 kind (0 noop, 1 command, 2 config) | u8 flags (1: data, 2: meta)
//                    | [u32 n | n bytes of data] | [u32 n | n bytes of JSON {change, config}]
//            Replaying ENTRIES first drops every entry at or after firstIndex, then appends: an append that
//            overlaps the log (Raft's conflict case) is its own truncation marker, durable with it.
//   RESET    u8 2 | u64 index    — every entry is dropped (an installed snapshot at `index` whose log did
//            not match: keepLog false).
// A segment is a record sequence; segments are replayed in order. Only whole segments are ever deleted,
// oldest first (a prefix of the record sequence, so the replay of what remains agrees with the full replay
// above the snapshot). A torn, bad-CRC or zero-filled tail of the LAST segment is cut at open (a crash
// mid-write; never acknowledged); a bad record anywhere in an older segment is corruption and open
// refuses to go on.
//
// Snapshot file (sent to followers byte for byte, so a received file is checked exactly like our own):
//   "GRSNAP01" | u32 headerLength | u32 CRC-32 of header | header JSON {v: 1, index, term, config}
//   | body bytes | trailer: u64 bodyLength | u32 CRC-32 of body | "SEND"
// A torn file fails the length check (the trailer must sit exactly bodyLength after the header), a
// corrupt one the CRCs. The body is streamed in and out in bounded chunks; it is never held in memory.
//
// fsync discipline: every append resolves after the fdatasync that covers it (group commit); a new
// segment, a renamed snapshot or hard state, and deletions are followed by an fsync of the directory; a
// snapshot is fsynced before its rename and the log it covers is deleted only after the rename is durable.
// Any fsync (or log write) failure calls onFatal once, rejects, and the storage refuses everything after:
// nothing is ever retried (fsyncgate).
import { mkdir, open, readdir, readFile, rename, rm, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { crc32 } from 'node:zlib';
import { fsyncDir } from '../../../common/fsync.js';
import { silentLogger, type Logger } from '../../../common/log.js';
import { decodeFrames, encodeFrame, FRAME_HEADER, Wal } from '../../master/wal.js';
import type { ConfChange, Entry, EntryKind, HardState, Member, Persisted, SnapshotMeta, SnapshotPiece } from '../core/types.js';
import type { RaftStorage, SnapshotSource } from './types.js';

export type SyncKind = 'log' | 'hardstate' | 'snapshot' | 'dir';

export interface DiskStorageOptions {
  /** An fsync (or log write) failed: the process must stop. Called once; the storage refuses all later calls. */
  onFatal: (err: unknown) => void;
  logger?: Logger;
  /** Start a new log segment once the current one holds this many bytes (default 64 MiB). */
  segmentBytes?: number;
  /** Called after every successful fsync/fdatasync with how long it took (metrics). */
  onSynced?: (what: SyncKind, seconds: number) => void;
  /** Tests: called before every fsync/fdatasync; a throw makes that sync fail. */
  beforeSync?: (what: SyncKind) => void;
}

const DEFAULT_SEGMENT_BYTES = 64 * 2 ** 20;
const HARDSTATE = 'hardstate';
const REC_ENTRIES = 1;
const REC_RESET = 2;
const KINDS: EntryKind[] = ['noop', 'command', 'config'];
const SNAP_MAGIC = Buffer.from('GRSNAP01');
const SNAP_END = Buffer.from('SEND');
const SNAP_PREFIX = 16; // magic, header length, header CRC
const SNAP_TRAILER = 16; // body length, body CRC, end magic
const MAX_SNAP_HEADER = 64 * 2 ** 20;
/** Reads and writes of snapshot bodies go in pieces of this size: memory stays flat. */
const IO_CHUNK = 1 << 20;

const pad = (n: number) => String(n).padStart(16, '0');
const segmentName = (seq: number) => `log-${pad(seq)}.wal`;
const snapName = (index: number, term: number) => `snap-${pad(index)}-${pad(term)}.snap`;
const SEGMENT_RE = /^log-(\d{16})\.wal$/;
const SNAP_RE = /^snap-(\d{16})-(\d{16})\.snap$/;

/** The log at open is unreadable (not a torn tail): a bad record in an older segment, a gap, a bad record. */
export class LogCorruptError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LogCorruptError';
  }
}

// ---- binary helpers ----

function writeU64(buf: Buffer, off: number, n: number): void {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`not a u64 index/term: ${n}`);
  buf.writeUInt32LE(n % 2 ** 32, off);
  buf.writeUInt32LE(Math.floor(n / 2 ** 32), off + 4);
}

function readU64(buf: Buffer, off: number): number {
  return buf.readUInt32LE(off) + buf.readUInt32LE(off + 4) * 2 ** 32;
}

/** The parts of one ENTRIES record (framed by the WAL, which copies them once). */
export function encodeEntries(entries: readonly Entry[]): Uint8Array[] {
  const head = Buffer.allocUnsafe(13);
  head.writeUInt8(REC_ENTRIES, 0);
  writeU64(head, 1, entries[0]!.index);
  head.writeUInt32LE(entries.length, 9);
  const parts: Uint8Array[] = [head];
  for (const e of entries) {
    const kind = KINDS.indexOf(e.kind);
    if (kind < 0) throw new Error(`unknown entry kind ${String(e.kind)}`);
    const meta = e.change !== undefined || e.config !== undefined ? Buffer.from(JSON.stringify({ change: e.change, config: e.config })) : undefined;
    const h = Buffer.allocUnsafe(10 + (e.data ? 4 : 0));
    writeU64(h, 0, e.term);
    h.writeUInt8(kind, 8);
    h.writeUInt8((e.data ? 1 : 0) | (meta ? 2 : 0), 9);
    if (e.data) h.writeUInt32LE(e.data.length, 10);
    parts.push(h);
    if (e.data) parts.push(e.data);
    if (meta) {
      const m = Buffer.allocUnsafe(4);
      m.writeUInt32LE(meta.length, 0);
      parts.push(m, meta);
    }
  }
  return parts;
}

function encodeReset(index: number): Buffer {
  const b = Buffer.allocUnsafe(9);
  b.writeUInt8(REC_RESET, 0);
  writeU64(b, 1, index);
  return b;
}

type LogRecord = { type: 'entries'; first: number; entries: Entry[] } | { type: 'reset'; index: number };

/** Decodes one record; the data of each entry is copied out (the segment buffer is not kept alive). */
export function decodeRecord(p: Buffer): LogRecord {
  let off = 0;
  const need = (n: number) => {
    if (off + n > p.length) throw new Error(`record ends early (needs ${n} bytes at ${off} of ${p.length})`);
  };
  need(1);
  const type = p.readUInt8(off++);
  if (type === REC_RESET) {
    need(8);
    const index = readU64(p, off);
    if (p.length !== 9) throw new Error('reset record has trailing bytes');
    return { type: 'reset', index };
  }
  if (type !== REC_ENTRIES) throw new Error(`unknown record type ${type}`);
  need(12);
  const first = readU64(p, off);
  const count = p.readUInt32LE(off + 8);
  off += 12;
  const entries: Entry[] = [];
  for (let i = 0; i < count; i++) {
    need(10);
    const term = readU64(p, off);
    const kind = KINDS[p.readUInt8(off + 8)];
    const flags = p.readUInt8(off + 9);
    off += 10;
    if (!kind) throw new Error(`unknown entry kind ${p.readUInt8(off - 2)}`);
    const e: Entry = { index: first + i, term, kind };
    if (flags & 1) {
      need(4);
      const n = p.readUInt32LE(off);
      off += 4;
      need(n);
      const data = new Uint8Array(n);
      data.set(p.subarray(off, off + n));
      e.data = data;
      off += n;
    }
    if (flags & 2) {
      need(4);
      const n = p.readUInt32LE(off);
      off += 4;
      need(n);
      const meta = JSON.parse(p.subarray(off, off + n).toString('utf8')) as { change?: ConfChange; config?: Member[] };
      if (meta.change !== undefined) e.change = meta.change;
      if (meta.config !== undefined) e.config = meta.config;
      off += n;
    }
    entries.push(e);
  }
  if (off !== p.length) throw new Error('entries record has trailing bytes');
  return { type: 'entries', first, entries };
}

function sameConfig(a: readonly Member[], b: readonly Member[]): boolean {
  return a.length === b.length && a.every((m, i) => m.id === b[i]!.id && m.address === b[i]!.address && m.voter === b[i]!.voter);
}

function snapshotPrefix(meta: SnapshotMeta): Buffer {
  const header = Buffer.from(JSON.stringify({ v: 1, index: meta.index, term: meta.term, config: meta.config }));
  const b = Buffer.allocUnsafe(SNAP_PREFIX + header.length);
  SNAP_MAGIC.copy(b, 0);
  b.writeUInt32LE(header.length, 8);
  b.writeUInt32LE(crc32(header), 12);
  header.copy(b, SNAP_PREFIX);
  return b;
}

function snapshotTrailer(bodyLength: number, crc: number): Buffer {
  const b = Buffer.allocUnsafe(SNAP_TRAILER);
  writeU64(b, 0, bodyLength);
  b.writeUInt32LE(crc, 8);
  SNAP_END.copy(b, 12);
  return b;
}

async function readFully(fh: FileHandle, buf: Buffer, position: number): Promise<number> {
  let got = 0;
  while (got < buf.length) {
    const { bytesRead } = await fh.read(buf, got, buf.length - got, position + got);
    if (bytesRead === 0) break;
    got += bytesRead;
  }
  return got;
}

interface SnapLayout {
  meta: SnapshotMeta;
  size: number;
  bodyStart: number;
  bodyLength: number;
  bodyCrc: number;
}

/** Reads and checks a whole snapshot file (header, trailer, body CRC in bounded chunks); throws why not. */
async function checkSnapshotFile(fh: FileHandle): Promise<SnapLayout> {
  const size = (await fh.stat()).size;
  if (size < SNAP_PREFIX + SNAP_TRAILER) throw new Error(`too short (${size} bytes)`);
  const prefix = Buffer.alloc(SNAP_PREFIX);
  await readFully(fh, prefix, 0);
  if (!prefix.subarray(0, 8).equals(SNAP_MAGIC)) throw new Error('not a snapshot file (bad magic)');
  const headerLength = prefix.readUInt32LE(8);
  if (headerLength > MAX_SNAP_HEADER || SNAP_PREFIX + headerLength + SNAP_TRAILER > size) throw new Error(`bad header length ${headerLength}`);
  const header = Buffer.alloc(headerLength);
  await readFully(fh, header, SNAP_PREFIX);
  if (crc32(header) !== prefix.readUInt32LE(12)) throw new Error('header CRC mismatch');
  const h = JSON.parse(header.toString('utf8')) as { v: number; index: number; term: number; config: Member[] };
  if (h.v !== 1) throw new Error(`unknown snapshot version ${h.v}`);
  const trailer = Buffer.alloc(SNAP_TRAILER);
  await readFully(fh, trailer, size - SNAP_TRAILER);
  const bodyStart = SNAP_PREFIX + headerLength;
  const bodyLength = readU64(trailer, 0);
  if (!trailer.subarray(12).equals(SNAP_END) || bodyStart + bodyLength + SNAP_TRAILER !== size) throw new Error('torn (trailer missing or length mismatch)');
  const bodyCrc = trailer.readUInt32LE(8);
  const chunk = Buffer.allocUnsafe(Math.min(IO_CHUNK, Math.max(1, bodyLength)));
  let crc = 0;
  for (let pos = bodyStart; pos < bodyStart + bodyLength; ) {
    const n = Math.min(chunk.length, bodyStart + bodyLength - pos);
    const got = await readFully(fh, chunk.subarray(0, n), pos);
    if (got !== n) throw new Error('file shrank while being checked');
    crc = crc32(chunk.subarray(0, n), crc);
    pos += n;
  }
  if (crc !== bodyCrc) throw new Error('body CRC mismatch');
  return { meta: { index: h.index, term: h.term, config: h.config }, size, bodyStart, bodyLength, bodyCrc };
}

/** The current snapshot file, kept open while current and while readers still use it (after unlink too). */
class SnapFile {
  #users = 0;
  #retired = false;
  #closed = false;
  constructor(
    readonly path: string,
    readonly layout: SnapLayout,
    readonly fh: FileHandle,
  ) {}

  get meta(): SnapshotMeta {
    return { ...this.layout.meta, config: structuredClone(this.layout.meta.config) };
  }

  acquire(): void {
    if (this.#closed) throw new Error(`snapshot ${this.layout.meta.index} is no longer current`);
    this.#users++;
  }

  release(): void {
    this.#users--;
    this.#maybeClose();
  }

  retire(): void {
    this.#retired = true;
    this.#maybeClose();
  }

  #maybeClose(): void {
    if (this.#retired && this.#users === 0 && !this.#closed) {
      this.#closed = true;
      void this.fh.close().catch(() => undefined);
    }
  }

  async read(offset: number, length: number): Promise<Uint8Array> {
    this.acquire();
    try {
      const n = Math.max(0, Math.min(length, this.layout.size - offset));
      const buf = Buffer.allocUnsafe(n);
      const got = await readFully(this.fh, buf, offset);
      return got === n ? buf : buf.subarray(0, got);
    } finally {
      this.release();
    }
  }
}

/** The body of a snapshot file, read in bounded chunks, its CRC checked at the end. */
class BodyStream extends Readable {
  #file: SnapFile;
  #pos: number;
  #end: number;
  #crc = 0;
  #released = false;

  constructor(file: SnapFile) {
    super({ highWaterMark: IO_CHUNK });
    file.acquire();
    this.#file = file;
    this.#pos = file.layout.bodyStart;
    this.#end = file.layout.bodyStart + file.layout.bodyLength;
  }

  override _read(): void {
    const n = Math.min(IO_CHUNK, this.#end - this.#pos);
    if (n === 0) {
      if (this.#crc !== this.#file.layout.bodyCrc) this.destroy(new Error(`snapshot ${this.#file.path}: body CRC mismatch`));
      else this.push(null);
      return;
    }
    const buf = Buffer.allocUnsafe(n);
    this.#file.fh.read(buf, 0, n, this.#pos).then(
      ({ bytesRead }) => {
        if (bytesRead === 0) {
          this.destroy(new Error(`snapshot ${this.#file.path} is shorter than its trailer says`));
          return;
        }
        const got = bytesRead === n ? buf : buf.subarray(0, bytesRead);
        this.#pos += bytesRead;
        this.#crc = crc32(got, this.#crc);
        this.push(got);
      },
      (err: unknown) => this.destroy(err as Error),
    );
  }

  override _destroy(err: Error | null, cb: (err?: Error | null) => void): void {
    if (!this.#released) {
      this.#released = true;
      this.#file.release();
    }
    cb(err);
  }
}

interface Segment {
  seq: number;
  path: string;
  /** Highest index any record in it names (entries or a reset); -1 when empty. */
  maxIndex: number;
}

interface Incoming {
  meta: SnapshotMeta;
  path: string;
  fh: FileHandle;
  /** Set by the piece marked done: the file's length. */
  end: number | undefined;
}

/** The WAL's fdatasync, through the test hook and counted. */
function walOptions(beforeSync: ((what: SyncKind) => void) | undefined, synced: (seconds: number) => void) {
  return {
    datasync: async (fh: FileHandle) => {
      beforeSync?.('log');
      const t0 = performance.now();
      await fh.datasync();
      synced((performance.now() - t0) / 1000);
    },
  };
}

type Pending = { payload: Uint8Array | Uint8Array[]; maxIndex: number; resolve: () => void; reject: (e: unknown) => void };

export class DiskStorage implements RaftStorage {
  readonly persisted: Persisted;
  /** fsyncs done, by kind (for tests and metrics). */
  readonly syncs: Record<SyncKind, number> = { log: 0, hardstate: 0, snapshot: 0, dir: 0 };

  readonly #dir: string;
  readonly #log: Logger;
  readonly #onFatal: (err: unknown) => void;
  readonly #beforeSync: ((what: SyncKind) => void) | undefined;
  readonly #onSynced: ((what: SyncKind, seconds: number) => void) | undefined;
  readonly #segmentBytes: number;
  #fatal: { err: unknown } | undefined;
  #closed = false;

  // log
  #segments: Segment[];
  #wal: Wal;
  /** Last index in the log (or the snapshot index when the log is empty). */
  #last: number;
  /** Non-empty while a segment rotation runs: appends wait here, in order. */
  #rotating: Pending[] | undefined;
  #rotation: Promise<void> | undefined;

  // hard state (writes coalesce: a call made while one runs is covered by the next write)
  #hsNext: { hs: HardState; waiters: Array<{ resolve: () => void; reject: (e: unknown) => void }> } | undefined;
  #hsWriting: Promise<void> | undefined;

  // snapshots
  #snap: SnapFile | undefined;
  #snapOps: Promise<void> = Promise.resolve();
  #incoming: Incoming | undefined;
  #pieces: Promise<void> = Promise.resolve();

  private constructor(dir: string, opts: DiskStorageOptions, persisted: Persisted, segments: Segment[], wal: Wal, snap: SnapFile | undefined) {
    this.#dir = dir;
    this.#log = opts.logger ?? silentLogger;
    this.#onFatal = opts.onFatal;
    this.#beforeSync = opts.beforeSync;
    this.#onSynced = opts.onSynced;
    this.#segmentBytes = opts.segmentBytes ?? DEFAULT_SEGMENT_BYTES;
    this.persisted = persisted;
    this.#segments = segments;
    this.#wal = wal;
    this.#snap = snap;
    this.#last = persisted.entries.at(-1)?.index ?? persisted.snapshot.index;
  }

  static async open(dir: string, opts: DiskStorageOptions): Promise<DiskStorage> {
    const log = opts.logger ?? silentLogger;
    await mkdir(dir, { recursive: true });
    // The WAL is opened before the instance exists: its sync hook and fatal handler go through this box.
    const box: { s?: DiskStorage } = {};
    const walOpts = walOptions(opts.beforeSync, (sec) => box.s?.synced('log', sec));
    const walFatal = (err: unknown) => {
      if (box.s) box.s.#die(err);
      else opts.onFatal(err);
    };

    const names = await readdir(dir);
    for (const n of names.filter((x) => x.endsWith('.tmp'))) {
      log.info({ file: n }, 'deleting a leftover temp file');
      await rm(join(dir, n), { force: true });
    }

    const hardState = await readHardState(join(dir, HARDSTATE));

    // The newest valid snapshot is current; a bad one is left for inspection, older good ones deleted.
    let snap: SnapFile | undefined;
    const snaps = names
      .map((n) => ({ n, m: SNAP_RE.exec(n) }))
      .filter((x) => x.m)
      .map((x) => ({ name: x.n, index: Number(x.m![1]), term: Number(x.m![2]) }))
      .sort((a, b) => b.index - a.index || b.term - a.term);
    for (const s of snaps) {
      const path = join(dir, s.name);
      if (snap) {
        await rm(path, { force: true });
        continue;
      }
      const fh = await open(path, 'r');
      try {
        const layout = await checkSnapshotFile(fh);
        if (layout.meta.index !== s.index || layout.meta.term !== s.term) throw new Error(`header says ${layout.meta.index}/${layout.meta.term}`);
        snap = new SnapFile(path, layout, fh);
      } catch (err) {
        await fh.close();
        log.error({ err, file: s.name }, 'snapshot file is not valid; ignoring it');
      }
    }
    const snapMeta: SnapshotMeta = snap ? snap.meta : { index: 0, term: 0, config: [] };
    const S = snapMeta.index;

    // Replay the segments. `kept` holds entries ≥ S (the one at S only to check it against the snapshot).
    const segNames = names.filter((n) => SEGMENT_RE.test(n)).sort();
    const segments: Segment[] = [];
    let kept: Entry[] = [];
    let last: number | undefined; // last index of the whole replayed log, entries below S included
    let wal: Wal | undefined;
    const applyRecord = (rec: LogRecord, where: string): number => {
      if (rec.type === 'reset') {
        kept = [];
        last = rec.index;
        return rec.index;
      }
      if (rec.entries.length === 0) return -1;
      const first = rec.first;
      if (last !== undefined && first > last + 1) throw new LogCorruptError(`raft log gap in ${where}: entries from ${first} after ${last}`);
      // Drop everything at or after `first`, then append.
      let cut = kept.length;
      while (cut > 0 && kept[cut - 1]!.index >= first) cut--;
      kept.length = cut;
      for (const e of rec.entries) if (e.index >= S) kept.push(e);
      last = rec.entries.at(-1)!.index;
      return last;
    };
    let entries: Entry[];
    try {
      for (let i = 0; i < segNames.length; i++) {
        const name = segNames[i]!;
        const path = join(dir, name);
        const seq = Number(SEGMENT_RE.exec(name)![1]);
        let payloads: Buffer[];
        if (i === segNames.length - 1) {
          let opened = await Wal.openFrames(path, walFatal, walOpts);
          let cutBytes = opened.cutBytes;
          // Zeros are a valid frame (length 0, CRC-32 of nothing is 0) but never a record we wrote: a
          // zero-filled tail (a crash after the file grew, before its data reached the disk) is torn
          // too. It is cut from the first empty frame on, so later appends are not written after it.
          const empty = opened.payloads.findIndex((p) => p.length === 0);
          if (empty >= 0) {
            let keep = 0;
            for (const p of opened.payloads.slice(0, empty)) keep += FRAME_HEADER + p.length;
            await opened.wal.close();
            const fh = await open(path, 'r+');
            try {
              cutBytes += (await fh.stat()).size - keep;
              await fh.truncate(keep);
              await fh.sync();
            } finally {
              await fh.close();
            }
            opened = await Wal.openFrames(path, walFatal, walOpts);
          }
          wal = opened.wal;
          payloads = opened.payloads;
          if (cutBytes > 0) log.warn({ file: name, cutBytes }, 'cut a torn tail off the raft log');
        } else {
          const buf = await readFile(path);
          const d = decodeFrames(buf);
          if (d.validBytes !== buf.length)
            throw new LogCorruptError(
              `raft log segment ${name} is corrupt at byte ${d.validBytes} of ${buf.length}: a bad record in a segment that is not the last (so not a torn write); refusing to open ${dir}`,
            );
          payloads = d.payloads;
        }
        let maxIndex = -1;
        let at = 0;
        for (const p of payloads) {
          let rec: LogRecord;
          try {
            rec = decodeRecord(p);
          } catch (err) {
            throw new LogCorruptError(`raft log segment ${name}: the record at byte ${at} has a good CRC but does not decode: ${(err as Error).message}`);
          }
          maxIndex = Math.max(maxIndex, applyRecord(rec, name));
          at += 8 + p.length;
        }
        segments.push({ seq, path, maxIndex });
      }
      if (!wal) {
        const seq = 1;
        const path = join(dir, segmentName(seq));
        wal = (await Wal.openFrames(path, walFatal, walOpts)).wal;
        segments.push({ seq, path, maxIndex: -1 });
        opts.beforeSync?.('dir');
        await fsyncDir(dir);
      }
      // An entry at S with another term: the log after it diverged from the snapshot (a crash after a
      // received snapshot was installed but before its reset record was durable). Nothing after S is
      // ours to keep; the reset is written now, so later appends after S are not dropped with it.
      if (kept[0]?.index === S && kept[0].term !== snapMeta.term) {
        log.warn({ index: S, term: kept[0].term, snapshotTerm: snapMeta.term }, 'the log does not match the snapshot at its index; dropping the log after it');
        kept = [];
        await wal.appendFrame(encodeReset(S));
        segments.at(-1)!.maxIndex = Math.max(segments.at(-1)!.maxIndex, S);
      }
      entries = kept.filter((e) => e.index > S);
      if (entries.length > 0 && entries[0]!.index !== S + 1)
        throw new LogCorruptError(`raft log in ${dir} starts at ${entries[0]!.index} but the snapshot ends at ${S}: entries are missing`);
    } catch (err) {
      await wal?.close().catch(() => undefined);
      snap?.retire();
      throw err;
    }
    const s = new DiskStorage(dir, opts, { hardState, snapshot: snapMeta, entries }, segments, wal, snap);
    box.s = s;
    log.info({ snapshot: S, entries: entries.length, segments: segments.length, term: hardState.term }, 'raft storage opened');
    return s;
  }

  // ---- failure ----

  #die(err: unknown): void {
    if (this.#fatal) return;
    this.#fatal = { err };
    this.#log.fatal({ err }, 'raft storage: a write or fsync failed; the storage stops (never retried)');
    this.#onFatal(err);
  }

  /** Public entry points: refused after a fatal error or close. */
  #check(): void {
    this.#checkFatal();
    if (this.#closed) throw new Error('raft storage is closed');
  }

  /** Work accepted before close() still completes; after a fatal error nothing more is written. */
  #checkFatal(): void {
    if (this.#fatal) throw this.#fatal.err;
  }

  /** Counts a successful sync and reports it (not for callers: the WAL's hook reaches it). */
  synced(what: SyncKind, seconds: number): void {
    this.syncs[what]++;
    this.#onSynced?.(what, seconds);
  }

  /** fsync (or fdatasync) of a file; a failure is fatal. */
  async #sync(fh: FileHandle, what: SyncKind, data = false): Promise<void> {
    try {
      this.#beforeSync?.(what);
      const t0 = performance.now();
      await (data ? fh.datasync() : fh.sync());
      this.synced(what, (performance.now() - t0) / 1000);
    } catch (err) {
      this.#die(err);
      throw err;
    }
  }

  async #syncDir(): Promise<void> {
    try {
      this.#beforeSync?.('dir');
      const t0 = performance.now();
      await fsyncDir(this.#dir);
      this.synced('dir', (performance.now() - t0) / 1000);
    } catch (err) {
      this.#die(err);
      throw err;
    }
  }

  // ---- hard state ----

  saveHardState(hs: HardState): Promise<void> {
    try {
      this.#check();
    } catch (err) {
      return Promise.reject(err);
    }
    const copy: HardState = { term: hs.term, vote: hs.vote, commit: hs.commit };
    return new Promise((resolve, reject) => {
      if (this.#hsNext) this.#hsNext.hs = copy;
      else this.#hsNext = { hs: copy, waiters: [] };
      this.#hsNext.waiters.push({ resolve, reject });
      this.#kickHardState();
    });
  }

  #kickHardState(): void {
    if (this.#hsWriting || !this.#hsNext) return;
    const { hs, waiters } = this.#hsNext;
    this.#hsNext = undefined;
    this.#hsWriting = this.#writeHardState(hs).then(
      () => waiters.forEach((w) => w.resolve()),
      (err: unknown) => waiters.forEach((w) => w.reject(err)),
    );
    void this.#hsWriting.finally(() => {
      this.#hsWriting = undefined;
      this.#kickHardState();
    });
  }

  /**
   * Replaces the hard state atomically: the record goes to hardstate.tmp, which is fsynced, renamed over
   * hardstate (rename(2) is atomic: a reader, and a crash, sees the old file or the new one, never a mix)
   * and the directory fsynced, so the rename itself is durable before the promise resolves. A crash
   * before the rename leaves the old record (a torn hardstate.tmp is deleted at open); after the
   * directory fsync, the new one. So a vote is never lost nor doubled. Chosen over two alternating slots
   * for simplicity: hard state changes only on a new term or vote, so the extra fsync is rare.
   */
  async #writeHardState(hs: HardState): Promise<void> {
    this.#checkFatal();
    const tmp = join(this.#dir, `${HARDSTATE}.tmp`);
    const fh = await open(tmp, 'w');
    try {
      await fh.writeFile(encodeFrame(Buffer.from(JSON.stringify(hs))));
      await this.#sync(fh, 'hardstate');
    } finally {
      await fh.close();
    }
    this.#checkFatal();
    await rename(tmp, join(this.#dir, HARDSTATE));
    await this.#syncDir();
  }

  // ---- log ----

  append(entries: Entry[]): Promise<void> {
    try {
      this.#check();
      if (entries.length === 0) return Promise.resolve();
      const first = entries[0]!.index;
      for (let i = 1; i < entries.length; i++)
        if (entries[i]!.index !== first + i) throw new Error(`append: entries not contiguous (${entries[i]!.index} after ${entries[i - 1]!.index})`);
      if (first > this.#last + 1) throw new Error(`append: entries from ${first} would leave a gap after ${this.#last}`);
      const parts = encodeEntries(entries);
      this.#last = first + entries.length - 1;
      return this.#enqueue(parts, this.#last);
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /** Hands a record to the current segment's WAL (group commit), or queues it behind a rotation. */
  #enqueue(payload: Uint8Array | Uint8Array[], maxIndex: number): Promise<void> {
    if (this.#fatal) return Promise.reject(this.#fatal.err);
    if (!this.#rotating && this.#wal.size >= this.#segmentBytes) this.#rotate();
    if (this.#rotating) {
      const q = this.#rotating;
      return new Promise((resolve, reject) => q.push({ payload, maxIndex, resolve, reject }));
    }
    const seg = this.#segments.at(-1)!;
    seg.maxIndex = Math.max(seg.maxIndex, maxIndex);
    return this.#wal.appendFrame(payload);
  }

  /**
   * Starts a new segment: the old one is closed only after every record queued to it is durable, so a
   * record in the new segment is never on disk while one before it may not be (no holes after a crash,
   * and only the last segment can have a torn tail).
   */
  #rotate(): void {
    const queue: Pending[] = [];
    this.#rotating = queue;
    const old = this.#wal;
    const seq = this.#segments.at(-1)!.seq + 1;
    const path = join(this.#dir, segmentName(seq));
    const rotation = (async () => {
      try {
        await old.close();
        if (this.#fatal) throw this.#fatal.err;
        const wal = (await Wal.openFrames(path, (err) => this.#die(err), walOptions(this.#beforeSync, (sec) => this.synced('log', sec)))).wal;
        await this.#syncDir();
        this.#wal = wal;
        this.#segments.push({ seq, path, maxIndex: -1 });
      } catch (err) {
        this.#die(err);
        this.#rotating = undefined;
        for (const p of queue) p.reject(err);
        return;
      }
      this.#rotating = undefined;
      // Re-queued records may fill the new segment and start the next rotation right here: that one is
      // then this.#rotation, and this one's end must not clear it (close() waits for every rotation).
      for (const p of queue) this.#enqueue(p.payload, p.maxIndex).then(p.resolve, p.reject);
    })();
    this.#rotation = rotation;
    void rotation.finally(() => {
      if (this.#rotation === rotation) this.#rotation = undefined;
    });
  }

  /** Deletes whole segments, oldest first, while they hold nothing above `cut` (never the current one). */
  async #dropSegments(cut: number): Promise<void> {
    const victims: Segment[] = [];
    while (this.#segments.length > 1 && this.#segments[0]!.maxIndex <= cut) victims.push(this.#segments.shift()!);
    if (victims.length === 0) return;
    for (const v of victims) await rm(v.path, { force: true });
    await this.#syncDir();
    this.#log.debug({ segments: victims.map((v) => v.seq), cut }, 'deleted raft log segments behind the snapshot');
  }

  // ---- snapshots ----

  /** Snapshot operations (save, install) run one at a time, in call order. */
  #snapOp<T>(op: () => Promise<T>): Promise<T> {
    try {
      this.#check();
    } catch (err) {
      return Promise.reject(err);
    }
    const run = this.#snapOps.then(() => {
      this.#checkFatal();
      return op();
    });
    this.#snapOps = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  saveSnapshot(meta: SnapshotMeta, body: AsyncIterable<Uint8Array>, retain = 0): Promise<void> {
    return this.#snapOp(async () => {
      const tmp = join(this.#dir, snapName(meta.index, meta.term).replace(/\.snap$/, '.tmp'));
      const fh = await open(tmp, 'w');
      let ok = false;
      let written: SnapLayout | undefined;
      try {
        const prefix = snapshotPrefix(meta);
        let pos = 0;
        const write = async (b: Uint8Array) => {
          let off = 0;
          while (off < b.length) {
            const { bytesWritten } = await fh.write(b, off, b.length - off, pos);
            off += bytesWritten;
            pos += bytesWritten;
          }
        };
        await write(prefix);
        // Small chunks are copied into one staging buffer; big ones are written as they come. Either
        // way nothing is pulled from the body before the previous chunk is written or copied (the
        // producer may reuse its buffer), and memory stays at one chunk.
        const staging = Buffer.allocUnsafe(IO_CHUNK);
        let staged = 0;
        let crc = 0;
        let length = 0;
        for await (const chunk of body) {
          // An empty chunk is skipped, not summed: zlib's crc32 of a buffer with no memory behind it (an
          // empty ArrayBuffer, e.g. new TextEncoder().encode('')) returns 0, not the running CRC.
          if (chunk.length === 0) continue;
          crc = crc32(chunk, crc);
          length += chunk.length;
          if (staged + chunk.length <= staging.length) {
            staging.set(chunk, staged);
            staged += chunk.length;
            continue;
          }
          if (staged > 0) {
            await write(staging.subarray(0, staged));
            staged = 0;
          }
          if (chunk.length <= staging.length) {
            staging.set(chunk, 0);
            staged = chunk.length;
          } else {
            await write(chunk);
          }
        }
        if (staged > 0) await write(staging.subarray(0, staged));
        await write(snapshotTrailer(length, crc));
        await this.#sync(fh, 'snapshot');
        written = { meta: structuredClone(meta), size: pos, bodyStart: prefix.length, bodyLength: length, bodyCrc: crc };
        ok = true;
      } finally {
        await fh.close();
        if (!ok) await rm(tmp, { force: true });
      }
      if (this.#snap && meta.index < this.#snap.layout.meta.index) {
        // A newer snapshot (received meanwhile) is current: this one is already superseded.
        await rm(tmp, { force: true });
        return;
      }
      this.#checkFatal();
      const path = join(this.#dir, snapName(meta.index, meta.term));
      await rename(tmp, path);
      await this.#syncDir();
      await this.#makeCurrent(path, written!);
      await this.#dropSegments(meta.index - retain);
    });
  }

  /** The file at `path` (renamed into place, durable) becomes current; the previous one is deleted. */
  async #makeCurrent(path: string, layout: SnapLayout): Promise<void> {
    const fh = await open(path, 'r');
    const prev = this.#snap;
    this.#snap = new SnapFile(path, layout, fh);
    if (prev) {
      prev.retire();
      if (prev.path !== path) {
        await rm(prev.path, { force: true });
        await this.#syncDir();
      }
    }
  }

  snapshotSource(): SnapshotSource | undefined {
    const f = this.#snap;
    if (!f) return undefined;
    return { meta: f.meta, size: f.layout.size, read: (offset, length) => f.read(offset, length) };
  }

  openSnapshotBody(): Readable | undefined {
    const f = this.#snap;
    return f ? new BodyStream(f) : undefined;
  }

  writeSnapshotPiece(piece: SnapshotPiece): Promise<void> {
    try {
      this.#check();
    } catch (err) {
      return Promise.reject(err);
    }
    // Pieces are written one at a time, in call order (a new file at offset 0 must not race a write).
    const run = this.#pieces.then(async () => {
      this.#checkFatal();
      let inc = this.#incoming;
      if (!inc || piece.offset === 0 || inc.meta.index !== piece.meta.index || inc.meta.term !== piece.meta.term) {
        await this.#discardIncoming();
        const path = join(this.#dir, `recv-${pad(piece.meta.index)}-${pad(piece.meta.term)}.tmp`);
        const fh = await open(path, 'w+');
        inc = { meta: structuredClone(piece.meta), path, fh, end: undefined };
        this.#incoming = inc;
      }
      let off = 0;
      while (off < piece.data.length) {
        const { bytesWritten } = await inc.fh.write(piece.data, off, piece.data.length - off, piece.offset + off);
        off += bytesWritten;
      }
      inc.end = undefined;
      if (piece.done) {
        await this.#sync(inc.fh, 'snapshot');
        inc.end = piece.offset + piece.data.length;
      }
    });
    this.#pieces = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  async #discardIncoming(): Promise<void> {
    const inc = this.#incoming;
    if (!inc) return;
    this.#incoming = undefined;
    await inc.fh.close();
    await rm(inc.path, { force: true });
  }

  installReceivedSnapshot(meta: SnapshotMeta, keepLog: boolean): Promise<void> {
    return this.#snapOp(async () => {
      await this.#pieces;
      this.#checkFatal();
      const inc = this.#incoming;
      const what = `snapshot ${meta.index}/${meta.term}`;
      if (!inc || inc.meta.index !== meta.index || inc.meta.term !== meta.term) throw new Error(`install: no ${what} was received`);
      if (inc.end === undefined) throw new Error(`install: ${what} is not received whole (no last piece)`);
      let layout: SnapLayout;
      try {
        const size = (await inc.fh.stat()).size;
        if (size !== inc.end) throw new Error(`the file is ${size} bytes, the last piece ended at ${inc.end}`);
        layout = await checkSnapshotFile(inc.fh);
      } catch (err) {
        await this.#discardIncoming();
        throw new Error(`install: received ${what} is not valid: ${(err as Error).message}`, { cause: err });
      }
      if (layout.meta.index !== meta.index || layout.meta.term !== meta.term || !sameConfig(layout.meta.config, meta.config)) {
        await this.#discardIncoming();
        throw new Error(`install: received file holds snapshot ${layout.meta.index}/${layout.meta.term}, not ${what} (or another configuration)`);
      }
      this.#checkFatal();
      this.#incoming = undefined;
      await inc.fh.close(); // fsynced by the last piece
      const path = join(this.#dir, snapName(meta.index, meta.term));
      await rename(inc.path, path);
      await this.#syncDir();
      await this.#makeCurrent(path, layout);
      // Entries ≤ meta.index are below the snapshot: ignored from now on by every open. Without keepLog
      // the rest goes too, by a reset record (durable before this resolves).
      // A log that does not reach meta.index has nothing to keep: it is reset too (kept as it is, the next
      // append at meta.index + 1 would leave a gap after its end that open() rejects as corruption).
      if (keepLog && this.#last >= meta.index) {
        await this.#dropSegments(meta.index);
      } else {
        this.#last = meta.index;
        await this.#enqueue(encodeReset(meta.index), meta.index);
        await this.#dropSegments(Number.MAX_SAFE_INTEGER);
      }
    });
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const settle = (p: Promise<unknown> | undefined) => p?.then(
      () => undefined,
      () => undefined,
    );
    while (this.#hsWriting) await settle(this.#hsWriting);
    await settle(this.#snapOps);
    await settle(this.#pieces);
    while (this.#rotation) await settle(this.#rotation);
    await this.#wal.close();
    this.#snap?.retire();
    if (this.#incoming) await this.#incoming.fh.close();
  }
}

async function readHardState(path: string): Promise<HardState> {
  let buf: Buffer;
  try {
    buf = await readFile(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { term: 0, vote: null, commit: 0 };
    throw err;
  }
  const { payloads, validBytes } = decodeFrames(buf);
  if (payloads.length !== 1 || validBytes !== buf.length)
    throw new Error(`hard state file ${path} is corrupt (it is only ever replaced by rename, so this is not a torn write); refusing to guess a term and vote`);
  const hs = JSON.parse(payloads[0]!.toString('utf8')) as HardState;
  return { term: hs.term, vote: hs.vote ?? null, commit: hs.commit ?? 0 };
}
