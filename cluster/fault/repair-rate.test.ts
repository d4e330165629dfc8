// Issue 4, the closing figure: how long re-replicating a dead chunkserver's data takes, with the
// master's copy-rate limit in force (GFS §4.3: cloning is throttled so it does not swamp client
// traffic). A chunkserver holding about 400 MiB of replicas is SIGKILLed; the test measures the time
// from "declared dead" to "every chunk back at 3x" and checks the copy rate never beat the limit.
import assert from 'node:assert/strict';
import { ProcessCluster, metricValue } from '../../test/process-cluster.js';
import { patternStream } from '../../test/data.js';
import { rng } from '../../test/seed.js';
import { MiB, allChunks, assertFullyReplicated, replicationComplete, verifyPattern } from '../../test/replication.js';

const FILES = 64;
const FILE_SIZE = 16 * MiB;
const RATE = 192 * MiB;

describe('fault: re-replication time and rate limit', function () {
  this.timeout(240_000);
  let c: ProcessCluster | undefined;
  after(async () => c?.destroy());

  it(`re-creates a dead node's replicas at no more than ${RATE / MiB} MiB/s`, async () => {
    const r = rng('repair-rate');
    c = await ProcessCluster.start({ chunkservers: 4, replication: 3, master: { maxChunkSize: 16 * MiB, repairBytesPerSec: RATE, repairConcurrency: 4 } });
    const cl = c.client;
    let next = 0;
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        while (next < FILES) {
          const i = next++;
          await cl.write(`/rate/f${i}`, patternStream(FILE_SIZE, r.seed + i), { parents: true });
        }
      }),
    );
    const victim = r.int(0, 3);
    const victimId = c.chunkservers[victim]!.nodeId;
    const lost = await allChunks(cl, { nodeId: victimId });
    const lostBytes = lost.reduce((s, ch) => s + ch.size, 0);
    const before = metricValue(await c.metrics(), 'godfs_master_repair_bytes_total') ?? 0;

    await c.stopChunkserver(victim, 'SIGKILL');
    const killedAt = Date.now();
    await c.waitFor(async () => (await cl.listNodes()).some((n) => n.id === victimId && !n.alive), 20_000, 'declared dead', 50);
    const deadAt = Date.now();
    await c.waitFor(() => replicationComplete(cl, [victimId]), 120_000, 'back to 3x, the dead replicas dropped', 100);
    const secs = (Date.now() - deadAt) / 1000;
    const copied = (metricValue(await c.metrics(), 'godfs_master_repair_bytes_total') ?? 0) - before;
    await assertFullyReplicated(c, [victimId]);
    for (let i = 0; i < FILES; i += 5) await verifyPattern(cl, `/rate/f${i}`, FILE_SIZE, r.seed + i);
    assert.ok(copied >= lostBytes, `copied ${copied} bytes, the node held ${lostBytes}`);
    // Token bucket: at most one second's burst plus the rate over the elapsed time.
    const allowed = RATE + RATE * secs;
    assert.ok(copied <= allowed * 1.05, `copied ${(copied / MiB).toFixed(0)} MiB in ${secs.toFixed(2)} s: above the ${RATE / MiB} MiB/s limit`);
    console.log(
      `      ${FILES} x ${FILE_SIZE / MiB} MiB written at 3x on 4 nodes; SIGKILLed node held ${lost.length} chunks, ${(lostBytes / MiB).toFixed(0)} MiB; ` +
        `declared dead ${((deadAt - killedAt) / 1000).toFixed(1)} s after the kill; re-replicated ${(copied / MiB).toFixed(0)} MiB in ${secs.toFixed(2)} s ` +
        `(${(copied / MiB / secs).toFixed(0)} MiB/s on average, ${(Math.max(0, copied - RATE) / MiB / secs).toFixed(0)} MiB/s beyond the ` +
          `one-second burst the ${RATE / MiB} MiB/s limit allows)`,
    );
  });
});
