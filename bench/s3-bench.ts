// S3 rows of the benchmark: large PUT/GET MiB/s and small-object PUT/GET ops/s through the S3 API with
// @aws-sdk/client-s3 (default settings: CRC32 checksums, keep-alive sockets), each next to the same
// measurement through /v1 against the same cluster in the same run, alternating who goes first (small
// operations in interleaved rounds). Measured twice: client and cluster on the same CPUs, then — where
// taskset and two CPUs allow — the client pinned to a CPU of its own (bench/pin.ts), because the S3 SDK
// spends several times the CPU per request of the raw undici client /v1 is driven with, and on a shared
// 2-core box that is taken from the gateway. Both are printed, with each path's client and gateway CPU.
// Target (the S3 issue): S3 within 15% of /v1, i.e. S3 ÷ /v1 ≥ 0.85 on every row.
// `npm run bench` calls measureS3Sections(); `node dist/bench/s3-bench.js [--large-mib N] [--repeats N]
// [--ops N]` runs it alone on a fresh `godfs up`. A benchmark prints; it asserts nothing.
import { randomBytes } from 'node:crypto';
import { Agent } from 'node:http';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { Command, Option } from 'commander';
import type { Credentials } from '../cli/credentials.js';
import { parseCount } from '../cli/options.js';
import { startUp } from '../cli/up-process.js';
import type { PidsFile } from '../cli/up.js';
import { Loader, median, opsPerSecond } from './load.js';
import { pinApart } from './pin.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const MiB = 2 ** 20;
const PIECE = randomBytes(MiB);
const BUCKET = 'bench-s3';

export interface S3BenchOptions {
  endpoint: string;
  apiKey: string;
  /** The S3 root pair (credentials.json of `godfs up`). */
  accessKeyId: string;
  secretKey: string;
  region: string;
  largeMib: number;
  repeats: number;
  ops: number;
  concurrency: number;
  smallKib: number;
  /** Rounds the small operations are split into, rotating which path goes first (default 5). */
  rounds?: number;
}

export interface S3BenchRow {
  metric: string;
  unit: string;
  /** Throughput per path: '/v1', then one entry per S3 client variant. */
  values: Record<string, number>;
  /** Gateway CPU milliseconds per MiB (large rows) or per operation (small rows), per path. */
  gatewayCpu: Record<string, number>;
  /** The benchmark client's own CPU, same units: what each client library costs. */
  clientCpu: Record<string, number>;
  /** CPU of every server process (gateway, master, chunkservers), same units: what the path costs the cluster. */
  serverCpu: Record<string, number>;
}

const V1 = '/v1';
const VARIANTS = [
  { name: 'S3', note: '@aws-sdk/client-s3 defaults: CRC32 on every upload (aws-chunked trailer for streams), response checksums validated', config: {} },
  {
    name: 'S3 (WHEN_REQUIRED)',
    note: 'the same client with requestChecksumCalculation and responseChecksumValidation = WHEN_REQUIRED',
    config: { requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' } as const,
  },
];

function log(msg: string): void {
  process.stderr.write(`[bench] ${msg}\n`);
}

/** `size` bytes from one reused 1 MiB buffer, like the /v1 loader sends. */
function body(size: number): Readable {
  return Readable.from(
    (function* () {
      for (let left = size; left > 0; left -= PIECE.length) yield left >= PIECE.length ? PIECE : PIECE.subarray(0, left);
    })(),
    { objectMode: false },
  );
}

/** CPU milliseconds (user + system) a process has used so far; 0 when it cannot be read. */
async function cpuMs(pid: number | undefined): Promise<number> {
  if (pid === undefined) return 0;
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(f[11]) || 0) + (Number(f[12]) || 0)) * 10; // clock ticks of 10 ms (CLK_TCK 100)
}

/** Runs `count` operations, at most `concurrency` in flight, started no faster than `rate` per second. */
async function pacedOps(count: number, concurrency: number, rate: number, op: (i: number) => Promise<unknown>): Promise<void> {
  const t0 = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async () => {
      while (next < count) {
        const i = next++;
        const due = t0 + (i * 1000) / rate;
        const wait = due - performance.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        await op(i);
      }
    }),
  );
}

/** Every process of a `godfs up` cluster (for pinning). */
export function clusterPidsOf(p: PidsFile): number[] {
  return [p.up, p.master.pid, p.gateway.pid, ...p.chunkservers.map((c) => c.pid)].filter((x): x is number => typeof x === 'number');
}

