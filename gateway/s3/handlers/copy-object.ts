// CopyObject (and the copy-source half of UploadPartCopy). Copies stream through the gateway: a read
// of the source feeds a write of the target, pinned to the source version whose conditions were
// checked. CopyObject onto itself with x-amz-metadata-directive: REPLACE — how s3fs and rclone change
// metadata — is a metadata-only setAttr: no byte is read or written.
import { Readable } from 'node:stream';
import { GodfsError } from '../../../common/errors.js';
import type { FileInfo } from '../../../sdk/types.js';
import { evaluateReadPreconditions, formatEtag, type RequestConditions } from '../../service/http-conditions.js';
import { header, isoSeconds, sendXml, type S3Context } from '../context.js';
import { S3Error } from '../errors.js';
import { checksumHeader, CHECKSUM_ALGORITHMS, copyableXattrs, metadataFromHeaders, PARTS_XATTR, s3MetadataNames } from '../metadata.js';
import { isFolderKey, keyPath } from '../names.js';
import { el } from '../xml.js';
import { requireBucket } from './buckets.js';
import { requireObject } from './get-object.js';
import { checkUnsupportedHeaders, writeObject } from './put-object.js';

export interface CopySource {
  bucket: string;
  key: string;
  info: FileInfo;
}

/** Parses x-amz-copy-source (`bucket/key` or `/bucket/key`, URL-encoded, optional ?versionId=null). */
export function parseCopySourceHeader(value: string): { bucket: string; key: string } {
  let v = value.trim();
  const q = v.indexOf('?');
  if (q >= 0) {
    const params = new URLSearchParams(v.slice(q + 1));
    const version = params.get('versionId');
    if (version !== null && version !== 'null') throw new S3Error('NoSuchVersion', `The copy source version does not exist: ${version} (godfs buckets are unversioned).`);
    v = v.slice(0, q);
  }
  let decoded: string;
  try {
    decoded = decodeURIComponent(v);
  } catch {
    throw new S3Error('InvalidArgument', 'x-amz-copy-source is not validly URL-encoded.');
  }
  if (decoded.startsWith('/')) decoded = decoded.slice(1);
  const slash = decoded.indexOf('/');
  if (slash <= 0 || slash === decoded.length - 1) throw new S3Error('InvalidArgument', 'Copy Source must mention the source bucket and key: sourcebucket/sourcekey.');
  return { bucket: decoded.slice(0, slash), key: decoded.slice(slash + 1) };
}

/** Resolves and authorizes the copy source, and evaluates the x-amz-copy-source-if-* conditions. */
export async function copySource(ctx: S3Context): Promise<CopySource> {
  const { bucket, key } = parseCopySourceHeader(header(ctx.headers, 'x-amz-copy-source') ?? '');
  ctx.checkBucketAccess(bucket, 'read');
  if (isFolderKey(key)) throw new S3Error('InvalidRequest', 'A folder marker (a key ending in "/") cannot be a copy source.');
  let info: FileInfo;
  try {
    info = await requireObject(ctx, bucket, key);
  } catch (err) {
    if (err instanceof S3Error && err.code === 'NoSuchKey') await requireBucket(ctx, bucket);
    throw err;
  }
  const h = (n: string) => header(ctx.headers, `x-amz-copy-source-${n}`);
  const c: RequestConditions = { ifMatch: h('if-match'), ifNoneMatch: h('if-none-match'), ifModifiedSince: h('if-modified-since'), ifUnmodifiedSince: h('if-unmodified-since') };
  try {
    // A copy has no 304: every failed source condition is a 412 (S3 CopyObject).
    if (evaluateReadPreconditions(info, c) === 'not_modified') throw new S3Error('PreconditionFailed', 'At least one of the x-amz-copy-source-if-* conditions did not hold.');
  } catch (err) {
    if (err instanceof GodfsError && err.code === 'precondition_failed') throw new S3Error('PreconditionFailed', 'At least one of the x-amz-copy-source-if-* conditions did not hold.');
    throw err;
  }
  return { bucket, key, info };
}

/** Opens the source bytes [start, end] (inclusive) of exactly the version that was checked. */
export async function openSource(ctx: S3Context, src: CopySource, range?: { start: number; end: number }): Promise<Readable> {
  if (src.info.size === 0) return Readable.from([]);
  const r = await ctx.deps.service.get(src.info.path, {
    method: 'GET',
    conditions: { ifMatch: formatEtag(src.info.etag), ...(range ? { range: `bytes=${range.start}-${range.end}` } : {}) },
  });
  return r.stream ?? Readable.from([]);
}

export async function copyObject(ctx: S3Context, bucket: string, key: string): Promise<void> {
  checkUnsupportedHeaders(ctx);
  const path = keyPath(bucket, key);
  if (isFolderKey(key)) throw new S3Error('InvalidRequest', 'A folder marker (a key ending in "/") cannot be a copy target.');
  const directive = (header(ctx.headers, 'x-amz-metadata-directive') ?? 'COPY').trim().toUpperCase();
  if (directive !== 'COPY' && directive !== 'REPLACE') throw new S3Error('InvalidArgument', 'Unknown metadata directive: x-amz-metadata-directive must be COPY or REPLACE.');
  const src = await copySource(ctx);
  // The content does not change, so its checksum still holds whatever the metadata becomes.
  const checksums: Record<string, Buffer> = {};
  for (const a of CHECKSUM_ALGORITHMS) {
    const v = src.info.xattrs[checksumHeader(a)];
    if (v !== undefined) checksums[checksumHeader(a)] = Buffer.from(v);
  }
  const xattrs = directive === 'REPLACE' ? { ...metadataFromHeaders(ctx.headers), ...checksums } : copyableXattrs(src.info);
  let info: FileInfo;
  if (src.info.path === path) {
    if (directive !== 'REPLACE') {
      throw new S3Error(
        'InvalidRequest',
        "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.",
      );
    }
    // The content is unchanged, so its part boundaries still hold.
    const removeXattrs = s3MetadataNames(src.info).filter((k) => k !== PARTS_XATTR);
    info = await ctx.deps.service.setAttr(path, { removeXattrs, setXattrs: xattrs, mtimeMs: Date.now() });
  } else {
    const stream = await openSource(ctx, src);
    try {
      info = await writeObject(ctx, bucket, key, stream, { xattrs });
    } finally {
      stream.destroy();
    }
  }
  sendXml(ctx, el('CopyObjectResult', el('ETag', formatEtag(info.etag)), el('LastModified', isoSeconds(info.mtimeMs))));
}
