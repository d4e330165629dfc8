// Turns a request body into the object's bytes according to the payload mode verifyRequest found:
// as-is (UNSIGNED-PAYLOAD), checked against the signed sha256, or decoded from aws-chunked with its
// chunk signatures and trailers checked. Every failure surfaces as a stream error before the last
// piece of data (hold-back.ts), so a consumer that commits on a clean end never commits.
import { createHash } from 'node:crypto';
import { finished, type Readable } from 'node:stream';
import { AwsChunkedDecoder } from './aws-chunked-decoder.js';
import { headerValue, type HeaderBag } from './canonical-request.js';
import { authErrors } from './errors.js';
import { feed, HoldBackTransform } from './hold-back.js';
import type { PayloadMode } from './types.js';

class PassVerifier extends HoldBackTransform {
  readonly #onEnd: () => void;
  constructor(onEnd: () => void) {
    super();
    this.#onEnd = onEnd;
  }
  protected consume(chunk: Buffer): void {
    this.forward(chunk);
  }
  protected finish(): void {
    this.#onEnd();
  }
}

/** x-amz-content-sha256 = <hex>: the body must hash to it (S3: XAmzContentSHA256Mismatch, 400). */
class Sha256Verifier extends HoldBackTransform {
  readonly #hash = createHash('sha256');
  readonly #expected: string;
  readonly #onEnd: () => void;
  constructor(expected: string, onEnd: () => void) {
    super();
    this.#expected = expected;
    this.#onEnd = onEnd;
  }
  protected consume(chunk: Buffer): void {
    this.#hash.update(chunk);
    this.forward(chunk);
  }
  protected finish(): void {
    const computed = this.#hash.digest('hex');
    if (computed !== this.#expected) throw authErrors.contentSha256Mismatch(computed, this.#expected);
    this.#onEnd();
  }
}

function decodedLengthOf(headers: HeaderBag): number | undefined {
  const v = headerValue(headers, 'x-amz-decoded-content-length')?.trim();
  if (v === undefined || v === '') return undefined;
  if (!/^\d{1,15}$/.test(v)) throw authErrors.invalidArgument('x-amz-decoded-content-length must be a non-negative integer.');
  return Number(v);
}

/**
 * Wraps the raw body according to the payload mode. Returns the decoded bytes and a promise of the
 * trailers (lower-case names; {} for modes without them), which settles before the stream's last
 * piece is released. Throws an S3AuthError synchronously for a malformed
 * x-amz-decoded-content-length; every other problem is an error on the returned stream:
 * XAmzContentSHA256Mismatch, SignatureDoesNotMatch (a chunk or the trailer), IncompleteBody
 * (truncated, or shorter than x-amz-decoded-content-length) or InvalidRequest (malformed framing).
 */
export function decodeBody(body: Readable, mode: PayloadMode, headers: HeaderBag): { stream: Readable; trailers: Promise<Record<string, string>> } {
  let resolve!: (t: Record<string, string>) => void;
  let reject!: (e: unknown) => void;
  const trailers = new Promise<Record<string, string>>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  trailers.catch(() => undefined); // the stream's error is the primary report; nobody has to await this
  const none = () => resolve({});

  let verifier: HoldBackTransform;
  switch (mode.kind) {
    case 'unsigned':
      verifier = new PassVerifier(none);
      break;
    case 'sha256':
      verifier = new Sha256Verifier(mode.expected, none);
      break;
    case 'streaming-signed':
    case 'streaming-unsigned-trailer': {
      const expectedTrailers = (headerValue(headers, 'x-amz-trailer') ?? '')
        .split(',')
        .map((s) => s.trim().toLowerCase())
        .filter((s) => s !== '');
      verifier = new AwsChunkedDecoder({
        signing: mode.kind === 'streaming-signed' ? mode : undefined,
        decodedLength: decodedLengthOf(headers),
        expectedTrailers,
        onTrailers: resolve,
      });
      break;
    }
  }
  finished(verifier, (err) => reject(err ?? new Error('body stream closed before its end')));
  return { stream: feed(body, verifier), trailers };
}
