// Multi-process test cluster: a master (or a Raft group of masters) and N chunkservers as separate
// node processes on 127.0.0.1 ephemeral ports and real temp dirs, plus an sdk client in the test
// process. With several masters each one is reached through its own TCP proxy (test/tcp-proxy.ts):
// the proxy's address is the member's address for peers, chunkservers and clients alike, stays the
// same when the master restarts on a new port, and can cut the master off (a partition). Processes can be SIGKILLed, stopped and restarted on the same data directory (same node
// id). Every child is killed by destroy(), and by an exit hook should the test process die first.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { ChunkserverOptions } from '../cluster/chunkserver/server.js';
import type { MasterOptions } from '../cluster/master/server.js';
import { GodfsClient } from '../sdk/client.js';
import { eventually } from './eventually.js';
import { forgetLogs, noteLogs, type LogSource } from './report.js';
import { TcpProxy } from './tcp-proxy.js';

const FIXTURE = fileURLToPath(new URL('./fixtures/server-proc.js', import.meta.url));
const children = new Set<ChildProcess>();
process.once('exit', () => {
  for (const c of children) c.kill('SIGKILL');
});

export interface ProcessClusterOptions {
  chunkservers: number;
  /** Masters in the Raft group (default 1: a single master, reached directly). */
  masters?: number;
  replication?: number;
  apiKey?: string;
  /** Extra master options (short intervals are the defaults here). */
  master?: Partial<MasterOptions>;
  /** Extra chunkserver options, per index. */
  chunkserver?: (i: number) => Partial<ChunkserverOptions>;
  /** Sdk client options. */
  client?: { writeUnitBytes?: number; writeAttempts?: number; shortCircuitReads?: boolean; timeoutMs?: number; retryForMs?: number };
}

export interface Proc {
  name: string;
  child: ChildProcess;
  exited: Promise<number | null>;
  info: { address: string; controlAddress?: string; httpAddress?: string; nodeId?: string };
}

export interface ChunkserverSlot {
  index: number;
  dataDir: string;
  nodeId: string;
  proc: Proc | undefined;
  address: string;
}

export interface MasterSlot {
  id: string;
  dataDir: string;
  /** Where peers, chunkservers and clients reach it (a proxy when there are several masters). */
  address: string;
  proxy: TcpProxy | undefined;
  proc: Proc | undefined;
  /** One of the group's first members (in --peers); a later one starts empty and waits to be added. */
  initial: boolean;
}

export const KEY = 'proc-test-key';

export class ProcessCluster {
  readonly dir: string;
  readonly opts: ProcessClusterOptions;
  master!: Proc;
  readonly masters: MasterSlot[] = [];
  readonly chunkservers: ChunkserverSlot[] = [];
  client!: GodfsClient;

  /** Its processes' logs, printed when the test running it fails (test/report.ts). */
  readonly #logs: LogSource;

  private constructor(dir: string, opts: ProcessClusterOptions) {
    this.dir = dir;
    this.opts = opts;
    this.#logs = { logsDir: join(dir, 'logs'), label: 'process cluster' };
    noteLogs(this.#logs);
  }

  static async start(opts: ProcessClusterOptions): Promise<ProcessCluster> {
    const c = new ProcessCluster(await mkdtemp(join(tmpdir(), 'godfs-proc-')), opts);
    try {
      await mkdir(join(c.dir, 'logs'));
      const n = opts.masters ?? 1;
      if (n === 1) {
        c.master = await c.#spawn('master', 'master', { ...c.#masterOptions(), dataDir: join(c.dir, 'master'), listen: '127.0.0.1:0' });
        c.masters.push({ id: 'm1', dataDir: join(c.dir, 'master'), address: c.master.info.address, proxy: undefined, proc: c.master, initial: true });
      } else {
        for (let i = 1; i <= n; i++) {
          const proxy = await TcpProxy.start('127.0.0.1:1');
          c.masters.push({ id: `m${i}`, dataDir: join(c.dir, `m${i}`), address: proxy.address, proxy, proc: undefined, initial: true });
        }
        await Promise.all(c.masters.map((m) => c.startMaster(m.id)));
        c.master = c.masters[0]!.proc!;
      }
      for (let i = 0; i < opts.chunkservers; i++) {
        c.chunkservers.push({ index: i, dataDir: join(c.dir, `cs${i}`), nodeId: '', proc: undefined, address: '' });
      }
      await Promise.all(c.chunkservers.map((s) => c.startChunkserver(s.index)));
      // Short-circuit reads off unless a suite asks: these suites are about chunkservers that die and come
      // back, so reads must go through them (a client on this host would otherwise read their files).
      c.client = new GodfsClient({ master: c.masterAddresses, apiKey: opts.apiKey ?? KEY, shortCircuitReads: false, ...opts.client });
      await c.waitFor(async () => (await c.client.clusterStats()).nodesAlive === opts.chunkservers, 15_000, 'every chunkserver registered');
      return c;
    } catch (err) {
      await c.destroy();
      throw err;
    }
  }

  /** Every master's address, as `--master` takes them. */
  get masterAddresses(): string[] {
    return this.masters.map((m) => m.address);
  }

  #masterOptions(): Partial<MasterOptions> {
    return {
      apiKey: this.opts.apiKey ?? KEY,
      replication: this.opts.replication ?? 3,
      heartbeatIntervalMs: 200,
      nodeDeadAfterMs: 2000,
      gcGraceMs: 2500,
      gcIntervalMs: 250,
      repairIntervalMs: 250,
      repairConcurrency: 4,
      repairBytesPerSec: 0,
      electionTimeoutMs: 500,
      ...this.opts.master,
    };
  }

