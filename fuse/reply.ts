// Runs an op's async body and answers fuse-native's callback exactly once: the value on success, a
// negative errno on failure. Expected errors (ENOENT on a lookup, EEXIST…) are logged at debug; I/O
// errors at warn, since they reach an application as EIO.
import type { Logger } from '../common/log.js';
import { E, errnoOf } from './errno.js';

export type ValueCallback<T> = (err: number, value?: T) => void;

const QUIET = new Set<number>([E.ENOENT, E.EEXIST, E.ENOTEMPTY, E.ENOTDIR, E.EISDIR, E.ENODATA, E.EROFS, E.EPERM, E.EOPNOTSUPP, E.EINVAL, E.EACCES]);

function logFailure(log: Logger, op: string, path: string, errno: number, err: unknown): void {
  const fields = { op, path, errno, err: (err as Error)?.message };
  if (QUIET.has(errno)) log.debug(fields, 'op failed');
  else log.warn(fields, 'op failed');
}

function traced<T>(log: Logger, op: string, path: string, body: () => Promise<T>): Promise<T> {
  if (!log.isLevelEnabled('trace')) return body();
  const t0 = performance.now();
  return body().finally(() => log.trace({ op, path, ms: +(performance.now() - t0).toFixed(3) }, 'op'));
}

/** For ops whose callback is (err, value?). */
export function reply<T>(log: Logger, op: string, path: string, cb: ValueCallback<T>, body: () => Promise<T>): void {
  traced(log, op, path, body).then(
    (v) => cb(0, v),
    (err: unknown) => {
      const errno = errnoOf(err);
      logFailure(log, op, path, errno, err);
      cb(-errno);
    },
  );
}

/** For read/write, whose callback takes the byte count or a negative errno. */
export function replyCount(log: Logger, op: string, path: string, cb: (n: number) => void, body: () => Promise<number>): void {
  traced(log, op, path, body).then(
    (n) => cb(n),
    (err: unknown) => {
      const errno = errnoOf(err);
      logFailure(log, op, path, errno, err);
      cb(-errno);
    },
  );
}
