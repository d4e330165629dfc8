// The masters of `godfs up --masters <n>`: a Raft group of 1, 3 or 5 masters with ids m1..mn on
// consecutive ports from --master-listen, one data directory each, every one started with --peers naming
// all of them. Also how `godfs up` tells the group is ready: exactly one master's /readyz answers 200
// (it leads) and that leader counts every chunkserver alive.
//
// Data directories: a single master keeps `<data>/master` (what `godfs up` always used, so existing data
// directories keep working); a group uses `<data>/master-m1`…`<data>/master-m<n>`. A data directory made
// with one group size is refused with another: an empty group started beside the state of another one
// would serve an empty namespace on the same chunkservers, and a member added with an empty directory
// but listed in --peers would bootstrap a group of its own. Resizing a group is `godfs admin raft
// add/remove` on masters run by hand (docs/operations.md).
import { readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { InvalidArgumentError } from 'commander';
import { formatHostPort, parseHostPort } from '../common/net.js';
import { UsageError } from './report.js';

export const MASTER_COUNTS: readonly number[] = [1, 3, 5];

/** The --masters / GODFS_UP_MASTERS parser: 1, 3 or 5. */
export function parseMasterCount(text: string): number {
  const t = text.trim();
  const n = /^\d+$/.test(t) ? Number(t) : NaN;
  if (!MASTER_COUNTS.includes(n)) {
    throw new InvalidArgumentError(
      `expected 1, 3 or 5, got ${JSON.stringify(text)} (a Raft group needs a majority: an even number of masters survives no more failures than one master fewer)`,
    );
  }
  return n;
}

export interface MasterPlan {
  /** Raft member id: m1..mn. */
  id: string;
  /** Child name (log file `<name>.log`, pids.json): `master` alone, `master-m1`… in a group. */
  name: string;
  /** What the master binds (--listen). */
  listen: string;
  /** Where the others reach it (its --peers entry, what clients take as --master). */
  address: string;
  dataDir: string;
}

/** An address others can connect to: a wildcard host becomes loopback. */
export function connectable(addr: string): string {
  const { host, port } = parseHostPort(addr);
  if (host === '0.0.0.0' || host === '') return formatHostPort('127.0.0.1', port);
  if (host === '::') return formatHostPort('::1', port);
  return formatHostPort(host, port);
}

/** The masters to start: ids, ports, data directories. Throws UsageError for a port range that cannot work. */
export function planMasters(count: number, masterListen: string, dataDir: string): MasterPlan[] {
  if (count === 1) return [{ id: 'm1', name: 'master', listen: masterListen, address: connectable(masterListen), dataDir: join(dataDir, 'master') }];
  const { host, port } = parseHostPort(masterListen);
  if (port === 0) throw new UsageError(`--masters ${count} needs a fixed --master-listen port (the masters take ${count} consecutive ports from it and name each other by them), not 0`);
  if (port + count - 1 > 65535) throw new UsageError(`--masters ${count} takes ports ${port}-${port + count - 1}: past 65535; choose a lower --master-listen port`);
  return Array.from({ length: count }, (_v, i) => {
    const listen = formatHostPort(host, port + i);
    const id = `m${i + 1}`;
    return { id, name: `master-${id}`, listen, address: connectable(listen), dataDir: join(dataDir, `master-${id}`) };
  });
}

/** `m1=a,m2=b,…`: what every master of the group gets as --peers. */
export function peersArg(masters: readonly MasterPlan[]): string {
  return masters.map((m) => `${m.id}=${m.address}`).join(',');
}

/** The other ports `godfs up` will bind must not be among the masters' (a clear error beats EADDRINUSE in a log). */
export function checkPortOverlap(masters: readonly MasterPlan[], others: Array<{ what: string; ports: number[] }>): void {
  if (masters.length === 1) return;
  const taken = new Map(masters.map((m) => [parseHostPort(m.listen).port, m.id]));
  for (const o of others) {
    const clash = o.ports.find((p) => p !== 0 && taken.has(p));
    if (clash !== undefined) throw new UsageError(`${o.what} port ${clash} is master ${taken.get(clash)}'s: with --masters ${masters.length} the masters take ports ${[...taken.keys()].join(', ')}`);
  }
}

async function holdsState(dir: string): Promise<boolean> {
  try {
    return (await readdir(dir)).length > 0;
  } catch {
    return false;
  }
}

/** Refuses a data directory whose masters were made with another --masters (see the file comment). */
export async function checkMasterDirs(dataDir: string, count: number): Promise<void> {
  let names: string[];
  try {
    names = await readdir(dataDir);
  } catch {
    return;
  }
  const members: number[] = [];
  for (const n of names) {
    const m = /^master-m(\d+)$/.exec(n);
    if (m && (await holdsState(join(dataDir, n)))) members.push(Number(m[1]));
  }
  const largest = Math.max(0, ...members);
  const single = names.includes('master') && (await holdsState(join(dataDir, 'master')));
  if (count === 1) {
    if (largest > 0 && !single) {
      throw new UsageError(`${dataDir} holds a group of ${largest} masters (master-m1…master-m${largest}); start it with --masters ${largest}`);
    }
    return;
  }
  if (largest === 0) {
    if (single) {
      throw new UsageError(
        `${join(dataDir, 'master')} holds the state of a single master: --masters ${count} would start a new, empty group beside it on the same chunkservers. ` +
          `Start it with --masters 1, or use a new --data directory for a group`,
      );
    }
    return;
  }
  if (largest !== count) {
    throw new UsageError(
      `${dataDir} holds a group of ${largest} masters (master-m1…master-m${largest}); start it with --masters ${largest} ` +
        `(a group changes size with godfs admin raft add/remove, not by restarting with another --masters)`,
    );
  }
}

/** `<data>/masters.json`: the group's members as first started (their addresses are in its Raft state). */
export const MASTERS_FILE = 'masters.json';

/**
 * A group's members find each other at the addresses they were first started with (kept in their Raft
 * state, where --peers is no longer read): the same data directory must be started on the same ports.
 * Records them on the first start of a group and refuses another --master-listen later.
 */
export async function checkGroupAddresses(dataDir: string, masters: readonly MasterPlan[]): Promise<void> {
  if (masters.length === 1) return;
  const file = join(dataDir, MASTERS_FILE);
  const want = peersArg(masters);
  let had: string | undefined;
  try {
    const v = JSON.parse(await readFile(file, 'utf8')) as { peers?: unknown };
    if (typeof v.peers === 'string') had = v.peers;
  } catch {
    // first start of this group (or an unreadable file: rewritten below)
  }
  // A file left beside masters that never wrote any state does not bind the ports.
  if (had !== undefined && had !== want && !(await Promise.all(masters.map((m) => holdsState(m.dataDir)))).some(Boolean)) had = undefined;
  if (had !== undefined && had !== want) {
    const first = /^m1=([^,]+)/.exec(had)?.[1];
    throw new UsageError(
      `${dataDir} holds a group of masters at ${had}, which find each other at those addresses: start it with --master-listen ${first ?? '<the first one>'} (not ${masters[0]!.listen})`,
    );
  }
  if (had !== want) {
    const tmp = `${file}.tmp`;
    await writeFile(tmp, JSON.stringify({ peers: want, masters: masters.map((m) => ({ id: m.id, address: m.address })) }, null, 2) + '\n');
    await rename(tmp, file);
  }
}

export interface MasterReadiness {
  id: string;
  /** 200 from /readyz: it leads and serves the Master API. */
  ready: boolean;
  role?: string;
  chunkserversAlive?: number;
}

/** One master's /readyz (undefined: no HTTP address yet, or no answer). */
export async function probeMaster(id: string, httpAddress: string | undefined): Promise<MasterReadiness | undefined> {
  if (!httpAddress) return undefined;
  try {
    const res = await fetch(`http://${connectable(httpAddress)}/readyz`, { signal: AbortSignal.timeout(2000) });
    const body = (await res.json().catch(() => ({}))) as { role?: unknown; chunkservers_alive?: unknown };
    return {
      id,
      ready: res.status === 200,
      ...(typeof body.role === 'string' ? { role: body.role } : {}),
      ...(typeof body.chunkservers_alive === 'number' ? { chunkserversAlive: body.chunkservers_alive } : {}),
    };
  } catch {
    return undefined;
  }
}

/** The group is ready when exactly one master answers 200 and it counts at least `chunkservers` alive. */
export function groupReady(answers: ReadonlyArray<MasterReadiness | undefined>, chunkservers: number): MasterReadiness | undefined {
  const leaders = answers.filter((a): a is MasterReadiness => a?.ready === true);
  if (leaders.length !== 1) return undefined;
  return (leaders[0]!.chunkserversAlive ?? 0) >= chunkservers ? leaders[0] : undefined;
}
