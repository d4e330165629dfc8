// The sdk's read path for one extent: any replica the master lists (best first), moving on — from
// where the last one stopped — on any error. A replica that fails checksum verification or has lost
// the chunk is reported to the master (ReportBadReplica), which re-replicates from a good copy and
// then deletes the bad one (GFS §5.2). Bytes are requested at the committed version, so a stale
// replica refuses rather than serves (GFS §4.5). A replica on this host is read from its file
// (local-read.ts) when the client allows short-circuit reads.
import { ChecksumMismatchError, GodfsError, UnavailableError } from '../common/errors.js';
import { readChunkFrom } from './chunk-io.js';
import { LocalMiss, type LocalChunkReader } from './local-read.js';

export type BadReplicaReporter = (chunkId: number, nodeId: string, version: number, reason: string) => void;

export async function* readExtent(
  replicas: Array<{ id: string; addr: string; chunks_dir?: string }>,
  chunkId: number,
  version: number,
  chunkOffset: number,
  length: number,
  apiKey: string | undefined,
  signal: AbortSignal | undefined,
  report: BadReplicaReporter | undefined,
  local?: LocalChunkReader,
): AsyncGenerator<Buffer> {
  if (replicas.length === 0) throw new UnavailableError(`no live replica of chunk ${chunkId}`);
  let done = 0;
  let checksumFailures = 0;
  let lastErr: unknown;
  // Short-circuit reads (local-read.ts): a replica whose files are on this host goes first, read from disk.
  const here = local ? await Promise.all(replicas.map((r) => local.canRead(r))) : replicas.map(() => false);
  const order = replicas.map((r, i) => ({ r, here: here[i]! })).sort((a, b) => Number(b.here) - Number(a.here));
  for (const { r, here: isLocal } of order) {
    try {
      if (isLocal) {
        try {
          for await (const c of local!.read(r, chunkId, version, chunkOffset + done, length - done)) {
            done += c.length;
            yield c;
          }
          return;
        } catch (err) {
          if (!(err instanceof LocalMiss)) throw err;
          // Not usable here after all (gone, another version, no permission): ask the chunkserver.
        }
      }
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
