// CopyObject and DeleteObjects end to end with the real @aws-sdk/client-s3.
import assert from 'node:assert/strict';
import { CopyObjectCommand, CreateBucketCommand, DeleteObjectsCommand, GetObjectCommand, HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { patternSlice } from '../../test/data.js';
import { bytesWritten, errorCode, md5, MiB, s3Failure, sha256, signedRequest, startS3Fixture, type S3Fixture } from '../../test/s3-gateway.js';
import { timePassed } from '../../test/eventually.js';

describe('S3 copy and batch delete (end to end)', function () {
  this.timeout(60_000);
  let f: S3Fixture;
  const read = async (bucket: string, key: string) => Buffer.from(await (await f.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }))).Body!.transformToByteArray());
  before(async () => {
    f = await startS3Fixture();
    await f.s3.send(new CreateBucketCommand({ Bucket: 'src' }));
    await f.s3.send(new CreateBucketCommand({ Bucket: 'dst' }));
  });
  after(async () => f?.close());

  it('copies within a bucket and across buckets, with the source metadata (COPY)', async () => {
    const data = patternSlice(3, 0, 5 * MiB + 1);
    await f.s3.send(new PutObjectCommand({ Bucket: 'src', Key: 'orig.bin', Body: data, ContentType: 'video/mp4', Metadata: { k: 'v' } }));
    const same = await f.s3.send(new CopyObjectCommand({ Bucket: 'src', Key: 'copies/one.bin', CopySource: 'src/orig.bin' }));
    assert.equal(same.CopyObjectResult?.ETag, `"${md5(data)}"`);
    const cross = await f.s3.send(new CopyObjectCommand({ Bucket: 'dst', Key: 'two.bin', CopySource: '/src/orig.bin' }));
    assert.ok(cross.CopyObjectResult?.LastModified instanceof Date);
    for (const [b, k] of [['src', 'copies/one.bin'], ['dst', 'two.bin']] as const) {
      assert.equal(sha256(await read(b, k)), sha256(data));
      const h = await f.s3.send(new HeadObjectCommand({ Bucket: b, Key: k }));
      assert.equal(h.ContentType, 'video/mp4');
      assert.deepEqual(h.Metadata, { k: 'v' });
    }
  });

  it('copies keys that need URL-encoding in x-amz-copy-source', async () => {
    await f.s3.send(new PutObjectCommand({ Bucket: 'src', Key: 'spaced out/ü+%.txt', Body: 'odd' }));
    await f.s3.send(new CopyObjectCommand({ Bucket: 'dst', Key: 'odd copy.txt', CopySource: `src/${encodeURIComponent('spaced out/ü+%.txt')}` }));
    assert.equal((await read('dst', 'odd copy.txt')).toString(), 'odd');
  });

  it('replaces metadata with REPLACE, and onto itself updates metadata only — no byte is written', async () => {
    const put = await f.s3.send(new PutObjectCommand({ Bucket: 'src', Key: 'self.txt', Body: 'same bytes', ContentType: 'text/plain', Metadata: { old: '1' } }));
    const before = await f.s3.send(new HeadObjectCommand({ Bucket: 'src', Key: 'self.txt' }));
    const written = bytesWritten(f);
    await timePassed(before.LastModified!.getTime(), 1100); // LastModified has whole seconds: the copy's is a later one
    const r = await f.s3.send(
      new CopyObjectCommand({ Bucket: 'src', Key: 'self.txt', CopySource: 'src/self.txt', MetadataDirective: 'REPLACE', ContentType: 'text/markdown', Metadata: { fresh: 'yes' } }),
    );
    assert.equal(bytesWritten(f), written, 'a metadata-only copy stores no chunk bytes');
    assert.equal(r.CopyObjectResult?.ETag, put.ETag);
    const h = await f.s3.send(new HeadObjectCommand({ Bucket: 'src', Key: 'self.txt' }));
    assert.equal(h.ContentType, 'text/markdown');
    assert.deepEqual(h.Metadata, { fresh: 'yes' });
    assert.ok(h.LastModified!.getTime() > before.LastModified!.getTime());
    assert.equal((await read('src', 'self.txt')).toString(), 'same bytes');
    // Onto itself without REPLACE changes nothing, which S3 calls an illegal copy.
    assert.deepEqual(await s3Failure(f.s3.send(new CopyObjectCommand({ Bucket: 'src', Key: 'self.txt', CopySource: 'src/self.txt' }))), ['InvalidRequest', 400]);
  });

  it('checks the x-amz-copy-source-if-* conditions (412) and reports a missing source', async () => {
    const put = await f.s3.send(new PutObjectCommand({ Bucket: 'src', Key: 'c.txt', Body: 'c' }));
    await f.s3.send(new CopyObjectCommand({ Bucket: 'dst', Key: 'c1.txt', CopySource: 'src/c.txt', CopySourceIfMatch: put.ETag }));
    assert.deepEqual(await s3Failure(f.s3.send(new CopyObjectCommand({ Bucket: 'dst', Key: 'c2.txt', CopySource: 'src/c.txt', CopySourceIfMatch: '"other"' }))), ['PreconditionFailed', 412]);
    assert.deepEqual(await s3Failure(f.s3.send(new CopyObjectCommand({ Bucket: 'dst', Key: 'c2.txt', CopySource: 'src/c.txt', CopySourceIfNoneMatch: put.ETag }))), ['PreconditionFailed', 412]);
    assert.deepEqual(
      await s3Failure(f.s3.send(new CopyObjectCommand({ Bucket: 'dst', Key: 'c2.txt', CopySource: 'src/c.txt', CopySourceIfModifiedSince: new Date(Date.now() + 3_600_000) }))),
      ['PreconditionFailed', 412],
    );
    await assert.rejects(f.cluster.client.stat('/dst/c2.txt'), { code: 'not_found' });
    assert.deepEqual(await s3Failure(f.s3.send(new CopyObjectCommand({ Bucket: 'dst', Key: 'c3.txt', CopySource: 'src/absent.txt' }))), ['NoSuchKey', 404]);
    assert.deepEqual(await s3Failure(f.s3.send(new CopyObjectCommand({ Bucket: 'dst', Key: 'c3.txt', CopySource: 'no-bucket/absent.txt' }))), ['NoSuchBucket', 404]);
  });

  it('deletes up to 1000 keys in one DeleteObjects, quietly or not, missing keys included', async () => {
    const keys = Array.from({ length: 30 }, (_, i) => `batch/${i % 3}/k${i}`);
    for (const key of keys) await f.s3.send(new PutObjectCommand({ Bucket: 'dst', Key: key, Body: key }));
    const loud = await f.s3.send(new DeleteObjectsCommand({ Bucket: 'dst', Delete: { Objects: [...keys.slice(0, 10), 'batch/none'].map((Key) => ({ Key })) } }));
    assert.deepEqual(loud.Deleted?.map((d) => d.Key).sort(), [...keys.slice(0, 10), 'batch/none'].sort());
    assert.equal(loud.Errors, undefined);
    const quiet = await f.s3.send(new DeleteObjectsCommand({ Bucket: 'dst', Delete: { Quiet: true, Objects: keys.slice(10).map((Key) => ({ Key })) } }));
    assert.equal(quiet.Deleted, undefined);
    assert.equal(quiet.Errors, undefined);
    await assert.rejects(f.cluster.client.stat('/dst/batch'), { code: 'not_found' });
  });

  it('reports per-key errors in DeleteObjects and refuses malformed or oversized requests', async () => {
    const r = await f.s3.send(new DeleteObjectsCommand({ Bucket: 'dst', Delete: { Objects: [{ Key: 'k'.repeat(1100) }, { Key: 'fine-missing' }] } }));
    assert.deepEqual(r.Errors?.map((e) => [e.Key?.length, e.Code]), [[1100, 'KeyTooLongError']]);
    assert.deepEqual(r.Deleted?.map((d) => d.Key), ['fine-missing']);
    const post = (body: string) => signedRequest(f.base, { method: 'POST', path: '/dst', query: { delete: '' }, body: Buffer.from(body), headers: { 'content-type': 'application/xml' } });
    for (const body of ['<Delete><Object><Key>a</Key></Object>', 'not xml at all', '<Other/>', '<Delete></Delete>', `<Delete>${'<Object><Key>x</Key></Object>'.repeat(1001)}</Delete>`]) {
      const res = await post(body);
      assert.equal(res.status, 400, body.slice(0, 40));
      assert.equal(errorCode(res.body), 'MalformedXML', body.slice(0, 40));
    }
    // Keys arrive exactly as written: entities decoded, surrounding spaces kept.
    await f.s3.send(new PutObjectCommand({ Bucket: 'dst', Key: ' a&b ', Body: 'x' }));
    const res = await post('<Delete><Quiet>true</Quiet><Object><Key> a&amp;b </Key></Object></Delete>');
    assert.equal(res.status, 200);
    await assert.rejects(f.cluster.client.stat('/dst/ a&b '), { code: 'not_found' });
  });
});
