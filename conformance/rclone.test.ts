// rclone against a real `godfs up`, configured by a file (type s3, provider Other, env_auth false,
// force_path_style): mkdir/lsd/rmdir/purge, copyto up and down (multipart above a 5 MiB cutoff),
// cat --offset/--count (Range), lsf with small list chunks (pagination, V1 and V2), server-side copy,
// metadata (-M), sync + check (its MD5s against our ETags), link (a presigned GET), odd keys.
import assert from 'node:assert/strict';
import { mkdir, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { patternSlice } from '../test/data.js';
import { MiB, requireTool, run, runFails, runOk, sha256, sha256File, SPECIAL_KEYS, useCluster, writePattern } from './harness.js';
import { headStatus, s3 } from './raw-s3.js';

describe('conformance: rclone', function () {
  this.timeout(240_000);
  const cluster = useCluster('rclone');
  let bin = '';
  let dir = '';
  let config = '';
  const B = 'rclone-main';
  const common = () => ['--config', config, '--s3-upload-cutoff', '5M', '--s3-chunk-size', '5M', '--retries', '1', '--low-level-retries', '1'];
  const rclone = (...args: string[]) => runOk(bin, [...common(), ...args]);
  const rcloneFails = (...args: string[]) => runFails(bin, [...common(), ...args]);
  const lines = (s: string) => s.split('\n').filter(Boolean);

  before(async function () {
    bin = requireTool('rclone', ['rclone'], 'rclone');
    const c = cluster();
    dir = join(c.tmp, 'rclone');
    await mkdir(dir, { recursive: true });
    config = join(dir, 'rclone.conf');
    await writeFile(
      config,
      ['[godfs]', 'type = s3', 'provider = Other', 'env_auth = false', `access_key_id = ${c.accessKey}`, `secret_access_key = ${c.secretKey}`, `endpoint = ${c.endpoint}`, `region = ${c.region}`, 'force_path_style = true', ''].join('\n'),
    );
    process.stderr.write(`      (${lines((await run(bin, ['version'])).stdout)[0]})\n`);
    await rclone('mkdir', `godfs:${B}`);
  });

  it('mkdir, lsd (buckets), rmdir, purge; rmdir of a non-empty bucket fails with BucketNotEmpty', async () => {
    await rclone('mkdir', 'godfs:rclone-b1');
    await rclone('mkdir', 'godfs:rclone-b2');
    const lsd = (await rclone('lsd', 'godfs:')).stdout;
    for (const b of ['rclone-b1', 'rclone-b2', B]) assert.match(lsd, new RegExp(` ${b}$`, 'm'));
    await writeFile(join(dir, 'x'), 'x');
    await rclone('copyto', join(dir, 'x'), 'godfs:rclone-b2/x');
    assert.match((await rcloneFails('rmdir', 'godfs:rclone-b2')).stderr, /BucketNotEmpty/);
    await rclone('rmdir', 'godfs:rclone-b1');
    await rclone('purge', 'godfs:rclone-b2');
    assert.doesNotMatch((await rclone('lsd', 'godfs:')).stdout, /rclone-b[12]/);
  });

  for (const [label, size] of [
    ['0 B', 0],
    ['1 KiB', 1024],
    ['17 MiB', 17 * MiB],
  ] as const) {
    it(`copyto up and down a ${label} file byte-exact${size > 5 * MiB ? ' (multipart, 5 MiB chunks)' : ''}`, async () => {
      const file = join(dir, `f-${size}`);
      const hex = await writePattern(file, size, 500 + (size % 3));
      await rclone('copyto', file, `godfs:${B}/sizes/${size}`);
      await rclone('copyto', `godfs:${B}/sizes/${size}`, `${file}.back`);
      assert.equal(await sha256File(`${file}.back`), hex);
      const head = await s3(cluster(), { method: 'HEAD', bucket: B, key: `sizes/${size}` });
      if (size > 5 * MiB) assert.match(String(head.headers.etag), new RegExp(`^"[0-9a-f]{32}-${Math.ceil(size / (5 * MiB))}"$`));
    });
  }

  it('cat --offset/--count reads ranges', async () => {
    const data = patternSlice(510, 0, 2 * MiB);
    await writeFile(join(dir, 'range'), data);
    await rclone('copyto', join(dir, 'range'), `godfs:${B}/range`);
    assert.equal(sha256((await rclone('cat', '--offset', '1000', '--count', '5000', `godfs:${B}/range`)).stdoutBytes), sha256(data.subarray(1000, 6000)));
    assert.equal(sha256((await rclone('cat', '--offset', String(2 * MiB - 100), `godfs:${B}/range`)).stdoutBytes), sha256(data.subarray(2 * MiB - 100)));
  });

  it('lsf with a prefix, recursively, and in list chunks of 2 with ListObjects V1 and V2', async () => {
    const keys = ['a/1', 'a/2', 'b', 'c/d/e', 'f', 'g'];
    const src = join(dir, 'ls-tree');
    for (const k of keys) {
      await mkdir(join(src, k, '..'), { recursive: true });
      await writeFile(join(src, k), k);
    }
    await rclone('copy', src, `godfs:${B}/ls`);
    assert.deepEqual(lines((await rclone('lsf', `godfs:${B}/ls`)).stdout), ['a/', 'b', 'c/', 'f', 'g']);
    for (const version of ['1', '2']) {
      const out = (await rclone('lsf', '-R', '--files-only', '--s3-list-chunk', '2', '--s3-list-version', version, `godfs:${B}/ls`)).stdout;
      assert.deepEqual(lines(out), keys, `list version ${version}`);
    }
  });

  it('server-side copy between buckets, metadata set with -M, delete', async () => {
    await rclone('mkdir', 'godfs:rclone-copy');
    const file = join(dir, 'copy-src');
    const hex = await writePattern(file, 3 * MiB + 1, 520);
    await rclone('copyto', '-M', '--metadata-set', 'color=Blue', file, `godfs:${B}/copy/src`);
    const head = await s3(cluster(), { method: 'HEAD', bucket: B, key: 'copy/src' });
    assert.equal(head.headers['x-amz-meta-color'], 'Blue');
    await rclone('copyto', `godfs:${B}/copy/src`, 'godfs:rclone-copy/dst');
    await rclone('copyto', 'godfs:rclone-copy/dst', `${file}.back`);
    assert.equal(await sha256File(`${file}.back`), hex);
    const meta = JSON.parse((await rclone('lsjson', '-M', `godfs:${B}/copy/src`)).stdout) as Array<{ Metadata?: Record<string, string> }>;
    assert.equal(meta[0]?.Metadata?.color, 'Blue');
    await rclone('delete', `godfs:${B}/copy`);
    assert.equal(await headStatus(cluster(), B, 'copy/src'), 404);
  });

  it('sync, then check (MD5 against ETags) agrees, a second sync transfers nothing, sync down is byte-exact', async () => {
    const src = join(dir, 'sync-tree');
    const files = ['one', 'sub/two', 'sub/deep/three', 'big'];
    for (const [i, f] of files.entries()) {
      await mkdir(join(src, f, '..'), { recursive: true });
      await writeFile(join(src, f), patternSlice(530 + i, 0, f === 'big' ? 7 * MiB : 4000 + i));
      await utimes(join(src, f), new Date(Date.now() - 3600_000), new Date(Date.now() - 3600_000));
    }
    await rclone('sync', src, `godfs:${B}/sync`);
    await rclone('check', src, `godfs:${B}/sync`);
    const second = await rclone('sync', '-v', src, `godfs:${B}/sync`);
    assert.doesNotMatch(second.stderr, /: Copied/, second.stderr);
    const down = join(dir, 'sync-down');
    await rclone('sync', `godfs:${B}/sync`, down);
    for (const f of files) assert.equal(await sha256File(join(down, f)), await sha256File(join(src, f)), f);
  });

  it('link mints a presigned GET URL that plain fetch can use', async () => {
    const data = patternSlice(540, 0, 50_000);
    await writeFile(join(dir, 'linked'), data);
    await rclone('copyto', join(dir, 'linked'), `godfs:${B}/link/a b+c.bin`);
    const url = (await rclone('link', '--expire', '5m', `godfs:${B}/link/a b+c.bin`)).stdout.trim();
    const res = await fetch(url);
    assert.equal(res.status, 200, url);
    assert.equal(sha256(Buffer.from(await res.arrayBuffer())), sha256(data));
  });

  it('keys with spaces, unicode, + and % round-trip through copy, lsf, cat and deletefile', async () => {
    const src = join(dir, 'odd-tree');
    for (const [i, key] of SPECIAL_KEYS.entries()) {
      await mkdir(join(src, key, '..'), { recursive: true });
      await writeFile(join(src, key), patternSlice(550 + i, 0, 800 + i));
    }
    await rclone('copy', src, `godfs:${B}/odd`);
    assert.deepEqual(lines((await rclone('lsf', '-R', '--files-only', `godfs:${B}/odd`)).stdout), [...SPECIAL_KEYS].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b))));
    for (const key of SPECIAL_KEYS) {
      assert.equal(sha256((await rclone('cat', `godfs:${B}/odd/${key}`)).stdoutBytes), await sha256File(join(src, key)), key);
      await rclone('deletefile', `godfs:${B}/odd/${key}`);
      assert.equal(await headStatus(cluster(), B, `odd/${key}`), 404, key);
    }
  });

  it("a missing object is reported missing (HEAD 404), a missing bucket as not found", async () => {
    // For rclone a missing key may still be an (empty) directory; deletefile insists on a file.
    assert.match((await rcloneFails('deletefile', `godfs:${B}/no/such/key`)).stderr, /doesn't exist/);
    assert.match((await rcloneFails('lsf', 'godfs:rclone-no-such-bucket')).stderr, /not found/i);
  });
});
