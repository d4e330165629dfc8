// Issue 4, test 3 (GFS §5.2): flip bytes in one replica's chunk file. A read still returns the right
// bytes (from another replica), the bad replica is reported, re-created from a good copy and deleted.
// And the scrubber finds corruption in a chunk that nobody reads.
import assert from 'node:assert/strict';
import { open } from 'node:fs/promises';
import { readChunkFrom } from '../../sdk/chunk-io.js';
import { patternSlice } from '../../test/data.js';
import { KEY, ProcessCluster, metricValue } from '../../test/process-cluster.js';
import { rng } from '../../test/seed.js';
import { MiB, allChunks, replicationComplete, verifyPattern } from '../../test/replication.js';

/** Chunkservers 0–2 never scrub (their corruption must be found by a read); 3–4 scrub. */
const SCRUBBING = new Set([3, 4]);

async function flip(path: string, at: number): Promise<void> {
  const fh = await open(path, 'r+');
  try {
    const b = Buffer.alloc(16);
    await fh.read(b, 0, b.length, at);
    for (let i = 0; i < b.length; i++) b[i] ^= 0xff;
    await fh.write(b, 0, b.length, at);
    await fh.sync();
  } finally {
    await fh.close();
  }
}

describe('fault: corrupt replicas', function () {
  this.timeout(120_000);
  let c: ProcessCluster | undefined;
  after(async () => c?.destroy());

  it('a read returns correct bytes, the bad replica is repaired, and the scrubber finds an unread one', async () => {
    const r = rng('corruption');
    c = await ProcessCluster.start({
      chunkservers: 5,
      replication: 3,
      master: { maxChunkSize: 4 * MiB },
      chunkserver: (i) => (SCRUBBING.has(i) ? { scrubBytesPerSec: 64 * MiB, scrubPassIntervalMs: 500 } : { scrubBytesPerSec: 0 }),
    });
    const cl = c.client;
    const files = Array.from({ length: 12 }, (_, i) => ({ path: `/c/f${i}`, size: r.int(256 * 1024, 3 * MiB), seed: r.seed + i }));
    for (const f of files) await cl.write(f.path, patternSlice(f.seed, 0, f.size), { parents: true });
    const index = (nodeId: string) => c!.byNodeId(nodeId)!.index;

    // 1. A file whose first replica (the one readers try first) is on a node that does not scrub.
    let readCase: { f: (typeof files)[number]; chunkId: number; version: number; bad: string } | undefined;
    let scrubCase: { f: (typeof files)[number]; chunkId: number; bad: string } | undefined;
    for (const f of files) {
      const [ch] = await allChunks(cl, { path: f.path });
      const first = ch!.replicas[0]!.nodeId;
      if (!readCase && !SCRUBBING.has(index(first))) readCase = { f, chunkId: ch!.chunkId, version: ch!.version, bad: first };
      else if (!scrubCase) {
        const s = ch!.replicas.find((x) => SCRUBBING.has(index(x.nodeId)));
        if (s) scrubCase = { f, chunkId: ch!.chunkId, bad: s.nodeId };
      }
    }
    assert.ok(readCase && scrubCase, 'the layout offers both cases');
    const badFile = (await c.chunkFiles(index(readCase.bad))).get(readCase.chunkId)!;
    await flip(badFile, Math.floor(readCase.f.size / 2));
    const t0 = Date.now();
    await verifyPattern(cl, readCase.f.path, readCase.f.size, readCase.f.seed);
    const badReplica = { chunk: readCase.chunkId, node: readCase.bad };
    const repairedMs = await c.waitFor(
      async () => {
        const [ch] = await allChunks(cl, { path: readCase.f.path });
        return ch!.usable === 3 && !ch!.replicas.some((x) => x.nodeId === badReplica.node) && !(await c!.chunkFiles(index(badReplica.node))).has(badReplica.chunk);
      },
      30_000,
      'the bad replica replaced and deleted',
    );
    // Every replica now listed verifies end to end.
    const [fixed] = await allChunks(cl, { path: readCase.f.path });
    for (const x of fixed!.replicas) {
      let n = 0;
      for await (const b of readChunkFrom(x.addr, fixed!.chunkId, 0, fixed!.size, KEY, undefined, fixed!.version)) n += b.length;
      assert.equal(n, fixed!.size);
    }
    console.log(`      read-path corruption: correct bytes served; bad replica on ${badReplica.node} replaced and deleted in ${(repairedMs / 1000).toFixed(1)} s`);

    // 2. Corruption in a chunk nobody reads, on a scrubbing node.
    const scrubFile = (await c.chunkFiles(index(scrubCase.bad))).get(scrubCase.chunkId)!;
    await flip(scrubFile, 100);
    const scrubbedMs = await c.waitFor(
      async () => {
        const [ch] = await allChunks(cl, { path: scrubCase.f.path });
        return ch!.usable === 3 && !ch!.replicas.some((x) => x.nodeId === scrubCase.bad) && !(await c!.chunkFiles(index(scrubCase.bad))).has(scrubCase.chunkId);
      },
      30_000,
      'the scrubber found the corrupt replica and it was replaced',
    );
    const m = await c.metrics();
    // Two corrupt replicas reported (the first by whichever of the reader or its chunkserver spoke
    // first), the second by the scrubbing chunkserver.
    const fromCs = metricValue(m, 'godfs_master_bad_replica_reports_total{from="chunkserver"}') ?? 0;
    const fromClient = metricValue(m, 'godfs_master_bad_replica_reports_total{from="client"}') ?? 0;
    assert.ok(fromCs >= 1 && fromCs + fromClient >= 2, `reports: ${fromCs} from chunkservers, ${fromClient} from clients`);
    assert.equal(metricValue(m, 'godfs_master_bad_replicas'), 0);
    await c.waitFor(() => replicationComplete(cl), 60_000, 'replication complete');
    for (const f of files) await verifyPattern(cl, f.path, f.size, f.seed);
    console.log(`      scrubber: corrupt unread replica found, replaced and deleted in ${(scrubbedMs / 1000).toFixed(1)} s; ${((Date.now() - t0) / 1000).toFixed(1)} s in all`);
  });
});
