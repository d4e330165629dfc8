// Header-signed SigV4: requests signed by @smithy/signature-v4 (the SDK's own signer, the oracle)
// must verify, and any change to what was signed must not.
import assert from 'node:assert/strict';
import { decodeBody, S3AuthError, verifyRequest, type AuthRequest } from './index.js';
import { bodyOf, consume, creds, lookup, newRequest, oracle, sdkEscape, sdkPath, toWire } from '../../../test/sigv4.js';

const NOW = new Date('2026-03-14T15:09:26Z');

async function signed(o: Parameters<typeof newRequest>[0], signer = oracle(), signingDate = NOW): Promise<AuthRequest> {
  const r = await signer.sign(newRequest(o), { signingDate });
  return toWire(r as unknown as Parameters<typeof toWire>[0]);
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

const UNSIGNED = { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' };

describe('s3 auth: header SigV4 against the SDK signer', () => {
  it('verifies a GET whose query values need encoding, and reports the scope region', async () => {
    const req = await signed(
      { method: 'GET', path: '/bucket', query: { 'list-type': '2', prefix: "a b+c%d~e=f/ü&'*", delimiter: '/', 'encoding-type': 'url' } },
      oracle({ region: 'moon-base-1' }),
    );
    const r = await verifyRequest(req, lookup, { now: NOW });
    assert.ok(r);
    assert.equal(r.region, 'moon-base-1');
    assert.equal(r.presigned, false);
    assert.equal(r.credentials, creds);
    assert.deepEqual(r.payload, { kind: 'sha256', expected: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' });
  });

  it('accepts bare sub-resources (?acl, ?uploads) and repeated parameters', async () => {
    const req = await signed({ method: 'GET', path: '/bucket/k', query: { acl: '', z: ['2', '1'] } });
    req.rawQuery = req.rawQuery.replace('acl=', 'acl');
    assert.ok(await verifyRequest(req, lookup, { now: NOW }));
  });

  const keys = ['key with spaces', 'ünïcödé/日本語.txt', 'a+b', '100%', 'tilde~x', 'eq=ual', "!$&'()*+,;=:@", 'a//b/../c', 'dir/', ' lead'];
  for (const key of keys) {
    it(`verifies key ${JSON.stringify(key)}`, async () => {
      const req = await signed({ method: 'PUT', path: sdkPath('bucket', key), headers: UNSIGNED });
      const r = await verifyRequest(req, lookup, { now: NOW });
      assert.deepEqual(r?.payload, { kind: 'unsigned' });
    });
  }

  it('canonicalises the wire path: reserved characters left unescaped verify the same', async () => {
    // Signed over /bucket/a%24b%21c%2Bd, sent as /bucket/a$b!c+d: same bytes, so the same canonical URI.
    const req = await signed({ method: 'GET', path: sdkPath('bucket', 'a$b!c+d'), headers: UNSIGNED });
    req.rawPath = '/bucket/a$b!c+d';
    assert.ok(await verifyRequest(req, lookup, { now: NOW }));
    // …whereas a space sent as '+' in a path is a plus, not a space.
    const spaced = await signed({ method: 'GET', path: sdkPath('bucket', 'a b'), headers: UNSIGNED });
    spaced.rawPath = '/bucket/a+b';
    await rejects(verifyRequest(spaced, lookup, { now: NOW }), 'SignatureDoesNotMatch', 403);
  });

  it("takes '+' in the query as a space (Go clients send it so and sign %20)", async () => {
    const req = await signed({ method: 'GET', path: '/bucket', query: { prefix: 'a b' }, headers: UNSIGNED });
    assert.equal(req.rawQuery, 'prefix=a%20b');
    req.rawQuery = 'prefix=a+b';
    assert.ok(await verifyRequest(req, lookup, { now: NOW }));
  });

  it('trims and collapses header values (trimall) and handles repeated headers', async () => {
    const req = await signed({ method: 'PUT', path: '/b/k', headers: { ...UNSIGNED, 'x-amz-meta-note': '  spaced    out \t value  ' } });
    assert.ok(await verifyRequest(req, lookup, { now: NOW }));
    const rep = await signed({ method: 'PUT', path: '/b/k', headers: { ...UNSIGNED, 'x-amz-meta-list': 'one,two' } });
    rep.headers['x-amz-meta-list'] = ['one', ' two'];
    assert.ok(await verifyRequest(rep, lookup, { now: NOW }));
  });

  it('checks a signed sha256 payload against the body: match passes, mismatch fails before the last piece', async () => {
    const body = Buffer.from('x'.repeat(100_000));
    const req = await signed({ method: 'PUT', path: '/b/k', body });
    const r = await verifyRequest(req, lookup, { now: NOW });
    assert.equal(r?.payload.kind, 'sha256');
    const ok = await consume(decodeBody(bodyOf(body, [40_000]), r!.payload, req.headers).stream);
    assert.equal(ok.error, undefined);
    assert.ok(ok.ended);
    assert.ok(ok.data.equals(body));

    const tampered = Buffer.from(body);
    tampered[99_999] = 0x79;
    const bad = await consume(decodeBody(bodyOf(tampered, [40_000]), r!.payload, req.headers).stream);
    assert.equal(bad.error?.s3Code, 'XAmzContentSHA256Mismatch');
    assert.equal(bad.error?.status, 400);
    assert.equal(bad.ended, false);
    // Earlier pieces may have passed, the last one (bytes 80 000…99 999) never does.
    assert.ok(bad.data.length <= 80_000, `consumer saw ${bad.data.length} bytes`);
  });

  it('accepts UNSIGNED-PAYLOAD and passes the body through', async () => {
    const req = await signed({ method: 'PUT', path: '/b/k', headers: UNSIGNED });
    const r = await verifyRequest(req, lookup, { now: NOW });
    const seen = await consume(decodeBody(bodyOf(Buffer.from('hello')), r!.payload, req.headers).stream);
    assert.equal(seen.data.toString(), 'hello');
    assert.ok(seen.ended);
  });

  it('refuses a wrong secret (SignatureDoesNotMatch) and an unknown key (InvalidAccessKeyId)', async () => {
    const wrong = await signed({ method: 'GET', path: '/b/k' }, oracle({ secretKey: 'not-the-secret' }));
    await rejects(verifyRequest(wrong, lookup, { now: NOW }), 'SignatureDoesNotMatch', 403);
    const unknown = await signed({ method: 'GET', path: '/b/k' }, oracle({ accessKeyId: 'NOSUCHKEY' }));
    await rejects(verifyRequest(unknown, lookup, { now: NOW }), 'InvalidAccessKeyId', 403);
  });

  it('detects tampering with method, path, query, a signed header and the payload hash', async () => {
    const base = () => signed({ method: 'GET', path: '/b/k', query: { versionId: '1' }, headers: { 'x-amz-meta-a': 'v', range: 'bytes=0-9' } });
    const cases: Array<(r: AuthRequest) => void> = [
      (r) => void (r.method = 'DELETE'),
      (r) => void (r.rawPath = '/b/other'),
      (r) => void (r.rawQuery = 'versionId=2'),
      (r) => void (r.rawQuery += '&extra=1'),
      (r) => void (r.headers['range'] = 'bytes=0-99'),
      (r) => void (r.headers['host'] = 'evil.example:9000'),
      (r) => void (r.headers['x-amz-content-sha256'] = 'UNSIGNED-PAYLOAD'),
    ];
    for (const change of cases) {
      const r = await base();
      change(r);
      await rejects(verifyRequest(r, lookup, { now: NOW }), 'SignatureDoesNotMatch', 403);
    }
    // Headers that were not signed may change freely.
    const r = await base();
    r.headers['user-agent'] = 'something else';
    assert.ok(await verifyRequest(r, lookup, { now: NOW }));
  });

  it('enforces the 15-minute clock skew both ways', async () => {
    for (const minutes of [-16, 16]) {
      const r = await signed({ method: 'GET', path: '/b/k' }, oracle(), new Date(NOW.getTime() + minutes * 60_000));
      await rejects(verifyRequest(r, lookup, { now: NOW }), 'RequestTimeTooSkewed', 403);
    }
    for (const minutes of [-14, 14]) {
      const r = await signed({ method: 'GET', path: '/b/k' }, oracle(), new Date(NOW.getTime() + minutes * 60_000));
      assert.ok(await verifyRequest(r, lookup, { now: NOW }));
    }
    const r = await signed({ method: 'GET', path: '/b/k' }, oracle(), new Date(NOW.getTime() - 120_000));
    await rejects(verifyRequest(r, lookup, { now: NOW, maxSkewMs: 60_000 }), 'RequestTimeTooSkewed', 403);
  });

  it('returns undefined for an anonymous request and refuses two mechanisms at once', async () => {
    assert.equal(await verifyRequest({ method: 'GET', rawPath: '/b/k', rawQuery: 'prefix=x', headers: { host: 'h' } }, lookup), undefined);
    const r = await signed({ method: 'GET', path: '/b/k' });
    r.rawQuery = 'X-Amz-Algorithm=AWS4-HMAC-SHA256';
    await rejects(verifyRequest(r, lookup, { now: NOW }), 'InvalidArgument', 400);
  });

  it('answers malformed Authorization headers with AWS codes', async () => {
    const r = await signed({ method: 'GET', path: '/b/k' });
    const auth = r.headers['authorization'] as string;
    const sig = /Signature=([0-9a-f]{64})/.exec(auth)![1]!;
    const cred = `${creds.accessKeyId}/${/Credential=[^/]+\/([^,]+)/.exec(auth)![1]!}`;
    const variants: Array<[string, string, number]> = [
      [`AWS4-HMAC-SHA256 Credential=${cred}, SignedHeaders=host;x-amz-date`, 'AuthorizationHeaderMalformed', 400],
      [`AWS4-HMAC-SHA256 Credential=${cred}, Signature=${sig}`, 'AuthorizationHeaderMalformed', 400],
      [`AWS4-HMAC-SHA256 Credential=${cred.replace('/s3/', '/ec2/')}, SignedHeaders=host;x-amz-date, Signature=${sig}`, 'AuthorizationHeaderMalformed', 400],
      [`AWS4-HMAC-SHA256 Credential=${cred.replace('aws4_request', 'aws5_request')}, SignedHeaders=host;x-amz-date, Signature=${sig}`, 'AuthorizationHeaderMalformed', 400],
      [`AWS4-HMAC-SHA256 Credential=${creds.accessKeyId}/20260314/us-east-1, SignedHeaders=host, Signature=${sig}`, 'AuthorizationHeaderMalformed', 400],
      [`AWS4-HMAC-SHA256 Credential=${cred}, SignedHeaders=x-amz-date, Signature=${sig}`, 'AuthorizationHeaderMalformed', 400],
      [`AWS4-HMAC-SHA256 Credential=${cred}, SignedHeaders=host;x-amz-date, Signature=abc`, 'AuthorizationHeaderMalformed', 400],
      [`AWS4-HMAC-SHA256 Credential=${cred.replace('20260314', '20260313')}, SignedHeaders=host;x-amz-date, Signature=${sig}`, 'AuthorizationHeaderMalformed', 400],
      [`AWS ${creds.accessKeyId}:c2lnbmF0dXJl`, 'InvalidRequest', 400],
      [`AWS4-ECDSA-P256-SHA256 Credential=${cred}, SignedHeaders=host, Signature=${sig}`, 'InvalidRequest', 400],
      ['Bearer abc', 'InvalidArgument', 400],
    ];
    for (const [value, code, status] of variants) {
      await rejects(verifyRequest({ ...r, headers: { ...r.headers, authorization: value } }, lookup, { now: NOW }), code, status);
    }
  });

  it('needs x-amz-content-sha256 with a valid value and a valid x-amz-date', async () => {
    const r = await signed({ method: 'GET', path: '/b/k' });
    const without = { ...r, headers: { ...r.headers } };
    delete without.headers['x-amz-content-sha256'];
    await rejects(verifyRequest(without, lookup, { now: NOW }), 'InvalidRequest', 400, /x-amz-content-sha256/);
    const bogus = await signed({ method: 'PUT', path: '/b/k', headers: { 'x-amz-content-sha256': 'SOMETHING-ELSE' } });
    await rejects(verifyRequest(bogus, lookup, { now: NOW }), 'InvalidArgument', 400);
    const undated = { ...r, headers: { ...r.headers, 'x-amz-date': '2026-03-14T15:09:26Z' } };
    await rejects(verifyRequest(undated, lookup, { now: NOW }), 'AccessDenied', 403);
  });

  it('seeds the streaming modes from the request signature', async () => {
    const headers = { 'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER', 'content-encoding': 'aws-chunked', 'x-amz-decoded-content-length': '5', 'x-amz-trailer': 'x-amz-checksum-crc32' };
    const req = await signed({ method: 'PUT', path: '/b/k', headers }, oracle({ region: 'eu-west-3' }));
    const r = await verifyRequest(req, lookup, { now: NOW });
    assert.equal(r?.payload.kind, 'streaming-signed');
    if (r?.payload.kind !== 'streaming-signed') return;
    assert.equal(r.payload.trailer, true);
    assert.equal(r.payload.scope, '20260314/eu-west-3/s3/aws4_request');
    assert.equal(r.payload.datetime, '20260314T150926Z');
    assert.equal(r.payload.seedSignature, /Signature=([0-9a-f]{64})/.exec(req.headers['authorization'] as string)![1]);
    assert.equal(r.payload.signingKey.length, 32);

    const unsigned = await signed({ method: 'PUT', path: '/b/k', headers: { ...headers, 'x-amz-content-sha256': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER' } });
    assert.deepEqual((await verifyRequest(unsigned, lookup, { now: NOW }))?.payload, { kind: 'streaming-unsigned-trailer' });
  });

  it('escapes query names and values with the SDK alphabet', () => {
    // Guards the test kit itself: it must put on the wire what the SDK would.
    assert.equal(sdkEscape("a b+c%d~e=f/ü!'()*"), 'a%20b%2Bc%25d~e%3Df%2F%C3%BC%21%27%28%29%2A');
  });
});
