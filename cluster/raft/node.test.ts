// The Raft node on real parts: three members in this process, each with its own DiskStorage in a temp
// directory and its own gRPC server on 127.0.0.1, talking through the real transport. A small
// key-value state machine on top records what it applied.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import * as grpc from '@grpc/grpc-js';
import { bindServer } from '../../common/grpc.js';
import { createLogger, silentLogger } from '../../common/log.js';
import { raftProto } from '../../proto/load.js';
import { eventually } from '../../test/eventually.js';
import type { Member } from './core/types.js';
import { NotLeaderError, RaftNode, type StateMachine } from './node.js';
import { DiskStorage } from './storage/disk-storage.js';

const KEY = 'raft-node-test-credential';
const enc = new TextEncoder();
const dec = new TextDecoder();

class Kv implements StateMachine {
  data = new Map<string, string>();
  applied: number[] = [];
  apply(data: Uint8Array, index: number): unknown {
    const { k, v } = JSON.parse(dec.decode(data)) as { k: string; v: string };
    if (k === 'refuse') throw new Error('refused by the state machine');
    const prev = this.data.get(k) ?? null;
    this.data.set(k, v);
    this.applied.push(index);
    return prev;
  }
  *snapshot(): Iterable<Uint8Array> {
    yield enc.encode(JSON.stringify([...this.data]));
  }
  async restore(body: Readable): Promise<void> {
    const parts: Buffer[] = [];
    for await (const p of body) parts.push(p as Buffer);
    this.data = new Map(JSON.parse(Buffer.concat(parts).toString('utf8')) as Array<[string, string]>);
  }
}

interface Member_ {
  id: string;
  dir: string;
  server: grpc.Server;
  address: string;
  node?: RaftNode;
  kv: Kv;
  /** Where the server forwards incoming messages (swapped when the member restarts). */
  target: { node?: RaftNode };
}

class Group {
  members: Member_[] = [];
  root = '';
  fatal: unknown[] = [];

  static async create(n: number, opts: { snapshotEvery?: number } = {}): Promise<Group> {
    const g = new Group();
    g.root = await mkdtemp(join(tmpdir(), 'godfs-raft-node-'));
    for (let i = 1; i <= n; i++) {
      const target: { node?: RaftNode } = {};
      const server = new grpc.Server();
      server.addService(raftProto().godfs.raft.v1.Raft.service, {
        Send: (call: grpc.ServerReadableStream<never, never>, cb: grpc.sendUnaryData<never>) => {
          const h = target.node?.transport.sendHandler((m, from) => target.node?.step(m, from));
          if (!h) return cb({ code: grpc.status.UNAVAILABLE, details: 'member down' });
          h(call as never, cb as never);
        },
        Status: (_c: unknown, cb: grpc.sendUnaryData<never>) => cb({ code: grpc.status.UNIMPLEMENTED }),
        Change: (_c: unknown, cb: grpc.sendUnaryData<never>) => cb({ code: grpc.status.UNIMPLEMENTED }),
        Transfer: (_c: unknown, cb: grpc.sendUnaryData<never>) => cb({ code: grpc.status.UNIMPLEMENTED }),
      } as unknown as grpc.UntypedServiceImplementation);
      const port = await bindServer(server, '127.0.0.1', 0);
      g.members.push({ id: `m${i}`, dir: join(g.root, `m${i}`), server, address: `127.0.0.1:${port}`, kv: new Kv(), target });
    }
    const peers: Member[] = g.members.map((m) => ({ id: m.id, address: m.address, voter: true }));
    for (const m of g.members) await g.start(m, peers, opts.snapshotEvery);
    return g;
  }

  async start(m: Member_, peers: Member[], snapshotEvery = 0): Promise<void> {
    m.kv = new Kv();
    const storage = await DiskStorage.open(m.dir, { onFatal: (err) => this.fatal.push(err) });
    m.node = await RaftNode.start({
      id: m.id, storage, stateMachine: m.kv, bootstrap: peers, credential: KEY, logger: process.env.RAFT_DEBUG ? createLogger({ member: m.id }, 'debug') : silentLogger,
      onFatal: (err) => this.fatal.push(err), tickMs: 20, electionTicks: 10, heartbeatTicks: 2, snapshotEvery, snapshotRetain: 2,
    });
    m.target.node = m.node;
  }

  async stop(m: Member_): Promise<void> {
    m.target.node = undefined;
    await m.node?.stop();
    m.node = undefined;
  }

  up(): Member_[] {
    return this.members.filter((m) => m.node);
  }

  async leader(): Promise<Member_> {
    return eventually(() => {
      const leaders = this.up().filter((m) => m.node!.isLeaderReady);
      if (leaders.length !== 1) throw new Error(`${leaders.length} ready leaders`);
      return leaders[0]!;
    }, 20_000, 'one ready leader', 20);
  }

