// End-to-end tests of the built CLI: `godfs up` as a child process on temp dirs and free ports, driven by
// the client commands exactly as a user types them, then stopped and restarted on the same data.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildProgram, allCommands } from './program.js';
import { CLI_PATH, cleanEnv, isAlive, runCli as run, startUp, type UpProcess } from './up-process.js';
import { eventually } from '../test/eventually.js';

async function sha256File(file: string): Promise<string> {
  const h = createHash('sha256');
  for await (const c of createReadStream(file)) h.update(c as Buffer);
  return h.digest('hex');
}

describe('godfs CLI (help)', function () {
  it('prints help for the program and for every command, mentioning each of its flags', async function () {
    this.timeout(120_000);
    const top = await run(['--help']);
    assert.equal(top.code, 0, top.stderr);
    for (const name of ['up', 'master', 'chunkserver', 'gateway', 'mkdir', 'ls', 'stat', 'put', 'get', 'cat', 'rm', 'mv', 'admin']) {
      assert.match(top.stdout, new RegExp(`^  ${name}\\b`, 'm'), `top-level help lists ${name}`);
    }
    const commands = allCommands(buildProgram());
    assert.ok(commands.length >= 15);
    await Promise.all(
      commands.map(async ({ path, cmd }) => {
        const words = path.split(' ').slice(1);
        const r = await run([...words, '--help']);
        assert.equal(r.code, 0, `${path} --help: ${r.stderr}`);
        assert.match(r.stdout, new RegExp(`Usage: ${path.replace(/ /g, ' ')}`), `${path} --help shows its usage`);
        for (const opt of cmd.options) {
          assert.ok(r.stdout.includes(opt.long!), `${path} --help mentions ${opt.long}`);
          if (opt.envVar) assert.ok(r.stdout.includes(opt.envVar), `${path} --help mentions ${opt.envVar}`);
        }
      }),
    );
  });

  it('exits 2 with a usage message on bad usage', async function () {
    const unknown = await run(['ls', '--no-such-flag']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /^godfs: unknown option '--no-such-flag'/m);
    const missing = await run(['put', 'only-one-arg']);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /missing required argument/);
    const badSize = await run(['chunkserver', '--capacity', 'lots']);
    assert.equal(badSize.code, 2);
    assert.match(badSize.stderr, /expected a size/);
    const badRate = await run(['chunkserver', '--scrub-rate', 'fast']);
    assert.equal(badRate.code, 2);
    assert.match(badRate.stderr, /expected a size/);
    const noRepairs = await run(['master', '--repair-concurrency', '0']);
    assert.equal(noRepairs.code, 2);
    assert.match(noRepairs.stderr, /whole number ≥ 1/);
  });
});

