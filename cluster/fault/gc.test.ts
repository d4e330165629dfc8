// Issue 4, test 4 (GFS §4.4): chunks that nothing references — deleted and overwritten files, aborted
// multipart uploads, aborted writes, writes that were never committed, replicas the master never
// allocated — disappear from every chunkserver's disk after the grace period, and nothing referenced
// is ever deleted.
import assert from 'node:assert/strict';
import { ChunkUpload } from '../../sdk/chunk-io.js';
import { MasterConnection } from '../../sdk/master-client.js';
import type { AllocateResponse__Output } from '../../proto/generated/godfs/master/v1/AllocateResponse.js';
import { patternSlice } from '../../test/data.js';
import { KEY, ProcessCluster } from '../../test/process-cluster.js';
import { rng } from '../../test/seed.js';
import { MiB, allChunks, verifyPattern } from '../../test/replication.js';

const GRACE_MS = 2500;

describe('fault: garbage collection', function () {
  this.timeout(120_000);
  let c: ProcessCluster | undefined;
  let raw: MasterConnection | undefined;
  after(async () => {
    raw?.close();
    await c?.destroy();
  });

  it('deletes unreferenced chunks everywhere after the grace period, and nothing else', async () => {
    const r = rng('gc');
    c = await ProcessCluster.start({ chunkservers: 4, replication: 3, master: { maxChunkSize: 2 * MiB, gcGraceMs: GRACE_MS } });
    const cl = c.client;
    const keep = new Map<string, { size: number; seed: number }>();
    const put = async (path: string, size: number, seed: number) => {
      await cl.write(path, patternSlice(seed, 0, size), { parents: true });
      return { size, seed };
    };
    for (let i = 0; i < 10; i++) keep.set(`/g/keep${i}`, await put(`/g/keep${i}`, r.int(1, 4 * MiB), r.seed + i));
    for (let i = 0; i < 8; i++) await put(`/g/del${i}`, r.int(1, 4 * MiB), r.seed + 100 + i);
    for (let i = 0; i < 5; i++) await put(`/g/over${i}`, r.int(1, 4 * MiB), r.seed + 200 + i);
    // A completed multipart upload (kept) and an aborted one.
    const done = await cl.createUpload('/g/mp-done');
    await cl.uploadPart(done.uploadId, 1, patternSlice(r.seed + 300, 0, 3 * MiB));
    await cl.uploadPart(done.uploadId, 2, patternSlice(r.seed + 301, 0, MiB));
    await cl.completeUpload(done.uploadId, [1, 2]);
    const aborted = await cl.createUpload('/g/mp-aborted');
    await cl.uploadPart(aborted.uploadId, 1, patternSlice(r.seed + 310, 0, 3 * MiB));
    await cl.uploadPart(aborted.uploadId, 2, patternSlice(r.seed + 311, 0, MiB));

    // A write whose source fails part-way: the sdk abandons its chunks.
    async function* failing() {
      yield patternSlice(r.seed + 400, 0, 3 * MiB);
      throw new Error('source failed');
    }
    await assert.rejects(cl.write('/g/aborted-write', failing()), /source failed/);
    // A write that stored a chunk and then vanished (no commit, no abandon): its lease expires.
    raw = new MasterConnection(c.master.info.address, KEY);
    const a = await raw.call<AllocateResponse__Output>('AllocateChunk', { replication: 3 });
    const up = new ChunkUpload({ chunkId: a.chunk_id, version: a.version, replicas: a.replicas }, KEY);
    await up.write(patternSlice(r.seed + 500, 0, MiB));
    await up.finish();
    // A replica the master never allocated (e.g. left by an old cluster): an orphan.
    const orphanId = 900_000_001;
    const cs0 = c.chunkservers[0]!;
    const orphan = new ChunkUpload({ chunkId: orphanId, version: 1, replicas: [{ id: cs0.nodeId, addr: cs0.address }] }, KEY);
    await orphan.write(Buffer.from('orphan'));
    await orphan.finish();

    // Now make garbage of the rest.
    const deletedIds: number[] = [];
    for (let i = 0; i < 8; i++) for (const ch of await allChunks(cl, { path: `/g/del${i}` })) deletedIds.push(ch.chunkId);
    for (let i = 0; i < 8; i++) await cl.delete(`/g/del${i}`);
    for (let i = 0; i < 5; i++) keep.set(`/g/over${i}`, await put(`/g/over${i}`, r.int(1, 4 * MiB), r.seed + 600 + i));
    await cl.abortUpload(aborted.uploadId);
    const garbageAt = Date.now();

    // GFS §4.4: deletion is lazy — within the grace period the chunks are still there (an operator
    // could still recover them from the chunkservers).
    const early = await c.allChunkFiles();
    if (Date.now() - garbageAt < GRACE_MS - 500) assert.ok(deletedIds.every((id) => early.get(id)?.length === 3), 'deleted files keep their chunks during the grace period');
    const referenced = new Set<number>();
    for (const p of [...keep.keys(), '/g/mp-done']) for (const ch of await allChunks(cl, { path: p })) referenced.add(ch.chunkId);
    const onDisk = await c.allChunkFiles();
    const garbage = [...onDisk.keys()].filter((id) => !referenced.has(id));
    assert.ok(garbage.includes(orphanId) && garbage.includes(a.chunk_id));
    assert.ok(garbage.length >= 8 + 5 + 2 + 1 + 2, `expected garbage of every kind, found ${garbage.length} chunks`);

    // Until it is gone, every referenced file keeps reading back intact.
    let reads = 0;
    const goneMs = await c.waitFor(
      async () => {
        for (const [p, f] of keep) {
          await verifyPattern(cl, p, f.size, f.seed);
          reads++;
        }
        const now = await c!.allChunkFiles();
        return garbage.every((id) => !now.has(id));
      },
      30_000,
      'every unreferenced chunk deleted from every disk',
      200,
    );
    const elapsed = Date.now() - garbageAt;
    assert.ok(elapsed >= GRACE_MS - 500, `garbage must outlive the grace period (gone after ${elapsed} ms)`);
    const final = await c.allChunkFiles();
    for (const id of referenced) assert.equal(final.get(id)?.length, 3, `referenced chunk ${id} has 3 replicas on disk`);
    for (const [p, f] of keep) await verifyPattern(cl, p, f.size, f.seed);
    const mp = Buffer.concat(await (await cl.read('/g/mp-done')).stream.toArray());
    assert.ok(mp.equals(Buffer.concat([patternSlice(r.seed + 300, 0, 3 * MiB), patternSlice(r.seed + 301, 0, MiB)])));
    console.log(
      `      ${garbage.length} unreferenced chunks (deleted, overwritten, aborted upload and write, uncommitted, orphan) gone from every disk ` +
        `${(elapsed / 1000).toFixed(1)} s after they became garbage (grace ${GRACE_MS / 1000} s; waited ${goneMs} ms); ` +
        `${referenced.size} referenced chunks intact, ${reads} verified reads meanwhile`,
    );
  });
});
