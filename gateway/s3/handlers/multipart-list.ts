// ListParts and ListMultipartUploads. The master returns an upload's parts, and the uploads under a
// path prefix, in one answer (uploads are few and short-lived), so paging here is over that answer.
import { compareUtf8 } from '../../../common/utf8.js';
import type { UploadInfo } from '../../../sdk/types.js';
import { formatEtag } from '../../service/http-conditions.js';
import { isoSeconds, OWNER, ownerXml, sendXml, type S3Context } from '../context.js';
import { S3Error } from '../errors.js';
import { bucketPath, keyOfPath } from '../names.js';
import { el, opt } from '../xml.js';
import { requireBucket } from './buckets.js';
import { encodingOf } from './list-objects.js';
import { uploadFor } from './multipart.js';

const MAX_LIST = 1000;

function intParam(ctx: S3Context, name: string, dflt: number): number {
  const v = ctx.query.get(name);
  if (v === null || v === '') return dflt;
  if (!/^\d{1,10}$/.test(v)) throw new S3Error('InvalidArgument', `${name} must be a non-negative integer.`);
  return Number(v);
}

const initiator = () => el('Initiator', el('ID', OWNER.id), el('DisplayName', OWNER.displayName));

export async function listParts(ctx: S3Context, bucket: string, key: string, uploadId: string): Promise<void> {
  const { parts } = await uploadFor(ctx, uploadId, bucket, key);
  const marker = intParam(ctx, 'part-number-marker', 0);
  const max = Math.min(intParam(ctx, 'max-parts', MAX_LIST), MAX_LIST);
  const after = parts.filter((p) => p.partNumber > marker);
  const page = after.slice(0, max);
  const truncated = after.length > page.length;
  const encode = encodingOf(ctx);
  sendXml(
    ctx,
    el(
      'ListPartsResult',
      el('Bucket', bucket),
      el('Key', encode ? encode(key) : key),
      el('UploadId', uploadId),
      initiator(),
      ownerXml(),
      el('StorageClass', 'STANDARD'),
      el('PartNumberMarker', marker),
      page.length ? el('NextPartNumberMarker', page[page.length - 1]!.partNumber) : undefined,
      el('MaxParts', max),
      el('IsTruncated', String(truncated)),
      encode ? el('EncodingType', 'url') : undefined,
      page.map((p) => el('Part', el('PartNumber', p.partNumber), el('LastModified', isoSeconds(p.modifiedMs)), el('ETag', formatEtag(p.etag)), el('Size', p.size))),
    ),
  );
}

interface KeyedUpload {
  key: string;
  upload: UploadInfo;
}

export async function listMultipartUploads(ctx: S3Context, bucket: string): Promise<void> {
  await requireBucket(ctx, bucket);
  const prefix = ctx.query.get('prefix') ?? '';
  const delimiter = ctx.query.get('delimiter') ?? '';
  const keyMarker = ctx.query.get('key-marker') ?? '';
  const uploadIdMarker = ctx.query.get('upload-id-marker') ?? '';
  const max = Math.min(intParam(ctx, 'max-uploads', MAX_LIST), MAX_LIST);
  const encode = encodingOf(ctx);
  const enc = (s: string) => (encode ? encode(s) : s);

  const all: KeyedUpload[] = [];
  for (const upload of await ctx.deps.service.multipart.list(`${bucketPath(bucket)}/`)) {
    const key = keyOfPath(bucket, upload.path);
    if (key !== undefined && key.startsWith(prefix)) all.push({ key, upload });
  }
  // S3: by key, then by initiation time within a key.
  all.sort((a, b) => compareUtf8(a.key, b.key) || a.upload.createdMs - b.upload.createdMs || compareUtf8(a.upload.uploadId, b.upload.uploadId));
  let start = 0;
  if (keyMarker !== '') {
    const markerAt = uploadIdMarker === '' ? -1 : all.findIndex((u) => u.key === keyMarker && u.upload.uploadId === uploadIdMarker);
    start = markerAt >= 0 ? markerAt + 1 : all.findIndex((u) => compareUtf8(u.key, keyMarker) > 0);
    if (start < 0) start = all.length;
  }

  const uploads: KeyedUpload[] = [];
  const prefixes: string[] = [];
  let truncated = false;
  let last: KeyedUpload | undefined;
  for (let i = start; i < all.length; i++) {
    const u = all[i]!;
    let cp: string | undefined;
    if (delimiter !== '') {
      const at = u.key.indexOf(delimiter, prefix.length);
      if (at >= 0) cp = u.key.slice(0, at + delimiter.length);
    }
    if (cp !== undefined && (cp === prefixes[prefixes.length - 1] || (keyMarker !== '' && compareUtf8(cp, keyMarker) <= 0))) continue;
    if (uploads.length + prefixes.length === max) {
      truncated = true;
      break;
    }
    if (cp !== undefined) prefixes.push(cp);
    else uploads.push(u);
    last = u;
  }
  sendXml(
    ctx,
    el(
      'ListMultipartUploadsResult',
      el('Bucket', bucket),
      el('KeyMarker', enc(keyMarker)),
      el('UploadIdMarker', uploadIdMarker),
      truncated && last ? [el('NextKeyMarker', enc(last.key)), el('NextUploadIdMarker', last.upload.uploadId)] : undefined,
      el('Prefix', enc(prefix)),
      opt('Delimiter', delimiter === '' ? undefined : enc(delimiter)),
      el('MaxUploads', max),
      el('IsTruncated', String(truncated)),
      encode ? el('EncodingType', 'url') : undefined,
      uploads.map((u) =>
        el('Upload', el('Key', enc(u.key)), el('UploadId', u.upload.uploadId), initiator(), ownerXml(), el('StorageClass', 'STANDARD'), el('Initiated', isoSeconds(u.upload.createdMs))),
      ),
      prefixes.map((p) => el('CommonPrefixes', el('Prefix', enc(p)))),
    ),
  );
}
