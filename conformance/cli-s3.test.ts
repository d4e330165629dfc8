// The CLI's S3 side against a real `godfs up`: the root key pair `godfs up` generates once, keeps in
// credentials.json and prints with an aws-cli example; --s3-region/--s3-domain passed to the gateway;
// `godfs presign`; `godfs admin keys create|list|revoke` with bucket-limited and read-only keys.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, GetBucketLocationCommand, GetObjectCommand, ListBucketsCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { Credentials } from '../cli/credentials.js';
import { CLI_PATH, startUp, type UpProcess } from '../cli/up-process.js';
import { patternSlice } from '../test/data.js';
import { bytesOf, run, runOk, sha256, type Cluster } from './harness.js';
import { s3 } from './raw-s3.js';
import { eventually, timePassed } from '../test/eventually.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

async function sdkError(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    return `${(err as { name?: string }).name} ${(err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode}`;
  }
  return 'no error';
}

describe('conformance: godfs CLI (up S3 keys, presign, admin keys)', function () {
  this.timeout(180_000);
  let tmp = '';
  let up: UpProcess | undefined;
  let creds: Credentials;
  const dataDir = () => join(tmp, 'data');
  const credsFile = () => join(dataDir(), 'credentials.json');
  const godfs = (...args: string[]) => runOk(process.execPath, [CLI_PATH, ...args, '--credentials', credsFile()]);
  const client = (accessKeyId: string, secretAccessKey: string) => new S3Client({ endpoint: up!.endpoint, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId, secretAccessKey }, maxAttempts: 1 });
  const readCreds = async () => JSON.parse(await readFile(credsFile(), 'utf8')) as Credentials;

  before(async function () {
    tmp = await mkdtemp(join(tmpdir(), 'godfs-conformance-cli-'));
    up = await startUp({ dataDir: dataDir(), chunkservers: 1 });
    creds = await readCreds();
  });
  afterEach(function () {
    if (this.currentTest?.state === 'failed' && up) process.stderr.write(`\n--- godfs up output ---\n${up.output().slice(-3000)}\n`);
  });
  after(async function () {
    await up?.stop().catch(() => up?.kill());
    await rm(tmp, { recursive: true, force: true });
  });

  it('godfs up generates an S3 root pair, keeps it in credentials.json (0600) and prints it with an aws-cli example', async () => {
    assert.match(creds.s3?.accessKeyId ?? '', /^[A-Z0-9]{20}$/);
    assert.ok((creds.s3?.secretKey ?? '').length >= 40);
    assert.equal(creds.s3?.region, 'us-east-1');
    assert.equal((await stat(credsFile())).mode & 0o777, 0o600);
    const out = up!.output();
    assert.ok(out.includes(creds.s3!.accessKeyId) && out.includes(creds.s3!.secretKey), 'the banner shows the pair');
    assert.ok(out.includes(`aws --endpoint-url ${up!.endpoint} s3`), 'the banner shows an aws-cli example');
    const c = client(creds.s3!.accessKeyId, creds.s3!.secretKey);
    await c.send(new CreateBucketCommand({ Bucket: 'cli-root' }));
    assert.ok((await c.send(new ListBucketsCommand({}))).Buckets?.some((b) => b.Name === 'cli-root'));
  });

  it('a restart keeps the pair; --s3-region and --s3-domain reach the gateway (location, virtual-hosted requests)', async () => {
    await up!.stop();
    up = await startUp({ dataDir: dataDir(), chunkservers: 1, extraArgs: ['--s3-region', 'eu-west-3', '--s3-domain', 's3.godfs.test'] });
    const again = await readCreds();
    assert.deepEqual([again.s3?.accessKeyId, again.s3?.secretKey], [creds.s3?.accessKeyId, creds.s3?.secretKey]);
    assert.equal(again.s3?.region, 'eu-west-3');
    const c = client(creds.s3!.accessKeyId, creds.s3!.secretKey);
    assert.equal((await c.send(new GetBucketLocationCommand({ Bucket: 'cli-root' }))).LocationConstraint, 'eu-west-3');
    const cluster = { endpoint: up!.endpoint, accessKey: creds.s3!.accessKeyId, secretKey: creds.s3!.secretKey, region: 'eu-west-3' } as Cluster;
    const put = await s3(cluster, { method: 'PUT', bucket: 'cli-root', key: 'vhost/obj', body: Buffer.from('virtual'), domain: 's3.godfs.test' });
    assert.equal(put.status, 200, put.body.toString());
    const got = await c.send(new GetObjectCommand({ Bucket: 'cli-root', Key: 'vhost/obj' }));
    assert.equal((await bytesOf(got.Body as AsyncIterable<Uint8Array>)).toString(), 'virtual');
  });

  it('half a root pair is a usage error (exit 2)', async () => {
    const r = await run(process.execPath, [CLI_PATH, 'up', '--data', join(tmp, 'half'), '--s3-access-key', 'ONLYTHEID']);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /--s3-access-key and --s3-secret-key/);
  });

  it('godfs presign mints GET, PUT and HEAD URLs that plain fetch can use; --expires-in is honoured and checked', async () => {
    const data = patternSlice(800, 0, 123_456);
    const putUrl = (await godfs('presign', '--method', 'PUT', 'cli-root/presigned/a b+c%.bin')).stdout.trim();
    assert.equal((await fetch(putUrl, { method: 'PUT', body: data })).status, 200);
    const getUrl = (await godfs('presign', 's3://cli-root/presigned/a b+c%.bin', '--expires-in', '15m')).stdout.trim();
    assert.match(getUrl, /X-Amz-Expires=900/);
    const got = await fetch(getUrl);
    assert.equal(got.status, 200);
    assert.equal(sha256(Buffer.from(await got.arrayBuffer())), sha256(data));
    const head = await fetch((await godfs('presign', '--method', 'HEAD', '/cli-root/presigned/a b+c%.bin')).stdout.trim(), { method: 'HEAD' });
    assert.equal(head.headers.get('content-length'), String(data.length));
    const short = (await godfs('presign', '--expires-in', '1', 'cli-root/presigned/a b+c%.bin')).stdout.trim();
    assert.match(short, /X-Amz-Expires=1(&|$)/);
    // The URL's one second, counted from the X-Amz-Date it was signed at, is over.
    const signedAt = Date.parse(new URL(short).searchParams.get('X-Amz-Date')!.replace(/^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z$/, '$1-$2-$3T$4:$5:$6Z'));
    assert.ok(Number.isFinite(signedAt), `X-Amz-Date in ${short}`);
    await timePassed(signedAt, 1001);
    const expired = await fetch(short);
    assert.equal(expired.status, 403);
    assert.match(await expired.text(), /Request has expired/);
    const tooLong = await run(process.execPath, [CLI_PATH, 'presign', '--expires-in', '8d', 'cli-root/x', '--credentials', credsFile()]);
    assert.equal(tooLong.code, 2, tooLong.stderr);
  });

  it('admin keys create (bucket-limited, read-only), list, presign with its id, revoke', async () => {
    const root = client(creds.s3!.accessKeyId, creds.s3!.secretKey);
    await root.send(new CreateBucketCommand({ Bucket: 'cli-other' }));
    await root.send(new PutObjectCommand({ Bucket: 'cli-root', Key: 'shared/readme', Body: 'readable' }));
    const made = JSON.parse((await godfs('admin', 'keys', 'create', '--bucket', 'cli-root', '--read-only', '--description', 'conformance', '--json')).stdout) as { accessKeyId: string; secretKey: string; buckets: string[]; readOnly: boolean };
    assert.deepEqual([made.buckets, made.readOnly], [['cli-root'], true]);
    const limited = client(made.accessKeyId, made.secretKey);
    const got = await limited.send(new GetObjectCommand({ Bucket: 'cli-root', Key: 'shared/readme' }));
    assert.equal((await bytesOf(got.Body as AsyncIterable<Uint8Array>)).toString(), 'readable');
    assert.equal(await sdkError(limited.send(new PutObjectCommand({ Bucket: 'cli-root', Key: 'shared/new', Body: 'x' }))), 'AccessDenied 403');
    assert.equal(await sdkError(limited.send(new GetObjectCommand({ Bucket: 'cli-other', Key: 'x' }))), 'AccessDenied 403');
    assert.deepEqual((await limited.send(new ListBucketsCommand({}))).Buckets?.map((b) => b.Name), ['cli-root']);

    const table = (await godfs('admin', 'keys', 'list')).stdout;
    assert.match(table, new RegExp(`^${made.accessKeyId}\\s+cli-root\\s+read-only\\s+\\S+\\s+conformance$`, 'm'));
    assert.ok(!table.includes(made.secretKey), 'secrets hidden by default');
    const listed = JSON.parse((await godfs('admin', 'keys', 'list', '--json', '--show-secrets')).stdout) as Array<{ accessKeyId: string; secretKey: string }>;
    assert.equal(listed.find((k) => k.accessKeyId === made.accessKeyId)?.secretKey, made.secretKey);

    const url = (await godfs('presign', '--access-key', made.accessKeyId, 'cli-root/shared/readme')).stdout.trim();
    assert.equal(await (await fetch(url)).text(), 'readable');

    assert.match((await godfs('admin', 'keys', 'revoke', made.accessKeyId)).stdout, new RegExp(`revoked ${made.accessKeyId}`));
    const after = await eventually(async () => {
      const e = await sdkError(limited.send(new GetObjectCommand({ Bucket: 'cli-root', Key: 'shared/readme' })));
      return e === 'no error' ? undefined : e;
    }, 20_000, 'the revoked key refused', 100);
    assert.equal(after, 'InvalidAccessKeyId 403');
    const unknown = await run(process.execPath, [CLI_PATH, 'admin', 'keys', 'revoke', 'GKNOSUCHKEY000000000', '--credentials', credsFile()]);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /\(not_found\)/);
  });
});
