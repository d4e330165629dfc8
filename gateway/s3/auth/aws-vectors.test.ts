// Known answers, independent of any signer: the worked examples in the S3 API Reference
// ("Examples: Signature Calculations" for header auth, presigned URLs and aws-chunked uploads,
// credentials AKIAIOSFODNN7EXAMPLE / wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY at 20130524T000000Z),
// and part of the AWS SigV4 test suite as smithy-typescript replays it
// (packages/signature-v4/src/suite.fixture.ts; service "service", so checked through the pieces).
import assert from 'node:assert/strict';
import { canonicalRequest, stringToSign } from './canonical-request.js';
import { decodeBody, verifyRequest, type AuthRequest, type KeyLookup } from './index.js';
import { deriveSigningKey, signHex } from './signing-key.js';
import { canonicalQuery, canonicalUri } from './uri-encode.js';
import { bodyOf, consume, sdkEscape, sha256Hex } from '../../../test/sigv4.js';

const AKID = 'AKIAIOSFODNN7EXAMPLE';
const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const awsLookup: KeyLookup = async (id) => (id === AKID ? { accessKeyId: AKID, secretKey: SECRET, buckets: [], readOnly: false } : undefined);
const NOW = { now: new Date('2013-05-24T00:05:00Z') };
const EMPTY = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

function headerAuth(signedHeaders: string, signature: string): string {
  return `AWS4-HMAC-SHA256 Credential=${AKID}/20130524/us-east-1/s3/aws4_request,SignedHeaders=${signedHeaders},Signature=${signature}`;
}

