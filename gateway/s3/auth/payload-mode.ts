// What x-amz-content-sha256 says about the body (S3 API Reference, "Authenticating Requests: Using
// the Authorization Header" › the table of x-amz-content-sha256 values). Its value is also the last
// line of the canonical request, so whatever it says is covered by the signature.
import { authErrors } from './errors.js';
import type { PayloadMode } from './types.js';

export const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';
export const STREAMING_SIGNED = 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD';
export const STREAMING_SIGNED_TRAILER = 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER';
export const STREAMING_UNSIGNED_TRAILER = 'STREAMING-UNSIGNED-PAYLOAD-TRAILER';
const STREAMING_ECDSA = /^STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD(-TRAILER)?$/;

export interface SigningContext {
  seedSignature: string;
  signingKey: Buffer;
  scope: string;
  datetime: string;
}

/** The payload mode for a header-signed request; `ctx` seeds the chunk-signature chain. */
export function payloadModeOf(contentSha256: string, ctx: SigningContext): PayloadMode {
  if (contentSha256 === UNSIGNED_PAYLOAD) return { kind: 'unsigned' };
  if (/^[0-9a-fA-F]{64}$/.test(contentSha256)) return { kind: 'sha256', expected: contentSha256.toLowerCase() };
  if (contentSha256 === STREAMING_SIGNED) return { kind: 'streaming-signed', ...ctx, trailer: false };
  if (contentSha256 === STREAMING_SIGNED_TRAILER) return { kind: 'streaming-signed', ...ctx, trailer: true };
  if (contentSha256 === STREAMING_UNSIGNED_TRAILER) return { kind: 'streaming-unsigned-trailer' };
  // SigV4A streaming needs ECDSA chunk signatures, which we do not verify; refuse rather than ignore them.
  if (STREAMING_ECDSA.test(contentSha256)) throw authErrors.unsupportedMechanism();
  throw authErrors.invalidArgument(
    'x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-UNSIGNED-PAYLOAD-TRAILER, STREAMING-AWS4-HMAC-SHA256-PAYLOAD, STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER or a valid sha256 value.',
  );
}
