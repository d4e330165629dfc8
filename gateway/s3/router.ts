// Parses an S3 request into a typed Endpoint (Garage's api/s3/router.rs is the model).
// S3 dispatches on method, on whether there is a bucket and a key, on sub-resource query parameters
// (?uploads, ?uploadId, ?delete, ?list-type=2, ?acl…) and on one header (x-amz-copy-source) — not on
// the path alone, so a fastify route table cannot express it. Parsing is pure: no I/O, no auth.
import { S3Error, type S3Code } from './errors.js';

export type Access = 'read' | 'write';

interface Obj {
  bucket: string;
  key: string;
}

export type Endpoint =
  | { kind: 'ListBuckets' }
  | ({ kind: 'CreateBucket' } & Pick<Obj, 'bucket'>)
  | ({ kind: 'HeadBucket' } & Pick<Obj, 'bucket'>)
  | ({ kind: 'DeleteBucket' } & Pick<Obj, 'bucket'>)
  | ({ kind: 'GetBucketLocation' } & Pick<Obj, 'bucket'>)
  | ({ kind: 'GetBucketVersioning' } & Pick<Obj, 'bucket'>)
  | ({ kind: 'GetBucketAcl' } & Pick<Obj, 'bucket'>)
  | ({ kind: 'PutBucketAcl' } & Pick<Obj, 'bucket'>)
  | ({ kind: 'ListObjectsV1' } & Pick<Obj, 'bucket'>)
  | ({ kind: 'ListObjectsV2' } & Pick<Obj, 'bucket'>)
  | ({ kind: 'ListObjectVersions' } & Pick<Obj, 'bucket'>)
  | ({ kind: 'ListMultipartUploads' } & Pick<Obj, 'bucket'>)
  | ({ kind: 'DeleteObjects' } & Pick<Obj, 'bucket'>)
  | ({ kind: 'PutObject' } & Obj)
  | ({ kind: 'CopyObject' } & Obj)
  | ({ kind: 'GetObject' } & Obj)
  | ({ kind: 'HeadObject' } & Obj)
  | ({ kind: 'DeleteObject' } & Obj)
  | ({ kind: 'GetObjectAcl' } & Obj)
  | ({ kind: 'PutObjectAcl' } & Obj)
  | ({ kind: 'GetObjectTagging' } & Obj)
  | ({ kind: 'CreateMultipartUpload' } & Obj)
  | ({ kind: 'UploadPart'; uploadId: string; partNumber: number } & Obj)
  | ({ kind: 'UploadPartCopy'; uploadId: string; partNumber: number } & Obj)
  | ({ kind: 'CompleteMultipartUpload'; uploadId: string } & Obj)
  | ({ kind: 'AbortMultipartUpload'; uploadId: string } & Obj)
  | ({ kind: 'ListParts'; uploadId: string } & Obj)
  /** A bucket sub-resource godfs never has configured: answered with AWS's "no such configuration" 404. */
  | { kind: 'NotConfigured'; bucket: string; code: S3Code; what: string }
  | { kind: 'NotImplemented'; bucket?: string; key?: string; what: string };

export type EndpointKind = Endpoint['kind'];

/** Bucket sub-resources whose GET answers "not configured" (AWS's code for an unset configuration). */
const NOT_CONFIGURED: Record<string, S3Code> = {
  policy: 'NoSuchBucketPolicy',
  cors: 'NoSuchCORSConfiguration',
  lifecycle: 'NoSuchLifecycleConfiguration',
  tagging: 'NoSuchTagSet',
  website: 'NoSuchWebsiteConfiguration',
  encryption: 'ServerSideEncryptionConfigurationNotFoundError',
  'object-lock': 'ObjectLockConfigurationNotFoundError',
};

