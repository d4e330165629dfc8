// Negative cases against a real `godfs up`, built by hand (conformance/raw-s3.ts) because no
// well-behaved client sends them: each must answer the S3 error code and status AWS documents, with
// an S3 XML body (Code, Message, Resource, RequestId; none on HEAD), and store nothing.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { presignUrl } from '../gateway/s3/auth/index.js';
import { patternSlice } from '../test/data.js';
import { eventually } from '../test/eventually.js';
import { useCluster, type Cluster } from './harness.js';
import { awsChunked, headStatus, objectPath, s3, send, xmlField, type RawResponse } from './raw-s3.js';

const B = 'negative';

function assertS3Error(r: RawResponse, status: number, code: string, what = ''): void {
  const text = r.body.toString('utf8');
  assert.equal(r.status, status, `${what} status; body: ${text.slice(0, 400)}`);
  assert.equal(r.code, code, `${what} code; body: ${text.slice(0, 400)}`);
  assert.ok(r.message.length > 0, `${what}: <Message> present`);
  assert.ok(xmlField(text, 'RequestId').length > 0, `${what}: <RequestId> present`);
  assert.ok(text.includes('<Resource>'), `${what}: <Resource> present`);
  assert.match(String(r.headers['content-type']), /xml/);
}

/** PUTs the gateway counted as aborted (their connection closed before the response), from its /metrics. */
async function abortedPuts(c: Cluster): Promise<number> {
  const text = await (await fetch(`${c.endpoint}/metrics`)).text();
  let n = 0;
  for (const m of text.matchAll(/^godfs_gateway_http_requests_total\{([^}]*)\} (\d+)$/gm)) if (m[1]!.includes('method="PUT"') && m[1]!.includes('status="aborted"')) n += Number(m[2]);
  return n;
}

async function bucketNames(c: Cluster): Promise<string[]> {
  const r = await s3(c, { method: 'GET' });
  return [...r.body.toString('utf8').matchAll(/<Name>([^<]*)<\/Name>/g)].map((m) => m[1]!);
}

