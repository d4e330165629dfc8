// What a failing test prints beyond its assertion (a mocha root hook, loaded by .mocharc.json): the
// seeds it drew (test/seed.ts), the command that replays it with them, and the tail of every log of
// the multi-process clusters it ran (test/process-cluster.ts) — so a failure seen once in CI, on a
// loaded machine, can be read and replayed without running it again first.
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { Context } from 'mocha';

/** A set of process logs: every `*.log` file in a directory. */
export interface LogSource {
  logsDir: string;
  label: string;
}

const TAIL_LINES = 30;
const seeds: Array<{ label: string; seed: number }> = [];
const live = new Set<LogSource>();
/** Tails of clusters that the test destroyed before the hook ran (their directories are gone). */
const kept: string[] = [];

export function noteSeed(label: string, seed: number): void {
  seeds.push({ label, seed });
}

export function noteLogs(s: LogSource): void {
  live.add(s);
}

/** Before a log source's files are removed: keep their tails in case the test turns out to fail. */
export async function forgetLogs(s: LogSource): Promise<void> {
  if (!live.delete(s)) return;
  kept.push(await tails(s));
  if (kept.length > 8) kept.shift();
}

async function tails(s: LogSource): Promise<string> {
  let names: string[];
  try {
    names = (await readdir(s.logsDir)).filter((n) => n.endsWith('.log')).sort();
  } catch {
    return `  ${s.label}: no logs (${s.logsDir})\n`;
  }
  let out = '';
  for (const n of names) {
    const text = await readFile(join(s.logsDir, n), 'utf8').catch(() => '');
    const lines = text.trimEnd().split('\n');
    out += `  --- ${s.label} ${n}, last ${Math.min(TAIL_LINES, lines.length)} of ${lines.length} lines ---\n`;
    out += lines.slice(-TAIL_LINES).map((l) => `  | ${l}`).join('\n') + '\n';
  }
  return out;
}

function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

export const mochaHooks = {
  beforeEach(): void {
    seeds.length = 0;
    kept.length = 0;
  },
  async afterEach(this: Context): Promise<void> {
    const t = this.currentTest;
    if (!t || t.state !== 'failed') {
      seeds.length = 0;
      return;
    }
    let out = '';
    if (seeds.length) {
      const file = t.file ? relative(process.cwd(), t.file) : 'dist/**/*.test.js';
      out += `  seeds: ${seeds.map((s) => `${s.label}=${s.seed}`).join(', ')}\n`;
      out += `  replay: GODFS_SEED=${seeds[0]!.seed} npx mocha --no-config --exit --timeout 300000 ${file} --grep ${shellQuote(t.fullTitle())}\n`;
    }
    for (const k of kept) out += k;
    for (const s of live) out += await tails(s);
    if (out) console.log(`\n  ==== ${t.fullTitle()} failed ====\n${out}  ====`);
    seeds.length = 0;
    kept.length = 0;
  },
};
