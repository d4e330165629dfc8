// Pins the benchmark client and the cluster to different CPUs (Linux `taskset`), so a comparison of two
// server paths is not decided by how much CPU each client library burns on the same cores. Used for the
// S3-vs-/v1 rows: @aws-sdk/client-s3 costs several times the CPU per request of the raw undici client
// /v1 is driven with, and on a 2-core machine that cost is taken from the gateway. Clients of a real
// deployment run elsewhere; pinning models that. Without taskset or with one CPU, nothing is pinned.
import { execFile } from 'node:child_process';
import { cpus } from 'node:os';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface Pinning {
  clientCpus: string;
  clusterCpus: string;
  /** Gives every pinned process all CPUs again. */
  restore(): Promise<void>;
}

async function setAffinity(pid: number, list: string): Promise<void> {
  // -a: every thread (libuv's pool, V8's helpers), not only the main one.
  await run('taskset', ['-a', '-p', '-c', list, String(pid)]);
}

/** Client (this process) on CPU 0, the cluster's processes on the rest; undefined when not possible. */
export async function pinApart(clusterPids: number[]): Promise<Pinning | undefined> {
  const n = cpus().length;
  if (n < 2) return undefined;
  try {
    await run('taskset', ['-V']);
  } catch {
    return undefined;
  }
  const all = `0-${n - 1}`;
  const clientCpus = '0';
  const clusterCpus = n === 2 ? '1' : `1-${n - 1}`;
  const pids = [...new Set(clusterPids)];
  for (const pid of pids) await setAffinity(pid, clusterCpus);
  await setAffinity(process.pid, clientCpus);
  return {
    clientCpus,
    clusterCpus,
    async restore() {
      for (const pid of [...pids, process.pid]) await setAffinity(pid, all).catch(() => undefined);
    },
  };
}
