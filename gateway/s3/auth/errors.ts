// The errors the S3 auth layer raises. Each carries the S3 error code and HTTP status AWS answers
// with (S3 API Reference, "Error responses" › "List of error codes"), so the S3 dialect can render
// it as `<Error><Code>…</Code><Message>…</Message></Error>` without a second lookup. Codes and
// statuses mirror AWS; where AWS's choice is odd or undocumented the factory below says why.

export type S3AuthCode =
  | 'AccessDenied'
  | 'SignatureDoesNotMatch'
  | 'InvalidAccessKeyId'
  | 'RequestTimeTooSkewed'
  | 'AuthorizationHeaderMalformed'
  | 'AuthorizationQueryParametersError'
  | 'MissingSecurityHeader'
  | 'ExpiredToken'
  | 'InvalidArgument'
  | 'XAmzContentSHA256Mismatch'
  | 'InvalidRequest'
  | 'BadDigest'
  | 'InvalidDigest'
  | 'IncompleteBody';

export class S3AuthError extends Error {
  readonly s3Code: S3AuthCode;
  readonly status: number;
  /**
   * Extra elements AWS puts in the error body for this code (e.g. `StringToSign`, `CanonicalRequest`
   * and `SignatureProvided` for SignatureDoesNotMatch): they let a client author see why we disagree.
   * None of them is secret. The renderer may add them as child elements of `<Error>`.
   */
  details: Record<string, string> | undefined;

  constructor(s3Code: S3AuthCode, message: string, status: number, options?: { cause?: unknown; details?: Record<string, string> }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.s3Code = s3Code;
    this.status = status;
    this.details = options?.details;
    this.name = 'S3AuthError';
  }

  /** Same spelling as the rest of godfs' errors (`err.code`). */
  get code(): S3AuthCode {
    return this.s3Code;
  }
}

type Opts = { cause?: unknown; details?: Record<string, string> };

/** One factory per situation, so every call site gets AWS's code, status and wording. */
export const authErrors = {
  accessDenied: (message = 'Access Denied', o?: Opts) => new S3AuthError('AccessDenied', message, 403, o),
  signatureMismatch: (o?: Opts) =>
    new S3AuthError(
      'SignatureDoesNotMatch',
      'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
      403,
      o,
    ),
  invalidAccessKeyId: (accessKeyId: string) =>
    new S3AuthError('InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.', 403, {
      details: { AWSAccessKeyId: accessKeyId },
    }),
  tooSkewed: (requestTime: string, serverTime: string) =>
    new S3AuthError('RequestTimeTooSkewed', 'The difference between the request time and the current time is too large.', 403, {
      details: { RequestTime: requestTime, ServerTime: serverTime },
    }),
  headerMalformed: (message: string) => new S3AuthError('AuthorizationHeaderMalformed', message, 400),
  queryMalformed: (message: string) => new S3AuthError('AuthorizationQueryParametersError', message, 400),
  invalidArgument: (message: string) => new S3AuthError('InvalidArgument', message, 400),
  invalidRequest: (message: string, o?: Opts) => new S3AuthError('InvalidRequest', message, 400, o),
  /** AWS answers SigV2 and SigV4A requests this way (InvalidRequest, 400). */
  unsupportedMechanism: () =>
    new S3AuthError('InvalidRequest', 'The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256.', 400),
  contentSha256Mismatch: (computed: string, provided: string) =>
    new S3AuthError('XAmzContentSHA256Mismatch', "The provided 'x-amz-content-sha256' header does not match what was computed.", 400, {
      details: { ClientComputedContentSHA256: provided, S3ComputedContentSHA256: computed },
    }),
  /**
   * A body that does not match its x-amz-checksum-* or Content-MD5 value. AWS says BadDigest for
   * Content-MD5; for the flexible checksums it has answered both InvalidRequest ("Value for
   * x-amz-checksum-crc32 header is invalid.") and BadDigest over the years. We always say BadDigest
   * (400) and name the algorithm: SDKs treat both as a non-retryable client error, and BadDigest
   * tells the user what happened.
   */
  badDigest: (algorithm: string) =>
    new S3AuthError(
      'BadDigest',
      algorithm === 'Content-MD5'
        ? 'The Content-MD5 you specified did not match what we received.'
        : `The ${algorithm} you specified did not match the calculated checksum.`,
      400,
    ),
  /** A Content-MD5 that is not base64 of 16 bytes (AWS: InvalidDigest, 400). */
  invalidDigest: () => new S3AuthError('InvalidDigest', 'The Content-MD5 you specified was invalid.', 400),
  incompleteBody: (message = 'The request body terminated unexpectedly', o?: Opts) =>
    new S3AuthError('IncompleteBody', message, 400, o),
};
