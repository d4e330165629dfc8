// The master's replication state, unit by unit: replica-set commands in the FSM (deterministic, validated
// before mutating, snapshotted), allocation leases (version bumps, commit checks, abandon, expiry) and
// placement (distinct nodes, zones, free space, exclusions).
import assert from 'node:assert/strict';
import { Allocations } from './allocations.js';
import type { Command } from './commands.js';
import { Fsm } from './fsm.js';
import { Registry } from './registry.js';
import { decodeState, encodeState } from './state-codec.js';

let idx = 0;
const run = (fsm: Fsm, cmd: Command) => fsm.apply(cmd, ++idx);
const MiB = 2 ** 20;

function withFile(replicas: string[], size = 5 * MiB): Fsm {
  const fsm = new Fsm();
  run(fsm, { op: 'reserve_ids', upTo: 100 });
  run(fsm, {
    op: 'commit', path: '/f', mode: 'replace', offset: 0, length: size, etag: 'e', create: true, exclusive: false, ifMatch: '', setXattrs: false,
    modeBits: 0, parents: false, now: 1, extents: [{ extent: { chunkId: 7, version: 2, chunkOffset: 0, length: size }, replicaIds: replicas }],
  });
  return fsm;
}

describe('master replication state', () => {
  describe('replica-set commands (FSM)', () => {
    it('records the goal and size at commit; replica_add needs the committed version', () => {
      const fsm = withFile(['a', 'b', 'c']);
      assert.deepEqual(fsm.chunks.get(7), { version: 2, replicas: ['a', 'b', 'c'], refs: 1, goal: 3, size: 5 * MiB });
      assert.throws(() => run(fsm, { op: 'replica_add', chunkId: 7, version: 1, nodeId: 'd' }), { code: 'invalid_argument' });
      assert.throws(() => run(fsm, { op: 'replica_add', chunkId: 8, version: 2, nodeId: 'd' }), { code: 'not_found' });
      assert.deepEqual(fsm.chunks.get(7)!.replicas, ['a', 'b', 'c'], 'a refused command changes nothing');
      run(fsm, { op: 'replica_add', chunkId: 7, version: 2, nodeId: 'd' });
      run(fsm, { op: 'replica_add', chunkId: 7, version: 2, nodeId: 'd' }); // idempotent
      assert.deepEqual(fsm.chunks.get(7)!.replicas, ['a', 'b', 'c', 'd']);
      run(fsm, { op: 'replica_remove', chunkId: 7, nodeIds: ['a', 'zz'] });
      assert.deepEqual(fsm.chunks.get(7)!.replicas, ['b', 'c', 'd']);
      assert.equal(fsm.chunks.get(7)!.goal, 3, 'the goal does not follow the replica count');
    });

    it('keeps draining nodes through a snapshot, and replays identically', () => {
      const a = withFile(['a', 'b', 'c']);
      const cmds: Command[] = [
        { op: 'node_drain', nodeId: 'b', draining: true },
        { op: 'replica_add', chunkId: 7, version: 2, nodeId: 'd' },
        { op: 'replica_remove', chunkId: 7, nodeIds: ['b'] },
        { op: 'node_drain', nodeId: 'x', draining: true },
        { op: 'node_drain', nodeId: 'x', draining: false },
      ];
      for (const c of cmds) run(a, c);
      const b = withFile(['a', 'b', 'c']);
      for (const c of cmds) run(b, c);
      assert.equal(encodeState(a).replace(/"appliedIndex":\d+/, ''), encodeState(b).replace(/"appliedIndex":\d+/, ''));
      const back = decodeState(encodeState(a));
      assert.deepEqual([...back.draining], ['b']);
      assert.deepEqual(back.chunks.get(7), a.chunks.get(7));
    });
  });

  describe('allocations (leases)', () => {
    it('re-leases a chunk at a higher version and refuses commits of an old lease', () => {
      const al = new Allocations();
      al.grant(5, 1, 'w1', ['a', 'b', 'c'], 1000);
      al.grant(5, 2, 'w1', ['b', 'c', 'd'], 1100);
      assert.equal(al.chunks.get(5)!.version, 2);
      assert.deepEqual([...al.chunks.get(5)!.nodes].sort(), ['a', 'b', 'c', 'd'], 'every node an attempt reached');
      assert.throws(() => al.checkCommit([{ chunkId: 5, version: 1 }]), { code: 'conflict' });
      al.checkCommit([{ chunkId: 5, version: 2 }]);
      al.committed([5]);
      assert.equal(al.has(5), false);
    });

    it('abandons a write and refuses a late commit of it', () => {
      const al = new Allocations();
      al.grant(1, 1, 'w', ['a'], 0);
      al.grant(2, 1, 'w', ['b'], 0);
      al.grant(3, 1, 'other', ['c'], 0);
      const dropped = al.abandon('w', []);
      assert.deepEqual(dropped.map(([id]) => id).sort(), [1, 2]);
      assert.equal(al.has(3), true, 'another write is untouched');
      assert.throws(() => al.checkCommit([{ chunkId: 1, version: 1 }]), { code: 'conflict' });
    });

    it('expires a write whose lease was not renewed within the grace period; each allocation renews it', () => {
      const al = new Allocations();
      al.grant(1, 1, 'slow', ['a'], 0);
      al.grant(2, 1, 'slow', ['a'], 900); // renews chunk 1 too
      al.grant(3, 1, 'idle', ['a'], 0);
      const expired = al.expire(1500, 1000);
      assert.deepEqual(expired.map(([id]) => id), [3]);
      assert.equal(al.has(1), true);
      assert.deepEqual(al.expire(2000, 1000).map(([id]) => id).sort(), [1, 2]);
      assert.equal(al.isRetired(2), true);
    });
  });

  describe('placement', () => {
    const reg = (nodes: Array<[string, string, number]>, now = 10_000) => {
      const r = new Registry({ deadAfterMs: 1000, reserveBytes: 64 * MiB }, 0);
      for (const [id, zone, free] of nodes) r.upsert({ id, addr: `${id}:1`, controlAddr: '', zone, capacity: free, free, used: 0, chunkCount: 0 }, now);
      return r;
    };
    let seed = 1;
    const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);

    it('picks distinct live nodes, one per zone first, never a full or excluded one', () => {
      const r = reg([['a', 'z1', 1e12], ['b', 'z1', 1e12], ['c', 'z2', 1e9], ['d', 'z3', 1e9], ['full', 'z4', MiB]]);
      for (let i = 0; i < 50; i++) {
        const picked = r.place(3, 10_000, { random }).map((n) => n.id);
        assert.equal(new Set(picked).size, 3);
        assert.ok(!picked.includes('full'));
        // Three zones among the candidates with room: z1, z2, z3 each once.
        assert.equal(new Set(picked.map((id) => r.nodes.get(id)!.zone)).size, 3, picked.join());
      }
      assert.ok(!r.place(3, 10_000, { exclude: new Set(['c']), random }).some((n) => n.id === 'c'));
      assert.throws(() => r.place(4, 10_000, { exclude: new Set(['c']), random }), { code: 'no_space' });
      assert.throws(() => r.place(3, 20_000, { random }), { code: 'unavailable' }, 'all silent: none alive');
    });

    it('prefers free space, and uses avoided nodes only when it must', () => {
      const r = reg([['big', '', 1e12], ['small', '', 1e9], ['s2', '', 1e9]]);
      let big = 0;
      for (let i = 0; i < 200; i++) if (r.place(1, 10_000, { random })[0]!.id === 'big') big++;
      assert.ok(big > 180, `weighted by free space (${big}/200)`);
      for (let i = 0; i < 20; i++) assert.notEqual(r.place(1, 10_000, { avoid: new Set(['big']), random })[0]!.id, 'big');
      assert.deepEqual(r.place(3, 10_000, { avoid: new Set(['big']), random }).map((n) => n.id).sort(), ['big', 's2', 'small']);
    });
  });
});
