// Issue 4, test 6: a chunkserver with a tiny capacity quota fills up under concurrent writers. A write
// that hits it gets a clean no_space from it and is retried on other nodes (or fails cleanly with
// no_space); the node reports itself full and gets no new chunks; nothing stored is harmed.
import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { GodfsError } from '../../common/errors.js';
import { ChunkUpload, readChunkFrom } from '../../sdk/chunk-io.js';
import { patternSlice } from '../../test/data.js';
import { KEY, ProcessCluster } from '../../test/process-cluster.js';
import { rng } from '../../test/seed.js';
import { MiB, allChunks, assertFullyReplicated, verifyPattern } from '../../test/replication.js';
import { eventually } from '../../test/eventually.js';

const QUOTA = 7 * MiB;

describe('fault: a chunkserver runs out of space', function () {
  this.timeout(120_000);
  let c: ProcessCluster | undefined;
  after(async () => c?.destroy());

  it('writers succeed elsewhere or get a clean error; the node reports full; nothing is lost', async () => {
    const r = rng('disk-full');
    // Chunks of up to 2 MiB; the reserve (no new chunks below it) is one chunk. The small node is
    // alone in its zone, so zone spreading puts a replica of every chunk on it while it has room.
    c = await ProcessCluster.start({
      chunkservers: 4,
      replication: 3,
      master: { maxChunkSize: 2 * MiB, gcGraceMs: 120_000 },
      chunkserver: (i) => (i === 0 ? { capacityBytes: QUOTA, zone: 'small' } : { zone: 'big' }),
    });
    const cl = c.client;
    const small = c.chunkservers[0]!;
    // A writer that is placed on the small node while it is empty, then stalls mid-chunk; it will
    // resume once the node is full.
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const stalledData = patternSlice(r.seed + 999, 0, 2 * MiB);
    const stalled = cl.write('/full/stalled', (async function* () {
      yield stalledData.subarray(0, MiB / 4);
      await gate;
      yield stalledData.subarray(MiB / 4);
    })(), { parents: true });
    stalled.catch(() => undefined);
    await c.waitFor(async () => (await readdir(join(small.dataDir, 'tmp'))).length > 0, 20_000, 'the stalled write reached the small node');
    const files = Array.from({ length: 36 }, (_, i) => ({ path: `/full/f${i}`, size: r.int(MiB / 2, 3 * MiB), seed: r.seed + i }));
    const acked: typeof files = [];
    const errors: GodfsError[] = [];
    let next = 0;
    const worker = async () => {
      while (next < files.length) {
        const f = files[next++]!;
        try {
          await cl.write(f.path, patternSlice(f.seed, 0, f.size), { parents: true });
          acked.push(f);
        } catch (err) {
          assert.ok(err instanceof GodfsError, `a typed error, got ${String(err)}`);
          errors.push(err);
        }
      }
    };
    await Promise.all(Array.from({ length: 4 }, worker));
    for (const e of errors) assert.equal(e.code, 'no_space', `a clean no_space error, got ${e.code}: ${e.message}`);

    // Top the node up (a replica placed directly, bypassing the master) so the stalled chunk cannot fit.
    // Two heartbeats after the writes: the second measured the node's space after they were all done.
    const beatAfter = (t: number) => eventually(async () => {
      const ms = (await cl.listNodes()).find((n) => n.id === small.nodeId)!.lastHeartbeatMs;
      return ms > t ? ms : 0;
    }, 20_000, 'a fresh heartbeat');
    await beatAfter(await beatAfter(Date.now()));
    // (Its reported free space may read 0 already: after a write ran out of room the node says it is
    // full for a while. What is really left: the quota minus the chunk files and the stalled writer's
    // quarter MiB.)
    const used = (await cl.listNodes()).find((n) => n.id === small.nodeId)!.used;
    const free = QUOTA - used - MiB / 4;
    if (free > MiB / 2) {
      const filler = new ChunkUpload({ chunkId: 900_000_002, version: 1, replicas: [{ id: small.nodeId, addr: small.address }] }, KEY);
      await filler.write(Buffer.alloc(free - MiB / 2));
      await filler.finish();
    }
    // The stalled writer resumes: the node refuses with no_space, and the chunk is retried elsewhere.
    const before = Number((await c.metrics()).match(/^godfs_master_write_retries_total (\d+)/m)?.[1] ?? 0);
    open();
    await stalled;
    const after = Number((await c.metrics()).match(/^godfs_master_write_retries_total (\d+)/m)?.[1] ?? 0);
    assert.ok(after > before, 'the stalled write was retried on a fresh replica set');
    assert.ok(!(await allChunks(cl, { path: '/full/stalled' })).some((ch) => ch.replicas.some((x) => x.nodeId === small.nodeId)));
    acked.push({ path: '/full/stalled', size: 2 * MiB, seed: r.seed + 999 });

    // It says it is full, and holds no more than its quota.
    await c.waitFor(async () => (await cl.listNodes()).find((n) => n.id === small.nodeId)?.full === true, 20_000, 'the small node reports itself full');
    const info = (await cl.listNodes()).find((n) => n.id === small.nodeId)!;
    assert.ok(info.used <= QUOTA, `used ${info.used} within the quota`);
    const onSmall = await allChunks(cl, { nodeId: small.nodeId });
    assert.ok(onSmall.length > 0, 'the small node took chunks before it filled');
    // No new chunks go to it.
    for (let i = 0; i < 5; i++) {
      await cl.write(`/full/after${i}`, patternSlice(r.seed + 100 + i, 0, MiB));
      assert.ok(!(await allChunks(cl, { path: `/full/after${i}` })).some((ch) => ch.replicas.some((x) => x.nodeId === small.nodeId)));
    }
    // Nothing stored is harmed: every acknowledged file reads back, and every replica on the full
    // node still verifies end to end.
    for (const f of acked) await verifyPattern(cl, f.path, f.size, f.seed);
    for (const ch of onSmall) {
      let n = 0;
      for await (const b of readChunkFrom(small.address, ch.chunkId, 0, ch.size, KEY, undefined, ch.version)) n += b.length;
      assert.equal(n, ch.size);
    }
    await assertFullyReplicated(c);
    const retries = Number((await c.metrics()).match(/^godfs_master_write_retries_total (\d+)/m)?.[1] ?? 0);
    console.log(
      `      ${files.length} concurrent writes against a ${QUOTA / MiB} MiB node: ${acked.length} acknowledged and verified, ` +
        `${errors.length} clean no_space errors; ${retries} chunk writes retried elsewhere; the node holds ${onSmall.length} chunks ` +
        `(${(info.used / MiB).toFixed(1)} MiB used) and reports full`,
    );
  });
});