  masterSlot(id: string): MasterSlot {
    const m = this.masters.find((x) => x.id === id);
    if (!m) throw new Error(`no master ${id}`);
    return m;
  }

  /** A slot for a master that is not one of the first members (start it, then add it to the group). */
  async addMasterSlot(id: string): Promise<MasterSlot> {
    const proxy = await TcpProxy.start('127.0.0.1:1');
    const m: MasterSlot = { id, dataDir: join(this.dir, id), address: proxy.address, proxy, proc: undefined, initial: false };
    this.masters.push(m);
    return m;
  }

  /** Starts (or restarts) master `id` of a group on its data directory, behind its proxy. */
  async startMaster(id: string): Promise<MasterSlot> {
    const m = this.masterSlot(id);
    if (m.proc) throw new Error(`master ${id} is running`);
    if (!m.proxy) throw new Error('a single master is not restarted through startMaster');
    m.proc = await this.#spawn(id, 'master', {
      ...this.#masterOptions(),
      dataDir: m.dataDir,
      listen: '127.0.0.1:0',
      nodeId: m.id,
      peers: this.masters.filter((x) => x.initial).map((x) => ({ id: x.id, address: x.address })),
    });
    m.proxy.retarget(m.proc.info.address);
    return m;
  }

  /** Sends a signal to master `id` and waits for it to exit (SIGKILL: a crash). */
  async stopMaster(id: string, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const m = this.masterSlot(id);
    const p = m.proc;
    if (!p) return;
    p.child.kill(signal);
    await p.exited;
    m.proc = undefined;
  }

  /** A master's /readyz: its role, leader and term (undefined when it does not answer). */
  async masterState(id: string): Promise<{ status: string; role: string; leader: string | null; term: number; applied_index: number } | undefined> {
    const p = this.masterSlot(id).proc;
    if (!p?.info.httpAddress) return undefined;
    try {
      const res = await fetch(`http://${p.info.httpAddress}/readyz`, { signal: AbortSignal.timeout(2000) });
      return (await res.json()) as { status: string; role: string; leader: string | null; term: number; applied_index: number };
    } catch {
      return undefined;
    }
  }

  /** Waits until exactly one running master serves as leader (and the others that answer agree). */
  async leader(timeoutMs = 30_000): Promise<MasterSlot> {
    return eventually(async () => {
      const states = await Promise.all(this.masters.map(async (m) => ({ m, s: m.proc ? await this.masterState(m.id) : undefined })));
      const ready = states.filter((x) => x.s?.status === 'ready');
      if (ready.length !== 1) throw new Error(`${ready.length} masters ready`);
      return ready[0]!.m;
    }, timeoutMs, 'one leading master', 50);
  }

  async #spawn(name: string, role: string, options: object): Promise<Proc> {
    const log = createWriteStream(join(this.dir, 'logs', `${name}.log`), { flags: 'a' });
    await once(log, 'open');
    const child = spawn(process.execPath, [FIXTURE, role, JSON.stringify(options)], { stdio: ['pipe', 'pipe', log] });
    children.add(child);
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => {
      children.delete(child);
      log.end();
      resolve(code);
    }));
    const lines = createInterface({ input: child.stdout! });
    const info = await new Promise<Proc['info']>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`${name} did not start within 20 s`)), 20_000);
      lines.once('line', (line) => {
        clearTimeout(t);
        try {
          resolve(JSON.parse(line) as Proc['info']);
        } catch (err) {
          reject(err as Error);
        }
      });
      void exited.then((code) => reject(new Error(`${name} exited with ${code} before listening (see ${join(this.dir, 'logs', `${name}.log`)})`)));
    });
    return { name, child, exited, info };
  }

  /** Starts (or restarts) chunkserver `i` on its data directory: same node id, a new port. */
  async startChunkserver(i: number): Promise<ChunkserverSlot> {
    const s = this.chunkservers[i]!;
    if (s.proc) throw new Error(`chunkserver ${i} is running`);
    s.proc = await this.#spawn(`cs${i}`, 'chunkserver', {
      dataDir: s.dataDir,
      listen: '127.0.0.1:0',
      master: this.masterAddresses.join(','),
      apiKey: this.opts.apiKey ?? KEY,
      scrubBytesPerSec: 0,
      ...this.opts.chunkserver?.(i),
    });
    s.nodeId = s.proc.info.nodeId!;
    s.address = s.proc.info.address;
    return s;
  }

  /** Sends a signal to chunkserver `i` and waits for it to exit (SIGKILL: a crash; SIGTERM: a clean stop). */
  async stopChunkserver(i: number, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const s = this.chunkservers[i]!;
    const p = s.proc;
    if (!p) return;
    p.child.kill(signal);
    await p.exited;
    s.proc = undefined;
  }

  byNodeId(id: string): ChunkserverSlot | undefined {
    return this.chunkservers.find((s) => s.nodeId === id);
  }

  /** chunk id → path of every chunk file on chunkserver `i`'s disk. */
  async chunkFiles(i: number): Promise<Map<number, string>> {
    const out = new Map<number, string>();
    const root = join(this.chunkservers[i]!.dataDir, 'chunks');
    let shards: string[];
    try {
      shards = await readdir(root);
    } catch {
      return out;
    }
    for (const shard of shards) {
      for (const n of await readdir(join(root, shard)).catch(() => [] as string[])) {
        const m = /^(\d+)\.chunk$/.exec(n);
        if (m) out.set(Number(m[1]), join(root, shard, n));
      }
    }
    return out;
  }

  /** Every chunk id on any chunkserver's disk → the indexes of the chunkservers holding it. */
  async allChunkFiles(): Promise<Map<number, number[]>> {
    const out = new Map<number, number[]>();
    for (const s of this.chunkservers) {
      for (const id of (await this.chunkFiles(s.index)).keys()) out.set(id, [...(out.get(id) ?? []), s.index]);
    }
    return out;
  }

  async waitFor(cond: () => Promise<boolean> | boolean, timeoutMs: number, what: string, pollMs = 100): Promise<number> {
    const t0 = Date.now();
    await eventually(cond, timeoutMs, what, pollMs);
    return Date.now() - t0;
  }


  /** The master's /metrics text. */
  async metrics(): Promise<string> {
    const res = await fetch(`http://${(this.masters.length > 1 ? (await this.leader()).proc! : this.master).info.httpAddress}/metrics`);
    return res.text();
  }

  /** The last lines of a process log (for failure messages). */
  async logTail(name: string, lines = 20): Promise<string> {
    const text = await readFile(join(this.dir, 'logs', `${name}.log`), 'utf8').catch(() => '');
    return text.trim().split('\n').slice(-lines).join('\n');
  }

  /** Kills every process (SIGKILL) and removes the directory (kept when GODFS_KEEP_TEST_DIRS is set). */
  async destroy(): Promise<void> {
    this.client?.close();
    const procs = [...new Set([this.master, ...this.masters.map((m) => m.proc), ...this.chunkservers.map((s) => s.proc)])].filter((p): p is Proc => p !== undefined);
    for (const p of procs) p.child.kill('SIGKILL');
    await Promise.all(procs.map((p) => p.exited));
    for (const s of this.chunkservers) s.proc = undefined;
    for (const m of this.masters) {
      m.proc = undefined;
      await m.proxy?.close();
    }
    await forgetLogs(this.#logs);
    if (process.env.GODFS_KEEP_TEST_DIRS) console.log(`      (kept ${this.dir})`);
    else await rm(this.dir, { recursive: true, force: true });
  }
}

/** A metric's value from Prometheus text: `name` (first sample, any labels) or `name{label="v"}` (exact). */
export function metricValue(text: string, name: string): number | undefined {
  const esc = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const m = new RegExp(`^${esc}${name.includes('{') ? '' : '(?:\\{[^}]*\\})?'} ([0-9.e+-]+)$`, 'm').exec(text);
  return m ? Number(m[1]) : undefined;
}
