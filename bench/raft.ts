// `npm run bench:raft`: what replicating the master costs and how fast it fails over, measured in one
// run on real processes (test/process-cluster.ts: masters and chunkservers on 127.0.0.1, real disks).
//   - metadata commits (mkdir through the sdk) per second at 1 and 16 in flight, on a group of three
//     masters next to the same load on a single master (a group of one: its own fsync, no network);
//     the ratio is the price of a quorum of fsyncs plus a round trip;
//   - failover: SIGKILL the leader, time until a client's next mkdir succeeds (median of --kills).
// A benchmark, not a test: it prints figures and ratios, it asserts nothing.
import { Command, Option } from 'commander';
import { parseCount } from '../cli/options.js';
import { ProcessCluster } from '../test/process-cluster.js';
import { median, opsPerSecond } from './load.js';

interface Opts {
  ops: number;
  kills: number;
  json: boolean;
}

function options(): Opts {
  const num = (v: string) => parseCount(v, 1);
  const cmd = new Command('bench:raft')
    .description('godfs benchmark: metadata commits/s on three Raft masters against one, and leader failover time')
    .addOption(new Option('--ops <n>', 'mkdirs per measurement').env('GODFS_BENCH_OPS').argParser(num).default(2000))
    .addOption(new Option('--kills <n>', 'leader kills for the failover median').env('GODFS_BENCH_KILLS').argParser(num).default(5))
    .addOption(new Option('--json', 'also print the results as JSON').default(false))
    .parse(process.argv);
  return cmd.opts<Opts>();
}

async function commits(c: ProcessCluster, prefix: string, ops: number, concurrency: number): Promise<number> {
  await c.client.mkdir(prefix, { parents: true });
  return opsPerSecond(ops, concurrency, (i) => c.client.mkdir(`${prefix}/d${i}`));
}

async function main(): Promise<void> {
  const o = options();
  const rows: Array<{ what: string; one: number; three: number }> = [];
  const failovers: number[] = [];
  // Alternate the order so neither setup always runs on a warmer machine.
  const results = new Map<string, { one?: number; three?: number }>();
  for (const order of [[1, 3], [3, 1]] as const) {
    for (const masters of order) {
      const c = await ProcessCluster.start({ chunkservers: 1, replication: 1, masters });
      try {
        for (const inflight of [1, 16]) {
          const r = await commits(c, `/b${order[0]}-${inflight}`, Math.ceil(o.ops / 2), inflight);
          const key = `mkdir/s, ${inflight} in flight`;
          const e = results.get(key) ?? {};
          if (masters === 1) e.one = (e.one ?? 0) + r / 2;
          else e.three = (e.three ?? 0) + r / 2;
          results.set(key, e);
        }
        if (masters === 3 && order[0] === 3) {
          for (let k = 0; k < o.kills; k++) {
            const leader = await c.leader();
            const t0 = performance.now();
            await c.stopMaster(leader.id, 'SIGKILL');
            for (;;) {
              try {
                await c.client.mkdir(`/failover-${k}`);
                break;
              } catch {
                // the election is running
              }
            }
            failovers.push(performance.now() - t0);
            await c.startMaster(leader.id);
          }
        }
      } finally {
        await c.destroy();
      }
    }
  }
  for (const [what, e] of results) rows.push({ what, one: e.one ?? 0, three: e.three ?? 0 });
  console.log('metadata commits (mkdir via the sdk), mean of two alternating runs');
  console.log('  what                       1 master   3 masters   3/1');
  for (const r of rows) console.log(`  ${r.what.padEnd(26)} ${r.one.toFixed(0).padStart(8)}   ${r.three.toFixed(0).padStart(9)}   ${(r.three / r.one).toFixed(2)}`);
  console.log(`failover (SIGKILL the leader → next mkdir acknowledged, election timeout 500 ms): median ${median(failovers).toFixed(0)} ms of ${failovers.length} [${failovers.map((x) => x.toFixed(0)).join(', ')}]`);
  if (o.json) console.log(JSON.stringify({ rows, failoverMs: failovers }));
}

await main();
