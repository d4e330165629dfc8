// Turns a request body into the object's bytes according to the payload mode verifyRequest found:
// as-is (UNSIGNED-PAYLOAD), checked against the signed sha256, or decoded from aws-chunked with its
// chunk signatures and trailers checked. Every failure surfaces as a stream error before the last
// piece of data (hold-back.ts), so a consumer that commits on a clean end never commits. The S3
// routes do this and the checksum checks in a single stage (body-verifier.ts, verifyBody); this is
// the same verifier configured for the payload part alone.
import type { Readable } from 'node:stream';
import type { HeaderBag } from './canonical-request.js';
import { BodyVerifier, payloadChecks } from './body-verifier.js';
import { feed } from './hold-back.js';
import type { PayloadMode } from './types.js';

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
  const verifier = new BodyVerifier({ ...payloadChecks(mode, headers), onTrailers: resolve });
  verifier.result.catch(reject);
  return { stream: feed(body, verifier), trailers };
}
