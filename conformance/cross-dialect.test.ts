// One object, one file: what S3 writes, /v1 and `godfs get` read byte for byte, and what /v1 and
// `godfs put` write, S3 reads (with an MD5 ETag) — bucket = top-level directory, key = path below it.
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { CreateBucketCommand, DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, ListBucketsCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { CLI_PATH } from '../cli/up-process.js';
import { patternSlice, patternStream } from '../test/data.js';
import { md5Hex, MiB, runOk, sha256, sha256File, sha256Stream, SPECIAL_KEYS, useCluster, writePattern } from './harness.js';
import { v1Get, v1Put } from './raw-s3.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

describe('conformance: cross-dialect (S3 ⇄ /v1 ⇄ godfs CLI)', function () {
  this.timeout(180_000);
  const cluster = useCluster('cross');
  let s3: S3Client;
  let dir = '';
  const B = 'cross';
  const godfs = (...args: string[]) => runOk(process.execPath, [CLI_PATH, ...args, '--master', cluster().master, '--api-key', cluster().apiKey, ...(args[0] === 'put' || args[0] === 'get' ? ['--no-progress'] : [])]);
  const s3Get = async (key: string) => {
    const r = await s3.send(new GetObjectCommand({ Bucket: B, Key: key }));
    return { r, sum: await sha256Stream(r.Body as Readable) };
  };

  before(async function () {
    const c = cluster();
    s3 = new S3Client({ endpoint: c.endpoint, region: c.region, forcePathStyle: true, credentials: { accessKeyId: c.accessKey, secretAccessKey: c.secretKey }, maxAttempts: 1 });
    dir = join(c.tmp, 'cross');
    await mkdir(dir, { recursive: true });
    await s3.send(new CreateBucketCommand({ Bucket: B }));
  });
  after(() => s3?.destroy());

  it('a single PUT over S3 is the file /bucket/key for /v1 and `godfs get`', async () => {
    const data = patternSlice(700, 0, 5 * MiB + 11);
    await s3.send(new PutObjectCommand({ Bucket: B, Key: 'from-s3/single.bin', Body: data }));
    const v1 = await v1Get(cluster(), `/${B}/from-s3/single.bin`);
    assert.equal(v1.status, 200);
    assert.equal(sha256(v1.body), sha256(data));
    await godfs('get', `/${B}/from-s3/single.bin`, join(dir, 'single.got'));
    assert.equal(await sha256File(join(dir, 'single.got')), sha256(data));
  });

  it('a multipart upload over S3 (Upload, 5 MiB parts) reads back over /v1 and `godfs get`', async () => {
    const size = 17 * MiB + 3;
    await new Upload({ client: s3, params: { Bucket: B, Key: 'from-s3/multi.bin', Body: patternStream(size, 701) }, partSize: 5 * MiB }).done();
    const want = sha256(patternSlice(701, 0, size));
    assert.equal(sha256((await v1Get(cluster(), `/${B}/from-s3/multi.bin`)).body), want);
    await godfs('get', `/${B}/from-s3/multi.bin`, join(dir, 'multi.got'));
    assert.equal(await sha256File(join(dir, 'multi.got')), want);
  });

  it('keys with spaces, unicode, + and % are the same paths for /v1 and `godfs get`', async () => {
    for (const [i, key] of SPECIAL_KEYS.entries()) {
      const data = patternSlice(710 + i, 0, 3000 + i);
      await s3.send(new PutObjectCommand({ Bucket: B, Key: `odd/${key}`, Body: data }));
      const v1 = await v1Get(cluster(), `/${B}/odd/${key}`);
      assert.equal(v1.status, 200, key);
      assert.equal(sha256(v1.body), sha256(data), key);
      await godfs('get', `/${B}/odd/${key}`, join(dir, `odd-${i}`));
      assert.equal(await sha256File(join(dir, `odd-${i}`)), sha256(data), key);
    }
  });

  it('a file PUT over /v1 is an object for S3: GET byte-exact, MD5 ETag, listed', async () => {
    const data = patternSlice(720, 0, 3 * MiB + 1);
    assert.ok([200, 201, 204].includes(await v1Put(cluster(), `/${B}/from-v1/dir/file.bin`, data)));
    const { r, sum } = await s3Get('from-v1/dir/file.bin');
    assert.deepEqual(sum, { hex: sha256(data), size: data.length });
    assert.equal(r.ETag, `"${md5Hex(data)}"`);
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: B, Prefix: 'from-v1/' }));
    assert.deepEqual(listed.Contents?.map((o) => [o.Key, o.Size]), [['from-v1/dir/file.bin', data.length]]);
  });

  it('`godfs put` writes what S3 reads; `godfs mkdir /name` is a bucket; `godfs rm` is an S3 delete', async () => {
    const file = join(dir, 'cli-put.bin');
    const hex = await writePattern(file, 9 * MiB + 7, 730);
    await godfs('put', '-p', file, `/${B}/from-cli/big.bin`);
    assert.deepEqual((await s3Get('from-cli/big.bin')).sum, { hex, size: 9 * MiB + 7 });
    await godfs('mkdir', '/cli-bucket');
    const buckets = (await s3.send(new ListBucketsCommand({}))).Buckets?.map((b) => b.Name);
    assert.ok(buckets?.includes('cli-bucket'), String(buckets));
    await godfs('rm', `/${B}/from-cli/big.bin`);
    await assert.rejects(s3.send(new HeadObjectCommand({ Bucket: B, Key: 'from-cli/big.bin' })), (e: { name?: string }) => e.name === 'NotFound');
  });

  it('an S3 delete is gone for /v1 too', async () => {
    await s3.send(new PutObjectCommand({ Bucket: B, Key: 'gone/x', Body: 'x' }));
    assert.equal((await v1Get(cluster(), `/${B}/gone/x`)).status, 200);
    await s3.send(new DeleteObjectCommand({ Bucket: B, Key: 'gone/x' }));
    assert.equal((await v1Get(cluster(), `/${B}/gone/x`)).status, 404);
  });
});
