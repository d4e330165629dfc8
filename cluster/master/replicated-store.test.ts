// The master on Raft, one process, real disk and gRPC: the upgrade of a single master's data directory
// (its old write-ahead log and snapshot) into the Raft state, restarts, and snapshots of the replicated
// state machine that a restart restores from.
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../../common/log.js';
import { GodfsClient } from '../../sdk/client.js';
import { eventually } from '../../test/eventually.js';
import * as grpc from '@grpc/grpc-js';
import { authMetadata, fromServiceError, SESSION_METADATA } from '../../common/grpc.js';
import { masterProto } from '../../proto/load.js';
import { MetaStore } from './meta-store.js';
import { startMaster, type MasterHandle } from './server.js';

const KEY = 'replicated-store-test-key';

describe('master on Raft: upgrade, restart, snapshots', function () {
  this.timeout(60_000);
  let dir: string;
  let m: MasterHandle | undefined;
  let client: GodfsClient | undefined;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'godfs-rstore-'));
  });
  afterEach(async () => {
    client?.close();
    client = undefined;
    await m?.close();
    m = undefined;
    await rm(dir, { recursive: true, force: true });
  });

  const start = async (extra: Parameters<typeof startMaster>[0] extends infer O ? Partial<O> : never = {}) => {
    m = await startMaster({ dataDir: dir, listen: '127.0.0.1:0', apiKey: KEY, logger: silentLogger, onFatal: (err) => assert.fail(String(err)), ...extra });
    await eventually(() => m!.store.node.isLeaderReady, 20_000, 'the lone master leads');
    client = new GodfsClient({ master: m.address, apiKey: KEY });
    return m;
  };
  const stop = async () => {
    client?.close();
    client = undefined;
    await m!.close();
    m = undefined;
  };

  it("imports a single master's old state on first start, moves its files to pre-raft/, and keeps it across restarts", async () => {
    const old = await MetaStore.open(dir, { logger: silentLogger });
    await old.propose({ op: 'init', clusterId: 'old-cluster' });
    await old.propose({ op: 'mkdir', path: '/kept', parents: false, mode: 0o755, uid: 0, gid: 0, now: 1 });
    await old.snapshot();
    await old.propose({ op: 'mkdir', path: '/kept/after-snapshot', parents: false, mode: 0o700, uid: 0, gid: 0, now: 2 });
    await old.close();

    await start();
    assert.equal((await client!.stat('/kept')).type, 'dir');
    assert.equal((await client!.stat('/kept/after-snapshot')).mode & 0o777, 0o700, 'the command after the old snapshot came from the old log');
    assert.equal(m!.service.fsm.clusterId, 'old-cluster', 'the cluster keeps its id');
    const top = await readdir(dir);
    assert.ok(top.includes('pre-raft') && top.includes('raft'));
    assert.ok(!top.some((n) => n === 'snapshot.json' || n.startsWith('wal-')), 'the old files moved out of the way');
    assert.ok((await readdir(join(dir, 'pre-raft'))).includes('snapshot.json'));

    await client!.mkdir('/new');
    await stop();
    await start();
    assert.equal((await client!.stat('/kept/after-snapshot')).type, 'dir');
    assert.equal((await client!.stat('/new')).type, 'dir');
  });

  it('refuses to seed a group of several masters from a single master’s old state', async () => {
    const old = await MetaStore.open(dir, { logger: silentLogger });
    await old.propose({ op: 'init', clusterId: 'old' });
    await old.close();
    await assert.rejects(
      startMaster({ dataDir: dir, listen: '127.0.0.1:0', apiKey: KEY, logger: silentLogger, nodeId: 'm1', peers: 'm1=127.0.0.1:1,m2=127.0.0.1:2,m3=127.0.0.1:3' }),
      /start it alone first/,
    );
    assert.ok((await readdir(dir)).includes('snapshot.json') || (await readdir(dir)).some((n) => n.startsWith('wal-')), 'nothing was moved');
  });

  it('snapshots the replicated state, compacts the log, and restores from the snapshot on restart', async () => {
    await start({ snapshotEvery: 50 });
    for (let i = 0; i < 120; i++) await client!.mkdir(`/d${i}`);
    await eventually(() => m!.store.node.status().snapshotIndex >= 50, 20_000, 'a snapshot past 50 entries');
    const files = await readdir(join(dir, 'raft'));
    assert.ok(files.some((f) => f.endsWith('.snap')), `a snapshot file in ${files.join(' ')}`);
    await stop();
    await start({ snapshotEvery: 50 });
    for (let i = 0; i < 120; i++) assert.equal((await client!.stat(`/d${i}`)).type, 'dir');
    assert.ok(m!.store.node.status().snapshotIndex >= 50, 'it started from the snapshot');
  });

  /** One Mkdir over raw gRPC with a session tag (as the sdk sends a write, and resends it). */
  const mkdirTagged = (path: string, tag: string) =>
    new Promise<{ id: number } | { code: string }>((resolve) => {
      const c = new (masterProto().godfs.master.v1.Master)(m!.address, grpc.credentials.createInsecure());
      const md = authMetadata(KEY);
      md.set(SESSION_METADATA, tag);
      c.Mkdir({ path, parents: false, mode: 0o755, uid: 0, gid: 0 }, md, { deadline: Date.now() + 10_000 }, (err, res) => {
        c.close();
        resolve(err ? { code: fromServiceError(err).code } : { id: Number(res!.id) });
      });
    });

  it('a resent write (same session tag) applies once and gets the first answer, also after a restart from a snapshot', async () => {
    await start({ snapshotEvery: 20 });
    const first = await mkdirTagged('/once', 'client-aaaaaaaa:1');
    assert.ok('id' in first, `first mkdir: ${JSON.stringify(first)}`);
    assert.deepEqual(await mkdirTagged('/once', 'client-aaaaaaaa:1'), first, 'the resend answers what the first did, not already_exists');
    assert.deepEqual(await mkdirTagged('/once', 'client-aaaaaaaa:2'), { code: 'already_exists' }, 'a new call is a new command');
    // A refusal is remembered as well: resending it refuses again, even once the path exists.
    assert.deepEqual(await mkdirTagged('/later/x', 'client-aaaaaaaa:3'), { code: 'not_found' });
    await client!.mkdir('/later');
    assert.deepEqual(await mkdirTagged('/later/x', 'client-aaaaaaaa:3'), { code: 'not_found' }, 'the resend of a refused call is refused the same way');
    // The answers are replicated state: after a snapshot and a restart they are still there.
    for (let i = 0; i < 30; i++) await client!.mkdir(`/fill${i}`);
    await eventually(() => m!.store.node.status().snapshotIndex > 5, 20_000, 'a snapshot');
    await stop();
    await start({ snapshotEvery: 20 });
    assert.deepEqual(await mkdirTagged('/once', 'client-aaaaaaaa:1'), first);
    assert.ok(m!.service.fsm.sessions.size >= 3);
  });
});
