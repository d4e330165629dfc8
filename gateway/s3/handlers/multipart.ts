// Multipart uploads: CreateMultipartUpload, UploadPart, UploadPartCopy, AbortMultipartUpload. Parts go
// straight from the (verified) request body to chunkservers through the sdk; an upload's bucket and
// key are its target path, so a request naming another key than the upload's gets NoSuchUpload.
import { GodfsError } from '../../../common/errors.js';
import type { PartInfo, UploadInfo } from '../../../sdk/types.js';
import { formatEtag } from '../../service/http-conditions.js';
import { isoSeconds, sendEmpty, sendXml, type S3Context } from '../context.js';
import { S3Error } from '../errors.js';
import { metadataFromHeaders } from '../metadata.js';
import { isFolderKey, keyPath } from '../names.js';
import { el, readSmallBody } from '../xml.js';
import { requireBucket } from './buckets.js';
import { copySource, openSource } from './copy-object.js';
import { checkUnsupportedHeaders } from './put-object.js';

/** S3's largest part. */
export const MAX_PART_BYTES = 5 * 1024 ** 3;

/** The upload `uploadId`, which must target bucket/key; NoSuchUpload otherwise. */
export async function uploadFor(ctx: S3Context, uploadId: string, bucket: string, key: string): Promise<{ upload: UploadInfo; parts: PartInfo[] }> {
  const path = keyPath(bucket, key);
  let r: { upload: UploadInfo; parts: PartInfo[] };
  try {
    r = await ctx.deps.service.multipart.listParts(uploadId);
  } catch (err) {
    if (err instanceof GodfsError && (err.code === 'not_found' || err.code === 'invalid_argument')) throw new S3Error('NoSuchUpload', undefined, { cause: err });
    throw err;
  }
  if (r.upload.path !== path) throw new S3Error('NoSuchUpload', `The upload ${uploadId} is not an upload of ${bucket}/${key}.`);
  return r;
}

export async function createMultipartUpload(ctx: S3Context, bucket: string, key: string): Promise<void> {
  checkUnsupportedHeaders(ctx);
  const path = keyPath(bucket, key);
  if (isFolderKey(key)) throw new S3Error('InvalidRequest', 'A key ending in "/" is a folder marker in godfs and cannot hold data.');
  const xattrs = metadataFromHeaders(ctx.headers);
  await readSmallBody(ctx.body().stream, 64 * 1024);
  await requireBucket(ctx, bucket);
  // Fail now rather than at Complete, after gigabytes of parts, when the key can never be a file.
  const existing = await ctx.deps.service.statIfExists(path);
  if (existing?.isDir) throw new S3Error('XGodfsObjectExistsAsDirectory');
  const up = await ctx.deps.service.multipart.create(path, { xattrs });
  sendXml(ctx, el('InitiateMultipartUploadResult', el('Bucket', bucket), el('Key', key), el('UploadId', up.uploadId)));
}

export async function uploadPart(ctx: S3Context, bucket: string, key: string, uploadId: string, partNumber: number): Promise<void> {
  await uploadFor(ctx, uploadId, bucket, key);
  const body = ctx.body();
  const part = await ctx.deps.service.multipart.uploadPart(uploadId, partNumber, body.stream, {
    maxBytes: Math.min(ctx.deps.settings.maxBodyBytes, MAX_PART_BYTES),
    declaredLength: body.declaredLength,
  });
  const result = await body.result;
  if (result.checksum) ctx.reply.header(`x-amz-checksum-${result.checksum.algorithm.toLowerCase()}`, result.checksum.value);
  ctx.reply.header('etag', formatEtag(part.etag));
  sendEmpty(ctx, 200);
}

/** x-amz-copy-source-range: exactly `bytes=first-last`, inside the source. */
function copyRange(value: string | undefined, size: number): { start: number; end: number } | undefined {
  if (value === undefined) return undefined;
  const m = /^bytes=(\d+)-(\d+)$/.exec(value.trim());
  if (!m) throw new S3Error('InvalidArgument', 'The x-amz-copy-source-range value must be of the form bytes=first-last where first and last are the zero-based offsets of the first and last bytes to copy.');
  const start = Number(m[1]);
  const end = Number(m[2]);
  if (start > end || end >= size) throw new S3Error('InvalidArgument', `Range specified is not valid for source object of size: ${size}.`);
  return { start, end };
}

export async function uploadPartCopy(ctx: S3Context, bucket: string, key: string, uploadId: string, partNumber: number): Promise<void> {
  await uploadFor(ctx, uploadId, bucket, key);
  const src = await copySource(ctx);
  const rangeHeader = ctx.headers['x-amz-copy-source-range'];
  const range = copyRange(Array.isArray(rangeHeader) ? rangeHeader[0] : rangeHeader, src.info.size);
  const length = range ? range.end - range.start + 1 : src.info.size;
  if (length > MAX_PART_BYTES) throw new S3Error('EntityTooLarge', `A part may be at most ${MAX_PART_BYTES} bytes; this copy is ${length}.`);
  const stream = await openSource(ctx, src, range);
  let part: PartInfo;
  try {
    part = await ctx.deps.service.multipart.uploadPart(uploadId, partNumber, stream);
  } finally {
    stream.destroy();
  }
  sendXml(ctx, el('CopyPartResult', el('ETag', formatEtag(part.etag)), el('LastModified', isoSeconds(part.modifiedMs))));
}

export async function abortMultipartUpload(ctx: S3Context, bucket: string, key: string, uploadId: string): Promise<void> {
  await uploadFor(ctx, uploadId, bucket, key);
  await ctx.deps.service.multipart.abort(uploadId);
  sendEmpty(ctx, 204);
}
