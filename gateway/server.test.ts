// Gateway-wide HTTP behaviour over app.inject() and the in-memory test double: auth, request ids,
// error JSON, unknown routes, health/readiness/metrics, not-yet-implemented routes.
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { silentLogger } from '../common/log.js';
import { MemoryGodfs } from '../test/memory-godfs.js';
import { buildGateway, startGateway, type GatewayOptions } from './server.js';

const KEY = 'k3y';
const AUTH = { authorization: `Bearer ${KEY}` };

async function gateway(opts: Partial<GatewayOptions> = {}): Promise<{ app: FastifyInstance; fs: MemoryGodfs }> {
  const fs = new MemoryGodfs();
  const app = await buildGateway({ client: fs, apiKey: KEY, logger: silentLogger, ...opts });
  return { app, fs };
}

describe('gateway: auth', () => {
  let app: FastifyInstance;
  let fs: MemoryGodfs;
  beforeEach(async () => ({ app, fs } = await gateway()));
  afterEach(() => app.close());

  const table: [string, Record<string, string>, number, string | undefined][] = [
    ['no Authorization header', {}, 401, 'unauthenticated'],
    ['a non-Bearer scheme', { authorization: `Basic ${Buffer.from('a:b').toString('base64')}` }, 401, 'unauthenticated'],
    ['an empty Bearer token', { authorization: 'Bearer ' }, 401, 'unauthenticated'],
    ['a wrong key', { authorization: 'Bearer nope' }, 403, 'permission_denied'],
    ['a key that is a prefix of the right one', { authorization: 'Bearer k3' }, 403, 'permission_denied'],
    ['the right key', AUTH, 200, undefined],
    ['the right key, lower-case scheme', { authorization: `bearer ${KEY}` }, 200, undefined],
  ];
  for (const [name, headers, status, code] of table) {
    it(`${name} → ${status}`, async () => {
      const res = await app.inject({ method: 'GET', url: '/v1/fs/stat?path=/', headers });
      assert.equal(res.statusCode, status);
      if (code) {
        assert.equal(res.json().code, code);
        assert.match(res.headers['content-type'] as string, /^application\/json/);
      }
      if (status === 401) assert.match(res.headers['www-authenticate'] as string, /^Bearer/);
    });
  }

  it('refuses an unauthenticated upload before reading it, and writes nothing', async () => {
    const res = await app.inject({ method: 'PUT', url: '/v1/fs/content?path=/x', payload: 'data' });
    assert.equal(res.statusCode, 401);
    assert.deepEqual(fs.calls, []);
    assert.equal(fs.nodes.has('/x'), false);
  });

  it('health, readiness and metrics need no credentials', async () => {
    for (const url of ['/v1/health', '/healthz', '/readyz', '/metrics']) {
      assert.equal((await app.inject({ method: 'GET', url })).statusCode, 200, url);
    }
  });

  it('without an API key everything but the public routes is 401, even with a token', async () => {
    const { app: open } = await gateway({ apiKey: undefined });
    try {
      assert.equal((await open.inject({ method: 'GET', url: '/v1/fs/stat?path=/' })).statusCode, 401);
      assert.equal((await open.inject({ method: 'GET', url: '/v1/fs/stat?path=/', headers: AUTH })).statusCode, 401);
      assert.equal((await open.inject({ method: 'GET', url: '/healthz' })).statusCode, 200);
    } finally {
      await open.close();
    }
  });

  it('anonymous reads and writes only where allowed; a wrong key stays 403', async () => {
    const { app: ro, fs: rofs } = await gateway({ allowAnonymousRead: true });
    try {
      rofs.put('/a', 'x');
      assert.equal((await ro.inject({ method: 'GET', url: '/v1/fs/content?path=/a' })).statusCode, 200);
      assert.equal((await ro.inject({ method: 'GET', url: '/v1/fs/list?path=/' })).statusCode, 200);
      assert.equal((await ro.inject({ method: 'PUT', url: '/v1/fs/content?path=/b', payload: 'y' })).statusCode, 401);
      assert.equal((await ro.inject({ method: 'GET', url: '/v1/fs/stat?path=/a', headers: { authorization: 'Bearer bad' } })).statusCode, 403);
    } finally {
      await ro.close();
    }
    const { app: rw } = await gateway({ allowAnonymousWrite: true });
    try {
      assert.equal((await rw.inject({ method: 'PUT', url: '/v1/fs/content?path=/b', payload: 'y' })).statusCode, 204);
      assert.equal((await rw.inject({ method: 'GET', url: '/v1/fs/stat?path=/b' })).statusCode, 401);
    } finally {
      await rw.close();
    }
  });
});

