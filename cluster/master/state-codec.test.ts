// The snapshot codec: v2 NDJSON produced in bounded slices (encodeStateChunks) and parsed from a stream
// (decodeStateStream), checked against the v1 one-shot encoding, which stays the reference: a state
// decoded from v2 must encode (v1) to the very same bytes as the original.
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import v8 from 'node:v8';
import vm from 'node:vm';
import type { Command, WrittenExtent } from './commands.js';
import { totalLength } from './extents.js';
import { Fsm } from './fsm.js';
import { decodeState, decodeStateStream, encodeState, encodeStateChunks, ENTRIES_PER_LINE, EXTENTS_PER_LINE, SnapshotDecodeError } from './state-codec.js';

const T = 1_700_000_000_000;
const b64 = (s: string) => Buffer.from(s).toString('base64');
const w = (chunkId: number, length: number, version = 1, replicaIds = ['n1', 'n2']): WrittenExtent => ({ extent: { chunkId, version, chunkOffset: 0, length }, replicaIds });
type Cmd<K extends Command['op']> = Extract<Command, { op: K }>;

const mkdir = (path: string, parents = false): Cmd<'mkdir'> => ({ op: 'mkdir', path, parents, mode: 0o750, uid: 7, gid: 8, now: T });
const create = (path: string, extra: Partial<Cmd<'create'>> = {}): Cmd<'create'> => ({ op: 'create', path, exclusive: false, parents: false, mode: 0o600, uid: 1, gid: 2, now: T, ...extra });
const commit = (path: string, extents: WrittenExtent[], extra: Partial<Cmd<'commit'>> = {}): Cmd<'commit'> => ({
  op: 'commit', path, mode: 'replace', offset: 0, length: totalLength(extents.map((x) => x.extent)), etag: 'e', create: true, exclusive: false, ifMatch: '',
  setXattrs: false, modeBits: 0o644, parents: false, now: T, extents, ...extra,
});
const part = (uploadId: string, partNumber: number, extents: WrittenExtent[]): Cmd<'upload_part'> => ({
  op: 'upload_part', uploadId, partNumber, extents, size: totalLength(extents.map((x) => x.extent)), etag: `p${partNumber}`, now: T + partNumber,
});

/** Applies commands in order, each at the next index; any refusal fails the test. */
class Builder {
  readonly fsm = new Fsm();
  #chunk = 1;
  apply(cmd: Command): unknown {
    return this.fsm.apply(cmd, this.fsm.appliedIndex + 1);
  }
  /** A fresh chunk id (the builder reserves ids as it goes). */
  chunk(): number {
    const id = this.#chunk++;
    if (id >= this.fsm.chunkIdLimit) this.apply({ op: 'reserve_ids', upTo: id + 100_000 });
    return id;
  }
}

// Names whose UTF-16 order differs from their UTF-8 byte order (a surrogate pair against U+E000..U+FFFF),
// and some that stress JSON escaping.
const AWKWARD = ['\u{1F600}-smile', '\uFFFD-replacement', '\uE000-private', 'zz', 'Ångström', '日本語のファイル', 'tab\there', 'quote"back\\slash', 'nl\nname', 'ключ', '\u{10FFFF}', 'ctl\u0001\u001f\u2028'];

/**
 * A state with a bit of everything, built by commands: nested directories (names in several scripts),
 * files over chunks (replaced, written at offsets, truncated to holes), symlinks, empty files and
 * directories, garbage, renames and deletes, multipart uploads, access keys, draining nodes, extra
 * replicas — and, unless `small`, a directory of more than ENTRIES_PER_LINE entries and a file of more
 * than EXTENTS_PER_LINE extents.
 */