describe('s3 auth: the S3 API Reference examples', () => {
  it('GET Object with Range', async () => {
    const req: AuthRequest = {
      method: 'GET',
      rawPath: '/test.txt',
      rawQuery: '',
      headers: {
        host: 'examplebucket.s3.amazonaws.com',
        range: 'bytes=0-9',
        'x-amz-content-sha256': EMPTY,
        'x-amz-date': '20130524T000000Z',
        authorization: headerAuth('host;range;x-amz-content-sha256;x-amz-date', 'f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41'),
      },
    };
    assert.ok(await verifyRequest(req, awsLookup, NOW));
  });

  it('PUT Object (a Date header, a $ in the key) and its body against the signed sha256', async () => {
    const body = Buffer.from('Welcome to Amazon S3.');
    const req: AuthRequest = {
      method: 'PUT',
      rawPath: '/test%24file.text',
      rawQuery: '',
      headers: {
        host: 'examplebucket.s3.amazonaws.com',
        date: 'Fri, 24 May 2013 00:00:00 GMT',
        'x-amz-content-sha256': sha256Hex(body),
        'x-amz-date': '20130524T000000Z',
        'x-amz-storage-class': 'REDUCED_REDUNDANCY',
        authorization: headerAuth('date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class', '98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd'),
      },
    };
    assert.equal(req.headers['x-amz-content-sha256'], '44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072');
    const r = await verifyRequest(req, awsLookup, NOW);
    assert.ok(r);
    // The same key sent with '$' unescaped canonicalises identically.
    assert.ok(await verifyRequest({ ...req, rawPath: '/test$file.text' }, awsLookup, NOW));
    const seen = await consume(decodeBody(bodyOf(body, [5]), r.payload, req.headers).stream);
    assert.equal(seen.error, undefined);
    assert.ok(seen.data.equals(body));
  });

  for (const [name, rawQuery, signature] of [
    ['GET Bucket Lifecycle', 'lifecycle', 'fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543'],
    ['GET Bucket (List Objects)', 'max-keys=2&prefix=J', '34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7'],
  ] as const) {
    it(name, async () => {
      const headers = { host: 'examplebucket.s3.amazonaws.com', 'x-amz-content-sha256': EMPTY, 'x-amz-date': '20130524T000000Z' };
      const req: AuthRequest = { method: 'GET', rawPath: '/', rawQuery, headers: { ...headers, authorization: headerAuth('host;x-amz-content-sha256;x-amz-date', signature) } };
      assert.ok(await verifyRequest(req, awsLookup, NOW));
    });
  }

  it('presigned GET Object', async () => {
    const rawQuery =
      'X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404';
    const req: AuthRequest = { method: 'GET', rawPath: '/test.txt', rawQuery, headers: { host: 'examplebucket.s3.amazonaws.com' } };
    const r = await verifyRequest(req, awsLookup, { now: new Date('2013-05-24T23:00:00Z') });
    assert.equal(r?.presigned, true);
  });

  const chunkedHeaders = {
    host: 's3.amazonaws.com',
    'x-amz-date': '20130524T000000Z',
    'x-amz-storage-class': 'REDUCED_REDUNDANCY',
    'content-encoding': 'aws-chunked',
    'x-amz-decoded-content-length': '66560',
  };
  function chunkedBody(lastSignature = 'b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9'): Buffer {
    return Buffer.concat([
      Buffer.from('10000;chunk-signature=ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648\r\n'),
      Buffer.alloc(65536, 'a'),
      Buffer.from('\r\n400;chunk-signature=0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497\r\n'),
      Buffer.alloc(1024, 'a'),
      Buffer.from(`\r\n0;chunk-signature=${lastSignature}\r\n\r\n`),
    ]);
  }

  it('PUT Object in chunks (STREAMING-AWS4-HMAC-SHA256-PAYLOAD): seed and every chunk signature', async () => {
    const body = chunkedBody();
    assert.equal(body.length, 66824);
    const req: AuthRequest = {
      method: 'PUT',
      rawPath: '/examplebucket/chunkObject.txt',
      rawQuery: '',
      headers: {
        ...chunkedHeaders,
        'content-length': String(body.length),
        'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD',
        authorization: headerAuth(
          'content-encoding;content-length;host;x-amz-content-sha256;x-amz-date;x-amz-decoded-content-length;x-amz-storage-class',
          '4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9',
        ),
      },
    };
    const r = await verifyRequest(req, awsLookup, NOW);
    assert.equal(r?.payload.kind, 'streaming-signed');
    const seen = await consume(decodeBody(bodyOf(body, [1000, 7]), r!.payload, req.headers).stream);
    assert.equal(seen.error, undefined);
    assert.ok(seen.data.equals(Buffer.alloc(66560, 'a')));

    const forged = await consume(decodeBody(bodyOf(chunkedBody('0'.repeat(64))), r!.payload, req.headers).stream);
    assert.equal(forged.error?.s3Code, 'SignatureDoesNotMatch');
    assert.equal(forged.ended, false);
    assert.ok(forged.data.length < 66560);
  });

  it('PUT Object in chunks with a trailing header (STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER): seed signature', async () => {
    const req: AuthRequest = {
      method: 'PUT',
      rawPath: '/examplebucket/chunkObject.txt',
      rawQuery: '',
      headers: {
        ...chunkedHeaders,
        'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER',
        'x-amz-trailer': 'x-amz-checksum-crc32c',
        authorization: headerAuth(
          'content-encoding;host;x-amz-content-sha256;x-amz-date;x-amz-decoded-content-length;x-amz-storage-class;x-amz-trailer',
          '106e2a8a18243abcf37539882f36619c00e2dfc72633413f02d3b74544bfeb8e',
        ),
      },
    };
    const r = await verifyRequest(req, awsLookup, NOW);
    assert.ok(r?.payload.kind === 'streaming-signed' && r.payload.trailer);
  });
});

