// verifyBody: the one-stage body check the S3 routes use (payload mode + Content-MD5 + flexible
// checksum). What decodeBody → checksumStream guarantee in two stages must hold in one: failures
// before the last piece and the end, the checks in the same order, header errors thrown before a
// byte is read; plus what the single stage adds: onVerified before the end, and no hold-back when
// there is nothing to judge.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { checksumBase64 } from './checksums.js';
import { verifyBody, type PayloadMode } from './index.js';
import { bodyOf, consume, creds, encodeAwsChunked, signingKeyOf } from '../../../test/sigv4.js';

const payload = Buffer.from('Pack my box with five dozen liquor jugs. '.repeat(3000)); // 123 000 bytes
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const md5b64 = (b: Buffer | string) => createHash('md5').update(b).digest('base64');
const signed = (b: Buffer): PayloadMode => ({ kind: 'sha256', expected: sha(b) });
const unsigned: PayloadMode = { kind: 'unsigned' };

async function run(mode: PayloadMode, headers: Record<string, string>, body: Buffer = payload, sizes = [50_000]) {
  const verified: unknown[] = [];
  const { stream, result } = verifyBody(bodyOf(body, sizes), mode, headers, (r) => verified.push(r));
  const seen = await consume(stream);
  const r = await result.then(
    (v) => v,
    (e: unknown) => e as Error,
  );
  return { seen, result: r, verified };
}