function realistic(small = false): Fsm {
  const b = new Builder();
  b.apply({ op: 'init', clusterId: 'cluster-ünïcode-\u{1F4BE}' });
  b.apply(mkdir('/données/日本語/\u{1F600}', true));
  b.apply(mkdir('/empty-dir'));
  b.apply(mkdir('/awkward'));
  for (const name of AWKWARD) b.apply(commit(`/awkward/${name}`, [w(b.chunk(), 10 + name.length)], { etag: `etag-${name}` }));
  b.apply(commit('/données/日本語/\u{1F600}/fichier', [w(b.chunk(), 4096), w(b.chunk(), 100)], { setXattrs: true, xattrs: { 'user.ключ': b64('значение'), 'user.emoji': b64('\u{1F600}') } }));
  b.apply(commit('/r', [w(b.chunk(), 100)]));
  b.apply(commit('/r', [w(b.chunk(), 50)])); // the first chunk of /r is garbage now
  b.apply(commit('/r', [w(b.chunk(), 30)], { mode: 'write_at', offset: 200, etag: '', create: false })); // a hole at 50..200
  b.apply({ op: 'truncate', path: '/r', size: 500, now: T });
  b.apply(create('/empty'));
  b.apply(create('/link-\u00e9', { target: '/données/日本語' }));
  b.apply({ op: 'setattr', path: '/empty', now: T + 5, mode: 0o4755, setXattrs: { 'user.a': b64('1') } });
  b.apply(mkdir('/gone/deeper', true));
  b.apply(commit('/gone/deeper/x', [w(b.chunk(), 10)]));
  b.apply({ op: 'delete', path: '/gone', recursive: true, now: T + 9 }); // more garbage
  b.apply(commit('/moved-from', [w(b.chunk(), 10)]));
  b.apply({ op: 'rename', from: '/moved-from', to: '/données/moved-tö', noReplace: false, now: T + 10 });
  // Uploads: one with many parts (one replaced), one with none, one completed, one aborted.
  b.apply({ op: 'upload_create', uploadId: 'u-many', path: '/bucket/big.bin', xattrs: { 'content-type': b64('application/octet-stream') }, now: T });
  for (let p = 1; p <= 40; p++) b.apply(part('u-many', p, [w(b.chunk(), 1000 + p)]));
  b.apply(part('u-many', 3, [w(b.chunk(), 7)]));
  b.apply({ op: 'upload_create', uploadId: 'u-empty-日本', path: '/bucket/ключ', xattrs: {}, now: T });
  b.apply({ op: 'upload_create', uploadId: 'u-done', path: '/bucket/done', xattrs: {}, now: T });
  b.apply(part('u-done', 1, [w(b.chunk(), 10)]));
  b.apply(part('u-done', 2, [w(b.chunk(), 10)]));
  b.apply({ op: 'upload_complete', uploadId: 'u-done', partNumbers: [1, 2], etag: 'mp-2', ifMatch: '', exclusive: false, now: T });
  b.apply({ op: 'upload_create', uploadId: 'u-abort', path: '/bucket/ab', xattrs: {}, now: T });
  b.apply(part('u-abort', 1, [w(b.chunk(), 10)]));
  b.apply({ op: 'upload_abort', uploadId: 'u-abort', now: T });
  b.apply({ op: 'key_create', accessKeyId: 'AK1', secretKey: 'secret-1', buckets: ['bucket'], readOnly: false, description: 'clé', now: T });
  b.apply({ op: 'key_create', accessKeyId: 'AK2', secretKey: 'secret-2', buckets: [], readOnly: true, description: '', now: T });
  b.apply({ op: 'node_drain', nodeId: 'n9', draining: true });
  b.apply({ op: 'node_drain', nodeId: 'n-ü', draining: true });
  b.apply({ op: 'replica_add', chunkId: 1, version: 1, nodeId: 'n3' });
  if (!small) {
    // A directory of more entries than one line holds, names in several scripts, in no particular order.
    b.apply(mkdir('/big'));
    const n = ENTRIES_PER_LINE * 2 + 345;
    for (let i = 0; i < n; i++) {
      const name = `${(i * 7919) % n}-${['a', 'é', '日', '\u{1F600}', '\uFFFD'][i % 5]}`;
      if (i % 10 === 0) b.apply(commit(`/big/${name}`, [w(b.chunk(), 1 + (i % 100))]));
      else b.apply(create(`/big/${name}`));
    }
    // A file of more extents than one line holds (each a separate chunk, so none coalesce).
    const many: WrittenExtent[] = [];
    for (let i = 0; i < EXTENTS_PER_LINE + 2500; i++) many.push(w(b.chunk(), 3));
    b.apply(commit('/fragmented', many));
    b.apply(part('u-many', 41, many.slice(0, 50)));
  }
  return b.fsm;
}

function chunksOf(fsm: Fsm, sliceBytes?: number): Buffer[] {
  return [...encodeStateChunks(fsm, sliceBytes)].map((c) => Buffer.from(c.buffer, c.byteOffset, c.byteLength));
}

async function* from<T>(items: Iterable<T>): AsyncGenerator<T> {
  for (const i of items) yield i;
}

