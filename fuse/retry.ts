// Retry with backoff on `unavailable`: a master or chunkserver restart while mounted must look like
// a slow operation, not an I/O error. The sdk already resends calls that never reached the master;
// this layer also retries calls whose outcome is unknown, which is why callers say how to recognise
// "the first attempt did land" for operations that are not idempotent (see `settle`).
import { GodfsError } from '../common/errors.js';
import type { Logger } from '../common/log.js';

export interface RetryPolicy {
  /** Give up (and surface EIO) after this long. */
  retryForMs: number;
  initialDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { retryForMs: 120_000, initialDelayMs: 100, maxDelayMs: 2_000 };

export function isUnavailable(err: unknown): boolean {
  return err instanceof GodfsError && err.code === 'unavailable';
}

export interface Settled<T> {
  value: T;
}

export interface RetryOptions<T> {
  /**
   * Called when an attempt after an `unavailable` failed with another error: the earlier attempt may
   * have been applied (e.g. a create whose reply was lost now says already_exists). Return { value }
   * to treat the operation as done, or undefined to surface the error.
   */
  settle?: (err: unknown) => Promise<Settled<T> | undefined> | Settled<T> | undefined;
}

export class Retrier {
  readonly policy: RetryPolicy;
  #log: Logger;

  constructor(policy: RetryPolicy, log: Logger) {
    this.policy = policy;
    this.#log = log;
  }

  async run<T>(what: string, fn: () => Promise<T>, opts: RetryOptions<T> = {}): Promise<T> {
    const started = Date.now();
    let delay = this.policy.initialDelayMs;
    let sawUnavailable = false;
    for (let attempt = 1; ; attempt++) {
      try {
        return await fn();
      } catch (err) {
        if (!isUnavailable(err)) {
          if (sawUnavailable && opts.settle) {
            const v = await opts.settle(err);
            if (v !== undefined) return v.value;
          }
          throw err;
        }
        sawUnavailable = true;
        const elapsed = Date.now() - started;
        if (elapsed + delay > this.policy.retryForMs) {
          this.#log.error({ op: what, attempt, elapsedMs: elapsed, err: (err as Error).message }, 'giving up after retries');
          throw err;
        }
        this.#log.warn({ op: what, attempt, delayMs: delay, err: (err as Error).message }, 'cluster unavailable; retrying');
        await new Promise((r) => setTimeout(r, delay));
        delay = Math.min(delay * 2, this.policy.maxDelayMs);
      }
    }
  }
}
