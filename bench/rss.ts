// Samples a process's resident set size from /proc/<pid>/status (Linux): the peak of VmRSS seen while
// sampling, and VmHWM (the kernel's high-water mark since the process started).
import { readFile } from 'node:fs/promises';

export interface MemoryStatus {
  rssBytes: number;
  hwmBytes: number;
}

export async function memoryOf(pid: number): Promise<MemoryStatus | undefined> {
  const text = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => undefined);
  if (!text) return undefined;
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? NaN) * 1024;
  return { rssBytes: kb('VmRSS'), hwmBytes: kb('VmHWM') };
}

export class RssSampler {
  #pid: number;
  #timer: NodeJS.Timeout | undefined;
  peakRssBytes = 0;
  samples = 0;

  constructor(pid: number) {
    this.#pid = pid;
  }

  start(intervalMs = 50): void {
    const tick = () => {
      void memoryOf(this.#pid).then((m) => {
        if (m && Number.isFinite(m.rssBytes)) {
          this.peakRssBytes = Math.max(this.peakRssBytes, m.rssBytes);
          this.samples++;
        }
      });
    };
    tick();
    this.#timer = setInterval(tick, intervalMs);
  }

  async stop(): Promise<{ peakRssBytes: number; hwmBytes: number | undefined; samples: number }> {
    if (this.#timer) clearInterval(this.#timer);
    const m = await memoryOf(this.#pid);
    if (m) this.peakRssBytes = Math.max(this.peakRssBytes, m.rssBytes);
    return { peakRssBytes: this.peakRssBytes, hwmBytes: m?.hwmBytes, samples: this.samples };
  }
}
