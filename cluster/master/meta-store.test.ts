import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, appendFile, rm, writeFile, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { silentLogger } from '../../common/log.js';
import { MetaStore } from './meta-store.js';
import { eventually } from '../../test/eventually.js';

const writer = fileURLToPath(new URL('../../test/fixtures/master-writer.js', import.meta.url));

describe('master durable state (WAL + snapshots)', () => {
  let dir: string;
  beforeEach(async () => (dir = await mkdtemp(join(tmpdir(), 'godfs-meta-'))));
  afterEach(async () => rm(dir, { recursive: true, force: true }));

  const mk = (i: number) => ({ op: 'mkdir' as const, path: `/d${i}`, parents: false, mode: 0, uid: 0, gid: 0, now: i });

  it('replays the log after a restart', async () => {
    let s = await MetaStore.open(dir, { logger: silentLogger });
    for (let i = 0; i < 50; i++) await s.propose(mk(i));
    await assert.rejects(s.propose(mk(3)), { code: 'already_exists' });
    await s.close();
    s = await MetaStore.open(dir, { logger: silentLogger });
    assert.equal(s.fsm.list('/', 100, '').entries.length, 50);
    assert.equal(s.index, 50, 'a rejected command is not logged');
    await s.close();
  });

  it('snapshots, drops covered segments and recovers snapshot + tail', async () => {
    let s = await MetaStore.open(dir, { logger: silentLogger, snapshotEvery: 20 });
    for (let i = 0; i < 95; i++) await s.propose(mk(i));
    await s.snapshot();
    for (let i = 95; i < 100; i++) await s.propose(mk(i));
    await s.close();
    const files = await readdir(dir);
    assert.ok(files.includes('snapshot.json'));
    assert.equal(files.filter((f) => f.startsWith('wal-')).length, 1, `one live segment, got ${files}`);
    s = await MetaStore.open(dir, { logger: silentLogger });
    assert.equal(s.fsm.list('/', 1000, '').entries.length, 100);
    assert.equal(s.index, 100);
    await s.close();
  });

  it('cuts a torn or corrupt tail and keeps the good prefix', async () => {
    let s = await MetaStore.open(dir, { logger: silentLogger });
    for (let i = 0; i < 10; i++) await s.propose(mk(i));
    await s.close();
    const seg = join(dir, (await readdir(dir)).find((f) => f.startsWith('wal-'))!);
    await appendFile(seg, Buffer.from([0x40, 0, 0, 0, 1, 2, 3])); // torn header+payload
    s = await MetaStore.open(dir, { logger: silentLogger });
    assert.equal(s.index, 10);
    await s.propose(mk(10));
    await s.close();
    // Flip a byte inside the last record's payload: it must be dropped, the rest kept.
    const buf = await readFile(seg);
    buf[buf.length - 3] ^= 0xff;
    await writeFile(seg, buf);
    s = await MetaStore.open(dir, { logger: silentLogger });
    assert.equal(s.index, 10);
    assert.throws(() => s.fsm.resolve('/d10'), { code: 'not_found' });
    assert.equal(s.fsm.resolve('/d9').type, 'dir');
    await s.close();
  });

  it('never loses an acknowledged command when the process is SIGKILLed', async function () {
    this.timeout(60_000);
    for (const snapshotEvery of [100_000, 300]) {
      const d = await mkdtemp(join(tmpdir(), 'godfs-kill-'));
      const child = spawn(process.execPath, [writer, d, String(snapshotEvery)], { stdio: ['ignore', 'pipe', 'inherit'] });
      let out = '';
      child.stdout.on('data', (c: Buffer) => (out += c.toString()));
      // Killed in the middle of its stream of commands, once it has acknowledged a good number (and,
      // snapshotting every 300, has written snapshots and dropped log segments).
      await eventually(
        async () => out.split('\n').filter((l) => l.startsWith('ack ')).length > 1000 && (snapshotEvery > 1000 || (await readdir(d)).includes('snapshot.json')),
        60_000,
        'the writer acknowledging commands',
        10,
      );
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
      const acked = out.split('\n').filter((l) => l.startsWith('ack ')).map((l) => Number(l.slice(4)));
      assert.ok(acked.length > 50, `the writer acknowledged only ${acked.length} commands`);
      const s = await MetaStore.open(d, { logger: silentLogger });
      for (const i of acked) assert.equal(s.fsm.resolve(`/d${i}`).type, 'dir', `acknowledged /d${i} lost`);
      await s.close();
      await rm(d, { recursive: true, force: true });
    }
  });
});
