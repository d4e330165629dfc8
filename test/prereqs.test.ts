// `npm test` checks its system prerequisites first (test/prereqs.mjs, the `pretest` script): with a
// tool missing it stops at once naming the Debian package; with everything there it says nothing.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
// dist/test/prereqs.test.js → the source script, which runs before any build.
const SCRIPT = fileURLToPath(new URL('../../test/prereqs.mjs', import.meta.url));
const TOOLS = ['aws', 's3cmd', 'rclone', 'fusermount', 'getfattr', 'setfattr'];

async function which(cmd: string): Promise<string> {
  const { stdout } = await run('sh', ['-c', `command -v ${cmd}`]);
  return stdout.trim();
}

/** A PATH holding only the given tools (links to the installed ones). */
async function pathWith(tools: string[]): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'godfs-prereqs-'));
  for (const t of tools) await symlink(await which(t), join(dir, t));
  return dir;
}

describe('npm test prerequisites', function () {
  this.timeout(30_000);
  const dirs: string[] = [];
  after(async () => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

  it('passes silently when every tool is there', async () => {
    const dir = await pathWith(TOOLS);
    dirs.push(dir);
    const { stdout, stderr } = await run(process.execPath, [SCRIPT], { env: { ...process.env, PATH: dir } });
    assert.equal(stdout + stderr, '');
  });

  it('without getfattr stops within seconds naming the attr package and the apt-get line', async () => {
    const dir = await pathWith(TOOLS.filter((t) => t !== 'getfattr'));
    dirs.push(dir);
    const t0 = Date.now();
    const err = await run(process.execPath, [SCRIPT], { env: { ...process.env, PATH: dir } }).then(
      () => assert.fail('the check passed without getfattr'),
      (e: { code: number; stderr: string }) => e,
    );
    assert.equal(err.code, 1);
    assert.match(err.stderr, /^\s+attr\s+getfattr/m);
    assert.match(err.stderr, /apt-get install -y --no-install-recommends attr\n/);
    assert.doesNotMatch(err.stderr, /rclone|s3cmd|awscli/, 'only what is missing');
    assert.ok(Date.now() - t0 < 30_000);
  });

  it('names every missing package at once', async () => {
    const dir = await pathWith(['fusermount', 'getfattr', 'setfattr']);
    dirs.push(dir);
    const err = await run(process.execPath, [SCRIPT], { env: { ...process.env, PATH: dir } }).then(
      () => assert.fail('the check passed without aws, s3cmd and rclone'),
      (e: { code: number; stderr: string }) => e,
    );
    assert.match(err.stderr, /apt-get install -y --no-install-recommends awscli s3cmd rclone\n/);
  });
});
