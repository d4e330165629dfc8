// The gRPC control service (proto/chunkserver.proto): calls the master makes to a chunkserver. Chunk
// bytes never ride on it — Replicate pulls them from the source replica over the HTTP data plane.
import type { Agent } from 'node:http';
import { GodfsError } from '../../common/errors.js';
import { unary } from '../../common/grpc.js';
import type { Logger } from '../../common/log.js';
import type { ChunkserverHandlers } from '../../proto/generated/godfs/chunkserver/v1/Chunkserver.js';
import type { ChunkStat } from '../../proto/generated/godfs/chunkserver/v1/ChunkStat.js';
import { isValidChunkId, isValidVersion } from '../../common/chunk-format.js';
import type { ChunkStore } from './chunk-store.js';
import { fetchChunk } from './peer-client.js';
import type { ScrubStats } from './scrubber.js';

export interface ControlServiceOptions {
  store: ChunkStore;
  nodeId: string;
  apiKey: string | undefined;
  logger: Logger;
  /** Keep-alive agent for fetching from other chunkservers. */
  peerAgent: Agent;
  /** Scrubber progress, reported by Stats. */
  scrub?: ScrubStats;
}

export function createControlHandlers(o: ControlServiceOptions): ChunkserverHandlers {
  const { store, logger: log } = o;
  const u = <Req, Res>(fn: (req: Req) => Promise<Res> | Res) => unary<Req, Res>(o.apiKey, log, (req) => fn(req));
  const statOf = (id: number): ChunkStat => {
    const s = store.stat(id);
    return s ? { chunk_id: id, version: s.version, size: s.size, present: true } : { chunk_id: id, version: 0, size: 0, present: false };
  };
  /** Replications in flight, so a retried Replicate joins the running copy instead of failing. */
  const copying = new Map<number, Promise<ChunkStat>>();

  async function replicate(id: number, version: number, source: string): Promise<ChunkStat> {
    // A corrupt local copy is replaced, never reported as present.
    if (store.isCorrupt(id)) await store.delete(id);
    const have = store.stat(id);
    if (have && have.version >= version) return statOf(id); // already here: Replicate is idempotent
    const remote = await fetchChunk(source, id, { agent: o.peerAgent, apiKey: o.apiKey });
    if (remote.version !== version) {
      remote.cancel();
      // GFS §4.5: never copy a replica whose version is not the one the master asked for.
      throw new GodfsError('conflict', `source ${source} has chunk ${id} at version ${remote.version}, ${version} was requested`);
    }
    // The source verified every block's CRC before sending it; ours are computed afresh as it lands,
    // and the copy is published only after the source's `ok` trailer and our own fsync.
    let info;
    try {
      info = await store.write(id, version, remote.body, { expectedSize: remote.size, replace: true });
    } finally {
      remote.cancel();
    }
    log.info({ chunk: id, version, size: info.size, source }, 'chunk replicated');
    return statOf(id);
  }

  return {
    DeleteChunks: u(async (r: { chunk_ids: number[] }) => {
      let deleted = 0;
      for (const id of r.chunk_ids) if (await store.delete(id)) deleted++;
      if (deleted > 0) log.info({ deleted, requested: r.chunk_ids.length }, 'chunks deleted');
      return { deleted };
    }),
    Replicate: u((r: { chunk_id: number; version: number; source_addr: string }) => {
      if (!isValidChunkId(r.chunk_id) || !isValidVersion(r.version)) throw new GodfsError('invalid_argument', 'chunk_id and version are required');
      if (!r.source_addr) throw new GodfsError('invalid_argument', 'source_addr is required');
      let p = copying.get(r.chunk_id);
      if (!p) {
        p = replicate(r.chunk_id, r.version, r.source_addr).finally(() => copying.delete(r.chunk_id));
        copying.set(r.chunk_id, p);
      }
      return p;
    }),
    StatChunk: u((r: { chunk_ids: number[] }) => {
      const id = r.chunk_ids[0];
      if (id === undefined) throw new GodfsError('invalid_argument', 'chunk_ids must name one chunk');
      return statOf(id);
    }),
    Stats: u(async () => {
      const space = await store.space();
      return {
        node_id: o.nodeId,
        capacity: space.capacity,
        free: space.free,
        used: space.used,
        chunk_count: store.chunkCount,
        bytes_written: store.bytesWritten,
        bytes_read: store.bytesRead,
        scrub_bytes_per_sec: o.scrub?.bytesPerSec ?? 0,
        scrubbed_bytes: o.scrub?.scrubbedBytes ?? 0,
        corrupt_chunks: store.corruptList().length,
        scrub_passes: o.scrub?.passes ?? 0,
      };
    }),
  };
}
