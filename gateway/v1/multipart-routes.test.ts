// /v1 multipart uploads over app.inject() against the in-memory test double.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { silentLogger } from '../../common/log.js';
import { MemoryGodfs } from '../../test/memory-godfs.js';
import { buildGateway } from '../server.js';

const AUTH = { authorization: 'Bearer k' };
const md5 = (b: string | Buffer) => createHash('md5').update(b).digest('hex');

describe('/v1/fs/multipart', () => {
  let app: FastifyInstance;
  let fs: MemoryGodfs;
  const req = (o: InjectOptions) => app.inject({ ...o, headers: { ...AUTH, ...(o.headers ?? {}) } });
  const create = async (path: string) => (await req({ method: 'POST', url: '/v1/fs/multipart', payload: { path } })).json() as { upload_id: string; path: string };
  const part = (id: string, n: number | string, payload: string, headers: Record<string, string> = {}) =>
    req({ method: 'PUT', url: `/v1/fs/multipart/${id}?partNumber=${n}`, payload, headers });

  beforeEach(async () => {
    fs = new MemoryGodfs();
    app = await buildGateway({ client: fs, apiKey: 'k', logger: silentLogger, maxBodyBytes: 100 });
  });
  afterEach(() => app.close());

  it('create → parts → list → complete assembles the file in part order', async () => {
    const up = await create('/out/file.bin');
    assert.equal(up.path, '/out/file.bin');
    assert.ok(up.upload_id);
    const p2 = await part(up.upload_id, 2, 'world', { 'content-type': 'application/json' });
    assert.equal(p2.statusCode, 204);
    assert.equal(p2.headers.etag, `"${md5('world')}"`);
    assert.equal((await part(up.upload_id, 1, 'hello ')).statusCode, 204);
    const list = await req({ method: 'GET', url: `/v1/fs/multipart/${up.upload_id}/parts` });
    assert.equal(list.statusCode, 200);
    assert.deepEqual(list.json(), {
      parts: [
        { part_number: 1, size_bytes: 6, etag: md5('hello ') },
        { part_number: 2, size_bytes: 5, etag: md5('world') },
      ],
    });
    const done = await req({
      method: 'POST',
      url: `/v1/fs/multipart/${up.upload_id}/complete`,
      payload: { parts: [{ part_number: 1, etag: `"${md5('hello ')}"` }, { part_number: 2 }] },
    });
    assert.equal(done.statusCode, 200);
    assert.deepEqual(done.json(), { path: '/out/file.bin' });
    assert.match(done.headers.etag as string, /^"[0-9a-f]{32}-2"$/);
    assert.equal(fs.nodes.get('/out/file.bin')?.data.toString(), 'hello world');
  });

  it('complete refuses bad part lists with 400 and assembles nothing', async () => {
    const up = await create('/f');
    await part(up.upload_id, 1, 'a');
    await part(up.upload_id, 2, 'b');
    const bad: unknown[] = [
      { parts: [] },
      { parts: [{ part_number: 2 }, { part_number: 1 }] },
      { parts: [{ part_number: 1 }, { part_number: 1 }] },
      { parts: [{ part_number: 0 }] },
      { parts: [{ part_number: '1' }] },
      { parts: [{ part_number: 1, etag: '"wrong"' }] },
      { parts: [{ part_number: 3, etag: '"x"' }] },
      { parts: 'all' },
      {},
    ];
    for (const payload of bad) {
      const res = await req({ method: 'POST', url: `/v1/fs/multipart/${up.upload_id}/complete`, payload: payload as string });
      assert.equal(res.statusCode, 400, JSON.stringify(payload));
      assert.equal(res.json().code, 'invalid_argument');
    }
    assert.equal(fs.nodes.has('/f'), false);
  });

  it('part numbers and sizes are checked before the sdk sees the part', async () => {
    const up = await create('/f');
    for (const n of ['0', '10001', 'x', '']) assert.equal((await part(up.upload_id, n, 'a')).statusCode, 400, n);
    const big = await part(up.upload_id, 1, 'x'.repeat(101));
    assert.equal(big.statusCode, 413);
    assert.ok(!fs.calls.includes('uploadPart'));
  });

  it('abort is idempotent; an aborted upload is gone', async () => {
    const up = await create('/f');
    assert.equal((await req({ method: 'DELETE', url: `/v1/fs/multipart/${up.upload_id}` })).statusCode, 204);
    assert.equal((await req({ method: 'DELETE', url: `/v1/fs/multipart/${up.upload_id}` })).statusCode, 204);
    const gone = await req({ method: 'GET', url: `/v1/fs/multipart/${up.upload_id}/parts` });
    assert.equal(gone.statusCode, 404);
    assert.equal((await part(up.upload_id, 1, 'a')).statusCode, 404);
  });

  it('complete honours If-None-Match: * against an existing target', async () => {
    fs.put('/f', 'old');
    const up = await create('/f');
    await part(up.upload_id, 1, 'new');
    const res = await req({ method: 'POST', url: `/v1/fs/multipart/${up.upload_id}/complete`, payload: { parts: [{ part_number: 1 }] }, headers: { 'if-none-match': '*' } });
    assert.equal(res.statusCode, 412);
    assert.equal(fs.nodes.get('/f')?.data.toString(), 'old');
  });

  it('create refuses invalid paths', async () => {
    const res = await req({ method: 'POST', url: '/v1/fs/multipart', payload: { path: '/a/../b' } });
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().code, 'invalid_path');
  });
});
