// The mount's contract beyond bytes: errno mapping, metadata ops, xattrs shared with /v1 and the sdk,
// read-only mounts, --prefix, refusing busy or non-empty mount points, surviving a cluster restart,
// and a clean unmount on SIGTERM. Node's fs calls run here, in the test process, which is safe: the
// FUSE server is the child process.
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, open, readFile, readlink, rmdir, stat, symlink, utimes, writeFile, chmod, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startGateway } from '../gateway/server.js';
import { silentLogger } from '../common/log.js';
import { TestCluster } from '../test/cluster.js';
import { mountedPaths } from './mount-point.js';
import { mountArgs, runMountCli, sh, shOk, startMount, type MountProcess } from '../test/mount.js';
import { eventually, timePassed } from '../test/eventually.js';

const MiB = 2 ** 20;

describe('fuse mount: POSIX semantics, metadata and resilience', function () {
  this.timeout(60_000);
  let c: TestCluster;
  let m: MountProcess;
  let mnt: string;

  before(async function () {
    c = await TestCluster.start({ chunkservers: 1, replication: 1 });
    m = await startMount(c);
    mnt = m.mnt;
  });

  after(async function () {
    const code = await m?.stop();
    if (m && code !== 0) console.error(`mount exited with ${code}:\n${m.output().slice(-4000)}`);
    await c?.destroy();
  });

  it('maps errors to the right errno', async function () {
    await mkdir(`${mnt}/full/inner`, { recursive: true });
    await writeFile(`${mnt}/full/file`, 'x');
    await assert.rejects(rmdir(`${mnt}/full`), { code: 'ENOTEMPTY' });
    await assert.rejects(open(`${mnt}/missing.txt`, 'r'), { code: 'ENOENT' });
    await assert.rejects(readFile(`${mnt}/full/missing/deeper`), { code: 'ENOENT' });
    await assert.rejects(mkdir(`${mnt}/full`), { code: 'EEXIST' });
    await assert.rejects(open(`${mnt}/full/file`, 'wx'), { code: 'EEXIST' }, 'O_CREAT|O_EXCL on an existing file');
    await assert.rejects(stat(`${mnt}/full/file/below`), { code: 'ENOTDIR' });
    await assert.rejects(open(`${mnt}/full`, 'w'), { code: 'EISDIR' });
    await assert.rejects(readlink(`${mnt}/full/file`), { code: 'EINVAL' });
    const link = await sh(`ln ${mnt}/full/file ${mnt}/full/hard`);
    assert.notEqual(link.code, 0, 'godfs has no hard links');
    assert.match(link.stderr, /not permitted/);
  });

  it('reads a checksum failure on every replica as EIO, never as wrong bytes', async function () {
    await c.client.write('/corrupt.bin', Buffer.alloc(3 * MiB, 7));
    const files = await Promise.all((await c.chunkFiles()).map(async (f) => ({ f, m: (await stat(f)).mtimeMs })));
    const target = files.sort((a, b) => b.m - a.m)[0]!.f;
    const fh = await open(target, 'r+');
    await fh.write(Buffer.from([0x55]), 0, 1, 2 * MiB);
    await fh.close();
    await assert.rejects(readFile(`${mnt}/corrupt.bin`), { code: 'EIO' });
    const cat = await sh(`cat ${mnt}/corrupt.bin > /dev/null`);
    assert.notEqual(cat.code, 0);
    assert.match(cat.stderr, /Input\/output error/);
    // The blocks before the damaged one still read.
    const head = await open(`${mnt}/corrupt.bin`, 'r');
    try {
      const { bytesRead, buffer } = await head.read(Buffer.alloc(65536), 0, 65536, 0);
      assert.equal(bytesRead, 65536);
      assert.ok(buffer.equals(Buffer.alloc(65536, 7)));
    } finally {
      await head.close();
    }
  });

  it('lists a directory larger than one listing page', async function () {
    await c.client.mkdir('/many');
    const names = Array.from({ length: 2500 }, (_, i) => `f${String(i).padStart(5, '0')}`);
    for (let i = 0; i < names.length; i += 50) await Promise.all(names.slice(i, i + 50).map((n) => c.client.create(`/many/${n}`)));
    const listed = (await shOk(`ls -1 ${mnt}/many`)).trim().split('\n');
    assert.deepEqual(listed, names);
    assert.equal((await shOk(`ls -fa ${mnt}/many | wc -l`)).trim(), String(names.length + 2), 'plus . and ..');
    assert.equal((await shOk(`find ${mnt}/many -type f | wc -l`)).trim(), String(names.length));
  });

  it('supports chmod, chown, utimens, symlinks and statfs', async function () {
    await writeFile(`${mnt}/meta.txt`, 'm');
    await chmod(`${mnt}/meta.txt`, 0o640);
    await shOk(`chown 1234:2345 ${mnt}/meta.txt`);
    const when = new Date('2021-06-01T12:00:00Z');
    await utimes(`${mnt}/meta.txt`, when, when);
    const st = await stat(`${mnt}/meta.txt`);
    assert.equal(st.mode & 0o7777, 0o640);
    assert.equal(st.uid, 1234);
    assert.equal(st.gid, 2345);
    assert.equal(st.mtimeMs, when.getTime());
    const info = await c.client.stat('/meta.txt');
    assert.equal(info.mode & 0o7777, 0o640);
    assert.equal(info.mtimeMs, when.getTime());
    await symlink('meta.txt', `${mnt}/sym`);
    assert.equal(await readlink(`${mnt}/sym`), 'meta.txt');
    assert.equal(await readFile(`${mnt}/sym`, 'utf8'), 'm');
    assert.equal((await c.client.lstat('/sym')).target, 'meta.txt');
    const df = (await shOk(`stat -f -c '%b %f %S' ${mnt}`)).trim().split(' ').map(Number);
    const stats = await c.client.clusterStats();
    assert.ok(df[0]! > 0 && df[1]! > 0, `statfs reports capacity: ${df.join(' ')}`);
    assert.ok(Math.abs(df[0]! * df[2]! - stats.capacity) <= df[2]!, 'statfs blocks × fragment size = cluster capacity');
  });

  it('shows a file written through /v1 with its metadata, and the other way round', async function () {
    const gw = await startGateway({ client: c.client, apiKey: 'gw-key', listen: '127.0.0.1:0', logger: silentLogger });
    try {
      const base = `http://${gw.address}/v1/fs/content?path=`;
      const auth = { authorization: 'Bearer gw-key' };
      const put = await fetch(`${base}${encodeURIComponent('/from-v1.txt')}`, { method: 'PUT', headers: { ...auth, 'content-type': 'text/x-test' }, body: 'via v1\n' });
      assert.equal(put.status, 204);
      // S3 user metadata (x-amz-meta-color) as the S3 dialect stores it.
      await c.client.setAttr('/from-v1.txt', { setXattrs: { 'x-amz-meta-color': 'red' } });
      assert.equal(await readFile(`${mnt}/from-v1.txt`, 'utf8'), 'via v1\n');
      assert.equal((await shOk(`getfattr --only-values -n user.color ${mnt}/from-v1.txt`)), 'red');
      assert.equal((await shOk(`getfattr --only-values -n godfs.content-type ${mnt}/from-v1.txt`)), 'text/x-test');
      const listed = await shOk(`getfattr -d ${mnt}/from-v1.txt`);
      assert.match(listed, /user\.color="red"/);
      assert.doesNotMatch(listed, /content-type/, 'only user.* attributes are listed');
      assert.notEqual((await sh(`setfattr -n godfs.content-type -v x ${mnt}/from-v1.txt`)).code, 0, 'godfs.* is read-only');

      await writeFile(`${mnt}/from-mount.txt`, 'via mount\n');
      await shOk(`setfattr -n user.flavor -v mint ${mnt}/from-mount.txt`);
      const get = await fetch(`${base}${encodeURIComponent('/from-mount.txt')}`, { headers: auth });
      assert.equal(get.status, 200);
      assert.equal(await get.text(), 'via mount\n');
      assert.equal((await c.client.stat('/from-mount.txt')).xattrs['x-amz-meta-flavor']?.toString(), 'mint');
      await shOk(`setfattr -x user.flavor ${mnt}/from-mount.txt`);
      assert.equal((await c.client.stat('/from-mount.txt')).xattrs['x-amz-meta-flavor'], undefined);
      assert.notEqual((await sh(`getfattr -n user.flavor ${mnt}/from-mount.txt`)).code, 0, 'removed attribute is gone (ENODATA)');
    } finally {
      await gw.close();
    }
  });

  it('sees changes made by other clients once the TTL has passed', async function () {
    await writeFile(`${mnt}/shared.txt`, 'one');
    assert.equal(await readFile(`${mnt}/shared.txt`, 'utf8'), 'one');
    await c.client.write('/shared.txt', 'two, longer');
    // Once the cached attributes expire (1 s), the mount looks again and reads the new content.
    await eventually(async () => (await readFile(`${mnt}/shared.txt`, 'utf8')) === 'two, longer', 20_000, 'the new content through the mount');
  });

  it('keeps working across a restart of the master and chunkservers', async function () {
    await writeFile(`${mnt}/before.txt`, 'before');
    const fd = await open(`${mnt}/during.txt`, 'w');
    await fd.write('first half;');
    await c.stopProcesses();
    // Issued while the cluster is down: they must wait (retrying), not fail.
    let done = false;
    const writes = (async () => {
      await fd.write('second half');
      await fd.close();
      await writeFile(`${mnt}/after.txt`, 'after');
      assert.equal(await readFile(`${mnt}/before.txt`, 'utf8'), 'before');
      done = true;
    })();
    await timePassed(Date.now(), 1500); // deliberate: time for close() to finish if it wrongly could
    assert.equal(done, false, 'close() cannot finish while the cluster is down');
    await c.restart();
    await writes;
    assert.equal(await readFile(`${mnt}/during.txt`, 'utf8'), 'first half;second half');
    assert.equal(await readFile(`${mnt}/before.txt`, 'utf8'), 'before');
    assert.equal((await c.client.readFile('/after.txt')).toString(), 'after');
    assert.equal(m.proc.exitCode, null, 'the mount process is still running');
  });

  it('refuses a busy or non-empty mount point with a clear message', async function () {
    const busy = await runMountCli(mountArgs(c, mnt));
    assert.equal(busy.code, 1);
    assert.match(busy.stderr, /busy/);
    const full = await mkdtemp(join(tmpdir(), 'godfs-full-'));
    try {
      await writeFile(join(full, 'keep.txt'), 'x');
      const r = await runMountCli(mountArgs(c, full));
      assert.equal(r.code, 1);
      assert.match(r.stderr, /not empty/);
      assert.ok(!mountedPaths().has(full));
    } finally {
      await rm(full, { recursive: true, force: true });
    }
  });

  it('mounts read-only: reads work, writes fail with EROFS', async function () {
    const ro = await startMount(c, ['--read-only']);
    try {
      assert.equal(await readFile(`${ro.mnt}/before.txt`, 'utf8'), 'before');
      await assert.rejects(writeFile(`${ro.mnt}/nope.txt`, 'x'), { code: 'EROFS' });
      await assert.rejects(writeFile(`${ro.mnt}/before.txt`, 'x'), { code: 'EROFS' });
      await assert.rejects(mkdir(`${ro.mnt}/nodir`), { code: 'EROFS' });
      assert.equal((await c.client.readFile('/before.txt')).toString(), 'before');
    } finally {
      assert.equal(await ro.stop(), 0);
    }
  });

  it('stays within a small memory budget with several concurrent writers (backpressure, no deadlock)', async function () {
    const small = await startMount(c, ['--memory', '16MiB', '--write-buffer', '4MiB', '--read-ahead', '1MiB', '--log-level', 'info']);
    const local = await mkdtemp(join(tmpdir(), 'godfs-budget-'));
    try {
      await shOk(`head -c ${48 * MiB} /dev/urandom > ${local}/src`);
      await Promise.all([0, 1, 2, 3].map((i) => shOk(`dd if=${local}/src of=${small.mnt}/budget-${i} bs=1M status=none`)));
      await Promise.all([0, 1, 2, 3].map((i) => shOk(`cmp ${local}/src ${small.mnt}/budget-${i}`)));
    } finally {
      await rm(local, { recursive: true, force: true });
      assert.equal(await small.stop(), 0);
    }
    // 4 × 48 MiB written and read back at once through a 16 MiB budget: it held.
    const line = small.output().split('\n').find((l) => l.includes('"unmounted"'));
    const peak = (JSON.parse(line ?? '{}') as { peakMemoryBytes?: number }).peakMemoryBytes;
    assert.ok(peak !== undefined && peak > 0 && peak <= 16 * MiB, `peak buffered bytes ${peak}`);
  });

  it('mounts a --prefix directory as its root and unmounts cleanly on SIGTERM', async function () {
    await c.client.mkdir('/bucket/dir', { parents: true });
    const sub = await startMount(c, ['--prefix', '/bucket/dir']);
    await writeFile(`${sub.mnt}/inside.txt`, 'in the bucket');
    assert.equal((await c.client.readFile('/bucket/dir/inside.txt')).toString(), 'in the bucket');
    assert.deepEqual((await shOk(`ls ${sub.mnt}`)).trim().split('\n'), ['inside.txt']);
    // Buffered data is written back before the unmount: leave a file open and stop the mount.
    const bg = sh(`exec 3>${sub.mnt}/last.txt; printf unflushed >&3; sleep 3`);
    await eventually(async () => (await stat(`${sub.mnt}/last.txt`)).size === 9, 20_000, 'the bytes written into the open file');
    assert.equal(await sub.stop(), 0);
    assert.ok(!mountedPaths().has(sub.mnt));
    assert.equal((await c.client.readFile('/bucket/dir/last.txt')).toString(), 'unflushed');
    await bg;
    const empty = await mkdtemp(join(tmpdir(), 'godfs-p-'));
    const missing = await runMountCli(mountArgs(c, empty, ['--prefix', '/no/such/dir']));
    await rmdir(empty);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /does not exist/);
  });
});
