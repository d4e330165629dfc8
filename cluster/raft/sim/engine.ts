// The simulation's engine: one thread, virtual time in milliseconds, and an event queue ordered by
// (time, sequence number), so a seed fixes every interleaving. Randomness comes from pure-rand's
// xoroshiro128+, seeded.
import prand from 'pure-rand';

export class Rng {
  readonly #g: prand.RandomGenerator;
  constructor(seed: number) {
    this.#g = prand.xoroshiro128plus(seed);
  }
  /** Uniform integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return prand.unsafeUniformIntDistribution(lo, hi, this.#g);
  }
  /** Uniform in [0, 1). */
  float(): number {
    return prand.unsafeUniformIntDistribution(0, 0x3fffffff, this.#g) / 0x40000000;
  }
  chance(p: number): boolean {
    return this.float() < p;
  }
  pick<T>(xs: readonly T[]): T {
    if (xs.length === 0) throw new Error('pick from nothing');
    return xs[this.int(0, xs.length - 1)]!;
  }
  shuffle<T>(xs: T[]): T[] {
    for (let i = xs.length - 1; i > 0; i--) {
      const j = this.int(0, i);
      [xs[i], xs[j]] = [xs[j]!, xs[i]!];
    }
    return xs;
  }
}

interface Event {
  at: number;
  seq: number;
  run: () => void;
}

export class EventQueue {
  #heap: Event[] = [];
  #seq = 0;
  now = 0;
  steps = 0;

  at(time: number, run: () => void): void {
    this.#push({ at: Math.max(time, this.now), seq: this.#seq++, run });
  }
  after(delay: number, run: () => void): void {
    this.at(this.now + delay, run);
  }
  get size(): number {
    return this.#heap.length;
  }
  /** Runs the next event; false when none is left. */
  step(): boolean {
    const e = this.#pop();
    if (!e) return false;
    this.now = e.at;
    this.steps++;
    e.run();
    return true;
  }

  #less(a: Event, b: Event): boolean {
    return a.at < b.at || (a.at === b.at && a.seq < b.seq);
  }
  #push(e: Event): void {
    const h = this.#heap;
    h.push(e);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.#less(h[i]!, h[p]!)) break;
      [h[i], h[p]] = [h[p]!, h[i]!];
      i = p;
    }
  }
  #pop(): Event | undefined {
    const h = this.#heap;
    if (h.length === 0) return undefined;
    const top = h[0]!;
    const last = h.pop()!;
    if (h.length > 0) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && this.#less(h[l]!, h[m]!)) m = l;
        if (r < h.length && this.#less(h[r]!, h[m]!)) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m]!, h[i]!];
        i = m;
      }
    }
    return top;
  }
}
