// s3cmd against a real `godfs up`, configured by a file (host_base/host_bucket = the gateway, so
// path-style; use_https = False; signature_v2 = False): mb/ls/rb, put/get (multipart, MD5 checks of
// its own), get --continue (a Range read), ls with a prefix, --limit (max-keys) and over 1000 keys
// (marker paging), cp/modify, del --recursive (DeleteObjects), sync, info/metadata, odd keys, signurl.
import assert from 'node:assert/strict';
import { mkdir, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { patternSlice } from '../test/data.js';
import { MiB, requireTool, run, runFails, runOk, sha256File, SPECIAL_KEYS, useCluster, writePattern, type RunResult } from './harness.js';
import { headStatus, s3, xmlField } from './raw-s3.js';

/** "ERROR: S3 error: 409 (BucketNotEmpty): …" → [status, code]. */
function s3cmdError(r: RunResult): [number, string] | string {
  const m = /S3 error: (\d{3}) \(([A-Za-z]+)\)/.exec(r.stderr);
  return m ? [Number(m[1]), m[2]!] : `(no S3 error in: ${r.stderr.trim().slice(0, 300)})`;
}

describe('conformance: s3cmd', function () {
  this.timeout(240_000);
  const cluster = useCluster('s3cmd');
  let bin = '';
  let dir = '';
  let config = '';
  const B = 's3cmd-main';
  const s3cmd = (...args: string[]) => runOk(bin, ['-c', config, '--no-progress', ...args]);
  const s3cmdFails = (...args: string[]) => runFails(bin, ['-c', config, '--no-progress', ...args]);
  /** The object names `s3cmd ls` printed (last column: s3://bucket/key or DIR s3://…/). */
  const lsNames = (out: string) =>
    out
      .split('\n')
      .filter(Boolean)
      .map((l) => l.slice(l.indexOf('s3://')));

  before(async function () {
    bin = requireTool('s3cmd', ['s3cmd'], 's3cmd');
    const c = cluster();
    dir = join(c.tmp, 's3cmd');
    await mkdir(dir, { recursive: true });
    const host = new URL(c.endpoint).host;
    config = join(dir, 's3cfg');
    await writeFile(
      config,
      ['[default]', `access_key = ${c.accessKey}`, `secret_key = ${c.secretKey}`, `host_base = ${host}`, `host_bucket = ${host}`, 'use_https = False', 'signature_v2 = False', `bucket_location = ${c.region}`, 'multipart_chunk_size_mb = 5', ''].join('\n'),
    );
    process.stderr.write(`      (${(await run(bin, ['--version'])).stdout.trim()})\n`);
    await s3cmd('mb', `s3://${B}`);
  });

  it('mb, ls (buckets), rb; rb of a non-empty bucket is 409 BucketNotEmpty', async () => {
    await s3cmd('mb', 's3://s3cmd-b1');
    await s3cmd('mb', 's3://s3cmd-b2');
    const ls = (await s3cmd('ls')).stdout;
    for (const b of ['s3cmd-b1', 's3cmd-b2', B]) assert.match(ls, new RegExp(`s3://${b}$`, 'm'));
    await writeFile(join(dir, 'x'), 'x');
    await s3cmd('put', join(dir, 'x'), 's3://s3cmd-b2/x');
    assert.deepEqual(s3cmdError(await s3cmdFails('rb', 's3://s3cmd-b2')), [409, 'BucketNotEmpty']);
    await s3cmd('rb', 's3://s3cmd-b1');
    await s3cmd('rb', '--recursive', 's3://s3cmd-b2');
    assert.doesNotMatch((await s3cmd('ls')).stdout, /s3cmd-b[12]/);
  });

  for (const [label, size] of [
    ['0 B', 0],
    ['1 KiB', 1024],
    ['17 MiB', 17 * MiB],
  ] as const) {
    it(`put and get a ${label} file byte-exact${size > 5 * MiB ? ' (multipart, 5 MiB chunks)' : ''}`, async () => {
      const file = join(dir, `f-${size}`);
      const hex = await writePattern(file, size, 400 + (size % 5));
      await s3cmd('put', file, `s3://${B}/sizes/${size}`);
      await s3cmd('get', '--force', `s3://${B}/sizes/${size}`, `${file}.back`);
      assert.equal(await sha256File(`${file}.back`), hex);
    });
  }

  it('get --continue resumes a partial download with a Range request', async () => {
    const file = join(dir, 'resume');
    const hex = await writePattern(file, 3 * MiB + 17, 410);
    await s3cmd('put', file, `s3://${B}/resume`);
    await s3cmd('get', '--force', `s3://${B}/resume`, `${file}.part`);
    await truncate(`${file}.part`, MiB + 5);
    await s3cmd('get', '--continue', `s3://${B}/resume`, `${file}.part`);
    assert.equal(await sha256File(`${file}.part`), hex);
  });

  it('ls with a prefix (DIR entries), --recursive, --limit (max-keys), and past 1000 keys (marker paging)', async () => {
    const src = join(dir, 'ls-tree');
    for (const f of ['a/1', 'a/2', 'b', 'c/d/e']) {
      await mkdir(join(src, f, '..'), { recursive: true });
      await writeFile(join(src, f), f);
    }
    await s3cmd('put', '--recursive', `${src}/`, `s3://${B}/ls/`);
    assert.deepEqual(lsNames((await s3cmd('ls', `s3://${B}/ls/`)).stdout), [`s3://${B}/ls/a/`, `s3://${B}/ls/c/`, `s3://${B}/ls/b`]);
    assert.deepEqual(lsNames((await s3cmd('ls', '--recursive', `s3://${B}/ls/`)).stdout), ['a/1', 'a/2', 'b', 'c/d/e'].map((k) => `s3://${B}/ls/${k}`));
    assert.deepEqual(lsNames((await s3cmd('ls', '--recursive', '--limit=2', `s3://${B}/ls/`)).stdout), ['a/1', 'a/2'].map((k) => `s3://${B}/ls/${k}`));
    const c = cluster();
    const many = Array.from({ length: 1003 }, (_v, i) => `many/k${String(i).padStart(4, '0')}`);
    for (let i = 0; i < many.length; i += 32) await Promise.all(many.slice(i, i + 32).map((key) => s3(c, { method: 'PUT', bucket: B, key, body: Buffer.alloc(0) })));
    const listed = lsNames((await s3cmd('ls', `s3://${B}/many/`)).stdout);
    assert.deepEqual(listed, many.map((k) => `s3://${B}/${k}`));
  });

  it('cp between buckets, modify (metadata by copying onto itself), info shows the metadata', async () => {
    await s3cmd('mb', 's3://s3cmd-copy');
    const file = join(dir, 'copy-src');
    const hex = await writePattern(file, 2 * MiB, 420);
    await s3cmd('put', '--add-header=x-amz-meta-color:Blue', '--mime-type=text/x-s3cmd', file, `s3://${B}/copy/src`);
    await s3cmd('cp', `s3://${B}/copy/src`, 's3://s3cmd-copy/dst');
    await s3cmd('get', '--force', 's3://s3cmd-copy/dst', `${file}.back`);
    assert.equal(await sha256File(`${file}.back`), hex);
    const info = (await s3cmd('info', `s3://${B}/copy/src`)).stdout;
    assert.match(info, /MIME type:\s+text\/x-s3cmd/);
    assert.match(info, /x-amz-meta-color:\s*Blue/i);
    await s3cmd('modify', '--add-header=x-amz-meta-shape:round', `s3://${B}/copy/src`);
    const head = await s3(cluster(), { method: 'HEAD', bucket: B, key: 'copy/src' });
    assert.equal(head.headers['x-amz-meta-shape'], 'round');
    await s3cmd('get', '--force', `s3://${B}/copy/src`, `${file}.back2`);
    assert.equal(await sha256File(`${file}.back2`), hex);
  });

  it('del --recursive removes a prefix (DeleteObjects); sync up twice copies only what changed', async () => {
    const src = join(dir, 'sync-tree');
    const files = ['one', 'sub/two', 'sub/deep/three', 'with space/four'];
    for (const [i, f] of files.entries()) {
      await mkdir(join(src, f, '..'), { recursive: true });
      await writeFile(join(src, f), patternSlice(430 + i, 0, 3000 + i));
    }
    const first = (await s3cmd('sync', `${src}/`, `s3://${B}/sync/`)).stdout;
    assert.equal((first.match(/^upload:/gm) ?? []).length, files.length, first);
    const second = (await s3cmd('sync', `${src}/`, `s3://${B}/sync/`)).stdout;
    assert.equal((second.match(/^upload:/gm) ?? []).length, 0, second);
    await writeFile(join(src, 'one'), 'changed');
    const third = (await s3cmd('sync', `${src}/`, `s3://${B}/sync/`)).stdout;
    assert.equal((third.match(/^upload:/gm) ?? []).length, 1, third);
    await s3cmd('del', '--recursive', `s3://${B}/sync/`);
    for (const f of files) assert.equal(await headStatus(cluster(), B, `sync/${f}`), 404, f);
  });

  it('keys with spaces, unicode, + and % round-trip through put, get, ls and del', async () => {
    for (const [i, key] of SPECIAL_KEYS.entries()) {
      const file = join(dir, `odd-${i}`);
      const hex = await writePattern(file, 900 + i, 440 + i);
      await s3cmd('put', file, `s3://${B}/odd/${key}`);
      await s3cmd('get', '--force', `s3://${B}/odd/${key}`, `${file}.back`);
      assert.equal(await sha256File(`${file}.back`), hex, key);
    }
    const listed = lsNames((await s3cmd('ls', '--recursive', `s3://${B}/odd/`)).stdout);
    assert.deepEqual(listed, SPECIAL_KEYS.map((k) => `s3://${B}/odd/${k}`).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b))));
    for (const key of SPECIAL_KEYS) await s3cmd('del', `s3://${B}/odd/${key}`);
    for (const key of SPECIAL_KEYS) assert.equal(await headStatus(cluster(), B, `odd/${key}`), 404, key);
  });

  it('signurl mints SigV2 URLs only: the gateway refuses them with 400 InvalidRequest naming AWS4-HMAC-SHA256', async () => {
    await writeFile(join(dir, 'signed'), 'signed');
    await s3cmd('put', join(dir, 'signed'), `s3://${B}/signed`);
    const url = (await s3cmd('signurl', `s3://${B}/signed`, '+300')).stdout.trim();
    const res = await fetch(url);
    const text = await res.text();
    assert.equal(res.status, 400, text);
    assert.equal(xmlField(text, 'Code'), 'InvalidRequest');
    assert.match(xmlField(text, 'Message'), /AWS4-HMAC-SHA256/);
  });

  it('a missing key is reported missing (s3cmd HEADs first), a missing bucket answers 404 NoSuchBucket', async () => {
    assert.match((await s3cmdFails('get', '--force', `s3://${B}/no/such/key`, join(dir, 'none'))).stderr, /does not exist/);
    assert.deepEqual(s3cmdError(await s3cmdFails('ls', 's3://s3cmd-no-such-bucket/')), [404, 'NoSuchBucket']);
  });
});
