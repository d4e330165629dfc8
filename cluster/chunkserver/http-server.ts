// The data plane: chunk bytes over plain node:http (about 1 GiB/s on loopback, several
// times what grpc-js streaming reached; see docs/hand-written.md, "Replication pipeline"). Protocol, as the sdk speaks it (sdk/chunk-io.ts):
//
//   PUT    /chunks/{id}?version={v}     body = chunk bytes; `x-godfs-chain: host:port,...` = replicas
//                                       after this one. Stored here and forwarded down the chain as it
//                                       arrives; 200 {chunk_id, version, size, replicas} only once every
//                                       replica has fsynced and published it.
//   GET    /chunks/{id}?offset=&length= verified bytes, chunked, ending with trailer x-godfs-status
//   HEAD   /chunks/{id}                 x-godfs-chunk-version / x-godfs-chunk-size, or 404
//   DELETE /chunks/{id}                 204 (also when it was not there: deletes are retried by the GC)
//   GET    /healthz, /readyz, /metrics
//
// Every /chunks request needs `authorization: Bearer <apiKey>` when a key is configured. Errors are
// JSON {code, message} with the status of common/errors.ts errorTable.
import { createServer, type Agent, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { GodfsError, errorCodeOf, errorTable } from '../../common/errors.js';
import { constantTimeEqual } from '../../common/grpc.js';
import type { Logger } from '../../common/log.js';
import { parseHostPort } from '../../common/net.js';
import { isValidChunkId, parseUint } from '../../common/chunk-format.js';
import type { ChunkStore } from './chunk-store.js';
import type { ChunkWriter } from './chunk-writer.js';
import type { ChunkserverMetrics } from './metrics.js';
import { ChainForward, failedNodeOf, withFailedNode } from './peer-client.js';

/** After an error answer to a PUT, how long the rest of its body may keep arriving before we hang up. */
const DISCARD_BODY_MS = 10_000;

export interface DataServerOptions {
  store: ChunkStore;
  nodeId: string;
  apiKey: string | undefined;
  logger: Logger;
  metrics: ChunkserverMetrics;
  /** Keep-alive agent for talking to other chunkservers. */
  peerAgent: Agent;
  isReady(): boolean;
}

export function createDataServer(o: DataServerOptions): Server {
  const log = o.logger;
  const peer = { agent: o.peerAgent, apiKey: o.apiKey };

  function sendError(req: IncomingMessage, res: ServerResponse, err: unknown): void {
    const code = errorCodeOf(err);
    if (code === 'internal') log.error({ err, method: req.method, url: req.url }, 'data request failed');
    else log.debug({ code, msg: (err as Error).message, method: req.method, url: req.url }, 'data request refused');
    if (res.headersSent || res.destroyed) {
      res.destroy();
      return;
    }
    const node = failedNodeOf(err);
    const body = JSON.stringify({ code, message: err instanceof GodfsError ? err.message : errorTable.internal.message, ...(node ? { node } : {}) });
    res.writeHead(errorTable[code].status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(req.method === 'HEAD' ? undefined : body);
  }

  function sendJson(res: ServerResponse, status: number, value: unknown): void {
    const body = JSON.stringify(value);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  }

  function checkAuth(req: IncomingMessage): void {
    if (!o.apiKey) return;
    const got = req.headers.authorization;
    if (typeof got !== 'string' || !got.startsWith('Bearer ')) throw new GodfsError('unauthenticated', 'missing bearer API key');
    if (!constantTimeEqual(got.slice(7), o.apiKey)) throw new GodfsError('unauthenticated', 'API key not valid');
  }

  async function handlePut(req: IncomingMessage, res: ServerResponse, id: number, q: URLSearchParams): Promise<void> {
    const version = parseUint(q.get('version'), 'version');
    const cl = req.headers['content-length'];
    const contentLength = cl === undefined ? undefined : parseUint(cl, 'content-length');
    const chain = parseChain(req.headers['x-godfs-chain']);
    // Failures of this replica name it by the address the writer used for it, so the writer can retry
    // without it (a failure further down the chain names the replica that failed).
    const self = req.headers.host;
    let writer: ChunkWriter;
    try {
      // A newer version (a retried write's new lease) replaces an older replica; never the reverse.
      writer = await o.store.createWriter(id, version, { replace: true, ...(contentLength === undefined ? {} : { expectedSize: contentLength }) });
    } catch (err) {
      throw withFailedNode(err, self);
    }
    let down: ChainForward | undefined;
    try {
      down = chain.length > 0 ? new ChainForward(chain[0]!, chain.slice(1), id, version, contentLength, peer) : undefined;
      await pumpBody(req, writer, down);
      down?.end();
      // Our fsync and the rest of the chain's proceed in parallel; publish only when both succeeded.
      const [mine, theirs] = await Promise.allSettled([writer.prepare(), down ? down.result : Promise.resolve(undefined)]);
      if (mine.status === 'rejected') throw withFailedNode(mine.reason, self);
      if (theirs.status === 'rejected') throw theirs.reason;
      if (theirs.value && theirs.value.size !== mine.value.size) {
        throw new GodfsError('unavailable', `replica ${down!.addr} stored ${theirs.value.size} bytes, ${mine.value.size} were sent`);
      }
      const info = await writer.commit();
      log.debug({ chunk: id, version, size: info.size, chain }, 'chunk stored');
      sendJson(res, 200, { chunk_id: id, version, size: info.size, replicas: [o.nodeId, ...(theirs.value?.replicas ?? [])] });
    } catch (err) {
      down?.abort();
      await writer.abort();
      discardBody(req);
      // An error with no replica named came from this one (its disk, its writer).
      throw failedNodeOf(err) || errorCodeOf(err) === 'unavailable' ? err : withFailedNode(err, self);
    }
  }

  async function handleGet(res: ServerResponse, id: number, q: URLSearchParams): Promise<void> {
    const info = o.store.stat(id);
    if (!info) throw new GodfsError('not_found', `chunk ${id} not found`);
    checkVersion(info.version, q);
    const offset = q.has('offset') ? parseUint(q.get('offset'), 'offset') : 0;
    const length = q.has('length') ? parseUint(q.get('length'), 'length') : undefined;
    const it = o.store.read(id, offset, length);
    // Pull the first verified piece before committing to a 200: a bad first block is a plain error.
    let step = await it.next();
    res.writeHead(200, {
      'content-type': 'application/octet-stream',
      'x-godfs-chunk-version': String(info.version),
      'x-godfs-chunk-size': String(info.size),
      trailer: 'x-godfs-status',
    });
    let status = 'ok';
    try {
      while (!step.done) {
        if (res.destroyed) return;
        if (!res.write(step.value)) await drained(res);
        step = await it.next();
      }
    } catch (err) {
      // Mid-stream: the verified bytes are already out; the trailer tells the reader the rest is not.
      status = errorCodeOf(err);
      if (status === 'internal') log.error({ err, chunk: id }, 'read failed mid-stream');
    } finally {
      await it.return();
    }
    res.addTrailers({ 'x-godfs-status': status });
    res.end();
  }

  function handleHead(res: ServerResponse, id: number, q: URLSearchParams): void {
    const info = o.store.stat(id);
    if (!info) throw new GodfsError('not_found', `chunk ${id} not found`);
    checkVersion(info.version, q);
    res.writeHead(200, { 'x-godfs-chunk-version': String(info.version), 'x-godfs-chunk-size': String(info.size) });
    res.end();
  }

  async function route(req: IncomingMessage, res: ServerResponse): Promise<string> {
    const url = req.url ?? '/';
    const qi = url.indexOf('?');
    const path = qi < 0 ? url : url.slice(0, qi);
    const q = new URLSearchParams(qi < 0 ? '' : url.slice(qi + 1));
    const m = /^\/chunks\/([^/]+)$/.exec(path);
    if (m) {
      checkAuth(req);
      const id = parseUint(m[1], 'chunk id');
      if (!isValidChunkId(id)) throw new GodfsError('invalid_argument', `invalid chunk id ${m[1]}`);
      switch (req.method) {
        case 'PUT':
          await handlePut(req, res, id, q);
          break;
        case 'GET':
          await handleGet(res, id, q);
          break;
        case 'HEAD':
          handleHead(res, id, q);
          break;
        case 'DELETE':
          await o.store.delete(id);
          res.writeHead(204).end();
          break;
        default:
          throw new GodfsError('invalid_argument', `method ${req.method} is not allowed on a chunk`);
      }
      return 'chunks';
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') throw new GodfsError('not_found', `no route ${req.method} ${path}`);
    if (path === '/healthz') {
      sendJson(res, 200, { status: 'ok' });
      return 'healthz';
    }
    if (path === '/readyz') {
      if (o.isReady()) sendJson(res, 200, { status: 'ready', node_id: o.nodeId });
      else sendJson(res, 503, { code: 'unavailable', message: 'chunk store closed or not registered with the master yet' });
      return 'readyz';
    }
    if (path === '/metrics') {
      const text = await o.metrics.registry.metrics();
      res.writeHead(200, { 'content-type': o.metrics.registry.contentType }).end(text);
      return 'metrics';
    }
    throw new GodfsError('not_found', `no route ${req.method} ${path}`);
  }

  return createServer((req, res) => {
    const start = process.hrtime.bigint();
    let name = 'other';
    res.once('close', () => {
      const secs = Number(process.hrtime.bigint() - start) / 1e9;
      o.metrics.requestDuration.observe({ method: req.method ?? '', route: name, status: String(res.statusCode) }, secs);
    });
    route(req, res).then(
      (r) => (name = r),
      (err: unknown) => {
        if (req.url?.startsWith('/chunks/')) name = 'chunks';
        if (req.method === 'PUT') discardBody(req);
        sendError(req, res, err);
      },
    );
  });
}

/** `x-godfs-chain: host:port,host:port` → the replicas after this one (may be empty). */
function parseChain(h: string | string[] | undefined): string[] {
  const raw = Array.isArray(h) ? h.join(',') : (h ?? '');
  const out = raw.split(',').map((s) => s.trim()).filter(Boolean);
  for (const a of out) {
    try {
      parseHostPort(a);
    } catch {
      throw new GodfsError('invalid_argument', `x-godfs-chain: ${JSON.stringify(a)} is not host:port`);
    }
  }
  return out;
}

/**
 * GFS §4.5: a replica with a lower version is stale and must not be served. Readers that know the
 * version they want may say so (`?version=`); the sdk moves on to another replica on any error.
 */
function checkVersion(have: number, q: URLSearchParams): void {
  if (!q.has('version')) return;
  const want = parseUint(q.get('version'), 'version');
  if (want !== have) throw new GodfsError('conflict', `replica has version ${have}, ${want} was requested`);
}

/**
 * Streams the request body into the writer and the downstream replica, reading no faster than the
 * slower of the two: the socket is paused until both have taken each piece. Rejects when the client
 * goes away, the writer fails (too_large, no_space, disk error) or the downstream fails.
 */
function pumpBody(req: IncomingMessage, writer: ChunkWriter, down: ChainForward | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const cleanup = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onGone);
      req.off('close', onClose);
    };
    const fail = (err: unknown) => {
      if (settled) return;
      settled = true;
      cleanup();
      reject(err);
    };
    const onData = (buf: Buffer) => {
      if (settled) return;
      let more: boolean;
      try {
        more = writer.accept(buf);
      } catch (err) {
        fail(err);
        return;
      }
      const downstream = down?.write(buf);
      if (more && !downstream) return;
      req.pause();
      Promise.all([more ? undefined : writer.drained(), downstream]).then(() => settled || req.resume(), fail);
    };
    const onEnd = () => {
      if (settled) return;
      settled = true;
      cleanup();
      resolve();
    };
    const onGone = () => fail(new GodfsError('unavailable', 'the client went away before the body ended'));
    const onClose = () => req.complete || onGone();
    req.on('data', onData);
    req.once('end', onEnd);
    req.once('error', onGone);
    req.once('close', onClose);
    down?.result.catch(fail);
  });
}

/**
 * After an error answer to a PUT, lets the rest of the body drain (closing at once can reset the
 * connection before the client reads the answer), but not forever.
 */
const discarding = new WeakSet<IncomingMessage>();
function discardBody(req: IncomingMessage): void {
  if (req.complete || req.destroyed || discarding.has(req)) return;
  discarding.add(req);
  const t = setTimeout(() => req.destroy(), DISCARD_BODY_MS);
  t.unref();
  req.once('end', () => clearTimeout(t));
  req.once('close', () => clearTimeout(t));
  req.on('error', () => undefined);
  req.resume();
}

/** Resolves on 'drain', or at once / on 'close' when the client is gone (then no 'drain' ever comes). */
function drained(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    if (res.destroyed || res.closed) return resolve();
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}
