// Waiting in tests: every test that needs something to happen waits for that condition, never for a
// fixed time, so it passes as fast as the machine allows and still passes on a loaded one.
// Deadlines are generous (a busy 2-core machine can be 5× slower than a quiet one); they bound a
// hang, they are not a performance assertion (bench/ measures those).

/**
 * Polls `check` until it returns a truthy value (or, for a check that asserts, until it stops
 * throwing) and returns that value. A check that throws is retried; on timeout the error names what
 * was awaited and carries the last failure.
 */
export async function eventually<T>(
  check: () => T | Promise<T>,
  deadlineMs = 20_000,
  what = 'a condition',
  pollMs = 20,
): Promise<Exclude<T, false | null | undefined | 0 | ''>> {
  const until = Date.now() + deadlineMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v) return v as Exclude<T, false | null | undefined | 0 | ''>;
      last = undefined;
    } catch (err) {
      last = err;
    }
    if (Date.now() >= until) {
      const why = last instanceof Error ? `: ${last.message}` : '';
      throw new Error(`timed out after ${deadlineMs} ms waiting for ${what}${why}`, { cause: last });
    }
    await sleep(pollMs);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Resolves once at least `ms` have passed since `since` (a lease, a grace period, an mtime tick). */
export async function timePassed(since: number, ms: number): Promise<void> {
  await eventually(() => Date.now() - since >= ms, ms + 60_000, `${ms} ms to pass`, Math.min(50, Math.max(1, ms / 10)));
}
