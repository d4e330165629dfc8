// DeleteObject and DeleteObjects. Deleting is idempotent in S3: a key that is not there is "deleted"
// all the same (204), only a missing bucket is an error. Directories that held the deleted key and
// hold nothing else are removed too (as MinIO does), so a prefix disappears with its last key —
// except folder markers, which are keys of their own.
import { GodfsError } from '../../../common/errors.js';
import { parentOf } from '../../../common/paths.js';
import type { S3Context } from '../context.js';
import { sendEmpty, sendXml } from '../context.js';
import { S3Error, s3ErrorOf } from '../errors.js';
import { isFolderDir, s3MetadataNames } from '../metadata.js';
import { bucketPath, isFolderKey, keyPath } from '../names.js';
import { el, listOf, parseXml, readSmallBody, textOf } from '../xml.js';
import { requireBucket } from './buckets.js';
import { checkVersionId } from './get-object.js';

/** S3's limit on one DeleteObjects request. */
export const MAX_DELETE_KEYS = 1000;
const DELETE_CONCURRENCY = 16;

function isAbsent(err: unknown): boolean {
  return err instanceof GodfsError && (err.code === 'not_found' || err.code === 'not_a_directory' || err.code === 'is_a_directory');
}

/** Deletes one key; returns the directory it was in (for cleanup), or undefined when nothing was there. */
async function deleteKey(ctx: S3Context, bucket: string, key: string): Promise<string | undefined> {
  const { service } = ctx.deps;
  let path: string;
  try {
    path = keyPath(bucket, key);
  } catch (err) {
    // A key godfs cannot hold was never stored: deleting it succeeds.
    if (err instanceof S3Error && err.code === 'XGodfsInvalidObjectName') return undefined;
    throw err;
  }
  if (isFolderKey(key)) {
    const dir = await service.statIfExists(path);
    if (!dir || !isFolderDir(dir)) return undefined;
    try {
      await service.delete(path, { onlyDir: true });
    } catch (err) {
      if (!(err instanceof GodfsError && err.code === 'not_empty')) throw err;
      // The directory still holds other keys: it stays, as an implicit (unmarked) prefix.
      await service.setAttr(path, { removeXattrs: s3MetadataNames(dir) });
      return undefined;
    }
    return parentOf(path);
  }
  try {
    await service.delete(path, { onlyFile: true });
  } catch (err) {
    if (isAbsent(err)) return undefined;
    throw err;
  }
  return parentOf(path);
}

/** Removes now-empty, unmarked directories from `dirs` up to (not including) the bucket. */
async function cleanup(ctx: S3Context, bucket: string, dirs: Iterable<string>): Promise<void> {
  const { service } = ctx.deps;
  const root = bucketPath(bucket);
  const pending = new Set([...dirs].filter((d) => d.startsWith(`${root}/`)));
  while (pending.size) {
    // Longest path first: every descendant of a directory still pending is longer, so a directory
    // is tried only after each of its children has had its chance to go.
    let dir = '';
    for (const d of pending) if (d.length > dir.length) dir = d;
    pending.delete(dir);
    try {
      const info = await service.statIfExists(dir);
      if (!info?.isDir || isFolderDir(info)) continue;
      await service.delete(dir, { onlyDir: true });
    } catch {
      // Not empty (or gone, or raced with a writer): it stays, which is always safe.
      continue;
    }
    const parent = parentOf(dir);
    if (parent !== root) pending.add(parent);
  }
}

export async function deleteObject(ctx: S3Context, bucket: string, key: string): Promise<void> {
  checkVersionId(ctx);
  const dir = await deleteKey(ctx, bucket, key);
  if (dir === undefined) await requireBucket(ctx, bucket);
  else await cleanup(ctx, bucket, [dir]);
  sendEmpty(ctx, 204);
}

interface DeleteOutcome {
  key: string;
  versionId?: string;
  error?: S3Error;
}

export async function deleteObjects(ctx: S3Context, bucket: string): Promise<void> {
  const doc = parseXml(await readSmallBody(ctx.body().stream), 'Delete');
  await ctx.body().result;
  const quiet = textOf(doc.Quiet)?.trim().toLowerCase() === 'true';
  const objects = listOf(doc.Object).map((o) => {
    const rec = (o ?? {}) as Record<string, unknown>;
    const key = textOf(rec.Key);
    if (key === undefined) throw new S3Error('MalformedXML', 'every <Object> of a Delete request needs a <Key>.');
    return { key, versionId: textOf(rec.VersionId) };
  });
  if (objects.length === 0) throw new S3Error('MalformedXML', 'a Delete request must name at least one <Object>.');
  if (objects.length > MAX_DELETE_KEYS) throw new S3Error('MalformedXML', `a Delete request may name at most ${MAX_DELETE_KEYS} objects; this one names ${objects.length}.`);
  await requireBucket(ctx, bucket);

  const outcomes: DeleteOutcome[] = new Array(objects.length);
  const dirs: string[] = [];
  let next = 0;
  const worker = async () => {
    while (next < objects.length) {
      const i = next++;
      const { key, versionId } = objects[i]!;
      const out: DeleteOutcome = { key, ...(versionId !== undefined ? { versionId } : {}) };
      try {
        if (versionId !== undefined && versionId !== 'null') throw new S3Error('NoSuchVersion');
        const dir = await deleteKey(ctx, bucket, key);
        if (dir !== undefined) dirs.push(dir);
      } catch (err) {
        out.error = s3ErrorOf(err, 'object-write');
        if (out.error.code === 'InternalError') ctx.req.log.error({ err, key }, 'DeleteObjects: internal error');
      }
      outcomes[i] = out;
    }
  };
  await Promise.all(Array.from({ length: Math.min(DELETE_CONCURRENCY, objects.length) }, worker));
  await cleanup(ctx, bucket, dirs);

  const children = outcomes.map((o) =>
    o.error
      ? el('Error', el('Key', o.key), o.versionId !== undefined ? el('VersionId', o.versionId) : undefined, el('Code', o.error.code), el('Message', o.error.message))
      : quiet
        ? undefined
        : el('Deleted', el('Key', o.key), o.versionId !== undefined ? el('VersionId', o.versionId) : undefined),
  );
  sendXml(ctx, el('DeleteResult', children));
}