/** `buf` cut into pieces of `size` bytes. */
function rechunk(buf: Buffer, size: number): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < buf.length; i += size) out.push(buf.subarray(i, i + size));
  return out;
}

/** `s` cut into pieces of `size` UTF-16 code units (surrogate pairs split, too). */
function rechunkString(s: string, size: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < s.length; i += size) out.push(s.slice(i, i + size));
  return out;
}

function lines(buf: Buffer): unknown[] {
  const text = buf.toString('utf8');
  assert.ok(text.endsWith('\n'));
  return text.slice(0, -1).split('\n').map((l) => JSON.parse(l) as unknown);
}

const rejectsDecode = (p: Promise<unknown>, re: RegExp) => assert.rejects(p, (e: unknown) => e instanceof SnapshotDecodeError && e instanceof Error && re.test(e.message), `expected a SnapshotDecodeError matching ${re}`);

const ms = (x: number) => `${x.toFixed(1)} ms`;

/** A full garbage collection, where the runtime lets us have one (node's gc, exposed at run time). */
function fullGc(): void {
  try {
    v8.setFlagsFromString('--expose-gc');
    (vm.runInNewContext('gc') as () => void)();
  } catch {
    // Not available: the measurement just includes whatever collection comes due.
  }
}

describe('master state codec: v2 snapshots in slices', () => {
  let big: Fsm;
  let small: Fsm;
  before(() => {
    big = realistic();
    small = realistic(true);
  });

  it('the realistic state has what the cases below assume', () => {
    assert.ok(big.dirs.get(big.resolve('/big').id)!.size > 2 * ENTRIES_PER_LINE);
    assert.ok(big.resolve('/fragmented').extents!.length > EXTENTS_PER_LINE);
    assert.ok(big.garbage.size >= 3);
    assert.equal(big.uploads.size, 2);
    assert.equal(big.uploads.get('u-many')!.parts.size, 41);
    assert.equal(big.keys.size, 2);
    assert.equal(big.draining.size, 2);
    assert.deepEqual(big.chunks.get(1)!.replicas, ['n1', 'n2', 'n3']);
    assert.equal(big.resolve('/r').extents!.some((e) => e.chunkId === 0), true, 'a hole');
    // UTF-8 order, not UTF-16: the surrogate pair sorts after U+FFFD.
    const names = big.list('/awkward', 100, '').entries.map(([n]) => n);
    assert.ok(names.indexOf('\u{1F600}-smile') > names.indexOf('\uFFFD-replacement'));
  });

  it('round-trips: the decoded state encodes to exactly the original bytes, and works on', async () => {
    const before = encodeState(big);
    const decoded = await decodeStateStream(from(encodeStateChunks(big)));
    assert.equal(encodeState(decoded), before);
    assert.equal(encodeState(big), before, 'encoding changed the state');
    // A live state machine: sorted listings with the UTF-8 comparator, and later commands apply alike.
    assert.deepEqual(decoded.list('/big', 50, '5-').entries.map(([n]) => n), big.list('/big', 50, '5-').entries.map(([n]) => n));
    assert.deepEqual(decoded.list('/awkward', 100, '').entries.map(([n]) => n), big.list('/awkward', 100, '').entries.map(([n]) => n));
    const later: Command[] = [
      create('/big/\u{1F601}-new'),
      { op: 'upload_complete', uploadId: 'u-many', partNumbers: [1, 2, 3, 41], etag: 'mp', ifMatch: '', exclusive: false, now: T + 99 },
      { op: 'delete', path: '/big', recursive: true, now: T + 100 },
    ];
    for (const c of later) {
      big.apply(c, big.appliedIndex + 1);
      decoded.apply(c, decoded.appliedIndex + 1);
    }
    assert.equal(encodeState(decoded), encodeState(big));
    big = realistic(); // restore the shared fixture
  });

  it('yields chunks of exactly sliceBytes (the last shorter), each line complete JSON once joined', () => {
    for (const slice of [1 << 20, 64 << 10, 4096, 1000]) {
      const chunks = chunksOf(big, slice);
      assert.ok(chunks.length >= 2, `${slice}: several chunks`);
      chunks.forEach((c, i) => {
        assert.ok(c.length <= 2 * slice, `${slice}: chunk ${i} has ${c.length} bytes`);
        if (i < chunks.length - 1) assert.equal(c.length, slice, `${slice}: chunk ${i} is not full`);
        else assert.ok(c.length > 0 && c.length <= slice);
      });
    }
    const all = lines(Buffer.concat(chunksOf(big, 4096)));
    assert.deepEqual(all[0], { v: 2, clusterId: big.clusterId, nextInodeId: big.nextInodeId, chunkIdLimit: big.chunkIdLimit, appliedIndex: big.appliedIndex });
    const tags = all.slice(1).map((l) => (l as [string])[0]);
    const bigDir = big.resolve('/big').id;
    assert.equal(all.filter((l) => (l as unknown[])[0] === 'd' && (l as unknown[])[1] === bigDir).length, 3, 'the big directory on three lines');
    assert.ok(all.every((l) => (l as unknown[])[0] !== 'd' || ((l as unknown[])[2] as unknown[]).length <= ENTRIES_PER_LINE));
    assert.equal(tags.filter((t) => t === 'x').length, 2, 'the fragmented file\'s extents on two lines');
    assert.equal(tags.at(-1), 'end');
    assert.deepEqual([...new Set(tags)], ['i', 'x', 'd', 'c', 'g', 'u', 'p', 'k', 'n', 'end']);
    const end = all.at(-1) as [string, Record<string, number>];
    assert.equal(end[1].inodes, big.inodes.size);
    assert.equal(end[1].lines, all.length - 1);
  });

  it('decodes the stream cut at every odd boundary: 1- and 7-byte chunks, 1- and 7-character strings, a Readable', async () => {
    const want = encodeState(small);
    const whole = Buffer.concat(chunksOf(small, 333));
    assert.ok(whole.some((b) => b >= 0xf0) && whole.some((b) => b >= 0xc0 && b < 0xe0), 'the stream has 2- and 4-byte UTF-8 sequences');
    for (const size of [1, 2, 3, 7, 1000]) {
      assert.equal(encodeState(await decodeStateStream(from(rechunk(whole, size)))), want, `${size}-byte chunks`);
    }
    const text = whole.toString('utf8');
    assert.ok(/[\ud800-\udbff]/.test(text), 'the stream has surrogate pairs to split');
    for (const size of [1, 7]) {
      assert.equal(encodeState(await decodeStateStream(from(rechunkString(text, size)))), want, `${size}-character strings`);
    }
    // Bytes and strings mixed, cut at line boundaries.
    const mixed = text.split(/(?<=\n)/).map((l, i) => (i % 2 ? l : Buffer.from(l)));
    assert.equal(encodeState(await decodeStateStream(from(mixed))), want, 'mixed');
    // What the Raft node hands to restore(): a Readable over the snapshot file.
    assert.equal(encodeState(await decodeStateStream(Readable.from(rechunk(whole, 7)))), want, 'a Readable');
    // decodeState reads a whole v2 stream held in a string, too.
    assert.equal(encodeState(decodeState(text)), want);
  });

  it('rejects a truncated stream: the last chunk dropped, a cut anywhere, a line missing', async () => {
    const chunks = chunksOf(big, 64 << 10);
    await rejectsDecode(decodeStateStream(from(chunks.slice(0, -1))), /truncated/);
    const whole = Buffer.concat(chunksOf(small, 1 << 20));
    // Every strict prefix, cut at line ends (no end line), mid-line, mid-UTF-8 sequence, or with the
    // end line present but its newline missing.
    const ends = [...whole.entries()].filter(([, b]) => b === 0x0a).map(([i]) => i + 1);
    const cuts = new Set<number>([...ends.slice(0, -1), whole.length - 1, whole.length - 2]);
    for (let i = 1; i < whole.length; i += 53) cuts.add(i);
    for (let i = 0; i < whole.length; i++) if (whole[i]! >= 0xc0) cuts.add(i + 1); // inside a multi-byte sequence
    for (const cut of cuts) {
      assert.ok(cut > 0 && cut < whole.length);
      await assert.rejects(decodeStateStream(from(rechunk(whole.subarray(0, cut), 97))), SnapshotDecodeError, `cut at ${cut} of ${whole.length}`);
    }
    await rejectsDecode(decodeStateStream(from([])), /empty/);
    // A whole line lost in the middle: the counts in the end line give it away.
    const text = whole.toString('utf8').split('\n');
    for (const tag of ['i', 'd', 'c', 'g', 'p', 'k', 'n']) {
      const at = text.findIndex((l) => l.startsWith(`["${tag}",`));
      assert.ok(at > 0, tag);
      const dropped = [...text.slice(0, at), ...text.slice(at + 1)].join('\n');
      await rejectsDecode(decodeStateStream(from([dropped])), /counts differ/);
    }
  });

  it('rejects an unknown version, malformed lines, bad UTF-8 and trailing content', async () => {
    const text = Buffer.concat(chunksOf(small)).toString('utf8');
    const lns = text.split('\n');
    const withLine = (i: number, l: string) => [...lns.slice(0, i), l, ...lns.slice(i + 1)].join('\n');
    await rejectsDecode(decodeStateStream(from([text.replace('{"v":2,', '{"v":3,')])), /unknown snapshot version 3/);
    await rejectsDecode(decodeStateStream(from([encodeState(small).replace('{"v":1,', '{"v":"x",')])), /unknown snapshot version "x"/);
    await rejectsDecode(decodeStateStream(from(['["i",{}]\n'])), /line 1: not a snapshot header/);
    await rejectsDecode(decodeStateStream(from([withLine(3, '["i",{"id":')])), /line 4: not JSON/);
    await rejectsDecode(decodeStateStream(from([withLine(3, '["q",1]')])), /line 4: unknown record type "q"/);
    await rejectsDecode(decodeStateStream(from([withLine(3, '{"id":1}')])), /line 4: not a record/);
    await rejectsDecode(decodeStateStream(from([withLine(3, '')])), /line 4: not JSON/);
    await rejectsDecode(decodeStateStream(from([withLine(3, lns[2]!)])), /appears twice/);
    await rejectsDecode(decodeStateStream(from([text.replace(/\["c",(\d+),\{/, '["c","$1",{')])), /malformed chunk record/);
    await rejectsDecode(decodeStateStream(from([text.replace('{"v":2,"clusterId":', '{"v":2,"clusterID":')])), /malformed v2 header/);
    // Directory entries out of (UTF-8) order.
    const di = lns.findIndex((l) => l.startsWith('["d",') && l.includes('\u{1F600}-smile'));
    const [tag, id, entries] = JSON.parse(lns[di]!) as [string, number, Array<[string, number]>];
    await rejectsDecode(decodeStateStream(from([withLine(di, JSON.stringify([tag, id, [...entries].reverse()]))])), /out of order/);
    // Bytes that are not UTF-8, and a sequence cut short at the very end.
    const bad = Buffer.from(text);
    bad[bad.indexOf('"cluster-') + 3] = 0xff;
    await rejectsDecode(decodeStateStream(from([bad])), /not valid UTF-8/);
    await rejectsDecode(decodeStateStream(from([Buffer.from(text), Buffer.from([0xe6, 0x97])])), /not valid UTF-8/);
    await rejectsDecode(decodeStateStream(from([text, 'more'])), /after the end/);
    await rejectsDecode(decodeStateStream(from([encodeState(small), '\n{}'])), /after the end/);
    await rejectsDecode(decodeStateStream(from(['{"v":1}'])), /malformed v1 snapshot/);
  });

  it('carries the remembered session answers, in order, and a stream without them (written before) still decodes', async () => {
    const fsm = new Fsm();
    fsm.apply({ op: 'init', clusterId: 'c' }, 1);
    fsm.rememberSession('client-a:1:0', { ok: { id: 7, path: '/é' } });
    fsm.rememberSession('client-a:2:0', { err: { code: 'not_found', message: 'no such directory' } });
    const decoded = await decodeStateStream(Readable.from([...encodeStateChunks(fsm, 16)]));
    assert.deepEqual([...decoded.sessions], [...fsm.sessions]);
    // The end line of an older stream has no "sessions" count: read as none.
    const plain = new Fsm();
    plain.apply({ op: 'init', clusterId: 'c' }, 1);
    const text = Buffer.concat([...encodeStateChunks(plain)]).toString('utf8').replace(/,"sessions":0/, '');
    assert.equal((await decodeStateStream(Readable.from([text]))).sessions.size, 0);
  });

  it('reads the old v1 document (a single JSON string), whole or in pieces', async () => {
    const v1 = encodeState(big);
    assert.ok(v1.startsWith('{"v":1,') && !v1.includes('\n'));
    assert.equal(encodeState(await decodeStateStream(from([v1]))), v1);
    assert.equal(encodeState(await decodeStateStream(from(rechunk(Buffer.from(v1), 65536)))), v1);
    assert.equal(encodeState(await decodeStateStream(from([v1, '\n']))), v1, 'with a trailing newline');
    assert.equal(encodeState(await decodeStateStream(Readable.from([Buffer.from(v1)]))), v1);
    assert.equal(encodeState(decodeState(v1)), v1);
    // v1 → v2 → state: the same again.
    assert.equal(encodeState(await decodeStateStream(from(encodeStateChunks(decodeState(v1), 4096)))), v1);
  });

  it('refuses to go on when the state changes between chunks', () => {
    const fsm = realistic(true);
    const gen = encodeStateChunks(fsm, 256);
    gen.next();
    fsm.apply(mkdir('/sneaky'), fsm.appliedIndex + 1);
    assert.throws(() => gen.next(), /state changed/);
    assert.throws(() => encodeStateChunks(fsm, 0).next(), RangeError);
  });

  it('200 000 inodes come out in bounded slices, one step per slice (step times printed)', async function () {
    this.timeout(300_000);
    const b = new Builder();
    b.apply({ op: 'init', clusterId: 'big' });
    const dirs = 20;
    const per = 10_000;
    let t0 = performance.now();
    for (let d = 0; d < dirs; d++) {
      b.apply(mkdir(`/bucket-${d}`));
      for (let i = 0; i < per; i++) {
        const path = `/bucket-${d}/obj-${i.toString(36)}-${i % 3 === 0 ? 'é' : 'x'}`;
        if (i % 4 === 0) b.apply(create(path));
        else b.apply(commit(path, [w(b.chunk(), 4096)], { etag: `etag-${d}-${i}` }));
      }
    }
    const fsm = b.fsm;
    const buildMs = performance.now() - t0;
    assert.ok(fsm.inodes.size > 200_000);

    // Settle the heap first, so that the figure is the generator's own work rather than the major GC
    // that building 200 000 inodes has made due (it would land in whichever step came first).
    // The step times are printed, not asserted (a shared machine's timings are no verdict; bench/
    // measures): what is asserted is the shape — the state comes out in many bounded slices.
    const runs: Array<{ maxStep: number; median: number; total: number; count: number; bytes: number }> = [];
    for (let attempt = 0; attempt < 1; attempt++) {
      fullGc();
      const steps: number[] = [];
      let bytes = 0;
      let count = 0;
      const gen = encodeStateChunks(fsm);
      for (;;) {
        const s = performance.now();
        const r = gen.next();
        steps.push(performance.now() - s);
        if (r.done) break;
        // As the Raft node does: the chunk goes to disk (here: nowhere), then the event loop gets a turn.
        assert.ok(r.value.byteLength <= 1 << 20);
        bytes += r.value.byteLength;
        count++;
        await new Promise((res) => setImmediate(res));
      }
      const sorted = [...steps].sort((x, y) => x - y);
      runs.push({ maxStep: sorted.at(-1)!, median: sorted[sorted.length >> 1]!, total: steps.reduce((x, y) => x + y, 0), count, bytes });
    }
    const best = runs.reduce((x, y) => (y.maxStep < x.maxStep ? y : x));

    fullGc();
    t0 = performance.now();
    const v1 = encodeState(fsm);
    const v1Ms = performance.now() - t0;

    const all = [...encodeStateChunks(fsm)];
    t0 = performance.now();
    const decoded = await decodeStateStream(Readable.from(all));
    const decodeMs = performance.now() - t0;
    t0 = performance.now();
    decodeState(v1);
    const v1DecodeMs = performance.now() - t0;

    console.log(`      ${fsm.inodes.size} inodes, ${fsm.chunks.size} chunks (built in ${ms(buildMs)})`);
    console.log(`      encodeState (v1, one synchronous step): ${ms(v1Ms)}, ${(v1.length / 1e6).toFixed(1)} MB`);
    for (const r of runs) {
      console.log(`      encodeStateChunks (v2, 1 MiB slices): ${r.count} chunks, ${(r.bytes / 1e6).toFixed(1)} MB; steps: largest ${ms(r.maxStep)}, median ${ms(r.median)}, all ${ms(r.total)}`);
    }
    console.log(`      decodeStateStream (v2, from a Readable): ${ms(decodeMs)}; decodeState (v1): ${ms(v1DecodeMs)}`);
    assert.ok(best.count >= Math.floor(best.bytes / (1 << 20)), `${best.count} slices for ${best.bytes} bytes: every step yields at most one slice`);
    assert.equal(encodeState(decoded), v1);
  });
});
