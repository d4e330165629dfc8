// Issue 4, test 1 (real processes on 127.0.0.1; docs/testing.md): a master and five chunkservers as separate processes;
// a chunkserver is SIGKILLed in the middle of a workload of concurrent writes and reads of a mix of
// sizes. Every acknowledged write must read back byte-exact, reads must keep succeeding, writes must
// retry onto fresh replica sets, and replication must return to 3x within a stated bound after the
// node is declared dead.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { patternStream, sha256Of } from '../../test/data.js';
import { ProcessCluster, metricValue } from '../../test/process-cluster.js';
import { rng } from '../../test/seed.js';
import { MiB, allChunks, assertFullyReplicated, replicationComplete } from '../../test/replication.js';

const OBJECTS = 240;
const WORKERS = 8;
const KILL_AFTER_ACKS = 80;
/** The stated bound: replication back to 3x this soon after the node is declared dead. */
const REPAIR_BOUND_MS = 60_000;

async function* hashed(src: AsyncIterable<Buffer>, h: ReturnType<typeof createHash>): AsyncGenerator<Buffer> {
  for await (const b of src) {
    h.update(b);
    yield b;
  }
}

interface Acked {
  path: string;
  size: number;
  sha: string;
}

describe('fault: SIGKILL a chunkserver during a concurrent workload', function () {
  this.timeout(240_000);
  let c: ProcessCluster | undefined;
  after(async () => c?.destroy());

  it('loses no acknowledged write, keeps reads working, and re-replicates to 3x', async () => {
    const r = rng('kill-workload');
    c = await ProcessCluster.start({ chunkservers: 5, replication: 3, master: { maxChunkSize: 8 * MiB } });
    const cl = c.client;
    // A mix of sizes: tiny, small, and multi-chunk objects (chunks are 8 MiB here).
    const sizes = Array.from({ length: OBJECTS }, () => {
      const k = r.next();
      return k < 0.4 ? r.int(0, 64 * 1024) : k < 0.9 ? r.int(64 * 1024, 2 * MiB) : r.int(2 * MiB, 20 * MiB);
    });
    const acked: Acked[] = [];
    const writeErrors: string[] = [];
    let reads = 0;
    let readErrors = 0;
    let next = 0;
    let killedAt = 0;
    const victim = r.int(0, 4);
    const victimId = c.chunkservers[victim]!.nodeId;
    let killing: Promise<void> | undefined;
    let monitor: Promise<{ deadAt: number; repairedAt: number; repairs: number; repairBytes: number }> | undefined;
    const t0 = Date.now();
    // From the kill on: when the master declares the node dead (missed heartbeats for nodeDeadAfterMs,
    // 2 s here), then when no chunk is below its goal any more — while the workload goes on.
    const watchRepair = async () => {
      await c!.waitFor(async () => (await cl.listNodes()).some((n) => n.id === victimId && !n.alive), 20_000, 'victim declared dead', 50);
      const deadAt = Date.now();
      await c!.waitFor(() => replicationComplete(cl, [victimId]), REPAIR_BOUND_MS, 'replication back to 3x', 250);
      const repairedAt = Date.now();
      const m = await c!.metrics();
      return { deadAt, repairedAt, repairs: metricValue(m, 'godfs_master_repairs_total') ?? 0, repairBytes: metricValue(m, 'godfs_master_repair_bytes_total') ?? 0 };
    };

    const worker = async () => {
      while (next < OBJECTS) {
        const i = next++;
        const path = `/w/obj-${i}`;
        const h = createHash('sha256');
        try {
          await cl.write(path, hashed(patternStream(sizes[i]!, r.seed + i), h), { parents: true });
          acked.push({ path, size: sizes[i]!, sha: h.digest('hex') });
        } catch (err) {
          writeErrors.push(`${path}: ${(err as Error).message}`);
        }
        if (acked.length >= KILL_AFTER_ACKS && !killing) {
          killedAt = Date.now();
          killing = c!.stopChunkserver(victim, 'SIGKILL');
          monitor = watchRepair();
        }
        // Read back something already acknowledged: reads must keep working through the kill.
        if (acked.length) {
          const a = acked[r.int(0, acked.length - 1)]!;
          reads++;
          try {
            const got = await sha256Of((await cl.read(a.path)).stream);
            assert.equal(got.hex, a.sha, `${a.path} read back different bytes`);
          } catch (err) {
            readErrors++;
            console.log(`      read of ${a.path} failed: ${(err as Error).message}`);
          }
        }
      }
    };
    await Promise.all(Array.from({ length: WORKERS }, worker));
    await killing;
    const workloadMs = Date.now() - t0;

    assert.ok(monitor, 'the victim was killed during the workload');
    const { deadAt, repairedAt, repairs, repairBytes } = await monitor;
    // Writes that were still running may have committed a moment later: wait for those too.
    await c.waitFor(() => replicationComplete(cl, [victimId]), REPAIR_BOUND_MS, 'replication back to 3x after the workload', 250);
    const chunks = await assertFullyReplicated(c, [victimId]);

    // Every acknowledged write reads back byte-exact.
    let verified = 0;
    let bytes = 0;
    for (const a of acked) {
      const got = await sha256Of((await cl.read(a.path)).stream);
      assert.equal(got.size, a.size, `${a.path}: size`);
      assert.equal(got.hex, a.sha, `${a.path}: sha256`);
      verified++;
      bytes += a.size;
    }
    const m = await c.metrics();
    const retries = metricValue(m, 'godfs_master_write_retries_total') ?? 0;
    assert.equal(metricValue(m, 'godfs_master_chunks_under_replicated'), 0);
    assert.equal(metricValue(m, 'godfs_master_chunks_unrepairable'), 0);
    console.log(
      `      objects: ${OBJECTS} written, ${acked.length} acknowledged, ${verified} verified (${(bytes / MiB).toFixed(1)} MiB), ` +
        `${writeErrors.length} failed; workload ${(workloadMs / 1000).toFixed(1)} s; ${reads} reads during the workload, ${readErrors} failed`,
    );
    console.log(`      chunk writes retried on a fresh replica set: ${retries}`);
    console.log(
      `      node SIGKILLed at ${((killedAt - t0) / 1000).toFixed(1)} s into the workload, declared dead ${((deadAt - killedAt) / 1000).toFixed(1)} s later; ` +
        `back to 3x ${((repairedAt - deadAt) / 1000).toFixed(2)} s after that (bound ${REPAIR_BOUND_MS / 1000} s): ` +
        `${repairs} replicas, ${(repairBytes / MiB).toFixed(1)} MiB re-replicated ` +
        `(${(repairBytes / MiB / Math.max(0.001, (repairedAt - deadAt) / 1000)).toFixed(0)} MiB/s); ${chunks} chunks at 3x at the end, none on the dead node`,
    );
    for (const e of writeErrors) console.log(`      write failed: ${e}`);
    assert.equal(readErrors, 0, 'every read during the workload succeeded');
    assert.deepEqual(writeErrors, [], 'every write succeeded (retried on fresh replica sets)');
    assert.equal(acked.length, OBJECTS);
    assert.ok((await allChunks(cl, { nodeId: victimId })).length === 0, 'no chunk counts a replica on the dead node');
  });
});
