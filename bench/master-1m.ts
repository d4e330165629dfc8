// `npm run bench:master-1m`: the master with a large namespace (default 1 000 000 files), in this
// process on a real disk (a temp dir, fsync on), through its real parts: startMaster, its Raft member
// (cluster/raft/node.ts) and the Fsm. It answers:
//   - fill: how fast metadata creates commit through Raft on a single master when many are in flight
//     (commands proposed straight to the leader's store, skipping gRPC and the sdk, ~2000 in flight so
//     group commit batches them; the master's automatic snapshots every `snapshotEvery` entries run
//     meanwhile, as they would in production, and hold applying — hence the create latency figures);
//   - memory: RSS and heap used with that namespace, after a full GC;
//   - snapshot: how long an explicit snapshot of that state takes, its file size, and the longest
//     event-loop stall while it is written (a 10 ms timer; the body is generated in slices);
//   - restart: close the master and start a new one on the same data dir (same port), until it leads
//     having applied everything (snapshot restore + log tail replay), and memory after;
//   - catch-up: a new, empty master (m2) added as a learner; until it has applied the leader's commit
//     index (it receives the snapshot in pieces over gRPC, installs it, then the log tail). Both masters
//     run in this one process, so they share its event loop and CPU.
// Every phase also reports its longest event-loop gap, its longest GC pause and its peak RSS, so a stall
// can be told from a collection.
//
// Memory caveat, measured rather than assumed: a closed master stays in memory in this process. Its
// metrics registry (cluster/master/metrics.ts) gets prom-client's default metrics, whose GC
// PerformanceObserver is never disconnected; the registry holds the gauges, whose collect closures
// (cluster/master/server.ts) hold the store and its Fsm. So memory after the restart is reported both
// as measured and as the increase over the moment after close (the new master's own share).
//
// A benchmark, not a test: it prints figures, it asserts nothing.
import { rmSync } from 'node:fs';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks';
import v8 from 'node:v8';
import vm from 'node:vm';
import { Command, Option } from 'commander';
import { parseCount } from '../cli/options.js';
import { silentLogger } from '../common/log.js';
import { startMaster, type MasterHandle, type MasterOptions } from '../cluster/master/server.js';

interface Opts {
  files: number;
  perDir: number;
  inflight: number;
  snapshotEvery: number;
  follower: boolean;
  json: boolean;
}

function options(): Opts {
  const num = (min: number) => (v: string) => parseCount(v, min);
  const cmd = new Command('bench:master-1m')
    .description('godfs benchmark: a master with a million files — fill rate through Raft, RSS, snapshot, restart and follower catch-up times')
    .addOption(new Option('--files <n>', 'files in the namespace').env('GODFS_BENCH_FILES').argParser(num(1)).default(1_000_000))
    .addOption(new Option('--per-dir <n>', 'files per directory').argParser(num(1)).default(1000))
    .addOption(new Option('--inflight <n>', 'create proposals in flight during the fill').argParser(num(1)).default(2000))
    .addOption(new Option('--snapshot-every <n>', "the master's automatic snapshot interval, in entries (its default; 0 = off)").argParser(num(0)).default(20_000))
    .addOption(new Option('--no-follower', 'skip the follower catch-up'))
    .addOption(new Option('--json', 'also print the results as JSON').default(false))
    .parse(process.argv);
  return cmd.opts<Opts>();
}

const KEY = 'bench-master-1m-key';

// ---- measuring -------------------------------------------------------------------------------

/** A full garbage collection, where the runtime lets us have one (as state-codec.test.ts does). */
function fullGc(): boolean {
  const g = (globalThis as { gc?: () => void }).gc;
  try {
    if (g) g();
    else {
      v8.setFlagsFromString('--expose-gc');
      (vm.runInNewContext('gc') as () => void)();
    }
    return true;
  } catch {
    return false;
  }
}

interface Mem {
  rss: number;
  heapUsed: number;
  gc: boolean;
}

