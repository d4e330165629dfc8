// Snapshot encoding of the master state machine.
//
// v1 (encodeState / decodeState) is one JSON document of the whole state: simple, but with millions
// of files the string is huge and building or parsing it stalls the event loop.
//
// v2 (encodeStateChunks / decodeStateStream) is NDJSON produced in bounded byte slices and parsed as a
// stream. One JSON value per line, in this order:
//
//   {"v":2,"clusterId":…,"nextInodeId":…,"chunkIdLimit":…,"appliedIndex":…}   the header
//   ["i",inode]                       one per inode, in the inode map's order; an inode with more than
//   ["x",inodeId,[extent,…]]            EXTENTS_PER_LINE extents is written with `extents: []` and its
//                                       extents follow on "x" lines, right after it
//   ["d",dirId,[[name,childId],…]]    one or more per directory (≤ ENTRIES_PER_LINE entries each, in
//                                       UTF-8 byte order; consecutive lines of one directory continue it)
//   ["c",chunkId,record]              one per chunk record
//   ["g",chunkId,record]              one per garbage record
//   ["u",uploadId,{path,createdMs,xattrs}]   one per upload, followed by its parts:
//   ["p",uploadId,partNumber,part]
//   ["k",accessKeyId,record]          one per access key
//   ["n",nodeId]                      one per draining chunkserver
//   ["s",key,answer]                  one per remembered session answer (cluster/master/session.ts), oldest first
//   ["end",{lines,inodes,…}]          the counts of everything above, so a truncated stream is detected
//
// Every map is written in its iteration order and rebuilt in that order, so a decoded state encodes
// (either way) to exactly the same bytes as the original. decodeStateStream also reads v1 documents,
// and decodeState reads both.
import { BTree } from '../../common/btree.js';
import { compareUtf8 } from '../../common/utf8.js';
import type { Extent } from './extents.js';
import type { SessionAnswer } from './session.js';
import { Fsm, type AccessKeyRecord, type ChunkRecord, type Inode, type PartRecord, type UploadRecord } from './fsm.js';

interface Encoded {
  v: 1;
  clusterId: string;
  nextInodeId: number;
  chunkIdLimit: number;
  appliedIndex: number;
  inodes: Inode[];
  dirs: Array<[number, Array<[string, number]>]>;
  chunks: Array<[number, ChunkRecord]>;
  garbage: Array<[number, { replicas: string[]; sinceMs: number }]>;
  uploads: Array<[string, { path: string; createdMs: number; xattrs: Record<string, string>; parts: Array<[number, PartRecord]> }]>;
  keys?: Array<[string, AccessKeyRecord]>;
  draining?: string[];
  sessions?: Array<[string, SessionAnswer]>;
}

/** The v1 encoding: the whole state as one JSON string (built, and held, all at once). */
export function encodeState(fsm: Fsm): string {
  const enc: Encoded = {
    v: 1,
    clusterId: fsm.clusterId,
    nextInodeId: fsm.nextInodeId,
    chunkIdLimit: fsm.chunkIdLimit,
    appliedIndex: fsm.appliedIndex,
    inodes: [...fsm.inodes.values()],
    dirs: [...fsm.dirs].map(([id, tree]) => [id, tree.toArray()]),
    chunks: [...fsm.chunks],
    garbage: [...fsm.garbage],
    uploads: [...fsm.uploads].map(([id, u]) => [id, { path: u.path, createdMs: u.createdMs, xattrs: u.xattrs, parts: [...u.parts] }]),
    keys: [...fsm.keys],
    draining: [...fsm.draining],
    // Only when there are any: an older state encodes to the same bytes as before sessions existed.
    ...(fsm.sessions.size ? { sessions: [...fsm.sessions] } : {}),
  };
  return JSON.stringify(enc);
}

/** Decodes a whole snapshot held in a string: the v1 document, or a complete v2 stream. */
export function decodeState(json: string): Fsm {
  const d = new SnapshotDecoder();
  d.text(json);
  return d.end();
}

