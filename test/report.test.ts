// A failing test prints its seed, the command that replays it, and the tail of each process log of
// its clusters (test/report.ts): checked by running a test that fails on purpose over a real cluster.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const MOCHA = fileURLToPath(new URL('../../node_modules/mocha/bin/mocha.js', import.meta.url));
const HOOK = fileURLToPath(new URL('./report.js', import.meta.url));
const FIXTURE = fileURLToPath(new URL('./fixtures/failing.fixture.js', import.meta.url));

describe('failure reports', function () {
  this.timeout(180_000);

  it('a failing multi-process test prints its seed, the replay command and every process log tail', async () => {
    const out = await run(process.execPath, [MOCHA, '--no-config', '--exit', '--require', HOOK, FIXTURE], {
      env: { ...process.env, GODFS_SEED: '4242' },
      maxBuffer: 16 * 2 ** 20,
    }).then(
      () => assert.fail('the fixture passed'),
      (e: { code: number; stdout: string }) => e,
    );
    assert.equal(out.code, 1, 'one failure');
    const text = out.stdout;
    assert.match(text, /==== a failing multi-process test fails after drawing a seed failed ====/);
    assert.match(text, /seeds: failing=4242/);
    assert.match(text, /replay: GODFS_SEED=4242 npx mocha --no-config --exit --timeout \d+ \S*failing\.fixture\.js --grep 'a failing multi-process test fails after drawing a seed'/);
    // The master's and the chunkserver's logs, each with its last lines.
    assert.match(text, /--- process cluster master\.log, last \d+ of \d+ lines ---\n {2}\| \{/);
    assert.match(text, /--- process cluster cs0\.log, last \d+ of \d+ lines ---\n {2}\| \{/);
  });
});
