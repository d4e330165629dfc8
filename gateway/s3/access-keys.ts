// Access-key lookup for SigV4: the root key from configuration, else the keys kept in master metadata
// (`godfs admin keys …`), cached for a few seconds (`ttlMs`) so a request costs no master round trip.
// A key the cache does not know triggers a refresh — a key created a moment ago must work at once —
// but refreshes start at most once per `minRefreshMs`: a miss that comes sooner waits for the next
// one (shared by every request waiting), so a client hammering with a bogus key slows itself down,
// not the master. A revoked key keeps working until the cache expires (at most `ttlMs`).
import type { AccessKeyInfo } from '../../sdk/types.js';
import type { S3Credentials } from './auth/index.js';
import { S3Error } from './errors.js';

export type { S3Credentials };

export interface AccessKeyCacheOptions {
  rootAccessKey?: string;
  rootSecretKey?: string;
  /** Source of the stored keys (ObjectService.listAccessKeys). */
  list: () => Promise<AccessKeyInfo[]>;
  ttlMs?: number;
  minRefreshMs?: number;
  now?: () => number;
}

export class AccessKeyCache {
  readonly #o: AccessKeyCacheOptions;
  #keys = new Map<string, S3Credentials>();
  #loadedAt = -Infinity;
  #attemptedAt = -Infinity;
  #inflight: Promise<void> | undefined;
  #scheduled: Promise<void> | undefined;
  #now: () => number;

  constructor(o: AccessKeyCacheOptions) {
    this.#o = o;
    this.#now = o.now ?? Date.now;
  }

  /** The KeyLookup the SigV4 verifier calls. */
  readonly lookup = async (accessKeyId: string): Promise<S3Credentials | undefined> => {
    const { rootAccessKey, rootSecretKey } = this.#o;
    if (rootAccessKey && rootSecretKey && accessKeyId === rootAccessKey) return { accessKeyId, secretKey: rootSecretKey, buckets: [], readOnly: false };
    const now = this.#now();
    const stale = now - this.#loadedAt > (this.#o.ttlMs ?? 5000);
    if (stale || !this.#keys.has(accessKeyId)) {
      try {
        await (stale ? this.#refresh() : this.#refreshSoon());
      } catch (err) {
        // With an older copy we keep serving it (the master may be restarting); with none we cannot
        // tell a bad key from an outage, so say "retry" rather than InvalidAccessKeyId.
        if (this.#loadedAt === -Infinity) throw new S3Error('ServiceUnavailable', `cannot look up access keys: ${(err as Error).message}`, { cause: err });
      }
    }
    return this.#keys.get(accessKeyId);
  };

  /** A refresh no sooner than `minRefreshMs` after the previous one started. */
  #refreshSoon(): Promise<void> {
    const wait = this.#attemptedAt + (this.#o.minRefreshMs ?? 1000) - this.#now();
    if (wait <= 0 && !this.#inflight) return this.#refresh();
    this.#scheduled ??= new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, wait))).then(async () => {
      await this.#inflight?.catch(() => undefined);
      this.#scheduled = undefined;
      return this.#refresh();
    });
    return this.#scheduled;
  }

  #refresh(): Promise<void> {
    this.#inflight ??= (async () => {
      this.#attemptedAt = this.#now();
      try {
        const list = await this.#o.list();
        this.#keys = new Map(list.map((k) => [k.accessKeyId, { accessKeyId: k.accessKeyId, secretKey: k.secretKey, buckets: [...k.buckets], readOnly: k.readOnly }]));
        this.#loadedAt = this.#now();
      } finally {
        this.#inflight = undefined;
      }
    })();
    return this.#inflight;
  }
}
