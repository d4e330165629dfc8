// Starts `godfs up` as a child process and waits until its gateway is ready: the harness of the CLI
// tests and of the benchmark (both drive the real built CLI, as a user would).
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseHostPort } from '../common/net.js';
import type { Credentials } from './credentials.js';
import type { PidsFile } from './up.js';

export const CLI_PATH = fileURLToPath(new URL('./main.js', import.meta.url));

/** A free TCP port on 127.0.0.1 (bind port 0, read it, close). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

/** The first of `n` consecutive free TCP ports on 127.0.0.1 (for `godfs up --masters n`). */
export async function freePortRange(n: number): Promise<number> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const base = await freePort();
    if (base + n - 1 > 65535) continue;
    let free = true;
    for (let i = 1; i < n && free; i++) free = await portIsFree(base + i);
    if (free) return base;
  }
  throw new Error(`no ${n} consecutive free ports found on 127.0.0.1`);
}

/** The environment without any GODFS_* variable, so a developer's shell cannot change what a test runs. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('GODFS_')) env[k] = v;
  return { ...env, ...extra };
}

export interface UpProcess {
  proc: ChildProcess;
  dataDir: string;
  endpoint: string;
  /** The master address, or with --masters n every master's, comma-separated (what --master takes). */
  master: string;
  apiKey: string;
  /** Everything the process printed so far (stdout and stderr), for diagnostics. */
  output(): string;
  pids(): Promise<PidsFile>;
  /** SIGTERM and wait for exit; resolves with the exit code (or signal name). */
  stop(timeoutMs?: number): Promise<number | string>;
  /** SIGKILL `up` and every child listed in pids.json (cleanup of last resort). */
  kill(): Promise<void>;
}

export interface UpOptions {
  dataDir: string;
  chunkservers?: number;
  replication?: number;
  /** --masters (default: not given, so 1); with more, masterListen is the first of consecutive free ports. */
  masters?: number;
  listen?: string;
  masterListen?: string;
  extraArgs?: string[];
  env?: Record<string, string>;
  readyTimeoutMs?: number;
  /** Also copy the process's output to our stderr (GODFS_TEST_VERBOSE). */
  echo?: boolean;
}

export async function startUp(o: UpOptions): Promise<UpProcess> {
  const listen = o.listen ?? `127.0.0.1:${await freePort()}`;
  const masterCount = o.masters ?? 1;
  const masterListen = o.masterListen ?? `127.0.0.1:${masterCount > 1 ? await freePortRange(masterCount) : await freePort()}`;
  const { port: firstMasterPort } = parseHostPort(masterListen);
  const masterHost = masterListen.slice(0, masterListen.lastIndexOf(':'));
  const masterList = Array.from({ length: masterCount }, (_v, i) => `${masterHost}:${firstMasterPort + i}`).join(',');
  const args = [
    CLI_PATH,
    'up',
    '--data',
    o.dataDir,
    '--listen',
    listen,
    '--master-listen',
    masterListen,
    '--chunkservers',
    String(o.chunkservers ?? 2),
    '--replication',
    String(o.replication ?? 1),
    ...(o.masters !== undefined ? ['--masters', String(o.masters)] : []),
    ...(o.extraArgs ?? []),
  ];
  const proc = spawn(process.execPath, args, { env: cleanEnv(o.env), stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const collect = (b: Buffer) => {
    out += b.toString();
    if (out.length > 1 << 20) out = out.slice(-(1 << 19));
    if (o.echo) process.stderr.write(b);
  };
  proc.stdout!.on('data', collect);
  proc.stderr!.on('data', collect);
  const exited = new Promise<number | string>((resolve) => proc.once('exit', (code, signal) => resolve(code ?? signal ?? -1)));

  const endpoint = `http://${listen}`;
  const deadline = Date.now() + (o.readyTimeoutMs ?? 90_000);
  let ready = false;
  while (!ready && Date.now() < deadline && proc.exitCode === null && proc.signalCode === null) {
    try {
      const res = await fetch(`${endpoint}/readyz`, { signal: AbortSignal.timeout(2000) });
      await res.body?.cancel();
      ready = res.ok;
    } catch {
      // not up yet
    }
    if (!ready) await new Promise((r) => setTimeout(r, 200));
  }
  const pidsOf = async () => JSON.parse(await readFile(join(o.dataDir, 'pids.json'), 'utf8')) as PidsFile;
  const kill = async () => {
    const pids = await pidsOf().catch(() => undefined);
    for (const pid of [pids?.gateway.pid, pids?.master.pid, ...(pids?.masters?.map((m) => m.pid) ?? []), ...(pids?.chunkservers.map((c) => c.pid) ?? [])]) {
      if (pid) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    }
    if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
    await exited;
  };
  if (!ready) {
    await kill();
    throw new Error(`godfs up did not become ready at ${endpoint}/readyz\n--- output ---\n${out}`);
  }
  // The banner follows readiness; pids.json and credentials.json are written just before it.
  let creds: Credentials | undefined;
  while (!creds && Date.now() < deadline) {
    creds = await readFile(join(o.dataDir, 'credentials.json'), 'utf8')
      .then((t) => JSON.parse(t) as Credentials)
      .catch(() => undefined);
    if (!creds) await new Promise((r) => setTimeout(r, 100));
  }
  while (Date.now() < deadline && !(await pidsOf().then((p) => p.gateway.pid !== undefined && p.endpoint !== undefined, () => false))) {
    await new Promise((r) => setTimeout(r, 100));
  }
  // The banner may reach the pipe in several pieces: wait for its last line so callers see all of it.
  while (Date.now() < deadline && proc.exitCode === null && !out.includes('Ctrl-C stops the cluster')) {
    await new Promise((r) => setTimeout(r, 50));
  }
  if (!creds) {
    await kill();
    throw new Error(`godfs up wrote no credentials.json\n--- output ---\n${out}`);
  }
  return {
    proc,
    dataDir: o.dataDir,
    endpoint,
    master: masterList,
    apiKey: creds.apiKey,
    output: () => out,
    pids: pidsOf,
    async stop(timeoutMs = 60_000) {
      if (proc.exitCode !== null || proc.signalCode !== null) return exited;
      proc.kill('SIGTERM');
      const t = setTimeout(() => void kill(), timeoutMs);
      const code = await exited;
      clearTimeout(t);
      return code;
    },
    kill,
  };
}

/** What a run of the CLI printed and how it exited. */
export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the godfs CLI as a child process (clean GODFS_* environment), collecting its output; killed after timeoutMs. */
export function runCli(args: string[], opts: { env?: Record<string, string>; cwd?: string; input?: Buffer; timeoutMs?: number } = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [CLI_PATH, ...args], { env: cleanEnv(opts.env), cwd: opts.cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    p.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    const t = setTimeout(() => p.kill('SIGKILL'), opts.timeoutMs ?? 60_000);
    p.on('error', reject);
    p.on('close', (code) => {
      clearTimeout(t);
      resolve({ code, stdout, stderr });
    });
    p.stdin.end(opts.input);
  });
}

/** True while a process with this pid exists (signal 0 probes without touching it). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
