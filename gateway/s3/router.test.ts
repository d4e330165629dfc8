// The typed S3 router: method + target + sub-resources + x-amz-copy-source → Endpoint, table-driven.
import assert from 'node:assert/strict';
import { S3Error } from './errors.js';
import { accessOf, parseEndpoint, parseTarget, type Endpoint } from './router.js';

function route(method: string, path: string, query = '', headers: Record<string, string> = {}): Endpoint {
  return parseEndpoint(method, parseTarget(path), new URLSearchParams(query), headers);
}

describe('S3 router', () => {
  it('splits path-style and virtual-hosted targets, decoding the key once', () => {
    assert.deepEqual(parseTarget('/'), {});
    assert.deepEqual(parseTarget('/b'), { bucket: 'b' });
    assert.deepEqual(parseTarget('/b/'), { bucket: 'b', key: undefined });
    assert.deepEqual(parseTarget('/b/a%20b/c%2Bd+e%25'), { bucket: 'b', key: 'a b/c+d+e%' });
    assert.deepEqual(parseTarget('/b/dir/'), { bucket: 'b', key: 'dir/' });
    assert.deepEqual(parseTarget('/x%2Fy', 'vhost'), { bucket: 'vhost', key: 'x/y' });
    assert.deepEqual(parseTarget('/', 'vhost'), { bucket: 'vhost', key: undefined });
    assert.throws(() => parseTarget('/b/%zz'), (e: unknown) => e instanceof S3Error && e.code === 'InvalidURI');
  });

  const table: Array<[string, string, string, Record<string, string>, Partial<Endpoint> & { kind: Endpoint['kind'] }]> = [
    ['GET', '/', '', {}, { kind: 'ListBuckets' }],
    ['PUT', '/b', '', {}, { kind: 'CreateBucket', bucket: 'b' }],
    ['HEAD', '/b', '', {}, { kind: 'HeadBucket' }],
    ['DELETE', '/b', '', {}, { kind: 'DeleteBucket' }],
    ['GET', '/b', 'location', {}, { kind: 'GetBucketLocation' }],
    ['GET', '/b', 'versioning', {}, { kind: 'GetBucketVersioning' }],
    ['PUT', '/b', 'versioning', {}, { kind: 'NotImplemented' }],
    ['GET', '/b', 'acl', {}, { kind: 'GetBucketAcl' }],
    ['PUT', '/b', 'acl', {}, { kind: 'PutBucketAcl' }],
    ['GET', '/b', '', {}, { kind: 'ListObjectsV1' }],
    ['GET', '/b', 'list-type=2&prefix=a', {}, { kind: 'ListObjectsV2' }],
    ['GET', '/b', 'versions', {}, { kind: 'ListObjectVersions' }],
    ['GET', '/b', 'uploads', {}, { kind: 'ListMultipartUploads' }],
    ['POST', '/b', 'delete', {}, { kind: 'DeleteObjects' }],
    ['GET', '/b', 'tagging', {}, { kind: 'NotConfigured', code: 'NoSuchTagSet' }],
    ['GET', '/b', 'cors', {}, { kind: 'NotConfigured', code: 'NoSuchCORSConfiguration' }],
    ['GET', '/b', 'replication', {}, { kind: 'NotImplemented' }],
    ['PUT', '/b', 'policy', {}, { kind: 'NotImplemented' }],
    ['DELETE', '/b', 'lifecycle', {}, { kind: 'NotImplemented' }],
    ['POST', '/b', '', {}, { kind: 'NotImplemented' }],
    ['PUT', '/b/k', '', {}, { kind: 'PutObject', bucket: 'b', key: 'k' }],
    ['PUT', '/b/k', '', { 'x-amz-copy-source': '/a/b' }, { kind: 'CopyObject' }],
    ['GET', '/b/k', '', {}, { kind: 'GetObject' }],
    ['GET', '/b/k', 'partNumber=2', {}, { kind: 'GetObject' }],
    ['HEAD', '/b/k', '', {}, { kind: 'HeadObject' }],
    ['DELETE', '/b/k', '', {}, { kind: 'DeleteObject' }],
    ['GET', '/b/k', 'acl', {}, { kind: 'GetObjectAcl' }],
    ['PUT', '/b/k', 'acl', {}, { kind: 'PutObjectAcl' }],
    ['GET', '/b/k', 'tagging', {}, { kind: 'GetObjectTagging' }],
    ['PUT', '/b/k', 'tagging', {}, { kind: 'NotImplemented' }],
    ['GET', '/b/k', 'retention', {}, { kind: 'NotImplemented' }],
    ['POST', '/b/k', 'uploads', {}, { kind: 'CreateMultipartUpload' }],
    ['PUT', '/b/k', 'partNumber=3&uploadId=U', {}, { kind: 'UploadPart', uploadId: 'U', partNumber: 3 }],
    ['PUT', '/b/k', 'partNumber=3&uploadId=U', { 'x-amz-copy-source': 'a/b' }, { kind: 'UploadPartCopy', uploadId: 'U', partNumber: 3 }],
    ['POST', '/b/k', 'uploadId=U', {}, { kind: 'CompleteMultipartUpload', uploadId: 'U' }],
    ['DELETE', '/b/k', 'uploadId=U', {}, { kind: 'AbortMultipartUpload', uploadId: 'U' }],
    ['GET', '/b/k', 'uploadId=U', {}, { kind: 'ListParts', uploadId: 'U' }],
    ['OPTIONS', '/b/k', '', {}, { kind: 'NotImplemented' }],
  ];
  for (const [method, path, query, headers, want] of table) {
    it(`${method} ${path}${query ? '?' + query : ''}${headers['x-amz-copy-source'] ? ' (copy)' : ''} → ${want.kind}`, () => {
      const got = route(method, path, query, headers);
      for (const [k, v] of Object.entries(want)) assert.deepEqual((got as unknown as Record<string, unknown>)[k], v, k);
    });
  }

  it('refuses malformed requests with S3 codes', () => {
    const code = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return e instanceof S3Error ? e.code : String(e);
      }
      return 'no error';
    };
    assert.equal(code(() => route('PUT', '/b/k', 'partNumber=0&uploadId=U')), 'InvalidArgument');
    assert.equal(code(() => route('PUT', '/b/k', 'partNumber=10001&uploadId=U')), 'InvalidArgument');
    assert.equal(code(() => route('PUT', '/b/k', 'partNumber=1')), 'InvalidArgument');
    assert.equal(code(() => route('GET', '/b', 'list-type=1')), 'InvalidArgument');
    assert.equal(code(() => route('PATCH', '/b/k')), 'MethodNotAllowed');
    assert.equal(code(() => route('PUT', '/')), 'MethodNotAllowed');
    assert.equal(code(() => route('POST', '/b/k')), 'MethodNotAllowed');
  });

  it('classifies reads and writes (read-only keys may only read)', () => {
    assert.equal(accessOf(route('GET', '/b/k')), 'read');
    assert.equal(accessOf(route('GET', '/b', 'list-type=2')), 'read');
    assert.equal(accessOf(route('GET', '/b/k', 'uploadId=U')), 'read');
    assert.equal(accessOf(route('PUT', '/b/k')), 'write');
    assert.equal(accessOf(route('POST', '/b', 'delete')), 'write');
    assert.equal(accessOf(route('PUT', '/b/k', 'acl')), 'write');
    assert.equal(accessOf(route('DELETE', '/b/k', 'uploadId=U')), 'write');
  });
});
