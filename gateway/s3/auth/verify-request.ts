// SigV4 request verification: recompute the signature the way the client computed it and compare.
// S3 API Reference, "Authenticating Requests (AWS Signature Version 4)":
//   - header form: "Signature Calculations for the Authorization Header: Transferring Payload in a
//     Single Chunk" (+ the chunked variants, whose seed signature is checked here and whose chunks
//     are checked by aws-chunked-decoder.ts);
//   - query form: "Authenticating Requests: Using Query Parameters (presigned URLs)".
import { formatAmzDate, parseAmzDate, parseHttpDate } from './amz-date.js';
import { canonicalQuery, canonicalUri, parseQuery } from './uri-encode.js';
import { canonicalRequest, headerValue, stringToSign } from './canonical-request.js';
import { authErrors } from './errors.js';
import { hasQueryAuth, parseAuthorizationHeader, parseQueryAuth, type SigV4Params } from './parse-auth.js';
import { payloadModeOf, STREAMING_UNSIGNED_TRAILER, UNSIGNED_PAYLOAD } from './payload-mode.js';
import { cachedSigningKey, signaturesEqual, signHex } from './signing-key.js';
import type { AuthRequest, AuthResult, KeyLookup, PayloadMode, S3Credentials, VerifyOptions } from './types.js';

export const DEFAULT_MAX_SKEW_MS = 15 * 60 * 1000; // AWS: "within 15 minutes of the AWS system time"

/**
 * Verifies header (Authorization: AWS4-HMAC-SHA256 …) or query (X-Amz-Algorithm=…) SigV4. Throws
 * S3AuthError. Returns undefined when the request carries no credentials at all (anonymous).
 * The order of checks follows what a client most needs to hear: malformed → unknown key → time →
 * signature, so a wrong clock is reported as such and not as a signature mismatch.
 */
export async function verifyRequest(req: AuthRequest, lookup: KeyLookup, opts: VerifyOptions = {}): Promise<AuthResult | undefined> {
  const authorization = headerValue(req.headers, 'authorization');
  const pairs = parseQuery(req.rawQuery);
  const queryAuth = hasQueryAuth(pairs);
  const headerAuth = authorization !== undefined && authorization !== '';
  if (!queryAuth && !headerAuth) return undefined;
  if (queryAuth && headerAuth) {
    throw authErrors.invalidArgument(
      'Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query string parameter or the Authorization header should be specified',
    );
  }
  return headerAuth ? verifyHeaderAuth(req, authorization!, lookup, opts) : verifyQueryAuth(req, pairs, lookup, opts);
}

async function verifyHeaderAuth(req: AuthRequest, authorization: string, lookup: KeyLookup, opts: VerifyOptions): Promise<AuthResult> {
  const p = parseAuthorizationHeader(authorization);
  // S3 requires x-amz-content-sha256 on every header-signed request; its value is the payload hash.
  const contentSha256 = headerValue(req.headers, 'x-amz-content-sha256')?.trim();
  if (contentSha256 === undefined) throw authErrors.invalidRequest('Missing required header for this request: x-amz-content-sha256');

  // x-amz-date takes precedence over Date; the string to sign carries it in ISO 8601 basic form.
  const amzDate = headerValue(req.headers, 'x-amz-date')?.trim();
  let when: Date | undefined;
  let datetime = '';
  if (amzDate !== undefined) {
    when = parseAmzDate(amzDate);
    datetime = amzDate;
  } else {
    const date = headerValue(req.headers, 'date');
    when = date === undefined ? undefined : parseHttpDate(date);
    if (when) datetime = formatAmzDate(when);
  }
  if (!when) throw authErrors.accessDenied('AWS authentication requires a valid Date or x-amz-date header');
  if (datetime.slice(0, 8) !== p.shortDate) {
    throw authErrors.headerMalformed(`Invalid credential date "${p.shortDate}". Date is not the same as X-Amz-Date: "${datetime.slice(0, 8)}".`);
  }

  const credentials = await lookupKey(lookup, p.accessKeyId);
  checkSkew(when, datetime, opts);

  const signingKey = cachedSigningKey(credentials.accessKeyId, credentials.secretKey, p.shortDate, p.region, 's3');
  const payload = payloadModeOf(contentSha256, { seedSignature: p.signature, signingKey, scope: p.scope, datetime });
  checkSignature(req, p, signingKey, datetime, contentSha256, undefined);
  return { credentials, payload, region: p.region, presigned: false, anonymous: false };
}

