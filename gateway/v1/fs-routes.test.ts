// /v1 namespace routes over app.inject() and the in-memory test double: shapes, statuses, bad input.
import assert from 'node:assert/strict';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { silentLogger } from '../../common/log.js';
import { MemoryGodfs } from '../../test/memory-godfs.js';
import { buildGateway } from '../server.js';

const AUTH = { authorization: 'Bearer k' };

describe('/v1 namespace routes', () => {
  let app: FastifyInstance;
  let fs: MemoryGodfs;
  const req = (o: InjectOptions) => app.inject({ ...o, headers: { ...AUTH, ...(o.headers ?? {}) } });
  const post = (url: string, payload: unknown) => req({ method: 'POST', url, payload: payload as string });

  beforeEach(async () => {
    fs = new MemoryGodfs();
    app = await buildGateway({ client: fs, apiKey: 'k', logger: silentLogger });
  });
  afterEach(() => app.close());

  it('GET /v1/fs/stat returns the documented shape', async () => {
    const info = fs.put('/d/f.txt', 'hello');
    const res = await req({ method: 'GET', url: '/v1/fs/stat?path=/d/f.txt' });
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json(), {
      path: '/d/f.txt',
      is_dir: false,
      size: 5,
      mode: 0o644,
      uid: 0,
      gid: 0,
      modified_at_unix: Math.floor(info.mtimeMs / 1000),
      created_at_unix: Math.floor(info.birthMs / 1000),
      etag: info.etag,
    });
    assert.equal((await req({ method: 'GET', url: '/v1/fs/stat?path=/d' })).json().is_dir, true);
    const missing = await req({ method: 'GET', url: '/v1/fs/stat?path=/nope' });
    assert.equal(missing.statusCode, 404);
    assert.equal(missing.json().code, 'not_found');
  });

  it('GET /v1/fs/list pages through entries in name order', async () => {
    for (const n of ['c', 'a', 'b', 'e', 'd']) fs.put(`/dir/${n}`, n.repeat(3));
    await fs.mkdir('/dir/sub');
    const names: string[] = [];
    let cursor: string | null = '';
    let pages = 0;
    while (cursor !== null) {
      const res = await req({ method: 'GET', url: `/v1/fs/list?path=/dir&limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}` });
      assert.equal(res.statusCode, 200);
      const body = res.json() as { entries: { name: string; is_dir: boolean; size: number; modified_at_unix: number }[]; next_cursor: string | null };
      assert.ok(body.entries.length <= 2);
      for (const e of body.entries) assert.deepEqual(Object.keys(e).sort(), ['is_dir', 'modified_at_unix', 'name', 'size']);
      names.push(...body.entries.map((e) => e.name));
      cursor = body.next_cursor;
      pages++;
    }
    assert.deepEqual(names, ['a', 'b', 'c', 'd', 'e', 'sub']);
    assert.equal(pages, 3);
    const all = (await req({ method: 'GET', url: '/v1/fs/list?path=/dir' })).json();
    assert.equal(all.next_cursor, null);
    assert.deepEqual(all.entries.at(-1), { name: 'sub', is_dir: true, size: 0, modified_at_unix: all.entries.at(-1).modified_at_unix });
  });

  it('limit is checked: 0, negative, not a number and over 10000 are 400', async () => {
    for (const l of ['0', '-1', 'abc', '10001', '1.5']) {
      const res = await req({ method: 'GET', url: `/v1/fs/list?path=/&limit=${l}` });
      assert.equal(res.statusCode, 400, l);
      assert.equal(res.json().code, 'invalid_argument');
    }
    assert.equal((await req({ method: 'GET', url: '/v1/fs/list?path=/&limit=10000' })).statusCode, 200);
  });

  it('POST /v1/fs/mkdir: 204, 409 when it exists or a file is in the way, 404 without parents', async () => {
    assert.equal((await post('/v1/fs/mkdir', { path: '/a' })).statusCode, 204);
    assert.equal((await post('/v1/fs/mkdir', { path: '/a' })).statusCode, 409);
    assert.equal((await post('/v1/fs/mkdir', { path: '/x/y/z' })).statusCode, 404);
    assert.equal((await post('/v1/fs/mkdir', { path: '/x/y/z', parents: true })).statusCode, 204);
    fs.put('/file', 'f');
    const over = await post('/v1/fs/mkdir', { path: '/file' });
    assert.equal(over.statusCode, 409);
    assert.equal(over.json().code, 'already_exists');
  });

  it('POST /v1/fs/file creates an empty file; 409 when it exists', async () => {
    assert.equal((await post('/v1/fs/file', { path: '/e' })).statusCode, 204);
    assert.equal(fs.nodes.get('/e')?.data.length, 0);
    assert.equal((await post('/v1/fs/file', { path: '/e' })).statusCode, 409);
  });

  it('DELETE /v1/fs: 204; 409 not_empty unless recursive=1/true; root refused', async () => {
    fs.put('/d/f', 'x');
    const refused = await req({ method: 'DELETE', url: '/v1/fs?path=/d' });
    assert.equal(refused.statusCode, 409);
    assert.equal(refused.json().code, 'not_empty');
    assert.ok(fs.nodes.has('/d/f'));
    assert.equal((await req({ method: 'DELETE', url: '/v1/fs?path=/d&recursive=yes' })).statusCode, 400);
    assert.equal((await req({ method: 'DELETE', url: '/v1/fs?path=/d&recursive=true' })).statusCode, 204);
    assert.equal(fs.nodes.has('/d'), false);
    fs.put('/d2/f', 'x');
    assert.equal((await req({ method: 'DELETE', url: '/v1/fs?path=/d2&recursive=1' })).statusCode, 204);
    assert.equal((await req({ method: 'DELETE', url: '/v1/fs?path=/d2' })).statusCode, 404);
    assert.equal((await req({ method: 'DELETE', url: '/v1/fs?path=/&recursive=1' })).statusCode, 400);
  });

  it('POST /v1/fs/rename: atomic replace of a file; into its own subtree is 400', async () => {
    fs.put('/a', 'A');
    fs.put('/b', 'B');
    assert.equal((await post('/v1/fs/rename', { old_path: '/a', new_path: '/b' })).statusCode, 204);
    assert.equal(fs.nodes.get('/b')?.data.toString(), 'A');
    assert.equal(fs.nodes.has('/a'), false);
    await fs.mkdir('/dir');
    const sub = await post('/v1/fs/rename', { old_path: '/dir', new_path: '/dir/inner' });
    assert.equal(sub.statusCode, 400);
    assert.equal(sub.json().code, 'invalid_argument');
  });

  it('POST /v1/fs/truncate shrinks and extends with zeros', async () => {
    fs.put('/t', 'abcdef');
    assert.equal((await post('/v1/fs/truncate', { path: '/t', size: 2 })).statusCode, 204);
    assert.equal(fs.nodes.get('/t')?.data.toString(), 'ab');
    assert.equal((await post('/v1/fs/truncate', { path: '/t', size: 4 })).statusCode, 204);
    assert.deepEqual([...fs.nodes.get('/t')!.data], [97, 98, 0, 0]);
    for (const size of [-1, 1.5, '3', null]) assert.equal((await post('/v1/fs/truncate', { path: '/t', size })).statusCode, 400, String(size));
  });

  describe('bad input is a clear 4xx and changes nothing', () => {
    const longName = 'n'.repeat(256);
    const longPath = '/' + Array.from({ length: 20 }, () => 'p'.repeat(250)).join('/');
    const cases: [string, InjectOptions, number, string][] = [
      ['.. segment in a query path', { method: 'GET', url: '/v1/fs/stat?path=/a/../b' }, 400, 'invalid_path'],
      ['. segment', { method: 'DELETE', url: '/v1/fs?path=/a/./b' }, 400, 'invalid_path'],
      ['%00 in the query', { method: 'PUT', url: '/v1/fs/content?path=/a%00b', payload: 'x' }, 400, 'invalid_path'],
      ['NUL in a JSON path', { method: 'POST', url: '/v1/fs/mkdir', payload: { path: '/a\u0000b' } }, 400, 'invalid_path'],
      ['relative path', { method: 'POST', url: '/v1/fs/file', payload: { path: 'rel' } }, 400, 'invalid_path'],
      ['empty segment', { method: 'GET', url: '/v1/fs/stat?path=//a' }, 400, 'invalid_path'],
      ['name over 255 bytes', { method: 'PUT', url: `/v1/fs/content?path=/${longName}`, payload: 'x' }, 400, 'invalid_path'],
      ['name of 128 two-byte chars (256 bytes)', { method: 'POST', url: '/v1/fs/mkdir', payload: { path: '/' + 'é'.repeat(128) } }, 400, 'invalid_path'],
      ['path over 4096 bytes', { method: 'POST', url: '/v1/fs/mkdir', payload: { path: longPath, parents: true } }, 400, 'invalid_path'],
      ['missing path parameter', { method: 'GET', url: '/v1/fs/stat' }, 400, 'invalid_argument'],
      ['path given twice', { method: 'GET', url: '/v1/fs/stat?path=/a&path=/b' }, 400, 'invalid_argument'],
      ['malformed JSON', { method: 'POST', url: '/v1/fs/mkdir', payload: '{"path": "/a"', headers: { 'content-type': 'application/json' } }, 400, 'invalid_argument'],
      ['JSON that is not an object', { method: 'POST', url: '/v1/fs/mkdir', payload: '["/a"]' }, 400, 'invalid_argument'],
      ['no body', { method: 'POST', url: '/v1/fs/mkdir' }, 400, 'invalid_argument'],
      ['missing field', { method: 'POST', url: '/v1/fs/rename', payload: { old_path: '/a' } }, 400, 'invalid_argument'],
      ['wrong field type', { method: 'POST', url: '/v1/fs/mkdir', payload: { path: '/a', parents: 'yes' } }, 400, 'invalid_argument'],
      ['JSON body over 1 MiB', { method: 'POST', url: '/v1/fs/mkdir', payload: JSON.stringify({ path: '/a', pad: 'x'.repeat(1 << 20) }) }, 413, 'too_large'],
      ['PUT to a directory', { method: 'PUT', url: '/v1/fs/content?path=/dir', payload: 'x' }, 409, 'is_a_directory'],
    ];
    for (const [name, o, status, code] of cases) {
      it(`${name} → ${status} ${code}`, async () => {
        await fs.mkdir('/dir');
        const snapshot = () => [...fs.nodes].map(([k, n]) => `${k} ${n.etag} ${n.gen}`).sort().join('\n');
        const before = snapshot();
        const res = await req(o);
        assert.equal(res.statusCode, status, res.body);
        assert.equal(res.json().code, code);
        assert.equal(typeof res.json().message, 'string');
        assert.equal(snapshot(), before, 'nothing changed');
      });
    }
  });
});
