// Presigned URL minting for `godfs presign` and the /v1/presign route (S3 API Reference,
// "Authenticating Requests: Using Query Parameters"). Built from the very pieces the verifier uses
// (uri-encode.ts, canonical-request.ts, signing-key.ts) so that what we mint is what we accept; the
// tests hold the result equal to @smithy/signature-v4's presign for the same inputs.
import { formatAmzDate } from './amz-date.js';
import { canonicalRequest, stringToSign } from './canonical-request.js';
import { MAX_PRESIGN_SECONDS } from './parse-auth.js';
import { UNSIGNED_PAYLOAD } from './payload-mode.js';
import { deriveSigningKey, signHex } from './signing-key.js';
import { canonicalQuery, canonicalUri, uriEncode } from './uri-encode.js';

export interface PresignOptions {
  method: 'GET' | 'PUT' | 'HEAD';
  /** http://host:port (a path prefix is kept). */
  endpoint: string;
  bucket: string;
  key: string;
  accessKeyId: string;
  secretKey: string;
  /** Default us-east-1. */
  region?: string;
  /** Seconds, 1..604800. */
  expiresIn: number;
  now?: Date;
}

/** Path-style URL with X-Amz-* query authentication; only `host` is signed, the payload is UNSIGNED-PAYLOAD. */
export function presignUrl(o: PresignOptions): string {
  if (!Number.isInteger(o.expiresIn) || o.expiresIn < 1 || o.expiresIn > MAX_PRESIGN_SECONDS) {
    throw new RangeError(`expiresIn must be a whole number of seconds from 1 to ${MAX_PRESIGN_SECONDS} (7 days)`);
  }
  if (o.bucket === '') throw new RangeError('bucket must not be empty');
  const url = new URL(o.endpoint);
  const region = o.region ?? 'us-east-1';
  const datetime = formatAmzDate(o.now ?? new Date());
  const shortDate = datetime.slice(0, 8);
  const scope = `${shortDate}/${region}/s3/aws4_request`;
  // The key's '/' stay separators; every other reserved byte is escaped, as the SDKs do for S3 keys.
  const path = `${url.pathname.replace(/\/+$/, '')}/${uriEncode(o.bucket)}/${o.key.split('/').map(uriEncode).join('/')}`;
  const params: Array<[string, string]> = [
    ['X-Amz-Algorithm', 'AWS4-HMAC-SHA256'],
    ['X-Amz-Content-Sha256', UNSIGNED_PAYLOAD],
    ['X-Amz-Credential', `${o.accessKeyId}/${scope}`],
    ['X-Amz-Date', datetime],
    ['X-Amz-Expires', String(o.expiresIn)],
    ['X-Amz-SignedHeaders', 'host'],
  ];
  const query = canonicalQuery(params.map(([k, v]) => `${uriEncode(k)}=${uriEncode(v)}`).join('&'));
  const canonical = canonicalRequest({
    method: o.method,
    canonicalUri: canonicalUri(path),
    canonicalQuery: query,
    headers: { host: url.host },
    signedHeaders: ['host'],
    payloadHash: UNSIGNED_PAYLOAD,
  });
  const signature = signHex(deriveSigningKey(o.secretKey, shortDate, region, 's3'), stringToSign(datetime, scope, canonical));
  return `${url.protocol}//${url.host}${path}?${query}&X-Amz-Signature=${signature}`;
}
