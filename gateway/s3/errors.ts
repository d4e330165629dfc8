// The S3 dialect's errors, in MinIO's three tiers: the sdk and the object service raise
// GodfsErrors (common/errors.ts); s3ErrorOf() turns one into an S3Error knowing what the request was
// about (a missing path is NoSuchKey for an object, NoSuchBucket for a bucket, NoSuchUpload for an
// upload); and this ONE table gives every S3 code its HTTP status and default message. Codes,
// statuses and wording follow the S3 API Reference ("Error responses" › "List of error codes").
// docs/s3-compatibility.md lists the same codes; errors.test.ts keeps the two in step.
import { GodfsError, errorTable as godfsErrorTable, type ErrorCode } from '../../common/errors.js';
import { RangeNotSatisfiableError } from '../service/http-conditions.js';

export const s3ErrorTable = {
  AccessDenied: { status: 403, message: 'Access Denied.' },
  AuthorizationHeaderMalformed: { status: 400, message: 'The authorization header is malformed.' },
  AuthorizationQueryParametersError: { status: 400, message: 'The presigned URL query parameters are malformed.' },
  BadDigest: { status: 400, message: 'The Content-MD5 or checksum value that you specified did not match what the server received.' },
  BucketAlreadyExists: { status: 409, message: 'The requested bucket name is not available. Select a different name and try again.' },
  BucketAlreadyOwnedByYou: { status: 409, message: 'Your previous request to create the named bucket succeeded and you already own it.' },
  BucketNotEmpty: { status: 409, message: 'The bucket you tried to delete is not empty.' },
  EntityTooLarge: { status: 400, message: 'Your proposed upload exceeds the maximum allowed object size.' },
  EntityTooSmall: { status: 400, message: 'Your proposed upload is smaller than the minimum allowed object size.' },
  ExpiredToken: { status: 400, message: 'The provided token has expired.' },
  IncompleteBody: { status: 400, message: 'You did not provide the number of bytes specified by the Content-Length HTTP header.' },
  InternalError: { status: 500, message: 'We encountered an internal error. Please try again.' },
  InvalidAccessKeyId: { status: 403, message: 'The AWS access key ID you provided does not exist in our records.' },
  InvalidArgument: { status: 400, message: 'Invalid argument.' },
  InvalidBucketName: { status: 400, message: 'The specified bucket is not valid.' },
  InvalidDigest: { status: 400, message: 'The Content-MD5 you specified is not valid.' },
  InvalidPart: {
    status: 400,
    message: "One or more of the specified parts could not be found. The part might not have been uploaded, or the specified entity tag might not have matched the part's entity tag.",
  },
  InvalidPartNumber: { status: 416, message: 'The requested partnumber is not satisfiable.' },
  InvalidPartOrder: { status: 400, message: 'The list of parts was not in ascending order. Parts must be ordered by part number.' },
  InvalidRange: { status: 416, message: 'The requested range is not satisfiable.' },
  InvalidRequest: { status: 400, message: 'Invalid request.' },
  InvalidURI: { status: 400, message: "Couldn't parse the specified URI." },
  KeyTooLongError: { status: 400, message: 'Your key is too long: keys are at most 1024 bytes of UTF-8.' },
  MalformedACLError: { status: 400, message: 'The XML you provided was not well-formed or did not validate against our published schema.' },
  MalformedXML: { status: 400, message: 'The XML you provided was not well-formed or did not validate against our published schema.' },
  MetadataTooLarge: { status: 400, message: 'Your metadata headers exceed the maximum allowed metadata size (2 KB).' },
  MethodNotAllowed: { status: 405, message: 'The specified method is not allowed against this resource.' },
  MissingSecurityHeader: { status: 400, message: 'Your request is missing a required header.' },
  NoSuchBucket: { status: 404, message: 'The specified bucket does not exist.' },
  NoSuchBucketPolicy: { status: 404, message: 'The bucket policy does not exist.' },
  NoSuchCORSConfiguration: { status: 404, message: 'The CORS configuration does not exist.' },
  NoSuchKey: { status: 404, message: 'The specified key does not exist.' },
  NoSuchLifecycleConfiguration: { status: 404, message: 'The lifecycle configuration does not exist.' },
  NoSuchTagSet: { status: 404, message: 'The TagSet does not exist.' },
  NoSuchUpload: {
    status: 404,
    message: 'The specified multipart upload does not exist. The upload ID might be invalid, or the multipart upload might have been aborted or completed.',
  },
  NoSuchVersion: { status: 404, message: 'The specified version does not exist (godfs buckets are unversioned: only the version "null" exists).' },
  NoSuchWebsiteConfiguration: { status: 404, message: 'The specified bucket does not have a website configuration.' },
  NotImplemented: { status: 501, message: 'A header or query you provided requested a function that is not implemented.' },
  ObjectLockConfigurationNotFoundError: { status: 404, message: 'Object Lock configuration does not exist for this bucket.' },
  OperationAborted: { status: 409, message: 'A conflicting conditional operation is currently in progress against this resource. Try again.' },
  PreconditionFailed: { status: 412, message: 'At least one of the preconditions you specified did not hold.' },
  RequestTimeTooSkewed: { status: 403, message: 'The difference between the request time and the current time is too large.' },
  ServerSideEncryptionConfigurationNotFoundError: { status: 404, message: 'The server side encryption configuration was not found.' },
  ServiceUnavailable: { status: 503, message: 'The service is unavailable. Please retry.' },
  SignatureDoesNotMatch: { status: 403, message: 'The request signature we calculated does not match the signature you provided. Check your key and signing method.' },
  SlowDown: { status: 503, message: 'Please reduce your request rate.' },
  XAmzContentSHA256Mismatch: { status: 400, message: "The provided 'x-amz-content-sha256' header does not match what was computed." },
  // godfs-only codes (MinIO's file-system modes answer the same situations with XMinio* codes).
  XGodfsInvalidObjectName: { status: 400, message: 'The key cannot be stored as a godfs path: a key may not start with "/" or contain "//", "." or ".." segments, NUL bytes, or segments over 255 bytes.' },
  XGodfsObjectExistsAsDirectory: { status: 409, message: 'The key names a directory that holds other keys ("<key>/..."); a key cannot be both an object and a prefix of other objects.' },
  XGodfsParentIsObject: { status: 409, message: 'A prefix of the key (up to one of its "/") is already an object; a key cannot be both an object and a prefix of other objects.' },
  XGodfsStorageFull: { status: 507, message: 'No chunkserver has room for the data.' },
} as const satisfies Record<string, { status: number; message: string }>;

