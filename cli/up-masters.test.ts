// `godfs up --masters <n>`: the usage it refuses, and a real Raft group of three masters under `godfs up`
// driven by the built CLI as a user would (credentials file, put/get, `godfs admin raft status`), with
// the leading master SIGKILLed: the data stays readable and writable, `up` restarts the killed master
// and it catches up; then a restart on the same data directory.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually } from '../test/eventually.js';
import type { Credentials } from './credentials.js';
import type { RaftStatusJson } from './raft-commands.js';
import { freePort, freePortRange, isAlive, runCli as run, startUp, type UpProcess } from './up-process.js';
import { checkMasterDirs, groupReady, parseMasterCount, planMasters, probeMaster } from './up-masters.js';
import type { PidsFile } from './up.js';

describe('godfs up --masters (usage)', function () {
  this.timeout(60_000);
  let root: string;
  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'godfs-up-masters-usage-'));
  });
  after(async () => {
    if (root) await rm(root, { recursive: true, force: true });
  });

  it('parses 1, 3 and 5 and nothing else', function () {
    assert.deepEqual(['1', '3', ' 5 '].map(parseMasterCount), [1, 3, 5]);
    for (const bad of ['0', '2', '4', '6', '7', '-1', 'three', '3.0', '']) assert.throws(() => parseMasterCount(bad), /expected 1, 3 or 5/, bad);
  });

  it('exits 2 with a usage message for an even or other count, from the flag or GODFS_UP_MASTERS', async function () {
    const data = join(root, 'never-created');
    for (const args of [['--masters', '2'], ['--masters', '4'], ['--masters', '0'], ['--masters', '7']]) {
      const r = await run(['up', '--data', data, ...args]);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, /^godfs: option '--masters <n>' argument '\d+' is invalid\. expected 1, 3 or 5.*\(usage\)$/m);
    }
    const env = await run(['up', '--data', data], { env: { GODFS_UP_MASTERS: '4' } });
    assert.equal(env.code, 2, env.stderr);
    assert.match(env.stderr, /expected 1, 3 or 5, got "4"/);
    const help = await run(['up', '--help']);
    assert.match(help.stdout, /--masters <n>/);
    assert.match(help.stdout, /GODFS_UP_MASTERS/);
  });

  it('needs a fixed master port for a group, and ports free of the other roles', async function () {
    const data = join(root, 'ports');
    const zero = await run(['up', '--data', data, '--masters', '3', '--master-listen', '127.0.0.1:0']);
    assert.equal(zero.code, 2, zero.stderr);
    assert.match(zero.stderr, /--masters 3 needs a fixed --master-listen port.*\(usage\)$/m);
    const high = await run(['up', '--data', data, '--masters', '5', '--master-listen', '127.0.0.1:65533']);
    assert.equal(high.code, 2, high.stderr);
    assert.match(high.stderr, /ports 65533-65537: past 65535/);
    const clash = await run(['up', '--data', data, '--masters', '3', '--master-listen', '127.0.0.1:19090', '--listen', '127.0.0.1:19091']);
    assert.equal(clash.code, 2, clash.stderr);
    assert.match(clash.stderr, /the gateway \(--listen\) port 19091 is master m2's/);
    const cs = await run(['up', '--data', data, '--masters', '3', '--master-listen', '127.0.0.1:19090', '--chunkserver-port', '19088', '--chunkservers', '3']);
    assert.equal(cs.code, 2, cs.stderr);
    assert.match(cs.stderr, /a chunkserver \(--chunkserver-port\) port 19090 is master m1's/);
  });

  it('plans ids m1..mn on consecutive ports, one data directory each, a single master where it always was', function () {
    const one = planMasters(1, '127.0.0.1:0', '/d');
    assert.deepEqual(one, [{ id: 'm1', name: 'master', listen: '127.0.0.1:0', address: '127.0.0.1:0', dataDir: '/d/master' }]);
    const three = planMasters(3, '0.0.0.0:9090', '/d');
    assert.deepEqual(
      three.map((m) => [m.id, m.name, m.listen, m.address, m.dataDir]),
      [
        ['m1', 'master-m1', '0.0.0.0:9090', '127.0.0.1:9090', '/d/master-m1'],
        ['m2', 'master-m2', '0.0.0.0:9091', '127.0.0.1:9091', '/d/master-m2'],
        ['m3', 'master-m3', '0.0.0.0:9092', '127.0.0.1:9092', '/d/master-m3'],
      ],
    );
  });

  it('is ready only with exactly one leader that counts every chunkserver', function () {
    const f = (id: string) => ({ id, ready: false, role: 'follower' });
    const l = (id: string, alive: number) => ({ id, ready: true, role: 'leader', chunkserversAlive: alive });
    assert.equal(groupReady([f('m1'), f('m2'), f('m3')], 2), undefined);
    assert.equal(groupReady([f('m1'), l('m2', 1), undefined], 2), undefined);
    assert.equal(groupReady([l('m1', 2), l('m2', 2), f('m3')], 2), undefined, 'two masters answering as leader is not yet one leader');
    assert.equal(groupReady([f('m1'), l('m2', 2), undefined], 2)?.id, 'm2');
  });

  it('refuses a data directory made with another number of masters (exit 2, before starting anything)', async function () {
    const single = join(root, 'single');
    await mkdir(join(single, 'master'), { recursive: true });
    await writeFile(join(single, 'master', 'snapshot.json'), '{}');
    await assert.rejects(checkMasterDirs(single, 3), /holds the state of a single master: --masters 3 would start a new, empty group/);
    await checkMasterDirs(single, 1);
    const r = await run(['up', '--data', single, '--masters', '3', '--master-listen', `127.0.0.1:${await freePort()}`]);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /holds the state of a single master.*Start it with --masters 1.*\(usage\)$/m);

    const group = join(root, 'group');
    for (const id of ['m1', 'm2', 'm3']) {
      await mkdir(join(group, `master-${id}`, 'raft'), { recursive: true });
    }
    await checkMasterDirs(group, 3);
    await assert.rejects(checkMasterDirs(group, 1), /holds a group of 3 masters.*start it with --masters 3/);
    await assert.rejects(checkMasterDirs(group, 5), /holds a group of 3 masters.*start it with --masters 3/);
    const again = await run(['up', '--data', group, '--masters', '5', '--master-listen', '127.0.0.1:19190']);
    assert.equal(again.code, 2, again.stderr);
    assert.match(again.stderr, /holds a group of 3 masters/);
    // Empty directories (a first start that never got going) bind nothing.
    const empty = join(root, 'empty');
    await mkdir(join(empty, 'master-m1'), { recursive: true });
    await checkMasterDirs(empty, 5);
    await checkMasterDirs(empty, 1);
  });
});