describe('s3 auth: verifyBody (one stage)', () => {
  it('the SDK default (signed sha256 + x-amz-checksum-crc32): passes, reports the checksum, no MD5 computed', async () => {
    const crc = await checksumBase64('CRC32', payload);
    const r = await run(signed(payload), { 'x-amz-checksum-crc32': crc, 'x-amz-sdk-checksum-algorithm': 'CRC32' });
    assert.equal(r.seen.error, undefined);
    assert.ok(r.seen.ended);
    assert.ok(r.seen.data.equals(payload));
    assert.deepEqual(r.result, { checksum: { algorithm: 'CRC32', value: crc } });
    assert.deepEqual(r.verified, [r.result]);
  });

  it('fails a wrong sha256, CRC32 or Content-MD5 before the last piece, never calling onVerified', async () => {
    const crc = await checksumBase64('CRC32', payload);
    const other = Buffer.from(payload);
    other[other.length - 1] ^= 1;
    for (const [mode, headers, code] of [
      [signed(other), { 'x-amz-checksum-crc32': crc }, 'XAmzContentSHA256Mismatch'],
      [signed(payload), { 'x-amz-checksum-crc32': await checksumBase64('CRC32', other) }, 'BadDigest'],
      [signed(payload), { 'content-md5': md5b64('other') }, 'BadDigest'],
      [unsigned, { 'content-md5': md5b64('other') }, 'BadDigest'],
      [unsigned, { 'x-amz-checksum-sha256': await checksumBase64('SHA256', other) }, 'BadDigest'],
      // Several wrong at once: the payload signature is reported first, then Content-MD5, then the checksum.
      [signed(other), { 'content-md5': md5b64('other'), 'x-amz-checksum-crc32': 'AAAAAA==' }, 'XAmzContentSHA256Mismatch'],
    ] as const) {
      const r = await run(mode, headers);
      assert.equal(r.seen.error?.s3Code, code, JSON.stringify(headers));
      assert.equal(r.seen.error?.status, 400);
      assert.equal(r.seen.ended, false);
      assert.ok(r.seen.data.length <= 100_000, `consumer saw ${r.seen.data.length} bytes`);
      assert.equal(r.result, r.seen.error);
      assert.deepEqual(r.verified, []);
    }
    const both = await run(signed(payload), { 'content-md5': md5b64('other'), 'x-amz-checksum-crc32': 'AAAAAA==' });
    assert.match(both.seen.error!.message, /Content-MD5/);
  });

  it('reports the MD5 when a Content-MD5 was checked', async () => {
    const r = await run(unsigned, { 'content-md5': md5b64(payload) });
    assert.equal(r.seen.error, undefined);
    assert.deepEqual(r.result, { md5Hex: createHash('md5').update(payload).digest('hex') });
  });

  it('throws header errors before reading, in decodeBody-then-checksumStream order', () => {
    const chunked: PayloadMode = { kind: 'streaming-unsigned-trailer' };
    assert.throws(() => verifyBody(bodyOf(payload), chunked, { 'x-amz-decoded-content-length': '-1', 'content-md5': 'bad' }), { s3Code: 'InvalidArgument' });
    assert.throws(() => verifyBody(bodyOf(payload), unsigned, { 'content-md5': 'bad', 'x-amz-checksum-crc32': 'bad' }), { s3Code: 'InvalidDigest' });
    assert.throws(() => verifyBody(bodyOf(payload), unsigned, { 'x-amz-checksum-crc32': 'AAAAAA==', 'x-amz-checksum-sha1': 'AAAAAA==' }), { s3Code: 'InvalidRequest' });
  });

  it('decodes aws-chunked and checks its trailing checksum in the same stage', async () => {
    const crc = await checksumBase64('CRC32', payload);
    const headers = { 'content-encoding': 'aws-chunked', 'x-amz-decoded-content-length': String(payload.length), 'x-amz-trailer': 'x-amz-checksum-crc32' };
    for (const [value, error] of [
      [crc, undefined],
      [await checksumBase64('CRC32', Buffer.from('x')), 'BadDigest'],
    ] as const) {
      const wire = encodeAwsChunked(payload, { chunkSize: 65536, trailers: [['x-amz-checksum-crc32', value]] });
      const r = await run({ kind: 'streaming-unsigned-trailer' }, headers, wire, [3000]);
      assert.equal(r.seen.error?.s3Code, error);
      if (error) {
        assert.equal(r.seen.ended, false);
        assert.ok(r.seen.data.length < payload.length);
        assert.deepEqual(r.verified, []);
      } else {
        assert.ok(r.seen.data.equals(payload));
        assert.deepEqual(r.result, { checksum: { algorithm: 'CRC32', value: crc } });
      }
    }
  });

  it('checks chunk and trailer signatures of STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER', async () => {
    const signing = { signingKey: signingKeyOf(creds.secretKey, '20260314', 'us-east-1'), seedSignature: 'e'.repeat(64), datetime: '20260314T150926Z', scope: '20260314/us-east-1/s3/aws4_request' };
    const mode: PayloadMode = { kind: 'streaming-signed', ...signing, trailer: true };
    const crc = await checksumBase64('CRC32C', payload);
    const headers = { 'x-amz-decoded-content-length': String(payload.length), 'x-amz-trailer': 'x-amz-checksum-crc32c' };
    const wire = encodeAwsChunked(payload, { chunkSize: 8192, signing, trailers: [['x-amz-checksum-crc32c', crc]] });
    const good = await run(mode, headers, wire, [777]);
    assert.equal(good.seen.error, undefined);
    assert.ok(good.seen.data.equals(payload));
    assert.deepEqual(good.result, { checksum: { algorithm: 'CRC32C', value: crc } });
    const forged = Buffer.from(wire);
    const at = wire.indexOf('chunk-signature=') + 'chunk-signature='.length;
    forged[at] = forged[at] === 0x30 ? 0x31 : 0x30;
    const bad = await run(mode, headers, forged, [777]);
    assert.equal(bad.seen.error?.s3Code, 'SignatureDoesNotMatch');
    assert.equal(bad.seen.ended, false);
  });

  it('runs onVerified before the consumer sees the end', async () => {
    const events: string[] = [];
    const { stream } = verifyBody(bodyOf(payload), signed(payload), { 'x-amz-checksum-crc32': await checksumBase64('CRC32', payload) }, () => events.push('verified'));
    stream.on('data', () => undefined);
    await new Promise((resolve) => stream.on('end', resolve));
    events.push('end');
    assert.deepEqual(events, ['verified', 'end']);
  });

  it('holds the last piece back while a verdict is pending, and nothing when there is none', async () => {
    const seenBeforeEnd = async (mode: PayloadMode, headers: Record<string, string>) => {
      const source = new Readable({ read() {} });
      const { stream } = verifyBody(source, mode, headers);
      let got = 0;
      stream.on('data', (b: Buffer) => (got += b.length));
      source.push(Buffer.alloc(1000));
      // Its work is synchronous (nextTicks): after a few event-loop turns it has passed on all it would before the end.
      for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
      const before = got;
      source.push(null);
      await new Promise((r) => stream.on('end', r));
      return before;
    };
    assert.equal(await seenBeforeEnd(unsigned, {}), 1000);
    assert.equal(await seenBeforeEnd(unsigned, { 'x-amz-sdk-checksum-algorithm': 'CRC32' }), 1000); // computed, not compared
    assert.equal(await seenBeforeEnd(signed(Buffer.alloc(1000)), {}), 0);
    assert.equal(await seenBeforeEnd(unsigned, { 'content-md5': md5b64(Buffer.alloc(1000)) }), 0);
    assert.equal(await seenBeforeEnd(unsigned, { 'x-amz-checksum-crc32': await checksumBase64('CRC32', Buffer.alloc(1000)) }), 0);
  });

  it('answers a source that errors or closes early with IncompleteBody, also with nothing to check', async () => {
    for (const [mode, headers] of [
      [unsigned, {}],
      [signed(payload), { 'x-amz-checksum-crc32': 'AAAAAA==' }],
    ] as const) {
      const source = new Readable({ read() {} });
      const { stream, result } = verifyBody(source, mode, headers);
      const seen = consume(stream);
      source.push(payload.subarray(0, 10_000));
      setImmediate(() => source.destroy());
      assert.equal((await seen).error?.s3Code, 'IncompleteBody');
      await assert.rejects(result, { s3Code: 'IncompleteBody' });
    }
  });

  it('passes an empty body', async () => {
    const r = await run(signed(Buffer.alloc(0)), { 'x-amz-checksum-crc32': 'AAAAAA==' }, Buffer.alloc(0));
    assert.equal(r.seen.error, undefined);
    assert.ok(r.seen.ended);
    assert.deepEqual(r.result, { checksum: { algorithm: 'CRC32', value: 'AAAAAA==' } });
  });
});
