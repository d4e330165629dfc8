// The master's GC expires incomplete multipart uploads: older than uploadMaxAgeMs → aborted, and their
// parts' chunks deleted after the grace period; younger ones stay. In-process cluster on real disks.
import assert from 'node:assert/strict';
import { TestCluster } from '../../test/cluster.js';
import { eventually, timePassed } from '../../test/eventually.js';

describe('master: incomplete multipart uploads expire', function () {
  this.timeout(60_000);
  let c: TestCluster;
  before(async () => (c = await TestCluster.start({ chunkservers: 1, uploadMaxAgeMs: 5000, gcGraceMs: 300 })));
  after(async () => c?.destroy());

  it('aborts uploads older than the maximum age, deletes their parts, and keeps younger ones', async () => {
    await c.client.mkdir('/mpu');
    const before = (await c.chunkFiles()).length;
    const old = await c.client.createUpload('/mpu/old');
    const oldAt = Date.now();
    await c.client.uploadPart(old.uploadId, 1, Buffer.alloc(256 * 1024, 1));
    assert.equal((await c.chunkFiles()).length, before + 1, "the old upload's part is on disk");
    // The old upload four fifths of the way to its expiry (5 s): the young one is created now, so
    // there are 4 s, against uploads looked at every 1 s, for a sweep that takes the old and not it.
    await timePassed(oldAt, 4000);
    const young = await c.client.createUpload('/mpu/young');
    const ids = async () => (await c.client.listUploads({ pathPrefix: '/mpu/' })).map((u) => u.uploadId);
    await eventually(async () => !(await ids()).includes(old.uploadId), 20_000, 'the old upload expires');
    assert.ok((await ids()).includes(young.uploadId), 'the younger upload is still there');
    await assert.rejects(c.client.listParts(old.uploadId), { code: 'not_found' });
    await eventually(async () => (await c.chunkFiles()).length === before, 20_000, "the old upload's part is deleted from disk");
  });

  it('with uploadMaxAgeMs 0 nothing expires', async () => {
    const c0 = await TestCluster.start({ chunkservers: 1, uploadMaxAgeMs: 0, gcGraceMs: 300 });
    try {
      const up = await c0.client.createUpload('/kept');
      // Sweeps after the upload was created (the first one also looks at uploads): none expires it.
      await timePassed(Date.now(), 1100);
      await c0.master.gc.sweep();
      await c0.master.gc.sweep();
      assert.deepEqual((await c0.client.listUploads({})).map((u) => u.uploadId), [up.uploadId]);
    } finally {
      await c0.destroy();
    }
  });
});