describe('gateway: request ids and error JSON', () => {
  let app: FastifyInstance;
  beforeEach(async () => ({ app } = await gateway()));
  afterEach(() => app.close());

  it('answers every response with an X-Request-Id, matching the error body', async () => {
    for (const [url, status] of [
      ['/v1/fs/stat?path=/', 200],
      ['/v1/fs/stat?path=/missing', 404],
      ['/no/such/route', 404],
      ['/healthz', 200],
    ] as const) {
      const res = await app.inject({ method: 'GET', url, headers: AUTH });
      assert.equal(res.statusCode, status, url);
      const id = res.headers['x-request-id'];
      assert.ok(typeof id === 'string' && id.length > 0, url);
      if (status !== 200) assert.equal(res.json().requestId, id);
    }
  });

  it('reuses a sane incoming X-Request-Id and replaces an unsafe one', async () => {
    const same = await app.inject({ method: 'GET', url: '/healthz', headers: { 'x-request-id': 'trace-1234.abc' } });
    assert.equal(same.headers['x-request-id'], 'trace-1234.abc');
    for (const bad of ['', 'has space', 'x'.repeat(200), 'new\u2028line', '-leading-dash']) {
      const res = await app.inject({ method: 'GET', url: '/healthz', headers: { 'x-request-id': bad } });
      assert.notEqual(res.headers['x-request-id'], bad);
      assert.match(res.headers['x-request-id'] as string, /^[0-9a-f-]{36}$/);
    }
  });

  it('renders unknown routes and methods as 404 not_found JSON', async () => {
    for (const [method, url] of [
      ['GET', '/nope'],
      ['PATCH', '/v1/fs/content?path=/a'],
      ['GET', '/v1/fs'],
    ] as const) {
      const res = await app.inject({ method, url, headers: AUTH });
      assert.equal(res.statusCode, 404);
      const body = res.json();
      assert.deepEqual(Object.keys(body).sort(), ['code', 'message', 'requestId']);
      assert.equal(body.code, 'not_found');
    }
  });

  it('maps an unexpected exception to 500 internal without leaking its message', async () => {
    const { app: a, fs } = await gateway();
    fs.stat = async () => {
      throw new TypeError('secret internals at 0xdeadbeef');
    };
    try {
      const res = await a.inject({ method: 'GET', url: '/v1/fs/stat?path=/', headers: AUTH });
      assert.equal(res.statusCode, 500);
      assert.equal(res.json().code, 'internal');
      assert.doesNotMatch(res.body, /secret|deadbeef/);
    } finally {
      await a.close();
    }
  });

  it('answers HEAD errors with the status and no body', async () => {
    const res = await app.inject({ method: 'HEAD', url: '/v1/fs/content?path=/missing', headers: AUTH });
    assert.equal(res.statusCode, 404);
    assert.equal(res.body, '');
    assert.ok(res.headers['x-request-id']);
  });

  it('answers the routes of later issues with 501 not_implemented', async () => {
    for (const [method, url] of [
      ['POST', '/v1/presign'],
      ['POST', '/v1/snapshots'],
      ['GET', '/v1/snapshots'],
      ['GET', '/v1/snapshots/s1'],
      ['DELETE', '/v1/snapshots/s1'],
    ] as const) {
      const res = await app.inject({ method, url, headers: AUTH, payload: method === 'POST' ? {} : undefined });
      assert.equal(res.statusCode, 501, `${method} ${url}`);
      assert.equal(res.json().code, 'not_implemented');
    }
  });
});

