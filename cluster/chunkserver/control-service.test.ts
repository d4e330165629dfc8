// The gRPC control service against real chunkservers: Replicate copies over the data plane and never
// publishes a bad or wrong-version copy; Stat/Stats/Delete; the API key is enforced.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { fromServiceError, authMetadata } from '../../common/grpc.js';
import { chunkserverProto } from '../../proto/load.js';
import type { ChunkserverClient } from '../../proto/generated/godfs/chunkserver/v1/Chunkserver.js';
import { chunkPath } from '../../common/chunk-format.js';
import type { ChunkserverHandle } from './server.js';
import { MiB, Servers, chunkFilesUnder, collect, filesUnder, flipByte, putChunk } from '../../test/chunkserver.js';

const KEY = 'control-key';

function client(h: ChunkserverHandle): ChunkserverClient {
  return new (chunkserverProto().godfs.chunkserver.v1.Chunkserver)(h.controlAddress, grpc.credentials.createInsecure());
}

type Method = 'DeleteChunks' | 'Replicate' | 'StatChunk' | 'Stats';
/** Calls a unary method; rejects with the GodfsError the server raised. */
function call<T>(c: ChunkserverClient, method: Method, req: object, apiKey: string | null = KEY): Promise<T> {
  return new Promise((resolve, reject) => {
    const fn = c[method].bind(c) as unknown as (r: object, md: grpc.Metadata, cb: (e: grpc.ServiceError | null, v?: T) => void) => void;
    fn(req, authMetadata(apiKey ?? undefined), (err, res) => (err ? reject(fromServiceError(err)) : resolve(res as T)));
  });
}

describe('chunkserver control service (gRPC)', function () {
  this.timeout(30_000);
  const servers = new Servers();
  const clients: ChunkserverClient[] = [];
  const connect = (h: ChunkserverHandle) => {
    const c = client(h);
    clients.push(c);
    return c;
  };
  afterEach(async () => {
    for (const c of clients.splice(0)) c.close();
    await servers.stop();
  });

  it('Replicate copies a chunk from a peer byte-exact, and is idempotent', async () => {
    const [a, b] = [await servers.start({ apiKey: KEY }), await servers.start({ apiKey: KEY })];
    const data = randomBytes(3 * MiB + 5);
    assert.equal((await putChunk(a.address, 40, 6, data, { apiKey: KEY })).status, 200);
    const cb = connect(b);
    const stat = await call(cb, 'Replicate', { chunk_id: 40, version: 6, source_addr: a.address });
    assert.deepEqual(stat, { chunk_id: 40, version: 6, size: data.length, present: true });
    assert.ok((await collect(b.store.read(40))).equals(data));
    assert.deepEqual(await call(cb, 'Replicate', { chunk_id: 40, version: 6, source_addr: a.address }), stat);
  });

  it('Replicate refuses a source at another version, and replaces a stale local replica', async () => {
    const [a, b] = [await servers.start({ apiKey: KEY }), await servers.start({ apiKey: KEY })];
    await putChunk(a.address, 41, 5, Buffer.from('version five'), { apiKey: KEY });
    await putChunk(b.address, 41, 4, Buffer.from('stale four'), { apiKey: KEY });
    const cb = connect(b);
    await assert.rejects(call(cb, 'Replicate', { chunk_id: 41, version: 6, source_addr: a.address }), { code: 'conflict' });
    assert.equal((await collect(b.store.read(41))).toString(), 'stale four');
    await call(cb, 'Replicate', { chunk_id: 41, version: 5, source_addr: a.address });
    assert.deepEqual(b.store.stat(41), { id: 41, version: 5, size: 12 });
    assert.equal((await collect(b.store.read(41))).toString(), 'version five');
  });

  it('Replicate from a corrupt source fails and publishes nothing', async () => {
    const [a, b] = [await servers.start({ apiKey: KEY }), await servers.start({ apiKey: KEY })];
    await putChunk(a.address, 42, 1, randomBytes(3 * MiB), { apiKey: KEY });
    await putChunk(a.address, 43, 1, randomBytes(3 * MiB), { apiKey: KEY });
    await flipByte(chunkPath(join(a.store.dataDir, 'chunks'), 42), 2 * MiB + 7); // mid-stream
    await flipByte(chunkPath(join(a.store.dataDir, 'chunks'), 43), 3); // first block
    const cb = connect(b);
    for (const id of [42, 43]) {
      await assert.rejects(call(cb, 'Replicate', { chunk_id: id, version: 1, source_addr: a.address }), { code: 'checksum_mismatch' });
      assert.equal(b.store.has(id), false);
    }
    assert.deepEqual(await filesUnder(join(b.store.dataDir, 'tmp')), []);
    assert.deepEqual(await chunkFilesUnder(join(b.store.dataDir, 'chunks')), []);
  });

  it('Replicate from a source that does not have the chunk is not_found', async () => {
    const [a, b] = [await servers.start({ apiKey: KEY }), await servers.start({ apiKey: KEY })];
    await assert.rejects(call(connect(b), 'Replicate', { chunk_id: 44, version: 1, source_addr: a.address }), { code: 'not_found' });
  });

  it('StatChunk, Stats and DeleteChunks', async () => {
    const s = await servers.start({ apiKey: KEY, capacityBytes: 10 * MiB });
    await putChunk(s.address, 1, 2, randomBytes(1000), { apiKey: KEY });
    await putChunk(s.address, 2, 2, randomBytes(2000), { apiKey: KEY });
    const c = connect(s);
    assert.deepEqual(await call(c, 'StatChunk', { chunk_ids: [1] }), { chunk_id: 1, version: 2, size: 1000, present: true });
    assert.deepEqual(await call(c, 'StatChunk', { chunk_ids: [3] }), { chunk_id: 3, version: 0, size: 0, present: false });
    const stats = await call<Record<string, unknown>>(c, 'Stats', {});
    assert.equal(stats.node_id, s.nodeId);
    assert.equal(stats.capacity, 10 * MiB);
    assert.equal(stats.chunk_count, 2);
    assert.equal(stats.bytes_written, 3000);
    assert.equal(stats.free, 10 * MiB - (stats.used as number));
    assert.deepEqual(await call(c, 'DeleteChunks', { chunk_ids: [1, 3] }), { deleted: 1 });
    assert.deepEqual(s.store.list().map((x) => x.id), [2]);
  });

  it('requires the API key on every call', async () => {
    const s = await servers.start({ apiKey: KEY });
    await putChunk(s.address, 1, 1, Buffer.from('x'), { apiKey: KEY });
    const c = connect(s);
    await assert.rejects(call(c, 'DeleteChunks', { chunk_ids: [1] }, null), { code: 'unauthenticated' });
    await assert.rejects(call(c, 'Stats', {}, 'wrong'), { code: 'unauthenticated' });
    assert.equal(s.store.has(1), true);
  });
});
