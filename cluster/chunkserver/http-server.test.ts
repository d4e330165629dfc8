// The data plane over real sockets: PUT/GET/HEAD/DELETE as the sdk speaks them, checksum failures as
// errors or trailers (never wrong bytes), the replication pipeline, and every way a write can fail
// leaving nothing behind.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { request } from 'node:http';
import { join } from 'node:path';
import { parseHostPort } from '../../common/net.js';
import { BLOCK_SIZE, chunkPath } from '../../common/chunk-format.js';
import type { ChunkserverHandle } from './server.js';
import { MiB, Servers, chunkFilesUnder, flipByte, filesUnder, getChunk, http, pieces, putChunk } from '../../test/chunkserver.js';
import { eventually } from '../../test/eventually.js';

const dataDirOf = (h: ChunkserverHandle) => h.store.dataDir;
const fileOf = (h: ChunkserverHandle, id: number) => chunkPath(join(dataDirOf(h), 'chunks'), id);
const tmpFiles = (h: ChunkserverHandle) => filesUnder(join(dataDirOf(h), 'tmp'));

describe('chunkserver data plane (HTTP)', function () {
  this.timeout(30_000);
  const servers = new Servers();
  afterEach(() => servers.stop());

  it('PUT then GET, ranged GET, HEAD and DELETE', async () => {
    const s = await servers.start();
    const data = randomBytes(2 * BLOCK_SIZE + 17);
    const put = await putChunk(s.address, 11, 4, data);
    assert.equal(put.status, 200);
    assert.deepEqual(put.json, { chunk_id: 11, version: 4, size: data.length, replicas: [s.nodeId] });

    const all = await getChunk(s.address, 11);
    assert.equal(all.status, 200);
    assert.equal(all.headers['x-godfs-chunk-version'], '4');
    assert.equal(all.headers['x-godfs-chunk-size'], String(data.length));
    assert.equal(all.headers['transfer-encoding'], 'chunked');
    assert.equal(all.trailers['x-godfs-status'], 'ok');
    assert.ok(all.body.equals(data));

    for (const [offset, length] of [[BLOCK_SIZE - 3, 6], [0, 0], [2 * BLOCK_SIZE, 17], [data.length, 0]] as const) {
      const r = await getChunk(s.address, 11, { offset, length });
      assert.equal(r.status, 200);
      assert.equal(r.trailers['x-godfs-status'], 'ok');
      assert.ok(r.body.equals(data.subarray(offset, offset + length)), `range ${offset}+${length}`);
    }
    const tail = await getChunk(s.address, 11, { offset: 5 });
    assert.ok(tail.body.equals(data.subarray(5)));

    const head = await http(s.address, { method: 'HEAD', path: '/chunks/11' });
    assert.equal(head.status, 200);
    assert.equal(head.headers['x-godfs-chunk-size'], String(data.length));
    assert.equal((await http(s.address, { method: 'HEAD', path: '/chunks/12' })).status, 404);

    assert.equal((await http(s.address, { method: 'DELETE', path: '/chunks/11' })).status, 204);
    const gone = await getChunk(s.address, 11);
    assert.equal(gone.status, 404);
    assert.deepEqual(gone.json, { code: 'not_found', message: 'chunk 11 not found' });
    assert.equal(s.store.has(11), false);
  });

  it('accepts a chunked body and refuses a second PUT of a complete chunk with 409', async () => {
    const s = await servers.start();
    const data = randomBytes(300_000);
    const put = await putChunk(s.address, 5, 1, pieces(data, 7777));
    assert.equal(put.status, 200);
    assert.equal((put.json as { size: number }).size, data.length);
    const again = await putChunk(s.address, 5, 1, Buffer.from('other'));
    assert.equal(again.status, 409);
    assert.equal((again.json as { code: string }).code, 'already_exists');
    assert.ok((await getChunk(s.address, 5)).body.equals(data));
  });

  it('answers bad requests with JSON errors: 400, 404, 416', async () => {
    const s = await servers.start();
    await putChunk(s.address, 3, 1, randomBytes(1000));
    const cases: Array<[Promise<{ status: number; json: unknown }>, number, string]> = [
      [http(s.address, { method: 'PUT', path: '/chunks/abc?version=1', body: Buffer.from('x') }), 400, 'invalid_argument'],
      [http(s.address, { method: 'PUT', path: '/chunks/0?version=1', body: Buffer.from('x') }), 400, 'invalid_argument'],
      [http(s.address, { method: 'PUT', path: '/chunks/4', body: Buffer.from('x') }), 400, 'invalid_argument'],
      [http(s.address, { method: 'PUT', path: '/chunks/4?version=-1', body: Buffer.from('x') }), 400, 'invalid_argument'],
      [putChunk(s.address, 4, 1, Buffer.from('x'), { chain: ['not an address'] }), 400, 'invalid_argument'],
      [getChunk(s.address, 3, { offset: 1001 }), 416, 'invalid_range'],
      [getChunk(s.address, 3, { offset: 999, length: 2 }), 416, 'invalid_range'],
      [http(s.address, { method: 'GET', path: '/chunks/3?offset=x' }), 400, 'invalid_argument'],
      [http(s.address, { method: 'GET', path: '/nope' }), 404, 'not_found'],
    ];
    for (const [p, status, code] of cases) {
      const r = await p;
      assert.equal(r.status, status, JSON.stringify(r.json));
      assert.equal((r.json as { code: string }).code, code);
    }
    assert.deepEqual(s.store.list().map((c) => c.id), [3]);
    assert.deepEqual(await tmpFiles(s), []);
  });

  it('a flipped byte mid-chunk: verified bytes, then trailer x-godfs-status: checksum_mismatch', async () => {
    const s = await servers.start();
    const data = randomBytes(3 * MiB);
    await putChunk(s.address, 21, 1, data);
    await flipByte(fileOf(s, 21), 1.5 * MiB + 100); // in block 24
    const r = await getChunk(s.address, 21);
    assert.equal(r.status, 200);
    assert.equal(r.trailers['x-godfs-status'], 'checksum_mismatch');
    assert.equal(r.body.length, 24 * BLOCK_SIZE, 'the blocks before the bad one, none of it');
    assert.ok(r.body.equals(data.subarray(0, r.body.length)), 'every byte sent is correct');
    // A range that avoids the bad block is fine.
    const ok = await getChunk(s.address, 21, { offset: 2 * MiB, length: MiB });
    assert.equal(ok.trailers['x-godfs-status'], 'ok');
    assert.ok(ok.body.equals(data.subarray(2 * MiB)));
    const metrics = (await http(s.address, { method: 'GET', path: '/metrics' })).body.toString();
    assert.match(metrics, /^godfs_chunkserver_checksum_failures_total 1$/m);
  });

  it('a bad first block is a 503 checksum_mismatch JSON error before any header', async () => {
    const s = await servers.start();
    const data = randomBytes(MiB);
    await putChunk(s.address, 22, 1, data);
    await flipByte(fileOf(s, 22), 10);
    for (const q of [{}, { offset: 5, length: 100 }]) {
      const r = await getChunk(s.address, 22, q);
      assert.equal(r.status, 503);
      assert.equal(r.headers['content-type'], 'application/json');
      assert.equal((r.json as { code: string }).code, 'checksum_mismatch');
      assert.equal(r.headers['x-godfs-chunk-version'], undefined);
    }
  });

  it('pipelines a PUT through three chunkservers: identical replicas, all three listed', async () => {
    const [a, b, c] = [await servers.start(), await servers.start(), await servers.start()];
    const data = randomBytes(5 * MiB + 12345);
    const r = await putChunk(a.address, 77, 3, pieces(data, 256 * 1024), { chain: [b.address, c.address] });
    assert.equal(r.status, 200, JSON.stringify(r.json));
    assert.deepEqual(r.json, { chunk_id: 77, version: 3, size: data.length, replicas: [a.nodeId, b.nodeId, c.nodeId] });
    const digests = await Promise.all([a, b, c].map(async (h) => createHash('sha256').update(await readFile(fileOf(h, 77))).digest('hex')));
    assert.equal(new Set(digests).size, 1, 'chunk files (data and checksums) are byte-identical');
    for (const h of [a, b, c]) {
      assert.deepEqual(h.store.stat(77), { id: 77, version: 3, size: data.length });
      assert.ok((await getChunk(h.address, 77)).body.equals(data));
    }
  });

  it('a downstream that is down fails the PUT and leaves nothing on the primary', async () => {
    const [a, b] = [await servers.start(), await servers.start()];
    const deadAddr = b.address;
    await b.close();
    const r = await putChunk(a.address, 8, 1, randomBytes(2 * MiB), { chain: [deadAddr] });
    assert.equal(r.status, 503);
    assert.equal((r.json as { code: string }).code, 'unavailable');
    assert.match((r.json as { message: string }).message, new RegExp(deadAddr.replace(/\./g, '\\.')));
    assert.equal(a.store.has(8), false);
    assert.deepEqual(await tmpFiles(a), []);
    assert.deepEqual(await chunkFilesUnder(join(dataDirOf(a), 'chunks')), []);
  });

  it('a refusal at the end of the chain unwinds every replica before it', async () => {
    const [a, b, c] = [await servers.start(), await servers.start(), await servers.start()];
    assert.equal((await putChunk(c.address, 9, 1, Buffer.from('already here'))).status, 200);
    const r = await putChunk(a.address, 9, 1, pieces(randomBytes(3 * MiB), 64 * 1024), { chain: [b.address, c.address] });
    assert.equal(r.status, 409);
    assert.equal((r.json as { code: string }).code, 'already_exists');
    for (const h of [a, b]) {
      assert.equal(h.store.has(9), false);
      await eventually(async () => (await tmpFiles(h)).length === 0, 20_000, 'temp files removed');
    }
    assert.equal((await getChunk(c.address, 9)).body.toString(), 'already here');
  });

  it('a client that aborts mid-body leaves nothing on any replica', async () => {
    const [a, b] = [await servers.start(), await servers.start()];
    const { host, port } = parseHostPort(a.address);
    const req = request({ host, port, method: 'PUT', path: '/chunks/31?version=1', headers: { 'x-godfs-chain': b.address, 'content-length': String(8 * MiB) } });
    req.on('error', () => undefined);
    req.write(randomBytes(2 * MiB));
    await eventually(async () => (await tmpFiles(a)).length === 1 && (await tmpFiles(b)).length === 1, 20_000, 'writes in progress');
    req.destroy();
    for (const h of [a, b]) {
      await eventually(async () => (await tmpFiles(h)).length === 0, 20_000, 'temp files removed');
      assert.equal(h.store.has(31), false);
    }
    // The servers are still healthy and the id is free again.
    assert.equal((await putChunk(a.address, 31, 1, Buffer.from('ok'), { chain: [b.address] })).status, 200);
  });

  it('checks the API key: 401 without or with a wrong one, nothing stored; the chain forwards it', async () => {
    const key = 'sekrit';
    const [a, b] = [await servers.start({ apiKey: key }), await servers.start({ apiKey: key })];
    for (const apiKey of [undefined, 'wrong']) {
      const r = await putChunk(a.address, 1, 1, randomBytes(100_000), apiKey ? { apiKey } : {});
      assert.equal(r.status, 401);
      assert.equal((r.json as { code: string }).code, 'unauthenticated');
      assert.equal((await getChunk(a.address, 1, apiKey ? { apiKey } : {})).status, 401);
    }
    assert.deepEqual(await chunkFilesUnder(join(dataDirOf(a), 'chunks')), []);
    const ok = await putChunk(a.address, 1, 1, Buffer.from('hello'), { apiKey: key, chain: [b.address] });
    assert.equal(ok.status, 200);
    assert.equal((await getChunk(b.address, 1, { apiKey: key })).body.toString(), 'hello');
    assert.equal((await http(a.address, { method: 'DELETE', path: '/chunks/1' })).status, 401);
    assert.equal(a.store.has(1), true);
    assert.equal((await http(a.address, { method: 'GET', path: '/healthz' })).status, 200, 'health needs no key');
  });

  it('refuses a chunk over the maximum size with 413, by Content-Length or mid-stream', async () => {
    const s = await servers.start({ maxChunkSize: MiB });
    const byLength = await putChunk(s.address, 1, 1, randomBytes(MiB + 1));
    assert.equal(byLength.status, 413);
    assert.equal((byLength.json as { code: string }).code, 'too_large');
    const streamed = await putChunk(s.address, 2, 1, pieces(randomBytes(MiB + 1), 100_000));
    assert.equal(streamed.status, 413);
    assert.equal((streamed.json as { code: string }).code, 'too_large');
    assert.deepEqual(s.store.list(), []);
    await eventually(async () => (await tmpFiles(s)).length === 0, 20_000, 'temp files removed');
    assert.equal((await putChunk(s.address, 3, 1, randomBytes(MiB))).status, 200);
  });

  it('answers 507 no_space when the capacity quota cannot hold the chunk', async () => {
    const s = await servers.start({ capacityBytes: MiB });
    const r = await putChunk(s.address, 1, 1, randomBytes(MiB + 1));
    assert.equal(r.status, 507);
    assert.equal((r.json as { code: string }).code, 'no_space');
  });

  it('streams a 64 MiB chunk without holding it in memory', async function () {
    this.timeout(60_000);
    const s = await servers.start();
    const piece = randomBytes(MiB);
    const hash = createHash('sha256');
    for (let i = 0; i < 64; i++) hash.update(piece);
    const sample = () => process.memoryUsage();
    const base = sample();
    let peakRss = base.rss;
    let peakBuffers = base.arrayBuffers;
    const timer = setInterval(() => {
      const m = sample();
      peakRss = Math.max(peakRss, m.rss);
      peakBuffers = Math.max(peakBuffers, m.arrayBuffers);
    }, 5);
    // The same 1 MiB sent 64 times: the client side holds 1 MiB, so growth is the server's doing.
    async function* body() {
      for (let i = 0; i < 64; i++) yield piece;
    }
    try {
      const r = await putChunk(s.address, 64, 1, body());
      assert.equal(r.status, 200, JSON.stringify(r.json));
      assert.equal((r.json as { size: number }).size, 64 * MiB);
    } finally {
      clearInterval(timer);
    }
    const rssGrowth = (peakRss - base.rss) / MiB;
    const bufferGrowth = (peakBuffers - base.arrayBuffers) / MiB;
    // Buffering the chunk would need ≥ 64 MiB live at once; streaming needs a few MiB (plus garbage).
    if (process.env.GODFS_TEST_VERBOSE) console.log(`rss +${rssGrowth.toFixed(1)} MiB, buffers +${bufferGrowth.toFixed(1)} MiB`);
    assert.ok(bufferGrowth < 40, `buffers grew by ${bufferGrowth.toFixed(1)} MiB`);
    assert.ok(rssGrowth < 48, `RSS grew by ${rssGrowth.toFixed(1)} MiB`);
    const digest = createHash('sha256');
    for await (const b of s.store.read(64)) digest.update(b);
    assert.equal(digest.digest('hex'), hash.digest('hex'));
  });

  it('serves /healthz, /readyz and Prometheus /metrics', async () => {
    const s = await servers.start();
    assert.deepEqual((await http(s.address, { method: 'GET', path: '/healthz' })).json, { status: 'ok' });
    assert.equal((await http(s.address, { method: 'GET', path: '/readyz' })).status, 200);
    await putChunk(s.address, 1, 1, randomBytes(1000));
    assert.equal((await getChunk(s.address, 1, { offset: 0, length: 400 })).body.length, 400);
    const m = await http(s.address, { method: 'GET', path: '/metrics' });
    assert.equal(m.status, 200);
    const text = m.body.toString();
    assert.match(text, /^godfs_chunkserver_bytes_written_total 1000$/m);
    assert.match(text, /^godfs_chunkserver_bytes_read_total 400$/m);
    assert.match(text, /^godfs_chunkserver_chunks 1$/m);
    assert.match(text, /^godfs_chunkserver_free_bytes \d+/m);
    assert.match(text, /^godfs_chunkserver_request_duration_seconds_count\{method="PUT",route="chunks",status="200"\} 1$/m);
    assert.match(text, /^process_resident_memory_bytes /m);
  });
});
