// DiskStorage on real files in temp directories: log append/overwrite/reopen, hard state, torn tails and
// corruption, segment rotation and deletion behind snapshots, snapshot streaming, transfer and install,
// fsync failure (fatal, never retried) and flat memory for a big snapshot body.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { appendFile, copyFile, mkdtemp, readdir, readFile, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { crc32 } from 'node:zlib';
import { decodeFrames, encodeFrame, FRAME_HEADER } from '../../master/wal.js';
import type { Entry, HardState, Member, SnapshotMeta } from '../core/types.js';
import { decodeRecord, DiskStorage, LogCorruptError, type DiskStorageOptions, type SyncKind } from './disk-storage.js';
import type { SnapshotSource } from './types.js';

const MiB = 2 ** 20;
const MEMBERS: Member[] = [
  { id: 'a', address: '127.0.0.1:7001', voter: true },
  { id: 'b', address: '127.0.0.1:7002', voter: true },
  { id: 'c', address: '127.0.0.1:7003', voter: false },
];
const SEGMENT_RE = /^log-\d{16}\.wal$/;

/** Deterministic bytes (different for every seed), generated a 32-bit word at a time. */
function bytes(length: number, seed: number): Buffer {
  const words = new Uint32Array(Math.ceil(length / 4));
  let x = (seed * 2654435761 + 1) >>> 0 || 1;
  for (let i = 0; i < words.length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    words[i] = x;
  }
  return Buffer.from(words.buffer, 0, length);
}

function command(index: number, term: number, size = 24): Entry {
  return { index, term, kind: 'command', data: bytes(size, index * 1000 + term) };
}

/** Entries first..last, all of `term`, with every kind of entry represented. */
function entries(first: number, last: number, term: number, size = 24): Entry[] {
  const out: Entry[] = [];
  for (let i = first; i <= last; i++) {
    if (i % 10 === 3) out.push({ index: i, term, kind: 'noop' });
    else if (i % 10 === 7)
      out.push({ index: i, term, kind: 'config', change: { type: 'add_learner', id: `n${i}`, address: `10.0.0.${i % 250}:7000` }, config: [...MEMBERS, { id: `n${i}`, address: `10.0.0.${i % 250}:7000`, voter: false }] });
    else if (i % 10 === 9) out.push({ index: i, term, kind: 'command', data: new Uint8Array(0) });
    else out.push(command(i, term, size));
  }
  return out;
}

/** Entries compared field by field; data as bytes (it comes back as a plain Uint8Array). */
function assertEntries(actual: readonly Entry[], expected: readonly Entry[], message?: string): void {
  const norm = (e: Entry) => ({
    index: e.index,
    term: e.term,
    kind: e.kind,
    data: e.data === undefined ? undefined : Buffer.from(e.data.buffer, e.data.byteOffset, e.data.length).toString('hex'),
    change: e.change,
    config: e.config,
  });
  assert.deepEqual(actual.map(norm), expected.map(norm), message);
}

async function* chunksOf(chunks: readonly Uint8Array[]): AsyncGenerator<Uint8Array> {
  for (const c of chunks) yield c;
}

async function readStream(r: Readable): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of r) parts.push(c as Buffer);
  return Buffer.concat(parts);
}

async function segmentFiles(dir: string): Promise<string[]> {
  return (await readdir(dir)).filter((n) => SEGMENT_RE.test(n)).sort();
}

async function snapFiles(dir: string): Promise<string[]> {
  return (await readdir(dir)).filter((n) => n.endsWith('.snap')).sort();
}

/** The indexes named by the records of one segment file (entries, or a reset's index). */
async function segmentIndexes(path: string): Promise<number[]> {
  const buf = await readFile(path);
  const { payloads, validBytes } = decodeFrames(buf);
  assert.equal(validBytes, buf.length, `${path} decodes whole`);
  const out: number[] = [];
  for (const p of payloads) {
    const rec = decodeRecord(p);
    if (rec.type === 'reset') out.push(rec.index);
    else out.push(...rec.entries.map((e) => e.index));
  }
  return out;
}

/** Byte offsets of the frames of a segment file (and the offset where the good prefix ends). */
function frameOffsets(buf: Buffer): number[] {
  const offs: number[] = [];
  let off = 0;
  for (const p of decodeFrames(buf).payloads) {
    offs.push(off);
    off += FRAME_HEADER + p.length;
  }
  return offs;
}

function flip(b: Buffer, at: number): Buffer {
  b[at] = b[at]! ^ 0x10;
  return b;
}