function fromV1(enc: Encoded): Fsm {
  const fsm = new Fsm();
  fsm.inodes.clear();
  fsm.dirs.clear();
  fsm.clusterId = enc.clusterId;
  fsm.nextInodeId = enc.nextInodeId;
  fsm.chunkIdLimit = enc.chunkIdLimit;
  fsm.appliedIndex = enc.appliedIndex;
  for (const ino of enc.inodes) fsm.inodes.set(ino.id, ino);
  for (const [id, entries] of enc.dirs) fsm.dirs.set(id, new BTree<string, number>(entries, compareUtf8));
  fsm.chunks = new Map(enc.chunks);
  fsm.garbage = new Map(enc.garbage);
  fsm.uploads = new Map(enc.uploads.map(([id, u]) => [id, { path: u.path, createdMs: u.createdMs, xattrs: u.xattrs, parts: new Map(u.parts) }]));
  fsm.keys = new Map(enc.keys ?? []);
  fsm.draining = new Set(enc.draining ?? []);
  fsm.sessions = new Map(enc.sessions ?? []);
  return fsm;
}

// ---- v2: encoding in slices ------------------------------------------------------------------

/** Directory entries per "d" line. */
export const ENTRIES_PER_LINE = 10_000;
/** Extents per "x" line; an inode with at most this many keeps them on its own line. */
export const EXTENTS_PER_LINE = 10_000;

interface Counts {
  /** Lines before the end line, the header included. */
  lines: number;
  inodes: number;
  extentLines: number;
  dirs: number;
  entries: number;
  chunks: number;
  garbage: number;
  uploads: number;
  parts: number;
  keys: number;
  draining: number;
  sessions: number;
}

const COUNT_NAMES = ['lines', 'inodes', 'extentLines', 'dirs', 'entries', 'chunks', 'garbage', 'uploads', 'parts', 'keys', 'draining', 'sessions'] as const;
/** Counts a stream written before the kind existed does not carry (read as 0). */
const LATER_COUNTS: ReadonlySet<string> = new Set(['sessions']);

function zeroCounts(): Counts {
  return { lines: 0, inodes: 0, extentLines: 0, dirs: 0, entries: 0, chunks: 0, garbage: 0, uploads: 0, parts: 0, keys: 0, draining: 0, sessions: 0 };
}

/** Packs lines into slices of exactly `size` bytes (the last one shorter); a line may span slices. */
class SliceWriter {
  readonly full: Uint8Array[] = [];
  readonly #size: number;
  #buf: Buffer;
  #off = 0;

  constructor(size: number) {
    this.#size = size;
    this.#buf = Buffer.allocUnsafe(size);
  }

