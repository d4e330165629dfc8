// The sdk's read path for one extent: any replica the master lists (best first), moving on — from
// where the last one stopped — on any error. A replica that fails checksum verification or has lost
// the chunk is reported to the master (ReportBadReplica), which re-replicates from a good copy and
// then deletes the bad one (GFS §5.2). Bytes are requested at the committed version, so a stale
// replica refuses rather than serves (GFS §4.5).
import { ChecksumMismatchError, GodfsError, UnavailableError } from '../common/errors.js';
import { readChunkFrom } from './chunk-io.js';

export type BadReplicaReporter = (chunkId: number, nodeId: string, version: number, reason: string) => void;

export async function* readExtent(
  replicas: Array<{ id: string; addr: string }>,
  chunkId: number,
  version: number,
  chunkOffset: number,
  length: number,
  apiKey: string | undefined,
  signal: AbortSignal | undefined,
  report: BadReplicaReporter | undefined,
): AsyncGenerator<Buffer> {
  if (replicas.length === 0) throw new UnavailableError(`no live replica of chunk ${chunkId}`);
  let done = 0;
  let checksumFailures = 0;
  let lastErr: unknown;
  for (const r of replicas) {
    try {
      for await (const c of readChunkFrom(r.addr, chunkId, chunkOffset + done, length - done, apiKey, signal, version)) {
        done += c.length;
        yield c;
      }
      return;
    } catch (err) {
      lastErr = err;
      if (signal?.aborted) throw err;
      const code = err instanceof GodfsError ? err.code : undefined;
      if (code === 'checksum_mismatch') checksumFailures++;
      // Corrupt, lost, or at another version than the master committed: the master should know.
      if (code === 'checksum_mismatch' || code === 'not_found' || code === 'conflict') report?.(chunkId, r.id, version, code);
    }
  }
  if (checksumFailures === replicas.length) throw new ChecksumMismatchError(`chunk ${chunkId} failed checksum verification on every replica`);
  throw lastErr instanceof GodfsError ? lastErr : new UnavailableError(`chunk ${chunkId}: ${(lastErr as Error)?.message}`);
}