  /** Proposes through whichever member leads, retrying across elections. */
  async put(k: string, v: string): Promise<unknown> {
    // Only a proposal that was never made (NotLeaderError) is retried: anything else is the answer.
    const until = Date.now() + 20_000;
    for (;;) {
      const leader = await this.leader();
      try {
        return await leader.node!.propose(enc.encode(JSON.stringify({ k, v })));
      } catch (err) {
        if (!(err instanceof NotLeaderError) || Date.now() > until) throw err;
      }
    }
  }

  async close(): Promise<void> {
    for (const m of this.members) {
      await this.stop(m);
      m.server.forceShutdown();
    }
    await rm(this.root, { recursive: true, force: true });
  }
}

describe('raft node: three members over gRPC on real disks', function () {
  this.timeout(60_000);
  let g: Group;
  afterEach(async () => {
    assert.deepEqual(g.fatal, [], 'no member hit a fatal error');
    await g.close();
  });

  it('elects one leader, replicates commands to every member, and answers each proposal with its own result', async () => {
    g = await Group.create(3);
    assert.equal(await g.put('a', '1'), null);
    assert.equal(await g.put('a', '2'), '1', 'the result is the state machine answer at apply time');
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => g.put(`k${i}`, String(i))));
    assert.deepEqual(results, Array(50).fill(null));
    await eventually(() => g.members.every((m) => m.kv.data.size === 51), 10_000, 'every member applied all commands');
    for (const m of g.members) assert.equal(m.kv.data.get('a'), '2');
  });

  it('a follower refuses proposals and reads with NotLeaderError naming the leader', async () => {
    g = await Group.create(3);
    const leader = await g.leader();
    const follower = g.members.find((m) => m !== leader)!;
    await eventually(() => follower.node!.leader === leader.id, 10_000, 'the follower knows the leader');
    assert.throws(() => follower.node!.propose(enc.encode('{}')), (err: unknown) => err instanceof NotLeaderError && err.leader === leader.id);
    await assert.rejects(follower.node!.readBarrier(), (err: unknown) => err instanceof NotLeaderError);
    await leader.node!.readBarrier();
  });

  it('a refused command rejects its proposal on the leader and is skipped, identically, everywhere', async () => {
    g = await Group.create(3);
    await g.put('x', '1');
    await assert.rejects(g.put('refuse', '1'), /refused by the state machine/);
    await g.put('y', '2');
    await eventually(() => g.members.every((m) => m.kv.data.get('y') === '2'), 10_000, 'all applied');
    for (const m of g.members) assert.equal(m.kv.data.has('refuse'), false);
  });

  it('after the leader stops, the other two elect a new one and keep every acknowledged write; the old one catches up on restart', async () => {
    g = await Group.create(3);
    for (let i = 0; i < 20; i++) await g.put(`k${i}`, `v${i}`);
    const old = await g.leader();
    await g.stop(old);
    const next = await g.leader();
    assert.notEqual(next.id, old.id);
    for (let i = 0; i < 20; i++) assert.equal(next.kv.data.get(`k${i}`), `v${i}`, `acknowledged k${i} survives`);
    await g.put('after', 'failover');
    await g.start(old, []);
    await eventually(() => old.kv.data.get('after') === 'failover', 20_000, 'the restarted member caught up');
    assert.equal(old.kv.data.get('k19'), 'v19');
  });

  it('a member down while the log is compacted is caught up by a snapshot sent in pieces', async () => {
    g = await Group.create(3, { snapshotEvery: 20 });
    const leader = await g.leader();
    const lagging = g.members.find((m) => m !== leader)!;
    await g.stop(lagging);
    for (let i = 0; i < 120; i++) await g.put(`s${i}`, `v${i}`);
    await eventually(() => leader.node!.status().snapshotIndex > 60, 20_000, 'the leader compacted its log');
    await g.start(lagging, []);
    await eventually(() => lagging.kv.data.get('s119') === 'v119', 20_000, 'the lagging member caught up');
    assert.ok(lagging.node!.status().snapshotIndex > 0, 'it installed a snapshot');
    assert.equal(lagging.kv.data.size, 120);
    // It was restored from the snapshot, not by replaying every entry.
    assert.ok(lagging.kv.applied.length < 120, `replayed ${lagging.kv.applied.length} entries only`);
  });

  it('a lone member elects itself at once and survives a restart with its state', async () => {
    g = await Group.create(1, { snapshotEvery: 10 });
    for (let i = 0; i < 25; i++) await g.put(`k${i}`, String(i));
    const m = g.members[0]!;
    await g.stop(m);
    await g.start(m, []);
    await g.leader();
    assert.equal(m.kv.data.size, 25);
    await m.node!.readBarrier();
  });
});
