// Incomplete multipart uploads expire: an upload older than `maxAgeMs` is aborted, which releases its
// parts' chunks to the master's garbage collector. (MinIO does the same, after 24 h by default.) The
// sweep runs in every gateway; aborting is idempotent, so several gateways sweeping at once is
// harmless — only wasted calls.
import type { Logger } from '../../common/log.js';
import type { ObjectService } from '../service/object-service.js';

export const DEFAULT_UPLOAD_MAX_AGE_MS = 24 * 3600_000;

/** Aborts every upload created more than `maxAgeMs` before `now`; returns how many. */
export async function expireUploads(service: ObjectService, maxAgeMs: number, now = Date.now()): Promise<number> {
  let n = 0;
  for (const up of await service.multipart.list('/')) {
    if (now - up.createdMs <= maxAgeMs) continue;
    await service.multipart.abort(up.uploadId);
    n++;
  }
  return n;
}

/** Sweeps every `intervalMs` (default: a tenth of the age, between 1 minute and 1 hour). Returns a stop function. */
export function startUploadExpiry(service: ObjectService, log: Logger, maxAgeMs: number, intervalMs?: number): () => void {
  const every = intervalMs ?? Math.min(3600_000, Math.max(60_000, Math.floor(maxAgeMs / 10)));
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    expireUploads(service, maxAgeMs)
      .then((n) => n > 0 && log.info({ aborted: n, maxAgeMs }, 's3: expired incomplete multipart uploads'))
      .catch((err: unknown) => log.warn({ err }, 's3: could not expire incomplete uploads; will retry'))
      .finally(() => (running = false));
  }, every);
  timer.unref();
  return () => clearInterval(timer);
}
