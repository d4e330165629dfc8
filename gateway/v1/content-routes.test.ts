// GET/HEAD/PUT /v1/fs/content over app.inject() (and a real socket where socket behaviour is the
// point) against the in-memory test double: headers, ranges, conditions, caps, broken streams.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { request } from 'node:http';
import { Readable, Transform } from 'node:stream';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { silentLogger } from '../../common/log.js';
import { MemoryGodfs } from '../../test/memory-godfs.js';
import { buildGateway, startGateway } from '../server.js';
import { eventually } from '../../test/eventually.js';

const AUTH = { authorization: 'Bearer k' };
const TEXT = 'The quick brown fox jumps over the lazy dog'; // 43 bytes
const md5 = (b: string | Buffer) => createHash('md5').update(b).digest('hex');

/** Splits a multipart/byteranges body into its parts (headers lower-cased). */
function parseByteranges(body: Buffer, boundary: string): { headers: Record<string, string>; data: string }[] {
  const text = body.toString('latin1');
  assert.ok(text.startsWith(`--${boundary}\r\n`), 'body starts with the first boundary');
  assert.ok(text.endsWith(`\r\n--${boundary}--\r\n`), 'body ends with the closing boundary');
  const inner = text.slice(`--${boundary}\r\n`.length, -`\r\n--${boundary}--\r\n`.length);
  return inner.split(`\r\n--${boundary}\r\n`).map((part) => {
    const split = part.indexOf('\r\n\r\n');
    const headers = Object.fromEntries(
      part
        .slice(0, split)
        .split('\r\n')
        .map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]),
    );
    return { headers, data: part.slice(split + 4) };
  });
}

