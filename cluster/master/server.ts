// Starts a master: loads its durable state, serves the gRPC API, and serves health and metrics over
// HTTP. Single node in this issue; the Raft issue replaces MetaStore's log with a replicated one.
import { createServer, type Server as HttpServer } from 'node:http';
import { randomUUID } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import { bindServer } from '../../common/grpc.js';
import { silentLogger, type Logger } from '../../common/log.js';
import { addressOf, formatHostPort, parseHostPort } from '../../common/net.js';
import { masterProto } from '../../proto/load.js';
import { ChunkserverClients } from './chunkserver-clients.js';
import { DEFAULT_UPLOAD_MAX_AGE_MS, GarbageCollector } from './gc.js';
import { MetaStore } from './meta-store.js';
import { createMasterMetrics } from './metrics.js';
import { Reconciler } from './reconcile.js';
import { Registry } from './registry.js';
import { RepairManager } from './repair.js';
import { MasterService } from './service.js';

export interface MasterOptions {
  dataDir: string;
  /** gRPC host:port (port 0 = ephemeral). */
  listen: string;
  /** Health and metrics HTTP host:port; default: the gRPC host, ephemeral port. */
  httpListen?: string;
  apiKey?: string;
  /** Default replication factor (default 3). */
  replication?: number;
  /** Largest chunk in bytes (default 64 MiB). */
  maxChunkSize?: number;
  heartbeatIntervalMs?: number;
  /** A chunkserver silent this long is dead (default 10 s). */
  nodeDeadAfterMs?: number;
  /** Unreferenced chunks are deleted this long after they became garbage (default 10 min). */
  gcGraceMs?: number;
  gcIntervalMs?: number;
  /** Incomplete multipart uploads older than this are aborted and their parts collected (default 24 h; 0 = never). */
  uploadMaxAgeMs?: number;
  /** How often the chunk map is scanned for chunks below their replication goal (default 1 s). */
  repairIntervalMs?: number;
  /** Re-replication copies in flight at once (default 4). */
  repairConcurrency?: number;
  /** Average re-replication rate across the cluster, bytes/s (default 64 MiB/s; 0 = unlimited). */
  repairBytesPerSec?: number;
  snapshotEvery?: number;
  logger?: Logger;
}

export interface MasterHandle {
  /** gRPC host:port actually bound. */
  address: string;
  /** HTTP (health, metrics) host:port actually bound. */
  httpAddress: string;
  service: MasterService;
  store: MetaStore;
  /** The garbage collector (its sweep also expires writes whose lease was not renewed). */
  gc: GarbageCollector;
  close(): Promise<void>;
}

export const DEFAULT_MAX_CHUNK = 64 * 2 ** 20;

export async function startMaster(opts: MasterOptions): Promise<MasterHandle> {
  const log = (opts.logger ?? silentLogger).child({ component: 'master' });
  const maxChunkSize = opts.maxChunkSize ?? DEFAULT_MAX_CHUNK;
  const store = await MetaStore.open(opts.dataDir, { logger: log, snapshotEvery: opts.snapshotEvery });
  if (!store.fsm.clusterId) await store.propose({ op: 'init', clusterId: randomUUID() });
  const registry = new Registry({ deadAfterMs: opts.nodeDeadAfterMs ?? 10_000, reserveBytes: maxChunkSize });
  const gcGraceMs = opts.gcGraceMs ?? 10 * 60_000;
  // Late-bound: the gauges read the service's parts, created just below.
  // eslint-disable-next-line prefer-const -- assigned once, after the metrics that read it
  let service!: MasterService;
  const metrics = createMasterMetrics(() => {
    const fsm = store.fsm;
    const r = service.repair.stats;
    return {
      inodes: fsm.inodes.size,
      chunks: fsm.chunks.size,
      garbage: fsm.garbage.size,
      nodesAlive: registry.alive(Date.now()).length,
      nodesTotal: registry.nodes.size,
      nodesDraining: fsm.draining.size,
      uploads: fsm.uploads.size,
      appliedIndex: fsm.appliedIndex,
      underReplicated: r.underReplicated,
      unrepairable: r.unrepairable,
      staleReplicas: service.reconciler.stale.size,
      badReplicas: service.repair.badCount(),
      repairQueue: r.queue,
      repairsInFlight: service.repair.inflight.size,
      pendingAllocations: service.allocations.size,
    };
  });
  service = new MasterService(
    store,
    registry,
    { apiKey: opts.apiKey, replication: opts.replication ?? 3, maxChunkSize, heartbeatIntervalMs: opts.heartbeatIntervalMs ?? 1000, idBlock: 10_000 },
    log,
    metrics,
  );
  const clients = new ChunkserverClients(opts.apiKey);
  const repair = new RepairManager(
    service,
    registry,
    clients,
    {
      intervalMs: opts.repairIntervalMs ?? 1000,
      concurrency: opts.repairConcurrency ?? 4,
      bytesPerSec: opts.repairBytesPerSec ?? 64 * 2 ** 20,
      maxChunkSize,
    },
    log,
    metrics,
  );
  service.repair = repair;
  service.reconciler = new Reconciler(service, service.allocations, registry, repair, gcGraceMs, log, metrics);
  const gc = new GarbageCollector(service, service.allocations, registry, { graceMs: gcGraceMs, intervalMs: opts.gcIntervalMs ?? 1000, uploadMaxAgeMs: opts.uploadMaxAgeMs ?? DEFAULT_UPLOAD_MAX_AGE_MS }, log, metrics);
  gc.start();
  repair.start();

  const grpcServer = new grpc.Server({ 'grpc.max_receive_message_length': 64 * 2 ** 20, 'grpc.max_send_message_length': 64 * 2 ** 20 });
  grpcServer.addService(masterProto().godfs.master.v1.Master.service, service.handlers());
  const { host, port } = parseHostPort(opts.listen);
  const boundPort = await bindServer(grpcServer, host, port);

  const http = createServer((req, res) => {
    const url = (req.url ?? '/').split('?')[0];
    if (url === '/healthz' || url === '/v1/health') {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
    } else if (url === '/readyz') {
      const alive = registry.alive(Date.now()).length;
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 'ready', chunkservers_alive: alive, applied_index: store.fsm.appliedIndex }));
    } else if (url === '/metrics') {
      metrics.registry.metrics().then(
        (text) => res.writeHead(200, { 'content-type': metrics.registry.contentType }).end(text),
        (err: unknown) => res.writeHead(500).end(String(err)),
      );
    } else {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"code":"not_found","message":"no such route"}');
    }
  });
  const httpListen = parseHostPort(opts.httpListen ?? formatHostPort(host, 0));
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(httpListen.port, httpListen.host, () => resolve());
  });
  const address = formatHostPort(host, boundPort);
  log.info({ address, http: addressOf(http.address()) }, 'master listening');

  let closed = false;
  return {
    address,
    httpAddress: addressOf(http.address()),
    service,
    store,
    gc,
    async close() {
      if (closed) return;
      closed = true;
      await gc.stop();
      await repair.stop();
      clients.close();
      await closeHttp(http);
      // Let in-flight calls finish, but never hang a shutdown on a stuck client.
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, 2000);
        grpcServer.tryShutdown(() => (clearTimeout(t), resolve()));
      });
      grpcServer.forceShutdown();
      await store.close();
    },
  };
}

function closeHttp(server: HttpServer): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
