// The conformance harness: a `godfs up` cluster per suite (temp data dir, free ports, replication 1,
// fixed S3 root keys through the environment), the client binaries located on this machine (a missing
// one fails its suite with the package to install), child processes run to completion with their
// output kept for the failure message, and seeded test files compared by sha256.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { accessSync, constants } from 'node:fs';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { createReadStream, createWriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { startUp, type UpProcess } from '../cli/up-process.js';
import { patternStream } from '../test/data.js';

export const MiB = 2 ** 20;
export const ACCESS_KEY = 'GKCONFORMANCE0000001';
export const SECRET_KEY = 'conformance/Secret+Key0123456789abcdefghij';
export const REGION = 'us-east-1';

/** Keys every client must round-trip: spaces, unicode, '+', '%' (and a few more that URL encoders trip on). */
export const SPECIAL_KEYS = ['with space/file name.txt', 'unicode/naïve-日本語-😀.bin', 'plus/a+b=c.txt', 'percent/100% done%25.txt', 'mixed/~tilde & (paren) [x]!.txt'];

export interface Cluster {
  up: UpProcess;
  tmp: string;
  endpoint: string;
  master: string;
  apiKey: string;
  accessKey: string;
  secretKey: string;
  region: string;
  /** Environment for AWS-style clients (aws-cli, boto3): our keys and region, no config files of the user. */
  awsEnv: Record<string, string>;
  stop(): Promise<void>;
}

export async function startCluster(name: string): Promise<Cluster> {
  const tmp = await mkdtemp(join(tmpdir(), `godfs-conformance-${name}-`));
  const up = await startUp({
    dataDir: join(tmp, 'data'),
    chunkservers: 2,
    replication: 1,
    env: { GODFS_S3_ACCESS_KEY: ACCESS_KEY, GODFS_S3_SECRET_KEY: SECRET_KEY, GODFS_S3_REGION: REGION, GODFS_LOG_LEVEL: 'info' },
    echo: !!process.env.GODFS_TEST_VERBOSE,
  }).catch(async (err: unknown) => {
    if (!process.env.GODFS_TEST_KEEP) await rm(tmp, { recursive: true, force: true });
    throw err;
  });
  const awsEnv = {
    AWS_ACCESS_KEY_ID: ACCESS_KEY,
    AWS_SECRET_ACCESS_KEY: SECRET_KEY,
    AWS_DEFAULT_REGION: REGION,
    AWS_REGION: REGION,
    AWS_CONFIG_FILE: join(tmp, 'no-aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(tmp, 'no-aws-credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_PAGER: '',
  };
  return {
    up,
    tmp,
    endpoint: up.endpoint,
    master: up.master,
    apiKey: up.apiKey,
    accessKey: ACCESS_KEY,
    secretKey: SECRET_KEY,
    region: REGION,
    awsEnv,
    async stop() {
      await up.stop(30_000).catch(() => up.kill());
      if (!process.env.GODFS_TEST_KEEP) await rm(tmp, { recursive: true, force: true });
    },
  };
}

/** Of every log of the cluster: its warnings and errors, and its last lines (printed when a test fails). */
export async function clusterLogs(c: Cluster, lines = 8): Promise<string> {
  const dir = join(c.up.dataDir, 'logs');
  const files = await readdir(dir).catch(() => [] as string[]);
  const out: string[] = [];
  for (const f of files.sort()) {
    const all = (await readFile(join(dir, f), 'utf8').catch(() => '')).trimEnd().split('\n').filter(Boolean);
    const problems = all.filter((l) => /"level":(4|5|6)\d/.test(l)).slice(-20);
    const tail = all.slice(-lines).filter((l) => !problems.includes(l));
    if (problems.length) out.push(`--- ${f}: warnings and errors (last ${problems.length}) ---`, ...problems);
    if (tail.length) out.push(`--- ${f}: last lines ---`, ...tail);
  }
  return out.join('\n');
}

/** Per-suite lifecycle: a cluster in `before`, its logs on any failed test, stopped in `after`. */
export function useCluster(name: string): () => Cluster {
  let cluster: Cluster | undefined;
  before(async function () {
    this.timeout(120_000);
    cluster = await startCluster(name);
  });
  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && cluster) process.stderr.write(`\n${await clusterLogs(cluster)}\n`);
  });
  after(async function () {
    this.timeout(60_000);
    await cluster?.stop();
  });
  return () => {
    if (!cluster) throw new Error(`the ${name} cluster did not start (see the "before all" hook failure)`);
    return cluster;
  };
}

