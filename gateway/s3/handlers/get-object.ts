// GetObject and HeadObject over the object service: single ranges (incl. suffix) → 206/416,
// If-Match / If-None-Match / If-Modified-Since / If-Unmodified-Since → 304/412, response-* overrides,
// ?partNumber, stored metadata, and the stored checksum when asked for (x-amz-checksum-mode) — but
// never on a partial response, whose bytes the whole-object checksum does not describe.
import type { FileInfo } from '../../../sdk/types.js';
import { formatContentRange, formatEtag, formatHttpDate, parseRange, type RequestConditions } from '../../service/http-conditions.js';
import { header, type S3Context } from '../context.js';
import { S3Error } from '../errors.js';
import { EMPTY_MD5, forEachMetadataHeader, isFolderDir, partSizesOf, storedChecksum, storedContentType } from '../metadata.js';
import { isFolderKey, keyPath } from '../names.js';

/** Query parameters that override response headers on a signed GET (S3 GetObject). */
const OVERRIDES = ['content-type', 'content-language', 'expires', 'cache-control', 'content-disposition', 'content-encoding'];
const HEADER_SAFE = /^[\t\x20-\x7e\x80-\xff]*$/;

export function checkVersionId(ctx: S3Context): void {
  const v = ctx.query.get('versionId');
  if (v !== null && v !== 'null') throw new S3Error('NoSuchVersion', `The specified version does not exist: ${v} (godfs buckets are unversioned; only "null" exists).`);
}

/** The path of a key for a read: keys that no file could have are simply absent. */
export function readPath(bucket: string, key: string): string {
  try {
    return keyPath(bucket, key);
  } catch (err) {
    if (err instanceof S3Error && err.code === 'XGodfsInvalidObjectName') throw new S3Error('NoSuchKey');
    throw err;
  }
}

/** The object a key names (a file, or a marked directory for a folder key); NoSuchKey otherwise. */
export async function requireObject(ctx: S3Context, bucket: string, key: string): Promise<FileInfo> {
  const info = await ctx.deps.service.statIfExists(readPath(bucket, key));
  if (!info || (isFolderKey(key) ? !isFolderDir(info) : info.isDir || info.type !== 'file')) throw new S3Error('NoSuchKey');
  return info;
}

function conditionsOf(ctx: S3Context): RequestConditions {
  const h = (n: string) => header(ctx.headers, n);
  let range = h('range');
  if (range !== undefined) {
    // S3 serves one range; a header it cannot use (several ranges, bad syntax) is ignored and the
    // whole object sent, as AWS does — not a 400 like /v1.
    try {
      if (parseRange(range).length !== 1) range = undefined;
    } catch {
      range = undefined;
    }
  }
  return { ifMatch: h('if-match'), ifNoneMatch: h('if-none-match'), ifModifiedSince: h('if-modified-since'), ifUnmodifiedSince: h('if-unmodified-since'), ifRange: h('if-range'), range };
}

function objectHeaders(ctx: S3Context, info: FileInfo): void {
  const etag = formatEtag(info.etag || EMPTY_MD5);
  ctx.reply.header('etag', etag).header('last-modified', formatHttpDate(info.mtimeMs)).header('accept-ranges', 'bytes');
  forEachMetadataHeader(info, (k, v) => ctx.reply.header(k, v));
  for (const name of OVERRIDES) {
    const v = ctx.query.get(`response-${name}`);
    if (v === null) continue;
    if (!HEADER_SAFE.test(v)) throw new S3Error('InvalidArgument', `response-${name} holds characters that cannot go into a header.`);
    ctx.reply.header(name, v);
  }
}

export async function getObject(ctx: S3Context, bucket: string, key: string, method: 'GET' | 'HEAD'): Promise<void> {
  checkVersionId(ctx);
  const { service, metrics } = ctx.deps;
  if (isFolderKey(key)) return getFolder(ctx, bucket, key);
  const path = readPath(bucket, key);
  const conditions = conditionsOf(ctx);
  const partParam = ctx.query.get('partNumber');
  let partsCount: number | undefined;
  if (partParam !== null) {
    if (!/^\d{1,5}$/.test(partParam) || Number(partParam) < 1 || Number(partParam) > 10000) throw new S3Error('InvalidArgument', 'Part number must be an integer between 1 and 10000, inclusive.');
    if (header(ctx.headers, 'range') !== undefined) throw new S3Error('InvalidRequest', 'Cannot specify both Range header and partNumber query parameter.');
    const info = await requireObject(ctx, bucket, key);
    const sizes = partSizesOf(info);
    const n = Number(partParam);
    if (sizes === undefined) {
      // Not a multipart object: it is one part, and part 1 is all of it.
      if (n !== 1) throw new S3Error('InvalidPartNumber', `The object has 1 part; part ${n} does not exist.`);
    } else {
      if (n > sizes.length) throw new S3Error('InvalidPartNumber', `The object has ${sizes.length} parts; part ${n} does not exist.`);
      const start = sizes.slice(0, n - 1).reduce((a, b) => a + b, 0);
      partsCount = sizes.length;
      conditions.range = sizes[n - 1] === 0 ? undefined : `bytes=${start}-${start + sizes[n - 1]! - 1}`;
      conditions.ifRange = undefined;
    }
  }
  const r = await service.get(path, { method, conditions, onBytes: metrics.outCounter(ctx.req) });
  objectHeaders(ctx, r.info);
  if (partsCount !== undefined) ctx.reply.header('x-amz-mp-parts-count', String(partsCount));
  if (r.status === 304) return void ctx.reply.code(304).send();
  const whole = r.status === 200;
  const checksum = storedChecksum(r.info);
  if (whole && checksum && header(ctx.headers, 'x-amz-checksum-mode')?.toUpperCase() === 'ENABLED') {
    ctx.reply.header(checksum.header, checksum.value).header('x-amz-checksum-type', 'FULL_OBJECT');
  }
  ctx.reply.code(r.status).header('content-type', ctx.query.get('response-content-type') ?? storedContentType(r.info)).header('content-length', String(r.contentLength));
  if (r.status === 206 && r.ranges.length === 1) ctx.reply.header('content-range', formatContentRange(r.ranges[0]!, r.info.size));
  // A stream that fails after the headers went out makes fastify destroy the socket, so a client
  // never takes a truncated body for a whole one (LengthGuard in the service catches short reads).
  return void ctx.reply.send(r.stream ?? (method === 'HEAD' ? undefined : ''));
}

/** A folder marker: a marked directory answers as an empty object with its stored metadata. */
async function getFolder(ctx: S3Context, bucket: string, key: string): Promise<void> {
  const info = await requireObject(ctx, bucket, key);
  objectHeaders(ctx, info);
  ctx.reply.header('content-type', ctx.query.get('response-content-type') ?? storedContentType(info)).header('content-length', '0');
  ctx.reply.code(200).send(ctx.req.method === 'HEAD' ? undefined : '');
}
