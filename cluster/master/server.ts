// Starts a master: binds its gRPC port (the Master API and the Raft service between masters), opens its
// Raft member (cluster/master/replicated-store.ts), and serves health and metrics over HTTP.
//
// Every master of a group runs this; only the leader serves the Master API. The leader-only parts —
// the chunkserver registry, write allocations, chunk-id reservation, re-replication, reconciliation and
// GC — start when this member leads and has applied its own no-op (it then holds every committed
// write), and stop when it loses leadership; each term starts them from nothing but the replicated
// state (chunkservers re-register with the new leader at once, following not_leader).
import { createServer, type Server as HttpServer } from 'node:http';
import { randomUUID } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import { GodfsError } from '../../common/errors.js';
import { bindServer, toServiceError } from '../../common/grpc.js';
import { silentLogger, type Logger } from '../../common/log.js';
import { addressOf, formatHostPort, parseHostPort } from '../../common/net.js';
import { masterProto, raftProto } from '../../proto/load.js';
import { ChunkserverClients } from './chunkserver-clients.js';
import { DEFAULT_UPLOAD_MAX_AGE_MS, GarbageCollector } from './gc.js';
import { parsePeers, type PeerSpec } from '../../common/peers.js';
import { raftHandlers } from './raft-service.js';
import { ReplicatedStore } from './replicated-store.js';
import { Registry as MetricsRegistry } from 'prom-client';
import { createMasterMetrics } from './metrics.js';
import { createRaftMetrics } from './raft-metrics.js';
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
  /** Raft snapshot after this many applied entries (default 20 000). */
  snapshotEvery?: number;
  /** This master's member id in the Raft group (default m1). */
  nodeId?: string;
  /** The group's initial members, `id=host:port` each (default: this master alone, at its bound address). */
  peers?: PeerSpec[] | string;
  /** A follower that hears nothing from a leader for about this long starts an election (default 1000 ms). */
  electionTimeoutMs?: number;
  logger?: Logger;
  /** A fatal storage error (fsync failure, broken state machine); default: log and exit(70). */
  onFatal?: (err: unknown) => void;
}

export interface MasterHandle {
  /** gRPC host:port actually bound. */
  address: string;
  /** HTTP (health, metrics) host:port actually bound. */
  httpAddress: string;
  service: MasterService;
  store: ReplicatedStore;
  /** This master's Raft member id. */
  nodeId: string;
  /** The garbage collector (its sweep also expires writes whose lease was not renewed). */
  gc: GarbageCollector;
  close(): Promise<void>;
}

export const DEFAULT_MAX_CHUNK = 64 * 2 ** 20;

/** /readyz/member: a member this many entries behind its commit index is still catching up. */
const MEMBER_READY_LAG = 100;

