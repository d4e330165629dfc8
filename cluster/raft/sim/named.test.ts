// Named scenarios: one deterministic test for each of a set of classic Raft bugs that production
// implementations shipped, built from the simulation's controls (crash/restart, torn tails, partitions,
// network rules that drop or trim chosen messages, direct calls on a member's Raft) and asserting the
// safe behaviour itself, not only that the simulation's invariants held (they are checked after every
// event as well, and would throw first for some of these bugs).
//
// Each test says what a broken implementation does and how the test catches it. Where the behaviour is an
// option of the core (pre-vote, check-quorum), a control run with it off shows the assertion fails; the
// others were checked by breaking the core (or the simulation) locally and watching the test fail, as
// noted at each test ("Checked: …"); the breakages were reverted.
import assert from 'node:assert/strict';
import { NotLeaderError, RetryLaterError } from '../core/raft.js';
import type { Message, NodeId } from '../core/types.js';
import { SimCluster, type NetworkRule, type SimOptions, type Submitted } from './cluster.js';
import { checkOperations, kvModel, type KvInput } from './linearizability.js';

type SimNode = NonNullable<ReturnType<SimCluster['leader']>>;

// ---- helpers ----

function cluster(opts: Partial<SimOptions> & { seed: number; voters: number }): SimCluster {
  return new SimCluster({ drop: 0, duplicate: 0, snapshotEvery: 0, ...opts });
}

function node(c: SimCluster, id: NodeId): SimNode {
  const n = c.nodes.get(id);
  if (!n) assert.fail(`no member ${id}`);
  return n;
}

function raft(c: SimCluster, id: NodeId) {
  const r = node(c, id).raft;
  if (!r) assert.fail(`${id} is down`);
  return r;
}

const roleOf = (c: SimCluster, id: NodeId) => node(c, id).raft?.role ?? 'down';
/** One election timeout of `id`'s clock, in ms (its tick is skewed). */
const electionMs = (c: SimCluster, id: NodeId) => c.o.electionTicks * node(c, id).tickMs;

/** Runs events until `pred` holds; fails if it does not within `withinMs` of virtual time. */
function waitFor(c: SimCluster, what: string, pred: () => boolean, withinMs: number, each?: () => void): void {
  const deadline = c.q.now + withinMs;
  while (!pred()) {
    if (c.q.now > deadline || !c.q.step()) assert.fail(`${what}: not within ${withinMs} ms (now ${c.q.now.toFixed(1)})`);
    each?.();
  }
}

/** Runs `ms` of virtual time, calling `check` after every event. */
function during(c: SimCluster, ms: number, check: () => void): void {
  const end = c.q.now + ms;
  while (c.q.now < end && c.q.step()) check();
}

/** A started cluster with one leader and every log equal and applied. */
function settled(opts: Partial<SimOptions> & { seed: number; voters: number }): SimCluster {
  const c = cluster(opts);
  c.settle(10_000);
  return c;
}

const put = (key: string, value: string): KvInput => ({ op: 'put', key, value });

/** A write at `id`, or why it was refused. */
function tryWrite(c: SimCluster, id: NodeId, key: string, value: string): Submitted | 'not_leader' | 'retry_later' {
  try {
    return c.submit(id, put(key, value));
  } catch (e) {
    if (e instanceof NotLeaderError) return 'not_leader';
    if (e instanceof RetryLaterError) return 'retry_later';
    throw e;
  }
}

/** Writes at `id` and waits for the acknowledgement. */
function write(c: SimCluster, id: NodeId, key: string, value: string, withinMs = 2000): Submitted {
  const s = c.submit(id, put(key, value));
  waitFor(c, `ack of ${key}=${value}`, () => s.settled, withinMs);
  assert.deepEqual(s.output, {}, `${key}=${value} was acknowledged`);
  return s;
}

/** Drops the prevotes and votes of everyone but `id`: the test picks who campaigns. */
const onlyCampaigner =
  (id: NodeId): NetworkRule =>
  (m) =>
    (m.type === 'prevote' || m.type === 'vote') && m.from !== id ? null : m;

/** Appends from `from` (to `to`, when given) lose their entries past `cap`: as if those were sent separately and lost. */
const capAppends =
  (from: NodeId, cap: number, to?: (id: NodeId) => boolean): NetworkRule =>
  (m) =>
    m.type === 'append' && m.from === from && (!to || to(m.to)) ? { ...m, entries: m.entries.filter((e) => e.index <= cap) } : m;

/** Every message as sent, into `into`. */
const tap =
  (into: Message[]): NetworkRule =>
  (m) => {
    into.push(m);
    return m;
  };

function finish(c: SimCluster): void {
  c.settle(20_000);
  c.checkFinal();
  const r = checkOperations(kvModel, c.history);
  assert.equal(r.result, 'ok', r.explanation);
}

function valueOn(c: SimCluster, id: NodeId, key: string): string | undefined {
  return node(c, id).kv.data.get(key);
}

