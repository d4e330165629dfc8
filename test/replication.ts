// Replication checks shared by the multi-process fault tests: the chunk listing, "replication has
// settled", and the full check of every replica against the chunkservers' disks.
import assert from 'node:assert/strict';
import type { GodfsClient } from '../sdk/client.js';
import type { ChunkStatus } from '../sdk/types.js';
import { patternSha256, sha256Of } from './data.js';
import type { ProcessCluster } from './process-cluster.js';

export const MiB = 2 ** 20;

export async function allChunks(client: GodfsClient, opts: { underReplicated?: boolean; nodeId?: string; path?: string } = {}): Promise<ChunkStatus[]> {
  const out: ChunkStatus[] = [];
  let after: number | null = 0;
  while (after !== null) {
    const page = await client.listChunks({ ...opts, limit: 1000, afterChunkId: after });
    out.push(...page.chunks);
    after = page.nextAfterChunkId;
  }
  return out;
}

/**
 * What keeps a chunk listing from being settled: a chunk below or above its goal, a replica that is
 * not live, or one on a node in `notOn`. A repair brings a chunk back to its goal first (the master's
 * under-replicated count drops to 0 then) and removes the replicas that no longer count (on a dead
 * node, corrupt, draining, in excess) only afterwards: "nothing under-replicated" alone is not settled.
 */
export function unsettled(chunks: ChunkStatus[], notOn: string[] = []): string[] {
  const out: string[] = [];
  for (const ch of chunks) {
    const states = ch.replicas.map((r) => `${r.nodeId}:${r.state}`).join(',');
    if (ch.replicas.length !== ch.goal) out.push(`chunk ${ch.chunkId}: ${ch.replicas.length} replicas for goal ${ch.goal} (${states})`);
    else if (ch.replicas.some((r) => r.state !== 'live' || notOn.includes(r.nodeId))) out.push(`chunk ${ch.chunkId}: ${states}`);
  }
  return out;
}

/**
 * True once replication has settled: the master counts no chunk below its goal and none unrepairable,
 * and every chunk has exactly its goal of live replicas, none on `notOn`.
 */
export async function replicationComplete(client: GodfsClient, notOn: string[] = []): Promise<boolean> {
  const s = await client.clusterStats();
  if (s.underReplicated !== 0 || s.unrepairable !== 0) return false;
  return unsettled(await allChunks(client), notOn).length === 0;
}

/**
 * Every chunk the master knows has exactly `goal` live replicas, none on `notOn`, and each listed
 * replica's chunk file is on that node's disk. Returns the number of chunks checked.
 */
export async function assertFullyReplicated(c: ProcessCluster, notOn: string[] = []): Promise<number> {
  const chunks = await allChunks(c.client);
  const disk = new Map<string, Map<number, string>>();
  for (const s of c.chunkservers) disk.set(s.nodeId, await c.chunkFiles(s.index));
  for (const ch of chunks) {
    assert.equal(ch.replicas.length, ch.goal, `chunk ${ch.chunkId}: ${ch.replicas.length} replicas for goal ${ch.goal} (${JSON.stringify(ch.replicas)})`);
    assert.equal(new Set(ch.replicas.map((r) => r.nodeId)).size, ch.goal, `chunk ${ch.chunkId}: replicas on distinct nodes`);
    for (const r of ch.replicas) {
      assert.equal(r.state, 'live', `chunk ${ch.chunkId} replica on ${r.nodeId} is ${r.state}`);
      assert.ok(!notOn.includes(r.nodeId), `chunk ${ch.chunkId} still counts a replica on ${r.nodeId}`);
      assert.ok(disk.get(r.nodeId)?.has(ch.chunkId), `chunk ${ch.chunkId}: no file on ${r.nodeId}'s disk`);
    }
  }
  return chunks.length;
}

/** Reads a file and compares its sha256 with the pattern it was written from. */
export async function verifyPattern(client: GodfsClient, path: string, size: number, seed: number): Promise<void> {
  const { stream } = await client.read(path);
  const got = await sha256Of(stream);
  const want = await patternSha256(size, seed);
  assert.deepEqual(got, want, `${path}: content differs`);
}