export async function startMaster(opts: MasterOptions): Promise<MasterHandle> {
  const log = (opts.logger ?? silentLogger).child({ component: 'master' });
  const maxChunkSize = opts.maxChunkSize ?? DEFAULT_MAX_CHUNK;
  const nodeId = opts.nodeId ?? 'm1';
  const onFatal =
    opts.onFatal ??
    ((err: unknown) => {
      log.fatal({ err }, 'master storage failed; stopping (an fsync error is never retried)');
      process.exit(70);
    });

  // The port is bound first: peers and clients may call before the state is loaded (they get unavailable).
  const grpcServer = new grpc.Server({ 'grpc.max_receive_message_length': 64 * 2 ** 20, 'grpc.max_send_message_length': 64 * 2 ** 20 });
  let store: ReplicatedStore | undefined;
  // eslint-disable-next-line prefer-const -- assigned once the service exists; read by the deferred handlers
  let masterImpl: grpc.UntypedServiceImplementation | undefined;
  grpcServer.addService(masterProto().godfs.master.v1.Master.service, deferredService(masterProto().godfs.master.v1.Master.service, () => masterImpl));
  grpcServer.addService(
    raftProto().godfs.raft.v1.Raft.service,
    raftHandlers({
      node: () => store?.node,
      credential: opts.apiKey,
      logger: log,
      notLeader: () => store!.notLeader(),
    }) as unknown as grpc.UntypedServiceImplementation,
  );
  const { host, port } = parseHostPort(opts.listen);
  const boundPort = await bindServer(grpcServer, host, port);
  const address = formatHostPort(host, boundPort);
  const peers = typeof opts.peers === 'string' ? parsePeers(opts.peers) : (opts.peers ?? [{ id: nodeId, address }]);
  if (!peers.some((p) => p.id === nodeId) && peers.length > 0 && opts.peers !== undefined) {
    log.info({ nodeId, peers }, 'this master is not in --peers: it waits to be added (godfs admin raft add)');
  }
  const raftRegistry = new MetricsRegistry();
  const raftMetrics = createRaftMetrics(raftRegistry);
  const timeout = opts.electionTimeoutMs ?? 1000;
  const tickMs = Math.max(5, Math.round(timeout / 10));
  try {
    store = await ReplicatedStore.open({
      dataDir: opts.dataDir,
      nodeId,
      // A member that is not in the list starts empty and learns the group from the leader once added.
      peers: peers.some((p) => p.id === nodeId) ? peers.map((p) => ({ id: p.id, address: p.address, voter: true })) : [],
      credential: opts.apiKey,
      logger: log,
      onFatal,
      tickMs,
      electionTicks: 10,
      heartbeatTicks: 2,
      snapshotEvery: opts.snapshotEvery,
      onSynced: raftMetrics.synced,
    });
  } catch (err) {
    grpcServer.forceShutdown();
    throw err;
  }
  const st = store;
  raftMetrics.attach(st.node);
  const registry = new Registry({ deadAfterMs: opts.nodeDeadAfterMs ?? 10_000, reserveBytes: maxChunkSize });
  const gcGraceMs = opts.gcGraceMs ?? 10 * 60_000;
  // Late-bound: the gauges read the service's parts, created just below.
  // eslint-disable-next-line prefer-const -- assigned once, after the metrics that read it
  let service!: MasterService;
  const metrics = createMasterMetrics(() => {
    const fsm = st.fsm;
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
    st,
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
  masterImpl = service.handlers() as unknown as grpc.UntypedServiceImplementation;
  const exposed = MetricsRegistry.merge([metrics.registry, raftRegistry]);

  // Leadership: the leader-only parts run for exactly one term at a time, transitions in order.
  let leading = false;
  let transitions = Promise.resolve();
  const lead = (term: number) =>
    (transitions = transitions.then(async () => {
      if (leading || closed || !st.node.isLeaderReady) return;
      leading = true;
      registry.reset();
      service.allocations.reset();
      service.reconciler.reset();
      service.onLeader();
      gc.start();
      repair.start();
      log.info({ term, nodeId }, 'leading: serving the master API');
      if (!st.fsm.clusterId) {
        await service.propose({ op: 'init', clusterId: randomUUID() }).catch((err: unknown) => log.warn({ err }, 'cannot name the cluster yet'));
      }
    }));
  const follow = (term: number) =>
    (transitions = transitions.then(async () => {
      if (!leading) return;
      leading = false;
      await gc.stop();
      await repair.stop();
      log.info({ term, nodeId, leader: st.node.leader }, 'not leading: refusing the master API with not_leader');
    }));
  st.node.on('leader-ready', (term) => void lead(term));
  st.node.on('leader-lost', (term) => void follow(term));
  if (st.node.isLeaderReady) void lead(st.node.term);

  const http = createServer((req, res) => {
    const url = (req.url ?? '/').split('?')[0];
    if (url === '/healthz' || url === '/v1/health') {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
    } else if (url === '/readyz/member') {
      // Ready as a member of the group (for Kubernetes readiness and disruption budgets): a leader is
      // known and this master has applied (nearly) all it knows to be committed. Followers pass too.
      const s = st.node.status();
      const body = { role: s.role, leader: s.leader, term: s.term, commit_index: s.commit, applied_index: s.smApplied };
      const ok = s.leader !== null && s.commit - s.smApplied <= MEMBER_READY_LAG && (s.role !== 'leader' || (st.node.isLeaderReady && leading));
      res.writeHead(ok ? 200 : 503, { 'content-type': 'application/json' }).end(JSON.stringify({ status: ok ? 'member' : s.leader ? 'catching_up' : 'no_leader', ...body }));
    } else if (url === '/readyz') {
      const alive = registry.alive(Date.now()).length;
      const n = st.node;
      const body = { chunkservers_alive: alive, applied_index: st.fsm.appliedIndex, role: n.role, leader: n.leader, leader_address: n.leaderAddress ?? null, term: n.term };
      // Ready = this master can answer the Master API (it leads); a follower is healthy but not ready.
      if (n.isLeaderReady && leading) res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 'ready', ...body }));
      else res.writeHead(503, { 'content-type': 'application/json' }).end(JSON.stringify({ status: n.leader ? 'follower' : 'no_leader', ...body }));
    } else if (url === '/metrics') {
      exposed.metrics().then(
        (text) => res.writeHead(200, { 'content-type': exposed.contentType }).end(text),
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
  log.info({ address, http: addressOf(http.address()), nodeId, peers: peers.map((p) => `${p.id}=${p.address}`).join(',') }, 'master listening');

  let closed = false;
  return {
    address,
    httpAddress: addressOf(http.address()),
    service,
    store: st,
    nodeId,
    gc,
    async close() {
      if (closed) return;
      closed = true;
      await transitions;
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
      await st.close();
    },
  };
}

/** A service whose handlers answer unavailable until `impl()` is there, then delegate to it. */
function deferredService(def: grpc.ServiceDefinition, impl: () => grpc.UntypedServiceImplementation | undefined): grpc.UntypedServiceImplementation {
  const out: grpc.UntypedServiceImplementation = {};
  for (const [name, m] of Object.entries(def)) {
    if (m.requestStream || m.responseStream) throw new Error(`deferredService: ${name} is a streaming method`);
    const method = name;
    out[method] = ((call: grpc.ServerUnaryCall<unknown, unknown>, cb: grpc.sendUnaryData<unknown>) => {
      const h = impl()?.[method] as grpc.handleUnaryCall<unknown, unknown> | undefined;
      if (!h) return cb(toServiceError(new GodfsError('unavailable', 'this master is still starting')));
      h(call, cb);
    }) as grpc.UntypedHandleCall;
  }
  return out;
}

function closeHttp(server: HttpServer): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