/** Reads the S3 root pair `godfs up` keeps next to its data. */
export async function s3KeysOf(dataDir: string): Promise<{ accessKeyId: string; secretKey: string; region: string }> {
  const c = JSON.parse(await readFile(join(dataDir, 'credentials.json'), 'utf8')) as Credentials;
  if (!c.s3) throw new Error(`${dataDir}/credentials.json has no S3 key pair`);
  return { accessKeyId: c.s3.accessKeyId, secretKey: c.s3.secretKey, region: c.s3.region ?? 'us-east-1' };
}

interface Path {
  name: string;
  put(key: string, size: number, small?: Buffer): Promise<unknown>;
  /** Resolves with the byte count read. */
  get(key: string): Promise<number>;
}

export async function measureS3(o: S3BenchOptions & { gatewayPid?: number; clusterPids?: number[] }): Promise<S3BenchRow[]> {
  const agents: Agent[] = [];
  const clients: S3Client[] = [];
  const v1 = new Loader({ name: 'godfs', endpoint: o.endpoint, headers: { authorization: `Bearer ${o.apiKey}` } }, o.concurrency);
  const paths: Path[] = [
    { name: V1, put: (k, size, small) => v1.put(`/${BUCKET}/${k}`, size, small), get: async (k) => (await v1.get(`/${BUCKET}/${k}`)).bytes },
    ...VARIANTS.map((v): Path => {
      const agent = new Agent({ keepAlive: true, maxSockets: o.concurrency });
      const s3 = new S3Client({ endpoint: o.endpoint, region: o.region, forcePathStyle: true, credentials: { accessKeyId: o.accessKeyId, secretAccessKey: o.secretKey }, requestHandler: { httpAgent: agent }, ...v.config });
      agents.push(agent);
      clients.push(s3);
      return {
        name: v.name,
        put: (k, size, small) => s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: k, Body: small ?? body(size), ContentLength: size })),
        get: async (k) => {
          const r = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: k }));
          let bytes = 0;
          for await (const c of r.Body as Readable) bytes += (c as Buffer).length;
          return bytes;
        },
      };
    }),
  ];
  const size = o.largeMib * MiB;
  const acc = (m: Map<string, number[]>, k: string, v: number) => (m.get(k) ?? m.set(k, []).get(k)!).push(v);
  const put = new Map<string, number[]>();
  const get = new Map<string, number[]>();
  const putCpu = new Map<string, number[]>();
  const getCpu = new Map<string, number[]>();
  const putClient = new Map<string, number[]>();
  const getClient = new Map<string, number[]>();
  const putServer = new Map<string, number[]>();
  const getServer = new Map<string, number[]>();
  // Every server process (gateway, master, chunkservers; `up` itself idles): what a request costs the cluster.
  const serverPids = (o.clusterPids ?? (o.gatewayPid !== undefined ? [o.gatewayPid] : [])).filter((p) => p !== o.gatewayPid);
  const serverMs = async () => (await Promise.all([o.gatewayPid, ...serverPids].map((p) => cpuMs(p)))).reduce((a, b) => a + b, 0);
  const selfMs = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  };
  const timedCpu = async <T>(fn: () => Promise<T>) => {
    const c0 = await cpuMs(o.gatewayPid);
    const k0 = await serverMs();
    const s0 = selfMs();
    const t0 = process.hrtime.bigint();
    const value = await fn();
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    const client = selfMs() - s0;
    return { seconds, cpu: (await cpuMs(o.gatewayPid)) - c0, server: (await serverMs()) - k0, client, value };
  };
  try {
    await clients[0]!.send(new CreateBucketCommand({ Bucket: BUCKET })).catch((e: { name?: string }) => {
      if (e.name !== 'BucketAlreadyOwnedByYou') throw e;
    });
    for (const p of paths) {
      // Warm-up: sockets, JIT, first chunks, on every path.
      await p.put(`warmup-${paths.indexOf(p)}`, 8 * MiB);
      await p.get(`warmup-${paths.indexOf(p)}`);
    }
    for (let i = 0; i < o.repeats; i++) {
      const order = paths.map((_p, j) => paths[(i + j) % paths.length]!); // rotate who goes first
      for (const p of order) {
        const key = `large-${paths.indexOf(p)}-${i}`;
        const w = await timedCpu(() => p.put(key, size));
        const r = await timedCpu(() => p.get(key));
        if (r.value !== size) throw new Error(`${p.name} GET returned ${String(r.value)} bytes, expected ${size}`);
        acc(put, p.name, o.largeMib / w.seconds);
        acc(get, p.name, o.largeMib / r.seconds);
        acc(putCpu, p.name, w.cpu / o.largeMib);
        acc(getCpu, p.name, r.cpu / o.largeMib);
        acc(putClient, p.name, w.client / o.largeMib);
        acc(getClient, p.name, r.client / o.largeMib);
        acc(putServer, p.name, w.server / o.largeMib);
        acc(getServer, p.name, r.server / o.largeMib);
      }
      log(`${o.largeMib} MiB: ${paths.map((p) => `${p.name} PUT ${put.get(p.name)![i]!.toFixed(0)} GET ${get.get(p.name)![i]!.toFixed(0)} MiB/s`).join('; ')}`);
    }
    // Small operations in interleaved rounds (the path that goes first rotates), so drift over the run
    // (page cache, disk write-back, a neighbour) is shared by every path; medians of the rounds.
    const small = Buffer.alloc(o.smallKib * 1024, 9);
    const rounds = Math.max(1, Math.min(o.rounds ?? 5, o.ops));
    const perRound = Math.max(1, Math.floor(o.ops / rounds));
    const sm = new Map<string, { put: number[]; get: number[]; putCpu: number[]; getCpu: number[]; putClient: number[]; getClient: number[]; putServer: number[]; getServer: number[] }>();
    for (let round = 0; round < rounds; round++) {
      const order = paths.map((_p, j) => paths[(round + j) % paths.length]!);
      for (const p of order) {
        const prefix = `small-${paths.indexOf(p)}-${round}`;
        const m = sm.get(p.name) ?? sm.set(p.name, { put: [], get: [], putCpu: [], getCpu: [], putClient: [], getClient: [], putServer: [], getServer: [] }).get(p.name)!;
        const w = await timedCpu(() => opsPerSecond(perRound, o.concurrency, (i) => p.put(`${prefix}/${i}`, small.length, small)));
        const r = await timedCpu(() =>
          opsPerSecond(perRound, o.concurrency, async (i) => {
            if ((await p.get(`${prefix}/${i}`)) !== small.length) throw new Error(`${p.name}: small GET returned the wrong size`);
          }),
        );
        m.put.push(w.value);
        m.get.push(r.value);
        m.putCpu.push(w.cpu / perRound);
        m.getCpu.push(r.cpu / perRound);
        m.putClient.push(w.client / perRound);
        m.getClient.push(r.client / perRound);
        m.putServer.push(w.server / perRound);
        m.getServer.push(r.server / perRound);
      }
    }
    for (const p of paths) {
      const m = sm.get(p.name)!;
      log(`${o.smallKib} KiB × ${perRound * rounds} (${rounds} rounds): ${p.name} PUT ${median(m.put).toFixed(0)} GET ${median(m.get).toFixed(0)} ops/s`);
    }
    const ops = Object.fromEntries(
      [...sm].map(([name, m]) => [name, { put: median(m.put), get: median(m.get), putCpu: median(m.putCpu), getCpu: median(m.getCpu), putClient: median(m.putClient), getClient: median(m.getClient), putServer: median(m.putServer), getServer: median(m.getServer) }]),
    );
    // Server CPU per small operation at equal load: a server spends less per request when requests
    // come faster (more of them per event-loop turn, per epoll wake, per HTTP/2 write to the master), so
    // comparing paths at the rates their clients reach would charge the slower client's path extra.
    // Every path is paced at 80% of the slowest one's rate, in interleaved rounds, and the server CPU
    // (gateway + master + chunkservers) per op is what the paths cost the cluster.
    const pace = { put: 0.8 * Math.min(...paths.map((p) => ops[p.name]!.put)), get: 0.8 * Math.min(...paths.map((p) => ops[p.name]!.get)) };
    const paced = new Map<string, { put: number[]; get: number[] }>();
    for (let round = 0; round < rounds; round++) {
      for (const p of paths.map((_p, j) => paths[(round + j) % paths.length]!)) {
        const m = paced.get(p.name) ?? paced.set(p.name, { put: [], get: [] }).get(p.name)!;
        const prefix = `paced-${paths.indexOf(p)}-${round}`;
        const w = await timedCpu(() => pacedOps(perRound, o.concurrency, pace.put, (i) => p.put(`${prefix}/${i}`, small.length, small)));
        const r = await timedCpu(() => pacedOps(perRound, o.concurrency, pace.get, (i) => p.get(`${prefix}/${i}`)));
        m.put.push(w.server / perRound);
        m.get.push(r.server / perRound);
      }
    }
    for (const p of paths) {
      ops[p.name]!.putServer = median(paced.get(p.name)!.put);
      ops[p.name]!.getServer = median(paced.get(p.name)!.get);
    }
    log(`small ops paced at PUT ${pace.put.toFixed(0)} GET ${pace.get.toFixed(0)} ops/s: server CPU ${paths.map((p) => `${p.name} ${ops[p.name]!.putServer.toFixed(2)}/${ops[p.name]!.getServer.toFixed(2)}`).join(', ')} ms/op (PUT/GET)`);
    const per = (f: (name: string) => number) => Object.fromEntries(paths.map((p) => [p.name, f(p.name)]));
    return [
      {
        metric: `PUT ${o.largeMib} MiB (median of ${o.repeats})`, unit: 'MiB/s', values: per((n) => median(put.get(n)!)),
        gatewayCpu: per((n) => median(putCpu.get(n)!)), clientCpu: per((n) => median(putClient.get(n)!)), serverCpu: per((n) => median(putServer.get(n)!)),
      },
      {
        metric: `GET ${o.largeMib} MiB (median of ${o.repeats})`, unit: 'MiB/s', values: per((n) => median(get.get(n)!)),
        gatewayCpu: per((n) => median(getCpu.get(n)!)), clientCpu: per((n) => median(getClient.get(n)!)), serverCpu: per((n) => median(getServer.get(n)!)),
      },
      {
        metric: `PUT ${o.smallKib} KiB, ${o.concurrency} in flight (median of ${rounds} rounds)`, unit: 'ops/s', values: per((n) => ops[n]!.put),
        gatewayCpu: per((n) => ops[n]!.putCpu), clientCpu: per((n) => ops[n]!.putClient), serverCpu: per((n) => ops[n]!.putServer),
      },
      {
        metric: `GET ${o.smallKib} KiB, ${o.concurrency} in flight (median of ${rounds} rounds)`, unit: 'ops/s', values: per((n) => ops[n]!.get),
        gatewayCpu: per((n) => ops[n]!.getCpu), clientCpu: per((n) => ops[n]!.getClient), serverCpu: per((n) => ops[n]!.getServer),
      },
    ];
  } finally {
    for (const c of clients) c.destroy();
    for (const a of agents) a.destroy();
    await v1.close();
  }
}

