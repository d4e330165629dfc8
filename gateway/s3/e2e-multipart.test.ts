// Multipart uploads end to end: @aws-sdk/lib-storage's Upload, the individual calls, S3's Complete
// errors, UploadPartCopy, GET ?partNumber — and the proof that Complete copies no byte: the
// chunkservers' stored-byte counters do not move across it.
import assert from 'node:assert/strict';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListPartsCommand,
  PutObjectCommand,
  UploadPartCommand,
  UploadPartCopyCommand,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { createHash } from 'node:crypto';
import { patternSlice, patternStream } from '../../test/data.js';
import { bytesWritten, errorCode, md5, MiB, s3Failure, sha256, signedRequest, startS3Fixture, type S3Fixture } from '../../test/s3-gateway.js';

/** S3's multipart ETag: md5 of the concatenated binary part md5s, "-N". */
function multipartEtag(parts: Buffer[]): string {
  const h = createHash('md5');
  for (const p of parts) h.update(createHash('md5').update(p).digest());
  return `"${h.digest('hex')}-${parts.length}"`;
}

describe('S3 multipart uploads (end to end)', function () {
  this.timeout(60_000);
  let f: S3Fixture;
  const B = 'mpu';
  before(async () => {
    // 1 MiB minimum parts (instead of S3's 5 MiB) keep the data small; the rule is the same.
    f = await startS3Fixture({ s3: { minPartSize: 1 * MiB } });
    await f.s3.send(new CreateBucketCommand({ Bucket: B }));
  });
  after(async () => f?.close());

  it('uploads 17 MiB with lib-storage Upload (multipart, default checksums) and reads it back', async () => {
    const size = 17 * MiB;
    const up = new Upload({ client: f.s3, params: { Bucket: B, Key: 'lib/storage.bin', Body: patternStream(size, 21), ContentType: 'application/x-big' }, partSize: 5 * MiB, queueSize: 2 });
    const done = await up.done();
    const whole = patternSlice(21, 0, size);
    const parts = [0, 1, 2, 3].map((i) => whole.subarray(i * 5 * MiB, Math.min(size, (i + 1) * 5 * MiB)));
    assert.equal(done.ETag, multipartEtag(parts));
    const get = await f.s3.send(new GetObjectCommand({ Bucket: B, Key: 'lib/storage.bin' }));
    assert.equal(get.ContentType, 'application/x-big');
    assert.equal(sha256(Buffer.from(await get.Body!.transformToByteArray())), sha256(whole));
    assert.equal(sha256(await f.cluster.client.readFile('/mpu/lib/storage.bin')), sha256(whole));
  });

  it('completes by splicing: the parts are stored once, and Complete writes no byte', async () => {
    const parts = [patternSlice(31, 0, 2 * MiB), patternSlice(32, 0, 1 * MiB + 17), patternSlice(33, 0, 1000)];
    const total = parts.reduce((n, p) => n + p.length, 0);
    const before = bytesWritten(f);
    const { UploadId } = await f.s3.send(new CreateMultipartUploadCommand({ Bucket: B, Key: 'splice/x.bin', Metadata: { m: '1' } }));
    const etags: string[] = [];
    for (let i = 0; i < parts.length; i++) {
      const r = await f.s3.send(new UploadPartCommand({ Bucket: B, Key: 'splice/x.bin', UploadId, PartNumber: i + 1, Body: parts[i] }));
      assert.equal(r.ETag, `"${md5(parts[i]!)}"`);
      etags.push(r.ETag!);
    }
    const afterParts = bytesWritten(f);
    assert.equal(afterParts - before, total, 'each part is written to the chunkservers exactly once');
    const listed = await f.s3.send(new ListPartsCommand({ Bucket: B, Key: 'splice/x.bin', UploadId }));
    assert.deepEqual(listed.Parts?.map((p) => [p.PartNumber, p.Size, p.ETag]), parts.map((p, i) => [i + 1, p.length, etags[i]]));
    const done = await f.s3.send(
      new CompleteMultipartUploadCommand({ Bucket: B, Key: 'splice/x.bin', UploadId, MultipartUpload: { Parts: etags.map((ETag, i) => ({ ETag, PartNumber: i + 1 })) } }),
    );
    assert.equal(bytesWritten(f), afterParts, 'Complete is metadata only: no chunk byte written');
    assert.equal(done.ETag, multipartEtag(parts));
    const got = Buffer.from(await (await f.s3.send(new GetObjectCommand({ Bucket: B, Key: 'splice/x.bin' }))).Body!.transformToByteArray());
    assert.equal(sha256(got), sha256(Buffer.concat(parts)));
    const head = await f.s3.send(new HeadObjectCommand({ Bucket: B, Key: 'splice/x.bin' }));
    assert.deepEqual(head.Metadata, { m: '1' });
    // GET ?partNumber=N answers exactly part N, with the part count.
    const p2 = await f.s3.send(new GetObjectCommand({ Bucket: B, Key: 'splice/x.bin', PartNumber: 2 }));
    assert.equal(p2.PartsCount, 3);
    assert.equal(p2.ContentLength, parts[1]!.length);
    assert.ok(Buffer.from(await p2.Body!.transformToByteArray()).equals(parts[1]!));
    assert.deepEqual(await s3Failure(f.s3.send(new GetObjectCommand({ Bucket: B, Key: 'splice/x.bin', PartNumber: 4 }))), ['InvalidPartNumber', 416]);
  });

  it('refuses bad part lists: InvalidPart, InvalidPartOrder, EntityTooSmall, MalformedXML — and completes nothing', async () => {
    const key = 'bad/list.bin';
    const { UploadId } = await f.s3.send(new CreateMultipartUploadCommand({ Bucket: B, Key: key }));
    const small = await f.s3.send(new UploadPartCommand({ Bucket: B, Key: key, UploadId, PartNumber: 1, Body: Buffer.alloc(1000, 1) }));
    const big = await f.s3.send(new UploadPartCommand({ Bucket: B, Key: key, UploadId, PartNumber: 2, Body: Buffer.alloc(MiB, 2) }));
    const complete = (Parts: Array<{ ETag?: string; PartNumber?: number }>) => f.s3.send(new CompleteMultipartUploadCommand({ Bucket: B, Key: key, UploadId, MultipartUpload: { Parts } }));
    assert.deepEqual(await s3Failure(complete([{ ETag: '"0000"', PartNumber: 1 }])), ['InvalidPart', 400]);
    assert.deepEqual(await s3Failure(complete([{ ETag: big.ETag, PartNumber: 3 }])), ['InvalidPart', 400]);
    assert.deepEqual(await s3Failure(complete([{ ETag: big.ETag, PartNumber: 2 }, { ETag: small.ETag, PartNumber: 1 }])), ['InvalidPartOrder', 400]);
    assert.deepEqual(await s3Failure(complete([{ ETag: small.ETag, PartNumber: 1 }, { ETag: big.ETag, PartNumber: 2 }])), ['EntityTooSmall', 400]);
    for (const body of ['<CompleteMultipartUpload><Part>', '<CompleteMultipartUpload></CompleteMultipartUpload>', '<CompleteMultipartUpload><Part><PartNumber>x</PartNumber><ETag>"a"</ETag></Part></CompleteMultipartUpload>']) {
      const res = await signedRequest(f.base, { method: 'POST', path: `/${B}/${key}`, query: { uploadId: UploadId! }, body: Buffer.from(body) });
      assert.equal(res.status, 400, body);
      assert.equal(errorCode(res.body), 'MalformedXML', body);
    }
    await assert.rejects(f.cluster.client.stat(`/mpu/${key}`), { code: 'not_found' });
    // A single part may be as small as it likes (it is the last one).
    await complete([{ ETag: small.ETag, PartNumber: 1 }]);
    assert.equal((await f.cluster.client.stat(`/mpu/${key}`)).size, 1000);
  });

  it('lists uploads in progress, aborts them, and answers NoSuchUpload afterwards', async () => {
    const a = await f.s3.send(new CreateMultipartUploadCommand({ Bucket: B, Key: 'pending/a' }));
    const b = await f.s3.send(new CreateMultipartUploadCommand({ Bucket: B, Key: 'pending/dir/b' }));
    const all = await f.s3.send(new ListMultipartUploadsCommand({ Bucket: B, Prefix: 'pending/' }));
    assert.deepEqual(all.Uploads?.map((u) => [u.Key, u.UploadId]), [['pending/a', a.UploadId], ['pending/dir/b', b.UploadId]]);
    const grouped = await f.s3.send(new ListMultipartUploadsCommand({ Bucket: B, Prefix: 'pending/', Delimiter: '/' }));
    assert.deepEqual(grouped.Uploads?.map((u) => u.Key), ['pending/a']);
    assert.deepEqual(grouped.CommonPrefixes?.map((p) => p.Prefix), ['pending/dir/']);
    const paged = await f.s3.send(new ListMultipartUploadsCommand({ Bucket: B, Prefix: 'pending/', MaxUploads: 1 }));
    assert.equal(paged.IsTruncated, true);
    const rest = await f.s3.send(new ListMultipartUploadsCommand({ Bucket: B, Prefix: 'pending/', KeyMarker: paged.NextKeyMarker, UploadIdMarker: paged.NextUploadIdMarker }));
    assert.deepEqual(rest.Uploads?.map((u) => u.Key), ['pending/dir/b']);
    await f.s3.send(new AbortMultipartUploadCommand({ Bucket: B, Key: 'pending/a', UploadId: a.UploadId }));
    await f.s3.send(new AbortMultipartUploadCommand({ Bucket: B, Key: 'pending/dir/b', UploadId: b.UploadId }));
    assert.equal((await f.s3.send(new ListMultipartUploadsCommand({ Bucket: B, Prefix: 'pending/' }))).Uploads, undefined);
    assert.deepEqual(await s3Failure(f.s3.send(new ListPartsCommand({ Bucket: B, Key: 'pending/a', UploadId: a.UploadId }))), ['NoSuchUpload', 404]);
    assert.deepEqual(await s3Failure(f.s3.send(new UploadPartCommand({ Bucket: B, Key: 'pending/a', UploadId: a.UploadId, PartNumber: 1, Body: 'x' }))), ['NoSuchUpload', 404]);
    // An upload id used with another key is no upload of that key.
    const c = await f.s3.send(new CreateMultipartUploadCommand({ Bucket: B, Key: 'pending/c' }));
    assert.deepEqual(await s3Failure(f.s3.send(new UploadPartCommand({ Bucket: B, Key: 'pending/other', UploadId: c.UploadId, PartNumber: 1, Body: 'x' }))), ['NoSuchUpload', 404]);
  });

  it('copies parts from existing objects with UploadPartCopy and x-amz-copy-source-range', async () => {
    const src = patternSlice(41, 0, 3 * MiB);
    await f.s3.send(new PutObjectCommand({ Bucket: B, Key: 'copy/src.bin', Body: src }));
    const { UploadId } = await f.s3.send(new CreateMultipartUploadCommand({ Bucket: B, Key: 'copy/dst.bin' }));
    const p1 = await f.s3.send(new UploadPartCopyCommand({ Bucket: B, Key: 'copy/dst.bin', UploadId, PartNumber: 1, CopySource: `${B}/copy/src.bin`, CopySourceRange: `bytes=${MiB}-${3 * MiB - 1}` }));
    const p2 = await f.s3.send(new UploadPartCopyCommand({ Bucket: B, Key: 'copy/dst.bin', UploadId, PartNumber: 2, CopySource: `${B}/copy/src.bin`, CopySourceRange: 'bytes=0-99' }));
    assert.equal(p1.CopyPartResult?.ETag, `"${md5(src.subarray(MiB))}"`);
    assert.deepEqual(
      await s3Failure(f.s3.send(new UploadPartCopyCommand({ Bucket: B, Key: 'copy/dst.bin', UploadId, PartNumber: 3, CopySource: `${B}/copy/src.bin`, CopySourceRange: `bytes=0-${3 * MiB}` }))),
      ['InvalidArgument', 400],
    );
    await f.s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: B, Key: 'copy/dst.bin', UploadId,
        MultipartUpload: { Parts: [{ ETag: p1.CopyPartResult!.ETag, PartNumber: 1 }, { ETag: p2.CopyPartResult!.ETag, PartNumber: 2 }] },
      }),
    );
    assert.equal(sha256(await f.cluster.client.readFile('/mpu/copy/dst.bin')), sha256(Buffer.concat([src.subarray(MiB), src.subarray(0, 100)])));
  });
});
