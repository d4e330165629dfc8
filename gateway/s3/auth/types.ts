// The shapes the S3 auth layer shares with the S3 handlers (re-exported from index.ts).

export interface S3Credentials {
  accessKeyId: string;
  secretKey: string;
  /** Buckets the key may use; [] = all. Enforcing this is the handler's job. */
  buckets: string[];
  readOnly: boolean;
}

export type KeyLookup = (accessKeyId: string) => Promise<S3Credentials | undefined>;

export interface AuthRequest {
  method: string;
  /** Raw path as received, still percent-encoded, no query. */
  rawPath: string;
  /** Raw query string without '?' (may be ''). */
  rawQuery: string;
  /** Lower-case names as node gives them. */
  headers: Record<string, string | string[] | undefined>;
}

export type PayloadMode =
  /** UNSIGNED-PAYLOAD (and presigned URLs). */
  | { kind: 'unsigned' }
  /** Hex sha256 the body must match. */
  | { kind: 'sha256'; expected: string }
  /** STREAMING-AWS4-HMAC-SHA256-PAYLOAD[-TRAILER]: aws-chunked with a signature chain seeded by the request's. */
  | { kind: 'streaming-signed'; seedSignature: string; signingKey: Buffer; scope: string; datetime: string; trailer: boolean }
  /** STREAMING-UNSIGNED-PAYLOAD-TRAILER: aws-chunked, no chunk signatures, checksum in a trailer. */
  | { kind: 'streaming-unsigned-trailer' };

export interface AuthResult {
  credentials: S3Credentials;
  payload: PayloadMode;
  /** The region of the credential scope (any name is accepted). */
  region: string;
  presigned: boolean;
  anonymous: false;
}

export interface VerifyOptions {
  now?: Date;
  /** Allowed clock difference; 15 minutes like AWS. */
  maxSkewMs?: number;
  /** Longest X-Amz-Expires accepted; 7 days like AWS. */
  maxPresignSeconds?: number;
}
