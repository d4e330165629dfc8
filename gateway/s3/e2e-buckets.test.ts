// S3 bucket operations end to end: the real @aws-sdk/client-s3 against the gateway on a live cluster.
import assert from 'node:assert/strict';
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  GetBucketAclCommand,
  GetBucketLocationCommand,
  GetBucketVersioningCommand,
  HeadBucketCommand,
  ListBucketsCommand,
  PutBucketAclCommand,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { presignUrl } from './auth/index.js';
import { errorCode, rawRequest, ROOT_KEY, ROOT_SECRET, s3Failure, signedRequest, startS3Fixture, type S3Fixture } from '../../test/s3-gateway.js';

async function s3Error(p: Promise<unknown>): Promise<{ name: string; status: number | undefined }> {
  const [name, status] = await s3Failure(p);
  return { name, status };
}

describe('S3 buckets (end to end)', function () {
  this.timeout(60_000);
  let f: S3Fixture;
  before(async () => (f = await startS3Fixture()));
  after(async () => f?.close());

  it('creates, lists, heads and deletes a bucket, as a top-level directory', async () => {
    await f.s3.send(new CreateBucketCommand({ Bucket: 'alpha' }));
    assert.equal((await f.cluster.client.stat('/alpha')).isDir, true);
    const list = await f.s3.send(new ListBucketsCommand({}));
    assert.ok(list.Buckets?.some((b) => b.Name === 'alpha' && b.CreationDate instanceof Date));
    assert.equal(list.Owner?.DisplayName, 'godfs');
    const head = await f.s3.send(new HeadBucketCommand({ Bucket: 'alpha' }));
    assert.equal(head.$metadata.httpStatusCode, 200);
    await f.s3.send(new DeleteBucketCommand({ Bucket: 'alpha' }));
    await assert.rejects(f.cluster.client.stat('/alpha'), { code: 'not_found' });
    assert.equal((await s3Error(f.s3.send(new HeadBucketCommand({ Bucket: 'alpha' })))).status, 404);
  });

  it('answers BucketAlreadyOwnedByYou (409) for an existing bucket, BucketNotEmpty (409) for a full one', async () => {
    await f.s3.send(new CreateBucketCommand({ Bucket: 'beta' }));
    assert.deepEqual(await s3Error(f.s3.send(new CreateBucketCommand({ Bucket: 'beta' }))).then((e) => [e.name, e.status]), ['BucketAlreadyOwnedByYou', 409]);
    await f.s3.send(new PutObjectCommand({ Bucket: 'beta', Key: 'x/y', Body: 'z' }));
    assert.deepEqual(await s3Error(f.s3.send(new DeleteBucketCommand({ Bucket: 'beta' }))).then((e) => [e.name, e.status]), ['BucketNotEmpty', 409]);
    assert.equal((await f.cluster.client.readFile('/beta/x/y')).toString(), 'z');
  });

  it('refuses invalid and reserved bucket names with InvalidBucketName, creating nothing', async () => {
    for (const name of ['ab', 'UPPER', 'under_score', '-lead', 'trail-', 'a..b', '192.168.1.1', 'x'.repeat(64), 'healthz', 'metrics', 'readyz', 'xn--abc']) {
      const res = await signedRequest(f.base, { method: 'PUT', path: `/${name}` });
      const body = res.body.toString();
      assert.equal(res.status, 400, `${name}: ${body}`);
      assert.equal(errorCode(body), 'InvalidBucketName', name);
      assert.match(body, /<Message>The specified bucket is not valid: [^<]+<\/Message>/);
      await assert.rejects(f.cluster.client.stat(`/${name}`), name);
    }
  });

  it('answers NoSuchBucket (404) for operations on a missing bucket, and HEAD errors have no body', async () => {
    assert.deepEqual(await s3Error(f.s3.send(new PutObjectCommand({ Bucket: 'nope-bucket', Key: 'k', Body: 'x' }))).then((e) => [e.name, e.status]), ['NoSuchBucket', 404]);
    assert.deepEqual(await s3Error(f.s3.send(new GetBucketLocationCommand({ Bucket: 'nope-bucket' }))).then((e) => [e.name, e.status]), ['NoSuchBucket', 404]);
    const url = presignUrl({ method: 'HEAD', endpoint: f.base, bucket: 'nope-bucket', key: 'k', accessKeyId: ROOT_KEY, secretKey: ROOT_SECRET, expiresIn: 60 });
    const head = await rawRequest(f.base, { method: 'HEAD', path: url.slice(f.base.length) });
    assert.equal(head.status, 404);
    assert.equal(head.body.length, 0);
  });

  it('reports its location, that versioning was never enabled, and an owner-only ACL', async () => {
    await f.s3.send(new CreateBucketCommand({ Bucket: 'gamma' }));
    const loc = await f.s3.send(new GetBucketLocationCommand({ Bucket: 'gamma' }));
    assert.equal(loc.LocationConstraint, undefined); // us-east-1 is the empty constraint
    const ver = await f.s3.send(new GetBucketVersioningCommand({ Bucket: 'gamma' }));
    assert.equal(ver.Status, undefined);
    const acl = await f.s3.send(new GetBucketAclCommand({ Bucket: 'gamma' }));
    assert.equal(acl.Grants?.length, 1);
    assert.equal(acl.Grants?.[0]?.Permission, 'FULL_CONTROL');
    assert.equal(acl.Grants?.[0]?.Grantee?.ID, acl.Owner?.ID);
    await f.s3.send(new PutBucketAclCommand({ Bucket: 'gamma', ACL: 'private' }));
    assert.deepEqual(await s3Error(f.s3.send(new PutBucketAclCommand({ Bucket: 'gamma', ACL: 'public-read' }))).then((e) => [e.name, e.status]), ['NotImplemented', 501]);
  });

  it('answers unconfigured sub-resources like AWS, and unsupported ones with NotImplemented (501) in XML', async () => {
    await f.s3.send(new CreateBucketCommand({ Bucket: 'delta' }));
    const get = (q: string) => signedRequest(f.base, { method: 'GET', path: '/delta', query: { [q]: '' } });
    for (const [q, code, status] of [
      ['tagging', 'NoSuchTagSet', 404],
      ['policy', 'NoSuchBucketPolicy', 404],
      ['cors', 'NoSuchCORSConfiguration', 404],
      ['lifecycle', 'NoSuchLifecycleConfiguration', 404],
      ['replication', 'NotImplemented', 501],
    ] as const) {
      const res = await get(q);
      const body = res.body.toString();
      assert.equal(res.status, status, `${q}: ${body}`);
      assert.equal(errorCode(body), code, q);
      assert.match(body, /<Message>[^<]+<\/Message>.*<Resource>\/delta<\/Resource>.*<RequestId>[^<]+<\/RequestId>/s);
    }
  });

  it('leaves /v1, /healthz and /metrics to the gateway on the same address', async () => {
    assert.equal((await fetch(`${f.base}/healthz`)).status, 200);
    assert.match(await (await fetch(`${f.base}/metrics`)).text(), /godfs_gateway_http_requests_total/);
    const v1 = await fetch(`${f.base}/v1/fs/stat?path=/`, { headers: { authorization: 'Bearer gw-key' } });
    assert.equal(v1.status, 200);
    const unknown = await fetch(`${f.base}/v1/nothing-here`, { headers: { authorization: 'Bearer gw-key' } });
    assert.equal(unknown.status, 404);
    assert.equal(((await unknown.json()) as { code: string }).code, 'not_found');
    // Outside /v1, even what fastify refuses before routing answers in S3's shape.
    const badUrl = await rawRequest(f.base, { method: 'GET', path: '/bucket/%zz' });
    assert.deepEqual([badUrl.status, errorCode(badUrl.body)], [400, 'InvalidURI']);
    const badMethod = await rawRequest(f.base, { method: 'PROPFIND', path: '/bucket/key' });
    assert.deepEqual([badMethod.status, errorCode(badMethod.body)], [405, 'MethodNotAllowed']);
  });

  it('serves virtual-hosted–style requests when a domain is configured, keys named like gateway routes included', async () => {
    const v = await startS3Fixture({ s3: { domain: 's3.godfs.test' } });
    try {
      const port = new URL(v.base).port;
      const vhost = (bucket: string) => ({ host: `${bucket}.s3.godfs.test:${port}` });
      assert.equal((await signedRequest(v.base, { method: 'PUT', path: '/', headers: vhost('virt') })).status, 200);
      for (const key of ['healthz', 'v1/fs/stat', 'plain key.txt']) {
        const path = '/' + key.split('/').map(encodeURIComponent).join('/');
        const put = await signedRequest(v.base, { method: 'PUT', path, headers: vhost('virt'), body: Buffer.from(key) });
        assert.equal(put.status, 200, `${key}: ${put.body.toString()}`);
        assert.equal((await v.cluster.client.readFile(`/virt/${key}`)).toString(), key);
        const get = await signedRequest(v.base, { method: 'GET', path, headers: vhost('virt') });
        assert.equal(get.body.toString(), key);
      }
      const list = await signedRequest(v.base, { method: 'GET', path: '/', query: { 'list-type': '2' }, headers: vhost('virt') });
      assert.match(list.body.toString(), /<Name>virt<\/Name>.*<Key>healthz<\/Key>/s);
      // Path style keeps working on the same gateway, and so do the gateway's own routes.
      assert.equal((await v.s3.send(new HeadBucketCommand({ Bucket: 'virt' }))).$metadata.httpStatusCode, 200);
      assert.equal((await fetch(`${v.base}/healthz`)).status, 200);
    } finally {
      await v.close();
    }
  });
});
