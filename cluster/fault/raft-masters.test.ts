// The Raft-replicated master on real processes (docs/testing.md, layer 2): three masters, each behind
// its own TCP proxy, three chunkservers and an sdk client that knows every master's address. Leaders
// are SIGKILLed, SIGSTOPped and cut off while writers run; every acknowledged write must stay readable
// with its bytes, no master may answer a read with state older than an acknowledged write, and the
// group must carry on with a majority.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { silentLogger } from '../../common/log.js';
import { startGateway } from '../../gateway/server.js';
import { authMetadata, fromServiceError } from '../../common/grpc.js';
import { masterProto } from '../../proto/load.js';
import { GodfsClient } from '../../sdk/client.js';
import { collect, patternSha256, patternStream, sha256Of } from '../../test/data.js';
import { eventually } from '../../test/eventually.js';
import { KEY, ProcessCluster, metricValue } from '../../test/process-cluster.js';
import { rng } from '../../test/seed.js';

// godfs runs on Node 20 by decision (docs/architecture.md); the S3 SDK's nag about Node 22 is noise here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const CLI = fileURLToPath(new URL('../../cli/main.js', import.meta.url));

interface Acked {
  path: string;
  size: number;
  seed: number;
}

/** Writers that keep writing small objects until stopped; what was acknowledged is recorded. */
class Workload {
  readonly acked: Acked[] = [];
  readonly errors: string[] = [];
  #stop = false;
  #running: Promise<void>[] = [];
  #n = 0;

  constructor(
    readonly client: GodfsClient,
    readonly prefix: string,
    readonly seed: number,
  ) {}

  start(workers: number): void {
    const r = rng(`${this.prefix}-${this.seed}`);
    for (let w = 0; w < workers; w++) {
      this.#running.push(
        (async () => {
          while (!this.#stop) {
            const i = this.#n++;
            const size = r.int(0, 256 * 1024);
            const path = `${this.prefix}/obj-${i}`;
            try {
              await this.client.write(path, patternStream(size, this.seed + i), { parents: true });
              this.acked.push({ path, size, seed: this.seed + i });
            } catch (err) {
              this.errors.push(`${path}: ${(err as Error).message}`);
              // A failover is under way: do not spin.
              await new Promise((res) => setTimeout(res, 50));
            }
          }
        })(),
      );
    }
  }

  /** Resolves once `n` more writes were acknowledged than when called. */
  async more(n: number, timeoutMs = 60_000): Promise<void> {
    const target = this.acked.length + n;
    await eventually(() => this.acked.length >= target, timeoutMs, `${n} more acknowledged writes (${this.acked.length} so far; last error: ${this.errors.at(-1) ?? 'none'})`, 25);
  }

  async stop(): Promise<void> {
    this.#stop = true;
    await Promise.all(this.#running);
  }
}

async function verifyAll(client: GodfsClient, acked: Acked[]): Promise<void> {
  for (const a of acked) {
    const info = await client.stat(a.path);
    assert.equal(info.size, a.size, `${a.path} has its acknowledged size`);
    const got = await sha256Of((await client.read(a.path)).stream);
    assert.equal(got.hex, (await patternSha256(a.size, a.seed)).hex, `${a.path} reads back its acknowledged bytes`);
  }
}

/** One Stat on one master, without following the leader: not_leader or the answer of that master. */
function statOn(address: string, path: string): Promise<{ ok: true; size: number } | { ok: false; code: string }> {
  const client = new (masterProto().godfs.master.v1.Master)(address, grpc.credentials.createInsecure());
  return new Promise((resolve) => {
    client.Stat({ path }, authMetadata(KEY), { deadline: Date.now() + 5000 }, (err, res) => {
      client.close();
      if (err) resolve({ ok: false, code: fromServiceError(err).code });
      else resolve({ ok: true, size: Number(res!.size) });
    });
  });
}

async function cli(c: ProcessCluster, ...args: string[]): Promise<string> {
  try {
    const { stdout } = await promisify(execFile)(process.execPath, [CLI, ...args, '--master', c.masterAddresses.join(','), '--api-key', KEY], { timeout: 120_000 });
    return stdout;
  } catch (err) {
    throw new Error(`godfs ${args.join(' ')} failed: ${(err as { stderr?: string }).stderr ?? (err as Error).message}`, { cause: err });
  }
}

