// End-to-end sdk tests against a real in-process cluster (master + chunkservers on temp dirs and
// loopback sockets).
import assert from 'node:assert/strict';
import { open, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { TestCluster } from '../test/cluster.js';
import { collect, patternSha256, patternSlice, patternStream, sha256Of } from '../test/data.js';
import { eventually } from '../test/eventually.js';

const MiB = 2 ** 20;

describe('sdk against a live cluster', function () {
  this.timeout(180_000);

  describe('replication 1, default 64 MiB chunks', () => {
    let c: TestCluster;
    before(async () => (c = await TestCluster.start({ chunkservers: 1, replication: 1 })));
    after(async () => c?.destroy());

    for (const size of [0, 1, 64 * MiB - 1, 64 * MiB, 64 * MiB + 1, 200 * MiB]) {
      it(`round-trips ${size} bytes byte-exact`, async () => {
        const path = `/rt/size-${size}`;
        const info = await c.client.write(path, patternStream(size, size + 7), { parents: true });
        assert.equal(info.size, size);
        const want = await patternSha256(size, size + 7);
        const { stream, length } = await c.client.read(path);
        assert.equal(length, size);
        assert.deepEqual(await sha256Of(stream), want);
        assert.match(info.etag, /^[0-9a-f]{32}$/);
      });
    }

    it('reads ranges across chunk boundaries', async () => {
      const path = '/rt/size-209715200';
      for (const [from, len] of [[64 * MiB - 10, 20], [0, 1], [128 * MiB - 1, 2], [200 * MiB - 5, 5], [64 * MiB - 3 * MiB, 6 * MiB]]) {
        const { stream } = await c.client.readRange(path, from!, len!);
        assert.ok((await collect(stream)).equals(patternSlice(200 * MiB + 7, from!, from! + len!)), `range ${from}+${len}`);
      }
      const past = await c.client.readRange(path, 200 * MiB + 10, 5);
      assert.equal(past.length, 0);
    });

    it('writeAt across a chunk boundary changes only those bytes', async () => {
      const path = '/wa/f';
      const size = 64 * MiB + 4 * MiB;
      await c.client.write(path, patternStream(size, 3), { parents: true });
      const patch = Buffer.alloc(2 * MiB, 0xab);
      const at = 64 * MiB - MiB;
      const info = await c.client.writeAt(path, at, patch);
      assert.equal(info.size, size);
      const got = await collect((await c.client.readRange(path, at - 100, patch.length + 200)).stream);
      assert.ok(got.subarray(0, 100).equals(patternSlice(3, at - 100, at)));
      assert.ok(got.subarray(100, 100 + patch.length).equals(patch));
      assert.ok(got.subarray(100 + patch.length).equals(patternSlice(3, at + patch.length, at + patch.length + 100)));
      // Past the end: the gap reads as zeros.
      const ext = await c.client.writeAt(path, size + 10, Buffer.from('tail'));
      assert.equal(ext.size, size + 14);
      const end = await collect((await c.client.readRange(path, size - 2, 16)).stream);
      assert.ok(end.equals(Buffer.concat([patternSlice(3, size - 2, size), Buffer.alloc(10), Buffer.from('tail')])));
    });

    it('truncates shorter and longer', async () => {
      const path = '/tr/f';
      await c.client.write(path, patternStream(3 * MiB, 4), { parents: true });
      await c.client.truncate(path, MiB + 5);
      assert.ok((await c.client.readFile(path)).equals(patternSlice(4, 0, MiB + 5)));
      await c.client.truncate(path, MiB + 105);
      const buf = await c.client.readFile(path);
      assert.equal(buf.length, MiB + 105);
      assert.ok(buf.subarray(MiB + 5).equals(Buffer.alloc(100)));
    });

    it('overwriting with shorter content leaves no old tail', async () => {
      await c.client.write('/ow', Buffer.from('a much longer original content'));
      await c.client.write('/ow', Buffer.from('short'));
      assert.equal((await c.client.readFile('/ow')).toString(), 'short');
      assert.equal((await c.client.stat('/ow')).size, 5);
    });

    it('renames a directory with its contents', async () => {
      await c.client.write('/mv/src/a/one', 'one', { parents: true });
      await c.client.write('/mv/src/two', 'two');
      await c.client.rename('/mv/src', '/mv/dst');
      assert.equal((await c.client.readFile('/mv/dst/a/one')).toString(), 'one');
      assert.equal((await c.client.readFile('/mv/dst/two')).toString(), 'two');
      await assert.rejects(c.client.stat('/mv/src'), { code: 'not_found' });
      await assert.rejects(c.client.rename('/mv/dst', '/mv/dst/a/inside'), { code: 'invalid_argument' });
    });

    it('concurrent writers on different files all land intact', async () => {
      const sizes = Array.from({ length: 12 }, (_, i) => (i + 1) * 300_000 + i);
      await Promise.all(sizes.map((s, i) => c.client.write(`/conc/f${i}`, patternStream(s, 100 + i), { parents: true })));
      for (const [i, s] of sizes.entries()) {
        assert.deepEqual(await sha256Of((await c.client.read(`/conc/f${i}`)).stream), await patternSha256(s, 100 + i));
      }
      const names = [];
      for await (const e of c.client.listAll('/conc', { pageSize: 5 })) names.push(e.name);
      assert.deepEqual(names, sizes.map((_, i) => `f${i}`).sort());
    });

    it('an aborted or oversized write leaves the old content', async () => {
      await c.client.write('/keep', 'original');
      await assert.rejects(c.client.write('/keep', patternStream(3 * MiB, 9), { maxBytes: MiB }), { code: 'too_large' });
      async function* failing() {
        yield Buffer.alloc(1000, 1);
        throw new Error('client went away');
      }
      await assert.rejects(c.client.write('/keep', failing()), /client went away/);
      assert.equal((await c.client.readFile('/keep')).toString(), 'original');
    });

    it('conditional writes: exclusive and if-match', async () => {
      const first = await c.client.write('/cond', 'v1', { exclusive: true });
      await assert.rejects(c.client.write('/cond', 'v2', { exclusive: true }), { code: 'precondition_failed' });
      await assert.rejects(c.client.write('/cond', 'v2', { ifMatch: 'nope' }), { code: 'precondition_failed' });
      await c.client.write('/cond', 'v2', { ifMatch: first.etag });
      assert.equal((await c.client.readFile('/cond')).toString(), 'v2');
    });

    it('a write that cannot commit fails at its first allocation, before its bytes reach a chunkserver', async () => {
      await c.client.write('/pre/file', 'x', { parents: true });
      await c.client.mkdir('/pre/dir');
      const stored = () => c.chunkservers.reduce((n, cs) => n + cs.store.bytesWritten, 0);
      let pulled = 0;
      async function* big() {
        for (let i = 0; i < 64; i++) {
          pulled++;
          yield Buffer.alloc(MiB, i);
        }
      }
      const before = stored();
      await assert.rejects(c.client.write('/pre/file/child', big()), { code: 'not_a_directory' });
      await assert.rejects(c.client.write('/pre/missing/child', big()), { code: 'not_found' });
      await assert.rejects(c.client.write('/pre/dir', big()), { code: 'is_a_directory' });
      await assert.rejects(c.client.write('/pre/file', big(), { exclusive: true }), { code: 'precondition_failed' });
      await assert.rejects(c.client.write('/pre/file', big(), { ifMatch: 'nope' }), { code: 'precondition_failed' });
      assert.equal(pulled, 5, 'one piece of each body was read, then the write failed');
      assert.equal(stored() - before, 0, 'no chunk was stored');
    });

    it('parentsBelow makes missing directories only below an existing one', async () => {
      await assert.rejects(c.client.write('/nobucket/a/b', 'x', { parents: true, parentsBelow: '/nobucket' }), { code: 'not_found' });
      await assert.rejects(c.client.stat('/nobucket'), { code: 'not_found' });
      await assert.rejects(c.client.write('/nobucket/a/b', '', { parents: true, parentsBelow: '/nobucket' }), { code: 'not_found' }, 'an empty write (no allocation) is refused by the commit');
      await c.client.mkdir('/bucket1');
      const info = await c.client.write('/bucket1/a/b/c', 'deep', { parents: true, parentsBelow: '/bucket1' });
      assert.equal(info.size, 4);
      assert.ok((await c.client.stat('/bucket1/a/b')).isDir);
      await assert.rejects(c.client.write('/elsewhere/x', 'x', { parents: true, parentsBelow: '/bucket1' }), { code: 'invalid_argument' });
    });

    it('multipart upload completes as a splice of the parts', async () => {
      const up = await c.client.createUpload('/mp/obj', { xattrs: { 'content-type': 'text/plain' } });
      const p1 = await c.client.uploadPart(up.uploadId, 1, patternStream(5 * MiB, 21));
      const p2 = await c.client.uploadPart(up.uploadId, 2, patternStream(MiB + 3, 22));
      assert.equal(p2.size, MiB + 3);
      assert.equal(p1.size, 5 * MiB);
      const chunksBefore = (await c.client.clusterStats()).chunks;
      const info = await c.client.completeUpload(up.uploadId, [1, 2]);
      assert.equal(info.size, 6 * MiB + 3);
      assert.match(info.etag, /^[0-9a-f]{32}-2$/);
      assert.equal((await c.client.clusterStats()).chunks, chunksBefore, 'complete allocates no chunk');
      const got = await collect((await c.client.read('/mp/obj')).stream);
      assert.ok(got.equals(Buffer.concat([patternSlice(21, 0, 5 * MiB), patternSlice(22, 0, MiB + 3)])));
      assert.equal(info.xattrs['content-type']?.toString(), 'text/plain');
      await assert.rejects(c.client.listParts(up.uploadId), { code: 'not_found' });
    });

    it('bad paths are refused before anything is written', async () => {
      for (const p of ['/a/../b', '/a/./b', 'relative', '/nul\0byte', `/${'x'.repeat(256)}`, '/' + 'abcdefgh/'.repeat(500)]) {
        await assert.rejects(c.client.write(p, 'x'), { code: 'invalid_path' }, JSON.stringify(p.slice(0, 40)));
      }
      await assert.rejects(c.client.write('/mv', 'x'), { code: 'is_a_directory' });
      await assert.rejects(c.client.mkdir('/ow'), { code: 'already_exists' });
      await assert.rejects(c.client.write('/ow/child', 'x'), { code: 'not_a_directory' });
    });

    it('a flipped byte on disk makes the read fail with a checksum error, never wrong bytes', async () => {
      await c.client.write('/corrupt', patternStream(3 * MiB, 77));
      const files = await c.chunkFiles();
      const info = await c.client.stat('/corrupt');
      assert.ok(info.size === 3 * MiB);
      // The newest chunk file is ours: flip one byte in its second MiB.
      const stats = await Promise.all(files.map(async (f) => ({ f, m: (await stat(f)).mtimeMs })));
      const target = stats.sort((a, b) => b.m - a.m)[0]!.f;
      const fh = await open(target, 'r+');
      const b = Buffer.alloc(1);
      await fh.read(b, 0, 1, 1.5 * MiB);
      b[0] ^= 0x01;
      await fh.write(b, 0, 1, 1.5 * MiB);
      await fh.close();
      const { stream } = await c.client.read('/corrupt');
      let received = 0;
      await assert.rejects(
        (async () => {
          for await (const chunk of stream) {
            const want = patternSlice(77, received, received + chunk.length);
            assert.ok(Buffer.from(chunk).equals(want), 'every byte delivered is correct');
            received += chunk.length;
          }
        })(),
        { code: 'checksum_mismatch' },
      );
      assert.ok(received < 3 * MiB);
      // A range that avoids the bad block still reads.
      const ok = await collect((await c.client.readRange('/corrupt', 0, 64 * 1024)).stream);
      assert.ok(ok.equals(patternSlice(77, 0, 64 * 1024)));
    });

    it('manages S3 access keys in master metadata', async () => {
      const k = await c.client.createAccessKey({ buckets: ['media'], readOnly: true, description: 'reader' });
      assert.match(k.accessKeyId, /^[A-Z0-9]{20}$/);
      assert.ok(k.secretKey.length >= 40);
      const mine = await c.client.createAccessKey({ accessKeyId: 'my-key', secretKey: 'my-secret-123' });
      await assert.rejects(c.client.createAccessKey({ accessKeyId: 'my-key' }), { code: 'already_exists' });
      await assert.rejects(c.client.createAccessKey({ accessKeyId: 'bad key!' }), { code: 'invalid_argument' });
      const ids = (await c.client.listAccessKeys()).map((x) => x.accessKeyId).sort();
      assert.deepEqual(ids, [k.accessKeyId, mine.accessKeyId].sort());
      await c.client.revokeAccessKey('my-key');
      await assert.rejects(c.client.revokeAccessKey('my-key'), { code: 'not_found' });
    });

    it('a whole-cluster restart keeps everything', async () => {
      const keysBefore = await c.client.listAccessKeys();
      await c.client.write('/restart/x', patternStream(5 * MiB + 1, 55), { parents: true });
      const before = (await c.client.list('/rt')).entries.map((e) => [e.name, e.size, e.etag]);
      await c.restart();
      assert.deepEqual((await c.client.list('/rt')).entries.map((e) => [e.name, e.size, e.etag]), before);
      assert.deepEqual(await c.client.listAccessKeys(), keysBefore);
      assert.deepEqual(await sha256Of((await c.client.read('/restart/x')).stream), await patternSha256(5 * MiB + 1, 55));
      assert.deepEqual(await sha256Of((await c.client.read('/rt/size-67108865')).stream), await patternSha256(64 * MiB + 1, 64 * MiB + 8));
    });
  });

  describe('replication 3 pipeline', () => {
    let c: TestCluster;
    before(async () => (c = await TestCluster.start({ chunkservers: 3, replication: 3, maxChunkSize: 8 * MiB })));
    after(async () => c?.destroy());

    it('stores every chunk on three nodes and reads it back from any of them', async () => {
      await c.client.write('/r3', patternStream(20 * MiB + 5, 31));
      const files = await c.chunkFiles();
      assert.equal(files.length, 3 * 3, 'three chunks × three replicas on disk');
      assert.deepEqual(await sha256Of((await c.client.read('/r3')).stream), await patternSha256(20 * MiB + 5, 31));
      // Stop two of the three chunkservers: reads over HTTP fail over to the survivor.
      await c.chunkservers[0]!.close();
      await c.chunkservers[1]!.close();
      const remote = c.newClient({ shortCircuitReads: false });
      try {
        const served = c.chunkservers[2]!.store.bytesRead;
        assert.deepEqual(await sha256Of((await remote.read('/r3')).stream), await patternSha256(20 * MiB + 5, 31));
        assert.equal(c.chunkservers[2]!.store.bytesRead - served, 20 * MiB + 5, 'the survivor served every byte');
      } finally {
        remote.close();
      }
    });
  });

  describe('short-circuit reads (replicas on this host read from their files)', () => {
    let c: TestCluster;
    before(async () => (c = await TestCluster.start({ chunkservers: 2, replication: 2, maxChunkSize: 8 * MiB })));
    after(async () => c?.destroy());
    const served = () => c.chunkservers.reduce((n, cs) => n + cs.store.bytesRead, 0);

    it('reads verified bytes from the chunk files, with no byte served by a chunkserver', async () => {
      const size = 20 * MiB + 3;
      await c.client.write('/sc/a', patternStream(size, 41), { parents: true });
      const [local0, served0] = [c.client.shortCircuitBytes, served()];
      assert.deepEqual(await sha256Of((await c.client.read('/sc/a')).stream), await patternSha256(size, 41));
      const range = await collect((await c.client.readRange('/sc/a', 8 * MiB - 5, 10)).stream);
      assert.ok(range.equals(patternSlice(41, 8 * MiB - 5, 8 * MiB + 5)));
      assert.equal(c.client.shortCircuitBytes - local0, size + 10);
      assert.equal(served() - served0, 0);
    });

    it('is off with shortCircuitReads: false: the chunkservers serve every byte', async () => {
      const remote = c.newClient({ shortCircuitReads: false });
      try {
        const served0 = served();
        assert.deepEqual(await sha256Of((await remote.read('/sc/a')).stream), await patternSha256(20 * MiB + 3, 41));
        assert.equal(served() - served0, 20 * MiB + 3);
        assert.equal(remote.shortCircuitBytes, 0);
      } finally {
        remote.close();
      }
    });

    it('does not trust a directory whose NODE marker names another node', async () => {
      const marker = join(c.chunkservers[0]!.store.chunksDir, 'NODE');
      const own = await readFile(marker, 'utf8');
      await writeFile(marker, 'cs-someone-else\n');
      const fresh = c.newClient(); // verdicts are cached per client
      try {
        const served0 = c.chunkservers[0]!.store.bytesRead;
        const local0 = fresh.shortCircuitBytes;
        assert.deepEqual(await sha256Of((await fresh.read('/sc/a')).stream), await patternSha256(20 * MiB + 3, 41));
        // Node 1's directory is still trusted; node 0 is read only over HTTP, if at all.
        assert.equal(fresh.shortCircuitBytes - local0 + (c.chunkservers[0]!.store.bytesRead - served0), 20 * MiB + 3);
        assert.ok(fresh.shortCircuitBytes > 0);
      } finally {
        fresh.close();
        await writeFile(marker, own);
      }
    });

    it('a corrupt local replica is reported and another replica finishes the read over HTTP, every byte correct', async () => {
      const size = 3 * MiB;
      await c.client.write('/sc/corrupt', patternStream(size, 43), { parents: true });
      // Flip a byte in the second MiB of the newest chunk (ours) on node 0 only.
      const chunkId = (await c.client.listChunks({})).chunks.map((x) => x.chunkId).sort((a, b) => b - a)[0]!;
      const file = join(c.chunkservers[0]!.store.chunksDir, (chunkId % 256).toString(16).padStart(2, '0'), `${chunkId}.chunk`);
      const fh = await open(file, 'r+');
      const b = Buffer.alloc(1);
      await fh.read(b, 0, 1, 1.5 * MiB);
      b[0] ^= 0x01;
      await fh.write(b, 0, 1, 1.5 * MiB);
      await fh.close();
      // Only node 0's directory is trusted here, so its replica is read first, from the file.
      const marker1 = join(c.chunkservers[1]!.store.chunksDir, 'NODE');
      const own1 = await readFile(marker1, 'utf8');
      await writeFile(marker1, 'cs-someone-else\n');
      const fresh = c.newClient();
      try {
        const badBefore = (await c.client.clusterStats()).badReplicas ?? 0;
        const served1 = c.chunkservers[1]!.store.bytesRead;
        const got = await collect((await fresh.read('/sc/corrupt')).stream);
        assert.ok(got.equals(patternSlice(43, 0, size)), 'every byte correct');
        assert.ok(fresh.shortCircuitBytes >= MiB && fresh.shortCircuitBytes < 2 * MiB, `the verified first blocks came from the file (${fresh.shortCircuitBytes})`);
        assert.equal(fresh.shortCircuitBytes + c.chunkservers[1]!.store.bytesRead - served1, size, 'node 1 served the rest');
        await eventually(async () => ((await c.client.clusterStats()).badReplicas ?? 0) > badBefore, 20_000, 'the master to hear of the bad replica');
      } finally {
        fresh.close();
        await writeFile(marker1, own1);
      }
    });
  });
});
