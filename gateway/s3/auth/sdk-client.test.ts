// The real @aws-sdk/client-s3, with its default settings (CRC32 flexible checksums, aws-chunked
// STREAMING-UNSIGNED-PAYLOAD-TRAILER for streams), against a minimal HTTP server that does nothing
// but this module's verifyRequest → decodeBody → checksumStream and keeps objects in a Map. What
// the SDK actually puts on the wire must verify; what it must not, must not.
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client, S3ServiceException, type ChecksumAlgorithm } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { checksumStream, decodeBody, presignUrl, S3AuthError, verifyRequest, type AuthResult } from './index.js';
import { consume, creds, lookup } from '../../../test/sigv4.js';

interface Seen {
  auth: AuthResult;
  checksum?: { algorithm: string; value: string };
  md5Hex: string;
}

function xmlError(res: ServerResponse, status: number, code: string, message: string): void {
  res.writeHead(status, { 'content-type': 'application/xml' });
  res.end(`<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${message}</Message><RequestId>t</RequestId></Error>`);
}

async function handle(req: IncomingMessage, res: ServerResponse, objects: Map<string, Buffer>, log: Seen[]): Promise<void> {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const rawPath = q < 0 ? url : url.slice(0, q);
  const rawQuery = q < 0 ? '' : url.slice(q + 1);
  const auth = await verifyRequest({ method: req.method!, rawPath, rawQuery, headers: req.headers }, lookup);
  if (!auth) return xmlError(res, 403, 'AccessDenied', 'Access Denied');
  const key = decodeURIComponent(rawPath);
  if (req.method === 'PUT') {
    const { stream, trailers } = decodeBody(req, auth.payload, req.headers);
    const checked = checksumStream(stream, req.headers, trailers);
    const seen = await consume(checked.stream);
    if (seen.error) throw seen.error;
    const { md5Hex, checksum } = await checked.result;
    objects.set(key, seen.data);
    log.push({ auth, checksum, md5Hex });
    res.writeHead(200, { etag: `"${md5Hex}"` });
    return void res.end();
  }
  if (req.method === 'GET' && rawQuery.includes('list-type=2')) {
    res.writeHead(200, { 'content-type': 'application/xml' });
    return void res.end('<?xml version="1.0" encoding="UTF-8"?><ListBucketResult><Name>b</Name><KeyCount>0</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>false</IsTruncated></ListBucketResult>');
  }
  const body = objects.get(key);
  if (!body) return xmlError(res, 404, 'NoSuchKey', 'The specified key does not exist.');
  res.writeHead(200, { 'content-length': body.length, etag: '"x"' });
  res.end(req.method === 'HEAD' ? undefined : body);
}

