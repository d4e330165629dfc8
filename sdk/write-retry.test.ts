// The sdk's write path under failures, against an in-process cluster: a replica that dies mid-chunk is
// replaced by a fresh replica set (same chunk id, version+1) and the write succeeds byte-exact; a write
// that fails for good leaves no pending allocation behind (AbandonChunks).
import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { TestCluster } from '../test/cluster.js';
import { patternSlice } from '../test/data.js';
import { eventually } from '../test/eventually.js';

const MiB = 2 ** 20;

describe('sdk writes under failures', function () {
  this.timeout(60_000);
  let c: TestCluster;
  before(async () => (c = await TestCluster.start({ chunkservers: 4, replication: 3, maxChunkSize: 8 * MiB })));
  after(async () => c?.destroy());

  it('retries a chunk on a fresh replica set when a replica dies mid-write', async () => {
    const data = patternSlice(42, 0, 20 * MiB);
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const writing = c.client.write('/retry/big', (async function* () {
      yield data.subarray(0, 3 * MiB);
      await gate;
      for (let at = 3 * MiB; at < data.length; at += MiB) yield data.subarray(at, at + MiB);
    })(), { parents: true });
    writing.catch(() => undefined);
    // Find a replica with the first chunk in flight and kill it.
    const victim = await eventually(async () => {
      for (let i = 0; i < c.chunkservers.length; i++) if ((await readdir(join(c.dir, `cs${i}`, 'tmp'))).length > 0) return i + 1;
      return 0;
    }, 20_000, 'a chunk write in flight') - 1;
    const deadId = c.chunkservers[victim]!.nodeId;
    await c.chunkservers[victim]!.close();
    release();
    const info = await writing;
    assert.equal(info.size, data.length);
    assert.ok((await c.client.readFile('/retry/big')).equals(data));
    const chunks = (await c.client.listChunks({ path: '/retry/big' })).chunks;
    assert.equal(chunks.length, 3, '8 MiB chunks');
    assert.ok(chunks[0]!.version >= 2, 'the first chunk was re-leased at a higher version');
    for (const ch of chunks) assert.ok(!ch.replicas.some((r) => r.nodeId === deadId), `chunk ${ch.chunkId} avoids the dead node`);
    assert.equal(c.master.service.allocations.size, 0, 'nothing left pending');
  });

  it('a write that fails for good abandons its chunks at once', async () => {
    async function* failing() {
      yield patternSlice(7, 0, 10 * MiB);
      throw new Error('source broke');
    }
    await assert.rejects(c.client.write('/retry/broken', failing(), { parents: true }), /source broke/);
    assert.equal(c.master.service.allocations.size, 0);
    await assert.rejects(c.client.stat('/retry/broken'), { code: 'not_found' });
  });
});