describe('godfs up --masters 3 (a live Raft group)', function () {
  this.timeout(300_000);
  let root: string;
  let dataDir: string;
  let up: UpProcess | undefined;
  let masterListen: string;
  let creds: string;
  const verbose = !!process.env.GODFS_TEST_VERBOSE;
  const file = () => join(root, 'random-1mib.bin');
  /** A client command as a user runs it next to the cluster: everything from the credentials file. */
  const cli = (...args: string[]) => run([...args, '--credentials', creds], { timeoutMs: 120_000 });
  const raftStatus = async (): Promise<RaftStatusJson> => {
    const r = await cli('admin', 'raft', 'status', '--json');
    assert.equal(r.code, 0, r.stderr);
    return JSON.parse(r.stdout) as RaftStatusJson;
  };
  const readyz = (p: PidsFile) => Promise.all(p.masters.map((m) => probeMaster(m.id, m.httpAddress)));
  const getMatches = async (remote: string, local: string, want: Buffer) => {
    const out = join(root, `got-${Date.now()}-${Math.random().toString(36).slice(2)}.bin`);
    const g = await cli('get', remote, out);
    assert.equal(g.code, 0, g.stderr);
    assert.ok((await readFile(out)).equals(want), `${remote} reads back the bytes of ${local}`);
    await rm(out, { force: true });
    return true;
  };

  before(async function () {
    root = await mkdtemp(join(tmpdir(), 'godfs-up-masters-'));
    dataDir = join(root, 'data');
    creds = join(dataDir, 'credentials.json');
    masterListen = `127.0.0.1:${await freePortRange(3)}`;
    await writeFile(file(), randomBytes(2 ** 20));
    up = await startUp({ dataDir, masters: 3, chunkservers: 2, replication: 2, masterListen, echo: verbose });
  });

  after(async function () {
    this.timeout(120_000);
    if (up) await up.stop(30_000).catch(() => up?.kill());
    if (root) await rm(root, { recursive: true, force: true });
  });

  afterEach(function () {
    if (this.currentTest?.state === 'failed' && up) process.stderr.write(`--- godfs up output ---\n${up.output().slice(-8000)}\n`);
  });

  it('starts m1..m3 on consecutive ports, lists them in credentials.json, pids.json and the banner, with exactly one leader', async function () {
    const port = Number(masterListen.split(':')[1]);
    const addresses = [0, 1, 2].map((i) => `127.0.0.1:${port + i}`);
    const c = JSON.parse(await readFile(creds, 'utf8')) as Credentials;
    assert.equal(c.master, addresses.join(','));
    assert.equal(up!.master, addresses.join(','));
    const p = await up!.pids();
    assert.deepEqual(p.masters.map((m) => [m.id, m.name, m.address]), addresses.map((a, i) => [`m${i + 1}`, `master-m${i + 1}`, a]));
    assert.equal(new Set(p.masters.map((m) => m.pid)).size, 3);
    for (const m of p.masters) assert.ok(m.pid && isAlive(m.pid), `${m.id} runs`);
    assert.equal(p.master.pid, p.masters[0]!.pid);
    const banner = up!.output();
    assert.match(banner, /^godfs is up\.$/m);
    assert.match(banner, new RegExp(`^  masters   ${addresses.join(',')}   \\(a Raft group of 3`, 'm'));
    for (const [i, a] of addresses.entries()) assert.match(banner, new RegExp(`^    m${i + 1} +${a}   (leader|follower)`, 'm'));
    assert.equal((banner.match(/^ {4}m\d +\S+ {3}leader$/gm) ?? []).length, 1, 'the banner names one leader');

    const s = await raftStatus();
    assert.deepEqual(s.members.map((m) => [m.id, m.address, m.voter]).sort(), addresses.map((a, i) => [`m${i + 1}`, a, true]));
    assert.ok(s.leader && s.leaderAddress && addresses.includes(s.leaderAddress), JSON.stringify(s));
    // /readyz: 200 on the leader only, 503 naming it on the followers; the leader counts both chunkservers.
    const answers = await readyz(p);
    assert.deepEqual(answers.map((a) => a?.ready), p.masters.map((m) => m.id === s.leader));
    assert.equal(answers.find((a) => a?.ready)?.chunkserversAlive, 2);
    for (const a of answers.filter((x) => !x?.ready)) assert.equal(a?.role, 'follower');
  });

  it('put and get through the CLI; after SIGKILL of the leading master the file is still readable and writes go on; up restarts it and it catches up', async function () {
    const put = await cli('put', file(), '/ha/one.bin', '-p');
    assert.equal(put.code, 0, put.stderr);
    await getMatches('/ha/one.bin', file(), await readFile(file()));

    const before = await raftStatus();
    const pids = await up!.pids();
    const leader = pids.masters.find((m) => m.address === before.leaderAddress);
    assert.ok(leader?.pid, `the leader ${before.leaderAddress} is one of up's masters: ${JSON.stringify(pids.masters)}`);
    process.kill(leader.pid, 'SIGKILL');

    // Readable with the leader gone (the others elect one; the client follows it), byte for byte.
    const bytes = await readFile(file());
    await eventually(() => getMatches('/ha/one.bin', file(), bytes), 60_000, 'a get after the leader was killed', 250);
    const after = await raftStatus();
    assert.ok(after.leader, 'a leader after the kill');
    // And writable: a new file through the new leader.
    const second = join(root, 'second.bin');
    await writeFile(second, randomBytes(300_000));
    await eventually(async () => {
      const r = await cli('put', second, '/ha/two.bin');
      assert.equal(r.code, 0, r.stderr);
      return true;
    }, 60_000, 'a put after the leader was killed', 250);
    await getMatches('/ha/two.bin', second, await readFile(second));

    // up restarts the killed master on its port and data directory; it rejoins and catches up.
    const restarted = await eventually(async () => {
      const m = (await up!.pids()).masters.find((x) => x.id === leader.id);
      return m?.pid && m.pid !== leader.pid && m.address === leader.address && m.httpAddress ? m : undefined;
    }, 60_000, `${leader.id} restarted by godfs up`, 200);
    assert.ok(isAlive(restarted.pid!));
    await eventually(async () => {
      const s = await raftStatus();
      const m = s.members.find((x) => x.id === leader.id);
      return s.leader !== null && s.members.length === 3 && m !== undefined && m.matchIndex >= s.commitIndex;
    }, 60_000, `${leader.id} caught up with the leader`, 250);
    await eventually(async () => groupReady(await readyz(await up!.pids()), 2), 60_000, 'exactly one leader counting both chunkservers', 250);
  });

  it('stops cleanly, refuses --masters 1 or another port on that data directory, and restarts with every file', async function () {
    const before = await up!.pids();
    const code = await up!.stop();
    assert.equal(code, 0, up!.output().slice(-4000));
    for (const m of before.masters) assert.ok(m.pid !== undefined && !isAlive(m.pid), `${m.id} exited with godfs up`);
    up = undefined;

    const single = await run(['up', '--data', dataDir, '--masters', '1', '--master-listen', masterListen]);
    assert.equal(single.code, 2, single.stderr);
    assert.match(single.stderr, /holds a group of 3 masters .*start it with --masters 3/);
    const moved = await run(['up', '--data', dataDir, '--masters', '3', '--master-listen', `127.0.0.1:${await freePortRange(3)}`]);
    assert.equal(moved.code, 2, moved.stderr);
    assert.match(moved.stderr, new RegExp(`start it with --master-listen ${masterListen.replace(/\./g, '\\.')}`));

    up = await startUp({ dataDir, masters: 3, chunkservers: 2, replication: 2, masterListen, echo: verbose });
    await getMatches('/ha/one.bin', file(), await readFile(file()));
    await getMatches('/ha/two.bin', join(root, 'second.bin'), await readFile(join(root, 'second.bin')));
  });
});
