// Mount rows of the benchmark: sequential write and read MiB/s through a FUSE mount (`godfs mount`, a
// separate process, driven by dd) next to /v1 PUT/GET of the same size against the same cluster, in
// the same run. Targets (issue 5): mount write ≥ 100 MB/s, mount read ≥ 0.5 × /v1 read.
// `npm run bench` calls measureMount(); `node dist/bench/mount-bench.js [--size-mib N] [--repeats N]`
// runs it alone on a fresh `godfs up`. A benchmark prints; it asserts nothing.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Command, Option } from 'commander';
import { parseCount } from '../cli/options.js';
import { startUp } from '../cli/up-process.js';
import { shOk, startMount, type MountProcess } from '../test/mount.js';
import { Loader, median } from './load.js';

const MiB = 2 ** 20;

export interface MountBenchOptions {
  master: string;
  apiKey: string;
  /** http://host:port of the gateway, for the /v1 rows. */
  endpoint: string;
  sizeMib: number;
  repeats: number;
}

export interface MountBenchRow {
  metric: string;
  v1: number;
  mount: number;
}

function log(msg: string): void {
  process.stderr.write(`[bench] ${msg}\n`);
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t0 = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

/** Runs the mount measurements; returns no rows (and says why) when this machine cannot mount FUSE. */
export async function measureMount(o: MountBenchOptions): Promise<MountBenchRow[]> {
  let m: MountProcess;
  try {
    m = await startMount({ master: o.master, apiKey: o.apiKey });
  } catch (err) {
    log(`mount rows skipped: ${(err as Error).message.split('\n').slice(0, 3).join(' ')}`);
    return [];
  }
  const loader = new Loader({ name: 'godfs', endpoint: o.endpoint, headers: { authorization: `Bearer ${o.apiKey}` } }, 1);
  const size = o.sizeMib * MiB;
  const w = { v1: [] as number[], mount: [] as number[] };
  const r = { v1: [] as number[], mount: [] as number[] };
  try {
    await shOk(`mkdir -p ${m.mnt}/bench-mount`);
    for (let i = 0; i < o.repeats; i++) {
      w.v1.push(o.sizeMib / (await loader.put(`/bench-mount/v1-${i}.bin`, size)));
      const g = await loader.get(`/bench-mount/v1-${i}.bin`);
      r.v1.push(o.sizeMib / g.seconds);
      const file = `${m.mnt}/bench-mount/mount-${i}.bin`;
      // conv=fsync: the time includes writing back every buffered byte (durable, like the /v1 PUT).
      w.mount.push(o.sizeMib / (await timed(() => shOk(`dd if=/dev/zero of=${file} bs=1M count=${o.sizeMib} conv=fsync status=none`))));
      // A new open drops the kernel's page cache for the file (no kernel_cache), so this reads the cluster.
      r.mount.push(o.sizeMib / (await timed(() => shOk(`dd if=${file} of=/dev/null bs=1M status=none`))));
      log(
        `${o.sizeMib} MiB: /v1 PUT ${w.v1[i]!.toFixed(0)} GET ${r.v1[i]!.toFixed(0)} MiB/s; mount write ${w.mount[i]!.toFixed(0)} read ${r.mount[i]!.toFixed(0)} MiB/s`,
      );
    }
  } finally {
    await loader.close();
    await m.stop();
  }
  return [
    { metric: `sequential write ${o.sizeMib} MiB (median of ${o.repeats})`, v1: median(w.v1), mount: median(w.mount) },
    { metric: `sequential read ${o.sizeMib} MiB (median of ${o.repeats})`, v1: median(r.v1), mount: median(r.mount) },
  ];
}

export function formatMountRows(rows: MountBenchRow[]): string {
  if (rows.length === 0) return '';
  const header = ['mount (FUSE) vs /v1', 'unit', '/v1', 'mount', 'mount÷/v1'];
  const cells = rows.map((x) => [x.metric, 'MiB/s', x.v1.toFixed(0), x.mount.toFixed(0), x.v1 > 0 ? (x.mount / x.v1).toFixed(2) : '-']);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) => c.map((x, i) => (i < 2 ? x.padEnd(widths[i]!) : x.padStart(widths[i]!))).join('  ');
  const write = rows[0]!.mount * 1.048576;
  const readRatio = rows[1] && rows[1].v1 > 0 ? rows[1].mount / rows[1].v1 : 0;
  return [
    line(header),
    line(widths.map((n) => '-'.repeat(n))),
    ...cells.map(line),
    `targets: mount write ≥ 100 MB/s (${write.toFixed(0)} MB/s: ${write >= 100 ? 'met' : 'NOT met'}), mount read ≥ 0.5 × /v1 (${readRatio.toFixed(2)}: ${readRatio >= 0.5 ? 'met' : 'NOT met'})`,
    '',
  ].join('\n');
}

async function main(): Promise<void> {
  const num = (v: string) => parseCount(v, 1);
  const o = new Command('mount-bench')
    .addOption(new Option('--size-mib <n>', 'file size (MiB)').env('GODFS_BENCH_LARGE_MIB').argParser(num).default(256))
    .addOption(new Option('--repeats <n>', 'repeats (median reported)').env('GODFS_BENCH_REPEATS').argParser(num).default(3))
    .addOption(new Option('--chunkservers <n>', 'chunkservers of the godfs cluster').env('GODFS_BENCH_CHUNKSERVERS').argParser(num).default(3))
    .parse(process.argv)
    .opts<{ sizeMib: number; repeats: number; chunkservers: number }>();
  const dir = await mkdtemp(join(tmpdir(), 'godfs-mount-bench-'));
  const up = await startUp({ dataDir: join(dir, 'godfs'), chunkservers: o.chunkservers, replication: 1 });
  try {
    const rows = await measureMount({ master: up.master, apiKey: up.apiKey, endpoint: up.endpoint, sizeMib: o.sizeMib, repeats: o.repeats });
    process.stdout.write(`\ngodfs mount bench — node ${process.version}, godfs up with ${o.chunkservers} chunkservers, replication 1\n${formatMountRows(rows)}`);
  } finally {
    await up.stop(60_000).catch(() => up.kill());
    await rm(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().then(
    () => process.exit(0),
    (err: unknown) => {
      process.stderr.write(`mount bench failed: ${(err as Error).stack ?? String(err)}\n`);
      process.exit(1);
    },
  );
}
