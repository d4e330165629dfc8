// Flexible checksums and Content-MD5 on upload (S3 User Guide, "Checking object integrity";
// RFC 1864 for Content-MD5) as a stage of its own, after decodeBody: we compute the stated checksum
// (and always the MD5) while the bytes pass, and fail the stream before its last piece when a value
// does not match (hold-back.ts), so a mismatching upload stores nothing. The S3 routes do this and
// decodeBody's work in a single stage (body-verifier.ts, verifyBody); this is the same verifier
// configured for the checksum part alone.
import type { Readable } from 'node:stream';
import type { HeaderBag } from './canonical-request.js';
import { BodyVerifier } from './body-verifier.js';
import { checksumPlan } from './checksum-plan.js';
import type { ChecksumAlgorithm } from './checksums.js';
import { feed } from './hold-back.js';

export { checksumPlan } from './checksum-plan.js';

export interface ChecksumResult {
  md5Hex: string;
  /** The flexible checksum the client supplied (or asked for with x-amz-sdk-checksum-algorithm), verified. */
  checksum?: { algorithm: ChecksumAlgorithm; value: string };
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
  const verifier = feed(stream, new BodyVerifier({ plan: checksumPlan(headers), md5Hex: true, trailers }));
  return { stream: verifier, result: verifier.result as Promise<ChecksumResult> };
}
