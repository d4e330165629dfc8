// S3 object operations end to end with the real @aws-sdk/client-s3 (default checksum settings):
// PUT/GET/HEAD/DELETE, metadata, ranges, conditions, checksums, odd keys, folder markers, the
// file/directory rule, and the same bytes seen through the sdk.
import assert from 'node:assert/strict';
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectAclCommand,
  GetObjectCommand,
  GetObjectTaggingCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectAclCommand,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { patternSlice, patternStream } from '../../test/data.js';
import { errorCode, md5, MiB, s3Failure, sha256, signedRequest, startS3Fixture, type S3Fixture } from '../../test/s3-gateway.js';

describe('S3 objects (end to end)', function () {
  this.timeout(60_000);
  let f: S3Fixture;
  const B = 'objects';
  const get = async (key: string, extra: Record<string, unknown> = {}) => {
    const r = await f.s3.send(new GetObjectCommand({ Bucket: B, Key: key, ...extra }));
    return { r, body: Buffer.from(await r.Body!.transformToByteArray()) };
  };
  before(async () => {
    f = await startS3Fixture();
    await f.s3.send(new CreateBucketCommand({ Bucket: B }));
  });
  after(async () => f?.close());

  for (const [label, size] of [
    ['0 B', 0],
    ['1 KiB', 1024],
    ['17 MiB', 17 * MiB],
  ] as const) {
    it(`puts, gets, heads and deletes a ${label} object with an MD5 ETag`, async () => {
      const data = patternSlice(size + 1, 0, size);
      const key = `sizes/${size}.bin`;
      const put = await f.s3.send(new PutObjectCommand({ Bucket: B, Key: key, Body: data }));
      assert.equal(put.ETag, `"${md5(data)}"`);
      const { r, body } = await get(key);
      assert.equal(r.ContentLength, size);
      assert.equal(r.ETag, `"${md5(data)}"`);
      assert.equal(sha256(body), sha256(data));
      const head = await f.s3.send(new HeadObjectCommand({ Bucket: B, Key: key }));
      assert.equal(head.ContentLength, size);
      await f.s3.send(new DeleteObjectCommand({ Bucket: B, Key: key }));
      assert.deepEqual(await s3Failure(f.s3.send(new HeadObjectCommand({ Bucket: B, Key: key }))), ['NotFound', 404]);
    });
  }

  it('streams a Readable body (aws-chunked with a CRC32 trailer) and stores its checksum', async () => {
    const size = 3 * MiB + 7;
    const put = await f.s3.send(new PutObjectCommand({ Bucket: B, Key: 'stream.bin', Body: patternStream(size, 4), ContentLength: size }));
    assert.equal(put.ETag, `"${md5(patternSlice(4, 0, size))}"`);
    assert.ok(put.ChecksumCRC32);
    const { r, body } = await get('stream.bin', { ChecksumMode: 'ENABLED' });
    assert.equal(r.ChecksumCRC32, put.ChecksumCRC32);
    assert.equal(sha256(body), sha256(patternSlice(4, 0, size)));
  });

  it('round-trips metadata: content headers, lower-cased x-amz-meta-*, whole-second LastModified', async () => {
    const expires = new Date('2030-01-02T03:04:05Z');
    await f.s3.send(
      new PutObjectCommand({
        Bucket: B, Key: 'meta.txt', Body: 'hello', ContentType: 'text/plain; charset=utf-8', CacheControl: 'max-age=60', ContentDisposition: 'attachment; filename="m.txt"',
        ContentEncoding: 'identity', ContentLanguage: 'fr', Expires: expires, Metadata: { Color: 'Blue', 'Two-Words': 'a b' },
      }),
    );
    const h = await f.s3.send(new HeadObjectCommand({ Bucket: B, Key: 'meta.txt' }));
    assert.equal(h.ContentType, 'text/plain; charset=utf-8');
    assert.equal(h.CacheControl, 'max-age=60');
    assert.equal(h.ContentDisposition, 'attachment; filename="m.txt"');
    assert.equal(h.ContentEncoding, 'identity');
    assert.equal(h.ContentLanguage, 'fr');
    assert.equal(h.Expires?.getTime(), expires.getTime());
    assert.deepEqual(h.Metadata, { color: 'Blue', 'two-words': 'a b' });
    assert.equal(h.LastModified!.getTime() % 1000, 0);
    const listed = await f.s3.send(new ListObjectsV2Command({ Bucket: B, Prefix: 'meta.txt' }));
    assert.equal(listed.Contents?.[0]?.LastModified?.getTime(), h.LastModified!.getTime());
    // The metadata lives in the file's xattrs, under the header names.
    const info = await f.cluster.client.stat('/objects/meta.txt');
    assert.equal(info.xattrs['x-amz-meta-color']?.toString(), 'Blue');
    assert.equal(info.xattrs['content-type']?.toString(), 'text/plain; charset=utf-8');
  });

  it('serves ranges (incl. suffix and open-ended) as 206, 416 past the end, never with a whole-object checksum', async () => {
    const data = patternSlice(7, 0, 100_000);
    await f.s3.send(new PutObjectCommand({ Bucket: B, Key: 'ranged.bin', Body: data }));
    for (const [range, from, to] of [
      ['bytes=0-9', 0, 10],
      ['bytes=99990-', 99_990, 100_000],
      ['bytes=-5', 99_995, 100_000],
      ['bytes=50000-50000', 50_000, 50_001],
      ['bytes=99000-200000', 99_000, 100_000],
    ] as const) {
      const { r, body } = await get('ranged.bin', { Range: range, ChecksumMode: 'ENABLED' });
      assert.equal(r.$metadata.httpStatusCode, 206, range);
      assert.equal(r.ContentRange, `bytes ${from}-${to - 1}/100000`, range);
      assert.equal(r.ChecksumCRC32, undefined, range);
      assert.ok(body.equals(data.subarray(from, to)), range);
    }
    assert.deepEqual(await s3Failure(get('ranged.bin', { Range: 'bytes=100000-' })), ['InvalidRange', 416]);
    // S3 serves one range; several (or a malformed header) get the whole object, as AWS does.
    const multi = await get('ranged.bin', { Range: 'bytes=0-1,5-6' });
    assert.equal(multi.r.$metadata.httpStatusCode, 200);
    assert.equal(multi.body.length, 100_000);
  });

  it('evaluates If-Match, If-None-Match, If-Modified-Since, If-Unmodified-Since (304/412)', async () => {
    const put = await f.s3.send(new PutObjectCommand({ Bucket: B, Key: 'cond.txt', Body: 'v1' }));
    const h = await f.s3.send(new HeadObjectCommand({ Bucket: B, Key: 'cond.txt' }));
    const past = new Date(h.LastModified!.getTime() - 3_600_000);
    const future = new Date(h.LastModified!.getTime() + 3_600_000);
    assert.equal((await get('cond.txt', { IfMatch: put.ETag })).body.toString(), 'v1');
    assert.deepEqual(await s3Failure(get('cond.txt', { IfMatch: '"nope"' })), ['PreconditionFailed', 412]);
    // The SDK has no modelled name for a 304: its status is what matters.
    assert.equal((await s3Failure(get('cond.txt', { IfNoneMatch: put.ETag })))[1], 304);
    assert.equal((await s3Failure(get('cond.txt', { IfModifiedSince: future })))[1], 304);
    assert.equal((await get('cond.txt', { IfModifiedSince: past })).body.toString(), 'v1');
    assert.deepEqual(await s3Failure(get('cond.txt', { IfUnmodifiedSince: past })), ['PreconditionFailed', 412]);
    // HEAD errors carry no body, so only the status reaches the client.
    assert.equal((await s3Failure(f.s3.send(new HeadObjectCommand({ Bucket: B, Key: 'cond.txt', IfMatch: '"nope"' }))))[1], 412);
  });

  it('honours If-None-Match: * and If-Match on PutObject', async () => {
    const first = await f.s3.send(new PutObjectCommand({ Bucket: B, Key: 'once.txt', Body: 'one', IfNoneMatch: '*' }));
    assert.deepEqual(await s3Failure(f.s3.send(new PutObjectCommand({ Bucket: B, Key: 'once.txt', Body: 'two', IfNoneMatch: '*' }))), ['PreconditionFailed', 412]);
    assert.deepEqual(await s3Failure(f.s3.send(new PutObjectCommand({ Bucket: B, Key: 'once.txt', Body: 'two', IfMatch: '"nope"' }))), ['PreconditionFailed', 412]);
    await f.s3.send(new PutObjectCommand({ Bucket: B, Key: 'once.txt', Body: 'three', IfMatch: first.ETag }));
    assert.equal((await get('once.txt')).body.toString(), 'three');
  });

  it('applies response-* overrides and answers partNumber=1 of a single-part object whole', async () => {
    await f.s3.send(new PutObjectCommand({ Bucket: B, Key: 'over.txt', Body: 'abc', ContentType: 'text/plain' }));
    const { r } = await get('over.txt', { ResponseContentType: 'application/x-test', ResponseContentDisposition: 'inline', ResponseCacheControl: 'no-cache' });
    assert.equal(r.ContentType, 'application/x-test');
    assert.equal(r.ContentDisposition, 'inline');
    assert.equal(r.CacheControl, 'no-cache');
    assert.equal((await get('over.txt', { PartNumber: 1 })).body.toString(), 'abc');
    assert.deepEqual(await s3Failure(get('over.txt', { PartNumber: 2 })), ['InvalidPartNumber', 416]);
  });

  it('stores keys with spaces, unicode, +, %, & and friends verbatim, as the same file the sdk sees', async () => {
    const keys = ['with space.txt', 'ünïcødé/日本語 ✓.txt', 'a+b=c.txt', '100%/x.txt', 'amp&semi;?.txt', "quote'\"<tag>.txt", 'emoji 😀/~tilde*'];
    for (const key of keys) {
      await f.s3.send(new PutObjectCommand({ Bucket: B, Key: `odd/${key}`, Body: key }));
      assert.equal((await f.cluster.client.readFile(`/objects/odd/${key}`)).toString(), key, key);
      assert.equal((await get(`odd/${key}`)).body.toString(), key, key);
    }
    const listed = await f.s3.send(new ListObjectsV2Command({ Bucket: B, Prefix: 'odd/' }));
    assert.deepEqual(listed.Contents?.map((c) => c.Key).sort(), keys.map((k) => `odd/${k}`).sort());
  });

  it('reads what the sdk wrote and the other way round, byte for byte', async () => {
    const data = patternSlice(11, 0, 2 * MiB + 3);
    await f.cluster.client.write('/objects/from-sdk/file.bin', data, { parents: true });
    assert.equal(sha256((await get('from-sdk/file.bin')).body), sha256(data));
    await f.s3.send(new PutObjectCommand({ Bucket: B, Key: 'from-s3/file.bin', Body: data }));
    assert.equal(sha256(await f.cluster.client.readFile('/objects/from-s3/file.bin')), sha256(data));
  });

  it('answers NoSuchKey (404) for a missing key, a directory, or a path through a file; deleting one is a 204', async () => {
    await f.s3.send(new PutObjectCommand({ Bucket: B, Key: 'dir/file', Body: 'x' }));
    for (const key of ['missing', 'dir', 'dir/file/below', 'a//b']) {
      assert.deepEqual(await s3Failure(get(key)), ['NoSuchKey', 404], key);
    }
    const res = await signedRequest(f.base, { method: 'GET', path: '/objects/missing' });
    assert.equal(res.status, 404);
    assert.equal(errorCode(res.body), 'NoSuchKey');
    assert.match(res.body.toString(), /<Message>[^<]+<\/Message><Resource>\/objects\/missing<\/Resource><RequestId>[^<]+<\/RequestId>/);
    const del = await f.s3.send(new DeleteObjectCommand({ Bucket: B, Key: 'missing' }));
    assert.equal(del.$metadata.httpStatusCode, 204);
    assert.deepEqual(await s3Failure(f.s3.send(new GetObjectCommand({ Bucket: 'no-such-bucket', Key: 'k' }))), ['NoSuchBucket', 404]);
  });

  it('refuses a key that would make a file and a directory share a name, and keys the namespace cannot hold', async () => {
    await f.s3.send(new PutObjectCommand({ Bucket: B, Key: 'clash/leaf', Body: 'x' }));
    assert.deepEqual(await s3Failure(f.s3.send(new PutObjectCommand({ Bucket: B, Key: 'clash', Body: 'y' }))), ['XGodfsObjectExistsAsDirectory', 409]);
    assert.deepEqual(await s3Failure(f.s3.send(new PutObjectCommand({ Bucket: B, Key: 'clash/leaf/under', Body: 'y' }))), ['XGodfsParentIsObject', 409]);
    assert.deepEqual(await s3Failure(f.s3.send(new PutObjectCommand({ Bucket: B, Key: 'bad//key', Body: 'y' }))), ['XGodfsInvalidObjectName', 400]);
    assert.deepEqual(await s3Failure(f.s3.send(new PutObjectCommand({ Bucket: B, Key: 'k'.repeat(1025), Body: 'y' }))), ['KeyTooLongError', 400]);
    assert.equal((await f.cluster.client.readFile('/objects/clash/leaf')).toString(), 'x');
  });

  it('keeps folder markers ("dir/") as marked directories that list, read and delete as empty keys', async () => {
    await f.s3.send(new PutObjectCommand({ Bucket: B, Key: 'folder/', Body: Buffer.alloc(0) }));
    assert.equal((await f.cluster.client.stat('/objects/folder')).isDir, true);
    const { r, body } = await get('folder/');
    assert.equal(body.length, 0);
    assert.equal(r.ETag, '"d41d8cd98f00b204e9800998ecf8427e"');
    await f.s3.send(new PutObjectCommand({ Bucket: B, Key: 'folder/inside.txt', Body: 'in' }));
    const listed = await f.s3.send(new ListObjectsV2Command({ Bucket: B, Prefix: 'folder/' }));
    assert.deepEqual(listed.Contents?.map((c) => [c.Key, c.Size]), [['folder/', 0], ['folder/inside.txt', 2]]);
    // An implicit directory (made by a nested key) is not a key of its own.
    assert.deepEqual(await s3Failure(get('dir/')), ['NoSuchKey', 404]);
    await f.s3.send(new DeleteObjectCommand({ Bucket: B, Key: 'folder/inside.txt' }));
    assert.equal((await f.cluster.client.stat('/objects/folder')).isDir, true, 'a marked folder outlives its last key');
    await f.s3.send(new DeleteObjectCommand({ Bucket: B, Key: 'folder/' }));
    await assert.rejects(f.cluster.client.stat('/objects/folder'), { code: 'not_found' });
    assert.deepEqual(await s3Failure(f.s3.send(new PutObjectCommand({ Bucket: B, Key: 'full/', Body: 'data' }))), ['InvalidRequest', 400]);
  });

  it('removes directories left empty by a delete, up to the bucket', async () => {
    await f.s3.send(new PutObjectCommand({ Bucket: B, Key: 'deep/er/est/leaf', Body: 'x' }));
    await f.s3.send(new PutObjectCommand({ Bucket: B, Key: 'deep/sibling', Body: 'x' }));
    await f.s3.send(new DeleteObjectCommand({ Bucket: B, Key: 'deep/er/est/leaf' }));
    await assert.rejects(f.cluster.client.stat('/objects/deep/er'), { code: 'not_found' });
    assert.equal((await f.cluster.client.stat('/objects/deep')).isDir, true);
    await f.s3.send(new DeleteObjectCommand({ Bucket: B, Key: 'deep/sibling' }));
    await assert.rejects(f.cluster.client.stat('/objects/deep'), { code: 'not_found' });
    assert.equal((await f.cluster.client.stat('/objects')).isDir, true);
  });

  it('answers object ACLs (owner FULL_CONTROL), accepts the canned "private", and has an empty tag set', async () => {
    await f.s3.send(new PutObjectCommand({ Bucket: B, Key: 'acl.txt', Body: 'x', ACL: 'private' }));
    const acl = await f.s3.send(new GetObjectAclCommand({ Bucket: B, Key: 'acl.txt' }));
    assert.equal(acl.Grants?.[0]?.Permission, 'FULL_CONTROL');
    assert.equal(acl.Grants?.[0]?.Grantee?.ID, acl.Owner?.ID);
    await f.s3.send(new PutObjectAclCommand({ Bucket: B, Key: 'acl.txt', ACL: 'private' }));
    assert.deepEqual(await s3Failure(f.s3.send(new PutObjectAclCommand({ Bucket: B, Key: 'acl.txt', ACL: 'public-read' }))), ['NotImplemented', 501]);
    assert.deepEqual(await s3Failure(f.s3.send(new GetObjectAclCommand({ Bucket: B, Key: 'no-acl.txt' }))), ['NoSuchKey', 404]);
    assert.deepEqual((await f.s3.send(new GetObjectTaggingCommand({ Bucket: B, Key: 'acl.txt' }))).TagSet, []);
  });
});