/** Sub-resources godfs does not implement at all (any method); listed so they never fall through to a data operation. */
const UNSUPPORTED_BUCKET = [
  'policy', 'cors', 'lifecycle', 'tagging', 'website', 'encryption', 'object-lock', 'replication', 'logging', 'notification',
  'accelerate', 'requestPayment', 'ownershipControls', 'publicAccessBlock', 'policyStatus', 'analytics', 'inventory', 'metrics',
  'intelligent-tiering', 'versioning', 'session', 'metadataTable', 'metadataConfiguration',
];
const UNSUPPORTED_OBJECT = ['tagging', 'retention', 'legal-hold', 'torrent', 'restore', 'select', 'attributes', 'renameObject'];

export interface ParsedTarget {
  bucket?: string;
  key?: string;
}

/**
 * Splits a raw (percent-encoded) request path into bucket and key. Path style: `/bucket/key…`; when
 * `hostBucket` is set (virtual-hosted style) the whole path is the key. The key is percent-decoded
 * once; '+' stays '+' (only the query string uses form encoding).
 */
export function parseTarget(rawPath: string, hostBucket?: string): ParsedTarget {
  const decode = (s: string): string => {
    try {
      return decodeURIComponent(s);
    } catch {
      throw new S3Error('InvalidURI', `Couldn't parse the specified URI: invalid percent-encoding in ${JSON.stringify(rawPath.slice(0, 200))}.`);
    }
  };
  const path = rawPath.startsWith('/') ? rawPath.slice(1) : rawPath;
  if (hostBucket !== undefined) return { bucket: hostBucket, key: path === '' ? undefined : decode(path) };
  if (path === '') return {};
  const slash = path.indexOf('/');
  if (slash < 0) return { bucket: decode(path) };
  const key = path.slice(slash + 1);
  return { bucket: decode(path.slice(0, slash)), key: key === '' ? undefined : decode(key) };
}

function partNumberOf(q: URLSearchParams): number {
  const v = q.get('partNumber') ?? '';
  if (!/^\d{1,5}$/.test(v) || Number(v) < 1 || Number(v) > 10000) throw new S3Error('InvalidArgument', 'Part number must be an integer between 1 and 10000, inclusive.');
  return Number(v);
}

function uploadIdOf(q: URLSearchParams): string {
  const v = q.get('uploadId') ?? '';
  if (v === '') throw new S3Error('InvalidArgument', 'the uploadId query parameter must not be empty');
  return v;
}