  write(s: string): void {
    const n = Buffer.byteLength(s, 'utf8');
    if (n <= this.#size - this.#off) {
      this.#off += this.#buf.write(s, this.#off, 'utf8');
      if (this.#off === this.#size) this.#rotate();
      return;
    }
    const bytes = Buffer.from(s, 'utf8');
    for (let i = 0; i < bytes.length; ) {
      const k = Math.min(bytes.length - i, this.#size - this.#off);
      bytes.copy(this.#buf, this.#off, i, i + k);
      this.#off += k;
      i += k;
      if (this.#off === this.#size) this.#rotate();
    }
  }

  /** Queues the last, partly filled slice. */
  finish(): void {
    if (this.#off > 0) this.full.push(this.#buf.subarray(0, this.#off));
    this.#off = 0;
  }

  #rotate(): void {
    // A fresh buffer per slice: the caller may still hold (and be writing) the ones already yielded.
    this.full.push(this.#buf);
    this.#buf = Buffer.allocUnsafe(this.#size);
    this.#off = 0;
  }
}

/**
 * The state as v2 NDJSON, in chunks of `sliceBytes` bytes (the last one shorter). Lazy: each step
 * encodes only about one slice, reading the live maps through their iterators, so the caller can yield
 * to the event loop between chunks — but must not change the state until the iteration ends (a
 * command applied meanwhile is detected, and the generator throws rather than emit a torn snapshot).
 */
export function* encodeStateChunks(fsm: Fsm, sliceBytes = 1 << 20): Generator<Uint8Array> {
  if (!Number.isSafeInteger(sliceBytes) || sliceBytes < 1) throw new RangeError(`slice size must be a positive integer, not ${String(sliceBytes)}`);
  const applied = fsm.appliedIndex;
  const w = new SliceWriter(sliceBytes);
  const n = zeroCounts();
  const line = (s: string): void => {
    w.write(s);
    n.lines++;
  };
  const drain = function* (): Generator<Uint8Array> {
    while (w.full.length > 0) {
      yield w.full.shift()!;
      if (fsm.appliedIndex !== applied) throw new Error(`the state changed (applied index ${applied} → ${fsm.appliedIndex}) while its snapshot was being generated`);
    }
  };

  line(JSON.stringify({ v: 2, clusterId: fsm.clusterId, nextInodeId: fsm.nextInodeId, chunkIdLimit: fsm.chunkIdLimit, appliedIndex: fsm.appliedIndex }) + '\n');

  for (const ino of fsm.inodes.values()) {
    const ext = ino.extents;
    if (ext && ext.length > EXTENTS_PER_LINE) {
      // `extents: []` keeps the key where it is, so the decoded inode has the same key order.
      line(`["i",${JSON.stringify({ ...ino, extents: [] })}]\n`);
      for (let i = 0; i < ext.length; i += EXTENTS_PER_LINE) {
        line(`["x",${ino.id},${JSON.stringify(ext.slice(i, i + EXTENTS_PER_LINE))}]\n`);
        n.extentLines++;
        if (w.full.length) yield* drain();
      }
    } else {
      line(`["i",${JSON.stringify(ino)}]\n`);
    }
    n.inodes++;
    if (w.full.length) yield* drain();
  }

  for (const [id, tree] of fsm.dirs) {
    n.dirs++;
    let batch: Array<[string, number]> = [];
    let written = false;
    for (const entry of tree.entries()) {
      batch.push(entry);
      if (batch.length === ENTRIES_PER_LINE) {
        line(`["d",${id},${JSON.stringify(batch)}]\n`);
        n.entries += batch.length;
        batch = [];
        written = true;
        if (w.full.length) yield* drain();
      }
    }
    if (batch.length > 0 || !written) {
      line(`["d",${id},${JSON.stringify(batch)}]\n`);
      n.entries += batch.length;
    }
    if (w.full.length) yield* drain();
  }

  for (const [id, rec] of fsm.chunks) {
    line(`["c",${id},${JSON.stringify(rec)}]\n`);
    n.chunks++;
    if (w.full.length) yield* drain();
  }
  for (const [id, rec] of fsm.garbage) {
    line(`["g",${id},${JSON.stringify(rec)}]\n`);
    n.garbage++;
    if (w.full.length) yield* drain();
  }
  for (const [id, u] of fsm.uploads) {
    const idJson = JSON.stringify(id);
    line(`["u",${idJson},${JSON.stringify({ path: u.path, createdMs: u.createdMs, xattrs: u.xattrs })}]\n`);
    n.uploads++;
    for (const [num, part] of u.parts) {
      line(`["p",${idJson},${num},${JSON.stringify(part)}]\n`);
      n.parts++;
      if (w.full.length) yield* drain();
    }
    if (w.full.length) yield* drain();
  }
  for (const [id, rec] of fsm.keys) {
    line(`["k",${JSON.stringify(id)},${JSON.stringify(rec)}]\n`);
    n.keys++;
    if (w.full.length) yield* drain();
  }
  for (const id of fsm.draining) {
    line(`["n",${JSON.stringify(id)}]\n`);
    n.draining++;
    if (w.full.length) yield* drain();
  }
  for (const [key, answer] of fsm.sessions) {
    line(`["s",${JSON.stringify(key)},${JSON.stringify(answer)}]\n`);
    n.sessions++;
    if (w.full.length) yield* drain();
  }

  // Belt and braces: iterating a map that changed under us could skip or repeat records.
  const sizes: Array<[string, number, number]> = [
    ['inodes', n.inodes, fsm.inodes.size], ['dirs', n.dirs, fsm.dirs.size], ['chunks', n.chunks, fsm.chunks.size], ['garbage', n.garbage, fsm.garbage.size],
    ['uploads', n.uploads, fsm.uploads.size], ['keys', n.keys, fsm.keys.size], ['draining', n.draining, fsm.draining.size],
    ['sessions', n.sessions, fsm.sessions.size],
  ];
  for (const [what, wrote, size] of sizes) if (wrote !== size) throw new Error(`the state changed while its snapshot was being generated (${wrote} ${what} written, ${size} now)`);

  w.write(`["end",${JSON.stringify(n)}]\n`);
  w.finish();
  yield* drain();
}

// ---- v2: decoding a stream -------------------------------------------------------------------

/** A snapshot that cannot be decoded: truncated, of an unknown version, or malformed. */
export class SnapshotDecodeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SnapshotDecodeError';
  }
}

/** Larger input chunks are processed in pieces of this size, yielding to the event loop between. */
const DECODE_PIECE = 1 << 20;

/**
 * Rebuilds the state from a snapshot stream: v2 NDJSON (as encodeStateChunks writes it, cut into
 * chunks anywhere — within a line or a UTF-8 sequence) or a v1 document. Rejects with a
 * SnapshotDecodeError when the stream is truncated, of an unknown version, not UTF-8, or malformed.
 */
export async function decodeStateStream(body: AsyncIterable<Uint8Array | string>): Promise<Fsm> {
  const d = new SnapshotDecoder();
  for await (const chunk of body) {
    if (chunk.length <= DECODE_PIECE) {
      if (typeof chunk === 'string') d.text(chunk);
      else d.bytes(chunk);
      continue;
    }
    for (let i = 0; i < chunk.length; i += DECODE_PIECE) {
      if (typeof chunk === 'string') d.text(chunk.slice(i, i + DECODE_PIECE));
      else d.bytes(chunk.subarray(i, i + DECODE_PIECE));
      if (i + DECODE_PIECE < chunk.length) await new Promise((r) => setImmediate(r));
    }
  }
  return d.end();
}

type Json = unknown;

function isObject(x: Json): x is Record<string, Json> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function isInt(x: Json): x is number {
  return Number.isSafeInteger(x);
}

/** Splits text into lines (any chunking) and builds the state from them. */
class SnapshotDecoder {
  #utf8 = new TextDecoder('utf-8', { fatal: true });
  #bytesPending = false;
  /** The current line's text so far, in pieces (a line may span many chunks). */
  #parts: string[] = [];
  #lineNo = 0;
  #mode: 'start' | 'v1' | 'v2' | 'ended' = 'start';
  #v1: Fsm | undefined;
  #fsm = new Fsm();
  #n = zeroCounts();
  /** The inode an "x" line may continue. */
  #lastInode: Inode | undefined;
  /** The directory a "d" line may continue, and its last name. */
  #dirId = -1;
  #dirTree: BTree<string, number> | undefined;
  #dirLast: string | undefined;
  #uploads = new Map<string, UploadRecord>();

  bytes(b: Uint8Array): void {
    let s: string;
    try {
      s = this.#utf8.decode(b, { stream: true });
    } catch {
      throw new SnapshotDecodeError(`snapshot is not valid UTF-8 (near line ${this.#lineNo + 1})`);
    }
    this.#bytesPending = true;
    this.text(s, true);
  }

  text(s: string, fromBytes = false): void {
    if (!fromBytes) this.#flushBytes();
    let start = 0;
    for (;;) {
      const nl = s.indexOf('\n', start);
      if (nl < 0) {
        if (start < s.length) this.#parts.push(start === 0 ? s : s.slice(start));
        return;
      }
      let line = s.slice(start, nl);
      if (this.#parts.length > 0) {
        this.#parts.push(line);
        line = this.#parts.join('');
        this.#parts = [];
      }
      this.#line(line);
      start = nl + 1;
    }
  }

  end(): Fsm {
    this.#flushBytes();
    if (this.#parts.length > 0) {
      const last = this.#parts.length === 1 ? this.#parts[0]! : this.#parts.join('');
      this.#parts = [];
      // A v1 document has no newline: it is the first, unterminated line. Anything else unterminated
      // is the stream cut short (the encoder ends every line, the end line too).
      if (this.#mode === 'start') this.#line(last);
      else if (last.trim() !== '') {
        if (this.#mode === 'v2') throw new SnapshotDecodeError(`snapshot is truncated: line ${this.#lineNo + 1} is cut short (${this.#n.lines} complete lines, no end line)`);
        throw new SnapshotDecodeError(`snapshot line ${this.#lineNo + 1}: unexpected content after the end of the snapshot`);
      }
    }
    switch (this.#mode) {
      case 'start':
        throw new SnapshotDecodeError('snapshot is empty');
      case 'v2':
        throw new SnapshotDecodeError(`snapshot is truncated: no end line after ${this.#n.lines} lines`);
      case 'v1':
        return this.#v1!;
      case 'ended':
        return this.#fsm;
    }
  }

  #flushBytes(): void {
    if (!this.#bytesPending) return;
    this.#bytesPending = false;
    let s: string;
    try {
      s = this.#utf8.decode();
    } catch {
      throw new SnapshotDecodeError(`snapshot is not valid UTF-8 (a sequence is cut short near line ${this.#lineNo + 1})`);
    }
    if (s) this.text(s, true);
  }

  #fail(why: string): never {
    throw new SnapshotDecodeError(`snapshot line ${this.#lineNo}: ${why}`);
  }

  #line(text: string): void {
    this.#lineNo++;
    if (this.#mode === 'v1' || this.#mode === 'ended') {
      if (text.trim() !== '') this.#fail('unexpected content after the end of the snapshot');
      return;
    }
    let value: Json;
    try {
      value = JSON.parse(text);
    } catch (err) {
      this.#fail(`not JSON (${err instanceof Error ? err.message : String(err)})`);
    }
    if (this.#mode === 'start') {
      this.#header(value);
      return;
    }
    this.#record(value);
  }

  #header(h: Json): void {
    if (!isObject(h) || !('v' in h)) this.#fail('not a snapshot header');
    if (h.v === 1) {
      try {
        this.#v1 = fromV1(h as unknown as Encoded);
      } catch (err) {
        throw new SnapshotDecodeError(`malformed v1 snapshot: ${err instanceof Error ? err.message : String(err)}`);
      }
      this.#mode = 'v1';
      return;
    }
    if (h.v !== 2) throw new SnapshotDecodeError(`unknown snapshot version ${JSON.stringify(h.v)}`);
    if (typeof h.clusterId !== 'string' || !isInt(h.nextInodeId) || !isInt(h.chunkIdLimit) || !isInt(h.appliedIndex)) this.#fail('malformed v2 header');
    const fsm = this.#fsm;
    fsm.inodes.clear();
    fsm.dirs.clear();
    fsm.clusterId = h.clusterId;
    fsm.nextInodeId = h.nextInodeId;
    fsm.chunkIdLimit = h.chunkIdLimit;
    fsm.appliedIndex = h.appliedIndex;
    this.#mode = 'v2';
    this.#n.lines = 1;
  }

  #record(r: Json): void {
    if (!Array.isArray(r) || typeof r[0] !== 'string') this.#fail('not a record');
    const fsm = this.#fsm;
    const n = this.#n;
    const tag = r[0];
    if (tag !== 'x') this.#lastInode = undefined;
    if (tag !== 'd') this.#dirTree = undefined;
    switch (tag) {
      case 'i': {
        const ino = r[1];
        if (r.length !== 2 || !isObject(ino) || !isInt(ino.id) || typeof ino.type !== 'string') this.#fail('malformed inode record');
        if (fsm.inodes.has(ino.id)) this.#fail(`inode ${ino.id} appears twice`);
        fsm.inodes.set(ino.id, ino as unknown as Inode);
        this.#lastInode = ino as unknown as Inode;
        n.inodes++;
        break;
      }
      case 'x': {
        const [, id, extents] = r as [string, Json, Json];
        if (r.length !== 3 || !isInt(id) || !Array.isArray(extents) || !extents.every(isObject)) this.#fail('malformed extents record');
        const ino = this.#lastInode;
        if (!ino || ino.id !== id || !Array.isArray(ino.extents)) this.#fail(`extents of inode ${id} do not follow that file's inode record`);
        for (const e of extents) ino.extents.push(e as unknown as Extent);
        n.extentLines++;
        break;
      }
      case 'd': {
        const [, id, entries] = r as [string, Json, Json];
        if (r.length !== 3 || !isInt(id) || !Array.isArray(entries)) this.#fail('malformed directory record');
        let tree = this.#dirTree;
        if (!tree || this.#dirId !== id) {
          if (fsm.dirs.has(id)) this.#fail(`directory ${id} appears twice`);
          tree = new BTree<string, number>(undefined, compareUtf8);
          fsm.dirs.set(id, tree);
          this.#dirTree = tree;
          this.#dirId = id;
          this.#dirLast = undefined;
          n.dirs++;
        }
        for (const e of entries as Json[]) {
          if (!Array.isArray(e) || e.length !== 2 || typeof e[0] !== 'string' || !isInt(e[1])) this.#fail(`malformed entry in directory ${id}`);
          const name = e[0];
          // Strictly increasing: the B-tree is built by appending, exactly as the v1 decoder builds it.
          if (this.#dirLast !== undefined && compareUtf8(this.#dirLast, name) >= 0) this.#fail(`entries of directory ${id} are out of order at ${JSON.stringify(name)}`);
          tree.set(name, e[1]);
          this.#dirLast = name;
        }
        n.entries += entries.length;
        break;
      }
      case 'c':
      case 'g': {
        const [, id, rec] = r as [string, Json, Json];
        if (r.length !== 3 || !isInt(id) || !isObject(rec) || !Array.isArray(rec.replicas)) this.#fail(`malformed ${tag === 'c' ? 'chunk' : 'garbage'} record`);
        const map: Map<number, unknown> = tag === 'c' ? fsm.chunks : fsm.garbage;
        if (map.has(id)) this.#fail(`${tag === 'c' ? 'chunk' : 'garbage'} record ${id} appears twice`);
        map.set(id, rec);
        if (tag === 'c') n.chunks++;
        else n.garbage++;
        break;
      }
      case 'u': {
        const [, id, u] = r as [string, Json, Json];
        if (r.length !== 3 || typeof id !== 'string' || !isObject(u) || typeof u.path !== 'string' || !isInt(u.createdMs) || !isObject(u.xattrs)) this.#fail('malformed upload record');
        if (fsm.uploads.has(id)) this.#fail(`upload ${JSON.stringify(id)} appears twice`);
        const rec: UploadRecord = { path: u.path, createdMs: u.createdMs, xattrs: u.xattrs as Record<string, string>, parts: new Map() };
        fsm.uploads.set(id, rec);
        this.#uploads.set(id, rec);
        n.uploads++;
        break;
      }
      case 'p': {
        const [, id, num, part] = r as [string, Json, Json, Json];
        if (r.length !== 4 || typeof id !== 'string' || !isInt(num) || !isObject(part) || !Array.isArray(part.extents)) this.#fail('malformed upload part record');
        const up = this.#uploads.get(id);
        if (!up) this.#fail(`part ${num} of upload ${JSON.stringify(id)} comes before (or without) its upload`);
        if (up.parts.has(num)) this.#fail(`part ${num} of upload ${JSON.stringify(id)} appears twice`);
        up.parts.set(num, part as unknown as PartRecord);
        n.parts++;
        break;
      }
      case 'k': {
        const [, id, rec] = r as [string, Json, Json];
        if (r.length !== 3 || typeof id !== 'string' || !isObject(rec)) this.#fail('malformed access key record');
        if (fsm.keys.has(id)) this.#fail(`access key ${JSON.stringify(id)} appears twice`);
        fsm.keys.set(id, rec as unknown as AccessKeyRecord);
        n.keys++;
        break;
      }
      case 'n': {
        const id = r[1];
        if (r.length !== 2 || typeof id !== 'string') this.#fail('malformed draining record');
        if (fsm.draining.has(id)) this.#fail(`draining node ${JSON.stringify(id)} appears twice`);
        fsm.draining.add(id);
        n.draining++;
        break;
      }
      case 's': {
        const [, key, answer] = r as [string, Json, Json];
        if (r.length !== 3 || typeof key !== 'string' || !isObject(answer) || !('ok' in answer || 'err' in answer)) this.#fail('malformed session record');
        if (fsm.sessions.has(key)) this.#fail(`session answer ${JSON.stringify(key)} appears twice`);
        fsm.sessions.set(key, answer as SessionAnswer);
        n.sessions++;
        break;
      }
      case 'end': {
        const want = r[1];
        if (r.length !== 2 || !isObject(want)) this.#fail('malformed end record');
        const differ = COUNT_NAMES.filter((k) => (want[k] ?? (LATER_COUNTS.has(k) ? 0 : undefined)) !== n[k]).map((k) => `${k} ${n[k]} read, ${String(want[k])} written`);
        if (differ.length > 0) throw new SnapshotDecodeError(`snapshot is truncated or corrupt: the counts differ from the end line (${differ.join('; ')})`);
        this.#mode = 'ended';
        return;
      }
      default:
        this.#fail(`unknown record type ${JSON.stringify(tag)}`);
    }
    n.lines++;
  }
}
