// The one HTTP client code the benchmark drives both the ceiling and godfs with: undici pools with
// keep-alive, bodies generated from one reused 1 MiB buffer (no disk or RNG cost on the client side),
// responses counted and discarded.
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { Pool } from 'undici';

export interface Target {
  name: string;
  /** http://host:port */
  endpoint: string;
  headers: Record<string, string>;
}

const PIECE = randomBytes(1 << 20);

export class Loader {
  readonly target: Target;
  #pool: Pool;

  constructor(target: Target, connections: number) {
    this.target = target;
    this.#pool = new Pool(target.endpoint, {
      connections,
      pipelining: 1,
      keepAliveTimeout: 60_000,
      headersTimeout: 0,
      bodyTimeout: 0,
    });
  }

  #path(remote: string): string {
    return `/v1/fs/content?path=${encodeURIComponent(remote)}`;
  }

  /** PUTs `size` bytes to `remote`; resolves with the elapsed seconds. */
  async put(remote: string, size: number, body?: Buffer): Promise<number> {
    const started = process.hrtime.bigint();
    const source =
      body ??
      Readable.from(
        (function* () {
        let left = size;
        while (left > 0) {
          const n = Math.min(left, PIECE.length);
          yield n === PIECE.length ? PIECE : PIECE.subarray(0, n);
          left -= n;
        }
      })(),
        { objectMode: false },
      );
    const res = await this.#pool.request({
      path: `${this.#path(remote)}&parents=1`,
      method: 'PUT',
      headers: { ...this.target.headers, 'content-length': String(size), 'content-type': 'application/octet-stream' },
      body: source,
    });
    const text = await res.body.text();
    if (res.statusCode >= 300) throw new Error(`${this.target.name}: PUT ${remote} → ${res.statusCode} ${text.slice(0, 200)}`);
    return Number(process.hrtime.bigint() - started) / 1e9;
  }

  /** GETs `remote`, discarding the bytes; resolves with the elapsed seconds and the byte count. */
  async get(remote: string): Promise<{ seconds: number; bytes: number }> {
    const started = process.hrtime.bigint();
    const res = await this.#pool.request({ path: this.#path(remote), method: 'GET', headers: this.target.headers });
    if (res.statusCode !== 200) throw new Error(`${this.target.name}: GET ${remote} → ${res.statusCode} ${(await res.body.text()).slice(0, 200)}`);
    let bytes = 0;
    for await (const chunk of res.body) bytes += (chunk as Buffer).length;
    return { seconds: Number(process.hrtime.bigint() - started) / 1e9, bytes };
  }

  async close(): Promise<void> {
    await this.#pool.close();
  }
}

/** Runs `count` operations with at most `concurrency` in flight; resolves with ops/s. */
export async function opsPerSecond(count: number, concurrency: number, op: (i: number) => Promise<unknown>): Promise<number> {
  let next = 0;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async () => {
      while (next < count) await op(next++);
    }),
  );
  return count / (Number(process.hrtime.bigint() - started) / 1e9);
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}
