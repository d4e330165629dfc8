// The mount under ordinary tools, through a real kernel mount: large copies both ways, a 2,000-file
// tar tree, git, renames, appends, truncates, sparse writes and concurrent readers. Everything is
// checked against a local copy (cmp, diff -r) and, where it matters, against the cluster through the sdk.
import assert from 'node:assert/strict';
import { mkdtemp, open, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestCluster } from '../test/cluster.js';
import { sh, shOk, startMount, type MountProcess } from '../test/mount.js';

const MiB = 2 ** 20;

describe('fuse mount: data through ordinary tools', function () {
  this.timeout(120_000);
  let c: TestCluster;
  let m: MountProcess;
  let local: string;
  let mnt: string;

  before(async function () {
    // Two chunkservers, one replica: placement across nodes without paying two fsyncs per small file.
    c = await TestCluster.start({ chunkservers: 2, replication: 1 });
    m = await startMount(c);
    mnt = m.mnt;
    local = await mkdtemp(join(tmpdir(), 'godfs-fuse-local-'));
  });

  after(async function () {
    const code = await m?.stop();
    if (m && code !== 0) console.error(`mount exited with ${code}:\n${m.output().slice(-4000)}`);
    await c?.destroy();
    if (local) await rm(local, { recursive: true, force: true });
  });

  it('copies a 200 MiB file in and out byte for byte (cmp)', async function () {
    await shOk(`head -c ${200 * MiB} /dev/urandom > ${local}/big.bin`);
    await shOk(`cp ${local}/big.bin ${mnt}/big.bin`);
    assert.equal((await stat(`${mnt}/big.bin`)).size, 200 * MiB);
    assert.equal((await c.client.stat('/big.bin')).size, 200 * MiB, 'the cluster has every byte after close');
    await shOk(`cp ${mnt}/big.bin ${local}/back.bin && cmp ${local}/big.bin ${local}/back.bin`);
    // Coalescing: 128 KiB kernel writes must not become one chunk extent each.
    const stats = await c.client.clusterStats();
    assert.ok(stats.chunks < 200, `expected coalesced writes, found ${stats.chunks} chunks for 200 MiB`);
  });

  it('serves concurrent readers of one file the same bytes', async function () {
    const want = (await shOk(`sha256sum < ${local}/big.bin`)).split(' ')[0];
    const sums = await Promise.all([0, 1, 2, 3].map(() => shOk(`sha256sum < ${mnt}/big.bin`)));
    for (const s of sums) assert.equal(s.split(' ')[0], want);
    // And readers at different offsets at once (dd skip), compared with the local slices.
    await Promise.all(
      [0, 37, 101, 150].map((mb) => shOk(`cmp <(dd if=${mnt}/big.bin bs=1M skip=${mb} count=20 status=none) <(dd if=${local}/big.bin bs=1M skip=${mb} count=20 status=none)`)),
    );
  });

  it('extracts a tar tree of 2,000 small files identical to the source (diff -r)', async function () {
    // tar works one file at a time, and each file is a chain of round trips to the master and a
    // chunkserver (create, the data's allocation, chunk write and commit, then the mode and times it
    // sets): about 27 ms a file here, so about a minute on a quiet 2-core machine and three times that
    // on a busy one (docs/fuse.md, "Small files").
    this.timeout(600_000);
    const src = join(local, 'tree');
    await shOk(
      `mkdir -p ${src} && cd ${src} && for d in $(seq 1 20); do mkdir -p d$d/sub; for f in $(seq 1 50); do echo "file $d $f" > d$d/f$f.txt; head -c $(( (d * 131 + f * 977) % 9000 )) /dev/urandom > d$d/sub/r$f.bin; done; done && ln -s d1/f1.txt link && chmod 600 d2/f2.txt && cd .. && tar cf tree.tar tree`,
    );
    assert.equal((await shOk(`find ${src} -type f | wc -l`)).trim(), '2000');
    await shOk(`mkdir ${mnt}/x && tar xf ${local}/tree.tar -C ${mnt}/x`, { timeoutMs: 540_000 });
    await shOk(`diff -r ${src} ${mnt}/x/tree`);
    assert.equal((await shOk(`find ${mnt}/x/tree -type f | wc -l`)).trim(), '2000');
    assert.equal((await shOk(`stat -c %a ${mnt}/x/tree/d2/f2.txt`)).trim(), '600');
    assert.equal((await shOk(`readlink ${mnt}/x/tree/link`)).trim(), 'd1/f1.txt');
  });

  it('hosts a git repository: init, commit, fsck', async function () {
    const out = await shOk(
      `mkdir ${mnt}/repo && cd ${mnt}/repo && git init -q . && git config user.email t@example.com && git config user.name t && ` +
        `printf 'one\\n' > a.txt && mkdir sub && printf 'two\\n' > sub/b.txt && git add . && git commit -qm first && ` +
        `printf 'three\\n' >> a.txt && git mv sub/b.txt c.txt && git commit -qam second && git gc -q && git fsck --full && git log --format=%s && git status --porcelain`,
    );
    assert.deepEqual(out.trim().split('\n'), ['second', 'first']);
    assert.equal(await shOk(`cd ${mnt}/repo && git show HEAD:a.txt`), 'one\nthree\n');
  });

  it('renames over an existing file, and moves directories', async function () {
    await shOk(`cd ${mnt} && echo new > r1 && echo old > r2 && mv -f r1 r2`);
    assert.equal(await readFile(`${mnt}/r2`, 'utf8'), 'new\n');
    assert.equal((await sh(`test -e ${mnt}/r1`)).code, 1);
    assert.equal((await c.client.readFile('/r2')).toString(), 'new\n');
    // A directory with contents, then over an empty directory (POSIX allows that).
    await shOk(`cd ${mnt} && mkdir -p dA/in && echo z > dA/in/f && mv dA dB && mkdir dEmpty && mv -T dB dEmpty`);
    assert.equal(await readFile(`${mnt}/dEmpty/in/f`, 'utf8'), 'z\n');
    assert.equal((await c.client.stat('/dEmpty/in/f')).size, 2);
    // A file renamed while open and being written keeps its bytes.
    await shOk(`cd ${mnt} && exec 3>open.txt && echo part1 >&3 && mv open.txt moved.txt && echo part2 >&3 && exec 3>&-`);
    assert.equal(await readFile(`${mnt}/moved.txt`, 'utf8'), 'part1\npart2\n');
  });

  it('appends with >>', async function () {
    await shOk(`cd ${mnt} && echo a > app.txt && echo b >> app.txt && printf c >> app.txt`);
    assert.equal(await readFile(`${mnt}/app.txt`, 'utf8'), 'a\nb\nc');
    // Two descriptors appending in turn land after each other, not over each other.
    await shOk(`cd ${mnt} && exec 3>>app.txt 4>>app.txt && printf 1 >&3 && printf 2 >&4 && printf 3 >&3 && exec 3>&- 4>&-`);
    assert.equal((await c.client.readFile('/app.txt')).toString(), 'a\nb\nc123');
  });

  it('truncates (shrink, extend with zeros, O_TRUNC)', async function () {
    await shOk(`cd ${mnt} && printf 0123456789 > t.txt && truncate -s 4 t.txt`);
    assert.equal(await readFile(`${mnt}/t.txt`, 'utf8'), '0123');
    await shOk(`truncate -s 8 ${mnt}/t.txt`);
    assert.deepEqual(await readFile(`${mnt}/t.txt`), Buffer.from('0123\0\0\0\0'));
    await shOk(`echo fresh > ${mnt}/t.txt`);
    assert.equal(await readFile(`${mnt}/t.txt`, 'utf8'), 'fresh\n');
    // ftruncate on an open, written, not yet written-back file (this process is not the FUSE server,
    // so its own fs calls on the mount are safe).
    const fh = await open(`${mnt}/ft.txt`, 'w+');
    await fh.write(Buffer.alloc(5000, 'x'));
    await fh.truncate(10);
    await fh.write('yz');
    await fh.close();
    // The descriptor's position stays at 5000, so 'yz' lands past a hole of zeros.
    assert.deepEqual(await readFile(`${mnt}/ft.txt`), Buffer.concat([Buffer.alloc(10, 'x'), Buffer.alloc(4990), Buffer.from('yz')]));
  });

  it('matches a reference model under random overlapping writes and reads on one descriptor', async function () {
    // 400 writes and 16 reads that each wait for the cluster: sized for a busy machine.
    this.timeout(300_000);
    let seed = 42;
    const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) >>> 0) % n);
    let model = Buffer.alloc(0);
    const fh = await open(`${mnt}/random.bin`, 'w+');
    try {
      for (let i = 0; i < 400; i++) {
        const off = rnd(3 * MiB);
        const data = Buffer.alloc(1 + rnd(40_000), 1 + rnd(255));
        await fh.write(data, 0, data.length, off);
        if (off + data.length > model.length) model = Buffer.concat([model, Buffer.alloc(off + data.length - model.length)]);
        data.copy(model, off);
        if (i % 25 === 0) {
          const at = rnd(model.length);
          const { bytesRead, buffer } = await fh.read(Buffer.alloc(70_000), 0, 70_000, at);
          assert.ok(buffer.subarray(0, bytesRead).equals(model.subarray(at, at + 70_000)), `read at ${at} after write ${i}`);
        }
      }
    } finally {
      await fh.close();
    }
    assert.ok((await readFile(`${mnt}/random.bin`)).equals(model));
    assert.ok((await c.client.readFile('/random.bin')).equals(model));
  });

  it('writes sparse files with dd seek= (the hole reads as zeros)', async function () {
    // Byte-at-a-time dd reads and writes, each a round trip through the kernel and the mount.
    this.timeout(300_000);
    await shOk(`head -c ${MiB} /dev/urandom > ${local}/blk && dd if=${local}/blk of=${mnt}/sparse bs=1M seek=10 count=1 status=none`);
    assert.equal((await stat(`${mnt}/sparse`)).size, 11 * MiB);
    await shOk(`cmp <(head -c ${10 * MiB} /dev/zero; cat ${local}/blk) ${mnt}/sparse`);
    // A write into the middle of the hole, without truncating.
    await shOk(`printf hello | dd of=${mnt}/sparse bs=1 seek=${5 * MiB} conv=notrunc status=none`);
    const mid = await shOk(`dd if=${mnt}/sparse bs=1 skip=${5 * MiB - 2} count=9 status=none | od -An -c`);
    assert.equal(mid.replace(/\s+/g, ' ').trim(), '\\0 \\0 h e l l o \\0 \\0');
    assert.equal((await c.client.stat('/sparse')).size, 11 * MiB);
  });
});