async function memory(): Promise<Mem> {
  // Let closed handles and timers go first; then twice (the first pass may leave finalizable objects).
  await new Promise((r) => setTimeout(r, 50));
  const gc = fullGc() && fullGc();
  const m = process.memoryUsage();
  return { rss: m.rss, heapUsed: m.heapUsed, gc };
}

interface PhaseStats {
  /** Longest gap between ticks of a 10 ms timer: the event loop's worst stall (≥ 10 ms by construction). */
  maxGapMs: number;
  /** Longest single GC pause, and all GC time, while the phase ran. */
  gcMaxMs: number;
  gcTotalMs: number;
  peakRss: number;
}

class PhaseMonitor {
  #timer: NodeJS.Timeout | undefined;
  #obs: PerformanceObserver | undefined;
  #last = 0;
  #t0 = 0;
  #s: PhaseStats = { maxGapMs: 0, gcMaxMs: 0, gcTotalMs: 0, peakRss: 0 };

  start(): this {
    this.#last = this.#t0 = performance.now();
    this.#s.peakRss = process.memoryUsage.rss();
    this.#timer = setInterval(() => {
      const now = performance.now();
      this.#s.maxGapMs = Math.max(this.#s.maxGapMs, now - this.#last);
      this.#last = now;
      this.#s.peakRss = Math.max(this.#s.peakRss, process.memoryUsage.rss());
    }, 10);
    this.#obs = new PerformanceObserver((list) => this.#gcs(list.getEntries()));
    this.#obs.observe({ entryTypes: ['gc'] });
    return this;
  }

  #gcs(entries: readonly PerformanceEntry[]): void {
    for (const e of entries) {
      // GC entries reach observers late (a forced GC just before the phase would be counted in it).
      if (e.startTime < this.#t0) continue;
      this.#s.gcMaxMs = Math.max(this.#s.gcMaxMs, e.duration);
      this.#s.gcTotalMs += e.duration;
    }
  }

  stop(): PhaseStats {
    clearInterval(this.#timer);
    // Entries are delivered asynchronously: take the ones not delivered yet before disconnecting.
    if (this.#obs) this.#gcs(this.#obs.takeRecords());
    this.#obs?.disconnect();
    // The stretch since the last tick counts too (a stall at the very end).
    this.#s.maxGapMs = Math.max(this.#s.maxGapMs, performance.now() - this.#last);
    this.#s.peakRss = Math.max(this.#s.peakRss, process.memoryUsage.rss());
    return this.#s;
  }
}

async function until(check: () => boolean, deadlineMs: number, what: string, pollMs = 5): Promise<void> {
  const end = Date.now() + deadlineMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out after ${deadlineMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, pollMs));
  }
}

async function dirBytes(dir: string): Promise<number> {
  let total = 0;
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) total += await dirBytes(p);
    else if (e.isFile()) total += (await stat(p)).size;
  }
  return total;
}

async function snapFile(dataDir: string): Promise<{ name: string; bytes: number } | undefined> {
  const raft = join(dataDir, 'raft');
  const name = (await readdir(raft)).filter((n) => n.endsWith('.snap')).sort().at(-1);
  return name ? { name, bytes: (await stat(join(raft, name))).size } : undefined;
}

