// Everything a request body is checked against, in one Transform: the aws-chunked framing and its
// chunk/trailer signatures (aws-chunked-decoder.ts), the signed sha256 of a single-chunk payload,
// Content-MD5, and the flexible checksum (x-amz-checksum-*, from a header or a trailer). Each byte
// is looked at once, by one stream stage, however many of these apply — a small PUT pays for one
// stage, not one per check. Every failure is a stream error raised before the last piece of data
// and the end are passed on (hold-back.ts), so a consumer that commits on a clean end never commits.
// With no verdict pending (UNSIGNED-PAYLOAD, nothing to compare) nothing is held back.
import { createHash, type Hash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { AwsChunkedParser, type AwsChunkedOptions } from './aws-chunked-decoder.js';
import { headerValue, type HeaderBag } from './canonical-request.js';
import { checksumPlan, isCanonicalBase64, invalidChecksumValue, type ChecksumPlan } from './checksum-plan.js';
import { createHasher, digestLength, headerOfAlgorithm, type ChecksumAlgorithm, type Hasher } from './checksums.js';
import { authErrors } from './errors.js';
import { feed, HoldBackTransform } from './hold-back.js';
import type { PayloadMode } from './types.js';

export interface VerifiedResult {
  /** The body's MD5 (hex), when it was computed: for a Content-MD5 to compare, or when asked for. */
  md5Hex?: string;
  /** The flexible checksum the client supplied (or asked for with x-amz-sdk-checksum-algorithm), verified. */
  checksum?: { algorithm: ChecksumAlgorithm; value: string };
}

export interface BodyChecks {
  /** Strip aws-chunked framing (checking chunk signatures when signed). */
  chunked?: AwsChunkedOptions;
  /** x-amz-content-sha256 as lower-case hex: the payload must hash to it. */
  sha256?: string;
  /** Content-MD5 and the flexible checksum (checksumPlan). */
  plan?: ChecksumPlan;
  /** Compute the MD5 (reported as md5Hex) even without a Content-MD5 to compare it with. */
  md5Hex?: boolean;
  /** Trailers decoded by an earlier stage (when this one does no aws-chunked decoding itself). */
  trailers?: Promise<Record<string, string>>;
  /** Receives the trailers ({} without aws-chunked) once the framing and payload checks passed. */
  onTrailers?: (trailers: Record<string, string>) => void;
  /**
   * Runs once every check has passed, before the last piece and the end are released: what it
   * records (e.g. the checksum as an xattr of the write being fed) is in place before the consumer commits.
   */
  onVerified?: (result: VerifiedResult) => void;
}

function verdictPending(c: BodyChecks): boolean {
  const p = c.plan;
  return c.chunked !== undefined || c.sha256 !== undefined || p?.md5 !== undefined || (p?.algorithm !== undefined && (p.headerValue !== undefined || p.fromTrailer));
}

export class BodyVerifier extends HoldBackTransform {
  readonly #c: BodyChecks;
  readonly #parser: AwsChunkedParser | undefined;
  readonly #sha256: Hash | undefined;
  readonly #md5: Hash | undefined;
  readonly #hasher: Hasher | undefined;
  readonly #onBytes: ((bytes: Buffer) => void) | undefined;
  #resolve!: (r: VerifiedResult) => void;
  #reject!: (e: unknown) => void;
  #settled = false;
  /** Settles when the stream has: the digests once it verified, its error otherwise. Nobody has to await it. */
  readonly result: Promise<VerifiedResult>;

  constructor(c: BodyChecks) {
    super(verdictPending(c));
    this.#c = c;
    this.#parser = c.chunked ? new AwsChunkedParser(c.chunked) : undefined;
    this.#sha256 = c.sha256 !== undefined ? createHash('sha256') : undefined;
    this.#md5 = c.plan?.md5 !== undefined || c.md5Hex ? createHash('md5') : undefined;
    this.#hasher = c.plan?.algorithm ? createHasher(c.plan.algorithm) : undefined;
    this.#onBytes = this.#parser ? (bytes) => this.#bytes(bytes) : undefined;
    this.result = new Promise<VerifiedResult>((res, rej) => {
      this.#resolve = res;
      this.#reject = rej;
    });
    this.result.catch(() => undefined); // the stream's error is the primary report
  }

  protected consume(chunk: Buffer): void {
    if (this.#parser) this.#parser.consume(chunk, this.#onBytes!);
    else this.#bytes(chunk);
  }

  #bytes(bytes: Buffer): void {
    this.#sha256?.update(bytes);
    this.#md5?.update(bytes);
    this.#hasher?.update(bytes);
    this.forward(bytes);
  }

  /** The checks in the order a client most needs to hear about them: framing, payload signature, Content-MD5, checksum. */
  protected finish(): void | Promise<void> {
    const trailers = this.#parser ? this.#parser.finish() : {};
    if (this.#sha256) {
      const computed = this.#sha256.digest('hex');
      if (computed !== this.#c.sha256) throw authErrors.contentSha256Mismatch(computed, this.#c.sha256!);
    }
    this.#c.onTrailers?.(trailers);
    const result: VerifiedResult = {};
    if (this.#md5) {
      const md5 = this.#md5.digest();
      const expected = this.#c.plan?.md5;
      if (expected !== undefined && md5.toString('base64') !== expected) throw authErrors.badDigest('Content-MD5');
      result.md5Hex = md5.toString('hex');
    }
    if (!this.#hasher) return this.#done(result);
    return this.#checksum(result, this.#parser ? trailers : this.#c.trailers);
  }

  async #checksum(result: VerifiedResult, trailers: Record<string, string> | Promise<Record<string, string>> | undefined): Promise<void> {
    const plan = this.#c.plan!;
    const alg = plan.algorithm!;
    const computed = (await this.#hasher!.digest()).toString('base64');
    let expected = plan.headerValue;
    if (plan.fromTrailer) {
      expected = (await trailers)?.[headerOfAlgorithm(alg)];
      if (expected === undefined) throw authErrors.invalidRequest(`The trailing header ${headerOfAlgorithm(alg)} announced in x-amz-trailer was not sent.`);
      if (!isCanonicalBase64(expected, digestLength[alg])) throw invalidChecksumValue(alg);
    }
    if (expected !== undefined && expected !== computed) throw authErrors.badDigest(alg);
    result.checksum = { algorithm: alg, value: computed };
    this.#done(result);
  }

  #done(result: VerifiedResult): void {
    this.#c.onVerified?.(result);
    this.#settled = true;
    this.#resolve(result);
  }

  override _destroy(err: Error | null, cb: (error: Error | null) => void): void {
    // After a clean end the result is settled already (and an Error, with its stack, is not cheap).
    if (!this.#settled) {
      this.#settled = true;
      this.#reject(err ?? new Error('the body stream closed before its end'));
    }
    super._destroy(err, cb);
  }
}

function decodedLengthOf(headers: HeaderBag): number | undefined {
  const v = headerValue(headers, 'x-amz-decoded-content-length')?.trim();
  if (v === undefined || v === '') return undefined;
  if (!/^\d{1,15}$/.test(v)) throw authErrors.invalidArgument('x-amz-decoded-content-length must be a non-negative integer.');
  return Number(v);
}

/** What the payload mode asks of the body: aws-chunked decoding, a sha256 to match, or nothing. */
export function payloadChecks(mode: PayloadMode, headers: HeaderBag): Pick<BodyChecks, 'chunked' | 'sha256'> {
  switch (mode.kind) {
    case 'unsigned':
      return {};
    case 'sha256':
      return { sha256: mode.expected };
    case 'streaming-signed':
    case 'streaming-unsigned-trailer': {
      const expectedTrailers = (headerValue(headers, 'x-amz-trailer') ?? '')
        .split(',')
        .map((s) => s.trim().toLowerCase())
        .filter((s) => s !== '');
      return {
        chunked: {
          signing: mode.kind === 'streaming-signed' ? mode : undefined,
          decodedLength: decodedLengthOf(headers),
          expectedTrailers,
        },
      };
    }
  }
}

/**
 * The whole body check of an S3 request in one stage: decodes the payload as the signature's mode
 * says (decode-body.ts) and verifies Content-MD5 and the flexible checksum (checksum-stream.ts) on
 * the way. Throws an S3AuthError synchronously when the headers themselves are invalid, in the
 * order decodeBody-then-checksumStream would (a malformed x-amz-decoded-content-length, then
 * Content-MD5, then the checksum headers); every other problem is an error on the returned stream,
 * before its last piece. `onVerified` runs after every check passed and before the end is released.
 */
export function verifyBody(
  body: Readable,
  mode: PayloadMode,
  headers: HeaderBag,
  onVerified?: (result: VerifiedResult) => void,
): { stream: Readable; result: Promise<VerifiedResult> } {
  const checks: BodyChecks = payloadChecks(mode, headers);
  checks.plan = checksumPlan(headers);
  checks.onVerified = onVerified;
  const verifier = feed(body, new BodyVerifier(checks));
  return { stream: verifier, result: verifier.result };
}
