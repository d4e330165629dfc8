// The access log: exactly one line per request, at completion, with the fields operators read, and
// no presigned-URL credentials in it.
import assert from 'node:assert/strict';
import type { InjectOptions } from 'fastify';
import { pino } from 'pino';
import { redactUrl } from './access-log.js';
import { MemoryGodfs } from '../test/memory-godfs.js';
import { buildGateway } from './server.js';

const AUTH = { authorization: 'Bearer k3y' };

async function logged(requests: InjectOptions[]): Promise<Array<Record<string, unknown>>> {
  const lines: string[] = [];
  const logger = pino({ level: 'info' }, { write: (s: string) => void lines.push(s) });
  const app = await buildGateway({ client: new MemoryGodfs(), apiKey: 'k3y', logger, s3: { rootAccessKey: 'AKIDTEST', rootSecretKey: 'secret' } });
  try {
    for (const r of requests) await app.inject(r);
  } finally {
    await app.close();
  }
  return lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.reqId !== undefined);
}

describe('gateway: access log', () => {
  it('writes one info line per request at completion, with method, url, status, time and bytes', async () => {
    const lines = await logged([
      { method: 'PUT', url: '/v1/fs/content?path=/a.txt&parents=1', headers: AUTH, payload: 'hello' },
      { method: 'GET', url: '/v1/fs/content?path=/a.txt', headers: { ...AUTH, 'x-request-id': 'trace-1' } },
      { method: 'HEAD', url: '/v1/fs/content?path=/a.txt', headers: AUTH },
      { method: 'GET', url: '/v1/fs/content?path=/missing', headers: AUTH },
    ]);
    assert.equal(lines.length, 4, JSON.stringify(lines));
    for (const l of lines) {
      assert.equal(l.level, 30);
      assert.equal(l.msg, 'request completed');
      assert.equal(typeof l.responseTime, 'number');
      assert.equal(l.remoteAddress, '127.0.0.1');
    }
    assert.deepEqual(
      lines.map(({ method, url, statusCode, bytesIn, bytesOut }) => ({ method, url, statusCode, bytesIn, bytesOut })),
      [
        { method: 'PUT', url: '/v1/fs/content?path=/a.txt&parents=1', statusCode: 204, bytesIn: 5, bytesOut: 0 },
        { method: 'GET', url: '/v1/fs/content?path=/a.txt', statusCode: 200, bytesIn: 0, bytesOut: 5 },
        { method: 'HEAD', url: '/v1/fs/content?path=/a.txt', statusCode: 200, bytesIn: 0, bytesOut: 0 },
        { method: 'GET', url: '/v1/fs/content?path=/missing', statusCode: 404, bytesIn: 0, bytesOut: (lines[3]!.bytesOut as number) },
      ],
    );
    assert.ok((lines[3]!.bytesOut as number) > 0);
    assert.equal(lines[1]!.reqId, 'trace-1');
  });

  it('keeps presigned-URL credentials out of the log', async () => {
    const sig = 'ab'.repeat(32);
    const url = `/bkt/key?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDTEST%2F20260101%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20260101T000000Z&X-Amz-Expires=60&X-Amz-SignedHeaders=host&X-Amz-Signature=${sig}`;
    const lines = await logged([{ method: 'GET', url }]);
    assert.equal(lines.length, 1);
    assert.equal(lines[0]!.statusCode, 403);
    const text = JSON.stringify(lines);
    assert.ok(!text.includes(sig) && !text.includes('AKIDTEST'), text);
    assert.match(lines[0]!.url as string, /X-Amz-Signature=REDACTED/);
  });

  it('redactUrl replaces credential values only', () => {
    assert.equal(redactUrl('/b/k'), '/b/k');
    assert.equal(redactUrl('/b/k?x-id=GetObject'), '/b/k?x-id=GetObject');
    assert.equal(
      redactUrl('/b/k?X-Amz-Credential=A%2Fx&X-Amz-Date=1&x-amz-signature=abc&X-Amz-Security-Token=t&Signature=s&AWSAccessKeyId=AK&MySignature=keep'),
      '/b/k?X-Amz-Credential=REDACTED&X-Amz-Date=1&x-amz-signature=REDACTED&X-Amz-Security-Token=REDACTED&Signature=REDACTED&AWSAccessKeyId=REDACTED&MySignature=keep',
    );
  });
});