function table(header: string[], cells: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) => c.map((x, i) => (i < 2 ? x.padEnd(widths[i]!) : x.padStart(widths[i]!))).join('  ');
  return [line(header), line(widths.map((n) => '-'.repeat(n))), ...cells.map(line)];
}

export interface S3Section {
  /** How the client and the cluster shared the CPUs in this measurement. */
  placement: 'shared' | 'pinned';
  heading: string;
  rows: S3BenchRow[];
}

/**
 * The S3 rows twice: with the client on the same cores as the cluster (what one box sees), and — when
 * the machine has two or more CPUs and taskset — with the client pinned to its own CPU (bench/pin.ts),
 * which compares the server paths rather than the client libraries. The target is read from the pinned
 * section when there is one.
 */
export async function measureS3Sections(o: S3BenchOptions & { gatewayPid?: number; clusterPids: number[] }): Promise<S3Section[]> {
  const sections: S3Section[] = [{ placement: 'shared', heading: 'client and cluster share every CPU', rows: await measureS3(o) }];
  const pin = await pinApart(o.clusterPids);
  if (!pin) {
    log('S3: cannot pin the client to its own CPU (one CPU, or no taskset): shared-CPU rows only');
    return sections;
  }
  try {
    log(`S3: client pinned to CPU ${pin.clientCpus}, cluster to CPU ${pin.clusterCpus}`);
    sections.push({ placement: 'pinned', heading: `client on its own CPU (${pin.clientCpus}), cluster on CPU ${pin.clusterCpus}`, rows: await measureS3(o) });
  } finally {
    await pin.restore();
  }
  return sections;
}

