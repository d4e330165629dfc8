// The mount's one memory budget for file data it holds: dirty write-back bytes and read-ahead windows.
// Writers wait when it is spent (backpressure reaches the writing process through the kernel), and
// ask for dirty data to be flushed so the wait ends; read-ahead only takes what is free, up to its
// share, and otherwise falls back to plain reads — it is an optimisation and must never block writes.
export class MemoryBudget {
  readonly total: number;
  readonly readShare: number;
  #used = 0;
  #readUsed = 0;
  /** Most bytes ever held at once (logged at unmount; the tests check the bound holds). */
  peak = 0;
  #waiters: Array<{ n: number; resolve: () => void }> = [];
  /** Called while a writer waits: flush something. Set by the owner of the dirty data. */
  onPressure: () => void = () => undefined;

  constructor(total: number, readShare = 0.5) {
    this.total = total;
    this.readShare = Math.floor(total * readShare);
  }

  get used(): number {
    return this.#used;
  }

  /** Waits until `n` bytes fit. A request larger than the whole budget waits for an empty budget. */
  async acquire(n: number): Promise<void> {
    if (this.#fits(n) && this.#waiters.length === 0) {
      this.#take(n);
      return;
    }
    const p = new Promise<void>((resolve) => this.#waiters.push({ n, resolve }));
    this.onPressure();
    await p;
  }

  tryAcquireRead(n: number): boolean {
    if (this.#readUsed + n > this.readShare || !this.#fits(n) || this.#waiters.length > 0) return false;
    this.#take(n);
    this.#readUsed += n;
    return true;
  }

  releaseRead(n: number): void {
    this.#readUsed -= n;
    this.release(n);
  }

  release(n: number): void {
    this.#used -= n;
    if (this.#used < 0) this.#used = 0;
    while (this.#waiters.length > 0 && this.#fits(this.#waiters[0]!.n)) {
      const w = this.#waiters.shift()!;
      this.#take(w.n);
      w.resolve();
    }
    if (this.#waiters.length > 0) this.onPressure();
  }

  #take(n: number): void {
    this.#used += n;
    if (this.#used > this.peak) this.peak = this.#used;
  }

  #fits(n: number): boolean {
    return this.#used + n <= this.total || this.#used === 0;
  }
}
