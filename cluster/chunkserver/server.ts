// Starts a chunkserver: opens the chunk store, serves the HTTP data plane (http-server.ts) and the gRPC
// control service (control-service.ts), and registers and heartbeats to the master (master-link.ts)
// when one is configured.
import { Agent, type Server as HttpServer } from 'node:http';
import { mkdir, open, readFile, rename, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { NODE_MARKER } from '../../common/chunk-format.js';
import { bindServer } from '../../common/grpc.js';
import { silentLogger, type Logger } from '../../common/log.js';
import { addressOf, formatHostPort, parseHostPort } from '../../common/net.js';
import { chunkserverProto } from '../../proto/load.js';
import { ChunkStore } from './chunk-store.js';
import { createControlHandlers } from './control-service.js';
import { createDataServer } from './http-server.js';
import { MasterLink } from './master-link.js';
import { createChunkserverMetrics } from './metrics.js';
import { Scrubber } from './scrubber.js';

export interface ChunkserverOptions {
  dataDir: string;
  /** host:port for the HTTP data plane (also /healthz, /readyz, /metrics); port 0 = ephemeral. */
  listen: string;
  /** host:port for gRPC control; default: the listen host, ephemeral port. */
  grpcListen?: string;
  /** Master gRPC host:port; undefined = standalone (no registration; unit tests). */
  master?: string;
  /** Default: generated once and kept in <dataDir>/node-id. */
  nodeId?: string;
  apiKey?: string;
  /** Largest chunk accepted, bytes (default 64 MiB). */
  maxChunkSize?: number;
  /** Bytes this node offers; default: the size of the data file system. */
  capacityBytes?: number;
  zone?: string;
  /** Data address announced to the master; default: the bound listen address (the host name when bound to a wildcard). */
  advertiseAddr?: string;
  /** Background checksum verification rate, bytes/s (default 8 MiB/s; 0 = no scrubbing). */
  scrubBytesPerSec?: number;
  /** A scrub pass over every replica starts at most this often (ms; default 1 h). */
  scrubPassIntervalMs?: number;
  logger?: Logger;
}

export const DEFAULT_SCRUB_BYTES_PER_SEC = 8 * 2 ** 20;

export interface ChunkserverHandle {
  nodeId: string;
  /** Data-plane host:port actually bound. */
  address: string;
  /** gRPC control host:port actually bound. */
  controlAddress: string;
  store: ChunkStore;
  scrubber: Scrubber;
  close(): Promise<void>;
}

export async function startChunkserver(opts: ChunkserverOptions): Promise<ChunkserverHandle> {
  await mkdir(opts.dataDir, { recursive: true });
  const nodeId = opts.nodeId ?? (await persistentNodeId(opts.dataDir));
  const log = (opts.logger ?? silentLogger).child({ component: 'chunkserver', node: nodeId });
  let link: MasterLink | undefined;
  const store = await ChunkStore.open(opts.dataDir, {
    maxChunkSize: opts.maxChunkSize,
    capacityBytes: opts.capacityBytes,
    logger: log,
    onCorrupt: () => link?.nudge(),
  });
  await writeNodeMarker(store.chunksDir, nodeId);
  const scrubber = new Scrubber({
    store,
    bytesPerSec: opts.scrubBytesPerSec ?? DEFAULT_SCRUB_BYTES_PER_SEC,
    passIntervalMs: opts.scrubPassIntervalMs ?? 3_600_000,
    logger: log,
  });
  const metrics = createChunkserverMetrics(store, scrubber.stats);
  const peerAgent = new Agent({ keepAlive: true, maxSockets: 64, maxFreeSockets: 16 });
  const http = createDataServer({
    store,
    nodeId,
    apiKey: opts.apiKey,
    logger: log,
    metrics,
    peerAgent,
    isReady: () => store.isOpen && (!link || link.registered),
  });
  const grpcServer = new grpc.Server();
  grpcServer.addService(
    chunkserverProto().godfs.chunkserver.v1.Chunkserver.service,
    createControlHandlers({ store, nodeId, apiKey: opts.apiKey, logger: log, peerAgent, scrub: scrubber.stats }),
  );

  try {
    const listen = parseHostPort(opts.listen);
    await new Promise<void>((resolve, reject) => {
      http.once('error', reject);
      http.listen(listen.port, listen.host, () => (http.off('error', reject), resolve()));
    });
    const grpcListen = parseHostPort(opts.grpcListen ?? formatHostPort(listen.host, 0));
    const grpcPort = await bindServer(grpcServer, grpcListen.host, grpcListen.port);
    const address = addressOf(http.address());
    const controlAddress = formatHostPort(grpcListen.host, grpcPort);
    const dataPort = parseHostPort(address).port;
    const advertised = opts.advertiseAddr ?? formatHostPort(isWildcard(listen.host) ? hostname() : listen.host, dataPort);
    const advertisedControl = formatHostPort(isWildcard(grpcListen.host) ? parseHostPort(advertised).host : grpcListen.host, grpcPort);
    log.info({ address, controlAddress, advertised, master: opts.master ?? null, chunks: store.chunkCount }, 'chunkserver listening');

    if (opts.master) {
      link = new MasterLink({
        master: opts.master,
        apiKey: opts.apiKey,
        nodeId,
        addr: advertised,
        controlAddr: advertisedControl,
        chunksDir: store.chunksDir,
        zone: opts.zone ?? '',
        store,
        logger: log,
      });
      link.start();
    }
    scrubber.start();

    let closing: Promise<void> | undefined;
    return {
      nodeId,
      address,
      controlAddress,
      store,
      scrubber,
      close() {
        closing ??= shutdown(link, scrubber, http, grpcServer, peerAgent, store, log);
        return closing;
      },
    };
  } catch (err) {
    await shutdown(link, scrubber, http, grpcServer, peerAgent, store, log);
    throw err;
  }
}

async function shutdown(link: MasterLink | undefined, scrubber: Scrubber, http: HttpServer, grpcServer: grpc.Server, peerAgent: Agent, store: ChunkStore, log: Logger): Promise<void> {
  await scrubber.stop();
  await link?.stop();
  await new Promise<void>((resolve) => {
    if (!http.listening) return resolve();
    http.close(() => resolve());
    http.closeAllConnections();
  });
  // Let in-flight control calls finish, but never hang a shutdown on a stuck peer.
  await new Promise<void>((resolve) => {
    const t = setTimeout(resolve, 1000);
    grpcServer.tryShutdown(() => (clearTimeout(t), resolve()));
  });
  grpcServer.forceShutdown();
  peerAgent.destroy();
  await store.close();
  log.info('chunkserver stopped');
}

function isWildcard(host: string): boolean {
  return host === '0.0.0.0' || host === '::' || host === '';
}

/**
 * `<chunks>/NODE` names the node that owns the directory. A client on this host that is handed the
 * directory (NodeRef.chunks_dir) reads chunk files itself only if the marker names the replica's node
 * (sdk/local-read.ts) — so a path that means another node's disk there (a container, another mount)
 * is never mistaken for this one. Advisory: a lost marker only turns short-circuit reads off.
 */
async function writeNodeMarker(chunksDir: string, nodeId: string): Promise<void> {
  const file = join(chunksDir, NODE_MARKER);
  if ((await readFile(file, 'utf8').catch(() => '')).trim() === nodeId) return;
  const tmp = `${file}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(tmp, `${nodeId}\n`);
  await rename(tmp, file);
}

/** The node id, generated once and kept with the data, so a restarted node is the same node to the master. */
async function persistentNodeId(dataDir: string): Promise<string> {
  const file = join(dataDir, 'node-id');
  try {
    const id = (await readFile(file, 'utf8')).trim();
    if (id) return id;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const id = `cs-${randomBytes(8).toString('hex')}`;
  const tmp = `${file}.${randomBytes(4).toString('hex')}.tmp`;
  const fh = await open(tmp, 'wx');
  try {
    await fh.writeFile(`${id}\n`);
    await fh.sync();
  } finally {
    await fh.close();
  }
  await rename(tmp, file);
  const dir = await open(dataDir, 'r');
  try {
    await dir.sync();
  } finally {
    await dir.close();
  }
  return id;
}