describe('/v1/fs/content', () => {
  let app: FastifyInstance;
  let fs: MemoryGodfs;
  const req = (o: InjectOptions) => app.inject({ ...o, headers: { ...AUTH, ...(o.headers ?? {}) } });
  const get = (headers: Record<string, string> = {}, path = '/f') => req({ method: 'GET', url: `/v1/fs/content?path=${path}`, headers });

  beforeEach(async () => {
    fs = new MemoryGodfs();
    app = await buildGateway({ client: fs, apiKey: 'k', logger: silentLogger, maxBodyBytes: 1000 });
    fs.put('/f', TEXT);
  });
  afterEach(() => app.close());

  it('PUT stores the raw body (even one labelled JSON) and answers 204 with the quoted ETag', async () => {
    const body = '{"not": valid json';
    const res = await req({ method: 'PUT', url: '/v1/fs/content?path=/j', payload: body, headers: { 'content-type': 'application/json' } });
    assert.equal(res.statusCode, 204);
    assert.equal(res.headers.etag, `"${md5(body)}"`);
    assert.equal(fs.nodes.get('/j')?.data.toString(), body);
    const back = await get({}, '/j');
    assert.equal(back.body, body);
    assert.equal(back.headers['content-type'], 'application/json');
  });

  it('PUT replaces a file and creates parents only with parents=1', async () => {
    assert.equal((await req({ method: 'PUT', url: '/v1/fs/content?path=/f', payload: 'new' })).statusCode, 204);
    assert.equal((await get()).body, 'new');
    assert.equal((await req({ method: 'PUT', url: '/v1/fs/content?path=/a/b/c', payload: 'x' })).statusCode, 404);
    assert.equal((await req({ method: 'PUT', url: '/v1/fs/content?path=/a/b/c&parents=1', payload: 'x' })).statusCode, 204);
    assert.equal((await req({ method: 'PUT', url: '/v1/fs/content?path=/empty' })).statusCode, 204);
    assert.equal(fs.nodes.get('/empty')?.data.length, 0);
  });

  it('GET sends the bytes with ETag, Last-Modified, Accept-Ranges, Content-Length, Content-Type', async () => {
    const info = await fs.stat('/f');
    const res = await get();
    assert.equal(res.statusCode, 200);
    assert.equal(res.body, TEXT);
    assert.equal(res.headers.etag, `"${md5(TEXT)}"`);
    assert.equal(res.headers['last-modified'], new Date(info.mtimeMs).toUTCString());
    assert.equal(res.headers['accept-ranges'], 'bytes');
    assert.equal(res.headers['content-length'], String(TEXT.length));
    assert.equal(res.headers['content-type'], 'application/octet-stream');
  });

  it('HEAD sends the same headers and no body', async () => {
    const res = await req({ method: 'HEAD', url: '/v1/fs/content?path=/f' });
    assert.equal(res.statusCode, 200);
    assert.equal(res.body, '');
    assert.equal(res.headers['content-length'], String(TEXT.length));
    assert.equal(res.headers.etag, `"${md5(TEXT)}"`);
    assert.ok(!fs.calls.includes('read'), 'HEAD opens no read stream');
    const part = await req({ method: 'HEAD', url: '/v1/fs/content?path=/f', headers: { range: 'bytes=4-8' } });
    assert.equal(part.statusCode, 206);
    assert.equal(part.headers['content-range'], `bytes 4-8/${TEXT.length}`);
    assert.equal(part.headers['content-length'], '5');
  });

  it('GET of an empty file and of a directory', async () => {
    fs.put('/e', '');
    const empty = await get({}, '/e');
    assert.equal(empty.statusCode, 200);
    assert.equal(empty.headers['content-length'], '0');
    await fs.mkdir('/d');
    for (const headers of [{}, { range: 'bytes=0-1' }] as Record<string, string>[]) {
      const dir = await get(headers, '/d');
      assert.equal(dir.statusCode, 409);
      assert.equal(dir.json().code, 'is_a_directory');
      assert.equal(dir.headers.etag, undefined);
    }
  });

  const single: [string, number, string, string][] = [
    ['bytes=4-8', 206, 'quick', 'bytes 4-8/43'],
    ['bytes=40-', 206, 'dog', 'bytes 40-42/43'],
    ['bytes=-3', 206, 'dog', 'bytes 40-42/43'],
    ['bytes=40-1000', 206, 'dog', 'bytes 40-42/43'],
    ['bytes=0-0', 206, 'T', 'bytes 0-0/43'],
    ['bytes=-100', 206, TEXT, 'bytes 0-42/43'],
  ];
  for (const [range, status, body, cr] of single) {
    it(`Range ${range} → ${status} ${JSON.stringify(body.slice(0, 10))}`, async () => {
      const res = await get({ range });
      assert.equal(res.statusCode, status);
      assert.equal(res.body, body);
      assert.equal(res.headers['content-range'], cr);
      assert.equal(res.headers['content-length'], String(body.length));
    });
  }

  it('several ranges → multipart/byteranges, each part streamed with its Content-Range', async () => {
    fs.put('/f', TEXT, { 'content-type': 'text/plain' });
    const res = await get({ range: 'bytes=0-2, 40-, -4,10-14' });
    assert.equal(res.statusCode, 206);
    const m = /^multipart\/byteranges; boundary=(\S+)$/.exec(res.headers['content-type'] as string);
    assert.ok(m, String(res.headers['content-type']));
    assert.equal(res.headers['content-range'], undefined);
    assert.equal(Number(res.headers['content-length']), res.rawPayload.length);
    const parts = parseByteranges(res.rawPayload, m[1]!);
    assert.deepEqual(
      parts.map((p) => [p.headers['content-range'], p.headers['content-type'], p.data]),
      [
        ['bytes 0-2/43', 'text/plain', 'The'],
        ['bytes 40-42/43', 'text/plain', 'dog'],
        ['bytes 39-42/43', 'text/plain', ' dog'],
        ['bytes 10-14/43', 'text/plain', 'brown'],
      ],
    );
  });

  it('unsatisfiable Range → 416 with Content-Range: bytes */size; malformed → 400', async () => {
    for (const range of ['bytes=43-', 'bytes=100-200', 'bytes=-0', 'bytes=0-,0-']) {
      const res = await get({ range });
      assert.equal(res.statusCode, 416, range);
      assert.equal(res.json().code, 'invalid_range');
      assert.equal(res.headers['content-range'], 'bytes */43');
      assert.equal(res.headers.etag, undefined);
    }
    for (const range of ['bytes=abc', 'lines=1-2', 'bytes=5-2', 'bytes']) {
      const res = await get({ range });
      assert.equal(res.statusCode, 400, range);
      assert.equal(res.json().code, 'invalid_argument');
    }
  });

  it('conditional GETs: 304, 412 and If-Range', async () => {
    const etag = `"${md5(TEXT)}"`;
    const lm = (await get()).headers['last-modified'] as string;
    const later = new Date(Date.parse(lm) + 60_000).toUTCString();
    const earlier = new Date(Date.parse(lm) - 60_000).toUTCString();
    const cases: [Record<string, string>, number, string?][] = [
      [{ 'if-none-match': etag }, 304],
      [{ 'if-none-match': `"other", ${etag}` }, 304],
      [{ 'if-none-match': '"other"' }, 200, TEXT],
      [{ 'if-modified-since': lm }, 304],
      [{ 'if-modified-since': earlier }, 200, TEXT],
      [{ 'if-match': etag }, 200, TEXT],
      [{ 'if-match': '"other"' }, 412],
      [{ 'if-unmodified-since': earlier }, 412],
      [{ 'if-unmodified-since': later }, 200, TEXT],
      [{ 'if-none-match': etag, range: 'bytes=0-2' }, 304],
      [{ 'if-range': etag, range: 'bytes=0-2' }, 206, 'The'],
      [{ 'if-range': lm, range: 'bytes=0-2' }, 206, 'The'],
      [{ 'if-range': '"stale"', range: 'bytes=0-2' }, 200, TEXT],
      [{ 'if-range': earlier, range: 'bytes=0-2' }, 200, TEXT],
      [{ 'if-match': '"other"', range: 'bytes=0-2' }, 412],
    ];
    for (const [headers, status, body] of cases) {
      const res = await get(headers);
      assert.equal(res.statusCode, status, JSON.stringify(headers));
      if (status === 304) {
        assert.equal(res.body, '');
        assert.equal(res.headers.etag, etag, '304 repeats the validator');
      } else if (status === 412) {
        assert.equal(res.json().code, 'precondition_failed');
      } else {
        assert.equal(res.body, body, JSON.stringify(headers));
      }
    }
  });

  it('conditional PUTs: If-Match and If-None-Match', async () => {
    const etag = `"${md5(TEXT)}"`;
    const put = (headers: Record<string, string>, path = '/f') => req({ method: 'PUT', url: `/v1/fs/content?path=${path}`, payload: 'v2', headers });
    assert.equal((await put({ 'if-none-match': '*' })).statusCode, 412);
    assert.equal((await put({ 'if-match': '"other"' })).statusCode, 412);
    assert.equal((await put({ 'if-match': '"x"' }, '/missing')).statusCode, 412);
    assert.equal((await put({ 'if-match': '*' }, '/missing')).statusCode, 412);
    assert.equal((await put({ 'if-none-match': etag })).statusCode, 412);
    assert.equal(fs.nodes.get('/f')?.data.toString(), TEXT, 'nothing written by the failed PUTs');
    assert.equal(fs.nodes.has('/missing'), false);
    assert.equal((await put({ 'if-none-match': '*' }, '/new')).statusCode, 204);
    assert.equal((await put({ 'if-match': `"other", ${etag}` })).statusCode, 204);
    assert.equal((await put({ 'if-match': `"${md5('v2')}"` })).statusCode, 204);
  });

  it('PUT over the cap: 413 from Content-Length before reading, and mid-stream when chunked', async () => {
    const declared = await req({ method: 'PUT', url: '/v1/fs/content?path=/big', payload: Buffer.alloc(1001) });
    assert.equal(declared.statusCode, 413);
    assert.equal(declared.json().code, 'too_large');
    assert.ok(!fs.calls.includes('write'), 'the sdk was never asked to write');
    const chunked = await req({
      method: 'PUT',
      url: '/v1/fs/content?path=/big',
      payload: Readable.from([Buffer.alloc(600), Buffer.alloc(600)]),
      headers: { 'transfer-encoding': 'chunked' },
    });
    assert.equal(chunked.statusCode, 413);
    assert.equal(fs.nodes.has('/big'), false);
    const exact = await req({ method: 'PUT', url: '/v1/fs/content?path=/big', payload: Buffer.alloc(1000) });
    assert.equal(exact.statusCode, 204);
  });

  it('a file replaced between stat and read is re-planned, never mixed', async () => {
    const realStat = fs.stat.bind(fs);
    let first = true;
    fs.stat = async (p: string) => {
      const info = await realStat(p);
      if (first) {
        first = false;
        fs.put('/f', 'B'.repeat(43)); // a concurrent writer wins the race
      }
      return info;
    };
    const res = await get({ range: 'bytes=0-3' });
    assert.equal(res.statusCode, 206);
    assert.equal(res.body, 'BBBB');
    assert.equal(res.headers.etag, `"${md5('B'.repeat(43))}"`);
  });
});

