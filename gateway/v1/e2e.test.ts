// /v1 end to end: a real in-process cluster (master + 1 chunkserver on temp dirs, loopback ports),
// the real sdk, and the gateway on a real socket, driven with fetch. Checks that the codes the HTTP
// layer relies on are the ones the sdk and master really raise.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { request } from 'node:http';
import { Readable } from 'node:stream';
import { silentLogger } from '../../common/log.js';
import { TestCluster } from '../../test/cluster.js';
import { patternSlice, patternStream } from '../../test/data.js';
import { startGateway } from '../server.js';

const MiB = 2 ** 20;
const KEY = 'gw-key';

describe('/v1 end to end against a live cluster', function () {
  this.timeout(120_000);
  let c: TestCluster;
  let gw: Awaited<ReturnType<typeof startGateway>>;
  let base: string;
  const auth = { authorization: `Bearer ${KEY}` };
  const call = (method: string, url: string, init: { headers?: Record<string, string>; body?: unknown; json?: unknown } = {}) =>
    fetch(`${base}${url}`, {
      method,
      headers: { ...auth, ...(init.headers ?? {}) },
      body: init.json !== undefined ? JSON.stringify(init.json) : (init.body as string | undefined),
      ...(init.body instanceof Readable ? { duplex: 'half' } : {}),
    } as unknown as RequestInit);
  const code = async (res: Response) => ((await res.json()) as { code: string }).code;

  before(async () => {
    c = await TestCluster.start({ chunkservers: 1, replication: 1, maxChunkSize: 1 * MiB });
    gw = await startGateway({ client: c.client, apiKey: KEY, logger: silentLogger, listen: '127.0.0.1:0', maxBodyBytes: 8 * MiB });
    base = `http://${gw.address}`;
  });
  after(async () => {
    await gw?.close();
    await c?.destroy();
  });

  it('is ready once the cluster has a live chunkserver', async () => {
    assert.equal((await fetch(`${base}/readyz`)).status, 200);
  });

  it('streams a multi-chunk upload in and reads it back whole, ranged and multi-ranged', async () => {
    const size = 5 * MiB + 123;
    const put = await call('PUT', '/v1/fs/content?path=/e2e/big.bin&parents=1', { body: patternStream(size, 9), headers: { 'content-type': 'video/mp4' } });
    assert.equal(put.status, 204);
    const whole = patternSlice(9, 0, size);
    assert.equal(put.headers.get('etag'), `"${createHash('md5').update(whole).digest('hex')}"`);

    const get = await call('GET', '/v1/fs/content?path=/e2e/big.bin');
    assert.equal(get.status, 200);
    assert.equal(get.headers.get('content-type'), 'video/mp4');
    assert.equal(get.headers.get('content-length'), String(size));
    assert.ok(Buffer.from(await get.arrayBuffer()).equals(whole));

    // A range straddling the 1 MiB chunk boundary.
    const r = await call('GET', '/v1/fs/content?path=/e2e/big.bin', { headers: { range: `bytes=${MiB - 10}-${MiB + 9}` } });
    assert.equal(r.status, 206);
    assert.equal(r.headers.get('content-range'), `bytes ${MiB - 10}-${MiB + 9}/${size}`);
    assert.ok(Buffer.from(await r.arrayBuffer()).equals(whole.subarray(MiB - 10, MiB + 10)));

    const multi = await call('GET', '/v1/fs/content?path=/e2e/big.bin', { headers: { range: 'bytes=0-9,-10' } });
    assert.equal(multi.status, 206);
    const body = Buffer.from(await multi.arrayBuffer());
    assert.equal(Number(multi.headers.get('content-length')), body.length);
    assert.ok(body.includes(whole.subarray(0, 10)) && body.includes(whole.subarray(size - 10)));
    assert.ok(body.includes(Buffer.from(`Content-Range: bytes ${size - 10}-${size - 1}/${size}`)));

    assert.equal((await call('GET', '/v1/fs/content?path=/e2e/big.bin', { headers: { range: `bytes=${size}-` } })).status, 416);
    const etag = put.headers.get('etag')!;
    assert.equal((await call('GET', '/v1/fs/content?path=/e2e/big.bin', { headers: { 'if-none-match': etag } })).status, 304);
    assert.equal((await call('GET', '/v1/fs/content?path=/e2e/big.bin', { headers: { 'if-match': '"nope"' } })).status, 412);
  });

  it('refuses a chunked body over the cap with 413 and stores nothing', async () => {
    // node:http, not fetch: undici's fetch reports the server closing mid-upload as a network error
    // instead of surfacing the early 413 (curl and node:http both show it).
    const [host, port] = gw.address.split(':');
    const status = await new Promise<number>((resolve, reject) => {
      const r = request({ host, port: Number(port), method: 'PUT', path: '/v1/fs/content?path=/e2e/too-big', headers: { ...auth, 'transfer-encoding': 'chunked' } }, (res) => {
        res.resume();
        resolve(res.statusCode!);
      });
      r.on('error', (err) => (err as NodeJS.ErrnoException).code === 'EPIPE' || reject(err));
      patternStream(9 * MiB, 1).pipe(r);
    });
    assert.equal(status, 413);
    const stat = await call('GET', '/v1/fs/stat?path=/e2e/too-big');
    assert.equal(stat.status, 404);
  });

  it('conditional PUTs against the master: If-None-Match: * and If-Match', async () => {
    assert.equal((await call('PUT', '/v1/fs/content?path=/e2e/c', { body: 'one', headers: { 'if-none-match': '*' } })).status, 204);
    assert.equal((await call('PUT', '/v1/fs/content?path=/e2e/c', { body: 'two', headers: { 'if-none-match': '*' } })).status, 412);
    assert.equal((await call('PUT', '/v1/fs/content?path=/e2e/c', { body: 'two', headers: { 'if-match': '"nope"' } })).status, 412);
    const etag = `"${createHash('md5').update('one').digest('hex')}"`;
    assert.equal((await call('PUT', '/v1/fs/content?path=/e2e/c', { body: 'two', headers: { 'if-match': etag } })).status, 204);
    assert.equal(await (await call('GET', '/v1/fs/content?path=/e2e/c')).text(), 'two');
  });

  it('namespace: mkdir, list, stat, rename, truncate, delete with the documented statuses', async () => {
    assert.equal((await call('POST', '/v1/fs/mkdir', { json: { path: '/ns/a/b', parents: true } })).status, 204);
    assert.equal((await call('POST', '/v1/fs/mkdir', { json: { path: '/ns/a' } })).status, 409);
    assert.equal((await call('POST', '/v1/fs/mkdir', { json: { path: '/ns/x/y' } })).status, 404);
    assert.equal((await call('POST', '/v1/fs/file', { json: { path: '/ns/f' } })).status, 204);
    assert.equal((await call('POST', '/v1/fs/file', { json: { path: '/ns/f' } })).status, 409);
    const overFile = await call('POST', '/v1/fs/mkdir', { json: { path: '/ns/f' } });
    assert.equal(overFile.status, 409);
    const putDir = await call('PUT', '/v1/fs/content?path=/ns/a', { body: 'x' });
    assert.equal(putDir.status, 409);
    assert.equal(await code(putDir), 'is_a_directory');
    const getDir = await call('GET', '/v1/fs/content?path=/ns/a');
    assert.equal(getDir.status, 409);
    assert.equal(await code(getDir), 'is_a_directory');

    const list = (await (await call('GET', '/v1/fs/list?path=/ns&limit=1')).json()) as { entries: { name: string }[]; next_cursor: string | null };
    assert.deepEqual(list.entries.map((e) => e.name), ['a']);
    assert.ok(list.next_cursor);
    const rest = (await (await call('GET', `/v1/fs/list?path=/ns&cursor=${encodeURIComponent(list.next_cursor!)}`)).json()) as { entries: { name: string }[]; next_cursor: string | null };
    assert.deepEqual(rest.entries.map((e) => e.name), ['f']);
    assert.equal(rest.next_cursor, null);

    const intoSelf = await call('POST', '/v1/fs/rename', { json: { old_path: '/ns/a', new_path: '/ns/a/b/c' } });
    assert.equal(intoSelf.status, 400);
    assert.equal((await call('POST', '/v1/fs/rename', { json: { old_path: '/ns/f', new_path: '/ns/g' } })).status, 204);
    assert.equal((await call('POST', '/v1/fs/truncate', { json: { path: '/ns/g', size: 3 } })).status, 204);
    const stat = (await (await call('GET', '/v1/fs/stat?path=/ns/g')).json()) as { size: number; is_dir: boolean };
    assert.equal(stat.size, 3);
    assert.equal(stat.is_dir, false);

    const notEmpty = await call('DELETE', '/v1/fs?path=/ns');
    assert.equal(notEmpty.status, 409);
    assert.equal(await code(notEmpty), 'not_empty');
    assert.equal((await call('DELETE', '/v1/fs?path=/ns&recursive=1')).status, 204);
    assert.equal((await call('GET', '/v1/fs/stat?path=/ns')).status, 404);
  });

  it('multipart: parts go in, complete splices them in order', async () => {
    const up = (await (await call('POST', '/v1/fs/multipart', { json: { path: '/mp/out' } })).json()) as { upload_id: string };
    const p1 = patternSlice(4, 0, MiB + 5);
    const p2 = Buffer.from('tail');
    assert.equal((await call('PUT', `/v1/fs/multipart/${up.upload_id}?partNumber=2`, { body: p2 })).status, 204);
    const put1 = await call('PUT', `/v1/fs/multipart/${up.upload_id}?partNumber=1`, { body: p1 });
    assert.equal(put1.status, 204);
    const parts = (await (await call('GET', `/v1/fs/multipart/${up.upload_id}/parts`)).json()) as { parts: { part_number: number; size_bytes: number }[] };
    assert.deepEqual(parts.parts.map((p) => [p.part_number, p.size_bytes]), [[1, p1.length], [2, 4]]);
    const done = await call('POST', `/v1/fs/multipart/${up.upload_id}/complete`, { json: { parts: [{ part_number: 1, etag: put1.headers.get('etag') }, { part_number: 2 }] } });
    assert.equal(done.status, 200);
    assert.deepEqual(await done.json(), { path: '/mp/out' });
    const back = Buffer.from(await (await call('GET', '/v1/fs/content?path=/mp/out')).arrayBuffer());
    assert.ok(back.equals(Buffer.concat([p1, p2])));
    assert.equal((await call('DELETE', `/v1/fs/multipart/${up.upload_id}`)).status, 204);
  });
});
