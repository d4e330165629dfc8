// The data plane as the sdk speaks it: chunk bytes over plain HTTP/1.1 to chunkservers (node:http with
// keep-alive; measured ~1 GiB/s on loopback, several times grpc-js streaming). Writes go to the
// primary, which pipelines them down the chain of secondaries and answers only when every replica
// has fsynced. Reads verify the chunkserver's `x-godfs-status` trailer: a missing or non-ok trailer
// means the bytes are incomplete, never silently short.
import { Agent, request, type ClientRequest } from 'node:http';
import { once } from 'node:events';
import { authHeaders, getResponse, isDataPlaneError, putReply, trailerCheckedBody, type PutReply } from '../common/chunk-http.js';
import { GodfsError } from '../common/errors.js';
import { parseHostPort } from '../common/net.js';

export const agent = new Agent({ keepAlive: true, maxSockets: 256, maxFreeSockets: 64, scheduling: 'lifo' });

export interface ChunkTarget {
  chunkId: number;
  version: number;
  /** Data addresses, primary first. */
  replicas: Array<{ id: string; addr: string }>;
}

export interface ChunkWriteResult {
  chunkId: number;
  version: number;
  size: number;
  replicaIds: string[];
}

/** The node a data-plane error blames (so a writer can retry without it), as a node id. */
export function failedNodeIdOf(err: unknown): string | undefined {
  return (err as { failedNodeId?: string } | undefined)?.failedNodeId;
}

function blame<E>(err: E, nodeId: string | undefined): E {
  if (nodeId && err && typeof err === 'object' && failedNodeIdOf(err) === undefined) (err as { failedNodeId?: string }).failedNodeId = nodeId;
  return err;
}

export interface UploadOptions {
  /** The chunk's size when known (a retry from memory): sent as content-length, checked up front. */
  size?: number;
  /** A request with no progress for this long fails (a hung replica). */
  idleTimeoutMs?: number;
}

/**
 * One attempt at writing a chunk: bytes streamed to the primary, which pipelines them down the chain.
 * write() honours backpressure; finish() resolves once every replica has fsynced. A failure carries
 * the node it blames (`failedNodeIdOf`): the primary when it cannot be reached, else the replica the
 * chain named.
 */
export class ChunkUpload {
  readonly target: ChunkTarget;
  written = 0;
  #req: ClientRequest;
  #outcome: Promise<PutReply>;
  #failed: GodfsError | undefined;

  constructor(target: ChunkTarget, apiKey: string | undefined, opts: UploadOptions = {}) {
    this.target = target;
    const [primary, ...chain] = target.replicas;
    if (!primary) throw new GodfsError('unavailable', 'no replica to write to');
    const { host, port } = parseHostPort(primary.addr);
    const what = `write chunk ${target.chunkId} to ${primary.addr}`;
    this.#req = request({
      host,
      port,
      method: 'PUT',
      path: `/chunks/${target.chunkId}?version=${target.version}`,
      agent,
      headers: {
        'content-type': 'application/octet-stream',
        ...(opts.size !== undefined ? { 'content-length': String(opts.size) } : { 'transfer-encoding': 'chunked' }),
        'x-godfs-chain': chain.map((r) => r.addr).join(','),
        ...authHeaders(apiKey),
      },
    });
    const idle = opts.idleTimeoutMs ?? 30_000;
    this.#req.setTimeout(idle, () => this.#req.destroy(new Error(`no progress for ${idle} ms`)));
    const byAddr = (addr: string | undefined) => target.replicas.find((r) => r.addr === addr)?.id ?? addr;
    // A failure blames the replica an error answer names (none if it names none), else the primary.
    this.#outcome = putReply(this.#req, what).catch((err: unknown) => {
      this.#failed ??= blame(err as GodfsError, isDataPlaneError(err) ? byAddr(err.node) : primary.id);
      throw this.#failed;
    });
    this.#outcome.catch(() => undefined);
  }

  async write(buf: Uint8Array): Promise<void> {
    if (this.#failed) throw this.#failed;
    this.written += buf.length;
    if (!this.#req.write(buf)) {
      await Promise.race([once(this.#req, 'drain').catch(() => undefined), this.#outcome]);
      if (this.#failed) throw this.#failed;
    }
  }

  async finish(): Promise<ChunkWriteResult> {
    if (this.#failed) throw this.#failed;
    this.#req.end();
    const j = await this.#outcome;
    if (j.size !== this.written) throw blame(new GodfsError('unavailable', `chunk ${this.target.chunkId}: primary stored ${j.size} bytes, ${this.written} were sent`), this.target.replicas[0]?.id);
    return { chunkId: this.target.chunkId, version: this.target.version, size: j.size, replicaIds: j.replicas };
  }

  abort(): void {
    if (!this.#req.destroyed) this.#req.destroy(new Error('write aborted'));
  }
}

/**
 * Streams [offset, offset+length) of a chunk from one replica. Resolves to an async iterable of
 * buffers; the iterable throws if the transfer ends without the chunkserver's `ok` trailer.
 */
export async function* readChunkFrom(
  addr: string,
  chunkId: number,
  offset: number,
  length: number,
  apiKey: string | undefined,
  signal?: AbortSignal,
  version?: number,
): AsyncGenerator<Buffer> {
  const { host, port } = parseHostPort(addr);
  const what = `read chunk ${chunkId} from ${addr}`;
  const req = request({
    host,
    port,
    method: 'GET',
    // With the version: a replica at any other version refuses (GFS §4.5: stale replicas are never served).
    path: `/chunks/${chunkId}?offset=${offset}&length=${length}${version !== undefined ? `&version=${version}` : ''}`,
    agent,
    headers: authHeaders(apiKey),
    ...(signal ? { signal } : {}),
  });
  const res = await getResponse(req, what);
  yield* trailerCheckedBody(res, what, length);
}