export type S3Code = keyof typeof s3ErrorTable;

export function isS3Code(code: unknown): code is S3Code {
  return typeof code === 'string' && Object.prototype.hasOwnProperty.call(s3ErrorTable, code);
}

export class S3Error extends Error {
  readonly code: S3Code;
  readonly status: number;
  /** Extra child elements of <Error> (e.g. AWS's StringToSign on SignatureDoesNotMatch). */
  readonly details: Record<string, string> | undefined;
  /** Extra response headers (e.g. Content-Range on a 416). */
  readonly headers: Record<string, string> | undefined;
  constructor(code: S3Code, message?: string, o: { cause?: unknown; details?: Record<string, string>; headers?: Record<string, string>; status?: number } = {}) {
    super(message ?? s3ErrorTable[code].message, o.cause === undefined ? undefined : { cause: o.cause });
    this.code = code;
    this.status = o.status ?? s3ErrorTable[code].status;
    this.details = o.details;
    this.headers = o.headers;
    this.name = 'S3Error';
  }
}

/** What a request was about, which decides what a godfs `not_found` (and friends) means in S3 terms. */
export type ErrorSubject = 'service' | 'bucket' | 'object-read' | 'object-write' | 'upload';

/** Default translation of each godfs code; the subject-dependent ones are decided in s3ErrorOf. */
const fromGodfs: Record<ErrorCode, S3Code> = {
  invalid_argument: 'InvalidArgument',
  invalid_path: 'XGodfsInvalidObjectName',
  unauthenticated: 'AccessDenied',
  permission_denied: 'AccessDenied',
  not_found: 'NoSuchKey',
  not_a_directory: 'XGodfsParentIsObject',
  is_a_directory: 'XGodfsObjectExistsAsDirectory',
  already_exists: 'PreconditionFailed',
  not_empty: 'BucketNotEmpty',
  conflict: 'OperationAborted',
  precondition_failed: 'PreconditionFailed',
  too_large: 'EntityTooLarge',
  invalid_range: 'InvalidRange',
  rate_limited: 'SlowDown',
  internal: 'InternalError',
  not_implemented: 'NotImplemented',
  unavailable: 'ServiceUnavailable',
  not_leader: 'ServiceUnavailable',
  checksum_mismatch: 'InternalError',
  no_space: 'XGodfsStorageFull',
};

