// aws-chunked bodies, encoded in the test from the S3 docs' description (test-kit), fed to
// decodeBody in awkward pieces: signed, signed with a signed trailer, and unsigned with a trailer;
// forged, reordered, truncated and malformed bodies must fail before their last piece.
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { checksumBase64 } from './checksums.js';
import { checksumStream, decodeBody, verifyRequest, type PayloadMode } from './index.js';
import { bodyOf, consume, creds, encodeAwsChunked, lookup, newRequest, oracle, signingKeyOf, toWire } from '../../../test/sigv4.js';
import { eventually } from '../../../test/eventually.js';

const DATETIME = '20260314T150926Z';
const SCOPE = '20260314/us-east-1/s3/aws4_request';
const SEED = 'f'.repeat(64);
const signing = { signingKey: signingKeyOf(creds.secretKey, '20260314', 'us-east-1'), seedSignature: SEED, datetime: DATETIME, scope: SCOPE };
const signedMode = (trailer: boolean): PayloadMode => ({ kind: 'streaming-signed', ...signing, trailer });
const unsignedTrailer: PayloadMode = { kind: 'streaming-unsigned-trailer' };

function data(n: number, seed = 7): Buffer {
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; i++) b[i] = (i * 31 + seed) & 0xff;
  return b;
}

const headersFor = (length: number, extra: Record<string, string> = {}) => ({ 'content-encoding': 'aws-chunked', 'x-amz-decoded-content-length': String(length), ...extra });

async function decode(wire: Buffer, mode: PayloadMode, headers: Record<string, string>, sizes?: number[]) {
  const { stream, trailers } = decodeBody(bodyOf(wire, sizes), mode, headers);
  const seen = await consume(stream);
  const t = await trailers.then(
    (v) => v,
    () => undefined,
  );
  return { ...seen, trailers: t };
}

