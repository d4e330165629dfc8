// @aws-sdk/client-s3 v3 with its DEFAULT checksum settings (CRC32 on uploads, aws-chunked bodies with
// trailers for streams, response checksum validation), @aws-sdk/lib-storage's Upload, and presigned
// URLs from @aws-sdk/s3-request-presigner used with plain fetch — against a real `godfs up`.
import assert from 'node:assert/strict';
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetBucketLocationCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListBucketsCommand,
  ListMultipartUploadsCommand,
  ListObjectsCommand,
  ListPartsCommand,
  paginateListObjectsV2,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
  UploadPartCopyCommand,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { patternSlice, patternStream } from '../test/data.js';
import { bytesOf, md5Hex, MiB, sha256, sha256Stream, SPECIAL_KEYS, useCluster, writePattern } from './harness.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

/** [error name, HTTP status] of a rejected SDK call. */
async function sdkFailure(p: Promise<unknown>): Promise<[string, number | undefined]> {
  try {
    await p;
  } catch (err) {
    const e = err as { name?: string; Code?: string; $metadata?: { httpStatusCode?: number } };
    return [e.Code ?? e.name ?? 'Error', e.$metadata?.httpStatusCode];
  }
  throw new Error('the call succeeded but was expected to fail');
}

describe('conformance: @aws-sdk/client-s3 v3 (default checksums), lib-storage, s3-request-presigner', function () {
  this.timeout(180_000);
  const cluster = useCluster('sdk-v3');
  let s3: S3Client;
  const B = 'sdk-main';
  const get = async (key: string, extra: Record<string, unknown> = {}) => {
    const r = await s3.send(new GetObjectCommand({ Bucket: B, Key: key, ...extra }));
    return { r, body: await bytesOf(r.Body as Readable) };
  };

  before(async function () {
    const c = cluster();
    s3 = new S3Client({ endpoint: c.endpoint, region: c.region, forcePathStyle: true, credentials: { accessKeyId: c.accessKey, secretAccessKey: c.secretKey }, maxAttempts: 1 });
    await s3.send(new CreateBucketCommand({ Bucket: B }));
  });
  after(() => s3?.destroy());

  it('creates, lists, heads, locates and deletes buckets', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'sdk-b1' }));
    await s3.send(new CreateBucketCommand({ Bucket: 'sdk-b2' }));
    const names = (await s3.send(new ListBucketsCommand({}))).Buckets?.map((b) => b.Name);
    assert.deepEqual(names?.filter((n) => n?.startsWith('sdk-')), ['sdk-b1', 'sdk-b2', B].sort());
    await s3.send(new HeadBucketCommand({ Bucket: 'sdk-b1' }));
    const loc = await s3.send(new GetBucketLocationCommand({ Bucket: 'sdk-b1' }));
    assert.ok([undefined, '', 'us-east-1'].includes(loc.LocationConstraint as string | undefined), String(loc.LocationConstraint));
    assert.deepEqual(await sdkFailure(s3.send(new CreateBucketCommand({ Bucket: 'sdk-b1' }))), ['BucketAlreadyOwnedByYou', 409]);
    await s3.send(new DeleteBucketCommand({ Bucket: 'sdk-b1' }));
    await s3.send(new DeleteBucketCommand({ Bucket: 'sdk-b2' }));
    assert.deepEqual(await sdkFailure(s3.send(new HeadBucketCommand({ Bucket: 'sdk-b1' }))), ['NotFound', 404]);
  });

  for (const [label, size] of [
    ['0 B', 0],
    ['1 KiB', 1024],
  ] as const) {
    it(`PutObject/GetObject/HeadObject a ${label} object (Buffer body, CRC32 header), ETag = MD5`, async () => {
      const data = patternSlice(11, 0, size);
      const put = await s3.send(new PutObjectCommand({ Bucket: B, Key: `sizes/${size}`, Body: data }));
      assert.equal(put.ETag, `"${md5Hex(data)}"`);
      const { r, body } = await get(`sizes/${size}`, { ChecksumMode: 'ENABLED' });
      assert.equal(sha256(body), sha256(data));
      assert.equal(r.ContentLength, size);
      assert.equal((await s3.send(new HeadObjectCommand({ Bucket: B, Key: `sizes/${size}` }))).ETag, `"${md5Hex(data)}"`);
    });
  }

  it('PutObject of a 17 MiB stream of known length (aws-chunked + CRC32 trailer), GetObject with checksum validation', async () => {
    const size = 17 * MiB;
    const put = await s3.send(new PutObjectCommand({ Bucket: B, Key: 'sizes/17m-single', Body: patternStream(size, 17), ContentLength: size }));
    assert.ok(put.ChecksumCRC32, 'the CRC32 the SDK sent is echoed');
    const r = await s3.send(new GetObjectCommand({ Bucket: B, Key: 'sizes/17m-single', ChecksumMode: 'ENABLED' }));
    assert.equal(r.ChecksumCRC32, put.ChecksumCRC32);
    const got = await sha256Stream(r.Body as Readable);
    assert.deepEqual(got, { hex: sha256(patternSlice(17, 0, size)), size });
  });

  for (const size of [3 * MiB + 5, 12 * MiB + 5]) {
    it(`lib-storage Upload of a ${(size / MiB).toFixed(0)} MiB stream of unknown length`, async () => {
      const body = Readable.from(patternStream(size, 5)); // no length: Upload buffers parts of partSize
      await new Upload({ client: s3, params: { Bucket: B, Key: `sizes/unknown-${size}`, Body: body }, partSize: 5 * MiB }).done();
      const r = await s3.send(new GetObjectCommand({ Bucket: B, Key: `sizes/unknown-${size}` }));
      assert.deepEqual(await sha256Stream(r.Body as Readable), { hex: sha256(patternSlice(5, 0, size)), size });
    });
  }

  for (const [label, size, partSize] of [
    ['17 MiB', 17 * MiB, 5 * MiB],
    ['100 MiB', 100 * MiB, 16 * MiB],
  ] as const) {
    it(`lib-storage Upload of a ${label} file (multipart, ${partSize / MiB} MiB parts) reads back byte-exact`, async () => {
      const file = join(cluster().tmp, `upload-${size}`);
      const hex = await writePattern(file, size, size % 251);
      const up = new Upload({ client: s3, params: { Bucket: B, Key: `big/${label}`, Body: createReadStream(file) }, partSize, queueSize: 4 });
      const done = await up.done();
      assert.match(done.ETag ?? '', new RegExp(`^"[0-9a-f]{32}-${Math.ceil(size / partSize)}"$`));
      const r = await s3.send(new GetObjectCommand({ Bucket: B, Key: `big/${label}` }));
      assert.equal(r.ETag, done.ETag);
      assert.deepEqual(await sha256Stream(r.Body as Readable), { hex, size });
    });
  }

  it('multipart by hand: UploadPart, UploadPartCopy with a range, ListParts, Complete; Abort and ListMultipartUploads', async () => {
    const p1 = patternSlice(21, 0, 5 * MiB);
    const p3 = patternSlice(23, 0, 1000);
    await s3.send(new PutObjectCommand({ Bucket: B, Key: 'mp/source', Body: patternSlice(22, 0, 6 * MiB) }));
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: B, Key: 'mp/target', Metadata: { origin: 'multipart' } }));
    const e1 = await s3.send(new UploadPartCommand({ Bucket: B, Key: 'mp/target', UploadId, PartNumber: 1, Body: p1 }));
    const e2 = await s3.send(new UploadPartCopyCommand({ Bucket: B, Key: 'mp/target', UploadId, PartNumber: 2, CopySource: `${B}/mp/source`, CopySourceRange: `bytes=${MiB}-${6 * MiB - 1}` }));
    const e3 = await s3.send(new UploadPartCommand({ Bucket: B, Key: 'mp/target', UploadId, PartNumber: 3, Body: p3 }));
    const parts = await s3.send(new ListPartsCommand({ Bucket: B, Key: 'mp/target', UploadId }));
    assert.deepEqual(parts.Parts?.map((p) => [p.PartNumber, p.Size]), [[1, 5 * MiB], [2, 5 * MiB], [3, 1000]]);
    const listed = await s3.send(new ListMultipartUploadsCommand({ Bucket: B }));
    assert.ok(listed.Uploads?.some((u) => u.UploadId === UploadId && u.Key === 'mp/target'));
    const done = await s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: B,
        Key: 'mp/target',
        UploadId,
        MultipartUpload: { Parts: [{ PartNumber: 1, ETag: e1.ETag }, { PartNumber: 2, ETag: e2.CopyPartResult?.ETag }, { PartNumber: 3, ETag: e3.ETag }] },
      }),
    );
    assert.match(done.ETag ?? '', /^"[0-9a-f]{32}-3"$/);
    const { r, body } = await get('mp/target');
    assert.equal(sha256(body), sha256(Buffer.concat([p1, patternSlice(22, MiB, 6 * MiB), p3])));
    assert.equal(r.Metadata?.origin, 'multipart');
    const aborted = await s3.send(new CreateMultipartUploadCommand({ Bucket: B, Key: 'mp/aborted' }));
    await s3.send(new UploadPartCommand({ Bucket: B, Key: 'mp/aborted', UploadId: aborted.UploadId, PartNumber: 1, Body: p3 }));
    await s3.send(new AbortMultipartUploadCommand({ Bucket: B, Key: 'mp/aborted', UploadId: aborted.UploadId }));
    assert.deepEqual((await s3.send(new ListMultipartUploadsCommand({ Bucket: B }))).Uploads ?? [], []);
    assert.deepEqual(await sdkFailure(s3.send(new HeadObjectCommand({ Bucket: B, Key: 'mp/aborted' }))), ['NotFound', 404]);
  });

  it('range reads: first bytes, open-ended, suffix, across a MiB boundary; 416 beyond the end', async () => {
    const data = patternSlice(31, 0, 3 * MiB + 100);
    await s3.send(new PutObjectCommand({ Bucket: B, Key: 'range/obj', Body: data }));
    for (const [range, from, to] of [
      ['bytes=0-99', 0, 100],
      [`bytes=${3 * MiB}-`, 3 * MiB, data.length],
      ['bytes=-500', data.length - 500, data.length],
      [`bytes=${MiB - 10}-${2 * MiB + 9}`, MiB - 10, 2 * MiB + 10],
    ] as const) {
      const { r, body } = await get('range/obj', { Range: range, ChecksumMode: 'ENABLED' });
      assert.equal(r.$metadata.httpStatusCode, 206, range);
      assert.equal(r.ContentRange, `bytes ${from}-${to - 1}/${data.length}`, range);
      assert.equal(sha256(body), sha256(data.subarray(from, to)), range);
    }
    assert.deepEqual(await sdkFailure(get('range/obj', { Range: `bytes=${data.length}-` })), ['InvalidRange', 416]);
  });

  it('lists with prefix, delimiter and pagination (V2 continuation tokens, V1 markers), in UTF-8 byte order', async () => {
    const keys = ['list/a/1', 'list/a/2', 'list/b/1', 'list/c', 'list/d', 'list/é', 'list/z', 'list/😀'];
    for (const k of keys) await s3.send(new PutObjectCommand({ Bucket: B, Key: k, Body: k }));
    const pages: string[][] = [];
    const all: string[] = [];
    for await (const page of paginateListObjectsV2({ client: s3, pageSize: 3 }, { Bucket: B, Prefix: 'list/' })) {
      pages.push((page.Contents ?? []).map((o) => o.Key!));
      all.push(...pages.at(-1)!);
    }
    const byteOrder = [...keys].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    assert.deepEqual(all, byteOrder);
    assert.deepEqual(pages.map((p) => p.length), [3, 3, 2]);
    const delim: { keys: string[]; prefixes: string[] } = { keys: [], prefixes: [] };
    for await (const page of paginateListObjectsV2({ client: s3, pageSize: 2 }, { Bucket: B, Prefix: 'list/', Delimiter: '/' })) {
      delim.keys.push(...(page.Contents ?? []).map((o) => o.Key!));
      delim.prefixes.push(...(page.CommonPrefixes ?? []).map((p) => p.Prefix!));
    }
    assert.deepEqual(delim, { keys: ['list/c', 'list/d', 'list/z', 'list/é', 'list/😀'], prefixes: ['list/a/', 'list/b/'] });
    const v1 = await s3.send(new ListObjectsCommand({ Bucket: B, Prefix: 'list/', Marker: 'list/b/1', MaxKeys: 2 }));
    assert.deepEqual(v1.Contents?.map((o) => o.Key), ['list/c', 'list/d']);
    assert.equal(v1.IsTruncated, true);
  });

  it('copies objects within and across buckets (metadata COPY and REPLACE)', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'sdk-copy' }));
    const data = patternSlice(41, 0, 2 * MiB + 3);
    await s3.send(new PutObjectCommand({ Bucket: B, Key: 'copy/src', Body: data, ContentType: 'text/x-src', Metadata: { kept: 'yes' } }));
    await s3.send(new CopyObjectCommand({ Bucket: B, Key: 'copy/same', CopySource: `${B}/copy/src` }));
    await s3.send(new CopyObjectCommand({ Bucket: 'sdk-copy', Key: 'other', CopySource: `${B}/copy/src`, MetadataDirective: 'REPLACE', ContentType: 'text/x-new', Metadata: { fresh: '1' } }));
    const same = await get('copy/same');
    assert.equal(sha256(same.body), sha256(data));
    assert.equal(same.r.ContentType, 'text/x-src');
    assert.deepEqual(same.r.Metadata, { kept: 'yes' });
    const other = await s3.send(new GetObjectCommand({ Bucket: 'sdk-copy', Key: 'other' }));
    assert.equal(sha256(await bytesOf(other.Body as Readable)), sha256(data));
    assert.equal(other.ContentType, 'text/x-new');
    assert.deepEqual(other.Metadata, { fresh: '1' });
  });

  it('DeleteObjects removes a batch (verbose and quiet), a missing key counts as deleted', async () => {
    const keys = ['batch/1', 'batch/2', 'batch/sub/3', 'batch/4'];
    for (const k of keys) await s3.send(new PutObjectCommand({ Bucket: B, Key: k, Body: 'x' }));
    const verbose = await s3.send(new DeleteObjectsCommand({ Bucket: B, Delete: { Objects: [...keys.slice(0, 3), 'batch/missing'].map((Key) => ({ Key })) } }));
    assert.deepEqual(verbose.Deleted?.map((d) => d.Key).sort(), ['batch/1', 'batch/2', 'batch/missing', 'batch/sub/3']);
    assert.deepEqual(verbose.Errors ?? [], []);
    const quiet = await s3.send(new DeleteObjectsCommand({ Bucket: B, Delete: { Objects: [{ Key: 'batch/4' }], Quiet: true } }));
    assert.deepEqual(quiet.Deleted ?? [], []);
    const left = [];
    for await (const page of paginateListObjectsV2({ client: s3 }, { Bucket: B, Prefix: 'batch/' })) left.push(...(page.Contents ?? []));
    assert.deepEqual(left, []);
  });

  it('round-trips user metadata and content headers', async () => {
    await s3.send(
      new PutObjectCommand({
        Bucket: B,
        Key: 'meta/obj',
        Body: 'meta',
        ContentType: 'text/plain; charset=utf-8',
        CacheControl: 'max-age=60',
        ContentDisposition: 'attachment; filename="a b.txt"',
        Metadata: { color: 'Blue', 'multi-word': 'a value with spaces' },
      }),
    );
    const h = await s3.send(new HeadObjectCommand({ Bucket: B, Key: 'meta/obj' }));
    assert.deepEqual(h.Metadata, { color: 'Blue', 'multi-word': 'a value with spaces' });
    assert.equal(h.ContentType, 'text/plain; charset=utf-8');
    assert.equal(h.CacheControl, 'max-age=60');
    assert.equal(h.ContentDisposition, 'attachment; filename="a b.txt"');
  });

  it('presigned GET and PUT URLs (s3-request-presigner) work with plain fetch', async () => {
    const data = patternSlice(51, 0, 300_000);
    const putUrl = await getSignedUrl(s3, new PutObjectCommand({ Bucket: B, Key: 'presigned/a b+c.bin' }), { expiresIn: 300 });
    const put = await fetch(putUrl, { method: 'PUT', body: data });
    assert.equal(put.status, 200, await put.text());
    const getUrl = await getSignedUrl(s3, new GetObjectCommand({ Bucket: B, Key: 'presigned/a b+c.bin' }), { expiresIn: 300 });
    const res = await fetch(getUrl);
    assert.equal(res.status, 200);
    assert.equal(sha256(Buffer.from(await res.arrayBuffer())), sha256(data));
    const headUrl = await getSignedUrl(s3, new HeadObjectCommand({ Bucket: B, Key: 'presigned/a b+c.bin' }), { expiresIn: 300 });
    const head = await fetch(headUrl, { method: 'HEAD' });
    assert.equal(head.headers.get('content-length'), String(data.length));
  });

  it('keys with spaces, unicode, + and % round-trip through PUT, GET, list, copy and delete', async () => {
    for (const [i, key] of SPECIAL_KEYS.entries()) {
      const data = patternSlice(60 + i, 0, 1000 + i);
      await s3.send(new PutObjectCommand({ Bucket: B, Key: `odd/${key}`, Body: data }));
      assert.equal(sha256((await get(`odd/${key}`)).body), sha256(data), key);
      await s3.send(new CopyObjectCommand({ Bucket: B, Key: `odd-copy/${key}`, CopySource: `${B}/odd/${key.split('/').map(encodeURIComponent).join('/')}` }));
      assert.equal(sha256((await get(`odd-copy/${key}`)).body), sha256(data), `copy of ${key}`);
    }
    const listed: string[] = [];
    for await (const page of paginateListObjectsV2({ client: s3, pageSize: 2 }, { Bucket: B, Prefix: 'odd/' })) listed.push(...(page.Contents ?? []).map((o) => o.Key!));
    assert.deepEqual(listed, SPECIAL_KEYS.map((k) => `odd/${k}`).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b))));
    for (const key of SPECIAL_KEYS) await s3.send(new DeleteObjectCommand({ Bucket: B, Key: `odd/${key}` }));
    assert.deepEqual(await sdkFailure(get(`odd/${SPECIAL_KEYS[0]}`)), ['NoSuchKey', 404]);
  });
});
