// HTTP client side of the data plane, as one chunkserver speaks to another: forwarding a PUT down the
// replication chain (GFS §3.2: data is pushed linearly along a chain of chunkservers, each forwarding
// as it receives) and fetching a chunk from a peer for re-replication.
import { request, type Agent, type ClientRequest } from 'node:http';
import { once } from 'node:events';
import { authHeaders, getResponse, isDataPlaneError, netError, putReply, trailerCheckedBody, type PutReply } from '../../common/chunk-http.js';
import { parseHostPort } from '../../common/net.js';
import { parseUint } from '../../common/chunk-format.js';

/**
 * Bytes a forward may have in flight before the upstream socket is paused. The socket's own 16 KiB
 * high-water mark would stall every hop on every piece; a couple of MiB keeps the chain streaming
 * while still bounding memory per write.
 */
const FORWARD_HIGH_WATER = 2 * 2 ** 20;
/** A peer silent this long (no bytes either way) is treated as dead. */
const PEER_IDLE_TIMEOUT_MS = 60_000;

export interface PeerOptions {
  agent: Agent;
  apiKey: string | undefined;
}

/**
 * The data address of the replica whose failure an error reports, so the writer can retry on a
 * replica set without it. Carried in error bodies as `node` and passed up the chain.
 */
export function failedNodeOf(err: unknown): string | undefined {
  return (err as { failedNode?: string } | undefined)?.failedNode;
}

export function withFailedNode<E>(err: E, addr: string | undefined): E {
  if (addr && err && typeof err === 'object' && failedNodeOf(err) === undefined) (err as { failedNode?: string }).failedNode = addr;
  return err;
}

/** A pipelined PUT to the next replica in the chain, carrying the rest of the chain. */
export class ChainForward {
  readonly addr: string;
  /** Settles with the downstream's answer; rejects on any failure, including an early error response. */
  readonly result: Promise<PutReply>;
  #req: ClientRequest;

  constructor(addr: string, rest: string[], chunkId: number, version: number, contentLength: number | undefined, opts: PeerOptions) {
    this.addr = addr;
    const what = `replica ${addr}`;
    const { host, port } = parseHostPort(addr);
    this.#req = request({
      host,
      port,
      method: 'PUT',
      path: `/chunks/${chunkId}?version=${version}`,
      agent: opts.agent,
      headers: {
        'content-type': 'application/octet-stream',
        ...(contentLength !== undefined ? { 'content-length': String(contentLength) } : { 'transfer-encoding': 'chunked' }),
        'x-godfs-chain': rest.join(','),
        ...authHeaders(opts.apiKey),
      },
    });
    this.#req.setTimeout(PEER_IDLE_TIMEOUT_MS, () => this.#req.destroy(new Error('timed out')));
    // Whatever goes wrong names a replica: the one the error body names, else this peer.
    this.result = putReply(this.#req, what).catch((err: unknown) => {
      throw withFailedNode(err, (isDataPlaneError(err) ? err.node : undefined) ?? addr);
    });
    this.result.catch(() => undefined); // observed by the caller; never an unhandled rejection
  }

  /** Sends bytes; resolves when the socket can take more, rejects when the downstream failed. */
  write(buf: Buffer): Promise<void> | undefined {
    // A false return sets the request's needDrain, so 'drain' fires once the socket empties even if we
    // keep writing below FORWARD_HIGH_WATER meanwhile.
    if (this.#req.write(buf) || this.#req.writableLength < FORWARD_HIGH_WATER) return undefined;
    return Promise.race([once(this.#req, 'drain').then(() => undefined), this.result.then(() => undefined)]);
  }

  end(): void {
    this.#req.end();
  }

  /** Tears the request down: the downstream sees its body end early and discards its temp file. */
  abort(): void {
    if (!this.#req.destroyed) this.#req.destroy(new Error('upstream write failed'));
  }
}

export interface RemoteChunk {
  version: number;
  size: number;
  /** The requested bytes; throws unless the peer ends with the `x-godfs-status: ok` trailer. */
  body: AsyncGenerator<Buffer, void, undefined>;
  /** Drops the transfer (safe after the body was consumed). */
  cancel(): void;
}

/** Opens a whole chunk on a peer (GET /chunks/{id}); the peer verifies every block before sending it. */
export async function fetchChunk(addr: string, chunkId: number, opts: PeerOptions): Promise<RemoteChunk> {
  const what = `fetch chunk ${chunkId} from ${addr}`;
  const { host, port } = parseHostPort(addr);
  const req = request({ host, port, method: 'GET', path: `/chunks/${chunkId}`, agent: opts.agent, headers: authHeaders(opts.apiKey) });
  req.setTimeout(PEER_IDLE_TIMEOUT_MS, () => req.destroy(new Error('timed out')));
  const res = await getResponse(req, what);
  let version: number;
  let size: number;
  try {
    version = parseUint(String(res.headers['x-godfs-chunk-version']), 'x-godfs-chunk-version');
    size = parseUint(String(res.headers['x-godfs-chunk-size']), 'x-godfs-chunk-size');
  } catch (err) {
    res.destroy();
    throw netError(err, what);
  }
  return { version, size, body: trailerCheckedBody(res, what, size), cancel: () => void (res.complete || res.destroy()) };
}