describe('godfs CLI against a live cluster (godfs up)', function () {
  this.timeout(300_000);
  let root: string;
  let dataDir: string;
  let up: UpProcess | undefined;
  let env: Record<string, string>;
  let listen: string;
  let masterListen: string;
  let apiKey: string;
  const localFile = () => join(root, 'random-3mib.bin');

  before(async function () {
    root = await mkdtemp(join(tmpdir(), 'godfs-cli-test-'));
    dataDir = join(root, 'data');
    up = await startUp({ dataDir, chunkservers: 2, replication: 1, echo: !!process.env.GODFS_TEST_VERBOSE });
    listen = up.endpoint.slice('http://'.length);
    masterListen = up.master;
    apiKey = up.apiKey;
    env = { GODFS_MASTER: up.master, GODFS_API_KEY: up.apiKey };
    await writeFile(localFile(), randomBytes(3 * 2 ** 20));
  });

  after(async function () {
    this.timeout(120_000);
    if (up) await up.stop(30_000).catch(() => up?.kill());
    if (root) await rm(root, { recursive: true, force: true });
  });

  afterEach(function () {
    if (this.currentTest?.state === 'failed' && up) {
      process.stderr.write(`--- godfs up output ---\n${up.output().slice(-8000)}\n`);
    }
  });

  it('keeps the API key in <data>/credentials.json with mode 0600', async function () {
    const st = await stat(join(dataDir, 'credentials.json'));
    assert.equal(st.mode & 0o777, 0o600);
    const creds = JSON.parse(await readFile(join(dataDir, 'credentials.json'), 'utf8')) as { apiKey: string; master: string };
    assert.equal(creds.apiKey, apiKey);
    assert.ok(apiKey.length >= 20);
    assert.equal(creds.master, masterListen);
    const pids = await up!.pids();
    assert.equal(pids.chunkservers.length, 2);
    for (const pid of [pids.master.pid, pids.gateway.pid, ...pids.chunkservers.map((c) => c.pid)]) assert.ok(pid && isAlive(pid), `child ${pid} runs`);
  });

  it('refuses requests without the API key', async function () {
    const r = await run(['ls', '/'], { env: { GODFS_MASTER: masterListen, GODFS_API_KEY: 'wrong-key' } });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^godfs: .*\(unauthenticated\)$/m);
  });

  it('put then get round-trips a 3 MiB file byte for byte', async function () {
    const put = await run(['put', localFile(), '/data/random.bin', '-p'], { env });
    assert.equal(put.code, 0, put.stderr);
    const out = join(root, 'back.bin');
    const get = await run(['get', '/data/random.bin', out], { env });
    assert.equal(get.code, 0, get.stderr);
    assert.equal(await sha256File(out), await sha256File(localFile()));
  });

  it('put from stdin and get to stdout', async function () {
    const body = randomBytes(100_000);
    const put = await run(['put', '-', '/data/stdin.bin'], { env, input: body });
    assert.equal(put.code, 0, put.stderr);
    const p = spawn(process.execPath, [CLI_PATH, 'get', '/data/stdin.bin', '-'], { env: cleanEnv(env) });
    const chunks: Buffer[] = [];
    p.stdout.on('data', (b: Buffer) => chunks.push(b));
    const code = await new Promise((r) => p.on('close', r));
    assert.equal(code, 0);
    assert.ok(Buffer.concat(chunks).equals(body));
  });

  it('stat --json reports the file, and the human form is readable', async function () {
    const r = await run(['stat', '--json', '/data/random.bin'], { env });
    assert.equal(r.code, 0, r.stderr);
    const j = JSON.parse(r.stdout) as { path: string; size: number; is_dir: boolean; type: string; etag: string };
    assert.equal(j.path, '/data/random.bin');
    assert.equal(j.size, 3 * 2 ** 20);
    assert.equal(j.is_dir, false);
    assert.equal(j.type, 'file');
    assert.ok(j.etag.length > 0);
    const human = await run(['stat', '/data'], { env });
    assert.equal(human.code, 0, human.stderr);
    assert.match(human.stdout, /^Type:\s+directory$/m);
  });

  it('ls lists names in order, -l adds size and mode', async function () {
    const r = await run(['ls', '/data'], { env });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.stdout.trim().split('\n'), ['random.bin', 'stdin.bin']);
    const l = await run(['ls', '-l', '/data'], { env });
    assert.equal(l.code, 0, l.stderr);
    assert.match(l.stdout, /^-rw\S+\s+\d+\s+\d+\s+3145728 \S+ random\.bin$/m);
    const root = await run(['ls', '/'], { env });
    assert.match(root.stdout, /^data\/$/m);
  });

  it('mkdir -p, mv, cat and rm', async function () {
    assert.equal((await run(['mkdir', '-p', '/a/b/c'], { env })).code, 0);
    assert.equal((await run(['mkdir', '-p', '/a/b/c'], { env })).code, 0, 'mkdir -p of an existing directory succeeds');
    const again = await run(['mkdir', '/a/b/c'], { env });
    assert.equal(again.code, 1);
    assert.match(again.stderr, /\(already_exists\)/);

    const text = 'hello from godfs\n';
    assert.equal((await run(['put', '-', '/a/b/c/hello.txt'], { env, input: Buffer.from(text) })).code, 0);
    const cat = await run(['cat', '/a/b/c/hello.txt'], { env });
    assert.equal(cat.code, 0, cat.stderr);
    assert.equal(cat.stdout, text);

    const mv = await run(['mv', '/a/b', '/moved'], { env });
    assert.equal(mv.code, 0, mv.stderr);
    assert.equal((await run(['cat', '/moved/c/hello.txt'], { env })).stdout, text);
    assert.equal((await run(['stat', '/a/b'], { env })).code, 1);

    const notEmpty = await run(['rm', '/moved'], { env });
    assert.equal(notEmpty.code, 1);
    assert.match(notEmpty.stderr, /\(not_empty\)/);
    const rmr = await run(['rm', '-r', '/moved', '/a'], { env });
    assert.equal(rmr.code, 0, rmr.stderr);
    const gone = await run(['stat', '/moved'], { env });
    assert.equal(gone.code, 1);
  });

  it('a missing remote file exits 1 with a clear message', async function () {
    const r = await run(['get', '/no/such/file', join(root, 'nothing')], { env });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^godfs: .+ \(not_found\)$/m);
    await assert.rejects(stat(join(root, 'nothing')), /ENOENT/);
    const c = await run(['cat', '/no-such-file'], { env });
    assert.equal(c.code, 1);
    assert.match(c.stderr, /\(not_found\)/);
  });

  it('finds the cluster through ./data/credentials.json when no flag or variable is set', async function () {
    const r = await run(['cat', '/data/stdin.bin'], { cwd: root });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.length > 0, true);
  });

  it('admin nodes and admin stats print tables', async function () {
    const nodes = await run(['admin', 'nodes'], { env });
    assert.equal(nodes.code, 0, nodes.stderr);
    const lines = nodes.stdout.trim().split('\n');
    assert.match(lines[0]!, /^NODE\s+ADDRESS/);
    assert.equal(lines.length, 3, nodes.stdout);
    const stats = await run(['admin', 'stats', '--json'], { env });
    assert.equal(stats.code, 0, stats.stderr);
    const s = JSON.parse(stats.stdout) as { nodesAlive: number; defaultReplication: number };
    assert.equal(s.nodesAlive, 2);
    assert.equal(s.defaultReplication, 1);
  });

  it('survives a restart on the same data dir: files byte for byte, same API key, children gone in between', async function () {
    const before = await up!.pids();
    const code = await up!.stop();
    assert.equal(code, 0, up!.output().slice(-4000));
    for (const pid of [before.master.pid, before.gateway.pid, ...before.chunkservers.map((c) => c.pid)]) {
      assert.ok(pid !== undefined && !isAlive(pid), `child ${pid} exited with godfs up`);
    }
    await assert.rejects(stat(join(dataDir, 'pids.json')), /ENOENT/);

    up = await startUp({ dataDir, chunkservers: 2, replication: 1, listen, masterListen, echo: !!process.env.GODFS_TEST_VERBOSE });
    assert.equal(up.apiKey, apiKey, 'the persisted API key is reused');
    const out = join(root, 'after-restart.bin');
    const get = await run(['get', '/data/random.bin', out], { env });
    assert.equal(get.code, 0, get.stderr);
    assert.equal(await sha256File(out), await sha256File(localFile()));
  });

  it('restarts a child that dies', async function () {
    const before = await up!.pids();
    process.kill(before.chunkservers[0]!.pid!, 'SIGKILL');
    const restarted = await eventually(async () => {
      const now = await up!.pids();
      const pid = now.chunkservers[0]?.pid;
      return pid && pid !== before.chunkservers[0]!.pid && now.chunkservers[0]?.address ? pid : undefined;
    }, 60_000, 'chunkserver-0 restarted', 200);
    assert.ok(isAlive(restarted), 'chunkserver-0 was restarted');
    await mkdir(join(root, 'x'), { recursive: true });
    // The restarted chunkserver re-registers (possibly on a new port); give the master a few heartbeats.
    await eventually(async () => {
      const get = await run(['get', '/data/random.bin', join(root, 'x', 'again.bin')], { env });
      assert.equal(get.code, 0, get.stderr);
      return true;
    }, 60_000, 'a get after the restart', 500);
    assert.equal(await sha256File(join(root, 'x', 'again.bin')), await sha256File(localFile()));
  });
});
