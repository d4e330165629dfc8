// HTTP client side of the data plane, as one chunkserver speaks to another: forwarding a PUT down the
// replication chain (GFS §3.2: data is pushed linearly along a chain of chunkservers, each forwarding
// as it receives) and fetching a chunk from a peer for re-replication.
import { request, type Agent, type ClientRequest, type IncomingMessage } from 'node:http';
import { once } from 'node:events';
import { GodfsError, isErrorCode, type ErrorCode } from '../../common/errors.js';
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

export interface ForwardResult {
  size: number;
  /** Node ids that stored the chunk, this peer first. */
  replicas: string[];
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

/** Turns a non-2xx data-plane response into the GodfsError it carries. */
export async function errorFrom(res: IncomingMessage, what: string): Promise<GodfsError> {
  let body = '';
  try {
    for await (const c of res) body += String(c);
  } catch {
    /* the status alone will do */
  }
  let code: ErrorCode = res.statusCode === 404 ? 'not_found' : res.statusCode === 401 ? 'unauthenticated' : 'unavailable';
  let message = `${what}: HTTP ${res.statusCode}`;
  let node: string | undefined;
  try {
    const j = JSON.parse(body) as { code?: unknown; message?: unknown; node?: unknown };
    if (isErrorCode(j.code)) code = j.code;
    if (typeof j.message === 'string') message = `${what}: ${j.message}`;
    if (typeof j.node === 'string' && j.node) node = j.node;
  } catch {
    /* not JSON: keep the status-derived code */
  }
  return withFailedNode(new GodfsError(code, message), node);
}

function netError(err: unknown, what: string): GodfsError {
  if (err instanceof GodfsError) return err;
  return new GodfsError('unavailable', `${what}: ${(err as Error)?.message ?? String(err)}`, { cause: err });
}

function authHeaders(apiKey: string | undefined): Record<string, string> {
  return apiKey ? { authorization: `Bearer ${apiKey}` } : {};
}

/** A pipelined PUT to the next replica in the chain, carrying the rest of the chain. */
export class ChainForward {
  readonly addr: string;
  /** Settles with the downstream's answer; rejects on any failure, including an early error response. */
  readonly result: Promise<ForwardResult>;
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
    this.result = new Promise<ForwardResult>((resolve, rejectRaw) => {
      // Whatever goes wrong below names a replica: the one that said so, else this peer.
      const reject = (err: unknown) => rejectRaw(withFailedNode(err, addr));
      this.#req.once('error', (err) => reject(netError(err, what)));
      this.#req.once('response', (res: IncomingMessage) => {
        if (res.statusCode !== 200) {
          errorFrom(res, what).then(reject, reject);
          return;
        }
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.once('error', (err) => reject(netError(err, what)));
        res.once('end', () => {
          try {
            const j = JSON.parse(body) as { size?: unknown; replicas?: unknown };
            if (typeof j.size !== 'number' || !Array.isArray(j.replicas)) throw new Error('malformed reply');
            resolve({ size: j.size, replicas: j.replicas.map(String) });
          } catch (err) {
            reject(netError(err, what));
          }
        });
      });
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
  req.end();
  let res: IncomingMessage;
  try {
    [res] = (await once(req, 'response')) as [IncomingMessage];
  } catch (err) {
    throw netError(err, what);
  }
  if (res.statusCode !== 200) throw await errorFrom(res, what);
  let version: number;
  let size: number;
  try {
    version = parseUint(String(res.headers['x-godfs-chunk-version']), 'x-godfs-chunk-version');
    size = parseUint(String(res.headers['x-godfs-chunk-size']), 'x-godfs-chunk-size');
  } catch (err) {
    res.destroy();
    throw netError(err, what);
  }
  async function* body(): AsyncGenerator<Buffer, void, undefined> {
    let got = 0;
    let complete = false;
    try {
      for await (const c of res as AsyncIterable<Buffer>) {
        got += c.length;
        yield c;
      }
      complete = true;
    } catch (err) {
      throw netError(err, what);
    } finally {
      if (!complete) res.destroy();
    }
    const status = res.trailers['x-godfs-status'];
    if (status !== 'ok') {
      if (isErrorCode(status)) throw new GodfsError(status, `${what}: the peer ended with ${status}`);
      throw new GodfsError('unavailable', `${what}: transfer ended early (${got} of ${size} bytes)`);
    }
    if (got !== size) throw new GodfsError('unavailable', `${what}: got ${got} of ${size} bytes`);
  }
  return { version, size, body: body(), cancel: () => void (res.complete || res.destroy()) };
}
