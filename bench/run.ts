// `npm run bench`: in one run, large PUT/GET MiB/s and small-object PUT/GET ops/s through /v1 of a
// godfs cluster (`godfs up`, replication 1, temp dir), each next to the same measurement against the
// ceiling (bench/ceiling-server.ts: node:http streaming to and from disk with fsync), plus the
// gateway's peak RSS while it moves a large object. A benchmark, not a test: it prints, it asserts
// nothing.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { Command, Option } from 'commander';
import { parseCount } from '../cli/options.js';
import { startUp, type UpProcess } from '../cli/up-process.js';
import { Loader, median, opsPerSecond, type Target } from './load.js';
import { formatMountRows, measureMount } from './mount-bench.js';
import { RssSampler, memoryOf } from './rss.js';
import { clusterPidsOf, formatS3Sections, measureS3Sections, s3KeysOf } from './s3-bench.js';

interface BenchOptions {
  largeMib: number;
  repeats: number;
  ops: number;
  concurrency: number;
  smallKib: number;
  rssMib: number;
  chunkservers: number;
  quick: boolean;
  json: boolean;
  keep: boolean;
}

const MiB = 2 ** 20;

function options(): BenchOptions {
  const num = (v: string) => parseCount(v, 1);
  const cmd = new Command('bench')
    .description('godfs benchmark: /v1 throughput and ops/s against a node:http-to-disk ceiling, and the gateway RSS')
    .addOption(new Option('--large-mib <n>', 'size of the large object (MiB)').env('GODFS_BENCH_LARGE_MIB').argParser(num))
    .addOption(new Option('--repeats <n>', 'repeats of the large PUT/GET (median reported)').env('GODFS_BENCH_REPEATS').argParser(num))
    .addOption(new Option('--ops <n>', 'small operations per kind').env('GODFS_BENCH_OPS').argParser(num))
    .addOption(new Option('--concurrency <n>', 'small operations in flight').env('GODFS_BENCH_CONCURRENCY').argParser(num).default(8))
    .addOption(new Option('--small-kib <n>', 'size of a small object (KiB)').env('GODFS_BENCH_SMALL_KIB').argParser(num).default(4))
    .addOption(new Option('--rss-mib <n>', 'size of the object moved while sampling the gateway RSS (MiB)').env('GODFS_BENCH_RSS_MIB').argParser(num))
    .addOption(new Option('--chunkservers <n>', 'chunkservers of the godfs cluster').env('GODFS_BENCH_CHUNKSERVERS').argParser(num).default(3))
    .addOption(new Option('--quick', 'smaller sizes for a fast look (64 MiB large, 100 ops, 256 MiB RSS object)').env('GODFS_BENCH_QUICK').default(false))
    .addOption(new Option('--json', 'also print the results as JSON').default(false))
    .addOption(new Option('--keep', 'keep the temp directory (data and logs)').default(false))
    .parse(process.argv);
  const o = cmd.opts<Partial<BenchOptions> & { quick: boolean; json: boolean; keep: boolean; concurrency: number; smallKib: number; chunkservers: number }>();
  return {
    largeMib: o.largeMib ?? (o.quick ? 64 : 256),
    repeats: o.repeats ?? 5,
    ops: o.ops ?? (o.quick ? 100 : 500),
    concurrency: o.concurrency,
    smallKib: o.smallKib,
    rssMib: o.rssMib ?? (o.quick ? 256 : 1024),
    chunkservers: o.chunkservers,
    quick: o.quick,
    json: o.json,
    keep: o.keep,
  };
}

async function startCeiling(dir: string): Promise<{ proc: ChildProcess; endpoint: string; pid: number }> {
  const script = fileURLToPath(new URL('./ceiling-server.js', import.meta.url));
  const proc = spawn(process.execPath, [script, '--dir', dir, '--listen', '127.0.0.1:0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await new Promise<string>((resolve, reject) => {
    const rl = createInterface({ input: proc.stdout! });
    rl.once('line', (l) => {
      rl.close();
      resolve(l);
    });
    proc.once('exit', (code) => reject(new Error(`ceiling server exited with ${code}`)));
  });
  const { address, pid } = JSON.parse(line) as { address: string; pid: number };
  proc.stdout!.resume();
  return { proc, endpoint: `http://${address}`, pid };
}

function log(msg: string): void {
  process.stderr.write(`[bench] ${msg}\n`);
}

interface Row {
  metric: string;
  unit: string;
  ceiling: number;
  godfs: number;
}