function executable(p: string): boolean {
  try {
    accessSync(p, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** `name` resolved through PATH, or undefined. */
export function which(name: string): string | undefined {
  if (name.includes('/')) return executable(name) ? name : undefined;
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir && executable(join(dir, name))) return join(dir, name);
  }
  return undefined;
}

/** The first candidate that exists, else an error that says what to install (CI installs it via .ci/run). */
export function requireTool(what: string, candidates: string[], debianPackage: string): string {
  for (const c of candidates) {
    const p = which(c);
    if (p) return p;
  }
  throw new Error(`${what} is not installed on this machine (looked for ${candidates.join(', ')}): install the Debian package ${debianPackage} (apt-get install -y ${debianPackage}; .ci/run does) — the conformance suite needs every client`);
}

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
  stdoutBytes: Buffer;
}

export interface RunOptions {
  env?: Record<string, string>;
  input?: Buffer | string;
  cwd?: string;
  timeoutMs?: number;
}

/** Our environment without AWS_* and GODFS_* (a developer's AWS_PROFILE or AWS_CA_BUNDLE must not change what a client does). */
function baseEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^(AWS|GODFS)_/.test(k)) env[k] = v;
  return env;
}

/** Runs a program to completion (never through a shell: arguments go as they are). */
export function run(bin: string, args: string[], o: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { env: { ...baseEnv(), ...o.env }, cwd: o.cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    const timer = setTimeout(() => child.kill('SIGKILL'), o.timeoutMs ?? 180_000);
    child.once('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      const stdoutBytes = Buffer.concat(out);
      resolve({ code, stdout: stdoutBytes.toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), stdoutBytes });
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(o.input ?? '');
  });
}

export function describeRun(bin: string, args: string[], r: RunResult): string {
  return `$ ${[bin, ...args].map((a) => (/^[\w./:=@-]+$/.test(a) ? a : JSON.stringify(a))).join(' ')}\n→ exit ${r.code}\n--- stdout ---\n${r.stdout.slice(-4000)}\n--- stderr ---\n${r.stderr.slice(-4000)}`;
}

/** run() that must exit 0; the error carries the command line and both outputs. */
export async function runOk(bin: string, args: string[], o: RunOptions = {}): Promise<RunResult> {
  const r = await run(bin, args, o);
  if (r.code !== 0) throw new Error(`command failed\n${describeRun(bin, args, r)}`);
  return r;
}

/** run() that must fail; resolves with its output (the caller checks the S3 error it printed). */
export async function runFails(bin: string, args: string[], o: RunOptions = {}): Promise<RunResult> {
  const r = await run(bin, args, o);
  if (r.code === 0) throw new Error(`command succeeded but was expected to fail\n${describeRun(bin, args, r)}`);
  return r;
}

/** Writes the seeded pattern of `size` bytes to `file`; resolves with its sha256. */
export async function writePattern(file: string, size: number, seed: number): Promise<string> {
  const h = createHash('sha256');
  const src = patternStream(size, seed);
  src.on('data', (b: Buffer) => h.update(b));
  await pipeline(src, createWriteStream(file));
  return h.digest('hex');
}

export async function sha256File(file: string): Promise<string> {
  const h = createHash('sha256');
  await pipeline(createReadStream(file), h);
  return h.digest('hex');
}

export function sha256(b: Uint8Array | string): string {
  return createHash('sha256').update(b).digest('hex');
}

export function md5Hex(b: Uint8Array | string): string {
  return createHash('md5').update(b).digest('hex');
}

/** Consumes any byte stream (node Readable, web ReadableStream, SDK body) into a Buffer. */
export async function bytesOf(body: AsyncIterable<Uint8Array> | ReadableStream<Uint8Array> | undefined | null): Promise<Buffer> {
  if (!body) return Buffer.alloc(0);
  const parts: Buffer[] = [];
  for await (const c of body as AsyncIterable<Uint8Array>) parts.push(Buffer.from(c));
  return Buffer.concat(parts);
}

/** sha256 of a stream without holding it. */
export async function sha256Stream(body: AsyncIterable<Uint8Array> | ReadableStream<Uint8Array>): Promise<{ hex: string; size: number }> {
  const h = createHash('sha256');
  let size = 0;
  for await (const c of body as AsyncIterable<Uint8Array>) {
    h.update(c);
    size += c.length;
  }
  return { hex: h.digest('hex'), size };
}

/** A bucket name unique to a suite and a purpose (S3 rules: lower case, 3–63 characters). */
export function bucketName(suite: string, purpose: string): string {
  return `${suite}-${purpose}`.toLowerCase().replace(/[^a-z0-9-]/g, '-').slice(0, 63);
}
