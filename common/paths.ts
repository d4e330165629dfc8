// Path rules shared by the master, the sdk and the gateway. A path is absolute, '/'-separated UTF-8;
// no segment may be empty, '.', '..' or hold a NUL byte; a segment is at most 255 bytes and the whole
// path at most 4096 bytes (Linux NAME_MAX / PATH_MAX). A single trailing '/' is tolerated.
import { InvalidPathError } from './errors.js';

export const NAME_MAX = 255;
export const PATH_MAX = 4096;

/** Validates and normalises a path; returns its segments ([] for the root). */
export function splitPath(path: string): string[] {
  if (typeof path !== 'string' || path.length === 0) throw new InvalidPathError('path is empty');
  if (!path.startsWith('/')) throw new InvalidPathError(`path must be absolute: ${JSON.stringify(path)}`);
  if (path.includes('\0')) throw new InvalidPathError('path contains a NUL byte');
  if (Buffer.byteLength(path, 'utf8') > PATH_MAX) throw new InvalidPathError(`path is longer than ${PATH_MAX} bytes`);
  if (!(path as unknown as { isWellFormed(): boolean }).isWellFormed()) throw new InvalidPathError('path is not valid UTF-8');
  if (path === '/') return [];
  const body = path.endsWith('/') ? path.slice(1, -1) : path.slice(1);
  const parts = body.split('/');
  for (const p of parts) {
    if (p === '') throw new InvalidPathError(`path has an empty segment: ${JSON.stringify(path)}`);
    if (p === '.' || p === '..') throw new InvalidPathError(`path may not contain '.' or '..' segments: ${JSON.stringify(path)}`);
    if (Buffer.byteLength(p, 'utf8') > NAME_MAX) throw new InvalidPathError(`a path segment is longer than ${NAME_MAX} bytes`);
  }
  return parts;
}

export function normalizePath(path: string): string {
  return '/' + splitPath(path).join('/');
}

export function joinPath(dir: string, name: string): string {
  return dir === '/' ? `/${name}` : `${dir}/${name}`;
}

export function parentOf(path: string): string {
  const parts = splitPath(path);
  return '/' + parts.slice(0, -1).join('/');
}

export function baseName(path: string): string {
  const parts = splitPath(path);
  return parts.length ? parts[parts.length - 1]! : '';
}

/** True when `inner` is `outer` or lies below it (both normalised). */
export function isWithin(outer: string, inner: string): boolean {
  if (outer === '/') return true;
  return inner === outer || inner.startsWith(outer + '/');
}
