// Service and bucket operations: ListBuckets, CreateBucket, HeadBucket, DeleteBucket,
// GetBucketLocation, GetBucketVersioning. A bucket is a top-level directory.
import { GodfsError } from '../../../common/errors.js';
import { header, isoSeconds, ownerXml, sendEmpty, sendXml, type S3Context } from '../context.js';
import { S3Error } from '../errors.js';
import { bucketPath, checkBucketName } from '../names.js';
import { el } from '../xml.js';
import { readSmallBody } from '../xml.js';

/** Names ListBuckets shows: S3's rules, plus the legacy ones (upper case, '_') a /v1 user may have used. */
const LISTABLE = /^[A-Za-z0-9._-]{3,255}$/;

export async function listBuckets(ctx: S3Context): Promise<void> {
  const buckets = [];
  const { service } = ctx.deps;
  let cursor: string | undefined;
  do {
    const page = await service.list('/', { limit: 1000, ...(cursor ? { cursor } : {}) });
    for (const e of page.entries) {
      if (e.isDir && LISTABLE.test(e.name) && e.name !== '..' && ctx.mayUseBucket(e.name)) {
        buckets.push(el('Bucket', el('Name', e.name), el('CreationDate', isoSeconds(e.birthMs || e.mtimeMs))));
      }
    }
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  sendXml(ctx, el('ListAllMyBucketsResult', ownerXml(), el('Buckets', buckets)));
}

/** Throws NoSuchBucket unless the bucket directory exists. */
export async function requireBucket(ctx: S3Context, bucket: string): Promise<void> {
  const info = await ctx.deps.service.statIfExists(bucketPath(bucket));
  if (!info?.isDir) throw new S3Error('NoSuchBucket', `The specified bucket does not exist: ${bucket}.`);
}

export async function createBucket(ctx: S3Context, bucket: string): Promise<void> {
  checkBucketName(bucket);
  checkCannedAcl(ctx);
  // The body is an optional CreateBucketConfiguration (LocationConstraint): any region is accepted,
  // as in signatures, so it is read (bounded) and not interpreted.
  await readSmallBody(ctx.body().stream, 64 * 1024);
  try {
    await ctx.deps.service.mkdir(bucketPath(bucket));
  } catch (err) {
    if (err instanceof GodfsError && err.code === 'already_exists') {
      const info = await ctx.deps.service.statIfExists(bucketPath(bucket));
      if (info && !info.isDir) throw new S3Error('BucketAlreadyExists', `The name "${bucket}" is taken by a file at the top of the godfs namespace.`);
      throw new S3Error('BucketAlreadyOwnedByYou');
    }
    throw err;
  }
  ctx.reply.header('location', `/${bucket}`);
  sendEmpty(ctx, 200);
}

export async function headBucket(ctx: S3Context, bucket: string): Promise<void> {
  await requireBucket(ctx, bucket);
  ctx.reply.header('x-amz-bucket-region', ctx.deps.settings.region);
  sendEmpty(ctx, 200);
}

export async function deleteBucket(ctx: S3Context, bucket: string): Promise<void> {
  const { service } = ctx.deps;
  await requireBucket(ctx, bucket);
  try {
    await service.delete(bucketPath(bucket), { onlyDir: true });
  } catch (err) {
    if (err instanceof GodfsError && err.code === 'not_empty') {
      throw new S3Error('BucketNotEmpty', `The bucket you tried to delete is not empty: ${bucket} still holds objects (or directories made outside S3).`);
    }
    throw err;
  }
  // Unfinished uploads into the bucket would otherwise re-create it when completed.
  for (const up of await service.multipart.list(`${bucketPath(bucket)}/`)) await service.multipart.abort(up.uploadId);
  sendEmpty(ctx, 204);
}

export async function getBucketLocation(ctx: S3Context, bucket: string): Promise<void> {
  await requireBucket(ctx, bucket);
  const region = ctx.deps.settings.region;
  // AWS answers an empty LocationConstraint for us-east-1; clients map that back to us-east-1.
  sendXml(ctx, el('LocationConstraint', region === 'us-east-1' ? undefined : region));
}

export async function getBucketVersioning(ctx: S3Context, bucket: string): Promise<void> {
  await requireBucket(ctx, bucket);
  // An empty configuration means "versioning was never enabled" — true of every godfs bucket.
  sendXml(ctx, el('VersioningConfiguration'));
}

/** Canned ACLs that only ever grant the owner: all godfs can honour, since it has no ACLs. */
const OWNER_ONLY_ACLS = new Set(['private', 'bucket-owner-full-control', 'bucket-owner-read']);

/** Refuses ACL headers that would grant anyone but the owner (godfs cannot honour them). */
export const GRANT_PREFIX = 'x-amz-grant-';

function grantHeaderOf(ctx: S3Context): string | null {
  for (const name of Object.keys(ctx.headers)) if (name.startsWith(GRANT_PREFIX)) return name;
  return null;
}

/** `grant`: the first x-amz-grant-* header or null, when the caller has looked already (else it is looked for here). */
export function checkCannedAcl(ctx: S3Context, grant: string | null = grantHeaderOf(ctx)): void {
  const acl = header(ctx.headers, 'x-amz-acl');
  if (acl !== undefined && !OWNER_ONLY_ACLS.has(acl.trim())) {
    throw new S3Error('NotImplemented', `godfs has no ACLs: only the canned ACL "private" is supported, not "${acl}".`);
  }
  if (grant !== null) throw new S3Error('NotImplemented', `godfs has no ACLs: the ${grant} header is not supported.`);
}