describe('s3 auth: @aws-sdk/client-s3 end to end', function () {
  this.timeout(20_000);
  let server: Server;
  let endpoint = '';
  const objects = new Map<string, Buffer>();
  const log: Seen[] = [];
  const client = (secretAccessKey = creds.secretKey) =>
    new S3Client({ region: 'us-east-1', endpoint, forcePathStyle: true, maxAttempts: 1, credentials: { accessKeyId: creds.accessKeyId, secretAccessKey } });

  before(async () => {
    server = createServer((req, res) => {
      handle(req, res, objects, log).catch((err: unknown) => {
        if (err instanceof S3AuthError) xmlError(res, err.status, err.s3Code, err.message);
        else xmlError(res, 500, 'InternalError', String(err));
        req.resume();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((r) => server.close(() => r())));

  const keys = ['plain.txt', 'key with spaces.txt', 'ünïcödé/日本語.bin', 'a+b=c', '100% sure', 'tilde~dir/x', "odd !$&'()*,;:@ chars"];
  for (const key of keys) {
    it(`PutObject/GetObject of ${JSON.stringify(key)} with the default CRC32 checksum`, async () => {
      const body = `contents of ${key}`;
      await client().send(new PutObjectCommand({ Bucket: 'bucket', Key: key, Body: body }));
      const last = log.at(-1)!;
      assert.equal(last.checksum?.algorithm, 'CRC32');
      assert.equal(last.auth.payload.kind, 'sha256'); // a string body is hashed and signed
      assert.equal(objects.get(`/bucket/${key}`)?.toString(), body);
      const got = await client().send(new GetObjectCommand({ Bucket: 'bucket', Key: key }));
      assert.equal(await got.Body!.transformToString(), body);
    });
  }

  // A stream body makes the SDK send aws-chunked with the checksum in a trailer. (It needs
  // ContentLength for that: without one it fails client-side setting x-amz-decoded-content-length.)
  it('PutObject of a stream: aws-chunked, STREAMING-UNSIGNED-PAYLOAD-TRAILER, crc32 trailer', async () => {
    const parts = Array.from({ length: 40 }, (_, i) => Buffer.alloc(50_000, i));
    await client().send(new PutObjectCommand({ Bucket: 'bucket', Key: 'streamed.bin', Body: Readable.from(parts), ContentLength: 2_000_000 }));
    const last = log.at(-1)!;
    assert.equal(last.auth.payload.kind, 'streaming-unsigned-trailer');
    assert.equal(last.checksum?.algorithm, 'CRC32');
    assert.ok(objects.get('/bucket/streamed.bin')!.equals(Buffer.concat(parts)));
  });

  for (const alg of ['CRC32C', 'CRC64NVME', 'SHA1', 'SHA256'] as const) {
    it(`PutObject with ChecksumAlgorithm ${alg}, as a buffer and as a stream`, async () => {
      const body = Buffer.alloc(100_000, alg);
      await client().send(new PutObjectCommand({ Bucket: 'bucket', Key: `alg-${alg}`, Body: body, ChecksumAlgorithm: alg as ChecksumAlgorithm }));
      assert.equal(log.at(-1)!.checksum?.algorithm, alg);
      await client().send(new PutObjectCommand({ Bucket: 'bucket', Key: `alg-${alg}-s`, Body: Readable.from([body]), ContentLength: body.length, ChecksumAlgorithm: alg as ChecksumAlgorithm }));
      assert.equal(log.at(-1)!.checksum?.algorithm, alg);
      assert.ok(objects.get(`/bucket/alg-${alg}-s`)!.equals(body));
    });
  }

  it('ListObjectsV2 with a prefix and delimiter that need encoding', async () => {
    const r = await client().send(new ListObjectsV2Command({ Bucket: 'bucket', Prefix: "a b+c%d/ü~=&'", Delimiter: '/', StartAfter: 'x y' }));
    assert.equal(r.KeyCount, 0);
  });

  it('surfaces our errors to the SDK: wrong secret, wrong checksum value', async () => {
    await assert.rejects(client('wrong').send(new PutObjectCommand({ Bucket: 'bucket', Key: 'nope', Body: 'x' })), (e: unknown) => {
      assert.ok(e instanceof S3ServiceException);
      assert.equal(e.name, 'SignatureDoesNotMatch');
      assert.equal(e.$metadata.httpStatusCode, 403);
      return true;
    });
    await assert.rejects(client().send(new PutObjectCommand({ Bucket: 'bucket', Key: 'bad-crc', Body: 'hello', ChecksumCRC32: 'AAAAAA==' })), { name: 'BadDigest' });
    assert.equal(objects.has('/bucket/nope'), false);
    assert.equal(objects.has('/bucket/bad-crc'), false);
  });

  it('presigned PUT and GET (s3-request-presigner and presignUrl) with plain fetch', async () => {
    const key = 'presigned dir/ü+%.txt';
    const putUrl = await getSignedUrl(client(), new PutObjectCommand({ Bucket: 'bucket', Key: key }), { expiresIn: 300 });
    const put = await fetch(putUrl, { method: 'PUT', body: 'via presigned PUT' });
    assert.equal(put.status, 200, await put.text());
    assert.equal(objects.get(`/bucket/${key}`)?.toString(), 'via presigned PUT');
    const getUrl = await getSignedUrl(client(), new GetObjectCommand({ Bucket: 'bucket', Key: key }), { expiresIn: 300 });
    assert.equal(await (await fetch(getUrl)).text(), 'via presigned PUT');
    const ours = presignUrl({ method: 'GET', endpoint, bucket: 'bucket', key, accessKeyId: creds.accessKeyId, secretKey: creds.secretKey, expiresIn: 60 });
    assert.equal(await (await fetch(ours)).text(), 'via presigned PUT');
    const tampered = await fetch(ours.replace('X-Amz-Expires=60', 'X-Amz-Expires=600'));
    assert.equal(tampered.status, 403);
    assert.match(await tampered.text(), /SignatureDoesNotMatch/);
  });
});
