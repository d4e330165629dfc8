// Issue 4, test 5: `godfs admin drain <node>` re-creates every replica of a chunkserver elsewhere.
// Afterwards it holds no chunk that is needed (it can be removed), it received no new chunks while
// draining, and every file reads back — also once it is gone. Driven through the real CLI.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { patternSlice } from '../../test/data.js';
import { KEY, ProcessCluster } from '../../test/process-cluster.js';
import { rng } from '../../test/seed.js';
import { MiB, allChunks, assertFullyReplicated, replicationComplete, verifyPattern } from '../../test/replication.js';

const CLI = fileURLToPath(new URL('../../cli/main.js', import.meta.url));

describe('fault: draining a chunkserver', function () {
  this.timeout(120_000);
  let c: ProcessCluster | undefined;
  after(async () => c?.destroy());

  const godfs = async (...args: string[]) => {
    const { stdout } = await promisify(execFile)(process.execPath, [CLI, ...args, '--master', c!.master.info.address, '--api-key', KEY], { timeout: 60_000 });
    return stdout;
  };

  it('moves everything off the node; all files read back', async () => {
    const r = rng('drain');
    c = await ProcessCluster.start({ chunkservers: 5, replication: 3, master: { maxChunkSize: 2 * MiB, repairBytesPerSec: 256 * MiB } });
    const cl = c.client;
    const files = Array.from({ length: 30 }, (_, i) => ({ path: `/d/f${i}`, size: r.int(1, 5 * MiB), seed: r.seed + i }));
    for (const f of files) await cl.write(f.path, patternSlice(f.seed, 0, f.size), { parents: true });
    // The node with the most replicas.
    const counts = await Promise.all(c.chunkservers.map(async (s) => (await c!.chunkFiles(s.index)).size));
    const victim = counts.indexOf(Math.max(...counts));
    const victimId = c.chunkservers[victim]!.nodeId;
    const held = await allChunks(cl, { nodeId: victimId });
    const heldBytes = held.reduce((s, ch) => s + ch.size, 0);

    const t0 = Date.now();
    const out = await godfs('admin', 'drain', victimId, '--wait');
    const drainMs = Date.now() - t0;
    assert.match(out, /0 chunks still needed on it \(drained: safe to remove\)/);
    const nodes = JSON.parse(await godfs('admin', 'nodes', '--json')) as Array<{ id: string; draining: boolean; neededChunks: number }>;
    assert.deepEqual(nodes.find((n) => n.id === victimId)?.draining, true);
    assert.equal(nodes.find((n) => n.id === victimId)?.neededChunks, 0);

    // New writes while it drains never land on it.
    for (let i = 0; i < 6; i++) await cl.write(`/d/new${i}`, patternSlice(r.seed + 100 + i, 0, 3 * MiB));
    for (let i = 0; i < 6; i++) assert.ok(!(await allChunks(cl, { path: `/d/new${i}` })).some((ch) => ch.replicas.some((x) => x.nodeId === victimId)));

    // It holds no needed chunk: nothing referenced lists it, and its disk is emptied of them.
    await c.waitFor(() => replicationComplete(cl, [victimId]), 60_000, 'replication complete');
    const needed = new Set((await allChunks(cl)).map((ch) => ch.chunkId));
    const emptiedMs = await c.waitFor(async () => ![...(await c!.chunkFiles(victim)).keys()].some((id) => needed.has(id)), 30_000, 'drained node holds no needed chunk');
    await assertFullyReplicated(c, [victimId]);
    const under = JSON.parse(await godfs('admin', 'chunks', '--under-replicated', '--json')) as unknown[];
    assert.deepEqual(under, []);

    // Remove it: every file still reads back.
    await c.stopChunkserver(victim, 'SIGKILL');
    for (const f of files) await verifyPattern(cl, f.path, f.size, f.seed);
    console.log(
      `      drained ${held.length} chunks (${(heldBytes / MiB).toFixed(1)} MiB) off ${victimId} in ${(drainMs / 1000).toFixed(1)} s ` +
        `(godfs admin drain --wait); its disk emptied ${emptiedMs} ms later; ${files.length} files verified after removing it`,
    );
  });
});
