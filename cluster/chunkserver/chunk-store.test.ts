// ChunkStore on a real temp dir: byte-exact round trips at the block edges, ranged reads, checksum
// verification of corrupted files, atomic publication, restart, limits and space accounting.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { GodfsError } from '../../common/errors.js';
import { BLOCK_SIZE, chunkPath } from '../../common/chunk-format.js';
import { ChunkStore } from './chunk-store.js';
import { KiB, MiB, TempDirs, collect, flipByte, pieces } from '../../test/chunkserver.js';

describe('chunk store', function () {
  this.timeout(30_000);
  const dirs = new TempDirs();
  let dir: string;
  let store: ChunkStore;
  beforeEach(async () => {
    dir = await dirs.make();
    store = await ChunkStore.open(dir);
  });
  afterEach(async () => {
    await store.close();
    await dirs.cleanup();
  });

  for (const size of [0, 1, BLOCK_SIZE - 1, BLOCK_SIZE, BLOCK_SIZE + 1, 5 * MiB + 3]) {
    it(`round-trips ${size} bytes byte-exact and survives a reopen`, async () => {
      const data = randomBytes(size);
      // Odd piece sizes so block boundaries fall inside pieces.
      const info = await store.write(size + 1, 7, pieces(data, 10_007));
      assert.deepEqual(info, { id: size + 1, version: 7, size });
      assert.ok((await collect(store.read(size + 1))).equals(data));
      await store.close();
      store = await ChunkStore.open(dir);
      assert.deepEqual(store.stat(size + 1), { id: size + 1, version: 7, size });
      assert.ok((await collect(store.read(size + 1))).equals(data));
    });
  }

  it('serves ranged reads across block boundaries byte-exact', async () => {
    const data = randomBytes(3 * BLOCK_SIZE + 100);
    await store.write(42, 1, pieces(data, 64 * KiB));
    const ranges: Array<[number, number]> = [
      [0, 0], [0, 1], [BLOCK_SIZE - 1, 2], [BLOCK_SIZE, BLOCK_SIZE], [BLOCK_SIZE - 5, 2 * BLOCK_SIZE + 10],
      [3 * BLOCK_SIZE, 100], [3 * BLOCK_SIZE + 99, 1], [data.length, 0], [17, data.length - 17],
    ];
    for (const [off, len] of ranges) {
      assert.ok((await collect(store.read(42, off, len))).equals(data.subarray(off, off + len)), `range ${off}+${len}`);
    }
    assert.ok((await collect(store.read(42, BLOCK_SIZE + 3))).equals(data.subarray(BLOCK_SIZE + 3)), 'offset to the end');
    assert.throws(() => store.read(42, data.length + 1), { code: 'invalid_range' });
    assert.throws(() => store.read(42, 10, data.length), { code: 'invalid_range' });
    assert.throws(() => store.read(43), { code: 'not_found' });
  });

  it('a flipped byte fails the read with checksum_mismatch and only verified bytes come out', async () => {
    const data = randomBytes(40 * BLOCK_SIZE);
    await store.write(9, 1, pieces(data, MiB));
    const bad = 25 * BLOCK_SIZE + 1234; // in the second 1 MiB read batch
    await flipByte(chunkPath(join(dir, 'chunks'), 9), bad);
    const got: Buffer[] = [];
    await assert.rejects(
      (async () => {
        for await (const b of store.read(9)) got.push(b);
      })(),
      { code: 'checksum_mismatch' },
    );
    const out = Buffer.concat(got);
    assert.equal(out.length, 25 * BLOCK_SIZE, 'everything before the bad block, nothing of it');
    assert.ok(out.equals(data.subarray(0, out.length)));
    // Reads that do not touch the bad block still succeed; one inside it fails before any byte.
    assert.ok((await collect(store.read(9, 26 * BLOCK_SIZE, BLOCK_SIZE))).equals(data.subarray(26 * BLOCK_SIZE, 27 * BLOCK_SIZE)));
    const it = store.read(9, bad - 10, 20);
    await assert.rejects(it.next(), { code: 'checksum_mismatch' });
    assert.equal(store.checksumFailures, 2);
  });

  it('a corrupt CRC table is caught too (and a corrupt footer drops the replica at load)', async () => {
    const data = randomBytes(2 * BLOCK_SIZE);
    await store.write(5, 1, [data]);
    await store.write(6, 1, [data]);
    const p5 = chunkPath(join(dir, 'chunks'), 5);
    await flipByte(p5, data.length + 5); // second block's CRC
    await assert.rejects(collect(store.read(5)), { code: 'checksum_mismatch' });
    await store.close();
    store = await ChunkStore.open(dir);
    assert.equal(store.has(5), false, 'footer CRC no longer matches: replica dropped');
    await assert.rejects(stat(p5), { code: 'ENOENT' });
    assert.ok((await collect(store.read(6))).equals(data));
  });

  it('refuses a second write of a complete chunk, and concurrent writes of one id', async () => {
    await store.write(1, 1, [Buffer.from('a')]);
    await assert.rejects(store.write(1, 1, [Buffer.from('b')]), { code: 'already_exists' });
    const w = await store.createWriter(2, 1);
    await assert.rejects(store.createWriter(2, 1), { code: 'conflict' });
    await w.abort();
    // Re-replication may replace a stale (lower-version) replica, never a current one.
    await store.write(1, 3, [Buffer.from('new')], { replace: true });
    assert.deepEqual(store.stat(1), { id: 1, version: 3, size: 3 });
    assert.equal((await collect(store.read(1))).toString(), 'new');
    await assert.rejects(store.write(1, 2, [Buffer.from('old')], { replace: true }), { code: 'already_exists' });
  });

  it('publishes nothing until commit; abort leaves no file behind', async () => {
    const w = await store.createWriter(77, 1);
    await w.write(randomBytes(3 * BLOCK_SIZE));
    await w.prepare();
    assert.equal(store.has(77), false);
    assert.equal((await readdir(join(dir, 'tmp'))).length, 1);
    await w.abort();
    assert.equal(store.has(77), false);
    assert.deepEqual(await readdir(join(dir, 'tmp')), []);
    await assert.rejects(stat(chunkPath(join(dir, 'chunks'), 77)), { code: 'ENOENT' });
  });

  it('clears leftover temp files at startup and ignores stray files', async () => {
    await writeFile(join(dir, 'tmp', '5.deadbeef'), 'half a chunk');
    await store.write(3, 1, [Buffer.from('x')]);
    await writeFile(join(dir, 'chunks', '03', 'notes.txt'), 'hello');
    await store.close();
    store = await ChunkStore.open(dir);
    assert.deepEqual(await readdir(join(dir, 'tmp')), []);
    assert.deepEqual(store.list(), [{ id: 3, version: 1, size: 1 }]);
  });

  it('enforces the maximum chunk size as too_large', async () => {
    await store.close();
    store = await ChunkStore.open(dir, { maxChunkSize: 100 * KiB });
    await assert.rejects(store.write(1, 1, pieces(randomBytes(100 * KiB + 1), 4096)), { code: 'too_large' });
    await assert.rejects(store.createWriter(1, 1, { expectedSize: 100 * KiB + 1 }), { code: 'too_large' });
    assert.equal(store.has(1), false);
    assert.deepEqual(await readdir(join(dir, 'tmp')), []);
    await store.write(1, 1, [randomBytes(100 * KiB)]);
    assert.equal(store.stat(1)?.size, 100 * KiB);
  });

  it('accounts space against the capacity quota: no_space past it', async () => {
    await store.close();
    store = await ChunkStore.open(dir, { capacityBytes: 300 * KiB });
    const before = await store.space();
    assert.equal(before.capacity, 300 * KiB);
    assert.equal(before.used, 0);
    assert.equal(before.free, 300 * KiB);
    await store.write(1, 1, [randomBytes(200 * KiB)]);
    const after = await store.space();
    assert.ok(after.used > 200 * KiB && after.used < 201 * KiB, `used ${after.used}`);
    assert.equal(after.free, 300 * KiB - after.used);
    await assert.rejects(store.createWriter(2, 1, { expectedSize: 150 * KiB }), { code: 'no_space' });
    await assert.rejects(store.write(2, 1, pieces(randomBytes(150 * KiB), 8 * KiB)), (e: unknown) => e instanceof GodfsError && e.code === 'no_space');
    assert.deepEqual(await readdir(join(dir, 'tmp')), []);
    assert.equal(await store.delete(1), true);
    assert.equal(await store.delete(1), false);
    assert.equal((await store.space()).free, 300 * KiB);
    await store.write(2, 1, [randomBytes(150 * KiB)]);
  });

  it('reports disk capacity and free space from statfs without a quota', async () => {
    const s = await store.space();
    assert.ok(s.capacity > 0 && s.free > 0 && s.free <= s.capacity);
  });

  it('a read in progress survives a delete of its chunk', async () => {
    const data = randomBytes(3 * MiB);
    await store.write(8, 1, [data]);
    const it = store.read(8);
    const first = await it.next();
    assert.equal(await store.delete(8), true);
    const rest = await collect({ [Symbol.asyncIterator]: () => it });
    assert.ok(Buffer.concat([first.value as Buffer, rest]).equals(data));
  });
});
