// Background scrubber (GFS §5.2: "during idle periods, chunkservers can scan and verify the contents of
// inactive chunks"; HDFS's block scanner): re-reads every replica and checks every 64 KiB block's CRC,
// at a bounded rate so foreground I/O keeps the disk. A replica that fails is marked corrupt by the
// store, which reports it to the master through the heartbeat (master-link.ts); the master re-creates
// it from a good copy and then has this one deleted.
import { GodfsError } from '../../common/errors.js';
import type { Logger } from '../../common/log.js';
import type { ChunkStore } from './chunk-store.js';

export interface ScrubberOptions {
  store: ChunkStore;
  /** Verification rate, bytes/s (0 = off). */
  bytesPerSec: number;
  /** A new pass starts no sooner than this after the previous one started (ms). */
  passIntervalMs: number;
  logger: Logger;
}

export interface ScrubStats {
  bytesPerSec: number;
  scrubbedBytes: number;
  passes: number;
  corruptFound: number;
}

export class Scrubber {
  readonly stats: ScrubStats;
  #o: ScrubberOptions;
  #stopped = false;
  #loop: Promise<void> | undefined;
  #wake: (() => void) | undefined;

  constructor(o: ScrubberOptions) {
    this.#o = o;
    this.stats = { bytesPerSec: o.bytesPerSec, scrubbedBytes: 0, passes: 0, corruptFound: 0 };
  }

  start(): void {
    if (this.#o.bytesPerSec <= 0) return;
    this.#o.logger.info({ bytesPerSec: this.#o.bytesPerSec, passIntervalMs: this.#o.passIntervalMs }, 'scrubber started');
    this.#loop ??= this.#run().catch((err: unknown) => this.#o.logger.error({ err }, 'scrubber stopped on an error'));
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#wake?.();
    await this.#loop;
  }

  async #run(): Promise<void> {
    while (!this.#stopped) {
      const started = Date.now();
      await this.#pass();
      if (this.#stopped) break;
      this.stats.passes++;
      await this.#sleep(Math.max(1000, this.#o.passIntervalMs - (Date.now() - started)));
    }
  }

  /** One pass over every replica, oldest id first, paced to bytesPerSec. */
  async #pass(): Promise<void> {
    const { store, logger: log } = this.#o;
    const ids = store.list().map((c) => c.id).sort((a, b) => a - b);
    const t0 = Date.now();
    let bytes = 0;
    let corrupt = 0;
    for (const id of ids) {
      if (this.#stopped) return;
      if (!store.has(id) || store.isCorrupt(id)) continue;
      try {
        for await (const buf of store.read(id, 0, undefined, { scrub: true })) {
          bytes += buf.length;
          this.stats.scrubbedBytes += buf.length;
          // Pace: never ahead of bytesPerSec since the pass began.
          const due = t0 + (bytes / this.#o.bytesPerSec) * 1000 - Date.now();
          if (due > 5) await this.#sleep(due);
          if (this.#stopped) return;
        }
      } catch (err) {
        if (err instanceof GodfsError && err.code === 'checksum_mismatch') {
          corrupt++;
          this.stats.corruptFound++;
          log.error({ chunk: id }, 'scrubber found a corrupt replica; reported to the master');
        } else if (!(err instanceof GodfsError && (err.code === 'not_found' || err.code === 'unavailable'))) {
          log.warn({ err, chunk: id }, 'scrubber could not read a replica');
        }
      }
    }
    log.info({ chunks: ids.length, bytes, corrupt, ms: Date.now() - t0 }, 'scrub pass done');
  }

  #sleep(ms: number): Promise<void> {
    if (this.#stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const t = setTimeout(done, ms);
      function done() {
        clearTimeout(t);
        resolve();
      }
      this.#wake = done;
    });
  }
}
