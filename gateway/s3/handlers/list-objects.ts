// ListObjectsV2, ListObjects (V1) and ListObjectVersions over the object service's tree walk
// (service/tree-walk.ts): keys in UTF-8 byte order, prefix, delimiter → CommonPrefixes,
// max-keys ≤ 1000, continuation-token / marker / start-after, encoding-type=url (echoed, because
// botocore decodes keys only when the response says <EncodingType>url</EncodingType>), fetch-owner.
// A page costs O(max-keys + depth) master round trips and memory, however large the bucket.
import { compareUtf8 } from '../../../common/utf8.js';
import type { TreeEntry } from '../../service/tree-walk.js';
import { formatEtag } from '../../service/http-conditions.js';
import { isoSeconds, ownerXml, sendXml, type S3Context } from '../context.js';
import { S3Error } from '../errors.js';
import { EMPTY_MD5, isFolderDir } from '../metadata.js';
import { bucketPath } from '../names.js';
import { el, opt, type XmlNode } from '../xml.js';
import { requireBucket } from './buckets.js';

export const MAX_KEYS = 1000;

export interface ListParams {
  prefix: string;
  delimiter: string;
  /** Exclusive lower bound: only entries (keys or common prefixes) sorting after it. */
  after?: string;
  maxKeys: number;
}

export interface ListPage {
  contents: TreeEntry[];
  commonPrefixes: string[];
  truncated: boolean;
  /** The last key or common prefix returned: where the next page starts. */
  last?: string;
}

/**
 * One page. A key below the prefix that contains the delimiter counts as its common prefix (once);
 * an entry — key or common prefix — is returned only when it sorts after `after`, so a page that
 * ended on a common prefix resumes after everything that prefix stands for.
 */
export async function listPage(ctx: S3Context, bucket: string, p: ListParams): Promise<ListPage> {
  await requireBucket(ctx, bucket);
  const page: ListPage = { contents: [], commonPrefixes: [], truncated: false };
  if (p.maxKeys === 0) return page;
  const walk = ctx.deps.service.walk(bucketPath(bucket), { prefix: p.prefix, after: p.after, collapse: p.delimiter === '/', isMarked: isFolderDir });
  let count = 0;
  let lastPrefix: string | undefined;
  for await (const e of walk) {
    let entity = e.key;
    let isPrefix = false;
    if (p.delimiter !== '') {
      const at = e.key.indexOf(p.delimiter, p.prefix.length);
      if (at >= 0) {
        entity = e.key.slice(0, at + p.delimiter.length);
        isPrefix = true;
      }
    }
    if (p.after !== undefined && compareUtf8(entity, p.after) <= 0) continue;
    if (isPrefix && entity === lastPrefix) continue;
    if (count === p.maxKeys) {
      page.truncated = true;
      break;
    }
    if (isPrefix) page.commonPrefixes.push((lastPrefix = entity));
    else page.contents.push(e);
    count++;
    page.last = entity;
  }
  return page;
}

// ---- request parsing ----

function maxKeysOf(ctx: S3Context, name = 'max-keys'): number {
  const v = ctx.query.get(name);
  if (v === null || v === '') return MAX_KEYS;
  if (!/^\d{1,10}$/.test(v)) throw new S3Error('InvalidArgument', `${name} must be a non-negative integer.`);
  return Math.min(Number(v), MAX_KEYS);
}

export function encodingOf(ctx: S3Context): ((s: string) => string) | undefined {
  const v = ctx.query.get('encoding-type');
  if (v === null || v === '') return undefined;
  if (v.toLowerCase() !== 'url') throw new S3Error('InvalidArgument', 'Invalid Encoding Method specified in Request: encoding-type must be "url".');
  // Percent-encode everything but '/' (and the unreserved set): '+' must become %2B, since several
  // clients decode with form rules where a bare '+' is a space.
  return (s) => encodeURIComponent(s).replace(/%2F/g, '/');
}

function commonParams(ctx: S3Context) {
  const prefix = ctx.query.get('prefix') ?? '';
  const delimiter = ctx.query.get('delimiter') ?? '';
  const encode = encodingOf(ctx);
  const enc = (s: string) => (encode ? encode(s) : s);
  return { prefix, delimiter, encode, enc };
}

const TOKEN_VERSION = 'g1:';

export function makeToken(last: string): string {
  return Buffer.from(TOKEN_VERSION + last, 'utf8').toString('base64url');
}

export function readToken(token: string): string {
  const s = Buffer.from(token, 'base64url').toString('utf8');
  if (!s.startsWith(TOKEN_VERSION)) throw new S3Error('InvalidArgument', 'The continuation token provided is incorrect.');
  return s.slice(TOKEN_VERSION.length);
}

