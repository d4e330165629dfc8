// Chunkserver rules that keep replicas safe under failures: versions (GFS §4.5: a newer lease supersedes
// an older write, an older one is refused), corrupt replicas (found by reads and the scrubber, reported,
// never silently served), a full disk (a clean no_space naming the node, a "full" report, nothing harmed),
// and pipeline errors that name the replica that failed so the writer can retry without it.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { silentLogger } from '../../common/log.js';
import { chunkPath } from '../../common/chunk-format.js';
import { ChunkStore } from './chunk-store.js';
import { Scrubber } from './scrubber.js';
import { KiB, MiB, Servers, TempDirs, collect, flipByte, pieces, putChunk } from '../../test/chunkserver.js';
import { eventually } from '../../test/eventually.js';

describe('chunkserver replica safety', function () {
  this.timeout(30_000);
  const dirs = new TempDirs();
  const servers = new Servers();
  let store: ChunkStore | undefined;
  afterEach(async () => {
    await store?.close();
    store = undefined;
    await servers.stop();
    await dirs.cleanup();
  });

  it('a newer version supersedes a write in flight; an older one is refused; a newer one replaces', async () => {
    const corrupt: number[] = [];
    store = await ChunkStore.open(await dirs.make(), { onCorrupt: (id) => corrupt.push(id) });
    const old = await store.createWriter(9, 1);
    await old.write(Buffer.alloc(100));
    const fresh = await store.createWriter(9, 2, { replace: true });
    assert.equal(old.state, 'aborted', 'the older attempt was aborted by the new lease');
    await assert.rejects(old.write(Buffer.alloc(1)));
    await assert.rejects(store.createWriter(9, 1, { replace: true }), { code: 'conflict' }, 'a stale lease is refused');
    await fresh.write(Buffer.from('v2'));
    await fresh.finish();
    await assert.rejects(store.write(9, 1, [Buffer.from('old')], { replace: true }), { code: 'already_exists' });
    await store.write(9, 3, [Buffer.from('v3')], { replace: true });
    assert.deepEqual(store.stat(9), { id: 9, version: 3, size: 2 });
    assert.equal((await collect(store.read(9))).toString(), 'v3');
    // The master deletes stale replicas by version: a newer copy that landed since is kept.
    assert.equal(await store.deleteStale(9, 2), false);
    assert.equal(store.has(9), true);
    assert.equal(await store.deleteStale(9, 3), true);
  });

  it('marks a replica corrupt on a failed read, reports it once, and forgets it when deleted', async () => {
    const corrupt: Array<[number, number]> = [];
    const dir = await dirs.make();
    store = await ChunkStore.open(dir, { onCorrupt: (id, v) => corrupt.push([id, v]) });
    await store.write(4, 7, [Buffer.alloc(300 * KiB, 1)]);
    await flipByte(chunkPath(join(dir, 'chunks'), 4), 200 * KiB);
    await assert.rejects(collect(store.read(4)), { code: 'checksum_mismatch' });
    await assert.rejects(collect(store.read(4)), { code: 'checksum_mismatch' });
    assert.deepEqual(corrupt, [[4, 7]]);
    assert.deepEqual(store.corruptList(), [{ id: 4, version: 7, size: 300 * KiB }]);
    // Blocks before the bad one still verify (it may be the last copy of them).
    assert.equal((await collect(store.read(4, 0, 64 * KiB))).length, 64 * KiB);
    assert.equal(await store.delete(4), true);
    assert.deepEqual(store.corruptList(), []);
  });

  it('the scrubber finds a corrupt replica nobody reads, at a bounded rate', async () => {
    const corrupt: number[] = [];
    const dir = await dirs.make();
    store = await ChunkStore.open(dir, { onCorrupt: (id) => corrupt.push(id) });
    for (let id = 1; id <= 8; id++) await store.write(id, 1, [Buffer.alloc(512 * KiB, id)]);
    await flipByte(chunkPath(join(dir, 'chunks'), 6), 10);
    const scrubber = new Scrubber({ store, bytesPerSec: 8 * MiB, passIntervalMs: 60_000, logger: silentLogger });
    const t0 = Date.now();
    scrubber.start();
    await eventually(() => scrubber.stats.passes >= 1, 20_000, 'one scrub pass');
    const ms = Date.now() - t0;
    await scrubber.stop();
    assert.deepEqual(corrupt, [6]);
    assert.equal(scrubber.stats.corruptFound, 1);
    assert.equal(store.bytesRead, 0, 'scrubbing is not counted as bytes served');
    // 4 MiB at 8 MiB/s: about half a second, not as fast as the disk allows.
    assert.ok(ms >= 350, `a pass over 4 MiB at 8 MiB/s took ${ms} ms`);
  });

  it('a full quota is a clean no_space naming the node; it reports itself full; stored chunks are intact', async () => {
    const s = await servers.start({ capacityBytes: 2 * MiB });
    assert.equal((await putChunk(s.address, 1, 1, Buffer.alloc(MiB, 7))).status, 200);
    const r = await putChunk(s.address, 2, 1, pieces(Buffer.alloc(3 * MiB / 2), 64 * KiB));
    assert.equal(r.status, 507);
    assert.deepEqual({ ...(r.json as object), message: '' }, { code: 'no_space', message: '', node: s.address });
    assert.equal((await s.store.space()).free, 0, 'reports itself full after running out');
    assert.ok((await collect(s.store.read(1))).equals(Buffer.alloc(MiB, 7)));
    await s.store.delete(1);
    assert.ok((await s.store.space()).free > 0, 'a delete makes room again');
  });

  it('a pipeline failure names the replica that failed', async () => {
    const [a, b, c] = [await servers.start(), await servers.start(), await servers.start({ capacityBytes: MiB })];
    // The last replica is full: the primary's answer names it.
    const full = await putChunk(a.address, 5, 1, pieces(Buffer.alloc(2 * MiB), 64 * KiB), { chain: [b.address, c.address] });
    assert.equal(full.status, 507);
    assert.equal((full.json as { node: string }).node, c.address);
    // The second replica is down: named by the address the chain used for it.
    const deadAddr = b.address;
    await b.close();
    const down = await putChunk(a.address, 6, 1, Buffer.alloc(MiB), { chain: [deadAddr, c.address] });
    assert.equal(down.status, 503);
    assert.equal((down.json as { node: string }).node, deadAddr);
    // An older version than one already seen: refused (a stale lease).
    assert.equal((await putChunk(a.address, 7, 3, Buffer.from('v3'))).status, 200);
    const stale = await putChunk(a.address, 7, 2, Buffer.from('v2'));
    assert.equal(stale.status, 409);
  });
});
