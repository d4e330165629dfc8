// Query-string SigV4 (presigned URLs): URLs from @aws-sdk/s3-request-presigner verify; expired,
// not-yet-valid, tampered and over-long ones do not; presignUrl mints what @smithy/signature-v4 mints.
import assert from 'node:assert/strict';
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { HttpRequest } from '@smithy/protocol-http';
import { presignUrl, S3AuthError, verifyRequest } from './index.js';
import { creds, lookup, oracle, sdkPath, wireOfUrl } from '../../../test/sigv4.js';

const NOW = new Date('2026-03-14T15:09:26Z');
const ENDPOINT = 'http://127.0.0.1:9000';
const client = new S3Client({
  region: 'us-east-1',
  endpoint: ENDPOINT,
  forcePathStyle: true,
  credentials: { accessKeyId: creds.accessKeyId, secretAccessKey: creds.secretKey },
});

async function sdkUrl(method: 'GET' | 'PUT' | 'HEAD', key: string, expiresIn = 3600): Promise<string> {
  const input = { Bucket: 'bucket', Key: key };
  const cmd = method === 'GET' ? new GetObjectCommand(input) : method === 'PUT' ? new PutObjectCommand(input) : new HeadObjectCommand(input);
  return getSignedUrl(client, cmd, { expiresIn, signingDate: NOW });
}

async function rejects(p: Promise<unknown>, s3Code: string, status: number, message?: RegExp): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof S3AuthError, `expected S3AuthError, got ${String(e)}`);
    assert.equal(e.s3Code, s3Code, e.message);
    assert.equal(e.status, status);
    if (message) assert.match(e.message, message);
    return true;
  });
}

const at = (seconds: number) => ({ now: new Date(NOW.getTime() + seconds * 1000) });