describe('raft: named scenarios of classic bugs', function () {
  this.timeout(60_000);

  // ---- 1. Figure 8 of the Raft paper ----
  //
  // A leader that counts replicas of an entry from an earlier term, and commits it once a majority holds
  // it, can lose a committed entry: a member whose last entry has a newer term (S5 below) can still be
  // elected by that majority and overwrite it. The fix (§5.4.2) is to commit by counting only entries of
  // the leader's own term; earlier ones commit with them.
  //
  // The history, with S1…S5 picked once a first leader is known (t1 < t2 < t3 < t4 are its terms):
  //  (a) S1 leads t1 and appends X at base+1; only S2 receives it; S1 crashes.
  //  (b) S5 is elected in t2 by S3, S4 (S2 is partitioned away) and appends its no-op at base+1 (t2),
  //      which nobody receives; S5 crashes.
  //  (c) S1 restarts and is elected in t3; it replicates X to S2, S3, S4 and knows it (its progress
  //      shows all four copies of five) — but its own no-op (base+2, t3) reaches nobody.
  //  (d) S1 crashes; S5 restarts, is elected in t4 (its last term, t2, beats their t1) and overwrites X.
  //  (e) Instead of (d): S1's no-op reaches the majority, X commits with it, and S5 can no longer win.
  //
  // Checked: without `this.termAt(n) !== this.#term` in #maybeCommit, S1 commits X in (c) and both tests
  // fail there.
  interface Fig8 {
    c: SimCluster;
    s: NodeId[];
    base: number;
    t1: number;
    t2: number;
    t3: number;
    x: Submitted;
    dropC: () => void;
  }

  function figure8UpToC(seed: number): Fig8 {
    const c = settled({ seed, voters: 5 });
    const s1 = c.leader()!.id;
    const s = [s1, ...[...c.nodes.keys()].filter((id) => id !== s1)];
    const [, s2, s3, s4, s5] = s as [NodeId, NodeId, NodeId, NodeId, NodeId];
    const base = raft(c, s1).lastIndex;
    const t1 = raft(c, s1).term;

    // (a)
    const dropA = c.addRule(capAppends(s1, base, (to) => to !== s2));
    const x = c.submit(s1, put('x', `X from term ${t1}`));
    assert.equal(x.index, base + 1);
    waitFor(c, '(a) X on S2', () => node(c, s2).disk.log.some((e) => e.index === base + 1 && e.term === t1), 1000);
    c.crash(s1);
    dropA();
    assert.equal(c.applied.get(base + 1), undefined, '(a) X is not committed');

    // (b)
    c.partition([[s2], [s1, s3, s4, s5]]);
    let stop = [c.addRule(onlyCampaigner(s5)), c.addRule(capAppends(s5, base))];
    waitFor(c, '(b) S5 elected', () => roleOf(c, s5) === 'leader', 3000);
    const t2 = raft(c, s5).term;
    assert.ok(t2 > t1);
    waitFor(c, "(b) S5's no-op on its disk", () => node(c, s5).disk.log.some((e) => e.index === base + 1 && e.term === t2), 1000);
    c.crash(s5);
    for (const f of stop) f();

    // (c)
    c.heal();
    c.restart(s1);
    stop = [c.addRule(onlyCampaigner(s1))];
    const dropC = c.addRule(capAppends(s1, base + 1));
    const knows = (id: NodeId) => (raft(c, s1).status().progress[id]?.match ?? 0) >= base + 1;
    waitFor(c, '(c) S1 elected and X on S2, S3, S4', () => roleOf(c, s1) === 'leader' && knows(s2) && knows(s3) && knows(s4), 5000);
    const t3 = raft(c, s1).term;
    assert.ok(t3 > t2);
    for (const f of stop) f();
    const holders = s.filter((id) => node(c, id).raft?.termAt(base + 1) === t1);
    assert.deepEqual(holders, [s1, s2, s3, s4], '(c) X (an entry of term t1) is on 4 members of 5');
    // The safe behaviour: a majority holds X, the leader knows it, and still X is not committed.
    during(c, 5 * electionMs(c, s1), () => {
      assert.equal(roleOf(c, s1), 'leader');
      assert.equal(raft(c, s1).commitIndex, base, '(c) the leader did not commit X, an entry of an earlier term, by counting replicas');
      for (const id of s) assert.ok((node(c, id).raft?.commitIndex ?? 0) <= base, `(c) ${id} has X committed`);
    });
    assert.equal(c.applied.get(base + 1), undefined, '(c) nobody applied X');
    assert.equal(x.output, undefined, 'X was never acknowledged');
    return { c, s, base, t1, t2, t3, x, dropC };
  }

  it('Figure 8: an entry of an earlier term is not committed by counting replicas, and may be overwritten', () => {
    const { c, s, base, t2, t3, dropC } = figure8UpToC(81);
    const [s1, s2, s3, s4, s5] = s as [NodeId, NodeId, NodeId, NodeId, NodeId];
    // (d)
    c.crash(s1);
    dropC();
    c.restart(s5);
    const stop = c.addRule(onlyCampaigner(s5));
    waitFor(c, '(d) S5 elected', () => roleOf(c, s5) === 'leader', 5000);
    assert.ok(raft(c, s5).term > t3);
    waitFor(c, '(d) S5 overwrites X and commits', () => [s2, s3, s4].every((id) => raft(c, id).termAt(base + 1) === t2 && raft(c, id).commitIndex >= base + 2), 3000);
    stop();
    assert.match(c.applied.get(base + 1) ?? '', new RegExp(`^${t2}:noop\\|`), "(d) what was applied at X's index is S5's no-op of t2");
    for (const id of [s2, s3, s4, s5]) assert.equal(valueOn(c, id, 'x'), undefined, `${id} never applied X`);
    finish(c);
    assert.equal(valueOn(c, s1, 'x'), undefined, 'S1, back, had X overwritten too');
  });

  it('Figure 8 (e): the earlier-term entry commits with one of the current term, and then it cannot be overwritten', () => {
    const { c, s, base, t1, t3, dropC } = figure8UpToC(81);
    const [s1, s2, s3, s4, s5] = s as [NodeId, NodeId, NodeId, NodeId, NodeId];
    dropC(); // S1's no-op (t3) now reaches the others
    waitFor(
      c,
      '(e) S1 commits its no-op',
      () => raft(c, s1).commitIndex >= base + 2,
      2000,
      () => {
        const commit = raft(c, s1).commitIndex;
        if (commit > base) assert.equal(raft(c, s1).termAt(commit), t3, '(e) the commit index moved only onto an entry of the current term');
      },
    );
    waitFor(c, '(e) X applied', () => c.applied.has(base + 1), 1000);
    assert.match(c.applied.get(base + 1) ?? '', new RegExp(`^${t1}:command\\|`), '(e) X committed with it');
    c.crash(s1);
    c.restart(s5);
    const stop = c.addRule(onlyCampaigner(s5));
    during(c, 10 * electionMs(c, s5), () => assert.notEqual(roleOf(c, s5), 'leader', '(e) S5 must not win: the majority holds a committed entry it lacks'));
    stop();
    c.restart(s1);
    finish(c);
    for (const id of [s1, s2, s3, s4, s5]) assert.equal(valueOn(c, id, 'x'), `X from term ${t1}`, `${id} applied X`);
  });

  // ---- 2. Pre-vote ----
  //
  // Without pre-vote, a member cut off from the others times out again and again, bumping its term each
  // time; when it comes back its high term deposes the healthy leader (a needless election, and writes
  // stall), though it cannot win with its stale log. With pre-vote it only asks "would you vote for me?"
  // in term+1, which changes nobody's term; nobody would (they hear from the leader, and its log is
  // behind), so its term stays where it was. The control run with pre-vote (and check-quorum) off shows
  // the assertions do fail.
  function isolateAndReturn(opts: { preVote: boolean; checkQuorum: boolean }) {
    const c = settled({ seed: 21, voters: 3, ...opts });
    const leader = c.leader()!.id;
    const term = raft(c, leader).term;
    const away = [...c.nodes.keys()].find((id) => id !== leader)!;
    const sent: Message[] = [];
    c.addRule(tap(sent));
    c.partition([[away], [...c.nodes.keys()].filter((id) => id !== away)]);
    let awayTerm = term;
    const writes: Submitted[] = [];
    const long = 30 * electionMs(c, away);
    let nextWrite = c.q.now;
    during(c, long, () => {
      awayTerm = Math.max(awayTerm, raft(c, away).term);
      if (c.q.now >= nextWrite && roleOf(c, leader) === 'leader') {
        writes.push(c.submit(leader, put('k', `w${writes.length}`)));
        nextWrite = c.q.now + long / 10;
      }
    });
    c.heal();
    c.runUntil(c.q.now + 5 * electionMs(c, away));
    return { c, leader, term, away, awayTerm, sent, writes };
  }

  it('pre-vote: a member partitioned away for long rejoins without bumping the term or deposing the leader', () => {
    const { c, leader, term, away, awayTerm, sent, writes } = isolateAndReturn({ preVote: true, checkQuorum: true });
    assert.ok(sent.some((m) => m.from === away && m.type === 'prevote'), 'the isolated member did try (pre-votes)');
    assert.ok(!sent.some((m) => m.from === away && m.type === 'vote'), 'it never started a real election');
    assert.equal(awayTerm, term, "the isolated member's term never moved");
    assert.equal(c.leader()?.id, leader, 'the same leader');
    for (const id of c.nodes.keys()) assert.equal(raft(c, id).term, term, `${id} is still in term ${term}`);
    assert.equal(raft(c, away).leader, leader, 'the member follows the leader again');
    assert.ok(writes.length >= 5 && writes.every((w) => w.output !== undefined), 'the majority kept acknowledging writes meanwhile');
    assert.equal(valueOn(c, away, 'k'), valueOn(c, leader, 'k'), 'and it caught up');
    finish(c);
  });

  it('pre-vote (control): with pre-vote and check-quorum off the returning member does bump the term', () => {
    const { c, leader, term, awayTerm } = isolateAndReturn({ preVote: false, checkQuorum: false });
    assert.ok(awayTerm > term + 5, `the isolated member's term climbed (${term} → ${awayTerm})`);
    assert.ok(raft(c, leader).term > term, 'and on its return the leader was deposed');
  });

  // ---- 3. Check-quorum ----
  //
  // Without check-quorum, a leader cut off from the majority goes on believing it leads: it accepts
  // writes (which can never commit: clients wait until they time out), and reads that trust it. With it,
  // a leader that has not heard from a quorum for an election timeout steps down. The test cuts the
  // leader off at ten different moments and asserts it steps down within an election timeout (plus a tick
  // and a message delay: replies already on the wire still arrive), and that no write it took while cut
  // off is ever acknowledged. The control run with check-quorum off shows it does not step down at all.
  //
  // This test found a bug: the check ran once per election timeout on what had been heard since the
  // previous check (as etcd does), so a leader cut off just after a check that still saw replies led on
  // until the check after next — 1.1 to 1.85 election timeouts here, never within one, against the
  // core's own contract. raft.ts now judges, at every tick, which voters answered within the last
  // election timeout.
  function isolateLeader(seed: number, phase: number, checkQuorum: boolean) {
    const c = settled({ seed, voters: 5, checkQuorum });
    const old = c.leader()!.id;
    c.runUntil(c.q.now + phase * electionMs(c, old));
    const cutAt = c.q.now;
    c.partition([[old], [...c.nodes.keys()].filter((id) => id !== old)]);
    const isolated: Submitted[] = [];
    let steppedDownAt = Infinity;
    let nextWrite = c.q.now;
    during(c, 10 * electionMs(c, old), () => {
      if (roleOf(c, old) !== 'leader') steppedDownAt = Math.min(steppedDownAt, c.q.now);
      else if (c.q.now >= nextWrite) {
        isolated.push(c.submit(old, put('iso', `w${isolated.length}`)));
        nextWrite = c.q.now + node(c, old).tickMs;
      }
      for (const w of isolated) assert.notDeepEqual(w.output, {}, 'a write taken while cut off was acknowledged');
    });
    return { c, old, cutAt, steppedDownAt, isolated };
  }

  it('check-quorum: a leader cut off from the majority steps down, and never acknowledges a write meanwhile', () => {
    let worst = 0;
    for (let k = 0; k < 10; k++) {
      const { c, old, cutAt, steppedDownAt, isolated } = isolateLeader(30 + k, k / 10, true);
      const et = electionMs(c, old);
      const took = steppedDownAt - cutAt;
      worst = Math.max(worst, took / et);
      assert.ok(took <= et + node(c, old).tickMs + c.o.maxDelay, `phase ${k}: stepped down ${took.toFixed(0)} ms after the cut (election timeout ${et.toFixed(0)} ms)`);
      assert.ok(isolated.length > 0, 'writes were offered to it while it still led');
      const fresh = c.leader();
      assert.ok(fresh && fresh.id !== old, 'the majority elected another leader');
      write(c, fresh.id, 'maj', `after ${k}`);
      finish(c);
      for (const w of isolated) assert.equal(w.output, undefined, 'every write it took while cut off was lost, unacknowledged');
      assert.equal(valueOn(c, old, 'iso'), undefined, 'and none of them was applied anywhere');
    }
    assert.ok(worst > 0.5, `the step-down delay was measured (worst ${worst.toFixed(2)} election timeouts)`);
  });

  it('check-quorum (control): with it off the cut-off leader stays leader', () => {
    const { steppedDownAt, isolated } = isolateLeader(30, 0, false);
    assert.equal(steppedDownAt, Infinity);
    assert.ok(isolated.every((w) => !w.settled), 'and it keeps taking writes that can never commit');
  });

  // ---- 4. ReadIndex on a deposed leader ----
  //
  // A leader that answers a read from its own state (or trusts a lease without bounded clock drift) after
  // it was cut off returns stale data once the majority has elected another leader and committed a newer
  // write — a linearizability violation. ReadIndex answers only once a quorum has confirmed, after the
  // read arrived, that this member still leads. Check-quorum is off here so the stale leader stays leader
  // as long as the test likes: ReadIndex must be safe on its own (check-quorum's step-down is a timer, and
  // the majority can elect a new leader before it fires).
  //
  // Checked: with readIndex() answering at once (this.#readStates.push({ ctx, index: this.#commit })) the
  // stale read returns v1 and the test fails.
  it('ReadIndex: a stale leader does not answer a linearizable read with old data', () => {
    const c = settled({ seed: 41, voters: 3, checkQuorum: false });
    const old = c.leader()!.id;
    write(c, old, 'k', 'v1');
    c.runUntil(c.q.now + 50);
    const others = [...c.nodes.keys()].filter((id) => id !== old);
    c.partition([[old], others]);
    waitFor(c, 'a new leader in the majority', () => others.some((id) => roleOf(c, id) === 'leader'), 5000);
    const fresh = others.find((id) => roleOf(c, id) === 'leader')!;
    write(c, fresh, 'k', 'v2');
    assert.equal(roleOf(c, old), 'leader', 'the cut-off member still believes it leads');
    assert.equal(valueOn(c, old, 'k'), 'v1', 'and its state is stale');
    const stale = c.read(old, 'k');
    assert.ok(stale, 'it takes the read (it thinks it leads)');
    during(c, 10 * electionMs(c, old), () => assert.equal(stale.settled, false, 'the stale leader answered a read without a quorum'));
    c.heal();
    waitFor(c, 'the stale read fails once the old leader learns of the new term', () => stale.settled, 2000);
    assert.equal(stale.output, undefined, 'it failed rather than answering');
    const good = c.read(fresh, 'k')!;
    waitFor(c, 'a read at the new leader', () => good.settled, 2000);
    assert.deepEqual(good.output, { value: 'v2' });
    finish(c);
  });

  // ---- 5. A removed member ----
  //
  // A member removed from the configuration stops receiving the leader's messages at once (the change
  // takes effect when appended), so it usually never learns it was removed. It times out and campaigns;
  // if its vote requests carry a higher term, every member that hears one steps down (Raft thesis §4.2.3):
  // the group is disrupted over and over by a member that is not even in it. Pre-vote (its log is behind,
  // and the others hear from a leader) keeps its term where it was. The control run with pre-vote and
  // check-quorum off shows the disruption.
  function removeAndWait(opts: { preVote: boolean; checkQuorum: boolean }) {
    const c = settled({ seed: 51, voters: 4, ...opts });
    const leader = c.leader()!.id;
    const term = raft(c, leader).term;
    const gone = [...c.nodes.keys()].find((id) => id !== leader)!;
    const at = c.changeMembership(leader, { type: 'remove', id: gone });
    waitFor(c, 'the removal committed', () => raft(c, leader).commitIndex >= at.index, 2000);
    const sent: Message[] = [];
    c.addRule(tap(sent));
    const rest = [...c.nodes.keys()].filter((id) => id !== gone);
    let maxTerm = term;
    let leaderChanged = false;
    const writes: Submitted[] = [];
    let nextWrite = c.q.now;
    during(c, 30 * electionMs(c, gone), () => {
      for (const id of rest) maxTerm = Math.max(maxTerm, raft(c, id).term);
      if (roleOf(c, leader) !== 'leader') leaderChanged = true;
      if (c.q.now >= nextWrite) {
        const w = tryWrite(c, c.leader()?.id ?? leader, 'k', `w${writes.length}`);
        if (typeof w !== 'string') writes.push(w);
        nextWrite = c.q.now + 100;
      }
    });
    return { c, leader, term, gone, at, sent, maxTerm, leaderChanged, writes, rest: () => rest };
  }

  it('a removed member that never learned of its removal cannot disrupt the group', () => {
    const { c, leader, term, gone, at, sent, maxTerm, leaderChanged, writes, rest } = removeAndWait({ preVote: true, checkQuorum: true });
    assert.ok(raft(c, gone).lastIndex < at.index, 'the removed member never received its removal (the classic setting)');
    assert.ok(sent.some((m) => m.from === gone && m.type === 'prevote'), 'it did time out and try');
    assert.ok(!sent.some((m) => m.from === gone && m.type === 'vote'), 'but never got to a real election');
    assert.ok(!sent.some((m) => m.to === gone && m.type === 'prevote_resp' && m.granted), 'nobody would vote for it');
    assert.equal(raft(c, gone).term, term, 'its term stayed put');
    assert.equal(maxTerm, term, "the group's term never moved");
    assert.equal(leaderChanged, false, 'the leader was never deposed');
    assert.ok(writes.length >= 10 && writes.every((w) => w.output !== undefined), 'and every write meanwhile was acknowledged');
    assert.ok(!raft(c, leader).config.some((m) => m.id === gone));
    finish(c); // settle() runs everyone, the removed member too, until the group converges
    assert.equal(c.leader()?.id, leader, 'still the same leader');
    for (const id of rest()) assert.equal(raft(c, id).term, term, `${id} is still in term ${term}`);
  });

  it('a removed member (control): with pre-vote and check-quorum off it does disrupt the group', () => {
    const { term, maxTerm, leaderChanged } = removeAndWait({ preVote: false, checkQuorum: false });
    assert.ok(maxTerm > term && leaderChanged, `term ${term} → ${maxTerm}, leader deposed: ${leaderChanged}`);
  });

  // ---- 6. Learners ----
  //
  // A learner receives the log but is not in the quorum. Broken implementations counted it for commit
  // (the leader plus two learners "committed" a write in a 3-voter group with two voters cut off: lost
  // when they come back), let it vote, or let it campaign. Here the leader and two learners hold a write
  // that a majority of *members* stores, and it must not commit; no vote message goes to or from a learner.
  //
  // Checked: with #maybeCommit counting every member (this.#config() instead of its voters) the write
  // commits and the test fails; with #promotable() always true the learners campaign and the tap sees it.
  it('learners: never vote, never count for commit, do not keep a cut-off leader alive', () => {
    const c = settled({ seed: 61, voters: 3 });
    const leader = c.leader()!.id;
    const voters = [...c.nodes.keys()];
    const sent: Message[] = [];
    c.addRule(tap(sent));
    for (const id of ['n4', 'n5']) {
      const at = c.changeMembership(leader, { type: 'add_learner', id, address: `sim:${id}` });
      waitFor(c, `${id} added and caught up`, () => raft(c, leader).commitIndex >= at.index && node(c, id).raft?.lastIndex === raft(c, leader).lastIndex, 2000);
    }
    assert.deepEqual(
      raft(c, leader).config.map((m) => `${m.id}:${m.voter}`),
      [...voters.map((id) => `${id}:true`), 'n4:false', 'n5:false'],
    );
    const others = voters.filter((id) => id !== leader);
    c.partition([[leader, 'n4', 'n5'], others]);
    const w = c.submit(leader, put('w', 'on the leader and two learners'));
    const held = (id: NodeId) => (raft(c, leader).status().progress[id]?.match ?? 0) >= w.index;
    waitFor(c, 'the leader knows both learners hold the write', () => held('n4') && held('n5'), 500);
    // 3 of 5 members store it, and the leader knows it; 1 of 3 voters: not committed.
    let steppedDown = false;
    during(c, 3 * electionMs(c, leader), () => {
      if (roleOf(c, leader) !== 'leader') steppedDown = true;
      for (const id of [leader, 'n4', 'n5']) assert.ok(raft(c, id).commitIndex < w.index, `${id} has the write committed: learners were counted`);
    });
    assert.equal(w.output, undefined, 'never acknowledged');
    assert.ok(steppedDown, 'the leader stepped down: the learners it hears from are no quorum');
    const fresh = c.leader();
    assert.ok(fresh && others.includes(fresh.id), 'the two voters elected one of themselves');
    write(c, fresh.id, 'after', 'x');
    finish(c);
    assert.equal(valueOn(c, 'n4', 'w'), undefined, "the learners' copy of the write was overwritten");
    const votes = sent.filter((m) => ['prevote', 'vote', 'prevote_resp', 'vote_resp'].includes(m.type) && (['n4', 'n5'].includes(m.from) || ['n4', 'n5'].includes(m.to)));
    assert.deepEqual(votes, [], 'no vote was asked of or given by a learner');
    assert.ok(!['n4', 'n5'].includes(c.leader()!.id));
  });

  // Promoting a learner before it caught up makes it part of every quorum while it is still fetching the
  // log: with one voter already down (the usual reason to add a member), the group cannot commit until
  // the newcomer has everything. Promoting it once its match reaches the commit index keeps commits
  // flowing. The log here is long and fetched one entry per append, so catching up takes seconds; the
  // control run promotes at once and shows the stall the assertion would catch.
  function promote(early: boolean) {
    const c = settled({ seed: 62, voters: 3, maxEntriesPerAppend: 1, maxInflight: 2 });
    const leader = c.leader()!.id;
    const preload = Array.from({ length: 300 }, (_, i) => c.submit(leader, put(`p${i}`, 'x')));
    waitFor(c, 'preload acknowledged', () => preload.every((s) => s.settled), 20_000);
    const down = [...c.nodes.keys()].find((id) => id !== leader)!;
    c.crash(down);
    const writes: { s: Submitted; at: number }[] = [];
    let nextWrite = c.q.now;
    const writeEvery = () => {
      if (c.q.now < nextWrite || roleOf(c, leader) !== 'leader') return;
      const s = tryWrite(c, leader, `k${writes.length}`, 'v');
      if (typeof s !== 'string') writes.push({ s, at: c.q.now });
      nextWrite = c.q.now + 50;
    };
    const added = c.changeMembership(leader, { type: 'add_learner', id: 'n4', address: 'sim:n4' });
    waitFor(c, 'the learner added', () => raft(c, leader).commitIndex >= added.index, 1000, writeEvery);
    if (!early) {
      waitFor(c, 'the learner caught up', () => (raft(c, leader).status().progress['n4']?.match ?? 0) >= raft(c, leader).commitIndex, 20_000, writeEvery);
    }
    const promoted = c.changeMembership(leader, { type: 'promote', id: 'n4' });
    const proposedAt = c.q.now;
    waitFor(c, 'the promotion committed', () => raft(c, leader).commitIndex >= promoted.index, 20_000, writeEvery);
    const promotionTook = c.q.now - proposedAt;
    during(c, 1000, writeEvery);
    waitFor(c, 'every write settled', () => writes.every((w) => w.s.settled), 5000);
    const worst = Math.max(...writes.map((w) => (w.s.output === undefined ? Infinity : w.s.at - w.at)));
    return { c, worst, promotionTook, writes };
  }

  it('learners: promoting one only after it caught up keeps the group available', () => {
    const { c, worst, promotionTook, writes } = promote(false);
    assert.ok(writes.length > 20);
    assert.ok(promotionTook < 200, `the promotion committed in ${promotionTook.toFixed(0)} ms`);
    assert.ok(worst < 200, `every write was acknowledged within 200 ms (worst ${worst.toFixed(0)} ms) while the learner caught up and after`);
    assert.ok(raft(c, 'n4').config.find((m) => m.id === 'n4')!.voter);
    finish(c);
  });

  it('learners (control): promoting one before it caught up stalls the group', () => {
    const { worst, promotionTook } = promote(true);
    assert.ok(promotionTook > 1000 && worst > 1000, `promotion took ${promotionTook.toFixed(0)} ms, worst write ${worst.toFixed(0)} ms`);
  });

  // ---- 7. Leadership transfer ----
  //
  // Broken transfers: sending TimeoutNow to a follower that lags, which then campaigns with a stale log,
  // loses, and has bumped the term (the old leader is deposed: no leader for an election timeout); or
  // accepting proposals during the transfer — they land after the point the target caught up to, the
  // target wins, and they are overwritten: lost without an answer; or never giving up on an unreachable
  // target, refusing writes forever.
  //
  // Checked: with transferLeadership() sending timeout_now at once, the lagging target loses its election
  // and the test fails waiting for it to lead; without the transferee check in #mustLead a proposal is
  // taken during the transfer and both tests fail on it; without the abort in tick() writes are refused
  // for good and the abort test fails.
  it('leadership transfer: a lagging target is brought up to date first, and proposals meanwhile are refused, not lost', () => {
    const c = settled({ seed: 71, voters: 3 });
    const old = c.leader()!.id;
    const term = raft(c, old).term;
    const target = [...c.nodes.keys()].find((id) => id !== old)!;
    const lag = c.addRule(capAppends(old, 0, (to) => to === target));
    const early = Array.from({ length: 30 }, (_, i) => c.submit(old, put(`e${i}`, 'x')));
    waitFor(c, 'early writes acknowledged', () => early.every((s) => s.output !== undefined), 3000);
    assert.ok(raft(c, target).lastIndex < raft(c, old).lastIndex - 20, 'the target lags');
    lag();
    const timeoutNow: { targetLast: number; leaderLast: number }[] = [];
    c.addRule((m) => {
      if (m.type === 'timeout_now') timeoutNow.push({ targetLast: node(c, target).disk.log.at(-1)?.index ?? 0, leaderLast: raft(c, old).lastIndex });
      return m;
    });
    raft(c, old).transferLeadership(target);
    c.process(old);
    const refused: string[] = [];
    waitFor(
      c,
      'the target leads',
      () => roleOf(c, target) === 'leader',
      5 * electionMs(c, old),
      () => {
        if (roleOf(c, old) !== 'leader') return;
        const w = tryWrite(c, old, 'during', `${refused.length}`);
        if (typeof w === 'string') refused.push(w);
        else assert.fail(`a proposal was taken during the transfer (index ${w.index})`);
      },
    );
    assert.ok(timeoutNow.length > 0);
    for (const t of timeoutNow) assert.ok(t.targetLast >= t.leaderLast, `TimeoutNow went out once the target had everything (${t.targetLast} of ${t.leaderLast})`);
    assert.equal(raft(c, target).term, term + 1, 'one election, won at once');
    assert.ok(refused.length > 0 && refused.every((r) => r === 'retry_later'), 'proposals during the transfer were refused with retry-later');
    write(c, target, 'after', 'x');
    finish(c);
    for (let i = 0; i < 30; i++) assert.equal(valueOn(c, target, `e${i}`), 'x');
  });

  it('leadership transfer: to an unreachable target it aborts after an election timeout', () => {
    const c = settled({ seed: 72, voters: 3 });
    const leader = c.leader()!.id;
    const term = raft(c, leader).term;
    const target = [...c.nodes.keys()].find((id) => id !== leader)!;
    c.partition([[target], [...c.nodes.keys()].filter((id) => id !== target)]);
    write(c, leader, 'before', 'x'); // the target now lags, and cannot catch up
    raft(c, leader).transferLeadership(target);
    c.process(leader);
    const started = c.q.now;
    let firstTaken: Submitted | undefined;
    waitFor(
      c,
      'the transfer aborts',
      () => firstTaken !== undefined,
      3 * electionMs(c, leader),
      () => {
        const w = tryWrite(c, leader, 'during', 'y');
        if (w === 'not_leader') assert.fail('the leader lost its leadership');
        if (typeof w !== 'string') firstTaken = w;
        if (firstTaken && c.q.now - started < electionMs(c, leader) - 2 * node(c, leader).tickMs) assert.fail('a proposal was taken during the transfer');
      },
    );
    const took = c.q.now - started;
    const et = electionMs(c, leader);
    const tick = node(c, leader).tickMs;
    assert.ok(took >= et - 2 * tick && took <= et + 2 * tick, `aborted after ${took.toFixed(0)} ms (election timeout ${et.toFixed(0)} ms), refusing writes until then`);
    assert.equal(raft(c, leader).status().transferring, null);
    waitFor(c, 'the first write after the abort acknowledged', () => firstTaken!.settled, 1000);
    assert.deepEqual(firstTaken!.output, {});
    assert.equal(raft(c, leader).term, term, 'no election happened');
    finish(c);
  });

  // ---- 8. Log matching after a torn tail ----
  //
  // A member crashes while appending: its last record is torn (DiskStorage cuts a torn record off on open;
  // the simulation models that as keeping a prefix of what was being written). It must come back with a
  // clean prefix, not a gap or garbage, and the leader must repair it. An acknowledged write is never
  // among what a crash tears off: it was fsynced on a majority before the acknowledgement, so one torn
  // member cannot lose it. The test tears the last of three entries off a follower (the third member
  // receives no entries, so the torn follower is the quorum) and asserts, at every acknowledgement, that
  // a majority had the entry on disk. Nothing new is proposed after the crash, so only the leader's
  // reaction to the follower's heartbeat replies (a probe that re-sends from its match index) repairs it.
  //
  // Checked: with the simulation sending a Ready's messages before its fsync (the "ack before persist"
  // bug), a write is acknowledged with one copy on disk and the test fails at that acknowledgement; with
  // the leader's re-sending on heartbeat replies removed (the stall probe and the probe's resend), the
  // torn entry is never sent again and the repair times out.
  it('a torn tail: the member truncates it and the leader repairs it; an acknowledged write is on a majority of disks', () => {
    const c = settled({ seed: 81, voters: 3 });
    const leader = c.leader()!.id;
    const [torn, idle] = [...c.nodes.keys()].filter((id) => id !== leader) as [NodeId, NodeId];
    const stopIdle = c.addRule(capAppends(leader, 0, (to) => to === idle));
    const ws = [0, 1, 2].map((i) => c.submit(leader, put(`t${i}`, 'x')));
    const last = ws[2]!;
    const onDisk = (id: NodeId, s: Submitted) => node(c, id).disk.log.some((e) => e.index === s.index && e.term === s.term);
    const checkAcks = () => {
      for (const s of ws) if (s.output !== undefined) assert.ok([...c.nodes.keys()].filter((id) => onDisk(id, s)).length >= 2, `write at ${s.index} acknowledged without a majority of fsynced copies`);
    };
    const writing = () => node(c, torn).pendingWrite?.rd.entries.some((e) => e.index === last.index) === true;
    waitFor(c, 'the follower writing the entries', writing, 1000, checkAcks);
    const records = node(c, torn).pendingWrite!.records;
    c.crash(torn, records - 1); // the last record, the last entry, is torn off
    assert.equal(last.output, undefined, 'the torn entry was not acknowledged: only the leader had fsynced it');
    assert.ok(raft(c, leader).commitIndex < last.index);
    // Down for a while: what is sent to it meanwhile (the appends announcing the new commit index too) is
    // lost, as with a real restart (a new process, new connections). After it, only heartbeats reach it.
    during(c, 50, checkAcks);
    c.restart(torn);
    assert.equal(raft(c, torn).lastIndex, last.index - 1, 'it came back with the prefix: the torn entry is gone');
    assert.equal(raft(c, torn).termAt(last.index), undefined);
    waitFor(c, 'the leader repairs it and the writes commit', () => ws.every((s) => s.settled), 3000, checkAcks);
    assert.ok(ws.every((s) => s.output !== undefined), 'all three acknowledged');
    assert.ok(onDisk(torn, last), 'the torn entry was sent again');
    // Acknowledged: crashing both copies now tears nothing of it.
    c.crash(leader);
    c.crash(torn);
    c.restart(leader);
    c.restart(torn);
    for (const id of [leader, torn]) assert.equal(raft(c, id).termAt(last.index), last.term, `${id} still has the acknowledged write after a crash`);
    stopIdle();
    finish(c);
    for (const id of c.nodes.keys()) assert.equal(valueOn(c, id, 't2'), 'x');
  });

  // A torn write of another shape: the hard state (with a higher commit index) reaches the disk and the
  // entries of the same Ready do not. node.ts writes the hard state file beside the log append, so this
  // happens for real. Here the old leader, back from a partition, is overwriting its uncommitted entry S
  // (term T) with the new leader's entry at the same index, and learns that index is committed, in one
  // Ready; the crash keeps the commit index and loses the new entry. If the restarted member trusted the
  // persisted commit index, it would apply S — an entry that was never committed — where everyone else
  // applied the new leader's entry.
  //
  // This test found a bug: the constructor took min(hardState.commit, lastIndex) as its commit index, so
  // it applied S and the simulation's state-machine safety check fired. (The random runs hit it too:
  // seed 1919 with the core as it was, seed 141 once the check-quorum fix above changed the runs.)
  // raft.ts now starts the commit index at the snapshot and learns it again from a leader.
  it('a torn write that keeps the commit index but not the entries it covers does not apply a stale entry', () => {
    const c = settled({ seed: 85, voters: 3 });
    const old = c.leader()!.id;
    const term = raft(c, old).term;
    const others = [...c.nodes.keys()].filter((id) => id !== old);
    c.partition([[old], others]);
    const s = c.submit(old, put('s', 'never committed'));
    waitFor(c, 'S on the old leader', () => node(c, old).disk.log.some((e) => e.index === s.index && e.term === term), 500);
    waitFor(c, 'a new leader', () => others.some((id) => roleOf(c, id) === 'leader'), 5000);
    const fresh = others.find((id) => roleOf(c, id) === 'leader')!;
    write(c, fresh, 'k', 'v');
    c.heal();
    const overwriting = () => {
      const rd = node(c, old).pendingWrite?.rd;
      return rd !== undefined && (rd.hardState?.commit ?? 0) >= s.index && rd.entries.some((e) => e.index === s.index && e.term > term);
    };
    waitFor(c, 'the old leader writing the overwrite and the commit index together', overwriting, 3000);
    c.crash(old, 1); // the hard state survives, the entries do not
    assert.equal(node(c, old).disk.hard.commit >= s.index, true, 'the commit index covering S is on disk');
    assert.ok(node(c, old).disk.log.some((e) => e.index === s.index && e.term === term), 'and so is the stale S');
    c.restart(old);
    assert.ok(raft(c, old).commitIndex < s.index, 'the restarted member does not take S as committed');
    finish(c);
    assert.equal(valueOn(c, old, 's'), undefined, 'S was never applied');
    assert.equal(valueOn(c, old, 'k'), 'v');
    assert.equal(s.output, undefined);
  });

  // ---- 9. Votes are persisted ----
  //
  // A member that voted in a term, crashed and restarted must remember the vote: otherwise it can vote
  // again in the same term for another candidate, and two leaders are elected in one term (split brain).
  // The vote must also be durable before the reply leaves: a vote that was not fsynced when the member
  // crashed was never seen by anyone, so voting again after the restart is then fine. Pre-vote and
  // check-quorum are off here so the test can start real elections when it likes (campaign()) and the
  // voter decides on its vote alone, not on a leader lease.
  //
  // Checked: with the constructor ignoring the persisted vote (this.#vote = null) the restarted member
  // grants the second vote, the other candidate wins too, and the simulation's election-safety check
  // throws (two leaders of one term) before the test's own assertions; with the simulation sending a Ready's messages
  // before its fsync, the second test sees the vote reply leave before the vote was durable.
  it('votes are persisted: a member that voted and crashed cannot vote again in the same term', () => {
    const c = settled({ seed: 91, voters: 3, preVote: false, checkQuorum: false });
    const old = c.leader()!.id;
    const [cand, voter] = [...c.nodes.keys()].filter((id) => id !== old) as [NodeId, NodeId];
    const term = raft(c, old).term;
    const sent: Message[] = [];
    c.addRule(tap(sent));
    c.crash(old);
    const stop = c.addRule(onlyCampaigner(cand));
    raft(c, cand).campaign();
    c.process(cand);
    waitFor(c, 'the voter has fsynced its vote', () => node(c, voter).disk.hard.vote === cand, 100);
    const t = node(c, voter).disk.hard.term;
    assert.equal(t, term + 1);
    c.crash(voter); // its vote reply is on the wire
    waitFor(c, 'the candidate elected', () => roleOf(c, cand) === 'leader', 1000);
    stop();
    c.block(cand, old);
    c.block(cand, voter); // so the voter learns nothing of the election after its restart
    c.restart(old);
    c.restart(voter);
    const restored = raft(c, voter).status().vote;
    assert.equal(raft(c, old).term, term, 'the other candidate is still in the previous term');
    raft(c, old).campaign(); // a real election in the same term the voter voted in
    c.process(old);
    assert.equal(raft(c, old).term, t);
    c.runUntil(c.q.now + 100);
    const answer = sent.find((m) => m.type === 'vote_resp' && m.from === voter && m.to === old && m.term === t);
    assert.ok(answer && answer.type === 'vote_resp' && !answer.granted, 'the restarted voter refused a second vote in the same term');
    assert.equal(c.leaders.get(t), cand, 'one leader in that term');
    assert.notEqual(roleOf(c, old), 'leader');
    assert.equal(restored, cand, 'the vote came back from disk');
    finish(c);
  });

  it('votes are persisted: a vote not yet fsynced when the member crashed was never sent', () => {
    const c = settled({ seed: 92, voters: 3, preVote: false, checkQuorum: false });
    const old = c.leader()!.id;
    const [cand, voter] = [...c.nodes.keys()].filter((id) => id !== old) as [NodeId, NodeId];
    const sent: Message[] = [];
    c.addRule(tap(sent));
    c.crash(old);
    const stop = c.addRule(onlyCampaigner(cand));
    raft(c, cand).campaign();
    c.process(cand);
    waitFor(c, 'the voter writing its vote', () => node(c, voter).pendingWrite?.rd.hardState?.vote === cand, 100);
    const t = node(c, voter).pendingWrite!.rd.hardState!.term;
    c.crash(voter, 0); // nothing of it reaches the disk
    assert.ok(!sent.some((m) => m.type === 'vote_resp' && m.from === voter && m.granted), 'no reply before the vote was durable');
    c.restart(voter);
    assert.notEqual(node(c, voter).disk.hard.vote, cand);
    assert.ok(raft(c, voter).term < t, 'the voter came back before that term: free to vote in it, having promised nothing');
    stop();
    c.restart(old);
    finish(c);
  });

  // ---- 10. Snapshot install over a conflicting tail ----
  //
  // A follower that was itself a leader in an old term holds a long tail of entries that never committed;
  // meanwhile the group moved on and compacted its log past where the two agree, so the leader sends a
  // snapshot. Broken installs kept the follower's log after the snapshot's index (checking only that
  // there were entries there, not that their term matched the snapshot's), so stale entries of the old
  // term stayed in the log and on disk: a log that differs from the leader's, entries that would be
  // applied if the commit index ever covered them before an append truncated them. The tail must go.
  //
  // Checked: with #restore's keepLog ignoring the term (meta.index > this.#offset alone) the stale tail
  // survives the install and the test fails.
  it('a snapshot to a far-behind follower with a conflicting uncommitted tail discards the tail', () => {
    const c = settled({ seed: 101, voters: 3, snapshotEvery: 20, pieceBytes: 64 });
    const old = c.leader()!.id;
    for (let i = 0; i < 5; i++) write(c, old, `a${i}`, 'x');
    c.runUntil(c.q.now + 100);
    const agreed = raft(c, old).lastIndex;
    const oldTerm = raft(c, old).term;
    const others = [...c.nodes.keys()].filter((id) => id !== old);
    c.partition([[old], others]);
    const stale = Array.from({ length: 60 }, (_, i) => c.submit(old, put(`stale${i}`, 'never')));
    waitFor(c, 'a new leader', () => others.some((id) => roleOf(c, id) === 'leader'), 5000);
    const fresh = others.find((id) => roleOf(c, id) === 'leader')!;
    for (let i = 0; i < 30; i++) write(c, fresh, `b${i}`, 'y');
    waitFor(c, 'the old leader stepped down', () => roleOf(c, old) !== 'leader', 5000);
    assert.ok(raft(c, old).lastIndex >= agreed + 60, 'the old leader holds its uncommitted tail');
    assert.ok(raft(c, fresh).firstIndex > agreed + 1, 'the new leader compacted past where they agree');
    assert.ok(raft(c, fresh).snapshotMeta.index < raft(c, old).lastIndex, 'the tail reaches past the snapshot');
    const pieces: Message[] = [];
    c.addRule((m) => {
      if (m.type === 'snapshot' && m.to === old) pieces.push(m);
      return m;
    });
    c.heal();
    let checkedInstall = false;
    waitFor(
      c,
      'the old leader installs the snapshot',
      () => checkedInstall,
      5000,
      () => {
        const r = node(c, old).raft;
        if (!r || r.snapshotMeta.term <= oldTerm) return;
        const left = r.entries(r.firstIndex, r.lastIndex).filter((e) => e.term === oldTerm && e.index > agreed);
        assert.deepEqual(left, [], 'the stale tail survived the snapshot install');
        checkedInstall = true;
      },
    );
    assert.ok(new Set(pieces.map((m) => m.type === 'snapshot' && m.offset)).size > 1, 'the snapshot went in pieces');
    finish(c);
    assert.ok(!node(c, old).disk.log.some((e) => e.term === oldTerm && e.index > agreed), 'nor is it on disk');
    assert.equal(JSON.stringify([...node(c, old).kv.data].sort()), JSON.stringify([...node(c, fresh).kv.data].sort()), "its state is the leader's");
    for (let i = 0; i < 60; i++) assert.equal(valueOn(c, old, `stale${i}`), undefined);
    assert.ok(stale.every((s) => s.output === undefined), 'none of the stale writes was acknowledged');
  });
});