async function measureLarge(loaders: Loader[], o: BenchOptions): Promise<Row[]> {
  const size = o.largeMib * MiB;
  const puts = new Map<string, number[]>();
  const gets = new Map<string, number[]>();
  for (let i = 0; i < o.repeats; i++) {
    // Alternate who goes first, so drift (page cache, disk write-back) does not favour one side.
    for (const l of i % 2 === 0 ? loaders : [...loaders].reverse()) {
      const remote = `/bench/large-${i}.bin`;
      const tPut = await l.put(remote, size);
      const g = await l.get(remote);
      if (g.bytes !== size) throw new Error(`${l.target.name}: GET returned ${g.bytes} bytes, expected ${size}`);
      (puts.get(l.target.name) ?? puts.set(l.target.name, []).get(l.target.name)!).push(size / MiB / tPut);
      (gets.get(l.target.name) ?? gets.set(l.target.name, []).get(l.target.name)!).push(size / MiB / g.seconds);
      log(`${l.target.name}: ${o.largeMib} MiB PUT ${(size / MiB / tPut).toFixed(0)} MiB/s, GET ${(size / MiB / g.seconds).toFixed(0)} MiB/s`);
    }
  }
  const m = (map: Map<string, number[]>, n: string) => median(map.get(n) ?? [0]);
  return [
    { metric: `PUT ${o.largeMib} MiB (median of ${o.repeats})`, unit: 'MiB/s', ceiling: m(puts, 'ceiling'), godfs: m(puts, 'godfs') },
    { metric: `GET ${o.largeMib} MiB (median of ${o.repeats})`, unit: 'MiB/s', ceiling: m(gets, 'ceiling'), godfs: m(gets, 'godfs') },
  ];
}

async function measureSmall(loaders: Loader[], o: BenchOptions): Promise<Row[]> {
  const body = Buffer.alloc(o.smallKib * 1024, 7);
  const put: Record<string, number> = {};
  const get: Record<string, number> = {};
  for (const l of loaders) {
    put[l.target.name] = await opsPerSecond(o.ops, o.concurrency, (i) => l.put(`/bench/small/${i}.bin`, body.length, body));
    get[l.target.name] = await opsPerSecond(o.ops, o.concurrency, async (i) => {
      const g = await l.get(`/bench/small/${i}.bin`);
      if (g.bytes !== body.length) throw new Error(`${l.target.name}: small GET returned ${g.bytes} bytes`);
    });
    log(`${l.target.name}: ${o.smallKib} KiB PUT ${put[l.target.name]!.toFixed(0)} ops/s, GET ${get[l.target.name]!.toFixed(0)} ops/s`);
  }
  return [
    { metric: `PUT ${o.smallKib} KiB × ${o.ops}, ${o.concurrency} in flight`, unit: 'ops/s', ceiling: put.ceiling ?? 0, godfs: put.godfs ?? 0 },
    { metric: `GET ${o.smallKib} KiB × ${o.ops}, ${o.concurrency} in flight`, unit: 'ops/s', ceiling: get.ceiling ?? 0, godfs: get.godfs ?? 0 },
  ];
}

function fmt(n: number): string {
  return n >= 100 ? n.toFixed(0) : n.toFixed(1);
}

function printTable(rows: Row[], rss: { peakRssBytes: number; hwmBytes: number | undefined; baselineBytes: number | undefined }, o: BenchOptions): void {
  const header = ['metric', 'unit', 'ceiling', 'godfs', 'ratio'];
  const cells = rows.map((r) => [r.metric, r.unit, fmt(r.ceiling), fmt(r.godfs), r.ceiling > 0 ? (r.godfs / r.ceiling).toFixed(2) : '-']);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) => c.map((x, i) => (i === 0 || i === 1 ? x.padEnd(widths[i]!) : x.padStart(widths[i]!))).join('  ');
  const out = [
    '',
    `godfs bench — node ${process.version}, ${cpus().length} CPUs, godfs up with ${o.chunkservers} chunkservers, replication 1, client: undici keep-alive`,
    line(header),
    line(widths.map((w) => '-'.repeat(w))),
    ...cells.map(line),
    '',
    `gateway RSS while moving a ${o.rssMib} MiB object (PUT then GET): peak VmRSS ${(rss.peakRssBytes / MiB).toFixed(1)} MiB` +
      (rss.baselineBytes !== undefined ? ` (idle before: ${(rss.baselineBytes / MiB).toFixed(1)} MiB)` : '') +
      (rss.hwmBytes !== undefined ? `, VmHWM over the whole run ${(rss.hwmBytes / MiB).toFixed(1)} MiB` : ''),
    '',
  ];
  process.stdout.write(out.join('\n'));
}

