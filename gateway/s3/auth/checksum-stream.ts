// Flexible checksums and Content-MD5 on upload (S3 User Guide, "Checking object integrity";
// RFC 1864 for Content-MD5). The client states at most one x-amz-checksum-<alg> value, either as a
// header or, announced by x-amz-trailer, as a trailing header of an aws-chunked body; we compute it
// (and always the MD5, which is the object's ETag) while the bytes pass, and fail the stream before
// its last piece when a value does not match (hold-back.ts), so a mismatching upload stores nothing.
import { createHash } from 'node:crypto';
import { finished, type Readable } from 'node:stream';
import { headerValue, type HeaderBag } from './canonical-request.js';
import { algorithmOfHeader, createHasher, digestLength, headerOfAlgorithm, type ChecksumAlgorithm, type Hasher } from './checksums.js';
import { authErrors } from './errors.js';
import { feed, HoldBackTransform } from './hold-back.js';

export interface ChecksumResult {
  md5Hex: string;
  /** The flexible checksum the client supplied (or asked for with x-amz-sdk-checksum-algorithm), verified. */
  checksum?: { algorithm: ChecksumAlgorithm; value: string };
}

interface Plan {
  md5?: string;
  algorithm?: ChecksumAlgorithm;
  /** The expected value from a header; undefined when it comes in the trailer or is not given. */
  headerValue?: string;
  fromTrailer: boolean;
}

/** Base64 of exactly `length` bytes, in canonical form (so a string comparison is a byte comparison). */
function isCanonicalBase64(value: string, length: number): boolean {
  const bytes = Buffer.from(value, 'base64');
  return bytes.length === length && bytes.toString('base64') === value;
}

function invalidValue(alg: ChecksumAlgorithm) {
  return authErrors.invalidRequest(`Value for ${headerOfAlgorithm(alg)} header is invalid.`);
}

/** Reads what the headers promise. Throws S3AuthError (400) for contradictory or malformed values. */
export function checksumPlan(headers: HeaderBag): Plan {
  const plan: Plan = { fromTrailer: false };
  const md5 = headerValue(headers, 'content-md5')?.trim();
  if (md5 !== undefined) {
    if (!isCanonicalBase64(md5, 16)) throw authErrors.invalidDigest();
    plan.md5 = md5;
  }
  const inHeaders = Object.keys(headers).filter((h) => headers[h] !== undefined && algorithmOfHeader(h) !== undefined);
  const trailer = (headerValue(headers, 'x-amz-trailer') ?? '')
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter((s) => algorithmOfHeader(s) !== undefined);
  if (inHeaders.length + trailer.length > 1) {
    throw authErrors.invalidRequest('Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.');
  }
  if (inHeaders.length === 1) {
    const alg = algorithmOfHeader(inHeaders[0]!)!;
    const value = headerValue(headers, inHeaders[0]!)!.trim();
    if (!isCanonicalBase64(value, digestLength[alg])) throw invalidValue(alg);
    Object.assign(plan, { algorithm: alg, headerValue: value });
  } else if (trailer.length === 1) {
    Object.assign(plan, { algorithm: algorithmOfHeader(trailer[0]!)!, fromTrailer: true });
  }
  const sdkAlg = headerValue(headers, 'x-amz-sdk-checksum-algorithm')?.trim().toUpperCase();
  if (sdkAlg !== undefined && sdkAlg !== '') {
    const named = algorithmOfHeader(`x-amz-checksum-${sdkAlg.toLowerCase()}`);
    if (!named || (plan.algorithm !== undefined && plan.algorithm !== named)) {
      throw authErrors.invalidRequest('Value for x-amz-sdk-checksum-algorithm header is invalid.');
    }
    // Named but no value sent: compute it anyway so it can be stored (AWS would refuse; nothing is lost by being lenient).
    plan.algorithm = named;
  }
  return plan;
}

class ChecksumVerifier extends HoldBackTransform {
  readonly #md5 = createHash('md5');
  readonly #hasher: Hasher | undefined;
  readonly #plan: Plan;
  readonly #trailers: Promise<Record<string, string>>;
  readonly #done: (r: ChecksumResult) => void;

  constructor(plan: Plan, trailers: Promise<Record<string, string>>, done: (r: ChecksumResult) => void) {
    super();
    this.#plan = plan;
    this.#trailers = trailers;
    this.#done = done;
    this.#hasher = plan.algorithm ? createHasher(plan.algorithm) : undefined;
  }

  protected consume(chunk: Buffer): void {
    this.#md5.update(chunk);
    this.#hasher?.update(chunk);
    this.forward(chunk);
  }

  protected async finish(): Promise<void> {
    const md5 = this.#md5.digest();
    if (this.#plan.md5 !== undefined && md5.toString('base64') !== this.#plan.md5) throw authErrors.badDigest('Content-MD5');
    const result: ChecksumResult = { md5Hex: md5.toString('hex') };
    const alg = this.#plan.algorithm;
    if (alg) {
      const computed = (await this.#hasher!.digest()).toString('base64');
      let expected = this.#plan.headerValue;
      if (this.#plan.fromTrailer) {
        expected = (await this.#trailers)[headerOfAlgorithm(alg)];
        if (expected === undefined) throw authErrors.invalidRequest(`The trailing header ${headerOfAlgorithm(alg)} announced in x-amz-trailer was not sent.`);
        if (!isCanonicalBase64(expected, digestLength[alg])) throw invalidValue(alg);
      }
      if (expected !== undefined && expected !== computed) throw authErrors.badDigest(alg);
      result.checksum = { algorithm: alg, value: computed };
    }
    this.#done(result);
  }
}

/**
 * Verifies the body against x-amz-checksum-* (from headers, or from the trailers for the trailer
 * modes) and Content-MD5. Returns a pass-through Readable that errors before emitting its last
 * bytes when a checksum does not match, and a promise of the computed checksums. Throws an
 * S3AuthError synchronously when the headers themselves are invalid (InvalidDigest for a malformed
 * Content-MD5; InvalidRequest for a malformed value or more than one checksum).
 */
export function checksumStream(
  stream: Readable,
  headers: HeaderBag,
  trailers: Promise<Record<string, string>>,
): { stream: Readable; result: Promise<ChecksumResult> } {
  const plan = checksumPlan(headers);
  let resolve!: (r: ChecksumResult) => void;
  let reject!: (e: unknown) => void;
  const result = new Promise<ChecksumResult>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  result.catch(() => undefined); // the stream's error is the primary report; nobody has to await this
  const verifier = feed(stream, new ChecksumVerifier(plan, trailers, resolve));
  finished(verifier, (err) => reject(err ?? new Error('checksum stream closed before its end')));
  return { stream: verifier, result };
}