/** A free port on 127.0.0.1 (the OS picks it; it is released at once). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const a = srv.address();
      srv.close(() => (a && typeof a === 'object' ? resolve(a.port) : reject(new Error('no port'))));
    });
  });
}

const mib = (b: number) => `${(b / 2 ** 20).toFixed(1)} MiB`;
const secs = (ms: number) => (ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${ms.toFixed(0)} ms`);
const int = (n: number) => Math.round(n).toLocaleString('en-US');
const stalls = (s: PhaseStats) => `${secs(s.maxGapMs)} / ${secs(s.gcMaxMs)} (GC ${secs(s.gcTotalMs)} in all) / ${mib(s.peakRss)}`;
const memText = (m: Mem) => `${mib(m.rss)} / ${mib(m.heapUsed)}`;
const signed = (b: number) => `${b >= 0 ? '+' : '−'}${mib(Math.abs(b))}`;
const memDelta = (a: Mem, b: Mem) => `${signed(a.rss - b.rss)} / ${signed(a.heapUsed - b.heapUsed)}`;

function percentile(sorted: Float64Array, p: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! : NaN;
}

const progress = (msg: string) => process.stderr.write(`[bench:master-1m] ${msg}\n`);

// ---- the phases ------------------------------------------------------------------------------

function masterOptions(dataDir: string, listen: string, o: Opts, extra: Partial<MasterOptions> = {}): MasterOptions {
  return {
    dataDir,
    listen,
    apiKey: KEY,
    logger: silentLogger,
    snapshotEvery: o.snapshotEvery,
    onFatal: (err) => {
      throw err instanceof Error ? err : new Error(String(err));
    },
    ...extra,
  };
}

interface FillResult {
  files: number;
  dirs: number;
  refused: number;
  firstRefusal: string | undefined;
  ms: number;
  createsPerSec: number;
  latencyMs: { p50: number; p99: number; p999: number; max: number };
  autoSnapshots: number;
  autoSnapshotSecs: number;
  autoSnapshotMaxSecs: number;
  stats: PhaseStats;
}

/** Proposes `files` creates (parents made on the way) with `inflight` proposals outstanding at once. */
async function fill(m: MasterHandle, o: Opts): Promise<FillResult> {
  const node = m.store.node;
  let autoSnapshots = 0;
  let autoSnapshotSecs = 0;
  let autoSnapshotMaxSecs = 0;
  const onSnap = (_i: number, s: number) => {
    autoSnapshots++;
    autoSnapshotSecs += s;
    autoSnapshotMaxSecs = Math.max(autoSnapshotMaxSecs, s);
  };
  node.on('snapshot', onSnap);
  const dirs = Math.ceil(o.files / o.perDir);
  const dw = String(dirs - 1).length;
  const fw = String(o.perDir - 1).length;
  const latency = new Float64Array(o.files);
  let next = 0;
  let done = 0;
  let refused = 0;
  let firstRefusal: string | undefined;
  const mon = new PhaseMonitor().start();
  const t0 = performance.now();
  let lastReport = t0;
  const worker = async () => {
    while (next < o.files) {
      const i = next++;
      const d = Math.floor(i / o.perDir);
      const f = i % o.perDir;
      const path = `/bench/d${String(d).padStart(dw, '0')}/f${String(f).padStart(fw, '0')}`;
      const s = performance.now();
      try {
        await m.store.propose({ op: 'create', path, exclusive: false, parents: true, mode: 0o644, uid: 0, gid: 0, now: Date.now() });
      } catch (err) {
        refused++;
        firstRefusal ??= `${path}: ${err instanceof Error ? err.message : String(err)}`;
      }
      const now = performance.now();
      latency[i] = now - s;
      done++;
      if (now - lastReport > 10_000) {
        lastReport = now;
        progress(`fill: ${int(done)}/${int(o.files)} (${int(done / ((now - t0) / 1000))} creates/s so far, rss ${mib(process.memoryUsage.rss())})`);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(o.inflight, o.files) }, worker));
  const ms = performance.now() - t0;
  const stats = mon.stop();
  node.off('snapshot', onSnap);
  latency.sort();
  return {
    files: o.files,
    dirs,
    refused,
    firstRefusal,
    ms,
    createsPerSec: (o.files / ms) * 1000,
    latencyMs: { p50: percentile(latency, 50), p99: percentile(latency, 99), p999: percentile(latency, 99.9), max: latency[latency.length - 1] ?? NaN },
    autoSnapshots,
    autoSnapshotSecs,
    autoSnapshotMaxSecs,
    stats,
  };
}

interface SnapshotResult {
  index: number;
  ms: number;
  bytes: number;
  file: string;
  stats: PhaseStats;
  waitedForAuto: boolean;
}

