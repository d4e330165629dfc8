// aws-cli against a real `godfs up`: `aws s3 mb/rb/ls/cp/sync/rm/presign` (multipart above its 8 MiB
// threshold) and `aws s3api` for what the high-level commands do not reach. Runs once per distinct
// aws-cli on this machine: the one on PATH and Debian's /usr/bin/aws (CI has only the latter; a
// developer may also have a pip-installed v1 with a newer botocore, which sends CRC checksums).
import assert from 'node:assert/strict';
import { mkdir, readFile, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { patternSlice } from '../test/data.js';
import { md5Hex, MiB, requireTool, run, runFails, runOk, sha256, sha256File, SPECIAL_KEYS, useCluster, which, writePattern, type RunResult } from './harness.js';
import { headStatus, xmlField } from './raw-s3.js';

function variants(): Array<{ label: string; candidates: string[]; large: boolean }> {
  const onPath = which('aws');
  const out = [{ label: onPath ? `aws-cli (${onPath})` : 'aws-cli', candidates: ['aws'], large: true }];
  if (onPath && onPath !== '/usr/bin/aws' && which('/usr/bin/aws')) out.push({ label: 'aws-cli (/usr/bin/aws, Debian)', candidates: ['/usr/bin/aws'], large: false });
  return out;
}

/** The S3 error code aws-cli printed: "An error occurred (Code) when calling …". */
function awsErrorCode(r: RunResult): string {
  return /An error occurred \(([^)]+)\)/.exec(r.stderr)?.[1] ?? `(no error code in: ${r.stderr.trim().slice(0, 300)})`;
}