describe('s3 auth: aws-chunked decoding', () => {
  for (const [chunkSize, sizes] of [
    [8192, [1, 2, 3, 5, 8, 13, 4096]],
    [65536, [65536]],
    [1000, [7]],
    [200_000, [100_000, 1]],
  ] as const) {
    it(`decodes a signed body (chunks of ${chunkSize}, delivered in pieces of ${sizes.join('/')})`, async () => {
      const payload = data(150_001);
      const wire = encodeAwsChunked(payload, { chunkSize, signing });
      const r = await decode(wire, signedMode(false), headersFor(payload.length), [...sizes]);
      assert.equal(r.error, undefined);
      assert.ok(r.ended);
      assert.ok(r.data.equals(payload));
      assert.deepEqual(r.trailers, {});
    });
  }

  it('decodes an empty signed body', async () => {
    const r = await decode(encodeAwsChunked(Buffer.alloc(0), { chunkSize: 8192, signing }), signedMode(false), headersFor(0));
    assert.equal(r.error, undefined);
    assert.equal(r.data.length, 0);
    assert.ok(r.ended);
  });

  it('works end to end from an SDK-signed seed', async () => {
    const payload = data(20_000);
    const headers = { 'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD', ...headersFor(payload.length) };
    const now = new Date('2026-03-14T15:09:26Z');
    const req = toWire((await oracle().sign(newRequest({ method: 'PUT', path: '/b/k', headers }), { signingDate: now })) as never);
    const auth = await verifyRequest(req, lookup, { now });
    assert.equal(auth?.payload.kind, 'streaming-signed');
    const p = auth!.payload as Extract<PayloadMode, { kind: 'streaming-signed' }>;
    const wire = encodeAwsChunked(payload, { chunkSize: 8192, signing: { signingKey: signingKeyOf(creds.secretKey, '20260314', 'us-east-1'), seedSignature: p.seedSignature, datetime: p.datetime, scope: p.scope } });
    const r = await decode(wire, p, req.headers as Record<string, string>);
    assert.equal(r.error, undefined);
    assert.ok(r.data.equals(payload));
  });

  it('fails a forged chunk signature before the last piece (SignatureDoesNotMatch 403)', async () => {
    const payload = data(40_000);
    const wire = encodeAwsChunked(payload, { chunkSize: 8192, signing });
    const at = wire.indexOf('chunk-signature=', wire.indexOf('chunk-signature=') + 1) + 'chunk-signature='.length;
    const forged = Buffer.from(wire);
    forged[at] = forged[at] === 0x30 ? 0x31 : 0x30;
    const r = await decode(forged, signedMode(false), headersFor(payload.length), [1024]);
    assert.equal(r.error?.s3Code, 'SignatureDoesNotMatch');
    assert.equal(r.error?.status, 403);
    assert.equal(r.ended, false);
    assert.ok(r.data.length < payload.length);
    assert.equal(r.trailers, undefined);
  });

  it('fails reordered chunks and a changed data byte', async () => {
    const payload = data(16_384);
    const wire = encodeAwsChunked(payload, { chunkSize: 8192, signing });
    const second = wire.indexOf('2000;chunk-signature=', 10);
    const end = wire.indexOf('0;chunk-signature=', second + 8200);
    const swapped = Buffer.concat([wire.subarray(second, end), wire.subarray(0, second), wire.subarray(end)]);
    assert.equal((await decode(swapped, signedMode(false), headersFor(payload.length))).error?.s3Code, 'SignatureDoesNotMatch');
    const flipped = Buffer.from(wire);
    flipped[200] ^= 1;
    assert.equal((await decode(flipped, signedMode(false), headersFor(payload.length))).error?.s3Code, 'SignatureDoesNotMatch');
  });

  it('answers a truncated body with IncompleteBody, wherever it is cut', async () => {
    const payload = data(20_000);
    const wire = encodeAwsChunked(payload, { chunkSize: 8192, signing });
    const finalChunk = wire.lastIndexOf('0;chunk-signature=');
    for (const cut of [10, 100, 8192 + 90, 8192 + 93, 8192 + 94, finalChunk, finalChunk + 5]) {
      const r = await decode(wire.subarray(0, cut), signedMode(false), headersFor(payload.length));
      assert.equal(r.error?.s3Code, 'IncompleteBody', `cut at ${cut}: ${r.error?.message}`);
      assert.equal(r.error?.status, 400);
      assert.equal(r.ended, false);
    }
  });

  it('answers a source that errors or closes early with IncompleteBody', async () => {
    const wire = encodeAwsChunked(data(30_000), { chunkSize: 8192, signing });
    const source = new Readable({ read() {} });
    const { stream } = decodeBody(source, signedMode(false), headersFor(30_000));
    const seen = consume(stream);
    source.push(wire.subarray(0, 10_000));
    setImmediate(() => source.destroy());
    const r = await seen;
    assert.equal(r.error?.s3Code, 'IncompleteBody');
  });

  it('checks x-amz-decoded-content-length both ways', async () => {
    const payload = data(10_000);
    const wire = encodeAwsChunked(payload, { chunkSize: 4096, signing });
    assert.equal((await decode(wire, signedMode(false), headersFor(10_001))).error?.s3Code, 'IncompleteBody');
    assert.equal((await decode(wire, signedMode(false), headersFor(9_999))).error?.s3Code, 'InvalidRequest');
    assert.throws(() => decodeBody(bodyOf(wire), signedMode(false), headersFor(0, { 'x-amz-decoded-content-length': '-1' })), { s3Code: 'InvalidArgument' });
  });

  it('answers malformed framing with InvalidRequest', async () => {
    const unsignedWire = (s: string) => Buffer.from(s);
    const cases = [
      unsignedWire('zz\r\nabc\r\n0\r\n\r\n'), // not hex
      unsignedWire('3\r\nabcd\r\n0\r\n\r\n'), // chunk longer than its size
      unsignedWire('3\nabc\r\n0\r\n\r\n'), // bare LF
      unsignedWire('3\r\nabc\r\n0\r\n\r\ntrailing garbage'),
      unsignedWire('3\r\nabc\r\n0\r\nno-colon-here\r\n\r\n'),
      Buffer.concat([unsignedWire('3'), Buffer.alloc(5000, 0x30), unsignedWire('\r\n')]), // absurd size line
    ];
    for (const wire of cases) {
      const r = await decode(wire, unsignedTrailer, {});
      assert.equal(r.error?.s3Code, 'InvalidRequest', `${JSON.stringify(wire.subarray(0, 30).toString())}: ${r.error?.message}`);
    }
    // A signed mode needs a chunk-signature on every chunk.
    const r = await decode(unsignedWire('3\r\nabc\r\n0\r\n\r\n'), signedMode(false), {});
    assert.equal(r.error?.s3Code, 'InvalidRequest');
  });

  it('verifies a signed trailer and hands its checksum to checksumStream', async () => {
    const payload = data(50_000);
    const crc = await checksumBase64('CRC32C', payload);
    const headers = headersFor(payload.length, { 'x-amz-trailer': 'x-amz-checksum-crc32c' });
    const wire = encodeAwsChunked(payload, { chunkSize: 16_384, signing, trailers: [['x-amz-checksum-crc32c', crc]] });
    const { stream, trailers } = decodeBody(bodyOf(wire, [999]), signedMode(true), headers);
    const checked = checksumStream(stream, headers, trailers);
    const seen = await consume(checked.stream);
    assert.equal(seen.error, undefined);
    assert.ok(seen.data.equals(payload));
    assert.deepEqual(await trailers, { 'x-amz-checksum-crc32c': crc });
    assert.deepEqual((await checked.result).checksum, { algorithm: 'CRC32C', value: crc });
  });

  it('fails a forged or missing trailer signature, and a trailer changed after signing', async () => {
    const payload = data(9_000);
    const crc = await checksumBase64('CRC32C', payload);
    const headers = headersFor(payload.length, { 'x-amz-trailer': 'x-amz-checksum-crc32c' });
    const wire = encodeAwsChunked(payload, { chunkSize: 4096, signing, trailers: [['x-amz-checksum-crc32c', crc]] });
    const forged = Buffer.from(wire);
    const at = wire.indexOf('x-amz-trailer-signature:') + 'x-amz-trailer-signature:'.length;
    forged[at] = forged[at] === 0x30 ? 0x31 : 0x30;
    assert.equal((await decode(forged, signedMode(true), headers)).error?.s3Code, 'SignatureDoesNotMatch');
    const otherValue = Buffer.from(wire.toString('latin1').replace(crc, 'AAAAAA=='), 'latin1');
    assert.equal((await decode(otherValue, signedMode(true), headers)).error?.s3Code, 'SignatureDoesNotMatch');
    const unsignedTrailerWire = encodeAwsChunked(payload, { chunkSize: 4096, signing, trailers: [['x-amz-checksum-crc32c', crc]] })
      .toString('latin1')
      .replace(/x-amz-trailer-signature:[0-9a-f]{64}\r\n/, '');
    assert.equal((await decode(Buffer.from(unsignedTrailerWire, 'latin1'), signedMode(true), headers)).error?.s3Code, 'SignatureDoesNotMatch');
  });

  it('decodes STREAMING-UNSIGNED-PAYLOAD-TRAILER with a crc32 trailer: good passes, bad is BadDigest', async () => {
    const payload = data(70_000);
    const crc = await checksumBase64('CRC32', payload);
    const headers = headersFor(payload.length, { 'x-amz-trailer': 'x-amz-checksum-crc32', 'x-amz-sdk-checksum-algorithm': 'CRC32' });
    for (const [value, error] of [
      [crc, undefined],
      [await checksumBase64('CRC32', data(70_000, 8)), 'BadDigest'],
      ['not base64!', 'InvalidRequest'],
    ] as const) {
      const wire = encodeAwsChunked(payload, { chunkSize: 65536, trailers: [['x-amz-checksum-crc32', value]] });
      const { stream, trailers } = decodeBody(bodyOf(wire, [3000]), unsignedTrailer, headers);
      const checked = checksumStream(stream, headers, trailers);
      const seen = await consume(checked.stream);
      assert.equal(seen.error?.s3Code, error, seen.error?.message);
      if (!error) {
        assert.ok(seen.data.equals(payload));
        assert.deepEqual((await checked.result).checksum, { algorithm: 'CRC32', value: crc });
      } else {
        assert.equal(seen.ended, false);
        assert.ok(seen.data.length < payload.length);
        await assert.rejects(checked.result);
      }
    }
  });

  it('accepts the SDK ending without trailers ("0\\r\\n" and EOF), and refuses a missing announced trailer', async () => {
    const payload = data(1000);
    const bare = encodeAwsChunked(payload, { chunkSize: 4096, finalCrlf: false });
    const ok = await decode(bare, unsignedTrailer, headersFor(1000));
    assert.equal(ok.error, undefined);
    assert.ok(ok.data.equals(payload));
    const headers = headersFor(1000, { 'x-amz-trailer': 'x-amz-checksum-crc32' });
    assert.equal((await decode(bare, unsignedTrailer, headers)).error?.s3Code, 'IncompleteBody');
    const terminated = encodeAwsChunked(payload, { chunkSize: 4096 });
    assert.equal((await decode(terminated, unsignedTrailer, headers)).error?.s3Code, 'InvalidRequest');
  });

  it('streams with backpressure instead of buffering the body', async () => {
    const payload = data(16 << 20);
    const wire = encodeAwsChunked(payload, { chunkSize: 1 << 20, signing });
    let pulled = 0;
    let offset = 0;
    const source = new Readable({
      read() {
        const piece = wire.subarray(offset, offset + 65536);
        offset += piece.length;
        pulled += piece.length;
        this.push(piece.length ? piece : null);
      },
    });
    const { stream } = decodeBody(source, signedMode(false), headersFor(payload.length));
    // Nobody reads the output: the decoder fills it and pushes back (pipe pauses the source) — or,
    // buffering instead, reads the source to its end.
    await eventually(() => (source.readableFlowing === false && stream.readableLength >= stream.readableHighWaterMark) || offset >= wire.length, 20_000, 'the decoder to push back');
    assert.ok(pulled < 2 << 20, `pulled ${pulled} bytes without a reader`);
    const seen = await consume(stream);
    assert.equal(seen.error, undefined);
    assert.equal(seen.data.length, payload.length);
    assert.ok(seen.data.equals(payload));
  });
});