describe('conformance: negative cases (hand-built requests)', function () {
  this.timeout(120_000);
  const cluster = useCluster('negative');
  const body = patternSlice(600, 0, 64 * 1024);
  const md5b64 = (b: Buffer) => createHash('md5').update(b).digest('base64');

  before(async function () {
    const r = await s3(cluster(), { method: 'PUT', bucket: B });
    assert.equal(r.status, 200, r.body.toString());
  });

  it('wrong secret → 403 SignatureDoesNotMatch; unknown key → 403 InvalidAccessKeyId; no signature → 403 AccessDenied; nothing stored', async () => {
    const c = cluster();
    assertS3Error(await s3(c, { method: 'PUT', bucket: B, key: 'auth/wrong-secret', body, secretKey: 'not-the-secret' }), 403, 'SignatureDoesNotMatch');
    assertS3Error(await s3(c, { method: 'PUT', bucket: B, key: 'auth/unknown-key', body, accessKey: 'GKNOSUCHKEY000000000' }), 403, 'InvalidAccessKeyId');
    const anon = await send(c.endpoint, { method: 'PUT', path: objectPath(B, 'auth/anonymous'), headers: { 'content-length': String(body.length) }, body });
    assertS3Error(anon, 403, 'AccessDenied');
    const skewed = await s3(c, { method: 'PUT', bucket: B, key: 'auth/skewed', body, date: new Date(Date.now() - 3600_000) });
    assertS3Error(skewed, 403, 'RequestTimeTooSkewed');
    for (const k of ['auth/wrong-secret', 'auth/unknown-key', 'auth/anonymous', 'auth/skewed']) assert.equal(await headStatus(c, B, k), 404, k);
  });

  it('presigned URLs: expired → 403 AccessDenied, tampered → 403 SignatureDoesNotMatch, for GET and PUT; nothing stored', async () => {
    const c = cluster();
    assert.equal((await s3(c, { method: 'PUT', bucket: B, key: 'presign/existing', body })).status, 200);
    const sign = (method: 'GET' | 'PUT', key: string, o: { now?: Date; expiresIn?: number } = {}) =>
      presignUrl({ method, endpoint: c.endpoint, bucket: B, key, accessKeyId: c.accessKey, secretKey: c.secretKey, region: c.region, expiresIn: o.expiresIn ?? 300, now: o.now });
    const fetchRaw = async (url: string, init: RequestInit = {}): Promise<RawResponse> => {
      const res = await fetch(url, init);
      const b = Buffer.from(await res.arrayBuffer());
      return { status: res.status, headers: Object.fromEntries(res.headers), body: b, code: xmlField(b.toString(), 'Code'), message: xmlField(b.toString(), 'Message') };
    };
    const old = new Date(Date.now() - 2 * 3600_000);
    assertS3Error(await fetchRaw(sign('GET', 'presign/existing', { now: old, expiresIn: 60 })), 403, 'AccessDenied', 'expired GET');
    assertS3Error(await fetchRaw(sign('PUT', 'presign/expired-put', { now: old, expiresIn: 60 }), { method: 'PUT', body }), 403, 'AccessDenied', 'expired PUT');
    const good = sign('GET', 'presign/existing');
    assert.equal((await fetch(good)).status, 200);
    const flipped = good.replace(/X-Amz-Signature=([0-9a-f])/, (_m, ch: string) => `X-Amz-Signature=${ch === '0' ? '1' : '0'}`);
    assertS3Error(await fetchRaw(flipped), 403, 'SignatureDoesNotMatch', 'signature changed');
    assertS3Error(await fetchRaw(good.replace('X-Amz-Expires=300', 'X-Amz-Expires=600')), 403, 'SignatureDoesNotMatch', 'expiry changed');
    assertS3Error(await fetchRaw(good.replace('/presign/existing', '/presign/other')), 403, 'SignatureDoesNotMatch', 'key changed');
    const put = sign('PUT', 'presign/tampered-put');
    assertS3Error(await fetchRaw(put.replace('tampered-put', 'tampered-pux'), { method: 'PUT', body }), 403, 'SignatureDoesNotMatch', 'PUT key changed');
    assertS3Error(await fetchRaw(put, { method: 'GET' }), 403, 'SignatureDoesNotMatch', 'PUT URL used for GET');
    for (const k of ['presign/expired-put', 'presign/tampered-put', 'presign/tampered-pux']) assert.equal(await headStatus(c, B, k), 404, k);
  });

  it('missing key → 404 NoSuchKey (HEAD: 404, no body); missing bucket → 404 NoSuchBucket, and a PUT into it creates nothing', async () => {
    const c = cluster();
    assertS3Error(await s3(c, { method: 'GET', bucket: B, key: 'no/such/key' }), 404, 'NoSuchKey');
    const head = await s3(c, { method: 'HEAD', bucket: B, key: 'no/such/key' });
    assert.equal(head.status, 404);
    assert.equal(head.body.length, 0);
    assertS3Error(await s3(c, { method: 'GET', bucket: 'no-such-bucket', key: 'k' }), 404, 'NoSuchBucket');
    assertS3Error(await s3(c, { method: 'GET', bucket: 'no-such-bucket', query: { 'list-type': '2' } }), 404, 'NoSuchBucket');
    assertS3Error(await s3(c, { method: 'PUT', bucket: 'no-such-bucket', key: 'k', body }), 404, 'NoSuchBucket');
    assert.ok(!(await bucketNames(c)).includes('no-such-bucket'));
  });

  it('deleting a non-empty bucket → 409 BucketNotEmpty, bucket and object kept', async () => {
    const c = cluster();
    assert.equal((await s3(c, { method: 'PUT', bucket: 'neg-full' })).status, 200);
    assert.equal((await s3(c, { method: 'PUT', bucket: 'neg-full', key: 'a/b', body })).status, 200);
    assertS3Error(await s3(c, { method: 'DELETE', bucket: 'neg-full' }), 409, 'BucketNotEmpty');
    assert.ok((await bucketNames(c)).includes('neg-full'));
    assert.equal(await headStatus(c, 'neg-full', 'a/b'), 200);
  });

  it('bad Content-MD5 → 400 BadDigest (mismatch) or InvalidDigest (malformed); nothing stored', async () => {
    const c = cluster();
    const other = patternSlice(601, 0, 100);
    assertS3Error(await s3(c, { method: 'PUT', bucket: B, key: 'md5/mismatch', body, headers: { 'content-md5': md5b64(other) } }), 400, 'BadDigest');
    assertS3Error(await s3(c, { method: 'PUT', bucket: B, key: 'md5/malformed', body, headers: { 'content-md5': 'not-base64-md5' } }), 400, 'InvalidDigest');
    assertS3Error(await s3(c, { method: 'PUT', bucket: B, key: 'md5/unsigned', body, payloadHash: 'UNSIGNED-PAYLOAD', headers: { 'content-md5': md5b64(other) } }), 400, 'BadDigest', 'UNSIGNED-PAYLOAD');
    for (const k of ['md5/mismatch', 'md5/malformed', 'md5/unsigned']) assert.equal(await headStatus(c, B, k), 404, k);
    assert.equal((await s3(c, { method: 'PUT', bucket: B, key: 'md5/good', body, headers: { 'content-md5': md5b64(body) } })).status, 200);
  });

  it('checksum mismatch (x-amz-checksum-crc32 / -sha256) → 400 BadDigest; signed payload hash mismatch → 400 XAmzContentSHA256Mismatch; nothing stored', async () => {
    const c = cluster();
    const wrongSha = createHash('sha256').update('other').digest('base64');
    assertS3Error(await s3(c, { method: 'PUT', bucket: B, key: 'ck/crc32', body, payloadHash: 'UNSIGNED-PAYLOAD', headers: { 'x-amz-checksum-crc32': 'AAAAAA==' } }), 400, 'BadDigest', 'crc32');
    assertS3Error(await s3(c, { method: 'PUT', bucket: B, key: 'ck/sha256', body, payloadHash: 'UNSIGNED-PAYLOAD', headers: { 'x-amz-checksum-sha256': wrongSha } }), 400, 'BadDigest', 'sha256');
    assertS3Error(await s3(c, { method: 'PUT', bucket: B, key: 'ck/payload', body, payloadHash: createHash('sha256').update('other').digest('hex') }), 400, 'XAmzContentSHA256Mismatch');
    for (const k of ['ck/crc32', 'ck/sha256', 'ck/payload']) assert.equal(await headStatus(c, B, k), 404, k);
  });

  it('aws-chunked: a body that ends before its final chunk → 400 IncompleteBody, a connection cut mid-body; a forged chunk signature → 403 SignatureDoesNotMatch; nothing stored', async () => {
    const c = cluster();
    const data = patternSlice(602, 0, 200_000);
    const whole = await awsChunked(c, B, 'chunked/whole', data, 64 * 1024);
    const ok = await send(c.endpoint, { method: 'PUT', path: whole.path, headers: whole.headers, body: whole.chunks });
    assert.equal(ok.status, 200, ok.body.toString());
    const short = await awsChunked(c, B, 'chunked/truncated', data, 64 * 1024, { sendChunks: 2 });
    assertS3Error(await send(c.endpoint, { method: 'PUT', path: short.path, headers: short.headers, body: short.chunks }), 400, 'IncompleteBody', 'truncated');
    const dying = await awsChunked(c, B, 'chunked/cut', data, 64 * 1024);
    const abortedBefore = await abortedPuts(c);
    const r = await send(c.endpoint, { method: 'PUT', path: dying.path, headers: dying.headers, body: dying.chunks.slice(0, 2), cut: true });
    assert.equal(r.status, 0, `a connection cut mid-body gets no success: ${r.status} ${r.body.toString()}`);
    // The gateway has seen the cut (so the check below that nothing was stored is not early).
    await eventually(async () => (await abortedPuts(c)) > abortedBefore, 20_000, 'the gateway to count the cut PUT as aborted');
    const forged = await awsChunked(c, B, 'chunked/forged', data, 64 * 1024);
    forged.chunks[1] = Buffer.from(forged.chunks[1]!.toString('latin1').replace(/chunk-signature=([0-9a-f])/, (_m, ch: string) => `chunk-signature=${ch === '0' ? '1' : '0'}`), 'latin1');
    assertS3Error(await send(c.endpoint, { method: 'PUT', path: forged.path, headers: forged.headers, body: forged.chunks }), 403, 'SignatureDoesNotMatch', 'forged chunk');
    for (const k of ['chunked/truncated', 'chunked/cut', 'chunked/forged']) assert.equal(await headStatus(c, B, k), 404, k);
  });

  it('malformed XML in CompleteMultipartUpload and DeleteObjects → 400 MalformedXML; the upload survives, nothing is deleted', async () => {
    const c = cluster();
    const created = await s3(c, { method: 'POST', bucket: B, key: 'xml/mp', query: { uploads: '' } });
    const uploadId = xmlField(created.body.toString(), 'UploadId');
    assert.ok(uploadId, created.body.toString());
    const part = await s3(c, { method: 'PUT', bucket: B, key: 'xml/mp', query: { partNumber: '1', uploadId }, body });
    assert.equal(part.status, 200);
    for (const bad of ['<CompleteMultipartUpload><Part><PartNumber>1</PartNumber>', 'not xml at all', '<Other/>']) {
      const r = await s3(c, { method: 'POST', bucket: B, key: 'xml/mp', query: { uploadId }, body: Buffer.from(bad) });
      assertS3Error(r, 400, 'MalformedXML', `Complete with ${JSON.stringify(bad)}`);
    }
    assert.equal(await headStatus(c, B, 'xml/mp'), 404);
    assert.equal((await s3(c, { method: 'GET', bucket: B, key: 'xml/mp', query: { uploadId } })).status, 200, 'ListParts: the upload is still there');
    assert.equal((await s3(c, { method: 'PUT', bucket: B, key: 'xml/keep', body })).status, 200);
    for (const bad of ['<Delete><Object><Key>xml/keep</Key></Object>', '<Delete><Object><Key>xml/keep</Key></Object></Delete', 'garbage']) {
      const b = Buffer.from(bad);
      const r = await s3(c, { method: 'POST', bucket: B, query: { delete: '' }, body: b, headers: { 'content-md5': md5b64(b) } });
      assertS3Error(r, 400, 'MalformedXML', `DeleteObjects with ${JSON.stringify(bad)}`);
    }
    assert.equal(await headStatus(c, B, 'xml/keep'), 200);
  });

  it('invalid bucket names → 400 InvalidBucketName, nothing created', async () => {
    const c = cluster();
    const names = ['ab', 'UpperCase', 'under_score', 'dots..dots', '192.168.1.1', '-leading', 'trailing-', 'a'.repeat(64), 'xn--punycode', 'name-s3alias'];
    for (const name of names) assertS3Error(await s3(c, { method: 'PUT', bucket: name }), 400, 'InvalidBucketName', name);
    const listed = await bucketNames(c);
    for (const name of names) assert.ok(!listed.includes(name), name);
  });

  it('a key over 1024 bytes → 400 KeyTooLongError and nothing stored; exactly 1024 bytes is fine', async () => {
    const c = cluster();
    const seg = 'é'.repeat(100); // 200 bytes of UTF-8 per segment
    const long = `long/${[seg, seg, seg, seg, seg].join('/')}/x`; // 5 + 5 × 201 + 1 = 1011 bytes + …
    const exact = long + 'y'.repeat(1024 - Buffer.byteLength(long));
    assert.equal(Buffer.byteLength(exact), 1024);
    assert.equal((await s3(c, { method: 'PUT', bucket: B, key: exact, body })).status, 200);
    assertS3Error(await s3(c, { method: 'PUT', bucket: B, key: exact + 'z', body }), 400, 'KeyTooLongError');
    const listing = await s3(c, { method: 'GET', bucket: B, query: { 'list-type': '2', prefix: 'long/' } });
    assert.equal([...listing.body.toString().matchAll(/<Key>/g)].length, 1);
  });
});
