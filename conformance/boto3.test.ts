// boto3 against a real `godfs up`: conformance/boto3-scenarios.py runs every scenario once (one Python
// start) with the python3 that has boto3 — Debian's /usr/bin/python3 with python3-boto3, not a pyenv
// one on PATH — and reports each; one `it` per scenario asserts its result.
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeRun, MiB, requireTool, run, SPECIAL_KEYS, useCluster, writePattern } from './harness.js';

const SCRIPT = fileURLToPath(new URL('../../conformance/boto3-scenarios.py', import.meta.url));
const SCENARIOS: Array<[string, string]> = [
  ['buckets', 'creates, lists, heads, locates and deletes buckets; BucketAlreadyOwnedByYou and BucketNotEmpty (409)'],
  ['sizes', 'upload_file/download_file of 0 B, 1 KiB and 17 MiB (multipart above 8 MiB) byte-exact, ETags; put_object 0 B and 1 KiB'],
  ['multipart', 'multipart by hand: upload_part, upload_part_copy with a range, list_parts, complete (ETag -2), abort'],
  ['ranges', 'range reads: closed, open-ended, suffix, 206 + Content-Range, 416 InvalidRange'],
  ['listing', 'lists with prefix, delimiter, pagination (paginator, V1 marker, start-after) in UTF-8 byte order'],
  ['copy_and_batch_delete', 'copy_object, managed copy across buckets, metadata REPLACE onto itself, delete_objects'],
  ['metadata', 'round-trips user metadata (names lower-cased) and content headers'],
  ['presigned', 'generate_presigned_url for PUT, GET and HEAD used with urllib'],
  ['special_keys', 'keys with spaces, unicode, + and % through put, get, list (plain and encoding-type=url) and delete'],
  ['errors', 'NoSuchKey, NoSuchBucket (404) and InvalidBucketName (400)'],
];

describe('conformance: boto3', function () {
  this.timeout(240_000);
  const cluster = useCluster('boto3');
  let results: Record<string, { ok: boolean; error?: string }> = {};
  let failure = '';

  before(async function () {
    const python = requireTool('python3 with boto3', ['/usr/bin/python3', 'python3'], 'python3-boto3');
    const probe = await run(python, ['-c', 'import boto3, botocore; print(boto3.__version__, botocore.__version__)']);
    if (probe.code !== 0) throw new Error(`${python} cannot import boto3: install the Debian package python3-boto3 (.ci/run does)\n${probe.stderr}`);
    process.stderr.write(`      (${python}: boto3 ${probe.stdout.trim().replace(' ', ', botocore ')})\n`);
    const c = cluster();
    const scratch = join(c.tmp, 'boto3');
    await mkdir(scratch, { recursive: true });
    const files = [];
    for (const [i, size] of [0, 1024, 17 * MiB].entries()) {
      const path = join(scratch, `file-${size}`);
      files.push({ path, size, sha256: await writePattern(path, size, 200 + i) });
    }
    const job = { endpoint: c.endpoint, accessKey: c.accessKey, secretKey: c.secretKey, region: c.region, scratch, files, specialKeys: SPECIAL_KEYS };
    const r = await run(python, [SCRIPT], { input: JSON.stringify(job), env: { ...c.awsEnv, PYTHONIOENCODING: 'utf-8' }, timeoutMs: 200_000 });
    try {
      results = JSON.parse(r.stdout) as typeof results;
    } catch {
      failure = `the boto3 script did not report\n${describeRun(python, [SCRIPT], r)}`;
    }
  });

  for (const [name, title] of SCENARIOS) {
    it(title, function () {
      assert.equal(failure, '');
      const res = results[name];
      assert.ok(res, `scenario ${name} did not run`);
      assert.ok(res.ok, `boto3 scenario ${name} failed:\n${res.error}`);
    });
  }
});