export function formatS3Sections(sections: S3Section[]): string {
  if (sections.length === 0) return '';
  const fmt = (n: number) => (n >= 100 ? n.toFixed(0) : n.toFixed(1));
  const names = VARIANTS.map((v) => v.name);
  const ratio = (r: S3BenchRow, n: string) => ((r.values[V1] ?? 0) > 0 ? r.values[n]! / r.values[V1]! : 0);
  const worst = (rows: S3BenchRow[], n: string) => Math.min(...rows.map((r) => ratio(r, n)));
  const judged = sections.find((x) => x.placement === 'pinned') ?? sections[0]!;
  const out: string[] = [''];
  for (const sec of sections) {
    out.push(
      ...table(
        [`S3 vs /v1 — ${sec.heading}`, 'unit', V1, ...names.flatMap((n) => [n, '÷/v1'])],
        sec.rows.map((r) => [r.metric, r.unit, fmt(r.values[V1]!), ...names.flatMap((n) => [fmt(r.values[n]!), ratio(r, n).toFixed(2)])]),
      ),
      `  worst ÷/v1: ${names.map((n) => `${n} ${worst(sec.rows, n).toFixed(2)}`).join('; ')}`,
      '',
    );
  }
  out.push(...VARIANTS.map((v) => `  ${v.name}: ${v.note}`));
  out.push(
    `target: S3 within 15% of /v1 on every row (read from the ${judged.placement === 'pinned' ? 'client-on-its-own-CPU' : 'shared-CPU'} rows) — ` +
      names.map((n) => `${n}: worst ${worst(judged.rows, n).toFixed(2)} (${worst(judged.rows, n) >= 0.85 ? 'met' : 'NOT met'})`).join('; '),
    '',
  );
  const shared = sections[0]!.rows;
  const cost = (r: S3BenchRow, n: string) => ((r.serverCpu[n] ?? 0) > 0 ? (r.serverCpu[V1] ?? 0) / r.serverCpu[n]! : 0);
  out.push(
    ...table(
      ['CPU per unit (shared-CPU run)', 'unit', ...[V1, ...names].flatMap((n) => [`server ${n}`, `gateway ${n}`, `client ${n}`]), ...names.map((n) => `/v1÷${n} server`)],
      shared.map((r) => [
        r.metric,
        r.unit === 'MiB/s' ? 'ms/MiB' : 'ms/op',
        ...[V1, ...names].flatMap((n) => [(r.serverCpu[n] ?? 0).toFixed(2), (r.gatewayCpu[n] ?? 0).toFixed(2), (r.clientCpu[n] ?? 0).toFixed(2)]),
        ...names.map((n) => cost(r, n).toFixed(2)),
      ]),
    ),
    '  server: gateway + master + chunkservers (small rows: with every path paced at the same rate); client: the benchmark process —',
    '  undici for /v1, @aws-sdk/client-s3 for S3',
    '  (signing, middleware, checksums, XML). /v1÷S3 server ≥ 0.85: the S3 path costs the cluster at most ~15% more.',
    `  server-side cost of the S3 path: ${names.map((n) => `${n}: worst ${Math.min(...shared.map((r) => cost(r, n))).toFixed(2)}`).join('; ')}`,
    '',
  );
  return out.join('\n');
}

