// Extended attribute names as the mount shows them. An object's S3 user metadata is stored as the
// xattr `x-amz-meta-<name>`; the mount shows it as `user.<name>` (the namespace Linux gives
// unprivileged users), both ways, so `setfattr -n user.color` is `x-amz-meta-color` to S3 and /v1.
// Every other stored xattr (content-type, checksums, …) can be read as `godfs.<key>` but is not
// listed (tools that copy xattrs would fail on a namespace other file systems refuse) and cannot be
// changed through the mount. security.*, system.*, trusted.* are not supported.

export const USER_PREFIX = 'user.';
export const META_PREFIX = 'x-amz-meta-';
export const GODFS_PREFIX = 'godfs.';

export type XattrName =
  | { kind: 'user'; key: string }
  | { kind: 'godfs'; key: string }
  | { kind: 'unsupported' };

export function parseXattrName(name: string): XattrName {
  if (name.startsWith(USER_PREFIX) && name.length > USER_PREFIX.length) return { kind: 'user', key: META_PREFIX + name.slice(USER_PREFIX.length) };
  if (name.startsWith(GODFS_PREFIX) && name.length > GODFS_PREFIX.length) return { kind: 'godfs', key: name.slice(GODFS_PREFIX.length) };
  return { kind: 'unsupported' };
}

/** The names listxattr reports for a file's stored xattrs. */
export function listedNames(xattrs: Record<string, Buffer>): string[] {
  return Object.keys(xattrs)
    .filter((k) => k.startsWith(META_PREFIX) && k.length > META_PREFIX.length)
    .map((k) => USER_PREFIX + k.slice(META_PREFIX.length))
    .sort();
}