/** Parses one request; throws S3Error for requests that are malformed as S3 (not for missing resources). */
export function parseEndpoint(method: string, target: ParsedTarget, q: URLSearchParams, headers: Record<string, string | string[] | undefined>): Endpoint {
  const { bucket, key } = target;
  const has = (name: string) => q.has(name);
  if (bucket === undefined) {
    if (method === 'GET') return { kind: 'ListBuckets' };
    throw new S3Error('MethodNotAllowed', `${method} is not allowed on the service endpoint "/".`);
  }
  if (key === undefined) {
    const b = { bucket };
    switch (method) {
      case 'GET':
        if (has('uploads')) return { kind: 'ListMultipartUploads', ...b };
        if (has('versions')) return { kind: 'ListObjectVersions', ...b };
        if (has('location')) return { kind: 'GetBucketLocation', ...b };
        if (has('versioning')) return { kind: 'GetBucketVersioning', ...b };
        if (has('acl')) return { kind: 'GetBucketAcl', ...b };
        for (const [sub, code] of Object.entries(NOT_CONFIGURED)) if (has(sub)) return { kind: 'NotConfigured', bucket, code, what: sub };
        for (const sub of UNSUPPORTED_BUCKET) if (has(sub)) return { kind: 'NotImplemented', bucket, what: `GET ?${sub}` };
        if (has('list-type')) {
          if (q.get('list-type') !== '2') throw new S3Error('InvalidArgument', 'list-type must be 2 when given.');
          return { kind: 'ListObjectsV2', ...b };
        }
        return { kind: 'ListObjectsV1', ...b };
      case 'HEAD':
        return { kind: 'HeadBucket', ...b };
      case 'PUT':
        if (has('acl')) return { kind: 'PutBucketAcl', ...b };
        for (const sub of UNSUPPORTED_BUCKET) if (has(sub)) return { kind: 'NotImplemented', bucket, what: `PUT ?${sub}` };
        return { kind: 'CreateBucket', ...b };
      case 'POST':
        if (has('delete')) return { kind: 'DeleteObjects', ...b };
        return { kind: 'NotImplemented', bucket, what: 'POST object (browser form upload)' };
      case 'DELETE':
        for (const sub of UNSUPPORTED_BUCKET) if (has(sub)) return { kind: 'NotImplemented', bucket, what: `DELETE ?${sub}` };
        return { kind: 'DeleteBucket', ...b };
      case 'OPTIONS':
        return { kind: 'NotImplemented', bucket, what: 'CORS (OPTIONS)' };
      default:
        throw new S3Error('MethodNotAllowed', `${method} is not allowed on a bucket.`);
    }
  }
  const o = { bucket, key };
  const copySource = headers['x-amz-copy-source'] !== undefined;
  const unsupported = UNSUPPORTED_OBJECT.find((sub) => has(sub));
  switch (method) {
    case 'GET':
      if (has('uploadId')) return { kind: 'ListParts', uploadId: uploadIdOf(q), ...o };
      if (has('acl')) return { kind: 'GetObjectAcl', ...o };
      if (has('tagging')) return { kind: 'GetObjectTagging', ...o };
      if (unsupported) return { kind: 'NotImplemented', ...o, what: `GET ?${unsupported}` };
      return { kind: 'GetObject', ...o };
    case 'HEAD':
      return { kind: 'HeadObject', ...o };
    case 'PUT':
      if (has('acl')) return { kind: 'PutObjectAcl', ...o };
      if (unsupported) return { kind: 'NotImplemented', ...o, what: `PUT ?${unsupported}` };
      if (has('partNumber') || has('uploadId')) {
        const part = { uploadId: uploadIdOf(q), partNumber: partNumberOf(q), ...o };
        return copySource ? { kind: 'UploadPartCopy', ...part } : { kind: 'UploadPart', ...part };
      }
      return copySource ? { kind: 'CopyObject', ...o } : { kind: 'PutObject', ...o };
    case 'POST':
      if (has('uploads')) return { kind: 'CreateMultipartUpload', ...o };
      if (has('uploadId')) return { kind: 'CompleteMultipartUpload', uploadId: uploadIdOf(q), ...o };
      if (unsupported) return { kind: 'NotImplemented', ...o, what: `POST ?${unsupported}` };
      throw new S3Error('MethodNotAllowed', 'POST on an object needs ?uploads or ?uploadId.');
    case 'DELETE':
      if (has('uploadId')) return { kind: 'AbortMultipartUpload', uploadId: uploadIdOf(q), ...o };
      if (unsupported) return { kind: 'NotImplemented', ...o, what: `DELETE ?${unsupported}` };
      return { kind: 'DeleteObject', ...o };
    case 'OPTIONS':
      return { kind: 'NotImplemented', ...o, what: 'CORS (OPTIONS)' };
    default:
      throw new S3Error('MethodNotAllowed', `${method} is not allowed on an object.`);
  }
}

const READ_KINDS: ReadonlySet<EndpointKind> = new Set<EndpointKind>([
  'ListBuckets', 'HeadBucket', 'GetBucketLocation', 'GetBucketVersioning', 'GetBucketAcl', 'ListObjectsV1', 'ListObjectsV2',
  'ListObjectVersions', 'ListMultipartUploads', 'GetObject', 'HeadObject', 'GetObjectAcl', 'GetObjectTagging', 'ListParts', 'NotConfigured',
]);

/** What an endpoint needs from a key (read-only keys may do only 'read'). */
export function accessOf(e: Endpoint): Access {
  return READ_KINDS.has(e.kind) ? 'read' : 'write';
}

/** The bucket an endpoint addresses, if any. */
export function bucketOf(e: Endpoint): string | undefined {
  return 'bucket' in e ? e.bucket : undefined;
}

/** Whether this endpoint addresses an object (so a missing path may be NoSuchKey rather than NoSuchBucket). */
export function keyOf(e: Endpoint): string | undefined {
  return 'key' in e ? e.key : undefined;
}