describe('/v1/fs/content over a real socket', () => {
  let fs: MemoryGodfs;
  let gw: Awaited<ReturnType<typeof startGateway>>;
  let base: string;
  beforeEach(async () => {
    fs = new MemoryGodfs();
    fs.readChunk = 64 * 1024;
    gw = await startGateway({ client: fs, apiKey: 'k', logger: silentLogger, listen: '127.0.0.1:0', maxBodyBytes: 8 << 20 });
    base = `http://${gw.address}/v1/fs/content?path=`;
  });
  afterEach(() => gw.close());

  it('streams a multi-MiB chunked upload in and back out intact', async () => {
    const chunks = Array.from({ length: 64 }, (_, i) => Buffer.alloc(128 * 1024, i));
    const res = await fetch(`${base}/big`, { method: 'PUT', headers: AUTH, body: Readable.from(chunks), duplex: 'half' } as unknown as RequestInit);
    assert.equal(res.status, 204);
    const whole = Buffer.concat(chunks);
    assert.equal(res.headers.get('etag'), `"${md5(whole)}"`);
    const back = await fetch(`${base}/big`, { headers: AUTH });
    assert.equal(back.status, 200);
    assert.equal(md5(Buffer.from(await back.arrayBuffer())), md5(whole));
  });

  it('a read stream that fails after the headers went out breaks the connection instead of ending cleanly', async () => {
    fs.put('/f', Buffer.alloc(512 * 1024, 7));
    fs.readFault = (s) => {
      let n = 0;
      return s.pipe(
        new Transform({
          transform(chunk: Buffer, _e, cb) {
            n += chunk.length;
            if (n > 128 * 1024) cb(new Error('checksum mismatch on every replica'));
            else cb(null, chunk);
          },
        }),
      );
    };
    const res = await fetch(`${base}/f`, { headers: AUTH });
    assert.equal(res.status, 200);
    await assert.rejects(res.arrayBuffer());
  });

  it('a read stream that ends short breaks the connection (no silent truncation)', async () => {
    fs.put('/f', Buffer.alloc(512 * 1024, 7));
    fs.readFault = (s) => Readable.from((async function* () {
      let sent = 0;
      for await (const c of s) {
        if (sent >= 256 * 1024) return;
        sent += (c as Buffer).length;
        yield c;
      }
    })());
    const res = await fetch(`${base}/f`, { headers: AUTH });
    await assert.rejects(res.arrayBuffer());
  });

  /** Starts a PUT that declares `length` bytes but sends only `send`; resolves with the response. */
  function partialPut(length: number, send: number, headers: Record<string, string> = {}) {
    return new Promise<{ status: number; headers: Record<string, unknown>; body: string; continued: boolean }>((resolve, reject) => {
      const [host, port] = gw.address.split(':');
      let continued = false;
      const r = request({ host, port: Number(port), method: 'PUT', path: '/v1/fs/content?path=/huge', headers: { ...AUTH, 'content-length': String(length), ...headers } });
      r.on('continue', () => (continued = true));
      r.on('response', (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body, continued }));
      });
      r.on('error', reject);
      if (!headers.expect) r.write(Buffer.alloc(send));
    });
  }

  it('answers an over-cap Content-Length with 413 at once and closes instead of draining', async () => {
    const res = await partialPut(10 * 2 ** 30, 64 * 1024);
    assert.equal(res.status, 413);
    assert.equal(JSON.parse(res.body).code, 'too_large');
    assert.equal(res.headers.connection, 'close');
    assert.equal(fs.nodes.has('/huge'), false);
  });

  it('does not invite an over-cap body with 100 Continue', async () => {
    const res = await partialPut(10 * 2 ** 30, 0, { expect: '100-continue' });
    assert.equal(res.status, 413);
    assert.equal(res.continued, false);
  });

  it('a client that disconnects mid-upload leaves nothing behind', async () => {
    const [host, port] = gw.address.split(':');
    const r = request({ host, port: Number(port), method: 'PUT', path: '/v1/fs/content?path=/cut', headers: { ...AUTH, 'content-length': String(1 << 20) } });
    r.on('error', () => {});
    r.write(Buffer.alloc(256 * 1024));
    // Cut once the gateway is writing the body; nothing is visible, then or after it has noticed.
    await eventually(() => fs.writesInFlight > 0, 20_000, 'the upload under way');
    r.destroy();
    await eventually(() => fs.writesInFlight === 0, 20_000, 'the gateway to give the write up');
    assert.equal(fs.nodes.has('/cut'), false);
  });
});
