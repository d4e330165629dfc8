// Checks a directory before mounting on it: it must exist, be a directory, be empty, and not already
// be a mount point — a busy or stale mount is refused with a message that says what to do.
import { readdir, realpath, stat } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';

export class MountPointError extends Error {
  readonly code = 'mount_point';
}

/** Mount points listed in /proc/self/mountinfo (field 5, with octal escapes decoded). */
export function mountedPaths(): Set<string> {
  try {
    const text = readFileSync('/proc/self/mountinfo', 'utf8');
    const out = new Set<string>();
    for (const line of text.split('\n')) {
      const f = line.split(' ');
      if (f.length > 4) out.add(f[4]!.replace(/\\([0-7]{3})/g, (_m, o: string) => String.fromCharCode(parseInt(o, 8))));
    }
    return out;
  } catch {
    return new Set();
  }
}

/** Resolves and vets the mount point; returns its absolute, symlink-free path. */
export async function checkMountPoint(path: string): Promise<string> {
  let abs: string;
  try {
    abs = await realpath(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOTCONN') throw new MountPointError(`${path} is a stale FUSE mount (transport endpoint is not connected); run: fusermount -uz ${path}`);
    if (code === 'ENOENT') throw new MountPointError(`mount point ${path} does not exist; create it first (mkdir -p ${path})`);
    throw new MountPointError(`cannot use mount point ${path}: ${(err as Error).message}`);
  }
  const st = await stat(abs).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOTCONN') throw new MountPointError(`${path} is a stale FUSE mount; run: fusermount -uz ${abs}`);
    throw new MountPointError(`cannot use mount point ${path}: ${err.message}`);
  });
  if (!st.isDirectory()) throw new MountPointError(`mount point ${path} is not a directory`);
  const parent = abs === '/' ? undefined : await stat(dirname(abs)).catch(() => undefined);
  if (abs === '/' || mountedPaths().has(abs) || (parent && parent.dev !== st.dev)) {
    throw new MountPointError(`mount point ${path} is busy: something is already mounted there (unmount it first: fusermount -u ${abs})`);
  }
  const entries = await readdir(abs);
  if (entries.length > 0) {
    throw new MountPointError(`mount point ${path} is not empty (${entries.length} entr${entries.length === 1 ? 'y' : 'ies'}); mount on an empty directory so no files are hidden`);
  }
  return abs;
}
