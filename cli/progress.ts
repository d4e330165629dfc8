// A transfer progress bar on stderr (cli-progress), shown only on a terminal and only when the total is
// known; otherwise every method is a no-op, so callers never branch.
import cliProgress from 'cli-progress';
import { humanBytes } from './format.js';

export interface Progress {
  update(bytes: number): void;
  stop(): void;
}

const NONE: Progress = { update() {}, stop() {} };

export function createProgress(label: string, total: number | undefined, enabled: boolean): Progress {
  if (!enabled || !process.stderr.isTTY || total === undefined || !Number.isFinite(total)) return NONE;
  const started = Date.now();
  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format: `${label} [{bar}] {percentage}% | {done} / {all} | {speed} MiB/s | ETA {eta_formatted}`,
      hideCursor: true,
      clearOnComplete: false,
      fps: 10,
      etaBuffer: 50,
    },
    cliProgress.Presets.shades_classic,
  );
  const payload = (bytes: number) => {
    const secs = Math.max((Date.now() - started) / 1000, 0.001);
    return { done: humanBytes(bytes), all: humanBytes(total), speed: (bytes / 2 ** 20 / secs).toFixed(1) };
  };
  bar.start(Math.max(total, 1), 0, payload(0));
  let last = 0;
  return {
    update(bytes: number) {
      last = bytes;
      bar.update(Math.min(bytes, Math.max(total, 1)), payload(bytes));
    },
    stop() {
      bar.update(Math.min(last, Math.max(total, 1)), payload(last));
      bar.stop();
    },
  };
}

/** Passes chunks through, reporting the running byte count. */
export async function* counted(source: AsyncIterable<Uint8Array>, onBytes: (total: number) => void): AsyncGenerator<Uint8Array> {
  let n = 0;
  for await (const chunk of source) {
    n += chunk.length;
    onBytes(n);
    yield chunk;
  }
}