async function main(): Promise<void> {
  const o = options();
  const dir = await mkdtemp(join(tmpdir(), 'godfs-bench-'));
  let ceiling: Awaited<ReturnType<typeof startCeiling>> | undefined;
  let up: UpProcess | undefined;
  const loaders: Loader[] = [];
  try {
    log(`temp dir ${dir}; large ${o.largeMib} MiB × ${o.repeats}, small ${o.smallKib} KiB × ${o.ops} at ${o.concurrency}, RSS object ${o.rssMib} MiB`);
    ceiling = await startCeiling(join(dir, 'ceiling'));
    log(`ceiling server at ${ceiling.endpoint}`);
    up = await startUp({ dataDir: join(dir, 'godfs'), chunkservers: o.chunkservers, replication: 1 });
    log(`godfs up at ${up.endpoint}`);
    const targets: Target[] = [
      { name: 'ceiling', endpoint: ceiling.endpoint, headers: {} },
      { name: 'godfs', endpoint: up.endpoint, headers: { authorization: `Bearer ${up.apiKey}` } },
    ];
    for (const t of targets) loaders.push(new Loader(t, o.concurrency));
    // Warm-up: connections, JIT, first chunk allocation.
    for (const l of loaders) {
      await l.put('/bench/warmup.bin', 8 * MiB);
      await l.get('/bench/warmup.bin');
    }

    const rows = [...(await measureLarge(loaders, o)), ...(await measureSmall(loaders, o))];

    const pids = await up.pids();
    const gatewayPid = pids.gateway.pid;
    if (gatewayPid === undefined) throw new Error('pids.json has no gateway pid');
    const baseline = await memoryOf(gatewayPid);
    const sampler = new RssSampler(gatewayPid);
    sampler.start(25);
    const godfs = loaders.find((l) => l.target.name === 'godfs')!;
    const tPut = await godfs.put('/bench/rss.bin', o.rssMib * MiB);
    const g = await godfs.get('/bench/rss.bin');
    const rss = await sampler.stop();
    log(`gateway: ${o.rssMib} MiB PUT ${(o.rssMib / tPut).toFixed(0)} MiB/s, GET ${(o.rssMib / g.seconds).toFixed(0)} MiB/s, ${rss.samples} RSS samples`);

    printTable(rows, { ...rss, baselineBytes: baseline?.rssBytes }, o);
    process.stdout.write(formatMountRows(await measureMount({ master: up.master, apiKey: up.apiKey, endpoint: up.endpoint, sizeMib: o.largeMib, repeats: o.repeats })));
    // S3 rows (bench/s3-bench.ts): the same sizes through @aws-sdk/client-s3, as a ratio to /v1 measured alongside.
    const s3 = await measureS3Sections({
      endpoint: up.endpoint, apiKey: up.apiKey, ...(await s3KeysOf(up.dataDir)), gatewayPid, clusterPids: clusterPidsOf(pids),
      largeMib: o.largeMib, repeats: o.repeats, ops: o.ops, concurrency: o.concurrency, smallKib: o.smallKib,
    });
    process.stdout.write(formatS3Sections(s3));
    if (o.json) {
      process.stdout.write(
        JSON.stringify(
          {
            options: o,
            rows: rows.map((r) => ({ ...r, ratio: r.ceiling > 0 ? r.godfs / r.ceiling : null })),
            s3,
            gateway: { peakRssMiB: rss.peakRssBytes / MiB, hwmMiB: rss.hwmBytes !== undefined ? rss.hwmBytes / MiB : null, idleRssMiB: baseline ? baseline.rssBytes / MiB : null },
          },
          null,
          2,
        ) + '\n',
      );
    }
  } finally {
    await Promise.all(loaders.map((l) => l.close().catch(() => undefined)));
    if (up) await up.stop(60_000).catch(() => up?.kill());
    if (ceiling) {
      ceiling.proc.kill('SIGTERM');
      await new Promise((r) => (ceiling!.proc.exitCode !== null ? r(null) : ceiling!.proc.once('exit', r)));
    }
    if (o.keep) log(`kept ${dir}`);
    else await rm(dir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`bench failed: ${(err as Error).stack ?? String(err)}\n`);
    process.exit(1);
  },
);
