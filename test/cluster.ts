// In-process test cluster: a master and N chunkservers on temp dirs and 127.0.0.1 ephemeral ports,
// plus an sdk client. Real disks, real sockets; restartable on the same directories.
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startChunkserver, type ChunkserverHandle } from '../cluster/chunkserver/server.js';
import { startMaster, type MasterHandle } from '../cluster/master/server.js';
import { GodfsClient, type ClientOptions } from '../sdk/client.js';
import { eventually } from './eventually.js';

export interface TestClusterOptions {
  chunkservers?: number;
  replication?: number;
  maxChunkSize?: number;
  apiKey?: string;
  gcGraceMs?: number;
  dir?: string;
  /** Short-circuit reads by `client` (default true, as for any client on the chunkservers' host). */
  shortCircuitReads?: boolean;
  /** The master's upload expiry (default 24 h). */
  uploadMaxAgeMs?: number;
}

export class TestCluster {
  dir: string;
  opts: Required<Omit<TestClusterOptions, 'dir'>>;
  master!: MasterHandle;
  chunkservers: ChunkserverHandle[] = [];
  client!: GodfsClient;
  #masterPort = 0;

  private constructor(dir: string, opts: TestClusterOptions) {
    this.dir = dir;
    this.opts = {
      chunkservers: opts.chunkservers ?? 1,
      replication: opts.replication ?? 1,
      maxChunkSize: opts.maxChunkSize ?? 64 * 2 ** 20,
      apiKey: opts.apiKey ?? 'test-key',
      gcGraceMs: opts.gcGraceMs ?? 10 * 60_000,
      shortCircuitReads: opts.shortCircuitReads ?? true,
      uploadMaxAgeMs: opts.uploadMaxAgeMs ?? 24 * 3600_000,
    };
  }

  static async start(opts: TestClusterOptions = {}): Promise<TestCluster> {
    const dir = opts.dir ?? (await mkdtemp(join(tmpdir(), 'godfs-test-')));
    const c = new TestCluster(dir, opts);
    await c.#boot();
    return c;
  }

  async #boot(): Promise<void> {
    const o = this.opts;
    await this.#bootMaster();
    this.chunkservers = [];
    for (let i = 0; i < o.chunkservers; i++) {
      this.chunkservers.push(
        await startChunkserver({ dataDir: join(this.dir, `cs${i}`), listen: '127.0.0.1:0', master: this.master.address, apiKey: o.apiKey, maxChunkSize: o.maxChunkSize }),
      );
    }
    this.client = new GodfsClient({ master: this.master.address, apiKey: o.apiKey, shortCircuitReads: o.shortCircuitReads });
    await this.waitForNodes(o.chunkservers);
  }

  async #bootMaster(): Promise<void> {
    const o = this.opts;
    this.master = await startMaster({
      dataDir: join(this.dir, 'master'),
      listen: `127.0.0.1:${this.#masterPort}`,
      apiKey: o.apiKey,
      replication: o.replication,
      maxChunkSize: o.maxChunkSize,
      heartbeatIntervalMs: 200,
      gcGraceMs: o.gcGraceMs,
      gcIntervalMs: 200,
      uploadMaxAgeMs: o.uploadMaxAgeMs,
    });
    this.#masterPort = Number(this.master.address.split(':').pop());
  }

  /** Restarts the master alone on its directory and port; clients and chunkservers reconnect. */
  async restartMaster(): Promise<void> {
    await this.master.close();
    await this.#bootMaster();
  }

  /** Another client of this cluster (for options the default one does not have). */
  newClient(opts: Partial<ClientOptions> = {}): GodfsClient {
    return new GodfsClient({ master: this.master.address, apiKey: this.opts.apiKey, ...opts });
  }

  async waitForNodes(n: number, timeoutMs = 20_000): Promise<void> {
    await eventually(async () => {
      const alive = (await this.client.clusterStats()).nodesAlive;
      if (alive < n) throw new Error(`only ${alive} of ${n} chunkservers registered`);
      return true;
    }, timeoutMs, `${n} chunkservers registered`, 50);
  }

  /** Stops every process and starts them again on the same directories (and master port). */
  async restart(): Promise<void> {
    await this.stopProcesses();
    await this.#boot();
  }

  async stopProcesses(): Promise<void> {
    this.client?.close();
    for (const cs of this.chunkservers) await cs.close();
    await this.master.close();
  }

  /** Paths of every chunk data file on every chunkserver's disk. */
  async chunkFiles(): Promise<string[]> {
    const out: string[] = [];
    const walk = async (d: string): Promise<void> => {
      let names: string[];
      try {
        names = await readdir(d);
      } catch {
        return;
      }
      for (const n of names) {
        const p = join(d, n);
        if (n.endsWith('.chunk')) out.push(p);
        else if (!n.includes('.')) await walk(p);
      }
    };
    for (let i = 0; i < this.opts.chunkservers; i++) await walk(join(this.dir, `cs${i}`, 'chunks'));
    return out;
  }

  async destroy(): Promise<void> {
    await this.stopProcesses();
    await rm(this.dir, { recursive: true, force: true });
  }
}
