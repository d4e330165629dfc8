// Which master to talk to. `--master` (GODFS_MASTER) takes one address or a comma-separated list of the
// masters of a Raft group; any of them will do to start with. Only the leader serves: a follower refuses
// with not_leader before doing anything (so the call is always safe to resend) and names the leader in
// the `godfs-leader` trailer. The tracker follows that hint, and when a master cannot be reached or knows
// no leader (an election is running) it moves on to the next address in the list.
import type { GodfsError } from './errors.js';
import { parseHostPort } from './net.js';

/** Parses `host:port[,host:port…]` (or a list of them); throws an Error naming the bad entry. */
export function parseMasterList(spec: string | readonly string[]): string[] {
  const items = (typeof spec === 'string' ? [spec] : spec).flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean);
  if (!items.length) throw new Error('at least one master address is required');
  for (const a of items) parseHostPort(a);
  return [...new Set(items)];
}

/** A master that could not be reached is not taken back on a hint for this long (the hint may be stale). */
const DISTRUST_MS = 3000;

export class LeaderTracker {
  readonly #known: string[];
  #current: string;
  readonly #unreachable = new Map<string, number>();

  constructor(addresses: readonly string[]) {
    if (!addresses.length) throw new Error('at least one master address is required');
    this.#known = [...addresses];
    this.#current = addresses[0]!;
  }

  /** The master calls go to now. */
  get current(): string {
    return this.#current;
  }

  /** Every address known: the configured ones, then leaders learned from hints. */
  get addresses(): readonly string[] {
    return this.#known;
  }

  /**
   * A call to `addr` failed with `err`. Returns 'hint' when it named another master as the leader (try it
   * at once), 'next' when the next master in the list is worth a try, 'none' when the error is not about
   * which master to ask.
   */
  failed(addr: string, err: GodfsError): 'hint' | 'next' | 'none' {
    if (err.code !== 'not_leader' && err.code !== 'unavailable') return 'none';
    if (addr !== this.#current) return 'next'; // another caller already moved on
    const now = Date.now();
    if (err.code === 'unavailable') this.#unreachable.set(addr, now);
    // A follower that has not yet noticed the leader is gone still names it: such a hint is not followed.
    const stale = err.leader !== undefined && now - (this.#unreachable.get(err.leader) ?? -Infinity) < DISTRUST_MS;
    if (err.code === 'not_leader' && err.leader && err.leader !== addr && !stale) {
      if (!this.#known.includes(err.leader)) this.#known.push(err.leader);
      this.#current = err.leader;
      return 'hint';
    }
    if (this.#known.length === 1) return 'none';
    this.#current = this.#known[(this.#known.indexOf(addr) + 1) % this.#known.length]!;
    return 'next';
  }
}
