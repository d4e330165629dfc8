// Flexible checksums and Content-MD5: each algorithm's known check value, a matching value passes
// and is returned for storage, a wrong one fails with BadDigest before the last piece, malformed or
// contradictory headers are refused before any byte is read.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { checksumBase64, createHasher, type ChecksumAlgorithm } from './checksums.js';
import { checksumStream } from './index.js';
import { bodyOf, consume } from '../../../test/sigv4.js';

const payload = Buffer.from('The quick brown fox jumps over the lazy dog. '.repeat(3000)); // 135 000 bytes

async function run(headers: Record<string, string>, body = payload) {
  const { stream, result } = checksumStream(bodyOf(body, [50_000]), headers, Promise.resolve({}));
  const seen = await consume(stream);
  const r = await result.then(
    (v) => v,
    (e: unknown) => e as Error,
  );
  return { seen, result: r };
}

describe('s3 auth: checksums', () => {
  it('computes the standard check values of "123456789"', async () => {
    const check = Buffer.from('123456789');
    const hex = async (alg: ChecksumAlgorithm) => Buffer.from(await checksumBase64(alg, check), 'base64').toString('hex');
    assert.equal(await hex('CRC32'), 'cbf43926');
    assert.equal(await hex('CRC32C'), 'e3069283');
    assert.equal(await hex('CRC64NVME'), 'ae8b14860a799888');
    assert.equal(await hex('SHA1'), 'f7c3bc1d808e04732adf679965ccc34ca7ae3441');
    assert.equal(await hex('SHA256'), '15e2b0d3c33891ebb0f1ef609ec419420c20e320ce94c65fbc8c3312448eb225');
  });

  it('hashes incrementally the same as in one go', async () => {
    for (const alg of ['CRC32', 'CRC32C', 'CRC64NVME', 'SHA1', 'SHA256'] as const) {
      const h = createHasher(alg);
      for (let i = 0; i < payload.length; i += 9_999) h.update(payload.subarray(i, i + 9_999));
      assert.equal((await h.digest()).toString('base64'), await checksumBase64(alg, payload), alg);
    }
  });

  for (const alg of ['CRC32', 'CRC32C', 'CRC64NVME', 'SHA1', 'SHA256'] as const) {
    const header = `x-amz-checksum-${alg.toLowerCase()}`;
    it(`${header}: a match is returned for storage, a mismatch is BadDigest before the last piece`, async () => {
      const value = await checksumBase64(alg, payload);
      const good = await run({ [header]: value, 'x-amz-sdk-checksum-algorithm': alg });
      assert.equal(good.seen.error, undefined);
      assert.ok(good.seen.ended);
      assert.ok(good.seen.data.equals(payload));
      assert.deepEqual(good.result, { md5Hex: createHash('md5').update(payload).digest('hex'), checksum: { algorithm: alg, value } });

      const other = Buffer.from(payload);
      other[payload.length - 1] ^= 0x20;
      const bad = await run({ [header]: value }, other);
      assert.equal(bad.seen.error?.s3Code, 'BadDigest');
      assert.equal(bad.seen.error?.status, 400);
      assert.match(bad.seen.error!.message, new RegExp(alg));
      assert.equal(bad.seen.ended, false);
      assert.ok(bad.seen.data.length <= 100_000, `consumer saw ${bad.seen.data.length} bytes`);
      assert.equal(bad.result, bad.seen.error);
    });
  }

  it('verifies Content-MD5 (BadDigest on mismatch) and always reports the MD5', async () => {
    const md5 = createHash('md5').update(payload).digest();
    const good = await run({ 'content-md5': md5.toString('base64') });
    assert.equal(good.seen.error, undefined);
    assert.deepEqual(good.result, { md5Hex: md5.toString('hex') });
    const bad = await run({ 'content-md5': createHash('md5').update('other').digest('base64') });
    assert.equal(bad.seen.error?.s3Code, 'BadDigest');
    assert.match(bad.seen.error!.message, /Content-MD5/);
    assert.equal(bad.seen.ended, false);
    // Both checks at once: either failing fails the body.
    const crc = await checksumBase64('CRC32', payload);
    assert.equal((await run({ 'content-md5': md5.toString('base64'), 'x-amz-checksum-crc32': crc })).seen.error, undefined);
    assert.equal((await run({ 'content-md5': md5.toString('base64'), 'x-amz-checksum-crc32': 'AAAAAA==' })).seen.error?.s3Code, 'BadDigest');
  });

  it('refuses malformed and contradictory headers before reading the body', () => {
    const body = () => bodyOf(payload);
    const none = Promise.resolve({});
    assert.throws(() => checksumStream(body(), { 'content-md5': 'not-md5' }, none), { s3Code: 'InvalidDigest', status: 400 });
    assert.throws(() => checksumStream(body(), { 'content-md5': Buffer.alloc(15).toString('base64') }, none), { s3Code: 'InvalidDigest' });
    assert.throws(() => checksumStream(body(), { 'x-amz-checksum-crc32': 'AAAA' }, none), { s3Code: 'InvalidRequest', message: /x-amz-checksum-crc32/ });
    assert.throws(() => checksumStream(body(), { 'x-amz-checksum-sha256': 'AAAAAA==' }, none), { s3Code: 'InvalidRequest' });
    assert.throws(() => checksumStream(body(), { 'x-amz-checksum-crc32': 'AAAAAA==', 'x-amz-checksum-crc32c': 'AAAAAA==' }, none), {
      s3Code: 'InvalidRequest',
      message: /single x-amz-checksum/,
    });
    assert.throws(() => checksumStream(body(), { 'x-amz-checksum-crc32': 'AAAAAA==', 'x-amz-trailer': 'x-amz-checksum-sha1' }, none), { s3Code: 'InvalidRequest' });
    assert.throws(() => checksumStream(body(), { 'x-amz-checksum-crc32': 'AAAAAA==', 'x-amz-sdk-checksum-algorithm': 'SHA1' }, none), { s3Code: 'InvalidRequest' });
    assert.throws(() => checksumStream(body(), { 'x-amz-sdk-checksum-algorithm': 'MD4' }, none), { s3Code: 'InvalidRequest' });
  });

  it('computes the algorithm named by x-amz-sdk-checksum-algorithm when no value is sent', async () => {
    const r = await run({ 'x-amz-sdk-checksum-algorithm': 'crc64nvme' });
    assert.equal(r.seen.error, undefined);
    assert.deepEqual((r.result as { checksum?: unknown }).checksum, { algorithm: 'CRC64NVME', value: await checksumBase64('CRC64NVME', payload) });
  });

  it('takes the expected value from the trailers when x-amz-trailer announces it', async () => {
    const value = await checksumBase64('SHA256', payload);
    const headers = { 'x-amz-trailer': 'x-amz-checksum-sha256' };
    const good = checksumStream(bodyOf(payload), headers, Promise.resolve({ 'x-amz-checksum-sha256': value }));
    assert.equal((await consume(good.stream)).error, undefined);
    assert.equal((await good.result).checksum?.value, value);
    const bad = checksumStream(bodyOf(payload), headers, Promise.resolve({ 'x-amz-checksum-sha256': await checksumBase64('SHA256', Buffer.from('x')) }));
    assert.equal((await consume(bad.stream)).error?.s3Code, 'BadDigest');
    const missing = checksumStream(bodyOf(payload), headers, Promise.resolve({}));
    assert.equal((await consume(missing.stream)).error?.s3Code, 'InvalidRequest');
  });

  it('passes an empty body through', async () => {
    const r = await run({ 'x-amz-checksum-crc32': 'AAAAAA==' }, Buffer.alloc(0));
    assert.equal(r.seen.error, undefined);
    assert.ok(r.seen.ended);
    assert.equal((r.result as { md5Hex: string }).md5Hex, 'd41d8cd98f00b204e9800998ecf8427e');
  });
});
