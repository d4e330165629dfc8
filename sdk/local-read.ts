// Short-circuit reads (HDFS-347's idea): a client on the same host as a chunkserver reads the chunk
// file from disk itself instead of having the chunkserver send it over a loopback socket — one copy
// and one hop fewer, which is most of what a GET costs on one box (`godfs up`, or a gateway pod
// scheduled with its chunkservers' volumes). The chunkserver advertises its chunk directory
// (NodeRef.chunks_dir); it is trusted only after `<dir>/NODE` is found to name that very node, so a
// path that means another node's disk here (a container, another mount) is never read as this one.
// The bytes are verified exactly as the chunkserver verifies them (common/chunk-format.ts
// readVerified): every 64 KiB block against its CRC before any byte of it is returned, at the
// version the master committed. Anything else than a clean read — no such file, another version,
// no permission — is a miss, and the caller reads the replica over HTTP as before. Chunk files are
// write-once and replaced only by rename, so an open file never changes under the reader.
import { open, readFile, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { chunkPath, NODE_MARKER, readVerified } from '../common/chunk-format.js';

/** How long a verdict on a directory (readable here or not) is trusted before it is checked again. */
const VERDICT_MS = 30_000;

export interface LocalReplica {
  id: string;
  chunks_dir?: string;
}

/** Not readable here (or not any more): read this replica over HTTP instead. */
export class LocalMiss extends Error {}

export class LocalChunkReader {
  #verdicts = new Map<string, { ok: Promise<boolean>; at: number }>();
  /** Bytes served from local files (for tests and metrics). */
  bytesRead = 0;

  /** Whether `r`'s chunk directory is on this host and really belongs to node r.id. */
  canRead(r: LocalReplica): Promise<boolean> {
    const dir = r.chunks_dir;
    if (!dir) return Promise.resolve(false);
    const key = `${r.id}\0${dir}`;
    const now = Date.now();
    const v = this.#verdicts.get(key);
    if (v && now - v.at < VERDICT_MS) return v.ok;
    const ok = readFile(join(dir, NODE_MARKER), 'utf8').then(
      (s) => s.trim() === r.id,
      () => false,
    );
    this.#verdicts.set(key, { ok, at: now });
    return ok;
  }

  /**
   * Verified bytes [offset, offset+length) of chunk `chunkId` at `version` from `r`'s directory.
   * Throws LocalMiss when the file cannot be used (then nothing was yielded), ChunkCorruptError when
   * a block fails its CRC (after the verified bytes before it).
   */
  async *read(r: LocalReplica, chunkId: number, version: number, offset: number, length: number): AsyncGenerator<Buffer> {
    let fh: FileHandle;
    try {
      fh = await open(chunkPath(r.chunks_dir!, chunkId), 'r');
    } catch (err) {
      throw new LocalMiss(`chunk ${chunkId}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
    }
    try {
      const { size } = await fh.stat();
      const onChanged = () => new LocalMiss(`chunk ${chunkId}: not at version ${version} here`);
      for await (const c of readVerified(fh, size, offset, length, { version, onChanged })) {
        this.bytesRead += c.length;
        yield c;
      }
    } finally {
      await fh.close();
    }
  }
}
