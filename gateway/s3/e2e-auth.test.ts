// Authentication, authorization and body integrity end to end: every refused request answers the
// right S3 code and status AND stores nothing. Also presigned URLs, keys limited to buckets or to
// reading, anonymous access, chunked bodies without Content-Length, and Expect: 100-continue.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { request } from 'node:http';
import { CreateBucketCommand, GetObjectCommand, ListBucketsCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { presignUrl } from './auth/index.js';
import { errorCode, rawRequest, ROOT_KEY, ROOT_SECRET, s3Failure, signedRequest, startS3Fixture, type S3Fixture } from '../../test/s3-gateway.js';

describe('S3 authentication and integrity (end to end)', function () {
  this.timeout(60_000);
  let f: S3Fixture;
  const B = 'secure';
  const absent = (key: string) => assert.rejects(f.cluster.client.stat(`/${B}/${key}`), { code: 'not_found' }, `${key} must not be stored`);
  before(async () => {
    f = await startS3Fixture();
    await f.s3.send(new CreateBucketCommand({ Bucket: B }));
    await f.s3.send(new CreateBucketCommand({ Bucket: 'other' }));
  });
  after(async () => f?.close());

  it('refuses a wrong secret (SignatureDoesNotMatch) and an unknown key (InvalidAccessKeyId), storing nothing', async () => {
    const wrong = f.client({ accessKeyId: ROOT_KEY, secretAccessKey: 'not-the-secret' });
    assert.deepEqual(await s3Failure(wrong.send(new PutObjectCommand({ Bucket: B, Key: 'wrong-secret', Body: 'x' }))), ['SignatureDoesNotMatch', 403]);
    await absent('wrong-secret');
    const unknown = f.client({ accessKeyId: 'AKIDUNKNOWN000000000', secretAccessKey: 'whatever' });
    assert.deepEqual(await s3Failure(unknown.send(new PutObjectCommand({ Bucket: B, Key: 'unknown-key', Body: 'x' }))), ['InvalidAccessKeyId', 403]);
    await absent('unknown-key');
  });

  it('refuses anonymous requests with AccessDenied (403) in S3 XML', async () => {
    const res = await fetch(`${f.base}/${B}/anon`, { method: 'PUT', body: 'x' });
    assert.equal(res.status, 403);
    const body = await res.text();
    assert.equal(errorCode(body), 'AccessDenied');
    assert.match(body, /<Message>[^<]+<\/Message>/);
    await absent('anon');
    assert.equal((await fetch(`${f.base}/`)).status, 403);
  });

  it('refuses a body that does not match its Content-MD5, its CRC32, or its signed sha256, storing nothing', async () => {
    const badMd5 = createHash('md5').update('other').digest('base64');
    assert.deepEqual(await s3Failure(f.s3.send(new PutObjectCommand({ Bucket: B, Key: 'bad-md5', Body: 'payload', ContentMD5: badMd5 }))), ['BadDigest', 400]);
    await absent('bad-md5');
    assert.deepEqual(await s3Failure(f.s3.send(new PutObjectCommand({ Bucket: B, Key: 'bad-crc', Body: 'payload', ChecksumCRC32: 'AAAAAA==' }))), ['BadDigest', 400]);
    await absent('bad-crc');
    const res = await signedRequest(f.base, {
      method: 'PUT', path: `/${B}/bad-sha`, body: Buffer.from('payload'),
      headers: { 'x-amz-content-sha256': createHash('sha256').update('other').digest('hex') },
    });
    assert.equal(res.status, 400);
    assert.equal(errorCode(res.body), 'XAmzContentSHA256Mismatch');
    await absent('bad-sha');
  });

  it('stores nothing from a truncated aws-chunked body', async () => {
    const res = await signedRequest(f.base, {
      method: 'PUT', path: `/${B}/truncated`, body: Buffer.from('5\r\nhello\r\n'),
      headers: { 'x-amz-content-sha256': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER', 'content-encoding': 'aws-chunked', 'x-amz-decoded-content-length': '10' },
    });
    assert.equal(res.status, 400);
    assert.equal(errorCode(res.body), 'IncompleteBody');
    await absent('truncated');
  });

  it('serves presigned GET, PUT and HEAD URLs, and refuses expired or tampered ones', async () => {
    const put = presignUrl({ method: 'PUT', endpoint: f.base, bucket: B, key: 'pre signed+.txt', accessKeyId: ROOT_KEY, secretKey: ROOT_SECRET, expiresIn: 300 });
    assert.equal((await fetch(put, { method: 'PUT', body: 'via presign' })).status, 200);
    const get = await getSignedUrl(f.s3, new GetObjectCommand({ Bucket: B, Key: 'pre signed+.txt' }), { expiresIn: 300 });
    const got = await fetch(get);
    assert.equal(got.status, 200);
    assert.equal(await got.text(), 'via presign');
    const head = presignUrl({ method: 'HEAD', endpoint: f.base, bucket: B, key: 'pre signed+.txt', accessKeyId: ROOT_KEY, secretKey: ROOT_SECRET, expiresIn: 300 });
    assert.equal((await fetch(head, { method: 'HEAD' })).headers.get('content-length'), '11');
    const expired = presignUrl({ method: 'GET', endpoint: f.base, bucket: B, key: 'pre signed+.txt', accessKeyId: ROOT_KEY, secretKey: ROOT_SECRET, expiresIn: 60, now: new Date(Date.now() - 3_600_000) });
    const e = await fetch(expired);
    assert.equal(e.status, 403);
    assert.equal(errorCode(await e.text()), 'AccessDenied');
    const tampered = await fetch(get.replace('pre%20signed', 'pre%20signet'));
    assert.equal(tampered.status, 403);
    assert.equal(errorCode(await tampered.text()), 'SignatureDoesNotMatch');
    const tamperedPut = put.replace('X-Amz-Expires=300', 'X-Amz-Expires=301');
    assert.equal((await fetch(tamperedPut, { method: 'PUT', body: 'evil' })).status, 403);
    assert.equal((await f.cluster.client.readFile(`/${B}/pre signed+.txt`)).toString(), 'via presign');
  });

  it('accepts a chunked request body without Content-Length, and Expect: 100-continue', async () => {
    const url = new URL(presignUrl({ method: 'PUT', endpoint: f.base, bucket: B, key: 'chunked.bin', accessKeyId: ROOT_KEY, secretKey: ROOT_SECRET, expiresIn: 300 }));
    const chunked = await rawRequest(f.base, { method: 'PUT', path: url.pathname + url.search, body: [Buffer.from('part one, '), Buffer.from('part two')] });
    assert.equal(chunked.status, 200, chunked.body.toString());
    assert.equal((await f.cluster.client.readFile(`/${B}/chunked.bin`)).toString(), 'part one, part two');

    const url2 = new URL(presignUrl({ method: 'PUT', endpoint: f.base, bucket: B, key: 'continued.bin', accessKeyId: ROOT_KEY, secretKey: ROOT_SECRET, expiresIn: 300 }));
    const status = await new Promise<number>((resolve, reject) => {
      const body = Buffer.from('sent after 100 Continue');
      const req = request({ host: url2.hostname, port: url2.port, method: 'PUT', path: url2.pathname + url2.search, headers: { expect: '100-continue', 'content-length': String(body.length) } }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      });
      req.on('continue', () => req.end(body));
      req.on('error', reject);
      req.flushHeaders();
    });
    assert.equal(status, 200);
    assert.equal((await f.cluster.client.readFile(`/${B}/continued.bin`)).toString(), 'sent after 100 Continue');
  });

  it('limits keys from master metadata to their buckets, and read-only keys to reading', async () => {
    await f.s3.send(new PutObjectCommand({ Bucket: B, Key: 'shared.txt', Body: 'shared' }));
    const ro = await f.cluster.client.createAccessKey({ readOnly: true, buckets: [B] });
    const rw = await f.cluster.client.createAccessKey({ buckets: ['other'] });
    const roClient = f.client({ accessKeyId: ro.accessKeyId, secretAccessKey: ro.secretKey });
    const rwClient = f.client({ accessKeyId: rw.accessKeyId, secretAccessKey: rw.secretKey });
    const read = await roClient.send(new GetObjectCommand({ Bucket: B, Key: 'shared.txt' }));
    assert.equal(await read.Body!.transformToString(), 'shared');
    assert.deepEqual(await s3Failure(roClient.send(new PutObjectCommand({ Bucket: B, Key: 'ro-write', Body: 'x' }))), ['AccessDenied', 403]);
    await absent('ro-write');
    assert.deepEqual(await s3Failure(rwClient.send(new GetObjectCommand({ Bucket: B, Key: 'shared.txt' }))), ['AccessDenied', 403]);
    await rwClient.send(new PutObjectCommand({ Bucket: 'other', Key: 'mine.txt', Body: 'ok' }));
    assert.deepEqual((await rwClient.send(new ListBucketsCommand({}))).Buckets?.map((b) => b.Name), ['other']);
    // A copy needs read access to the source bucket too.
    const res = await signedRequest(f.base, {
      method: 'PUT', path: '/other/stolen.txt', headers: { 'x-amz-copy-source': `/${B}/shared.txt` }, creds: { accessKeyId: rw.accessKeyId, secretAccessKey: rw.secretKey },
    });
    assert.equal(res.status, 403);
    await assert.rejects(f.cluster.client.stat('/other/stolen.txt'), { code: 'not_found' });
  });

  it('allows anonymous reads when the gateway does, and still no anonymous writes', async () => {
    const open = await startS3Fixture({ allowAnonymousRead: true });
    try {
      await open.s3.send(new CreateBucketCommand({ Bucket: 'public' }));
      await open.s3.send(new PutObjectCommand({ Bucket: 'public', Key: 'hello.txt', Body: 'hi' }));
      const res = await fetch(`${open.base}/public/hello.txt`);
      assert.equal(res.status, 200);
      assert.equal(await res.text(), 'hi');
      assert.equal((await fetch(`${open.base}/public?list-type=2`)).status, 200);
      const put = await fetch(`${open.base}/public/new.txt`, { method: 'PUT', body: 'x' });
      assert.equal(put.status, 403);
      await assert.rejects(open.cluster.client.stat('/public/new.txt'), { code: 'not_found' });
    } finally {
      await open.close();
    }
  });
});
