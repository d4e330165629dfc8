// Unit tests of the mount's pure parts: write coalescing, read-ahead windows, the memory budget, the
// attribute cache's staleness guard, xattr name mapping and errno mapping.
import assert from 'node:assert/strict';
import { GodfsError } from '../common/errors.js';
import { AttrCache } from './attr-cache.js';
import { DirtyRanges } from './dirty-ranges.js';
import { errnoOf, E } from './errno.js';
import { MemoryBudget } from './memory-budget.js';
import { ReadAhead } from './read-ahead.js';
import { listedNames, parseXattrName } from './xattr-names.js';
import type { FileInfo } from '../sdk/types.js';

/** Applies the runs of a DirtyRanges to a plain buffer: what the cluster would hold after a flush. */
function apply(base: Buffer, d: DirtyRanges): Buffer {
  let out = Buffer.from(base);
  for (const r of d.take()) {
    const data = Buffer.concat(r.parts);
    assert.equal(data.length, r.length);
    if (r.off + r.length > out.length) out = Buffer.concat([out, Buffer.alloc(r.off + r.length - out.length)]);
    data.copy(out, r.off);
  }
  return out;
}

describe('fuse units', function () {
  it('DirtyRanges coalesces sequential writes into one run and lets later writes win', function () {
    const d = new DirtyRanges();
    for (let i = 0; i < 8; i++) d.add(i * 4, Buffer.alloc(4, 0x30 + i));
    assert.equal(d.bytes, 32);
    const runs = d.take();
    assert.equal(runs.length, 1);
    assert.equal(runs[0]!.length, 32);
    // Random overlapping writes against a reference model.
    let seed = 7;
    const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) >>> 0) % n);
    for (let round = 0; round < 200; round++) {
      const model = Buffer.alloc(256);
      const dr = new DirtyRanges();
      let held = 0;
      for (let k = 0; k < 12; k++) {
        const off = rnd(200);
        const len = 1 + rnd(56);
        const b = Buffer.alloc(len, 1 + rnd(250));
        held += len - dr.add(off, b);
        b.copy(model, off);
        assert.equal(dr.bytes, held);
      }
      const end = dr.end;
      const got = apply(Buffer.alloc(256), dr);
      assert.deepEqual(got.subarray(0, end), model.subarray(0, end));
    }
  });

  it('DirtyRanges.truncate drops bytes past the cut', function () {
    const d = new DirtyRanges();
    d.add(0, Buffer.from('abcdef'));
    d.add(10, Buffer.from('xyz'));
    assert.equal(d.truncate(4), 5);
    assert.equal(d.end, 4);
    assert.ok(d.overlaps(3, 1) && !d.overlaps(4, 10));
  });

  it('ReadAhead serves sequential reads from few large fetches and bypasses random ones', async function () {
    const file = Buffer.alloc(10_000);
    for (let i = 0; i < file.length; i++) file[i] = i % 251;
    const fetches: Array<[number, number]> = [];
    const budget = new MemoryBudget(1 << 20);
    const ra = new ReadAhead(async (off, len) => (fetches.push([off, len]), file.subarray(off, off + len)), budget, 1024, 2);
    for (let off = 0; off < file.length; off += 100) {
      const got = await ra.read(off, 100);
      assert.deepEqual(got, file.subarray(off, Math.min(off + 100, file.length)));
    }
    assert.ok(fetches.length <= 11, `${fetches.length} fetches`);
    assert.equal(await ra.read(9000 - 5000, 10).then(() => 'x'), 'x');
    const far = new ReadAhead(async () => Buffer.alloc(0), budget, 1024, 2);
    assert.equal(await far.read(5000, 10), undefined, 'a first read in the middle is not sequential');
    ra.reset();
    far.reset();
    assert.equal(budget.used, 0, 'windows give their memory back');
  });

  it('MemoryBudget makes writers wait and asks for a flush', async function () {
    const b = new MemoryBudget(100);
    let pressure = 0;
    b.onPressure = () => void pressure++;
    await b.acquire(80);
    let got = false;
    const p = b.acquire(40).then(() => (got = true));
    await new Promise((r) => setImmediate(r));
    assert.equal(got, false);
    assert.ok(pressure > 0);
    b.release(80);
    await p;
    assert.equal(b.used, 40);
    assert.equal(b.tryAcquireRead(60), false, 'reads take at most their share');
  });

  it('AttrCache does not cache an answer that predates this mount\'s change', function () {
    const cache = new AttrCache({ attrTtlMs: 10_000, entryTtlMs: 10_000, maxEntries: 3 });
    const info = { path: '/a' } as FileInfo;
    const since = cache.stamp();
    cache.invalidate('/a');
    cache.set('/a', info, since);
    assert.equal(cache.get('/a'), undefined);
    cache.set('/a', info, cache.stamp());
    assert.equal(cache.get('/a'), info);
    cache.setMissing('/b');
    assert.equal(cache.get('/b'), null);
    for (const p of ['/c', '/d', '/e']) cache.set(p, info);
    assert.equal(cache.size, 3, 'bounded');
    cache.invalidateTree('/');
    assert.equal(cache.size, 0);
  });

  it('maps xattr names and errors', function () {
    assert.deepEqual(parseXattrName('user.color'), { kind: 'user', key: 'x-amz-meta-color' });
    assert.deepEqual(parseXattrName('godfs.content-type'), { kind: 'godfs', key: 'content-type' });
    assert.deepEqual(parseXattrName('security.capability'), { kind: 'unsupported' });
    assert.deepEqual(listedNames({ 'x-amz-meta-b': Buffer.from('1'), 'content-type': Buffer.from('t'), 'x-amz-meta-a': Buffer.from('2') }), ['user.a', 'user.b']);
    assert.equal(errnoOf(new GodfsError('not_empty')), E.ENOTEMPTY);
    assert.equal(errnoOf(new GodfsError('checksum_mismatch')), E.EIO);
    assert.equal(errnoOf(new GodfsError('permission_denied')), E.EACCES);
    assert.equal(errnoOf(new GodfsError('invalid_path', 'a path segment is longer than 255 bytes')), E.ENAMETOOLONG);
  });
});
