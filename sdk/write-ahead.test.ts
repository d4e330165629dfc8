// The write path allocates the next chunk while the current one streams (write-path.ts): with a size
// hint only when bytes remain for it, without one once the current chunk is half full. An allocation
// made ahead for bytes that never came is abandoned before the write returns, so nothing stays pending.
import assert from 'node:assert/strict';
import { TestCluster } from '../test/cluster.js';
import { patternSlice } from '../test/data.js';
import { GodfsError } from '../common/errors.js';
import { streamChunks, SuspectNodes } from './write-path.js';

const MiB = 2 ** 20;

describe('sdk writes allocate the next chunk ahead', function () {
  this.timeout(60_000);
  let c: TestCluster;
  before(async () => (c = await TestCluster.start({ chunkservers: 1, replication: 1, maxChunkSize: 8 * MiB })));
  after(async () => c?.destroy());

  async function allocated(): Promise<number> {
    const text = await (await fetch(`http://${c.master.httpAddress}/metrics`)).text();
    const m = /^godfs_master_chunks_allocated_total (\d+)$/m.exec(text);
    assert.ok(m, 'the master exports godfs_master_chunks_allocated_total');
    return Number(m[1]);
  }

  async function* pieces(data: Buffer) {
    for (let at = 0; at < data.length; at += MiB) yield data.subarray(at, at + MiB);
  }

  const cases: Array<{ name: string; size: number; hint?: number; allocations: number; chunks: number }> = [
    { name: 'an exact size hint uses every allocation', size: 20 * MiB, hint: 20 * MiB, allocations: 3, chunks: 3 },
    { name: 'a size hint larger than the body abandons the spare allocation', size: 12 * MiB, hint: 30 * MiB, allocations: 3, chunks: 2 },
    { name: 'no hint, ending past half a chunk: one spare, abandoned', size: 12 * MiB, allocations: 3, chunks: 2 },
    { name: 'no hint, ending before half a chunk: nothing allocated ahead', size: 3 * MiB, allocations: 1, chunks: 1 },
    { name: 'a size hint smaller than the body still stores every byte', size: 17 * MiB, hint: MiB, allocations: 3, chunks: 3 },
  ];
  for (const [i, k] of cases.entries()) {
    it(`${k.name}: ${k.allocations} allocations for ${k.chunks} chunks, nothing pending`, async () => {
      const data = patternSlice(i + 1, 0, k.size);
      const before = await allocated();
      const path = `/ahead/${i}`;
      await c.client.write(path, pieces(data), { parents: true, ...(k.hint === undefined ? {} : { sizeHint: k.hint }) });
      assert.equal(await allocated() - before, k.allocations);
      assert.equal(c.master.service.allocations.size, 0, 'no allocation left pending');
      assert.equal((await c.client.listChunks({ path })).chunks.length, k.chunks);
      assert.ok((await c.client.readFile(path)).equals(data));
    });
  }

  it('an allocation made ahead that fails is not the write\'s failure when its chunk is never needed', async () => {
    // The write path over a real chunkserver, with an allocator that grants the first chunk and
    // refuses the next: the size hint promises two chunks, the source ends inside the first.
    const cs = c.chunkservers[0]!;
    let calls = 0;
    const abandoned: number[][] = [];
    const deps = {
      allocate: async () => {
        if (calls++ > 0) throw new GodfsError('no_space', 'no room for the chunk ahead');
        return { chunk_id: 900_001, version: 1, replicas: [{ id: cs.nodeId, addr: cs.address, chunks_dir: '' }], max_chunk_size: 8 * MiB, lease_ms: 60_000 };
      },
      abandon: async (_w: string, ids: number[]) => void abandoned.push(ids),
      renew: async () => ({ lease_ms: 60_000 }),
      apiKey: 'test-key', writeUnitBytes: 8 * MiB, maxAttempts: 1, dataTimeoutMs: 10_000, suspects: new SuspectNodes(),
    };
    const data = patternSlice(77, 0, 5 * MiB);
    const w = await streamChunks(deps, pieces(data), { sizeHint: 16 * MiB });
    assert.equal(calls, 2, 'the next chunk was asked for ahead');
    assert.equal(w.size, data.length);
    assert.deepEqual(w.spareChunkIds, []);
    assert.deepEqual(abandoned, [], 'nothing abandoned: the write stands');
    assert.deepEqual(w.extents.map((e) => [e.chunkId, e.size]), [[900_001, 5 * MiB]]);
    w.lease.stop();
  });
});