describe('fault: a Raft group of three masters', function () {
  this.timeout(300_000);
  let c: ProcessCluster | undefined;
  afterEach(async () => {
    await c?.destroy();
    c = undefined;
  });

  it('SIGKILL of the leader, twice, during writes: a new leader serves within seconds, writes caught by it are resent and succeed, no acknowledged write is lost', async () => {
    c = await ProcessCluster.start({ chunkservers: 3, masters: 3, client: { timeoutMs: 5000 } });
    const w = new Workload(c.client, '/kill', 1000);
    w.start(4);
    await w.more(20);
    const failovers: number[] = [];
    for (let round = 0; round < 2; round++) {
      const old = await c.leader();
      const t0 = Date.now();
      await c.stopMaster(old.id, 'SIGKILL');
      const next = await c.leader();
      assert.notEqual(next.id, old.id);
      await w.more(15);
      failovers.push(Date.now() - t0);
      // Back to three before the next kill: two of three down would leave no quorum.
      await c.startMaster(old.id);
    }
    await w.stop();
    console.log(`      ${w.acked.length} writes acknowledged, ${w.errors.length} failed during failovers; kill → 15 more acknowledged writes: ${failovers.map((ms) => `${ms} ms`).join(', ')}`);
    // A write caught by a failover is resent by the sdk (session-tagged, so applied once), not failed.
    assert.deepEqual(w.errors, [], 'no write failed because the leader changed');
    await verifyAll(c.client, w.acked);
    // Every master ends with the same state: the same applied index once the restarted ones caught up.
    await eventually(async () => {
      const idx = await Promise.all(c!.masters.map(async (m) => (await c!.masterState(m.id))?.applied_index));
      return idx.every((i) => i !== undefined && i === idx[0]);
    }, 30_000, 'every master applied the same commands');
    // Election safety, from the masters' own logs: no term had two masters serving as leader.
    const leaders = new Map<number, string>();
    for (const m of c.masters) {
      const text = await readFile(join(c.dir, 'logs', `${m.id}.log`), 'utf8');
      for (const line of text.split('\n')) {
        if (!line.includes('leading: serving the master API')) continue;
        const { term } = JSON.parse(line) as { term: number };
        assert.ok(!leaders.has(term) || leaders.get(term) === m.id, `term ${term} had two leaders: ${leaders.get(term)} and ${m.id}`);
        leaders.set(term, m.id);
      }
    }
    assert.ok(leaders.size >= 3, `three terms with a leader (${[...leaders].map(([t, id]) => `${t}:${id}`).join(' ')})`);
    // Every master is a ready member (what Kubernetes' readiness probe asks); only the leader is /readyz.
    await eventually(async () => {
      const codes = await Promise.all(c!.masters.map(async (x) => (await fetch(`http://${x.proc!.info.httpAddress}/readyz/member`)).status));
      return codes.every((s) => s === 200);
    }, 30_000, 'every master answers /readyz/member 200');
    // The leader's Raft metrics tell the same story.
    const m = await c.metrics();
    assert.equal(metricValue(m, 'godfs_raft_is_leader'), 1);
    assert.ok((metricValue(m, 'godfs_raft_term') ?? 0) >= 3, 'two elections after the first');
    assert.ok((metricValue(m, 'godfs_raft_fsync_duration_seconds_count{what="log"}') ?? 0) > 0, 'log fsyncs are timed');
    assert.equal(metricValue(m, 'godfs_raft_members'), 3);
  });

  it('a leader cut off from the others steps down; the majority elects another, and after healing the old one follows with every write', async () => {
    c = await ProcessCluster.start({ chunkservers: 3, masters: 3, client: { timeoutMs: 5000 } });
    await c.client.write('/part/before', patternStream(1000, 1), { parents: true });
    const old = await c.leader();
    old.proxy!.set('blackhole');
    // Nobody can reach the old leader now; it can still send, but hears no answers: check-quorum makes it
    // step down, and the other two elect a leader among themselves.
    const next = await eventually(async () => {
      const others = c!.masters.filter((m) => m !== old);
      for (const m of others) if ((await c!.masterState(m.id))?.status === 'ready') return m;
      return undefined;
    }, 30_000, 'a leader among the majority');
    await eventually(async () => (await c!.masterState(old.id))?.role !== 'leader', 30_000, 'the isolated leader steps down');
    const majority = new GodfsClient({ master: [next.address, ...c.masters.filter((m) => m !== old && m !== next).map((m) => m.address)], apiKey: KEY, shortCircuitReads: false });
    try {
      await majority.write('/part/during', patternStream(5000, 2), { parents: true });
      old.proxy!.set('pass');
      await eventually(async () => {
        const s = await c!.masterState(old.id);
        return s?.role === 'follower' && s.leader !== null && s.leader !== old.id;
      }, 30_000, 'the healed master follows the new leader');
      // It has the write made while it was cut off (state replicated, not just the role).
      await eventually(async () => (await c!.masterState(old.id))?.applied_index === (await c!.masterState((await c!.leader()).id))?.applied_index, 30_000, 'the healed master caught up');
      const got = await c.client.stat('/part/during');
      assert.equal(got.size, 5000);
    } finally {
      majority.close();
    }
  });

  it('a SIGSTOPped leader is replaced; resumed, it never answers with state older than an acknowledged write', async () => {
    c = await ProcessCluster.start({ chunkservers: 3, masters: 3, client: { timeoutMs: 5000 } });
    await c.client.write('/stop/x', patternStream(10, 1), { parents: true });
    const old = await c.leader();
    old.proc!.child.kill('SIGSTOP');
    try {
      const next = await eventually(async () => {
        for (const m of c!.masters) if (m !== old && (await c!.masterState(m.id))?.status === 'ready') return m;
        return undefined;
      }, 30_000, 'a new leader while the old one is stopped');
      // Acknowledged by the new leader while the old one still believes it leads.
      const majority = new GodfsClient({ master: [next.address], apiKey: KEY, shortCircuitReads: false });
      try {
        await majority.write('/stop/x', patternStream(20, 2));
      } finally {
        majority.close();
      }
    } finally {
      old.proc!.child.kill('SIGCONT');
    }
    // Ask the resumed master directly, again and again while it finds out: every answer is a refusal
    // (not_leader, unavailable) or the acknowledged size — never the old one.
    const answers = new Map<string, number>();
    const until = Date.now() + 3000;
    while (Date.now() < until) {
      const r = await statOn(old.address, '/stop/x');
      const key = r.ok ? `size ${r.size}` : r.code;
      answers.set(key, (answers.get(key) ?? 0) + 1);
      assert.ok(!r.ok || r.size === 20, `the resumed old leader answered size ${r.ok ? r.size : '?'}: a stale read`);
    }
    console.log(`      answers of the resumed old leader: ${[...answers].map(([k, n]) => `${k} ×${n}`).join(', ')}`);
    assert.equal((await c.client.stat('/stop/x')).size, 20);
  });

  it('godfs admin raft adds a fourth master and removes the leader while writes go on', async () => {
    c = await ProcessCluster.start({ chunkservers: 3, masters: 3, client: { timeoutMs: 5000 } });
    const w = new Workload(c.client, '/member', 2000);
    w.start(2);
    await w.more(10);
    // A new master starts empty, outside the group, and is added through the CLI.
    const m4 = await c.addMasterSlot('m4');
    await c.startMaster('m4');
    const added = JSON.parse(await cli(c, 'admin', 'raft', 'add', 'm4', m4.address, '--json')) as { members: Array<{ id: string; voter: boolean }> };
    assert.deepEqual(added.members.map((m) => [m.id, m.voter]).sort(), [['m1', true], ['m2', true], ['m3', true], ['m4', true]]);
    await w.more(10);
    // Remove the leader itself: it hands leadership over first, and the new leader removes it.
    const victim = await c.leader();
    const removed = JSON.parse(await cli(c, 'admin', 'raft', 'remove', victim.id, '--json')) as { members: Array<{ id: string }> };
    assert.deepEqual(removed.members.map((m) => m.id).sort(), ['m1', 'm2', 'm3', 'm4'].filter((id) => id !== victim.id));
    await c.stopMaster(victim.id, 'SIGKILL');
    await w.more(10);
    await w.stop();
    const status = JSON.parse(await cli(c, 'admin', 'raft', 'status', '--json')) as { leader: string; members: Array<{ id: string; matchIndex: number }>; commitIndex: number };
    assert.equal(status.members.length, 3);
    assert.notEqual(status.leader, victim.id);
    await verifyAll(c.client, w.acked);
    // The new member holds the replicated state too.
    await eventually(async () => (await c!.masterState('m4'))?.applied_index === (await c!.masterState(status.leader))?.applied_index, 30_000, 'm4 caught up');
    const bytes = await collect((await c.client.read(w.acked[0]!.path)).stream);
    assert.equal(bytes.length, w.acked[0]!.size);
  });

  it('S3 through two gateways on different masters while the leader is killed twice: every acknowledged PUT reads back at once through the other gateway', async () => {
    c = await ProcessCluster.start({ chunkservers: 3, masters: 3, client: { timeoutMs: 5000 } });
    const cl = c;
    const ROOT = { accessKeyId: 'RAFTGWROOTKEY0000000', secretAccessKey: 'raft-gateway-root-secret-0000000000000000' };
    // Each gateway's client starts at a different master (and follows the leader from there).
    const clients = [0, 2].map((first) => new GodfsClient({ master: [...cl.masterAddresses.slice(first), ...cl.masterAddresses.slice(0, first)], apiKey: KEY, shortCircuitReads: false }));
    const gateways = await Promise.all(clients.map((client) => startGateway({ client, apiKey: KEY, logger: silentLogger, listen: '127.0.0.1:0', s3: { rootAccessKey: ROOT.accessKeyId, rootSecretKey: ROOT.secretAccessKey } })));
    const s3 = gateways.map((g) => new S3Client({ endpoint: `http://${g.address}`, region: 'us-east-1', credentials: ROOT, forcePathStyle: true }));
    try {
      await s3[0]!.send(new CreateBucketCommand({ Bucket: 'raft' }));
      const acked: Array<{ key: string; body: Buffer }> = [];
      let stale = 0;
      let failedPuts = 0;
      const killer = (async () => {
        for (const after of [8, 20]) {
          await eventually(() => acked.length >= after, 120_000, `${after} acknowledged PUTs`, 25);
          const leader = await cl.leader();
          await cl.stopMaster(leader.id, 'SIGKILL');
          await cl.leader();
          await cl.startMaster(leader.id);
        }
      })();
      for (let i = 0; i < 36; i++) {
        const key = `k${i % 6}/${i}`;
        const body = randomBytes(1 + (i * 7919) % (300 * 1024));
        try {
          await s3[i % 2]!.send(new PutObjectCommand({ Bucket: 'raft', Key: key, Body: body }));
        } catch {
          failedPuts++;
          continue;
        }
        acked.push({ key, body });
        // Read at once through the other gateway: it must see this write (linearizable metadata reads).
        const got = await s3[(i + 1) % 2]!.send(new GetObjectCommand({ Bucket: 'raft', Key: key }));
        const bytes = Buffer.from(await got.Body!.transformToByteArray());
        if (!bytes.equals(body)) stale++;
      }
      await killer;
      console.log(`      ${acked.length} PUTs acknowledged across two leader kills, ${failedPuts} failed; read-after-write through the other gateway: ${acked.length - stale} current, ${stale} stale`);
      assert.equal(stale, 0, 'a read through the other gateway right after an acknowledged PUT saw older data');
      for (const a of acked) {
        const got = await s3[0]!.send(new GetObjectCommand({ Bucket: 'raft', Key: a.key }));
        assert.ok(Buffer.from(await got.Body!.transformToByteArray()).equals(a.body), `${a.key} reads back byte-exact`);
      }
      assert.equal(failedPuts, 0, 'PUTs caught by a failover are resent by the gateway and succeed');
    } finally {
      for (const x of s3) x.destroy();
      for (const g of gateways) await g.close();
      for (const x of clients) x.close();
    }
  });
});
