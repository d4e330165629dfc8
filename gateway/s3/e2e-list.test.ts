// Listing end to end: V2, V1 and ListObjectVersions over a real cluster, checked against sorting the
// keys in UTF-8 byte order — including the case that breaks a naive directory walk: `a-b` and
// `a.txt` sort before everything in `a/`.
import assert from 'node:assert/strict';
import {
  CreateBucketCommand,
  ListObjectsCommand,
  ListObjectsV2Command,
  ListObjectVersionsCommand,
  paginateListObjectsV2,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { compareUtf8 } from '../../common/utf8.js';
import { errorCode, signedRequest, startS3Fixture, type S3Fixture } from '../../test/s3-gateway.js';

const KEYS = ['a', 'a-b', 'a.txt', 'a/x', 'a/y/z', 'a/y-1', 'a0', 'a b/c', 'b/1', 'b/2', 'b/3/4', 'c', 'é/1', 'z+%/1', '😀', '\u{FF61}'].filter((k) => k !== 'a');
const SORTED = [...KEYS].sort(compareUtf8);

describe('S3 listing (end to end)', function () {
  this.timeout(60_000);
  let f: S3Fixture;
  const B = 'lists';
  before(async () => {
    f = await startS3Fixture();
    await f.s3.send(new CreateBucketCommand({ Bucket: B }));
    await Promise.all(KEYS.map((Key) => f.s3.send(new PutObjectCommand({ Bucket: B, Key, Body: Key }))));
  });
  after(async () => f?.close());

  it('writes IsTruncated as an explicit true/false, never an empty element (aws-sdk-go, so rclone, cannot parse one)', async () => {
    const queries: Array<Record<string, string>> = [{ 'list-type': '2' }, {}, { uploads: '' }, { 'list-type': '2', 'max-keys': '1' }];
    for (const query of queries) {
      const res = await signedRequest(f.base, { method: 'GET', path: `/${B}`, query });
      assert.equal(res.status, 200);
      const xml = res.body.toString();
      assert.match(xml, /<IsTruncated>(true|false)<\/IsTruncated>/, `${JSON.stringify(query)}: ${xml.slice(0, 300)}`);
      assert.doesNotMatch(xml, /<IsTruncated\/>/);
    }
  });

  it('lists every key in UTF-8 byte order across directories (a-b, a.txt, then a/…, then a0)', async () => {
    const r = await f.s3.send(new ListObjectsV2Command({ Bucket: B }));
    assert.deepEqual(r.Contents?.map((c) => c.Key), SORTED);
    assert.equal(r.KeyCount, SORTED.length);
    assert.equal(r.IsTruncated, false);
    assert.ok(r.Contents!.every((c) => c.ETag?.startsWith('"') && c.StorageClass === 'STANDARD' && c.Owner === undefined));
    const owned = await f.s3.send(new ListObjectsV2Command({ Bucket: B, FetchOwner: true, MaxKeys: 2 }));
    assert.ok(owned.Contents!.every((c) => c.Owner?.DisplayName === 'godfs' && c.Owner.ID));
  });

  it('pages through with max-keys and continuation tokens, for every page size', async () => {
    for (const size of [1, 2, 3, 5, 7]) {
      const seen: string[] = [];
      for await (const page of paginateListObjectsV2({ client: f.s3, pageSize: size }, { Bucket: B })) {
        assert.ok((page.Contents?.length ?? 0) <= size);
        seen.push(...(page.Contents ?? []).map((c) => c.Key!));
      }
      assert.deepEqual(seen, SORTED, `page size ${size}`);
    }
  });

  it('groups by delimiter into CommonPrefixes, and pages through those too', async () => {
    const r = await f.s3.send(new ListObjectsV2Command({ Bucket: B, Delimiter: '/' }));
    assert.deepEqual(r.Contents?.map((c) => c.Key), ['a-b', 'a.txt', 'a0', 'c', '😀', '\u{FF61}'].sort(compareUtf8));
    assert.deepEqual(r.CommonPrefixes?.map((p) => p.Prefix), ['a b/', 'a/', 'b/', 'z+%/', 'é/'].sort(compareUtf8));
    const all = [...(r.Contents ?? []).map((c) => c.Key!), ...(r.CommonPrefixes ?? []).map((p) => p.Prefix!)].sort(compareUtf8);
    const paged: string[] = [];
    let token: string | undefined;
    do {
      const p = await f.s3.send(new ListObjectsV2Command({ Bucket: B, Delimiter: '/', MaxKeys: 2, ContinuationToken: token }));
      assert.ok((p.KeyCount ?? 0) <= 2);
      paged.push(...(p.Contents ?? []).map((c) => c.Key!), ...(p.CommonPrefixes ?? []).map((x) => x.Prefix!));
      token = p.NextContinuationToken;
    } while (token);
    assert.deepEqual(paged.sort(compareUtf8), all);
  });

  it('filters by prefix, with and without a delimiter, and honours start-after', async () => {
    const p = await f.s3.send(new ListObjectsV2Command({ Bucket: B, Prefix: 'a' }));
    assert.deepEqual(p.Contents?.map((c) => c.Key), SORTED.filter((k) => k.startsWith('a')));
    const d = await f.s3.send(new ListObjectsV2Command({ Bucket: B, Prefix: 'a/', Delimiter: '/' }));
    assert.deepEqual(d.Contents?.map((c) => c.Key), ['a/x', 'a/y-1']);
    assert.deepEqual(d.CommonPrefixes?.map((c) => c.Prefix), ['a/y/']);
    const s = await f.s3.send(new ListObjectsV2Command({ Bucket: B, StartAfter: 'a.txt' }));
    assert.deepEqual(s.Contents?.map((c) => c.Key), SORTED.filter((k) => compareUtf8(k, 'a.txt') > 0));
    assert.equal(s.StartAfter, 'a.txt');
    const none = await f.s3.send(new ListObjectsV2Command({ Bucket: B, Prefix: 'nothing/' }));
    assert.equal(none.KeyCount, 0);
    const other = await f.s3.send(new ListObjectsV2Command({ Bucket: B, Delimiter: '-' }));
    // Any delimiter works, not just '/': everything up to the first '-' after the prefix rolls up.
    assert.deepEqual(other.CommonPrefixes?.map((c) => c.Prefix), ['a-', 'a/y-']);
    assert.ok(!other.Contents?.some((c) => c.Key!.includes('-')));
  });

  it('lists with V1 markers (NextMarker with a delimiter) and includes owners', async () => {
    const seen: string[] = [];
    let marker: string | undefined;
    for (;;) {
      const r = await f.s3.send(new ListObjectsCommand({ Bucket: B, MaxKeys: 3, Marker: marker, Delimiter: '/' }));
      seen.push(...(r.Contents ?? []).map((c) => c.Key!), ...(r.CommonPrefixes ?? []).map((p) => p.Prefix!));
      assert.ok((r.Contents ?? []).every((c) => c.Owner?.DisplayName === 'godfs'));
      if (!r.IsTruncated) break;
      marker = r.NextMarker;
      assert.ok(marker);
    }
    assert.equal(new Set(seen).size, seen.length);
    assert.equal(seen.length, 11);
  });

  it('lists every object as its one "null" version', async () => {
    const r = await f.s3.send(new ListObjectVersionsCommand({ Bucket: B, Prefix: 'b/' }));
    assert.deepEqual(r.Versions?.map((v) => [v.Key, v.VersionId, v.IsLatest]), [['b/1', 'null', true], ['b/2', 'null', true], ['b/3/4', 'null', true]]);
    const paged = await f.s3.send(new ListObjectVersionsCommand({ Bucket: B, Prefix: 'b/', MaxKeys: 2 }));
    assert.equal(paged.IsTruncated, true);
    assert.equal(paged.NextKeyMarker, 'b/2');
    const rest = await f.s3.send(new ListObjectVersionsCommand({ Bucket: B, Prefix: 'b/', KeyMarker: paged.NextKeyMarker }));
    assert.deepEqual(rest.Versions?.map((v) => v.Key), ['b/3/4']);
  });

  it('URL-encodes keys and prefixes with encoding-type=url, and echoes <EncodingType>', async () => {
    const res = await signedRequest(f.base, { method: 'GET', path: `/${B}`, query: { 'list-type': '2', prefix: 'z+%/', 'encoding-type': 'url' } });
    const xml = res.body.toString();
    assert.equal(res.status, 200);
    assert.match(xml, /<EncodingType>url<\/EncodingType>/);
    assert.match(xml, /<Prefix>z%2B%25\/<\/Prefix>/);
    assert.match(xml, /<Key>z%2B%25\/1<\/Key>/);
    const plain = await signedRequest(f.base, { method: 'GET', path: `/${B}`, query: { 'list-type': '2', prefix: 'z+%/' } });
    assert.doesNotMatch(plain.body.toString(), /EncodingType/);
    assert.match(plain.body.toString(), /<Key>z\+%\/1<\/Key>/);
    const bad = await signedRequest(f.base, { method: 'GET', path: `/${B}`, query: { 'list-type': '2', 'encoding-type': 'base64' } });
    assert.equal(errorCode(bad.body), 'InvalidArgument');
  });

  it('caps max-keys at 1000 and refuses a forged continuation token', async () => {
    const r = await f.s3.send(new ListObjectsV2Command({ Bucket: B, MaxKeys: 5000 }));
    assert.equal(r.MaxKeys, 1000);
    const bad = await signedRequest(f.base, { method: 'GET', path: `/${B}`, query: { 'list-type': '2', 'continuation-token': 'bm90LW91cnM' } });
    assert.equal(bad.status, 400);
    assert.equal(errorCode(bad.body), 'InvalidArgument');
  });

  it('pages through a larger directory made through the sdk', async () => {
    await f.s3.send(new CreateBucketCommand({ Bucket: 'many' }));
    const keys = Array.from({ length: 250 }, (_, i) => `flat/k-${String(i).padStart(4, '0')}`);
    await f.cluster.client.mkdir('/many/flat');
    for (let i = 0; i < keys.length; i += 25) await Promise.all(keys.slice(i, i + 25).map((k) => f.cluster.client.create(`/many/${k}`)));
    const seen: string[] = [];
    for await (const page of paginateListObjectsV2({ client: f.s3, pageSize: 100 }, { Bucket: 'many', Prefix: 'flat/' })) seen.push(...(page.Contents ?? []).map((c) => c.Key!));
    assert.deepEqual(seen, keys);
  });
});
