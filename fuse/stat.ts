// FileInfo → the stat fuse-native hands to the kernel, and cluster totals → statfs.
import type Fuse from 'fuse-native';
import type { ClusterStats, FileInfo } from '../sdk/types.js';

export const S_IFDIR = 0o040000;
export const S_IFREG = 0o100000;
export const S_IFLNK = 0o120000;

/** st_blksize: cp, tar and friends size their buffers from it; 1 MiB keeps syscalls few. */
const BLKSIZE = 1 << 20;

export function toStat(info: FileInfo, override?: { size: number; mtimeMs: number }): Fuse.Stat {
  const type = info.type === 'dir' ? S_IFDIR : info.type === 'symlink' ? S_IFLNK : S_IFREG;
  const size = info.type === 'symlink' ? Buffer.byteLength(info.target ?? '') : (override?.size ?? info.size);
  const mtime = override ? Math.max(override.mtimeMs, info.mtimeMs) : info.mtimeMs;
  return {
    mode: type | (info.type === 'symlink' ? 0o777 : info.mode & 0o7777),
    uid: info.uid,
    gid: info.gid,
    size,
    nlink: info.nlink > 0 ? info.nlink : info.isDir ? 2 : 1,
    // fuse-native carries st_ino as 32 bits; godfs ids start small and grow by one per inode.
    ino: info.id >>> 0,
    blksize: BLKSIZE,
    blocks: Math.ceil(size / 512),
    atime: info.atimeMs,
    mtime,
    ctime: Math.max(info.ctimeMs, mtime),
  };
}

const U32 = 0xffffffff;

/** statfs fields are 32-bit in fuse-native: the fragment size grows until the block counts fit. */
export function toStatfs(s: ClusterStats): Fuse.Statfs {
  let frsize = 4096;
  while (Math.max(s.capacity, s.free) / frsize > U32) frsize *= 2;
  const files = U32;
  return {
    bsize: BLKSIZE,
    frsize,
    blocks: Math.floor(s.capacity / frsize),
    bfree: Math.floor(s.free / frsize),
    bavail: Math.floor(s.free / frsize),
    files,
    ffree: Math.max(0, files - s.inodes),
    favail: Math.max(0, files - s.inodes),
    fsid: 0,
    flag: 0,
    namemax: 255,
  };
}
