// Seeded randomness for tests: every run prints its seed, and GODFS_SEED=<n> replays it; a failing
// test prints it again with the command that replays it (test/report.ts).
import { noteSeed } from './report.js';

export interface Rng {
  seed: number;
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [lo, hi]. */
  int(lo: number, hi: number): number;
  pick<T>(xs: readonly T[]): T;
}

/** splitmix32: tiny, fast, good enough to drive test workloads. */
export function rng(label: string): Rng {
  const seed = process.env.GODFS_SEED ? Number(process.env.GODFS_SEED) >>> 0 : (Math.random() * 2 ** 32) >>> 0;
  console.log(`      ${label}: GODFS_SEED=${seed}`);
  noteSeed(label, seed);
  let s = seed;
  const next = () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return ((z ^ (z >>> 16)) >>> 0) / 2 ** 32;
  };
  return {
    seed,
    next,
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: (xs) => xs[Math.floor(next() * xs.length)]!,
  };
}