/**
 * One explicit snapshot, timed. node.snapshot() returns at once when an automatic one is being written:
 * then that one is awaited, one more command applied (so the state is past it), and the call repeated.
 */
async function snapshot(m: MasterHandle, dataDir: string): Promise<SnapshotResult> {
  const node = m.store.node;
  let waitedForAuto = false;
  for (let attempt = 0; attempt < 5; attempt++) {
    const events: number[] = [];
    const onSnap = (index: number) => events.push(index);
    node.on('snapshot', onSnap);
    const index = node.status().smApplied;
    const mon = new PhaseMonitor().start();
    const t0 = performance.now();
    await node.snapshot();
    const ms = performance.now() - t0;
    const stats = mon.stop();
    node.off('snapshot', onSnap);
    // The 'snapshot' event names the index written (the core's snapshotIndex follows a loop turn later).
    if (events.includes(index)) {
      const f = await snapFile(dataDir);
      return { index, ms, bytes: f?.bytes ?? NaN, file: f?.name ?? '?', stats, waitedForAuto };
    }
    waitedForAuto = true;
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error('node.snapshot() did nothing and no automatic snapshot finished within 10 min')), 600_000);
      node.once('snapshot', () => (clearTimeout(t), resolve()));
    });
    await m.store.propose({ op: 'mkdir', path: `/bench-snapshot-${attempt}`, parents: false, mode: 0o755, uid: 0, gid: 0, now: Date.now() });
  }
  throw new Error('could not take an explicit snapshot (an automatic one was always in progress)');
}

interface RestartResult {
  closeMs: number;
  startMs: number;
  readyMs: number;
  stats: PhaseStats;
  inodes: number;
  snapshotIndex: number;
  applied: number;
}

async function restart(old: MasterHandle, dataDir: string, listen: string, o: Opts, afterClose: (m: Mem) => void): Promise<{ m: MasterHandle; r: RestartResult }> {
  const tc = performance.now();
  await old.close();
  const closeMs = performance.now() - tc;
  afterClose(await memory());
  const mon = new PhaseMonitor().start();
  const t0 = performance.now();
  const m = await startMaster(masterOptions(dataDir, listen, o));
  const startMs = performance.now() - t0;
  await until(() => m.store.node.isLeaderReady, 600_000, 'the restarted master to lead');
  const readyMs = performance.now() - t0;
  const stats = mon.stop();
  const s = m.store.node.status();
  return { m, r: { closeMs, startMs, readyMs, stats, inodes: m.store.fsm.inodes.size, snapshotIndex: s.snapshotIndex, applied: s.smApplied } };
}

interface CatchUpResult {
  ms: number;
  addMs: number;
  /** Until the learner's core had the whole snapshot (its last piece accepted). */
  transferMs: number;
  target: number;
  snapshotBytes: number;
  inodes: number;
  stats: PhaseStats;
}

/** A new, empty master added as a learner; timed until it has applied the leader's commit index. */
async function catchUp(leader: MasterHandle, leaderDir: string, o: Opts, dir2: string): Promise<{ f: MasterHandle; r: CatchUpResult }> {
  // Not in its own peers list (empty): it starts with no configuration and waits to be added.
  const f = await startMaster(masterOptions(dir2, '127.0.0.1:0', o, { nodeId: 'm2', peers: [] }));
  const ln = leader.store.node;
  const fn = f.store.node;
  const snapshotBytes = (await snapFile(leaderDir))?.bytes ?? NaN;
  const mon = new PhaseMonitor().start();
  const t0 = performance.now();
  await ln.changeMembership({ type: 'add_learner', id: 'm2', address: f.address });
  const addMs = performance.now() - t0;
  let target = 0;
  let transferMs = NaN;
  let lastReport = t0;
  await until(
    () => {
      target = ln.status().commit;
      const fs = fn.status();
      const now = performance.now();
      if (Number.isNaN(transferMs) && fs.snapshotIndex > 0) transferMs = now - t0;
      if (now - lastReport > 10_000) {
        lastReport = now;
        progress(`catch-up: m2 applied ${int(fs.smApplied)} of ${int(target)} (leader's view: ${JSON.stringify(ln.status().progress['m2'])})`);
      }
      return fs.smApplied >= target;
    },
    1_800_000,
    'the learner to catch up',
  );
  const ms = performance.now() - t0;
  const stats = mon.stop();
  return { f, r: { ms, addMs, transferMs, target, snapshotBytes, inodes: f.store.fsm.inodes.size, stats } };
}

