// minio-js (the `minio` npm package) against a real `godfs up`: buckets, fPutObject/fGetObject and
// stream puts (multipart above its part size), partial reads, V2 listing with its paging query,
// copyObject, removeObjects (DeleteObjects), metadata, presigned GET/PUT with plain fetch, odd keys.
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import * as Minio from 'minio';
import { patternSlice, patternStream } from '../test/data.js';
import { bytesOf, MiB, sha256, sha256File, sha256Stream, SPECIAL_KEYS, useCluster, writePattern } from './harness.js';

async function minioFailure(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    return (err as { code?: string }).code ?? String(err);
  }
  throw new Error('the call succeeded but was expected to fail');
}

function collect<T>(stream: NodeJS.ReadableStream): Promise<T[]> {
  return new Promise((resolve, reject) => {
    const out: T[] = [];
    stream.on('data', (x: T) => out.push(x));
    stream.on('error', reject);
    stream.on('end', () => resolve(out));
  });
}

const byteOrder = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));

describe('conformance: minio-js', function () {
  this.timeout(180_000);
  const cluster = useCluster('minio-js');
  let mc: Minio.Client;
  let dir = '';
  const B = 'minio-main';

  before(async function () {
    const c = cluster();
    const u = new URL(c.endpoint);
    mc = new Minio.Client({ endPoint: u.hostname, port: Number(u.port), useSSL: false, accessKey: c.accessKey, secretKey: c.secretKey, region: c.region, pathStyle: true, partSize: 5 * MiB });
    dir = join(c.tmp, 'minio');
    await mkdir(dir, { recursive: true });
    await mc.makeBucket(B, c.region);
  });

  it('makeBucket, listBuckets, bucketExists, removeBucket; removing a non-empty bucket is BucketNotEmpty', async () => {
    await mc.makeBucket('minio-b1', 'us-east-1');
    await mc.makeBucket('minio-b2', 'us-east-1');
    const names = (await mc.listBuckets()).map((b) => b.name).filter((n) => n.startsWith('minio-'));
    assert.deepEqual(names, ['minio-b1', 'minio-b2', B].sort());
    assert.equal(await mc.bucketExists('minio-b1'), true);
    assert.equal(await minioFailure(mc.makeBucket('minio-b1', 'us-east-1')), 'BucketAlreadyOwnedByYou');
    await mc.putObject('minio-b2', 'x', Buffer.from('x'));
    assert.equal(await minioFailure(mc.removeBucket('minio-b2')), 'BucketNotEmpty');
    await mc.removeObject('minio-b2', 'x');
    await mc.removeBucket('minio-b1');
    await mc.removeBucket('minio-b2');
    assert.equal(await mc.bucketExists('minio-b1'), false);
  });

  for (const [label, size] of [
    ['0 B', 0],
    ['1 KiB', 1024],
    ['17 MiB', 17 * MiB],
  ] as const) {
    it(`fPutObject/fGetObject and getObject of a ${label} file byte-exact${size > 5 * MiB ? ' (multipart, 5 MiB parts)' : ''}`, async () => {
      const file = join(dir, `f-${size}`);
      const hex = await writePattern(file, size, 300 + (size % 7));
      const up = await mc.fPutObject(B, `sizes/${size}`, file, { 'Content-Type': 'application/x-test' });
      if (size > 5 * MiB) assert.match(up.etag, new RegExp(`^[0-9a-f]{32}-${Math.ceil(size / (5 * MiB))}$`));
      await mc.fGetObject(B, `sizes/${size}`, `${file}.back`);
      assert.equal(await sha256File(`${file}.back`), hex);
      assert.deepEqual(await sha256Stream(await mc.getObject(B, `sizes/${size}`)), { hex, size });
      const stat = await mc.statObject(B, `sizes/${size}`);
      assert.equal(stat.size, size);
      assert.equal(stat.metaData['content-type'], 'application/x-test');
    });
  }

  it('putObject of a stream of unknown length (buffered into multipart parts) reads back byte-exact', async () => {
    const size = 11 * MiB + 3;
    await mc.putObject(B, 'stream/unknown', patternStream(size, 310));
    assert.deepEqual(await sha256Stream(await mc.getObject(B, 'stream/unknown')), { hex: sha256(patternSlice(310, 0, size)), size });
  });

  it('getPartialObject reads ranges (from an offset, offset + length, across a part boundary)', async () => {
    const data = patternSlice(320, 0, 6 * MiB);
    await mc.putObject(B, 'range/obj', data, data.length);
    const part = async (offset: number, length?: number) => sha256(await bytesOf((await mc.getPartialObject(B, 'range/obj', offset, length)) as Readable));
    assert.equal(await part(100, 50), sha256(data.subarray(100, 150)));
    assert.equal(await part(6 * MiB - 10), sha256(data.subarray(6 * MiB - 10)));
    assert.equal(await part(5 * MiB - 3, 6), sha256(data.subarray(5 * MiB - 3, 5 * MiB + 3)));
  });

  it('lists with prefix and delimiter (listObjectsV2 stream) and pages by 2 (listObjectsV2Query)', async () => {
    const keys = ['list/a/1', 'list/a/2', 'list/b', 'list/c/d', 'list/e', 'list/é'];
    for (const k of keys) await mc.putObject(B, k, Buffer.from(k));
    const rec = await collect<{ name?: string }>(mc.listObjectsV2(B, 'list/', true));
    assert.deepEqual(rec.map((o) => o.name), [...keys].sort(byteOrder));
    const flat = await collect<{ name?: string; prefix?: string }>(mc.listObjectsV2(B, 'list/', false));
    assert.deepEqual(flat.map((o) => o.name ?? o.prefix ?? '').sort(byteOrder), ['list/a/', 'list/b', 'list/c/', 'list/e', 'list/é'].sort(byteOrder));
    const pages: string[][] = [];
    let token = '';
    do {
      const r = await mc.listObjectsV2Query(B, 'list/', token, '', 2, '');
      pages.push(r.objects.map((o) => o.name!));
      token = r.isTruncated ? r.nextContinuationToken : '';
    } while (token);
    assert.deepEqual(pages, [keys.slice(0, 2), keys.slice(2, 4), keys.slice(4, 6)]);
  });

  it('copyObject (same and other bucket) and removeObjects (DeleteObjects)', async () => {
    await mc.makeBucket('minio-copy', 'us-east-1');
    const data = patternSlice(330, 0, MiB + 9);
    await mc.putObject(B, 'copy/src', data, data.length, { 'x-amz-meta-origin': 'minio' });
    await mc.copyObject(new Minio.CopySourceOptions({ Bucket: B, Object: 'copy/src' }), new Minio.CopyDestinationOptions({ Bucket: B, Object: 'copy/same' }));
    await mc.copyObject('minio-copy', 'other', `/${B}/copy/src`, new Minio.CopyConditions());
    assert.equal(sha256(await bytesOf(await mc.getObject(B, 'copy/same'))), sha256(data));
    assert.equal(sha256(await bytesOf(await mc.getObject('minio-copy', 'other'))), sha256(data));
    assert.equal((await mc.statObject(B, 'copy/same')).metaData.origin, 'minio');
    await mc.removeObjects(B, ['copy/src', 'copy/same', 'copy/missing']);
    assert.deepEqual(await collect(mc.listObjectsV2(B, 'copy/', true)), []);
  });

  it('round-trips user metadata and Content-Type', async () => {
    await mc.putObject(B, 'meta/obj', Buffer.from('meta'), 4, { 'Content-Type': 'text/x-minio', 'X-Amz-Meta-Color': 'Blue', 'x-amz-meta-two-words': 'a b' });
    const st = await mc.statObject(B, 'meta/obj');
    assert.equal(st.metaData['content-type'], 'text/x-minio');
    assert.equal(st.metaData.color, 'Blue');
    assert.equal(st.metaData['two-words'], 'a b');
  });

  it('presignedPutObject and presignedGetObject work with plain fetch', async () => {
    const data = patternSlice(340, 0, 200_000);
    const key = 'presigned/a b+c%.bin';
    const put = await fetch(await mc.presignedPutObject(B, key, 300), { method: 'PUT', body: data });
    assert.equal(put.status, 200, await put.text());
    const get = await fetch(await mc.presignedGetObject(B, key, 300));
    assert.equal(get.status, 200);
    assert.equal(sha256(Buffer.from(await get.arrayBuffer())), sha256(data));
  });

  it('keys with spaces, unicode, + and % round-trip through put, get, list and remove', async () => {
    for (const [i, key] of SPECIAL_KEYS.entries()) {
      const data = patternSlice(350 + i, 0, 700 + i);
      await mc.putObject(B, `odd/${key}`, data, data.length);
      assert.equal(sha256(await bytesOf(await mc.getObject(B, `odd/${key}`))), sha256(data), key);
    }
    const listed = await collect<{ name?: string }>(mc.listObjectsV2(B, 'odd/', true));
    assert.deepEqual(listed.map((o) => o.name), SPECIAL_KEYS.map((k) => `odd/${k}`).sort(byteOrder));
    for (const key of SPECIAL_KEYS) await mc.removeObject(B, `odd/${key}`);
    assert.equal(await minioFailure(mc.statObject(B, `odd/${SPECIAL_KEYS[0]}`)), 'NotFound');
  });

  it('a missing key is NoSuchKey and a missing bucket NoSuchBucket', async () => {
    assert.equal(await minioFailure(mc.getObject(B, 'no/such/key')), 'NoSuchKey');
    assert.equal(await minioFailure(mc.getObject('minio-no-such-bucket', 'k')), 'NoSuchBucket');
  });
});