/** Duck-typed so this module does not depend on the auth module's class identity. */
function authErrorParts(err: unknown): { code: string; status: number; message: string; details?: Record<string, string> } | undefined {
  const e = err as { name?: unknown; s3Code?: unknown; status?: unknown; message?: unknown; details?: unknown } | null;
  if (e && typeof e.s3Code === 'string' && typeof e.status === 'number') {
    return { code: e.s3Code, status: e.status, message: String(e.message ?? ''), details: (e.details ?? undefined) as Record<string, string> | undefined };
  }
  return undefined;
}

/**
 * Any error → an S3Error. GodfsErrors are translated by code and subject; errors of the auth layer
 * (S3AuthError) keep their code and status; anything else is an InternalError (a bug, logged by the
 * caller) whose message never reaches the client.
 */
export function s3ErrorOf(err: unknown, subject: ErrorSubject): S3Error {
  if (err instanceof S3Error) return err;
  const auth = authErrorParts(err);
  if (auth) {
    const code = isS3Code(auth.code) ? auth.code : 'InvalidRequest';
    return new S3Error(code, auth.message || undefined, { status: auth.status, details: auth.details, cause: err });
  }
  if (!(err instanceof GodfsError)) {
    const status = (err as { statusCode?: unknown } | null)?.statusCode;
    // fastify's own errors (bad URL, body too large) carry a 4xx statusCode.
    if (typeof status === 'number' && status >= 400 && status < 500) return new S3Error('InvalidRequest', (err as Error).message, { cause: err });
    return new S3Error('InternalError', undefined, { cause: err });
  }
  if (err instanceof RangeNotSatisfiableError) return new S3Error('InvalidRange', err.message, { headers: { 'content-range': `bytes */${err.size}` }, cause: err });
  const message = err.code === 'internal' ? undefined : err.message || godfsErrorTable[err.code].message;
  switch (err.code) {
    case 'not_found':
      if (subject === 'bucket' || subject === 'service') return new S3Error('NoSuchBucket', undefined, { cause: err });
      if (subject === 'upload') return new S3Error('NoSuchUpload', undefined, { cause: err });
      return new S3Error('NoSuchKey', undefined, { cause: err });
    case 'not_a_directory':
    case 'is_a_directory':
      // On a read, a key that runs through a file or names a directory simply does not exist.
      if (subject === 'object-read') return new S3Error('NoSuchKey', undefined, { cause: err });
      if (subject === 'bucket') return new S3Error('NoSuchBucket', undefined, { cause: err });
      return new S3Error(fromGodfs[err.code], undefined, { cause: err });
    case 'already_exists':
      if (subject === 'bucket') return new S3Error('BucketAlreadyOwnedByYou', undefined, { cause: err });
      return new S3Error('PreconditionFailed', message, { cause: err });
    case 'not_empty':
      return new S3Error(subject === 'bucket' ? 'BucketNotEmpty' : 'OperationAborted', message, { cause: err });
    case 'invalid_path':
      return new S3Error('XGodfsInvalidObjectName', `${s3ErrorTable.XGodfsInvalidObjectName.message} (${err.message})`, { cause: err });
    case 'checksum_mismatch':
      return new S3Error('InternalError', err.message, { cause: err });
    default:
      return new S3Error(fromGodfs[err.code], message, { cause: err });
  }
}
