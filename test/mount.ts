// Harness for the FUSE tests (and the mount benchmark): runs `godfs mount` (the built CLI) in a child
// process against a TestCluster in the test process (or any cluster), and shell tools against the mount. The mount must live in another
// process: a FUSE server that itself makes blocking syscalls on its own mount deadlocks. Cleanup always
// leaves the mount point unmounted (fusermount -u, then lazy -uz if busy) so a failed test cannot
// leave a stale mount behind.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rmdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CLI_PATH, cleanEnv } from '../cli/up-process.js';
import type { TestCluster } from './cluster.js';
import { mountedPaths } from '../fuse/mount-point.js';
import { eventually } from './eventually.js';

const pexecFile = promisify(execFile);

export interface ShResult {
  stdout: string;
  stderr: string;
  code: number;
}

/** Runs a bash command line; never throws for a non-zero exit (the result says). */
export async function sh(cmd: string, opts: { cwd?: string; timeoutMs?: number } = {}): Promise<ShResult> {
  try {
    const r = await pexecFile('bash', ['-c', cmd], { cwd: opts.cwd, timeout: opts.timeoutMs ?? 120_000, maxBuffer: 64 * 2 ** 20 });
    return { stdout: r.stdout, stderr: r.stderr, code: 0 };
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; code?: number | string };
    return { stdout: e.stdout ?? '', stderr: e.stderr ?? String(err), code: typeof e.code === 'number' ? e.code : 1 };
  }
}

/** Like sh, but a non-zero exit fails with the command's output. */
export async function shOk(cmd: string, opts: { cwd?: string; timeoutMs?: number } = {}): Promise<string> {
  const r = await sh(cmd, opts);
  if (r.code !== 0) throw new Error(`command failed (${r.code}): ${cmd}\n${r.stderr}\n${r.stdout}`.slice(0, 4000));
  return r.stdout;
}

export interface MountProcess {
  mnt: string;
  proc: ChildProcess;
  output(): string;
  /** SIGTERM and wait; resolves with the exit code. Falls back to fusermount and SIGKILL. */
  stop(): Promise<number | null>;
}

/** A cluster to mount: an in-process TestCluster, or any master address and API key (the bench). */
export type MountTarget = TestCluster | { master: string; apiKey: string };

export function mountArgs(target: MountTarget, mnt: string, extra: string[] = []): string[] {
  const master = typeof target.master === 'string' ? target.master : target.master.address;
  const apiKey = 'opts' in target ? target.opts.apiKey : target.apiKey;
  return [CLI_PATH, 'mount', mnt, '--master', master, '--api-key', apiKey, '--log-level', process.env.GODFS_TEST_VERBOSE ? 'debug' : 'warn', ...extra];
}

/** Runs the CLI to completion (for the refusal cases). */
export async function runMountCli(args: string[], timeoutMs = 20_000): Promise<ShResult> {
  return new Promise((resolve) => {
    execFile(process.execPath, args, { env: cleanEnv(), timeout: timeoutMs }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? ((err as { code: number }).code) : 1) : 0;
      resolve({ stdout, stderr, code });
    });
  });
}

export async function unmountQuietly(mnt: string): Promise<void> {
  if (!mountedPaths().has(mnt)) return;
  if ((await sh(`fusermount -u ${JSON.stringify(mnt)}`)).code === 0) return;
  await sh(`fusermount -uz ${JSON.stringify(mnt)}`);
}

export async function startMount(cluster: MountTarget, extra: string[] = [], mnt?: string): Promise<MountProcess> {
  const dir = mnt ?? (await mkdtemp(join(tmpdir(), 'godfs-mnt-')));
  const proc = spawn(process.execPath, mountArgs(cluster, dir, extra), { env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const collect = (c: Buffer) => {
    out += c.toString();
    if (process.env.GODFS_TEST_VERBOSE) process.stderr.write(c);
    if (out.length > 1 << 20) out = out.slice(-(1 << 19));
  };
  proc.stdout!.on('data', collect);
  proc.stderr!.on('data', collect);
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  const came = await eventually(() => (proc.exitCode !== null ? 'exited' : mountedPaths().has(dir) && 'mounted'), 60_000, `the mount on ${dir}`, 50).catch(() => 'timeout');
  if (came !== 'mounted') {
    proc.kill('SIGKILL');
    throw new Error(`godfs mount did not come up on ${dir} (${came}):\n${out}`);
  }
  return {
    mnt: dir,
    proc,
    output: () => out,
    stop: async () => {
      if (proc.exitCode === null) proc.kill('SIGTERM');
      const code = await Promise.race([exited, new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 30_000))]);
      await unmountQuietly(dir);
      if (code === 'timeout') {
        proc.kill('SIGKILL');
        await exited;
      }
      // rmdir, never a recursive rm: should the unmount have failed, nothing in godfs is touched.
      if (!mnt) await rmdir(dir).catch(() => undefined);
      return code === 'timeout' ? null : code;
    },
  };
}