describe('s3 auth: presigned URLs', () => {
  for (const method of ['GET', 'PUT', 'HEAD'] as const) {
    for (const key of ['plain.txt', 'key with spaces/ü+%~=.bin']) {
      it(`verifies an SDK-presigned ${method} of ${JSON.stringify(key)}`, async () => {
        const url = await sdkUrl(method, key);
        const r = await verifyRequest(wireOfUrl(method, url), lookup, at(10));
        assert.ok(r);
        assert.equal(r.presigned, true);
        assert.deepEqual(r.payload, { kind: 'unsigned' });
        assert.equal(r.region, 'us-east-1');
      });
    }
  }

  it('refuses an expired URL and one not valid yet (AccessDenied 403)', async () => {
    const url = await sdkUrl('GET', 'k', 600);
    assert.ok(await verifyRequest(wireOfUrl('GET', url), lookup, at(600)));
    await rejects(verifyRequest(wireOfUrl('GET', url), lookup, at(601)), 'AccessDenied', 403, /Request has expired/);
    await rejects(verifyRequest(wireOfUrl('GET', url), lookup, at(-16 * 60)), 'AccessDenied', 403, /not valid yet/);
  });

  it('refuses tampered signature, expiry, path, method, query and host (SignatureDoesNotMatch 403)', async () => {
    const url = await sdkUrl('GET', 'dir/k', 600);
    const tampered = [
      url.replace(/X-Amz-Signature=([0-9a-f])/, (_m, c: string) => `X-Amz-Signature=${c === '0' ? '1' : '0'}`),
      url.replace('X-Amz-Expires=600', 'X-Amz-Expires=6000'),
      url.replace('/bucket/dir/k', '/bucket/dir/K'),
      url.replace('/bucket/dir/k', '/other/dir/k'),
      url + '&response-content-type=text%2Fhtml',
    ];
    for (const u of tampered) {
      assert.notEqual(u, url);
      await rejects(verifyRequest(wireOfUrl('GET', u), lookup, at(1)), 'SignatureDoesNotMatch', 403);
    }
    await rejects(verifyRequest(wireOfUrl('DELETE', url), lookup, at(1)), 'SignatureDoesNotMatch', 403);
    await rejects(verifyRequest(wireOfUrl('GET', url, { host: 'elsewhere:9000' }), lookup, at(1)), 'SignatureDoesNotMatch', 403);
  });

  it('refuses X-Amz-Expires beyond 7 days (or the configured limit) and malformed parameters', async () => {
    const url = await sdkUrl('GET', 'k', 7200);
    await rejects(verifyRequest(wireOfUrl('GET', url.replace('X-Amz-Expires=7200', 'X-Amz-Expires=604801')), lookup, at(1)), 'AuthorizationQueryParametersError', 400);
    await rejects(verifyRequest(wireOfUrl('GET', url), lookup, { ...at(1), maxPresignSeconds: 3600 }), 'AuthorizationQueryParametersError', 400);
    const broken = [
      url.replace('X-Amz-Expires=7200', 'X-Amz-Expires=0'),
      url.replace('X-Amz-Expires=7200', 'X-Amz-Expires=soon'),
      url.replace(/&X-Amz-SignedHeaders=host/, ''),
      url.replace('X-Amz-Algorithm=AWS4-HMAC-SHA256', 'X-Amz-Algorithm=AWS4-HMAC-SHA1'),
      url.replace('X-Amz-SignedHeaders=host', 'X-Amz-SignedHeaders=x-amz-date'),
      url.replace('%2Fs3%2F', '%2Fsqs%2F'),
      url.replace('X-Amz-Date=20260314T150926Z', 'X-Amz-Date=20260314'),
      url + '&X-Amz-Signature=' + '0'.repeat(64),
    ];
    for (const u of broken) await rejects(verifyRequest(wireOfUrl('GET', u), lookup, at(1)), 'AuthorizationQueryParametersError', 400);
  });

  it('refuses an unknown key and a wrong secret', async () => {
    const url = await sdkUrl('GET', 'k');
    const other = url.replace(encodeURIComponent(creds.accessKeyId), 'SOMEONEELSE');
    await rejects(verifyRequest(wireOfUrl('GET', other), lookup, at(1)), 'InvalidAccessKeyId', 403);
    const wrongSecret = async () => ({ ...creds, secretKey: 'different' });
    await rejects(verifyRequest(wireOfUrl('GET', url), wrongSecret, at(1)), 'SignatureDoesNotMatch', 403);
  });

  it('refuses x-amz-* headers the URL did not sign, except integrity ones', async () => {
    const url = await sdkUrl('PUT', 'k');
    await rejects(verifyRequest(wireOfUrl('PUT', url, { 'x-amz-meta-owner': 'mallory' }), lookup, at(1)), 'AccessDenied', 403, /not signed/);
    await rejects(verifyRequest(wireOfUrl('PUT', url, { 'x-amz-copy-source': '/secret/k' }), lookup, at(1)), 'AccessDenied', 403);
    const r = await verifyRequest(wireOfUrl('PUT', url, { 'x-amz-checksum-crc32': 'AAAAAA==', 'content-type': 'text/plain' }), lookup, at(1));
    assert.ok(r);
  });

  it('uses a payload hash named in the URL as the hashed payload', async () => {
    const hash = 'a'.repeat(64);
    const signer = oracle();
    const req = new HttpRequest({ method: 'PUT', protocol: 'http:', hostname: '127.0.0.1', port: 9000, path: '/bucket/k', headers: { host: '127.0.0.1:9000', 'x-amz-content-sha256': hash } });
    const p = await signer.presign(req, { signingDate: NOW, expiresIn: 60 });
    const query = Object.entries(p.query ?? {}).map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`).join('&');
    const r = await verifyRequest(wireOfUrl('PUT', `${ENDPOINT}/bucket/k?${query}`), lookup, at(1));
    assert.deepEqual(r?.payload, { kind: 'sha256', expected: hash });
  });
});

describe('s3 auth: presignUrl', () => {
  for (const [method, key, region] of [
    ['GET', 'plain.txt', undefined],
    ['PUT', 'a b/ünï+%~=!*(x).bin', 'eu-west-3'],
    ['HEAD', 'deep/dir/', 'local'],
  ] as const) {
    it(`mints what @smithy/signature-v4 presign mints: ${method} ${JSON.stringify(key)}`, async () => {
      const url = presignUrl({ method, endpoint: ENDPOINT, bucket: 'bucket', key, accessKeyId: creds.accessKeyId, secretKey: creds.secretKey, region, expiresIn: 900, now: NOW });
      const req = new HttpRequest({
        method,
        protocol: 'http:',
        hostname: '127.0.0.1',
        port: 9000,
        path: sdkPath('bucket', key),
        headers: { host: '127.0.0.1:9000', 'X-Amz-Content-Sha256': 'UNSIGNED-PAYLOAD' },
      });
      const expected = await oracle({ region: region ?? 'us-east-1' }).presign(req, { signingDate: NOW, expiresIn: 900 });
      const u = new URL(url);
      assert.equal(url.slice(u.origin.length).split('?')[0], sdkPath('bucket', key));
      assert.deepEqual(Object.fromEntries(u.searchParams), expected.query);
      const r = await verifyRequest(wireOfUrl(method, url), lookup, at(899));
      assert.equal(r?.region, region ?? 'us-east-1');
      await rejects(verifyRequest(wireOfUrl(method, url), lookup, at(901)), 'AccessDenied', 403);
    });
  }

  it('keeps an endpoint path prefix and refuses out-of-range expiries', async () => {
    const url = presignUrl({ method: 'GET', endpoint: 'http://gw.local:8080/s3/', bucket: 'b', key: 'k', accessKeyId: creds.accessKeyId, secretKey: creds.secretKey, expiresIn: 60, now: NOW });
    assert.ok(url.startsWith('http://gw.local:8080/s3/b/k?'));
    assert.ok(await verifyRequest(wireOfUrl('GET', url), lookup, at(1)));
    for (const expiresIn of [0, 604801, 1.5]) {
      assert.throws(() => presignUrl({ method: 'GET', endpoint: ENDPOINT, bucket: 'b', key: 'k', accessKeyId: 'a', secretKey: 's', expiresIn }), RangeError);
    }
    assert.ok(presignUrl({ method: 'GET', endpoint: ENDPOINT, bucket: 'b', key: 'k', accessKeyId: 'a', secretKey: 's', expiresIn: 604800 }));
  });
});