for (const v of variants()) {
  describe(`conformance: ${v.label}`, function () {
    this.timeout(240_000);
    const cluster = useCluster(`aws-${v.large ? 'a' : 'b'}`);
    let bin = '';
    let dir = '';
    const B = 'aws-main';
    const aws = (...args: string[]) => runOk(bin, ['--endpoint-url', cluster().endpoint, ...args], { env: cluster().awsEnv });
    const awsFails = (...args: string[]) => runFails(bin, ['--endpoint-url', cluster().endpoint, ...args], { env: cluster().awsEnv });
    const s3api = async (...args: string[]) => JSON.parse((await aws('s3api', ...args, '--output', 'json')).stdout || '{}') as Record<string, unknown>;

    before(async function () {
      bin = requireTool('aws-cli', v.candidates, 'awscli');
      dir = join(cluster().tmp, 'aws');
      await mkdir(dir, { recursive: true });
      process.stderr.write(`      (${(await run(bin, ['--version'])).stdout.trim()})\n`);
      await aws('s3', 'mb', `s3://${B}`);
    });

    it('s3 mb / ls / rb: creates, lists and deletes buckets; mb twice and rb of a non-empty bucket fail with the S3 code', async () => {
      await aws('s3', 'mb', 's3://aws-b1');
      await aws('s3', 'mb', 's3://aws-b2');
      const ls = (await aws('s3', 'ls')).stdout;
      for (const b of ['aws-b1', 'aws-b2', B]) assert.match(ls, new RegExp(`\\s${b}$`, 'm'));
      assert.equal(awsErrorCode(await awsFails('s3api', 'create-bucket', '--bucket', 'aws-b1')), 'BucketAlreadyOwnedByYou');
      await aws('s3', 'cp', '-', 's3://aws-b2/file', '--only-show-errors');
      assert.equal(awsErrorCode(await awsFails('s3', 'rb', 's3://aws-b2')), 'BucketNotEmpty');
      await aws('s3', 'rb', 's3://aws-b1');
      await aws('s3', 'rb', 's3://aws-b2', '--force');
      const after = (await aws('s3', 'ls')).stdout;
      assert.doesNotMatch(after, /aws-b[12]/);
    });

    const sizes: Array<[string, number]> = [
      ['0 B', 0],
      ['1 KiB', 1024],
      ['17 MiB', 17 * MiB],
      ...(v.large ? ([['100 MiB', 100 * MiB]] as Array<[string, number]>) : []),
    ];
    for (const [label, size] of sizes) {
      it(`s3 cp up and down a ${label} file byte-exact${size > 8 * MiB ? ' (multipart: 8 MiB parts)' : ''}`, async () => {
        const file = join(dir, `up-${size}`);
        const hex = await writePattern(file, size, 70 + (size % 13));
        await aws('s3', 'cp', file, `s3://${B}/sizes/${size}.bin`, '--only-show-errors');
        await aws('s3', 'cp', `s3://${B}/sizes/${size}.bin`, `${file}.back`, '--only-show-errors');
        assert.equal(await sha256File(`${file}.back`), hex);
        const head = await s3api('head-object', '--bucket', B, '--key', `sizes/${size}.bin`);
        assert.equal(head.ContentLength, size);
        if (size > 8 * MiB) assert.match(String(head.ETag), new RegExp(`^"[0-9a-f]{32}-${Math.ceil(size / (8 * MiB))}"$`));
        else assert.equal(head.ETag, `"${md5Hex(await readFile(file))}"`);
      });
    }

    it('s3 sync uploads a tree, a second sync copies nothing, a changed file alone is copied, sync down and --delete', async () => {
      const src = join(dir, 'tree');
      const files = ['a.txt', 'sub/b.bin', 'sub/deeper/c.bin', 'with space/d e.txt', 'ünï/😀.txt'];
      for (const [i, f] of files.entries()) {
        await mkdir(join(src, f, '..'), { recursive: true });
        await writeFile(join(src, f), patternSlice(80 + i, 0, 1000 * (i + 1)));
        // Written a while ago: sync compares the local mtime with LastModified (whole seconds, as S3
        // reports it), so a file written in the very second of its upload would look newer on S3 too.
        await utimes(join(src, f), new Date(Date.now() - 3600_000), new Date(Date.now() - 3600_000));
      }
      const first = (await aws('s3', 'sync', src, `s3://${B}/sync/`, '--no-progress')).stdout;
      assert.equal(first.split('\n').filter((l) => l.startsWith('upload:')).length, files.length, first);
      const second = (await aws('s3', 'sync', src, `s3://${B}/sync/`, '--no-progress')).stdout;
      assert.equal(second.trim(), '', 'nothing to copy: sizes and LastModified compare equal');
      await writeFile(join(src, 'a.txt'), 'changed, and of another size');
      const third = (await aws('s3', 'sync', src, `s3://${B}/sync/`, '--no-progress')).stdout;
      assert.deepEqual(third.split('\n').filter((l) => l.startsWith('upload:')).length, 1, third);
      const down = join(dir, 'tree-down');
      await aws('s3', 'sync', `s3://${B}/sync/`, down, '--no-progress');
      for (const f of files) assert.equal(await sha256File(join(down, f)), await sha256File(join(src, f)), f);
      await aws('s3', 'rm', `s3://${B}/sync/a.txt`);
      await aws('s3', 'sync', `s3://${B}/sync/`, down, '--delete', '--no-progress');
      await assert.rejects(readFile(join(down, 'a.txt')), /ENOENT/);
    });

    /** Local files (name → size) under a fresh directory, uploaded with one `s3 cp --recursive`. */
    const uploadTree = async (name: string, prefix: string, files: string[]) => {
      const root = join(dir, name);
      for (const [i, f] of files.entries()) {
        await mkdir(join(root, f, '..'), { recursive: true });
        await writeFile(join(root, f), patternSlice(100 + i, 0, 100 + i));
      }
      await aws('s3', 'cp', '--recursive', root, `s3://${B}/${prefix}`, '--only-show-errors');
      return root;
    };

    it('s3 ls with a prefix (delimiter) and --recursive; s3 rm and rm --recursive', async () => {
      await uploadTree('ls-tree', 'ls/', ['a/1', 'a/2', 'b', 'c/d/e']);
      const top = (await aws('s3', 'ls', `s3://${B}/ls/`)).stdout;
      assert.deepEqual(
        top.split('\n').filter(Boolean).map((l) => l.trim().split(/\s+/).at(-1)),
        ['a/', 'c/', 'b'],
      );
      const rec = (await aws('s3', 'ls', '--recursive', `s3://${B}/ls/`)).stdout;
      assert.deepEqual(rec.split('\n').filter(Boolean).map((l) => l.trim().split(/\s+/).at(-1)), ['ls/a/1', 'ls/a/2', 'ls/b', 'ls/c/d/e']);
      await aws('s3', 'rm', `s3://${B}/ls/b`);
      await aws('s3', 'rm', '--recursive', `s3://${B}/ls/`);
      const empty = await run(bin, ['--endpoint-url', cluster().endpoint, 's3', 'ls', '--recursive', `s3://${B}/ls/`], { env: cluster().awsEnv });
      assert.equal(empty.stdout.trim(), '', empty.stderr);
    });

    it('s3api list-objects-v2 paginates with --page-size and --max-items/--starting-token', async () => {
      const keys = Array.from({ length: 7 }, (_v, i) => `page/k${i}`);
      await uploadTree('page-tree', 'page/', keys.map((k) => k.slice('page/'.length)));
      const all = await s3api('list-objects-v2', '--bucket', B, '--prefix', 'page/', '--page-size', '2');
      assert.deepEqual((all.Contents as Array<{ Key: string }>).map((o) => o.Key), keys);
      const first = await s3api('list-objects-v2', '--bucket', B, '--prefix', 'page/', '--max-items', '3', '--page-size', '2');
      assert.deepEqual((first.Contents as Array<{ Key: string }>).map((o) => o.Key), keys.slice(0, 3));
      const rest = await s3api('list-objects-v2', '--bucket', B, '--prefix', 'page/', '--starting-token', String(first.NextToken), '--page-size', '2');
      assert.deepEqual((rest.Contents as Array<{ Key: string }>).map((o) => o.Key), keys.slice(3));
      const delim = await s3api('list-objects-v2', '--bucket', B, '--prefix', 'p', '--delimiter', '/');
      assert.deepEqual(delim.CommonPrefixes, [{ Prefix: 'page/' }]);
    });

    it('s3api put-object with metadata and Content-MD5, head-object, get-object --range', async () => {
      const file = join(dir, 'meta.bin');
      const data = patternSlice(90, 0, 50_000);
      await writeFile(file, data);
      const md5b64 = Buffer.from(md5Hex(data), 'hex').toString('base64');
      await s3api('put-object', '--bucket', B, '--key', 'meta/obj', '--body', file, '--metadata', 'color=Blue,shape=round', '--content-type', 'image/x-test', '--content-md5', md5b64);
      const head = await s3api('head-object', '--bucket', B, '--key', 'meta/obj');
      assert.deepEqual(head.Metadata, { color: 'Blue', shape: 'round' });
      assert.equal(head.ContentType, 'image/x-test');
      const out = join(dir, 'range.out');
      const got = await s3api('get-object', '--bucket', B, '--key', 'meta/obj', '--range', 'bytes=1000-1999', out);
      assert.equal(got.ContentRange, `bytes 1000-1999/${data.length}`);
      assert.equal(sha256(await readFile(out)), sha256(data.subarray(1000, 2000)));
      await s3api('get-object', '--bucket', B, '--key', 'meta/obj', '--range', 'bytes=-100', out);
      assert.equal(sha256(await readFile(out)), sha256(data.subarray(data.length - 100)));
    });

    it('copies (s3 cp between buckets, s3api copy-object) and batch-deletes (s3api delete-objects)', async () => {
      await aws('s3', 'mb', 's3://aws-copy');
      const file = join(dir, 'copy.bin');
      const hex = await writePattern(file, 3 * MiB, 91);
      await aws('s3', 'cp', file, `s3://${B}/copy/src`, '--only-show-errors');
      await aws('s3', 'cp', `s3://${B}/copy/src`, 's3://aws-copy/dst', '--only-show-errors');
      await s3api('copy-object', '--bucket', B, '--key', 'copy/dst2', '--copy-source', `${B}/copy/src`);
      for (const [bucket, key] of [['aws-copy', 'dst'], [B, 'copy/dst2']] as const) {
        await aws('s3', 'cp', `s3://${bucket}/${key}`, `${file}.${key.replace('/', '_')}`, '--only-show-errors');
        assert.equal(await sha256File(`${file}.${key.replace('/', '_')}`), hex);
      }
      const del = await s3api('delete-objects', '--bucket', B, '--delete', JSON.stringify({ Objects: [{ Key: 'copy/src' }, { Key: 'copy/dst2' }, { Key: 'copy/none' }] }));
      assert.deepEqual((del.Deleted as Array<{ Key: string }>).map((d) => d.Key).sort(), ['copy/dst2', 'copy/none', 'copy/src']);
      assert.equal(await headStatus(cluster(), B, 'copy/src'), 404);
    });

    it('s3api multipart by hand: create, upload-part ×2, list-parts, complete', async () => {
      const p1 = join(dir, 'p1');
      const p2 = join(dir, 'p2');
      const h1 = await writePattern(p1, 5 * MiB, 92);
      await writePattern(p2, 1234, 93);
      const { UploadId } = (await s3api('create-multipart-upload', '--bucket', B, '--key', 'mp/obj')) as { UploadId: string };
      const e1 = (await s3api('upload-part', '--bucket', B, '--key', 'mp/obj', '--upload-id', UploadId, '--part-number', '1', '--body', p1)).ETag;
      const e2 = (await s3api('upload-part', '--bucket', B, '--key', 'mp/obj', '--upload-id', UploadId, '--part-number', '2', '--body', p2)).ETag;
      const parts = await s3api('list-parts', '--bucket', B, '--key', 'mp/obj', '--upload-id', UploadId);
      assert.deepEqual((parts.Parts as Array<{ Size: number }>).map((p) => p.Size), [5 * MiB, 1234]);
      const done = await s3api('complete-multipart-upload', '--bucket', B, '--key', 'mp/obj', '--upload-id', UploadId, '--multipart-upload', JSON.stringify({ Parts: [{ PartNumber: 1, ETag: e1 }, { PartNumber: 2, ETag: e2 }] }));
      assert.match(String(done.ETag), /^"[0-9a-f]{32}-2"$/);
      const out = join(dir, 'mp.out');
      await aws('s3', 'cp', `s3://${B}/mp/obj`, out, '--only-show-errors');
      assert.equal(sha256(await readFile(out)), sha256(Buffer.concat([await readFile(p1), await readFile(p2)])));
      assert.equal(await sha256File(p1), h1);
    });

    it('s3 presign: the URL serves the object to plain fetch (SigV4; a SigV2 URL is refused with InvalidRequest)', async () => {
      const data = patternSlice(94, 0, 100_000);
      const file = join(dir, 'presign.bin');
      await writeFile(file, data);
      await aws('s3', 'cp', file, `s3://${B}/presign/a b+c.bin`, '--only-show-errors');
      let url = (await aws('s3', 'presign', `s3://${B}/presign/a b+c.bin`, '--expires-in', '300')).stdout.trim();
      if (url.includes('AWSAccessKeyId=')) {
        // aws-cli v1 presigns with SigV2 unless told otherwise; godfs speaks SigV4 only, and says so as S3 does.
        const v2 = await fetch(url);
        const text = await v2.text();
        assert.equal(v2.status, 400, text);
        assert.equal(xmlField(text, 'Code'), 'InvalidRequest');
        assert.match(xmlField(text, 'Message'), /AWS4-HMAC-SHA256/);
        const config = join(dir, 'aws-config-s3v4');
        await writeFile(config, '[default]\ns3 =\n    signature_version = s3v4\n');
        const env = { ...cluster().awsEnv, AWS_CONFIG_FILE: config };
        url = (await runOk(bin, ['--endpoint-url', cluster().endpoint, 's3', 'presign', `s3://${B}/presign/a b+c.bin`, '--expires-in', '300'], { env })).stdout.trim();
      }
      assert.match(url, /X-Amz-Algorithm=AWS4-HMAC-SHA256/);
      const res = await fetch(url);
      assert.equal(res.status, 200, url);
      assert.equal(sha256(Buffer.from(await res.arrayBuffer())), sha256(data));
    });

    it('keys with spaces, unicode, + and % round-trip through cp (recursive up and down), ls and rm', async () => {
      const root = await uploadTree('odd-tree', 'odd/', SPECIAL_KEYS);
      const down = join(dir, 'odd-down');
      await aws('s3', 'cp', '--recursive', `s3://${B}/odd/`, down, '--only-show-errors');
      for (const key of SPECIAL_KEYS) assert.equal(await sha256File(join(down, key)), await sha256File(join(root, key)), key);
      const listed = await s3api('list-objects-v2', '--bucket', B, '--prefix', 'odd/');
      assert.deepEqual(
        (listed.Contents as Array<{ Key: string }>).map((o) => o.Key),
        SPECIAL_KEYS.map((k) => `odd/${k}`).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b))),
      );
      await aws('s3', 'cp', `s3://${B}/odd/${SPECIAL_KEYS[3]}`, join(dir, 'odd-one'), '--only-show-errors');
      assert.equal(await sha256File(join(dir, 'odd-one')), await sha256File(join(root, SPECIAL_KEYS[3]!)));
      await aws('s3', 'rm', `s3://${B}/odd/${SPECIAL_KEYS[2]}`);
      assert.equal(await headStatus(cluster(), B, `odd/${SPECIAL_KEYS[2]}`), 404);
      await aws('s3', 'rm', '--recursive', `s3://${B}/odd/`, '--only-show-errors');
      for (const key of SPECIAL_KEYS) assert.equal(await headStatus(cluster(), B, `odd/${key}`), 404, key);
    });

    it('a missing key and a missing bucket answer NoSuchKey / NoSuchBucket (404)', async () => {
      assert.equal(awsErrorCode(await awsFails('s3api', 'get-object', '--bucket', B, '--key', 'no/such/key', join(dir, 'none'))), 'NoSuchKey');
      assert.equal(awsErrorCode(await awsFails('s3api', 'list-objects-v2', '--bucket', 'aws-no-such-bucket')), 'NoSuchBucket');
    });
  });
}
