// Bucket names and keys, and how they map onto the godfs namespace: bucket = top-level directory,
// key = the path below it (`a/b/c` in bucket `media` is the file `/media/a/b/c`). S3 allows keys that
// no file system can hold (`a//b`, `./x`, a 300-byte segment); those are refused with a clear error
// instead of being silently rewritten, so a key always round-trips byte for byte.
import { NAME_MAX } from '../../common/paths.js';
import { S3Error } from './errors.js';

/** S3's limit on a key, in UTF-8 bytes. */
export const MAX_KEY_BYTES = 1024;

/**
 * Names the gateway keeps for its own routes on the shared listen address; a bucket of that name could
 * never be reached path-style. (`v1` is not listed: bucket names have at least 3 characters.)
 */
export const RESERVED_BUCKET_NAMES: ReadonlySet<string> = new Set(['healthz', 'readyz', 'metrics']);

const IPV4 = /^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$/;

/** Why a bucket name is not valid, or undefined when it is (S3 "Bucket naming rules", general purpose). */
export function bucketNameProblem(name: string): string | undefined {
  if (name.length < 3 || name.length > 63) return 'bucket names must be between 3 and 63 characters long';
  if (!/^[a-z0-9.-]+$/.test(name)) return 'bucket names can consist only of lowercase letters, numbers, dots (.), and hyphens (-)';
  if (!/^[a-z0-9]/.test(name) || !/[a-z0-9]$/.test(name)) return 'bucket names must begin and end with a letter or number';
  if (name.includes('..')) return 'bucket names must not contain two adjacent periods';
  if (IPV4.test(name)) return 'bucket names must not be formatted as an IP address';
  if (name.startsWith('xn--') || name.startsWith('sthree-') || name.startsWith('amzn-s3-demo-')) return 'bucket names must not start with the prefixes xn--, sthree- or amzn-s3-demo-';
  if (name.endsWith('-s3alias') || name.endsWith('--ol-s3') || name.endsWith('.mrap') || name.endsWith('--x-s3')) return 'bucket names must not end with the suffixes -s3alias, --ol-s3, .mrap or --x-s3';
  if (RESERVED_BUCKET_NAMES.has(name)) return `"${name}" is reserved: the gateway serves /${name} itself on this address`;
  return undefined;
}

/** Throws InvalidBucketName with the rule that was broken. */
export function checkBucketName(name: string): void {
  const problem = bucketNameProblem(name);
  if (problem) throw new S3Error('InvalidBucketName', `The specified bucket is not valid: ${problem}.`);
}

export function bucketPath(bucket: string): string {
  return `/${bucket}`;
}

/** A key ending in "/" is a folder marker: stored as a (marked) directory, never as a file. */
export function isFolderKey(key: string): boolean {
  return key.endsWith('/');
}

/**
 * The godfs path of a key. Throws KeyTooLongError over 1024 bytes and XGodfsInvalidObjectName for keys
 * the namespace cannot hold. A folder key `a/b/` maps to the directory `/bucket/a/b`.
 */
export function keyPath(bucket: string, key: string): string {
  checkKey(key);
  const body = isFolderKey(key) ? key.slice(0, -1) : key;
  return `/${bucket}/${body}`;
}

export function checkKey(key: string): void {
  if (key === '') throw new S3Error('InvalidArgument', 'the key must not be empty');
  if (Buffer.byteLength(key, 'utf8') > MAX_KEY_BYTES) throw new S3Error('KeyTooLongError', `Your key is too long: it is ${Buffer.byteLength(key, 'utf8')} bytes of UTF-8; the limit is ${MAX_KEY_BYTES}.`);
  const invalid = (why: string) => new S3Error('XGodfsInvalidObjectName', `The key cannot be stored as a godfs path: ${why}.`);
  if (!(key as unknown as { isWellFormed(): boolean }).isWellFormed()) throw invalid('it is not valid UTF-8');
  if (key.includes('\0')) throw invalid('it contains a NUL byte');
  if (key.startsWith('/')) throw invalid('it starts with "/"');
  const body = isFolderKey(key) ? key.slice(0, -1) : key;
  for (const seg of body.split('/')) {
    if (seg === '') throw invalid('it contains "//" (an empty path segment)');
    if (seg === '.' || seg === '..') throw invalid(`it contains a "${seg}" segment`);
    if (Buffer.byteLength(seg, 'utf8') > NAME_MAX) throw invalid(`a segment between "/" is longer than ${NAME_MAX} bytes`);
  }
}

/** The key a file path stands for, given its bucket ("/b/x/y" → "x/y"); undefined outside the bucket. */
export function keyOfPath(bucket: string, path: string): string | undefined {
  const root = `/${bucket}/`;
  return path.startsWith(root) && path.length > root.length ? path.slice(root.length) : undefined;
}