// A subset of the SigV4 test suite (AKIDEXAMPLE, 20150830T123600Z, us-east-1, service "service").
// Each request is put on the wire the way an SDK would, then canonicalised and signed by our pieces.
const SUITE_SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';
const suite: Array<{ name: string; method: string; path: string; query?: Record<string, string>; headers?: Record<string, string>; body?: string; authorization: string }> = [
  { name: 'get-vanilla', method: 'GET', path: '/', authorization: 'SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31' },
  { name: 'get-unreserved', method: 'GET', path: '/-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz', authorization: 'SignedHeaders=host;x-amz-date, Signature=07ef7494c76fa4850883e2b006601f940f8a34d404d0cfa977f52a65bbf5f24f' },
  { name: 'get-utf8', method: 'GET', path: '/ሴ', authorization: 'SignedHeaders=host;x-amz-date, Signature=8318018e0b0f223aa2bbf98705b62bb787dc9c0e678f255a891fd03141be5d85' },
  { name: 'get-vanilla-empty-query-key', method: 'GET', path: '/', query: { Param1: 'value1' }, authorization: 'SignedHeaders=host;x-amz-date, Signature=a67d582fa61cc504c4bae71f336f98b97f1ea3c7a6bfe1b6e45aec72011b9aeb' },
  { name: 'get-vanilla-query-order-key-case', method: 'GET', path: '/', query: { Param2: 'value2', Param1: 'value1' }, authorization: 'SignedHeaders=host;x-amz-date, Signature=b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500' },
  {
    name: 'get-vanilla-query-unreserved',
    method: 'GET',
    path: '/',
    query: { '-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz': '-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz' },
    authorization: 'SignedHeaders=host;x-amz-date, Signature=9c3e54bfcdf0b19771a7f523ee5669cdf59bc7cc0884027167c21bb143a40197',
  },
  { name: 'get-vanilla-utf8-query', method: 'GET', path: '/', query: { ሴ: 'bar' }, authorization: 'SignedHeaders=host;x-amz-date, Signature=2cdec8eed098649ff3a119c94853b13c643bcf08f8b0a1d91e12c9027818dd04' },
  { name: 'get-header-key-duplicate', method: 'GET', path: '/', headers: { 'my-header1': 'value2,value2,value1' }, authorization: 'SignedHeaders=host;my-header1;x-amz-date, Signature=c9d5ea9f3f72853aea855b47ea873832890dbdd183b4468f858259531a5138ea' },
  { name: 'get-header-value-trim', method: 'GET', path: '/', headers: { 'my-header1': 'value1', 'my-header2': '"a   b   c"' }, authorization: 'SignedHeaders=host;my-header1;my-header2;x-amz-date, Signature=acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736' },
  { name: 'post-header-value-case', method: 'POST', path: '/', headers: { 'my-header1': 'VALUE1' }, authorization: 'SignedHeaders=host;my-header1;x-amz-date, Signature=cdbc9802e29d2942e5e10b5bccfdd67c5f22c7c4e8ae67b53629efa58b974b7d' },
  {
    name: 'post-vanilla-query-nonunreserved',
    method: 'POST',
    path: '/',
    query: { '@#$%^': '', '+': '/,?><`";:\\|][{}' },
    authorization: 'SignedHeaders=host;x-amz-date, Signature=66c82657c86e26fb25238d0e69f011edc4c6df5ae71119d7cb98ed9b87393c1e',
  },
  {
    name: 'post-x-www-form-urlencoded-parameters',
    method: 'POST',
    path: '/',
    headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf8' },
    body: 'Param1=value1',
    authorization: 'SignedHeaders=content-type;host;x-amz-date, Signature=1a72ec8f64bd914b0e42e42607c7fbce7fb2c7465f63e3092b3b0d39fa77a6fe',
  },
];

describe('s3 auth: SigV4 test suite (via the canonicalisation pieces)', () => {
  for (const c of suite) {
    it(c.name, () => {
      const rawPath = c.path.split('/').map(sdkEscape).join('/');
      const rawQuery = Object.entries(c.query ?? {}).map(([k, v]) => `${sdkEscape(k)}=${sdkEscape(v)}`).join('&');
      const headers = { host: 'example.amazonaws.com', 'x-amz-date': '20150830T123600Z', ...c.headers };
      const [, signed, signature] = /SignedHeaders=([^,]+), Signature=([0-9a-f]{64})/.exec(c.authorization)!;
      const canonical = canonicalRequest({
        method: c.method,
        canonicalUri: canonicalUri(rawPath),
        canonicalQuery: canonicalQuery(rawQuery),
        headers,
        signedHeaders: signed!.split(';'),
        payloadHash: sha256Hex(c.body ?? ''),
      });
      const key = deriveSigningKey(SUITE_SECRET, '20150830', 'us-east-1', 'service');
      assert.equal(signHex(key, stringToSign('20150830T123600Z', '20150830/us-east-1/service/aws4_request', canonical)), signature);
    });
  }
});
