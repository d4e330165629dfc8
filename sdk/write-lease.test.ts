// A write's lease at the master lives as long as its writer: a writer that pauses mid-chunk for longer
// than the lease (a slow source, a slow replica, a loaded machine) renews it (RenewWrite) and commits;
// a lease the master gave up fails the write before its commit; after a master restart, which
// forgets leases, the renewal grants them again so the written replicas are not taken for orphans.
import assert from 'node:assert/strict';
import { TestCluster } from '../test/cluster.js';
import { patternSlice } from '../test/data.js';
import { eventually, timePassed } from '../test/eventually.js';

const MiB = 2 ** 20;
const GRACE_MS = 400;

/** Starts a write whose source yields `data` up to `pauseAt`, then waits for release() to yield the rest. */
function pausedWrite(c: TestCluster, path: string, data: Buffer, pauseAt: number) {
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const writing = c.client.write(path, (async function* () {
    yield data.subarray(0, pauseAt);
    await gate;
    yield data.subarray(pauseAt);
  })(), { parents: true });
  writing.catch(() => undefined); // awaited by the test, after release()
  return { writing, release };
}

describe('sdk write leases', function () {
  this.timeout(60_000);
  let c: TestCluster;
  beforeEach(async () => (c = await TestCluster.start({ chunkservers: 1, maxChunkSize: 4 * MiB, gcGraceMs: GRACE_MS })));
  afterEach(async () => c?.destroy());

  it('a writer paused mid-chunk past the lease keeps it, commits, and reads back byte-exact', async () => {
    const data = patternSlice(5, 0, 6 * MiB);
    const { writing, release } = pausedWrite(c, '/slow/file', data, MiB);
    const allocations = c.master.service.allocations;
    await eventually(() => allocations.size > 0, 20_000, 'the first chunk allocated');
    const pausedAt = Date.now();
    // Three leases' worth of silence from the source, then a GC sweep (which expires unrenewed leases).
    await timePassed(pausedAt, 3 * GRACE_MS);
    await c.master.gc.sweep();
    assert.ok(allocations.size > 0, 'the lease of a live writer survives the sweep');
    release();
    const info = await writing;
    assert.equal(info.size, data.length);
    assert.ok((await c.client.readFile('/slow/file')).equals(data));
    assert.equal(allocations.size, 0, 'nothing left pending');
  });

  it('a lease the master expired fails the write without committing it', async () => {
    const data = patternSlice(6, 0, 2 * MiB);
    const { writing, release } = pausedWrite(c, '/lost/file', data, MiB);
    const allocations = c.master.service.allocations;
    await eventually(() => allocations.size > 0, 20_000, 'the first chunk allocated');
    // As if the writer had been silent past the grace: the master retires its chunks.
    const expired = allocations.expire(Date.now() + 10 * GRACE_MS, GRACE_MS);
    assert.ok(expired.length > 0);
    // The next renewal is refused; the write fails at its next step, without waiting for the source's end.
    await timePassed(Date.now(), GRACE_MS);
    release();
    await assert.rejects(writing, { code: 'conflict', message: /expired or was abandoned/ });
    await assert.rejects(c.client.stat('/lost/file'), { code: 'not_found' });
  });

  it('after a master restart the renewal grants the lease again: the write commits and its replicas stay', async () => {
    // The first chunk (4 MiB) is stored whole before the pause: the restarted master sees it in the
    // chunkserver's report.
    const data = patternSlice(7, 0, 6 * MiB);
    const { writing, release } = pausedWrite(c, '/restart/file', data, 5 * MiB);
    await eventually(() => c.master.service.allocations.size > 0, 20_000, 'the first chunk allocated');
    await c.restartMaster();
    // Leases are soft state: the new master knows none until the writer renews.
    await eventually(() => c.master.service.allocations.size > 0, 20_000, 'the lease granted again by a renewal');
    // Past the grace, with the chunkserver's report in: an unknown chunk would now be an orphan.
    await eventually(async () => (await c.client.clusterStats()).nodesAlive === 1, 20_000, 'the chunkserver registered again');
    await timePassed(Date.now(), 3 * GRACE_MS);
    await c.master.gc.sweep();
    release();
    const info = await writing;
    assert.equal(info.size, data.length);
    assert.ok((await c.client.readFile('/restart/file')).equals(data));
  });
});
