// StreamMd5 (sdk/md5.ts): the digest equals node:crypto's for every size around the inline limit and
// every way of cutting the stream, streams interleave on the shared thread without mixing, the block
// pool's backpressure holds with more streams than blocks, a disposed stream hands its block back, and
// an idle thread exits while an open stream keeps it.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { INLINE_MAX, md5Thread, md5ThreadRunning, StreamMd5 } from './md5.js';
import { patternSlice } from '../test/data.js';
import { eventually, timePassed } from '../test/eventually.js';

const KiB = 1024;
const MiB = 1024 * KiB;

const md5Of = (b: Uint8Array) => createHash('md5').update(b).digest('hex');

async function hashInPieces(data: Buffer, piece: number): Promise<string> {
  const h = new StreamMd5();
  for (let at = 0; at < data.length; at += piece) await h.update(data.subarray(at, at + piece));
  return h.digest();
}

describe('StreamMd5', function () {
  this.timeout(60_000);

  for (const size of [0, 1, INLINE_MAX - 1, INLINE_MAX, INLINE_MAX + 1, 256 * KiB * 7 + 13, 9 * MiB + 5]) {
    it(`${size} bytes in 64 KiB, odd and whole pieces: the same digest as node:crypto`, async () => {
      const data = patternSlice(size, 0, size);
      const want = md5Of(data);
      assert.equal(await hashInPieces(data, 64 * KiB), want);
      assert.equal(await hashInPieces(data, 65_521), want);
      assert.equal(await hashInPieces(data, Math.max(1, size)), want);
    });
  }

  it('interleaved streams on the shared thread keep their bytes apart', async () => {
    const datas = [3, 5, 7, 11].map((n, i) => patternSlice(100 + i, 0, n * MiB + i));
    const hs = datas.map(() => new StreamMd5());
    const piece = 100_003;
    for (let at = 0; datas.some((d) => at < d.length); at += piece) {
      for (let i = 0; i < datas.length; i++) if (at < datas[i]!.length) await hs[i]!.update(datas[i]!.subarray(at, at + piece));
    }
    const got = await Promise.all(hs.map((h) => h.digest()));
    assert.deepEqual(got, datas.map(md5Of));
  });

  it('more concurrent streams than blocks: each waits for a block and all finish correctly', async () => {
    // 80 streams each holding a part-filled block exceed the 16-block pool; the ones that wait get
    // blocks back as the thread hashes the others' full blocks.
    const datas = Array.from({ length: 80 }, (_, i) => patternSlice(i, 0, 2 * MiB + 1000 * i));
    const got = await Promise.all(datas.map((d) => hashInPieces(d, 300_007)));
    assert.deepEqual(got, datas.map(md5Of));
  });

  it('a disposed stream hands its block back and leaves the thread usable', async () => {
    for (let i = 0; i < 100; i++) {
      const h = new StreamMd5();
      await h.update(patternSlice(i, 0, INLINE_MAX + 5000));
      h.dispose();
      h.dispose();
      assert.throws(() => h.update(Buffer.alloc(1)), /after digest or dispose/);
    }
    // 100 disposed streams each held a block: had they leaked, the 16-block pool would be empty and
    // this stream would wait forever.
    const data = patternSlice(9, 0, 20 * MiB);
    assert.equal(await hashInPieces(data, MiB), md5Of(data));
  });

  describe('an idle thread', () => {
    const saved = md5Thread.idleMs;
    before(() => (md5Thread.idleMs = 100));
    after(() => (md5Thread.idleMs = saved));

    it('exits once no stream is open, and the next large stream starts a new one', async () => {
      const data = patternSlice(5, 0, 3 * MiB);
      assert.equal(await hashInPieces(data, 64 * KiB), md5Of(data));
      await eventually(() => !md5ThreadRunning(), 20_000, 'the idle thread to exit');
      assert.equal(await hashInPieces(data, 100_000), md5Of(data));
      assert.equal(md5ThreadRunning(), true);
    });

    it('stays while a stream is open, however long it waits between pieces', async () => {
      const data = patternSlice(6, 0, 3 * MiB);
      const h = new StreamMd5();
      await h.update(data.subarray(0, 2 * MiB));
      await timePassed(Date.now(), 400); // deliberate: four idle periods (longer only makes the check stricter)
      assert.equal(md5ThreadRunning(), true, 'an open stream keeps its thread');
      await h.update(data.subarray(2 * MiB));
      assert.equal(await h.digest(), md5Of(data));
      await eventually(() => !md5ThreadRunning(), 20_000, 'the idle thread to exit once the stream is done');
    });
  });
});