/** Sends a snapshot file piece by piece; `damage` may change a piece (its data, at its file offset). */
async function transfer(src: SnapshotSource, dst: DiskStorage, pieceBytes: number, damage?: (data: Buffer, offset: number) => Buffer | undefined): Promise<void> {
  const writes: Promise<void>[] = [];
  for (let offset = 0; offset < src.size; offset += pieceBytes) {
    let data: Buffer | undefined = Buffer.from(await src.read(offset, pieceBytes));
    const done = offset + data.length >= src.size;
    if (damage) data = damage(data, offset);
    // Pieces are written in call order: they need not be awaited one by one.
    if (data) writes.push(dst.writeSnapshotPiece({ meta: src.meta, offset, data, done }));
  }
  await Promise.all(writes);
}

describe('raft DiskStorage (real files)', function () {
  this.timeout(60_000);

  let dirs: string[] = [];
  let opened: DiskStorage[] = [];
  let unexpectedFatals: unknown[] = [];

  async function tempDir(): Promise<string> {
    const d = await mkdtemp(join(tmpdir(), 'godfs-raft-disk-'));
    dirs.push(d);
    return d;
  }

  async function openAt(dir: string, opts: Partial<DiskStorageOptions> = {}): Promise<DiskStorage> {
    const s = await DiskStorage.open(dir, { onFatal: (err) => unexpectedFatals.push(err), ...opts });
    opened.push(s);
    return s;
  }

  async function reopen(s: DiskStorage, dir: string, opts: Partial<DiskStorageOptions> = {}): Promise<DiskStorage> {
    await s.close();
    return openAt(dir, opts);
  }

  afterEach(async () => {
    for (const s of opened) await s.close().catch(() => undefined);
    for (const d of dirs) await rm(d, { recursive: true, force: true });
    const fatals = unexpectedFatals;
    opened = [];
    dirs = [];
    unexpectedFatals = [];
    assert.deepEqual(fatals, [], 'no storage failed fatally unless the test made it');
  });

  describe('log and hard state', () => {
    it('returns hard state, snapshot meta and exactly the appended entries after close and reopen', async () => {
      const dir = await tempDir();
      let s = await openAt(dir);
      assert.deepEqual(s.persisted, { hardState: { term: 0, vote: null, commit: 0 }, snapshot: { index: 0, term: 0, config: [] }, entries: [] });
      const all = entries(1, 40, 1);
      await s.append(all.slice(0, 1));
      await s.append(all.slice(1, 12)); // one record of many entries
      // Appends made without waiting share fsyncs (group commit) and stay in call order.
      await Promise.all(all.slice(12).map((e) => s.append([e])));
      await s.saveHardState({ term: 1, vote: 'a', commit: 33 });
      // `command` without data is not the same as empty data.
      const bare: Entry = { index: 41, term: 1, kind: 'command' };
      await s.append([bare]);
      all.push(bare);
      s = await reopen(s, dir);
      assert.deepEqual(s.persisted.hardState, { term: 1, vote: 'a', commit: 33 });
      assert.deepEqual(s.persisted.snapshot, { index: 0, term: 0, config: [] });
      assertEntries(s.persisted.entries, all);
      assert.equal(s.persisted.entries[40]!.data, undefined, 'no data stays no data');
      assert.equal(s.persisted.entries[8]!.data!.length, 0, 'empty data stays empty data');
      assert.equal(s.persisted.entries[6]!.kind, 'config');
      assert.deepEqual(s.persisted.entries[6]!.change, { type: 'add_learner', id: 'n7', address: '10.0.0.7:7000' });
    });

    it('an overlapping append replaces the entries from its first index on, before and after reopen', async () => {
      const dir = await tempDir();
      let s = await openAt(dir);
      await s.append(entries(1, 20, 1));
      // Conflict at 6: 6..20 of term 1 go, 6..8 of term 2 take their place.
      await s.append(entries(6, 8, 2));
      await s.append(entries(9, 9, 2)); // follows the new end...
      await assert.rejects(s.append(entries(11, 11, 2)), /gap/); // ...and the old end is gone
      s = await reopen(s, dir);
      assertEntries(s.persisted.entries, [...entries(1, 5, 1), ...entries(6, 9, 2)]);
      // After reopen the same: an overlap at 3 replaces 3..9.
      await s.append(entries(3, 4, 3));
      s = await reopen(s, dir);
      assertEntries(s.persisted.entries, [...entries(1, 2, 1), ...entries(3, 4, 3)]);
      // An overlap at the very first index replaces the whole log.
      await s.append(entries(1, 1, 4));
      s = await reopen(s, dir);
      assertEntries(s.persisted.entries, entries(1, 1, 4));
      await assert.rejects(s.append(entries(3, 3, 4)), /gap/);
      await assert.rejects(s.append([command(2, 4), command(4, 4)]), /not contiguous/);
    });

    it('saveHardState survives reopen; concurrent saves coalesce and the last one wins', async () => {
      const dir = await tempDir();
      let s = await openAt(dir);
      await s.saveHardState({ term: 2, vote: 'b', commit: 0 });
      s = await reopen(s, dir);
      assert.deepEqual(s.persisted.hardState, { term: 2, vote: 'b', commit: 0 });
      const states: HardState[] = [
        { term: 3, vote: 'a', commit: 4 },
        { term: 4, vote: 'c', commit: 5 },
        { term: 4, vote: null, commit: 9 },
      ];
      await Promise.all(states.map((hs) => s.saveHardState(hs)));
      s = await reopen(s, dir);
      assert.deepEqual(s.persisted.hardState, { term: 4, vote: null, commit: 9 });
    });

    it('a torn or garbage hardstate temp file left over does not break open', async () => {
      const dir = await tempDir();
      let s = await openAt(dir);
      await s.saveHardState({ term: 7, vote: 'a', commit: 3 });
      await s.close();
      const torn = encodeFrame(Buffer.from(JSON.stringify({ term: 8, vote: 'b', commit: 4 })));
      for (const leftover of [randomBytes(100), torn.subarray(0, torn.length - 5), torn]) {
        await writeFile(join(dir, 'hardstate.tmp'), leftover);
        s = await openAt(dir);
        assert.deepEqual(s.persisted.hardState, { term: 7, vote: 'a', commit: 3 }, 'an unrenamed temp file never counts');
        assert.ok(!(await readdir(dir)).includes('hardstate.tmp'), 'the temp file is deleted at open');
        await s.close();
      }
      // Only a temp file, never a hard state: the initial state.
      const fresh = await tempDir();
      await writeFile(join(fresh, 'hardstate.tmp'), randomBytes(64));
      s = await openAt(fresh);
      assert.deepEqual(s.persisted.hardState, { term: 0, vote: null, commit: 0 });
      await s.saveHardState({ term: 1, vote: 'c', commit: 0 });
      s = await reopen(s, fresh);
      assert.deepEqual(s.persisted.hardState, { term: 1, vote: 'c', commit: 0 });
    });

    it('refuses to open on a corrupt hardstate (it is only replaced by rename, never torn)', async () => {
      const dir = await tempDir();
      const s = await openAt(dir);
      await s.saveHardState({ term: 7, vote: 'a', commit: 3 });
      await s.close();
      const buf = await readFile(join(dir, 'hardstate'));
      buf[buf.length - 2] ^= 0x20;
      await writeFile(join(dir, 'hardstate'), buf);
      await assert.rejects(DiskStorage.open(dir, { onFatal: (err) => unexpectedFatals.push(err) }), /hard state file .* is corrupt/);
    });

    it('close() waits for every accepted append, also ones queued behind several segment rotations', async () => {
      const dir = await tempDir();
      const fds = async () => (process.platform === 'linux' ? (await readdir('/proc/self/fd')).length : 0);
      const fdsBefore = await fds();
      let s = await openAt(dir, { segmentBytes: 300 });
      const all = entries(1, 300, 1, 40);
      let settled = 0;
      const appends = all.map((e) => {
        const p = s.append([e]);
        p.then(
          () => settled++,
          () => settled++,
        );
        return p;
      });
      await s.close();
      assert.equal(settled, all.length, 'every append had settled when close() resolved');
      await Promise.all(appends);
      assert.equal(await fds(), fdsBefore, 'no file handle is left open');
      assert.ok((await segmentFiles(dir)).length > 20, 'the appends went to many segments');
      s = await openAt(dir, { segmentBytes: 300 });
      assertEntries(s.persisted.entries, all);
    });
  });

  describe('torn tails and corruption', () => {
    const damages: Array<{ name: string; lost: number; damage: (seg: string) => Promise<void> }> = [
      {
        name: 'truncated mid-record',
        lost: 1,
        damage: async (seg) => truncate(seg, (await stat(seg)).size - 5),
      },
      {
        name: 'truncated mid-header',
        lost: 1,
        damage: async (seg) => truncate(seg, frameOffsets(await readFile(seg)).at(-1)! + 3),
      },
      {
        name: 'a bad CRC in the last record',
        lost: 1,
        damage: async (seg) => {
          const buf = await readFile(seg);
          buf[buf.length - 4] ^= 0x01;
          await writeFile(seg, buf);
        },
      },
      { name: 'random garbage appended', lost: 0, damage: async (seg) => appendFile(seg, randomBytes(777)) },
      // A crash after the file grew but before its data was written: zeros, which frame as empty records.
      { name: 'zeros appended', lost: 0, damage: async (seg) => appendFile(seg, Buffer.alloc(4096 + 3)) },
    ];
    for (const { name, lost, damage } of damages) {
      it(`cuts a torn tail of the last segment (${name}) and keeps everything before it`, async () => {
        const dir = await tempDir();
        const opts = { segmentBytes: 400 };
        let s = await openAt(dir, opts);
        const all = entries(1, 30, 1, 40);
        for (const e of all) await s.append([e]);
        await s.close();
        const segs = await segmentFiles(dir);
        assert.ok(segs.length >= 3, `several segments (${segs.length})`);
        const older = await Promise.all(segs.slice(0, -1).map((n) => readFile(join(dir, n))));
        await damage(join(dir, segs.at(-1)!));
        s = await openAt(dir, opts);
        const kept = all.slice(0, all.length - lost);
        assertEntries(s.persisted.entries, kept);
        const last = kept.at(-1)!.index;
        // The cut is on disk: a record appended now is not hidden behind the damage at the next open.
        await s.append([command(last + 1, 2)]);
        s = await reopen(s, dir, opts);
        assertEntries(s.persisted.entries, [...kept, command(last + 1, 2)]);
        const after = await segmentFiles(dir);
        assert.deepEqual(after.slice(0, segs.length), segs, 'no segment was removed');
        for (let i = 0; i < older.length; i++) assert.ok(older[i]!.equals(await readFile(join(dir, segs[i]!))), `older segment ${segs[i]} untouched`);
        for (const n of after) {
          const buf = await readFile(join(dir, n));
          const { payloads, validBytes } = decodeFrames(buf);
          assert.equal(validBytes, buf.length, `${n} holds only whole frames`);
          assert.ok(payloads.every((p) => p.length > 0), `${n} holds no empty frame`);
        }
      });
    }

    const olderDamages: Array<{ name: string; damage: (seg: string) => Promise<void> }> = [
      {
        name: 'a flipped byte',
        damage: async (seg) => {
          const buf = await readFile(seg);
          buf[frameOffsets(buf)[1]! + FRAME_HEADER + 3] ^= 0x40;
          await writeFile(seg, buf);
        },
      },
      { name: 'a torn end', damage: async (seg) => truncate(seg, (await stat(seg)).size - 3) },
      { name: 'zeros appended', damage: async (seg) => appendFile(seg, Buffer.alloc(64)) },
    ];
    for (const { name, damage } of olderDamages) {
      it(`open rejects with LogCorruptError on a bad record in an older segment (${name})`, async () => {
        const dir = await tempDir();
        const s = await openAt(dir, { segmentBytes: 400 });
        for (const e of entries(1, 30, 1, 40)) await s.append([e]);
        await s.close();
        const segs = await segmentFiles(dir);
        assert.ok(segs.length >= 3);
        await damage(join(dir, segs[1]!));
        const bytesBefore = await Promise.all(segs.map((n) => readFile(join(dir, n))));
        await assert.rejects(DiskStorage.open(dir, { onFatal: (err) => unexpectedFatals.push(err), segmentBytes: 400 }), LogCorruptError);
        const bytesAfter = await Promise.all(segs.map((n) => readFile(join(dir, n))));
        assert.deepEqual(bytesAfter, bytesBefore, 'a refused open changes no segment (the last one is not cut either)');
      });
    }
  });

  describe('segments and snapshots', () => {
    it('rotates segments; saveSnapshot drops only whole segments entirely below meta.index - retain', async () => {
      const dir = await tempDir();
      const opts = { segmentBytes: 512 };
      let s = await openAt(dir, opts);
      const all = entries(1, 100, 1, 40);
      for (const e of all) await s.append([e]);
      const segs = await segmentFiles(dir);
      assert.ok(segs.length >= 8, `rotated into many segments (${segs.length})`);
      const ranges = await Promise.all(segs.map(async (n) => segmentIndexes(join(dir, n))));
      ranges.forEach((r, i) => i > 0 && assert.equal(r[0], ranges[i - 1]!.at(-1)! + 1, 'each segment continues the previous'));
      // The cut lies inside segment 3: segments 0..2 are entirely below it, 3 is not (it holds entries on
      // both sides of the cut).
      assert.ok(ranges[3]!.length >= 3);
      const cut = ranges[3]![1]!;
      const retain = 20;
      const meta: SnapshotMeta = { index: cut + retain, term: 1, config: MEMBERS };
      await s.saveSnapshot(meta, chunksOf([Buffer.from('state at '), Buffer.from(String(meta.index))]), retain);
      assert.deepEqual(await segmentFiles(dir), segs.slice(3), 'exactly the segments wholly below the cut are gone');
      assert.deepEqual(await snapFiles(dir), [`snap-${String(meta.index).padStart(16, '0')}-${'1'.padStart(16, '0')}.snap`]);
      s = await reopen(s, dir, opts);
      assert.deepEqual(s.persisted.snapshot, meta);
      assertEntries(s.persisted.entries, all.slice(meta.index));
      assert.equal((await readStream(s.openSnapshotBody()!)).toString(), `state at ${meta.index}`);
      await s.append([command(101, 2)]);
      // Without retain everything up to the snapshot goes: only the segment with 101 is left.
      const meta2: SnapshotMeta = { index: 100, term: 1, config: MEMBERS.slice(0, 2) };
      await s.saveSnapshot(meta2, chunksOf([Buffer.from('second')]), 0);
      const left = await segmentFiles(dir);
      assert.equal(left.length, 1);
      assert.deepEqual((await segmentIndexes(join(dir, left[0]!))).at(-1), 101);
      assert.equal((await snapFiles(dir)).length, 1, 'the superseded snapshot file is deleted');
      s = await reopen(s, dir, opts);
      assert.deepEqual(s.persisted.snapshot, meta2);
      assertEntries(s.persisted.entries, [command(101, 2)]);
      assert.equal((await readStream(s.openSnapshotBody()!)).toString(), 'second');
    });

    it('streams a snapshot saved from many chunks (some over 1 MiB, some tiny, some empty) back byte for byte', async () => {
      const dir = await tempDir();
      let s = await openAt(dir);
      await s.append(entries(1, 40, 1));
      const sizes = [1, 5, 3 * MiB + 11, 7, MiB, MiB + 1, ...Array<number>(300).fill(13), 2 * MiB - 3, 65_536, 1, MiB - 1, 2, 5 * MiB];
      const chunks: Uint8Array[] = sizes.map((n, i) => bytes(n, i + 1));
      // Empty chunks, also ones with no memory behind them (zlib's crc32 returns 0 for those, whatever
      // the running value), between non-empty ones.
      chunks.splice(2, 0, new TextEncoder().encode(''), Buffer.alloc(0), new Uint8Array(new ArrayBuffer(0)));
      chunks.splice(10, 0, new TextEncoder().encode(''));
      const body = Buffer.concat(chunks);
      const meta: SnapshotMeta = { index: 30, term: 1, config: MEMBERS };
      await s.saveSnapshot(meta, chunksOf(chunks), 5);
      assert.ok((await readStream(s.openSnapshotBody()!)).equals(body), 'openSnapshotBody streams the same bytes');
      // The source reads the file as sent to followers: pieces of any size concatenate to the file.
      const src = s.snapshotSource()!;
      assert.deepEqual(src.meta, meta);
      const file = await readFile(join(dir, (await snapFiles(dir))[0]!));
      assert.equal(src.size, file.length);
      const pieces: Uint8Array[] = [];
      for (let off = 0; off < src.size; off += MiB + 17) pieces.push(await src.read(off, MiB + 17));
      assert.ok(Buffer.concat(pieces).equals(file));
      assert.equal((await src.read(src.size - 3, 100)).length, 3, 'fewer bytes only at the end');
      assert.equal((await src.read(src.size, 100)).length, 0);
      s = await reopen(s, dir);
      assert.deepEqual(s.persisted.snapshot, meta);
      assertEntries(s.persisted.entries, entries(31, 40, 1));
      assert.ok((await readStream(s.openSnapshotBody()!)).equals(body), 'the same after reopen');
    });

    it('does not hold on to a body chunk once it pulls the next (the producer may reuse its buffer)', async () => {
      const dir = await tempDir();
      const s = await openAt(dir);
      const sizes = [10, 3000, MiB - 5, 2 * MiB + 1, 100, 100, MiB, 1, 3 * MiB];
      const chunks = sizes.map((n, i) => bytes(n, 100 + i));
      const scratch = Buffer.alloc(3 * MiB);
      async function* reusing(): AsyncGenerator<Uint8Array> {
        for (const c of chunks) {
          c.copy(scratch);
          yield scratch.subarray(0, c.length);
          scratch.fill(0xee); // whatever was not written or copied by now is overwritten
        }
      }
      await s.saveSnapshot({ index: 0, term: 0, config: MEMBERS }, reusing());
      assert.ok((await readStream(s.openSnapshotBody()!)).equals(Buffer.concat(chunks)));
    });

    it('a body being read stays readable while a newer snapshot replaces (and deletes) its file', async () => {
      const dir = await tempDir();
      const s = await openAt(dir);
      await s.append(entries(1, 10, 1));
      const first = bytes(3 * MiB + 5, 1);
      await s.saveSnapshot({ index: 4, term: 1, config: MEMBERS }, chunksOf([first]));
      const oldBody = s.openSnapshotBody()!;
      const second = bytes(MiB, 2);
      await s.saveSnapshot({ index: 8, term: 1, config: MEMBERS }, chunksOf([second]));
      assert.equal((await snapFiles(dir)).length, 1);
      assert.ok((await readStream(oldBody)).equals(first));
      assert.ok((await readStream(s.openSnapshotBody()!)).equals(second));
    });

    describe('transfer to a second member', () => {
      const meta: SnapshotMeta = { index: 30, term: 2, config: MEMBERS };
      // The leader's log: term 1 up to 25, term 2 after it.
      const leaderLog = [...entries(1, 25, 1), ...entries(26, 40, 2)];
      const chunks = [bytes(2 * MiB + 3, 7), ...Array.from({ length: 50 }, (_, i) => bytes(9, 50 + i)), bytes(MiB / 2, 8)];
      const body = Buffer.concat(chunks);
      let src: SnapshotSource;

      beforeEach(async () => {
        const leader = await openAt(await tempDir());
        await leader.append(leaderLog);
        await leader.saveSnapshot(meta, chunksOf(chunks), 5);
        src = leader.snapshotSource()!;
      });

      it('installReceivedSnapshot(keepLog=true) makes the received file current and keeps the log after it', async () => {
        const dir = await tempDir();
        let f = await openAt(dir);
        await f.append(leaderLog.slice(0, 35)); // 1..35, matching the leader's
        await transfer(src, f, 256 * 1024 + 1);
        await f.installReceivedSnapshot(meta, true);
        assert.deepEqual(f.snapshotSource()!.meta, meta);
        assert.equal(f.snapshotSource()!.size, src.size);
        assert.ok((await readStream(f.openSnapshotBody()!)).equals(body));
        await f.append(leaderLog.slice(35)); // 36..40 follow the kept log
        f = await reopen(f, dir);
        assert.deepEqual(f.persisted.snapshot, meta);
        assertEntries(f.persisted.entries, leaderLog.slice(30));
        assert.ok((await readStream(f.openSnapshotBody()!)).equals(body), 'reopen sees the installed snapshot');
        const leaderFile = Buffer.concat([await src.read(0, src.size)]);
        assert.ok((await readFile(join(dir, (await snapFiles(dir))[0]!))).equals(leaderFile), 'the file is the leader’s, byte for byte');
      });

      it('installReceivedSnapshot(keepLog=false) makes it current and drops the whole log', async () => {
        const dir = await tempDir();
        const opts = { segmentBytes: 400 };
        let f = await openAt(dir, opts);
        // A diverged log (term 1 throughout, so its entry 30 does not match the snapshot's term 2).
        await Promise.all(entries(1, 40, 1, 40).map((e) => f.append([e])));
        assert.ok((await segmentFiles(dir)).length > 3);
        await transfer(src, f, 100_000);
        await f.installReceivedSnapshot(meta, false);
        assert.deepEqual(f.snapshotSource()!.meta, meta);
        assert.ok((await readStream(f.openSnapshotBody()!)).equals(body));
        assert.equal((await segmentFiles(dir)).length, 1, 'only the current segment is left');
        await assert.rejects(f.append(entries(41, 41, 2)), /gap/, 'the log now ends at the snapshot');
        f = await reopen(f, dir, opts);
        assert.deepEqual(f.persisted.snapshot, meta);
        assert.deepEqual(f.persisted.entries, []);
        assert.ok((await readStream(f.openSnapshotBody()!)).equals(body), 'reopen sees the installed snapshot');
        await f.append(leaderLog.slice(30, 32));
        f = await reopen(f, dir, opts);
        assertEntries(f.persisted.entries, leaderLog.slice(30, 32));
      });

      it('installReceivedSnapshot(keepLog=true) on a log that ends before the snapshot: appends after it survive reopen', async () => {
        const dir = await tempDir();
        let f = await openAt(dir);
        await f.append(leaderLog.slice(0, 3));
        await transfer(src, f, MiB);
        await f.installReceivedSnapshot(meta, true);
        await f.append(leaderLog.slice(30, 33));
        f = await reopen(f, dir);
        assert.deepEqual(f.persisted.snapshot, meta);
        assertEntries(f.persisted.entries, leaderLog.slice(30, 33));
      });

      const corruptions: Array<{ name: string; damage: (data: Buffer, offset: number) => Buffer | undefined; error: RegExp }> = [
        { name: 'a flipped body byte', damage: (d, off) => (off === 1_000_000 ? flip(d, d.length >> 1) : d), error: /body CRC mismatch/ },
        { name: 'a flipped header byte', damage: (d, off) => (off === 0 ? flip(d, 20) : d), error: /header CRC mismatch/ },
        { name: 'a flipped trailer byte', damage: (d, off) => (off + d.length >= src.size ? flip(d, d.length - 10) : d), error: /CRC mismatch|torn/ },
        { name: 'a missing piece', damage: (d, off) => (off === 500_000 ? undefined : d), error: /body CRC mismatch/ },
        { name: 'the last piece missing', damage: (d, off) => (off + d.length >= src.size ? undefined : d), error: /not received whole/ },
      ];
      for (const { name, damage, error } of corruptions) {
        it(`refuses to install a received file with ${name} (the current snapshot stays current)`, async () => {
          const dir = await tempDir();
          let f = await openAt(dir);
          await f.append(entries(1, 10, 1));
          const own = bytes(1000, 3);
          const ownMeta: SnapshotMeta = { index: 5, term: 1, config: MEMBERS.slice(0, 1) };
          await f.saveSnapshot(ownMeta, chunksOf([own]));
          await transfer(src, f, 250_000, damage);
          await assert.rejects(f.installReceivedSnapshot(meta, false), error);
          assert.deepEqual(f.snapshotSource()!.meta, ownMeta, 'not made current');
          assert.ok((await readStream(f.openSnapshotBody()!)).equals(own));
          await f.append(entries(11, 11, 1)); // the log was not reset
          const names = await readdir(dir);
          assert.deepEqual(await snapFiles(dir), [`snap-${'5'.padStart(16, '0')}-${'1'.padStart(16, '0')}.snap`]);
          if (name !== 'the last piece missing') assert.ok(!names.some((n) => n.startsWith('recv-')), `the bad file is deleted (${names})`);
          f = await reopen(f, dir);
          assert.deepEqual(f.persisted.snapshot, ownMeta);
          assertEntries(f.persisted.entries, entries(6, 11, 1));
          assert.ok(!(await readdir(dir)).some((n) => n.startsWith('recv-')));
          // A good transfer afterwards installs.
          await transfer(src, f, 250_000);
          await f.installReceivedSnapshot(meta, false);
          assert.deepEqual(f.snapshotSource()!.meta, meta);
          assert.ok((await readStream(f.openSnapshotBody()!)).equals(body));
        });
      }

      it('a received snapshot renamed into place before its log reset was durable: open drops the diverged log', async () => {
        // The crash window of installReceivedSnapshot(keepLog=false): the file is current, the reset record
        // is not on disk. The log's entry at the snapshot index has another term: nothing after it is kept.
        const dir = await tempDir();
        const f = await openAt(dir);
        await f.append(entries(1, 40, 1));
        await f.close();
        const donor = await tempDir();
        const d = await openAt(donor);
        await transfer(src, d, MiB);
        await d.installReceivedSnapshot(meta, false);
        const name = (await snapFiles(donor))[0]!;
        await d.close();
        await copyFile(join(donor, name), join(dir, name));
        let g = await openAt(dir);
        assert.deepEqual(g.persisted.snapshot, meta);
        assert.deepEqual(g.persisted.entries, []);
        await g.append(leaderLog.slice(30, 31));
        g = await reopen(g, dir);
        assertEntries(g.persisted.entries, leaderLog.slice(30, 31));
      });
    });
  });

  describe('fsync failure', () => {
    const meta: SnapshotMeta = { index: 1, term: 1, config: MEMBERS };
    const cases: Array<{ kind: SyncKind; trigger: (s: DiskStorage) => Promise<void> }> = [
      { kind: 'log', trigger: async (s) => void (await Promise.all([s.append([command(2, 1)]), s.append([command(3, 1)]), s.append([command(4, 1)])])) },
      { kind: 'hardstate', trigger: (s) => s.saveHardState({ term: 2, vote: 'a', commit: 1 }) },
      { kind: 'snapshot', trigger: (s) => s.saveSnapshot(meta, chunksOf([bytes(5000, 1)])) },
      { kind: 'dir', trigger: (s) => s.saveHardState({ term: 2, vote: 'a', commit: 1 }) },
    ];
    for (const { kind, trigger } of cases) {
      it(`a failed ${kind} fsync rejects, calls onFatal exactly once, and every later call rejects (nothing is retried)`, async () => {
        const dir = await tempDir();
        const injected = new Error(`injected EIO on ${kind} fsync`);
        let failing = false;
        let syncsAfterFailure = 0;
        const fatal: unknown[] = [];
        const s = await openAt(dir, {
          onFatal: (err) => fatal.push(err),
          beforeSync: (what) => {
            if (fatal.length > 0) syncsAfterFailure++;
            if (failing && what === kind) throw injected;
          },
        });
        await s.append([command(1, 1)]);
        await s.saveHardState({ term: 1, vote: null, commit: 0 });
        failing = true;
        await assert.rejects(trigger(s), (err) => err === injected);
        assert.deepEqual(fatal, [injected]);
        failing = false; // even with a disk that works again: the storage refuses everything
        await assert.rejects(s.append([command(2, 1)]), (err) => err === injected);
        await assert.rejects(s.saveHardState({ term: 3, vote: 'b', commit: 1 }), (err) => err === injected);
        await assert.rejects(s.saveSnapshot(meta, chunksOf([Buffer.from('x')])), (err) => err === injected);
        await assert.rejects(s.writeSnapshotPiece({ meta, offset: 0, data: Buffer.from('x'), done: true }), (err) => err === injected);
        await assert.rejects(s.installReceivedSnapshot(meta, false), (err) => err === injected);
        assert.equal(fatal.length, 1, 'onFatal once');
        assert.equal(syncsAfterFailure, 0, 'no fsync is attempted after the failure');
        await s.close();
        if (kind === 'snapshot') assert.deepEqual((await readdir(dir)).filter((n) => n.startsWith('snap-')), [], 'the unsynced snapshot is not made current');
        // What was durable before the failure is still there.
        const t = await openAt(dir);
        assertEntries(t.persisted.entries.slice(0, 1), [command(1, 1)]);
        if (kind !== 'dir') assert.equal(t.persisted.hardState.term, 1);
      });
    }
  });

  it('a snapshot being written when a log fsync fails is not made current', async () => {
    const dir = await tempDir();
    const injected = new Error('injected EIO on log fsync');
    let failing = false;
    const fatal: unknown[] = [];
    const s = await openAt(dir, {
      onFatal: (err) => fatal.push(err),
      beforeSync: (what) => {
        if (failing && what === 'log') throw injected;
      },
    });
    await s.append(entries(1, 5, 1));
    let pulled!: () => void;
    const firstPulled = new Promise<void>((r) => (pulled = r));
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    async function* body(): AsyncGenerator<Uint8Array> {
      yield Buffer.from('first half');
      pulled();
      await gate;
      yield Buffer.from('second half');
    }
    const saving = s.saveSnapshot({ index: 3, term: 1, config: MEMBERS }, body());
    await firstPulled;
    failing = true;
    await assert.rejects(s.append(entries(6, 6, 1)), (err) => err === injected);
    release();
    await assert.rejects(saving, (err) => err === injected);
    assert.deepEqual(fatal, [injected]);
    assert.equal(s.snapshotSource(), undefined);
    await s.close();
    assert.deepEqual(await snapFiles(dir), []);
    const t = await openAt(dir);
    assert.equal(t.persisted.snapshot.index, 0);
    assertEntries(t.persisted.entries.slice(0, 5), entries(1, 5, 1), 'the log it would have covered is all there');
  });

  it('memory stays flat saving and reading back a 256 MiB snapshot body', async function () {
    const dir = await tempDir();
    const s = await openAt(dir);
    const CHUNKS = 256;
    const fill = (b: Buffer, i: number) => {
      b.fill(i & 0xff);
      for (let off = 0; off + 4 <= b.length; off += 4096) b.writeUInt32LE((i * 4096 + off) >>> 0, off);
    };
    const base = process.memoryUsage().rss;
    let peak = base;
    const sample = () => (peak = Math.max(peak, process.memoryUsage().rss));
    const sampler = setInterval(sample, 10);
    try {
      let crcIn = 0;
      async function* body(): AsyncGenerator<Uint8Array> {
        for (let i = 0; i < CHUNKS; i++) {
          const b = Buffer.allocUnsafe(MiB); // a fresh buffer each time: the storage must not keep them
          fill(b, i);
          crcIn = crc32(b, crcIn);
          sample();
          yield b;
        }
      }
      const meta: SnapshotMeta = { index: 0, term: 0, config: MEMBERS };
      await s.saveSnapshot(meta, body());
      let crcOut = 0;
      let n = 0;
      for await (const c of s.openSnapshotBody()!) {
        crcOut = crc32(c as Buffer, crcOut);
        n += (c as Buffer).length;
        sample();
      }
      assert.equal(n, CHUNKS * MiB);
      assert.equal(crcOut, crcIn, 'the body reads back identical');
      assert.equal(s.snapshotSource()!.size, (await stat(join(dir, (await snapFiles(dir))[0]!))).size);
    } finally {
      clearInterval(sampler);
    }
    sample();
    const growth = peak - base;
    assert.ok(growth < 64 * MiB, `RSS grew by ${(growth / MiB).toFixed(1)} MiB for a ${CHUNKS} MiB body`);
  });
});