// ---- main ------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const o = options();
  const dir = await mkdtemp(join(tmpdir(), 'godfs-bench-1m-'));
  const dir2 = await mkdtemp(join(tmpdir(), 'godfs-bench-1m-m2-'));
  let m: MasterHandle | undefined;
  let f: MasterHandle | undefined;
  // Interrupted: the temp dirs (over half a GiB at 1M files) are removed all the same.
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.once(sig, () => {
      rmSync(dir, { recursive: true, force: true });
      rmSync(dir2, { recursive: true, force: true });
      process.exit(130);
    });
  }
  try {
    progress(`${int(o.files)} files, ${o.perDir} per directory, ${o.inflight} in flight, snapshotEvery ${o.snapshotEvery}; data in ${dir}`);
    // A fixed port, kept across the restart: the lone master's Raft configuration records the address it
    // first bound, and a new member answers the leader there (an ephemeral port on restart would leave
    // the learner replying to a dead address, stuck in probe).
    const listen = `127.0.0.1:${await freePort()}`;
    m = await startMaster(masterOptions(dir, listen, o));
    await until(() => m!.store.node.isLeaderReady, 20_000, 'the lone master to lead');
    const memStart = await memory();

    const fl = await fill(m, o);
    progress(`fill done: ${int(fl.createsPerSec)} creates/s`);
    const memFill = await memory();
    const inodes = m.store.fsm.inodes.size;
    const commitFill = m.store.node.status().commit;
    const raftBytesFill = await dirBytes(join(dir, 'raft'));

    progress('snapshot…');
    const sn = await snapshot(m, dir);
    const memSnap = await memory();
    const raftBytesSnap = await dirBytes(join(dir, 'raft'));

    progress('restart…');
    let memClosed: Mem | undefined;
    const rs = await restart(m, dir, listen, o, (x) => (memClosed = x));
    m = rs.m;
    const memRestart = await memory();

    let cu: CatchUpResult | undefined;
    let memFollower: Mem | undefined;
    if (o.follower) {
      progress('follower catch-up…');
      const c = await catchUp(m, dir, o, dir2);
      f = c.f;
      cu = c.r;
      memFollower = await memory();
    }

    const gcNote = memFill.gc ? 'after a full GC' : 'no GC available: not collected first';
    const rows: Array<[string, string]> = [
      ['namespace', `${int(fl.files)} files in ${int(fl.dirs)} dirs (${int(inodes)} inodes), commit index ${int(commitFill)} after the fill`],
      ['fill: creates through Raft (fsync on, 1 master)', `${int(fl.createsPerSec)} creates/s (${secs(fl.ms)}, ${o.inflight} in flight, ${fl.refused} refused)`],
      ['fill: create latency p50 / p99 / p99.9 / max', `${secs(fl.latencyMs.p50)} / ${secs(fl.latencyMs.p99)} / ${secs(fl.latencyMs.p999)} / ${secs(fl.latencyMs.max)}`],
      ['fill: automatic snapshots meanwhile', `${fl.autoSnapshots} (every ${int(o.snapshotEvery)} entries), ${(fl.autoSnapshotSecs).toFixed(1)} s in all (${((fl.autoSnapshotSecs * 1000 * 100) / fl.ms).toFixed(0)}% of the fill), longest ${fl.autoSnapshotMaxSecs.toFixed(1)} s`],
      ['fill: max loop gap / max GC pause / peak RSS', stalls(fl.stats)],
      ['fill: raft dir on disk after the fill', mib(raftBytesFill)],
      [`RSS / heap used at start (${gcNote})`, memText(memStart)],
      [`RSS / heap used after the fill (${gcNote})`, memText(memFill)],
      ['  per file (above start: RSS / heap used)', `${((memFill.rss - memStart.rss) / fl.files).toFixed(0)} B / ${((memFill.heapUsed - memStart.heapUsed) / fl.files).toFixed(0)} B`],
      ['snapshot: time (explicit node.snapshot())', `${secs(sn.ms)} at index ${int(sn.index)}${sn.waitedForAuto ? ' (an automatic one was running: waited for it first)' : ''}`],
      ['snapshot: file size', `${mib(sn.bytes)} (${sn.file}), ${(sn.bytes / fl.files).toFixed(0)} B per file`],
      ['snapshot: max loop gap / max GC pause / peak RSS', stalls(sn.stats)],
      ['RSS / heap used after the snapshot', memText(memSnap)],
      ['raft dir on disk after the snapshot (what a restart reads)', mib(raftBytesSnap)],
      ['restart: close the old master', secs(rs.r.closeMs)],
      ['  RSS / heap used after close (closed master still held)', memText(memClosed!)],
      ['restart: startMaster resolved (restore + log replay)', secs(rs.r.startMs)],
      ['restart: until isLeaderReady', `${secs(rs.r.readyMs)} (${int(rs.r.inodes)} inodes, snapshot ${int(rs.r.snapshotIndex)}, applied ${int(rs.r.applied)})`],
      ['restart: max loop gap / max GC pause / peak RSS', stalls(rs.r.stats)],
      ['RSS / heap used after the restart (measured)', memText(memRestart)],
      ['  the restarted master alone (over after-close)', memDelta(memRestart, memClosed!)],
    ];
    if (cu && memFollower) {
      rows.push(
        ['catch-up: new learner applied the commit index', `${secs(cu.ms)} (to ${int(cu.target)}, ${int(cu.inodes)} inodes; add_learner committed in ${secs(cu.addMs)})`],
        ['  of which: snapshot transfer / install + log tail', `${secs(cu.transferMs)} (${mib(cu.snapshotBytes)}, ${((cu.snapshotBytes / 2 ** 20 / cu.transferMs) * 1000).toFixed(1)} MiB/s) / ${secs(cu.ms - cu.transferMs)}`],
        ['catch-up: max loop gap / max GC pause / peak RSS', stalls(cu.stats)],
        ['RSS / heap used with both masters in process', memText(memFollower)],
        ['  the follower alone (over after-restart)', memDelta(memFollower, memRestart)],
      );
    } else {
      rows.push(['catch-up', 'skipped (--no-follower)']);
    }
    if (fl.firstRefusal) rows.push(['first refused create', fl.firstRefusal]);
    const w = Math.max(...rows.map(([k]) => k.length));
    console.log(`master with ${int(fl.files)} files (node ${process.version}, one process, data on ${tmpdir()}; loop gap = longest gap of a 10 ms timer)`);
    for (const [k, v] of rows) console.log(`  ${k.padEnd(w)}  ${v}`);
    if (o.json) {
      console.log(
        JSON.stringify({
          files: fl.files,
          dirs: fl.dirs,
          inodes,
          commitIndex: commitFill,
          options: { perDir: o.perDir, inflight: o.inflight, snapshotEvery: o.snapshotEvery },
          fill: { ...fl, raftDirBytes: raftBytesFill },
          raftDirBytesAfterSnapshot: raftBytesSnap,
          memory: { start: memStart, afterFill: memFill, afterSnapshot: memSnap, afterClose: memClosed, afterRestart: memRestart, withFollower: memFollower ?? null },
          snapshot: sn,
          restart: rs.r,
          catchUp: cu ?? null,
        }),
      );
    }
  } finally {
    await f?.close();
    await m?.close();
    await rm(dir, { recursive: true, force: true });
    await rm(dir2, { recursive: true, force: true });
  }
}

await main();