function entryXml(name: string, e: TreeEntry, enc: (s: string) => string, withOwner: boolean, extra: XmlNode[] = []): XmlNode {
  const etag = e.kind === 'file' ? e.info.etag : EMPTY_MD5;
  return el(
    name,
    el('Key', enc(e.key)),
    ...extra,
    el('LastModified', isoSeconds(e.info.mtimeMs)),
    el('ETag', formatEtag(etag)),
    el('Size', e.kind === 'file' ? e.info.size : 0),
    withOwner ? ownerXml() : undefined,
    el('StorageClass', 'STANDARD'),
  );
}

const prefixesXml = (page: ListPage, enc: (s: string) => string) => page.commonPrefixes.map((cp) => el('CommonPrefixes', el('Prefix', enc(cp))));

export async function listObjectsV2(ctx: S3Context, bucket: string): Promise<void> {
  const { prefix, delimiter, encode, enc } = commonParams(ctx);
  const maxKeys = maxKeysOf(ctx);
  const token = ctx.query.get('continuation-token');
  const startAfter = ctx.query.get('start-after');
  if (token === '') throw new S3Error('InvalidArgument', 'The continuation token provided is incorrect.');
  const after = token !== null ? readToken(token) : startAfter || undefined;
  const fetchOwner = ctx.query.get('fetch-owner') === 'true';
  const page = await listPage(ctx, bucket, { prefix, delimiter, after, maxKeys });
  sendXml(
    ctx,
    el(
      'ListBucketResult',
      el('Name', bucket),
      el('Prefix', enc(prefix)),
      opt('ContinuationToken', token),
      opt('StartAfter', startAfter === null ? undefined : enc(startAfter)),
      el('KeyCount', page.contents.length + page.commonPrefixes.length),
      el('MaxKeys', maxKeys),
      delimiter !== '' ? el('Delimiter', enc(delimiter)) : undefined,
      el('IsTruncated', String(page.truncated)),
      page.truncated && page.last !== undefined ? el('NextContinuationToken', makeToken(page.last)) : undefined,
      encode ? el('EncodingType', 'url') : undefined,
      page.contents.map((e) => entryXml('Contents', e, enc, fetchOwner)),
      prefixesXml(page, enc),
    ),
  );
}

export async function listObjectsV1(ctx: S3Context, bucket: string): Promise<void> {
  const { prefix, delimiter, encode, enc } = commonParams(ctx);
  const maxKeys = maxKeysOf(ctx);
  const marker = ctx.query.get('marker') ?? '';
  const page = await listPage(ctx, bucket, { prefix, delimiter, after: marker || undefined, maxKeys });
  sendXml(
    ctx,
    el(
      'ListBucketResult',
      el('Name', bucket),
      el('Prefix', enc(prefix)),
      el('Marker', enc(marker)),
      el('MaxKeys', maxKeys),
      delimiter !== '' ? el('Delimiter', enc(delimiter)) : undefined,
      el('IsTruncated', String(page.truncated)),
      // S3 sends NextMarker only with a delimiter; without one clients continue from the last key.
      page.truncated && delimiter !== '' && page.last !== undefined ? el('NextMarker', enc(page.last)) : undefined,
      encode ? el('EncodingType', 'url') : undefined,
      page.contents.map((e) => entryXml('Contents', e, enc, true)),
      prefixesXml(page, enc),
    ),
  );
}

/** Every object is its one and only version, "null" (godfs buckets are unversioned). */
export async function listObjectVersions(ctx: S3Context, bucket: string): Promise<void> {
  const { prefix, delimiter, encode, enc } = commonParams(ctx);
  const maxKeys = maxKeysOf(ctx);
  const keyMarker = ctx.query.get('key-marker') ?? '';
  const versionIdMarker = ctx.query.get('version-id-marker');
  const page = await listPage(ctx, bucket, { prefix, delimiter, after: keyMarker || undefined, maxKeys });
  const version = [el('VersionId', 'null'), el('IsLatest', true)];
  sendXml(
    ctx,
    el(
      'ListVersionsResult',
      el('Name', bucket),
      el('Prefix', enc(prefix)),
      el('KeyMarker', enc(keyMarker)),
      el('VersionIdMarker', versionIdMarker ?? ''),
      page.truncated && page.last !== undefined ? [el('NextKeyMarker', enc(page.last)), el('NextVersionIdMarker', 'null')] : undefined,
      el('MaxKeys', maxKeys),
      delimiter !== '' ? el('Delimiter', enc(delimiter)) : undefined,
      el('IsTruncated', String(page.truncated)),
      encode ? el('EncodingType', 'url') : undefined,
      page.contents.map((e) => entryXml('Version', e, enc, true, version)),
      prefixesXml(page, enc),
    ),
  );
}