async function main(): Promise<void> {
  const num = (v: string) => parseCount(v, 1);
  const o = new Command('s3-bench')
    .addOption(new Option('--large-mib <n>', 'size of the large object (MiB)').env('GODFS_BENCH_LARGE_MIB').argParser(num).default(256))
    .addOption(new Option('--repeats <n>', 'repeats of the large PUT/GET (median reported)').env('GODFS_BENCH_REPEATS').argParser(num).default(3))
    .addOption(new Option('--ops <n>', 'small operations per kind').env('GODFS_BENCH_OPS').argParser(num).default(500))
    .addOption(new Option('--concurrency <n>', 'small operations in flight').env('GODFS_BENCH_CONCURRENCY').argParser(num).default(8))
    .addOption(new Option('--small-kib <n>', 'size of a small object (KiB)').env('GODFS_BENCH_SMALL_KIB').argParser(num).default(4))
    .addOption(new Option('--chunkservers <n>', 'chunkservers of the godfs cluster').env('GODFS_BENCH_CHUNKSERVERS').argParser(num).default(3))
    .parse(process.argv)
    .opts<{ largeMib: number; repeats: number; ops: number; concurrency: number; smallKib: number; chunkservers: number }>();
  const dir = await mkdtemp(join(tmpdir(), 'godfs-s3-bench-'));
  const up = await startUp({ dataDir: join(dir, 'godfs'), chunkservers: o.chunkservers, replication: 1 });
  try {
    const keys = await s3KeysOf(up.dataDir);
    const pids = await up.pids();
    const sections = await measureS3Sections({
      endpoint: up.endpoint, apiKey: up.apiKey, ...keys, gatewayPid: pids.gateway.pid, clusterPids: clusterPidsOf(pids),
      largeMib: o.largeMib, repeats: o.repeats, ops: o.ops, concurrency: o.concurrency, smallKib: o.smallKib,
    });
    process.stdout.write(`\ngodfs S3 bench — node ${process.version}, godfs up with ${o.chunkservers} chunkservers, replication 1\n${formatS3Sections(sections)}`);
  } finally {
    await up.stop(60_000).catch(() => up.kill());
    await rm(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().then(
    () => process.exit(0),
    (err: unknown) => {
      process.stderr.write(`S3 bench failed: ${(err as Error).stack ?? String(err)}\n`);
      process.exit(1);
    },
  );
}
