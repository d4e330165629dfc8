// Issue 4, test 2: stop a chunkserver, overwrite the files it held, restart it. Its old replicas (of
// chunks now unreferenced) and a replica at an older version of a live chunk (what a failed write
// attempt leaves behind, GFS §4.5) must never be served, and must be removed from its disk.
import assert from 'node:assert/strict';
import { ChunkStore } from '../chunkserver/chunk-store.js';
import { patternSlice } from '../../test/data.js';
import { ProcessCluster, metricValue } from '../../test/process-cluster.js';
import { rng } from '../../test/seed.js';
import { MiB, allChunks, assertFullyReplicated, replicationComplete, verifyPattern } from '../../test/replication.js';

const FILES = 16;

describe('fault: a chunkserver comes back with stale replicas', function () {
  this.timeout(120_000);
  let c: ProcessCluster | undefined;
  after(async () => c?.destroy());

  it('never serves them and removes them', async () => {
    const r = rng('stale-replicas');
    c = await ProcessCluster.start({ chunkservers: 4, replication: 3, master: { maxChunkSize: 2 * MiB } });
    const cl = c.client;
    const sizes = Array.from({ length: FILES }, () => r.int(1, 5 * MiB));
    for (let i = 0; i < FILES; i++) await cl.write(`/s/f${i}`, patternSlice(r.seed + i, 0, sizes[i]!), { parents: true });
    const victim = r.int(0, 3);
    const victimId = c.chunkservers[victim]!.nodeId;
    const oldOnVictim = new Set((await c.chunkFiles(victim)).keys());
    assert.ok(oldOnVictim.size > 0, 'the victim holds replicas');

    await c.stopChunkserver(victim, 'SIGTERM');
    // Overwrite everything while it is away: the old chunks become garbage, new ones land elsewhere.
    const seed2 = r.seed + 1000;
    for (let i = 0; i < FILES; i++) await cl.write(`/s/f${i}`, patternSlice(seed2 + i, 0, sizes[i]!));
    // And leave on its disk an older version of a chunk that is live now — with different bytes, so
    // serving it would show. (A failed write attempt leaves exactly this: version 1 of a chunk whose
    // committed version is 2.)
    const target = (await allChunks(cl, { path: '/s/f0' }))[0]!;
    assert.ok(!target.replicas.some((x) => x.nodeId === victimId));
    const store = await ChunkStore.open(c.chunkservers[victim]!.dataDir);
    await store.write(target.chunkId, target.version - 1, [Buffer.alloc(target.size, 0x5a)]);
    await store.close();
    const staleBefore = metricValue(await c.metrics(), 'godfs_master_stale_replicas_found_total') ?? 0;

    await c.startChunkserver(victim);
    // While the master sorts it out, every read returns the new content, whatever replica it uses.
    let reads = 0;
    let wrong: string | undefined;
    const t0 = Date.now();
    const goneAfter = await c.waitFor(
      async () => {
        for (let i = 0; i < FILES; i++) {
          const { stream } = await cl.read(`/s/f${i}`);
          const got = Buffer.concat(await stream.toArray());
          if (!got.equals(patternSlice(seed2 + i, 0, sizes[i]!))) wrong ??= `/s/f${i}: stale bytes served`;
          reads++;
        }
        if (wrong) return true;
        const still = await c!.chunkFiles(victim);
        return ![...oldOnVictim].some((id) => still.has(id)) && !still.has(target.chunkId);
      },
      30_000,
      'old and stale replicas deleted from the restarted node',
      100,
    );
    assert.equal(wrong, undefined);
    assert.ok(!(await allChunks(cl, { path: '/s/f0' }))[0]!.replicas.some((x) => x.nodeId === victimId), 'the stale replica is never listed');
    const staleFound = (metricValue(await c.metrics(), 'godfs_master_stale_replicas_found_total') ?? 0) - staleBefore;
    assert.ok(staleFound >= 1, 'the stale replica was detected');
    await c.waitFor(() => replicationComplete(cl), 60_000, 'replication complete');
    await assertFullyReplicated(c);
    for (let i = 0; i < FILES; i++) await verifyPattern(cl, `/s/f${i}`, sizes[i]!, seed2 + i);
    console.log(
      `      victim held ${oldOnVictim.size} replicas of overwritten chunks + 1 stale replica; all gone ${(goneAfter / 1000).toFixed(1)} s after restart ` +
        `(${reads} reads meanwhile, all current); stale replicas detected: ${staleFound}; ${((Date.now() - t0) / 1000).toFixed(1)} s`,
    );
  });
});
