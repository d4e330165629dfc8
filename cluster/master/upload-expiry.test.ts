// The master's GC expires incomplete multipart uploads: older than uploadMaxAgeMs → aborted, and their
// parts' chunks deleted after the grace period; younger ones stay. In-process cluster on real disks.
import assert from 'node:assert/strict';
import { TestCluster } from '../../test/cluster.js';

const until = async (what: string, fn: () => Promise<boolean>, ms = 10_000): Promise<void> => {
  const end = Date.now() + ms;
  while (!(await fn())) {
    if (Date.now() > end) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};

describe('master: incomplete multipart uploads expire', function () {
  this.timeout(60_000);
  let c: TestCluster;
  before(async () => (c = await TestCluster.start({ chunkservers: 1, uploadMaxAgeMs: 2000, gcGraceMs: 300 })));
  after(async () => c?.destroy());

  it('aborts uploads older than the maximum age, deletes their parts, and keeps younger ones', async () => {
    await c.client.mkdir('/mpu');
    const before = (await c.chunkFiles()).length;
    const old = await c.client.createUpload('/mpu/old');
    await c.client.uploadPart(old.uploadId, 1, Buffer.alloc(256 * 1024, 1));
    assert.equal((await c.chunkFiles()).length, before + 1, "the old upload's part is on disk");
    await new Promise((r) => setTimeout(r, 1500));
    const young = await c.client.createUpload('/mpu/young');
    const ids = async () => (await c.client.listUploads({ pathPrefix: '/mpu/' })).map((u) => u.uploadId);
    await until('the old upload expires', async () => !(await ids()).includes(old.uploadId));
    assert.ok((await ids()).includes(young.uploadId), 'the younger upload is still there');
    await assert.rejects(c.client.listParts(old.uploadId), { code: 'not_found' });
    await until("the old upload's part is deleted from disk", async () => (await c.chunkFiles()).length === before);
  });

  it('with uploadMaxAgeMs 0 nothing expires', async () => {
    const c0 = await TestCluster.start({ chunkservers: 1, uploadMaxAgeMs: 0, gcGraceMs: 300 });
    try {
      const up = await c0.client.createUpload('/kept');
      await new Promise((r) => setTimeout(r, 2500));
      assert.deepEqual((await c0.client.listUploads({})).map((u) => u.uploadId), [up.uploadId]);
    } finally {
      await c0.destroy();
    }
  });
});
