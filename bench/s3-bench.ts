// S3 rows of the benchmark: large PUT/GET MiB/s and small-object PUT/GET ops/s through the S3 API with
// @aws-sdk/client-s3 (default settings: CRC32 checksums, keep-alive sockets), each next to the same
// measurement through /v1 against the same cluster in the same run, alternating who goes first.
// Target (the S3 issue): S3 within 15% of /v1, i.e. S3 ÷ /v1 ≥ 0.85 on every row.
// `npm run bench` calls measureS3(); `node dist/bench/s3-bench.js [--large-mib N] [--repeats N] [--ops N]`
// runs it alone on a fresh `godfs up`. A benchmark prints; it asserts nothing.
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
import { Loader, median, opsPerSecond } from './load.js';

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
}

export interface S3BenchRow {
  metric: string;
  unit: string;
  /** Throughput per path: '/v1', then one entry per S3 client variant. */
  values: Record<string, number>;
  /** Gateway CPU milliseconds per MiB (large rows) or per operation (small rows), per path. */
  gatewayCpu: Record<string, number>;
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

export async function measureS3(o: S3BenchOptions & { gatewayPid?: number }): Promise<S3BenchRow[]> {
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
  const timedCpu = async (fn: () => Promise<unknown>) => {
    const c0 = await cpuMs(o.gatewayPid);
    const t0 = process.hrtime.bigint();
    const value = await fn();
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    return { seconds, cpu: (await cpuMs(o.gatewayPid)) - c0, value };
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
      }
      log(`${o.largeMib} MiB: ${paths.map((p) => `${p.name} PUT ${put.get(p.name)![i]!.toFixed(0)} GET ${get.get(p.name)![i]!.toFixed(0)} MiB/s`).join('; ')}`);
    }
    const small = Buffer.alloc(o.smallKib * 1024, 9);
    const ops: Record<string, { put: number; get: number; putCpu: number; getCpu: number }> = {};
    for (const p of paths) {
      const prefix = `small-${paths.indexOf(p)}`;
      const c0 = await cpuMs(o.gatewayPid);
      const w = await opsPerSecond(o.ops, o.concurrency, (i) => p.put(`${prefix}/${i}`, small.length, small));
      const c1 = await cpuMs(o.gatewayPid);
      const r = await opsPerSecond(o.ops, o.concurrency, async (i) => {
        if ((await p.get(`${prefix}/${i}`)) !== small.length) throw new Error(`${p.name}: small GET returned the wrong size`);
      });
      ops[p.name] = { put: w, get: r, putCpu: (c1 - c0) / o.ops, getCpu: ((await cpuMs(o.gatewayPid)) - c1) / o.ops };
      log(`${o.smallKib} KiB × ${o.ops}: ${p.name} PUT ${w.toFixed(0)} GET ${r.toFixed(0)} ops/s`);
    }
    const per = (f: (name: string) => number) => Object.fromEntries(paths.map((p) => [p.name, f(p.name)]));
    return [
      { metric: `PUT ${o.largeMib} MiB (median of ${o.repeats})`, unit: 'MiB/s', values: per((n) => median(put.get(n)!)), gatewayCpu: per((n) => median(putCpu.get(n)!)) },
      { metric: `GET ${o.largeMib} MiB (median of ${o.repeats})`, unit: 'MiB/s', values: per((n) => median(get.get(n)!)), gatewayCpu: per((n) => median(getCpu.get(n)!)) },
      { metric: `PUT ${o.smallKib} KiB × ${o.ops}, ${o.concurrency} in flight`, unit: 'ops/s', values: per((n) => ops[n]!.put), gatewayCpu: per((n) => ops[n]!.putCpu) },
      { metric: `GET ${o.smallKib} KiB × ${o.ops}, ${o.concurrency} in flight`, unit: 'ops/s', values: per((n) => ops[n]!.get), gatewayCpu: per((n) => ops[n]!.getCpu) },
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

export function formatS3Rows(rows: S3BenchRow[]): string {
  if (rows.length === 0) return '';
  const fmt = (n: number) => (n >= 100 ? n.toFixed(0) : n.toFixed(1));
  const names = VARIANTS.map((v) => v.name);
  const ratio = (r: S3BenchRow, n: string) => ((r.values[V1] ?? 0) > 0 ? r.values[n]! / r.values[V1]! : 0);
  const main = table(
    ['S3 vs /v1 (same cluster, same run)', 'unit', V1, ...names.flatMap((n) => [n, '÷/v1'])],
    rows.map((r) => [r.metric, r.unit, fmt(r.values[V1]!), ...names.flatMap((n) => [fmt(r.values[n]!), ratio(r, n).toFixed(2)])]),
  );
  const cpu = table(
    ['gateway CPU', 'unit', V1, ...names],
    rows.map((r) => [r.metric, r.unit === 'MiB/s' ? 'ms/MiB' : 'ms/op', ...[V1, ...names].map((n) => (r.gatewayCpu[n] ?? 0).toFixed(2))]),
  );
  const worst = (n: string) => Math.min(...rows.map((r) => ratio(r, n)));
  return [
    '',
    ...main,
    ...VARIANTS.map((v) => `  ${v.name}: ${v.note}`),
    `target: S3 within 15% of /v1 on every row — ${names.map((n) => `${n}: worst ${worst(n).toFixed(2)} (${worst(n) >= 0.85 ? 'met' : 'NOT met'})`).join('; ')}`,
    '',
    ...cpu,
    '',
  ].join('\n');
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
    const gatewayPid = (await up.pids()).gateway.pid;
    const rows = await measureS3({ endpoint: up.endpoint, apiKey: up.apiKey, ...keys, gatewayPid, largeMib: o.largeMib, repeats: o.repeats, ops: o.ops, concurrency: o.concurrency, smallKib: o.smallKib });
    process.stdout.write(`\ngodfs S3 bench — node ${process.version}, godfs up with ${o.chunkservers} chunkservers, replication 1\n${formatS3Rows(rows)}`);
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
