// Linux errno values and the one mapping from godfs error codes to them. FUSE callbacks answer with a
// negative errno; every op goes through toErrno so the same sdk error always means the same errno.
import { GodfsError, type ErrorCode } from '../common/errors.js';

export const E = {
  EPERM: 1,
  ENOENT: 2,
  EIO: 5,
  EBADF: 9,
  EAGAIN: 11,
  ENOMEM: 12,
  EACCES: 13,
  EBUSY: 16,
  EEXIST: 17,
  EXDEV: 18,
  ENOTDIR: 20,
  EISDIR: 21,
  EINVAL: 22,
  EFBIG: 27,
  ENOSPC: 28,
  EROFS: 30,
  ERANGE: 34,
  ENAMETOOLONG: 36,
  ENOSYS: 38,
  ENOTEMPTY: 39,
  ENODATA: 61,
  EOPNOTSUPP: 95,
  ETIMEDOUT: 110,
} as const;

/** An error an op raises on purpose with a precise errno (e.g. EROFS on a read-only mount). */
export class ErrnoError extends Error {
  readonly errno: number;
  constructor(errno: number, message?: string) {
    super(message ?? `errno ${errno}`);
    this.errno = errno;
  }
}

const BY_CODE: Partial<Record<ErrorCode, number>> = {
  not_found: E.ENOENT,
  already_exists: E.EEXIST,
  not_empty: E.ENOTEMPTY,
  not_a_directory: E.ENOTDIR,
  is_a_directory: E.EISDIR,
  invalid_path: E.EINVAL,
  invalid_argument: E.EINVAL,
  invalid_range: E.EINVAL,
  permission_denied: E.EACCES,
  unauthenticated: E.EACCES,
  // A checksum failure on every replica is lost data: the classic EIO.
  checksum_mismatch: E.EIO,
  unavailable: E.EIO,
  not_leader: E.EIO,
  no_space: E.ENOSPC,
  too_large: E.EFBIG,
  precondition_failed: E.EEXIST,
  conflict: E.EBUSY,
  rate_limited: E.EAGAIN,
  not_implemented: E.ENOSYS,
};

/** The positive errno for any error an op may meet. */
export function errnoOf(err: unknown): number {
  if (err instanceof ErrnoError) return err.errno;
  if (err instanceof GodfsError) {
    // Name-length and path-length violations come back as invalid_path; Linux says ENAMETOOLONG.
    if (err.code === 'invalid_path' && /longer than/.test(err.message)) return E.ENAMETOOLONG;
    return BY_CODE[err.code] ?? E.EIO;
  }
  return E.EIO;
}

/** Negative errno, as fuse-native callbacks want it. */
export function toErrno(err: unknown): number {
  return -errnoOf(err);
}