async function verifyQueryAuth(req: AuthRequest, pairs: Array<[string, string]>, lookup: KeyLookup, opts: VerifyOptions): Promise<AuthResult> {
  const p = parseQueryAuth(pairs, opts.maxPresignSeconds);
  const datetime = p.datetime!;
  const when = parseAmzDate(datetime);
  if (!when) throw authErrors.queryMalformed(`X-Amz-Date must be in the ISO8601 Long Format "yyyyMMdd'T'HHmmss'Z'"`);
  if (datetime.slice(0, 8) !== p.shortDate) {
    throw authErrors.queryMalformed(`Invalid credential date "${p.shortDate}". Date is not the same as X-Amz-Date: "${datetime.slice(0, 8)}".`);
  }
  const credentials = await lookupKey(lookup, p.accessKeyId);

  const now = (opts.now ?? new Date()).getTime();
  const maxSkew = opts.maxSkewMs ?? DEFAULT_MAX_SKEW_MS;
  if (now < when.getTime() - maxSkew) throw authErrors.accessDenied('Request is not valid yet');
  if (now > when.getTime() + p.expires! * 1000) {
    throw authErrors.accessDenied('Request has expired', {
      details: { 'X-Amz-Expires': String(p.expires), Expires: new Date(when.getTime() + p.expires! * 1000).toISOString(), ServerTime: new Date(now).toISOString() },
    });
  }
  checkUnsignedAmzHeaders(req, p.signedHeaders);

  // Presigned URLs sign UNSIGNED-PAYLOAD unless the URL itself names a payload hash (the v3 presigner
  // hoists x-amz-content-sha256 into the query; S3 uses it as the hashed payload). Smithy hoists the
  // header under the caller's spelling, so the name is matched without regard to case.
  const querySha = pairs.find(([k]) => k.toLowerCase() === 'x-amz-content-sha256')?.[1];
  const payloadHash = querySha ?? UNSIGNED_PAYLOAD;
  const signingKey = cachedSigningKey(credentials.accessKeyId, credentials.secretKey, p.shortDate, p.region, 's3');
  checkSignature(req, p, signingKey, datetime, payloadHash, 'X-Amz-Signature');
  return { credentials, payload: presignedPayloadMode(querySha, headerValue(req.headers, 'x-amz-content-sha256')?.trim()), region: p.region, presigned: true, anonymous: false };
}

async function lookupKey(lookup: KeyLookup, accessKeyId: string): Promise<S3Credentials> {
  const credentials = await lookup(accessKeyId);
  if (!credentials) throw authErrors.invalidAccessKeyId(accessKeyId);
  return credentials;
}

function checkSkew(when: Date, datetime: string, opts: VerifyOptions): void {
  const now = opts.now ?? new Date();
  if (Math.abs(now.getTime() - when.getTime()) > (opts.maxSkewMs ?? DEFAULT_MAX_SKEW_MS)) {
    throw authErrors.tooSkewed(datetime, formatAmzDate(now));
  }
}

function checkSignature(req: AuthRequest, p: SigV4Params, signingKey: Buffer, datetime: string, payloadHash: string, exclude: string | undefined): void {
  const canonical = canonicalRequest({
    method: req.method.toUpperCase(),
    canonicalUri: canonicalUri(req.rawPath),
    canonicalQuery: canonicalQuery(req.rawQuery, exclude),
    headers: req.headers,
    signedHeaders: p.signedHeaders,
    payloadHash,
  });
  const sts = stringToSign(datetime, p.scope, canonical);
  if (!signaturesEqual(signHex(signingKey, sts), p.signature)) {
    throw authErrors.signatureMismatch({
      details: { AWSAccessKeyId: p.accessKeyId, StringToSign: sts, SignatureProvided: p.signature, CanonicalRequest: canonical },
    });
  }
}

// x-amz-* headers that only make an upload stricter (integrity checks the body must pass) or
// describe its framing. Anyone holding the URL may add them without widening what it grants.
const UNSIGNED_AMZ_OK = /^x-amz-(content-sha256|checksum-.*|sdk-checksum-algorithm|trailer|decoded-content-length)$/;

/**
 * A presigned URL grants exactly what its signer signed. An x-amz-* header that changes what the
 * request does (x-amz-meta-*, x-amz-copy-source, x-amz-acl…) must be among the signed headers, or
 * whoever holds the URL could add it; AWS refuses with AccessDenied "There were headers present in
 * the request which were not signed". (Header-signed requests come from the key's owner, and every
 * SDK signs all the headers it sends, so the check is not needed there.)
 */
function checkUnsignedAmzHeaders(req: AuthRequest, signedHeaders: string[]): void {
  const unsigned = Object.keys(req.headers).filter(
    (h) => h.startsWith('x-amz-') && req.headers[h] !== undefined && !signedHeaders.includes(h) && !UNSIGNED_AMZ_OK.test(h),
  );
  if (unsigned.length > 0) {
    throw authErrors.accessDenied('There were headers present in the request which were not signed', { details: { HeadersNotSigned: unsigned.join(', ') } });
  }
}

function presignedPayloadMode(querySha: string | undefined, headerSha: string | undefined): PayloadMode {
  if (querySha !== undefined && /^[0-9a-fA-F]{64}$/.test(querySha)) return { kind: 'sha256', expected: querySha.toLowerCase() };
  if (headerSha === undefined || headerSha === UNSIGNED_PAYLOAD) return { kind: 'unsigned' };
  // The body's framing follows the header even when the URL signed UNSIGNED-PAYLOAD.
  if (headerSha === STREAMING_UNSIGNED_TRAILER) return { kind: 'streaming-unsigned-trailer' };
  if (/^[0-9a-fA-F]{64}$/.test(headerSha)) return { kind: 'sha256', expected: headerSha.toLowerCase() };
  throw authErrors.invalidRequest('A presigned URL cannot carry a signed streaming payload; use UNSIGNED-PAYLOAD.');
}
