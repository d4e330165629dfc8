// PutObject: the verified body streams straight into an sdk write (which commits only on a clean
// end, so a body that fails its signature, Content-MD5 or checksum stores nothing). Metadata and the
// flexible checksum become xattrs in the same commit. Keys ending in "/" are folder markers.
import type { Readable } from 'node:stream';
import { GodfsError } from '../../../common/errors.js';
import type { FileInfo } from '../../../sdk/types.js';
import { formatEtag } from '../../service/http-conditions.js';
import { header, sendEmpty, type S3Context } from '../context.js';
import { S3Error } from '../errors.js';
import { checksumHeader, EMPTY_MD5, FOLDER_XATTR, isFolderDir, metadataFromHeaders, s3MetadataNames } from '../metadata.js';
import { bucketPath, isFolderKey, keyPath } from '../names.js';
import { checkCannedAcl, GRANT_PREFIX, requireBucket } from './buckets.js';

/** Request headers asking for features godfs does not have; honouring them silently would be a lie. */
const UNSUPPORTED_HEADER = /^x-amz-(?:server-side-encryption|object-lock-|tagging$|website-redirect-location$)/;

export function checkUnsupportedHeaders(ctx: S3Context): void {
  // One pass over the names: only x-amz-* ones can be refused (here or as ACL grants below).
  let grant: string | null = null;
  for (const name of Object.keys(ctx.headers)) {
    if (!name.startsWith('x-amz-')) continue;
    if (UNSUPPORTED_HEADER.test(name)) throw new S3Error('NotImplemented', `godfs does not support the ${name} header.`);
    if (grant === null && name.startsWith(GRANT_PREFIX)) grant = name;
  }
  checkCannedAcl(ctx, grant);
}

/** Writes `source` to `path` below bucket, creating the directories of the key (never the bucket). */
export async function writeObject(
  ctx: S3Context,
  bucket: string,
  key: string,
  source: Readable,
  o: { xattrs: Record<string, Buffer>; declaredLength?: number; ifMatch?: string; ifNoneMatch?: string },
): Promise<FileInfo> {
  const { service, settings } = ctx.deps;
  const path = keyPath(bucket, key);
  // A nested key may need its directories made, but never the bucket: the master makes them only
  // below it, atomically with the commit (parentsBelow), and refuses if the bucket is gone. The check
  // rides on the write's first allocation, so a PutObject costs no stat of its own.
  const nested = key.includes('/');
  try {
    return await service.put(path, source, { ...o, maxBytes: settings.maxBodyBytes, parents: nested, ...(nested ? { parentsBelow: `/${bucket}` } : {}) });
  } catch (err) {
    if (err instanceof GodfsError && (err.code === 'not_found' || err.code === 'precondition_failed')) {
      // Not found: the bucket (or, for a top-level key, the only parent there is). A failed guard
      // on a key in a missing bucket is reported as the missing bucket, as S3 does.
      if (err.code === 'not_found' || !(await ctx.deps.service.statIfExists(bucketPath(bucket)))?.isDir) {
        source.destroy();
        throw new S3Error('NoSuchBucket', `The specified bucket does not exist: ${bucket}.`);
      }
    }
    throw err;
  }
}

export async function putObject(ctx: S3Context, bucket: string, key: string): Promise<void> {
  checkUnsupportedHeaders(ctx);
  keyPath(bucket, key);
  const xattrs = metadataFromHeaders(ctx.headers);
  if (isFolderKey(key)) return putFolder(ctx, bucket, key, xattrs);
  // The verified flexible checksum goes into `xattrs` before the sdk sees the end of the stream and
  // commits, so it is stored in the same commit even when it arrived in a trailer after the last byte.
  const body = ctx.body((r) => {
    if (r.checksum) xattrs[checksumHeader(r.checksum.algorithm)] = Buffer.from(r.checksum.value);
  });
  const info = await writeObject(ctx, bucket, key, body.stream, {
    xattrs,
    declaredLength: body.declaredLength,
    ifMatch: header(ctx.headers, 'if-match'),
    ifNoneMatch: header(ctx.headers, 'if-none-match'),
  });
  const result = await body.result;
  if (result.checksum) {
    const name = checksumHeader(result.checksum.algorithm);
    // Should the sdk ever read the xattrs before the stream ended, store the checksum afterwards.
    if (info.xattrs[name] === undefined) await ctx.deps.service.setAttr(info.path, { setXattrs: { [name]: result.checksum.value } });
    ctx.reply.header(name, result.checksum.value);
  }
  ctx.reply.header('etag', formatEtag(info.etag));
  sendEmpty(ctx, 200);
}

/**
 * A folder marker `a/b/` is the directory /bucket/a/b marked with an xattr, so that it lists as the
 * key `a/b/` even when empty (as MinIO does) while directories made implicitly by nested keys do not.
 * It has no content: a non-empty body is refused.
 */
async function putFolder(ctx: S3Context, bucket: string, key: string, xattrs: Record<string, Buffer>): Promise<void> {
  const { service } = ctx.deps;
  const body = ctx.body();
  for await (const chunk of body.stream as AsyncIterable<Buffer>) {
    if (chunk.length > 0) {
      body.stream.destroy();
      throw new S3Error('InvalidRequest', 'A key ending in "/" is a folder marker in godfs (a directory) and cannot hold data; send an empty body.');
    }
  }
  await body.result;
  await requireBucket(ctx, bucket);
  const path = keyPath(bucket, key);
  let dir = await service.statIfExists(path);
  if (dir && !dir.isDir) throw new S3Error('XGodfsParentIsObject', `The folder key "${key}" would turn the existing object "${key.slice(0, -1)}" into a directory.`);
  if (header(ctx.headers, 'if-none-match')?.trim() === '*' && dir && isFolderDir(dir)) throw new S3Error('PreconditionFailed', 'If-None-Match: * given but the folder marker exists.');
  if (!dir) {
    try {
      dir = await service.mkdir(path, { parents: true });
    } catch (err) {
      if (err instanceof GodfsError && err.code === 'already_exists') dir = await service.stat(path);
      else throw err;
    }
  }
  if (!dir.isDir) throw new S3Error('XGodfsParentIsObject');
  await service.setAttr(path, { removeXattrs: s3MetadataNames(dir), setXattrs: { ...xattrs, [FOLDER_XATTR]: '1' }, mtimeMs: Date.now() });
  ctx.reply.header('etag', formatEtag(EMPTY_MD5));
  sendEmpty(ctx, 200);
}
