// The client half of the chunk data plane (plain HTTP/1.1, docs/architecture.md), shared by the two
// processes that speak it: the sdk writing to and reading from chunkservers (sdk/chunk-io.ts), and a
// chunkserver forwarding down the replication chain or fetching from a peer
// (cluster/chunkserver/peer-client.ts). What differs between them — which node a failure blames and
// how it is named — stays with the callers; the wire protocol lives here:
//   - a PUT answers 200 with `{size, replicas}` once every replica has fsynced, or an error body
//     `{code, message, node?}` where `node` is the data address of the replica that failed;
//   - a GET streams the bytes and ends with the trailer `x-godfs-status: ok`, so a transfer cut short
//     is never taken for a whole one.
import { once } from 'node:events';
import type { ClientRequest, IncomingMessage } from 'node:http';
import { GodfsError, isErrorCode, type ErrorCode } from './errors.js';

/**
 * An error a chunkserver answered with. `node` is always present on it (that is how an answer is told
 * from a transport failure) and holds the data address of the replica the body names, if any.
 */
export type DataPlaneError = GodfsError & { node: string | undefined };

export function isDataPlaneError(err: unknown): err is DataPlaneError {
  return err instanceof GodfsError && 'node' in err;
}

/** The bearer header for the cluster's API key, if there is one. */
export function authHeaders(apiKey: string | undefined): Record<string, string> {
  return apiKey ? { authorization: `Bearer ${apiKey}` } : {};
}

/** A transport failure (refused, reset, timed out) as `unavailable`; GodfsErrors pass through. */
export function netError(err: unknown, what: string): GodfsError {
  if (err instanceof GodfsError) return err;
  return new GodfsError('unavailable', `${what}: ${(err as Error)?.message ?? String(err)}`, { cause: err });
}

/** Turns a non-2xx data-plane response into the GodfsError it carries (`node` from its body). */
export async function errorFrom(res: IncomingMessage, what: string): Promise<DataPlaneError> {
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
  return Object.assign(new GodfsError(code, message), { node });
}

/** Ends a GET and waits for its answer: the response if 200, else the error it carries. */
export async function getResponse(req: ClientRequest, what: string): Promise<IncomingMessage> {
  req.end();
  let res: IncomingMessage;
  try {
    [res] = (await once(req, 'response')) as [IncomingMessage];
  } catch (err) {
    throw netError(err, what);
  }
  if (res.statusCode !== 200) throw await errorFrom(res, what);
  return res;
}

export interface PutReply {
  size: number;
  /** Node ids that stored the chunk, the addressed replica first. */
  replicas: string[];
}

/**
 * The answer to a chunk PUT: settles once the chunkserver answers (which may be early, with an error,
 * while the body is still being sent). Rejects with the error body's DataPlaneError, or a netError.
 */
export function putReply(req: ClientRequest, what: string): Promise<PutReply> {
  const reply = new Promise<PutReply>((resolve, reject) => {
    req.once('error', (err) => reject(netError(err, what)));
    req.once('response', (res: IncomingMessage) => {
      if (res.statusCode !== 200) {
        errorFrom(res, what).then(reject, (err: unknown) => reject(netError(err, what)));
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
  reply.catch(() => undefined); // observed by the caller; never an unhandled rejection
  return reply;
}

/**
 * The bytes of a chunk GET, checked at the end: `length` bytes and the `ok` trailer, else an error
 * (the trailer's own error code when it carries one). Leaving early destroys the response.
 */
export async function* trailerCheckedBody(res: IncomingMessage, what: string, length: number): AsyncGenerator<Buffer, void, undefined> {
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
    if (isErrorCode(status)) throw new GodfsError(status, `${what}: ${status}`);
    throw new GodfsError('unavailable', `${what}: transfer ended early (${got} of ${length} bytes)`);
  }
  if (got !== length) throw new GodfsError('unavailable', `${what}: got ${got} of ${length} bytes`);
}