describe('gateway: health, readiness, metrics', () => {
  it('/v1/health and /healthz are always ok', async () => {
    const { app } = await gateway();
    for (const url of ['/v1/health', '/healthz']) assert.deepEqual((await app.inject({ method: 'GET', url })).json(), { status: 'ok' });
    await app.close();
  });

  it('/readyz follows the cluster: no live chunkserver or no master → 503 unavailable', async () => {
    const { app, fs } = await gateway();
    assert.equal((await app.inject({ method: 'GET', url: '/readyz' })).statusCode, 200);
    fs.nodesAlive = 0;
    const res = await app.inject({ method: 'GET', url: '/readyz' });
    assert.equal(res.statusCode, 503);
    assert.equal(res.json().code, 'unavailable');
    fs.clusterStats = async () => {
      throw new Error('connection refused');
    };
    assert.equal((await app.inject({ method: 'GET', url: '/readyz' })).statusCode, 503);
    await app.close();
  });

  it('/readyz uses opts.readyCheck when given', async () => {
    let ready = false;
    const { app } = await gateway({ readyCheck: async () => ready });
    assert.equal((await app.inject({ method: 'GET', url: '/readyz' })).statusCode, 503);
    ready = true;
    assert.equal((await app.inject({ method: 'GET', url: '/readyz' })).statusCode, 200);
    await app.close();
  });

  it('/metrics counts requests by route pattern and status, and body bytes both ways', async () => {
    const { app, fs } = await gateway();
    fs.put('/f', 'hello world');
    await app.inject({ method: 'GET', url: '/v1/fs/content?path=/f', headers: AUTH });
    await app.inject({ method: 'PUT', url: '/v1/fs/content?path=/g', headers: AUTH, payload: 'abcdef' });
    await app.inject({ method: 'GET', url: '/v1/fs/stat?path=/missing', headers: AUTH });
    await app.inject({ method: 'GET', url: '/some/random/path' });
    const res = await app.inject({ method: 'GET', url: '/metrics' });
    assert.match(res.headers['content-type'] as string, /^text\/plain/);
    const m = res.body;
    assert.match(m, /godfs_gateway_http_requests_total\{method="GET",route="\/v1\/fs\/content",status="200"\} 1/);
    assert.match(m, /godfs_gateway_http_requests_total\{method="PUT",route="\/v1\/fs\/content",status="204"\} 1/);
    assert.match(m, /godfs_gateway_http_requests_total\{method="GET",route="\/v1\/fs\/stat",status="404"\} 1/);
    assert.match(m, /godfs_gateway_http_requests_total\{method="GET",route="unmatched",status="404"\} 1/);
    assert.match(m, /godfs_gateway_http_request_body_bytes_total\{route="\/v1\/fs\/content"\} 6/);
    assert.match(m, /godfs_gateway_http_response_body_bytes_total\{route="\/v1\/fs\/content"\} 11/);
    assert.match(m, /godfs_gateway_http_request_duration_seconds_bucket/);
    assert.match(m, /godfs_gateway_http_requests_in_flight 1/); // the /metrics request itself
    // Process metrics, as on the master and chunkservers.
    assert.match(m, /^process_resident_memory_bytes \d+/m);
    assert.match(m, /^nodejs_heap_size_used_bytes \d+/m);
    assert.doesNotMatch(m, /random/);
    await app.close();
  });
});

describe('gateway: over a real socket', () => {
  it('listens on an ephemeral port and answers oversized headers with 431', async () => {
    const fs = new MemoryGodfs();
    const gw = await startGateway({ client: fs, apiKey: KEY, logger: silentLogger, listen: '127.0.0.1:0' });
    try {
      assert.match(gw.address, /^127\.0\.0\.1:\d+$/);
      const ok = await fetch(`http://${gw.address}/healthz`);
      assert.equal(ok.status, 200);
      const big = await fetch(`http://${gw.address}/healthz`, { headers: { 'x-big': 'a'.repeat(20_000) } });
      assert.equal(big.status, 431);
      assert.equal(((await big.json()) as { code: string }).code, 'invalid_argument');
    } finally {
      await gw.close();
    }
  });
});
