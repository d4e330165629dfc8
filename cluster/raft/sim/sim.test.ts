// The Raft core under the deterministic simulation: many seeds of crashes (torn tails, fsync failures),
// partitions (one-way too), drops, duplicates, reordering, clock skew, snapshots, leadership transfers and
// membership churn; every invariant after every event, then heal, converge, and check the history.
import assert from 'node:assert/strict';
import { SimCluster, SimFailure } from './cluster.js';
import { checkOperations, kvModel } from './linearizability.js';

const SEEDS = Number(process.env.GODFS_SIM_SEEDS ?? 300);
const ONE = process.env.GODFS_SEED ? Number(process.env.GODFS_SEED) : undefined;

function runSeed(seed: number): { steps: number; ops: number } {
  const c = new SimCluster({ seed, voters: seed % 2 === 0 ? 3 : 5, fsyncFailure: 0.002 });
  try {
    c.startClients();
    c.startNemesis(150, { churn: seed % 3 === 0 });
    c.runUntil(6000);
    c.stopClients();
    c.settle(20_000);
    c.checkFinal();
    const r = checkOperations(kvModel, c.history);
    if (r.result !== 'ok') c.fail(`history is ${r.result}: ${r.explanation ?? ''}`);
    return { steps: c.q.steps, ops: c.history.length };
  } catch (e) {
    if (e instanceof SimFailure) throw new Error(`seed ${seed}: ${e.message}\nreplay: GODFS_SEED=${seed} npx mocha --no-config dist/cluster/raft/sim/sim.test.js`, { cause: e });
    throw e;
  }
}

describe('raft simulation (deterministic, seeded)', function () {
  this.timeout(240_000);

  it(ONE !== undefined ? `seed ${ONE}` : `${SEEDS} seeds keep every invariant, converge, lose no acknowledged write and stay linearizable`, () => {
    const seeds = ONE !== undefined ? [ONE] : Array.from({ length: SEEDS }, (_, i) => i + 1);
    let steps = 0;
    let ops = 0;
    for (const seed of seeds) {
      const r = runSeed(seed);
      steps += r.steps;
      ops += r.ops;
    }
    assert.ok(steps > seeds.length * 1000, `only ${steps} steps ran`);
    console.log(`      ${seeds.length} seeds, ${steps} events, ${ops} client operations`);
  });

  it('the same seed replays the same run', () => {
    const a = new SimCluster({ seed: 42, voters: 3 });
    const b = new SimCluster({ seed: 42, voters: 3 });
    for (const c of [a, b]) {
      c.startClients();
      c.startNemesis(150);
      c.runUntil(2000);
    }
    assert.equal(a.q.steps, b.q.steps);
    assert.deepEqual(a.history, b.history);
  });

  it('a leader cut off from the majority steps down, and the majority elects another (check-quorum)', () => {
    const c = new SimCluster({ seed: 7, voters: 3, drop: 0, duplicate: 0 });
    c.startClients();
    c.runUntil(1500);
    const old = c.leader();
    assert.ok(old, 'a leader was elected');
    c.partition([[old.id], [...c.nodes.keys()].filter((id) => id !== old.id)]);
    c.runUntil(c.q.now + 1500);
    assert.notEqual(old.raft!.role, 'leader', 'the isolated leader stepped down');
    const fresh = c.leader();
    assert.ok(fresh && fresh.id !== old.id && fresh.raft!.term > old.raft!.term - 1);
    c.stopClients();
    c.settle(10_000);
    c.checkFinal();
    assert.equal(checkOperations(kvModel, c.history).result, 'ok');
  });

  it('a member partitioned away and back does not depose a healthy leader (pre-vote)', () => {
    const c = new SimCluster({ seed: 11, voters: 3, drop: 0, duplicate: 0 });
    c.runUntil(1500);
    const leader = c.leader()!;
    const term = leader.raft!.term;
    const other = [...c.nodes.keys()].find((id) => id !== leader.id)!;
    c.partition([[other], [...c.nodes.keys()].filter((id) => id !== other)]);
    c.runUntil(c.q.now + 3000); // many election timeouts alone
    c.heal();
    c.runUntil(c.q.now + 1000);
    assert.equal(c.leader()!.id, leader.id);
    assert.equal(leader.raft!.term, term, 'no term was bumped by the returning member');
  });

  it('without pre-vote the same scenario does bump the term (the test can tell)', () => {
    const c = new SimCluster({ seed: 11, voters: 3, drop: 0, duplicate: 0, preVote: false, checkQuorum: false });
    c.runUntil(1500);
    const leader = c.leader()!;
    const term = leader.raft!.term;
    const other = [...c.nodes.keys()].find((id) => id !== leader.id)!;
    c.partition([[other], [...c.nodes.keys()].filter((id) => id !== other)]);
    c.runUntil(c.q.now + 3000);
    c.heal();
    c.runUntil(c.q.now + 1000);
    assert.ok(c.leader()!.raft!.term > term);
  });
});
