// The master's chunk-placement and cluster-administration RPCs: allocation (a lease grant per chunk
// version, GFS §3.1), chunkserver registration and heartbeats (GFS §4.4 chunk reports), corrupt-replica
// reports (GFS §5.2), abandoned writes, drain, and the views `godfs admin nodes|chunks|stats` show.
import type * as grpc from '@grpc/grpc-js';
import { GodfsError, InvalidArgumentError, NotFoundError } from '../../common/errors.js';
import type { Logger } from '../../common/log.js';
import { normalizePath } from '../../common/paths.js';
import type { MasterHandlers } from '../../proto/generated/godfs/master/v1/Master.js';
import type { ChunkInfo } from '../../proto/generated/godfs/master/v1/ChunkInfo.js';
import type { NodeInfo } from '../../proto/generated/godfs/master/v1/NodeInfo.js';
import type { WritePrecheck__Output } from '../../proto/generated/godfs/master/v1/WritePrecheck.js';
import type { Allocations } from './allocations.js';
import type { MasterMetrics } from './metrics.js';
import type { Reconciler } from './reconcile.js';
import type { Registry } from './registry.js';
import type { RepairManager } from './repair.js';
import type { MasterService, ServiceConfig } from './service.js';

export interface ClusterDeps {
  svc: MasterService;
  registry: Registry;
  allocations: Allocations;
  repair: RepairManager;
  reconciler: Reconciler;
  cfg: ServiceConfig;
  metrics: MasterMetrics;
  log: Logger;
}

type Wrap = <Req, Res>(fn: (req: Req, call: grpc.ServerUnaryCall<Req, Res>) => Promise<Res> | Res) => grpc.handleUnaryCall<Req, Res>;

type ClusterHandlers = Pick<
  MasterHandlers,
  'AllocateChunk' | 'Register' | 'Heartbeat' | 'ListNodes' | 'ClusterStats' | 'ReportBadReplica' | 'AbandonChunks' | 'RenewWrite' | 'DrainNode' | 'ListChunks'
>;

const LIST_CHUNKS_DEFAULT = 1000;
const LIST_CHUNKS_MAX = 10_000;

export function nodeInfo(d: ClusterDeps, id: string, now = Date.now()): NodeInfo {
  const n = d.registry.nodes.get(id);
  const base = { id, draining: d.svc.fsm.draining.has(id), needed_chunks: d.repair.needed.get(id) ?? 0 };
  if (!n) return { ...base, alive: false };
  return {
    ...base, addr: n.addr, control_addr: n.controlAddr, capacity: n.capacity, free: n.free, used: n.used, chunk_count: n.chunkCount,
    last_heartbeat_ms: n.lastHeartbeatMs, alive: d.registry.isAlive(n, now), zone: n.zone, full: d.registry.isFull(n),
  };
}

export function clusterStats(d: ClusterDeps) {
  const fsm = d.svc.fsm;
  const alive = d.registry.alive(Date.now());
  const s = d.repair.stats;
  return {
    cluster_id: fsm.clusterId,
    capacity: alive.reduce((a, n) => a + n.capacity, 0),
    free: alive.reduce((a, n) => a + n.free, 0),
    used: alive.reduce((a, n) => a + n.used, 0),
    nodes_alive: alive.length,
    nodes_total: d.registry.nodes.size,
    inodes: fsm.inodes.size,
    chunks: fsm.chunks.size,
    default_replication: d.cfg.replication,
    max_chunk_size: d.cfg.maxChunkSize,
    applied_index: fsm.appliedIndex,
    under_replicated: s.underReplicated,
    unrepairable: s.unrepairable,
    stale_replicas: d.reconciler.stale.size,
    repair_queue: s.queue,
    repairs_done: s.repairsDone,
    nodes_draining: fsm.draining.size,
    bad_replicas: d.repair.badCount(),
  };
}

export function clusterHandlers(d: ClusterDeps, u: Wrap): ClusterHandlers {
  const { svc, registry, allocations, repair, reconciler, cfg, metrics, log } = d;
  const now = () => Date.now();
  /**
   * The commit a new write will ask for, checked before any byte is sent (fails the same way the
   * commit would). A failure is confirmed after the durability barrier, so no one is refused over
   * state that is not yet durable; a pass needs no barrier, as the commit checks everything again.
   */
  const precheckWrite = async (p: WritePrecheck__Output): Promise<void> => {
    const c = {
      path: normalizePath(p.path), mode: 'replace' as const, create: true, exclusive: p.exclusive, ifMatch: p.if_match, parents: p.parents,
      ...(p.parents_below ? { parentsBelow: normalizePath(p.parents_below) } : {}),
    };
    try {
      svc.fsm.checkCommit(c);
    } catch {
      await svc.barrier();
      svc.fsm.checkCommit(c);
    }
  };
  return {
    AllocateChunk: u(async (r) => {
      const t = now();
      const replication = r.replication || cfg.replication;
      if (replication > 16) throw new InvalidArgumentError('replication factor above 16');
      if (r.precheck?.path) await precheckWrite(r.precheck);
      const fsm = svc.fsm;
      // Distinct live nodes with room, spread across zones (registry.ts); never a draining node, never
      // one that already failed this chunk; recently failed ones only when nothing else is left.
      const exclude = new Set([...r.exclude_nodes, ...fsm.draining]);
      await registry.awaitView(() => registry.alive(Date.now()).filter((n) => !exclude.has(n.id)).length >= replication);
      const nodes = registry.place(replication, t, { exclude, avoid: new Set(r.avoid_nodes) });
      let id: number;
      let version = 1;
      if (r.retry_chunk_id) {
        // A new lease on the same chunk: version+1, so the failed attempt's replicas are stale (GFS §4.5).
        id = r.retry_chunk_id;
        if (!Number.isSafeInteger(id) || id >= fsm.chunkIdLimit) throw new InvalidArgumentError(`chunk ${id} was never allocated`);
        if (fsm.chunks.has(id) || fsm.garbage.has(id)) throw new GodfsError('conflict', `chunk ${id} is already committed`);
        if (allocations.isRetired(id)) throw new GodfsError('conflict', `chunk ${id}: its allocation expired or was abandoned; write again`);
        version = Math.max(allocations.chunks.get(id)?.version ?? 0, r.retry_version) + 1;
        metrics.writeRetries.inc();
        log.info({ chunk: id, version, exclude: r.exclude_nodes, replicas: nodes.map((n) => n.id) }, 'chunk re-leased for a retried write');
      } else {
        id = await svc.allocateId();
      }
      allocations.grant(id, version, r.write_id || `chunk-${id}`, nodes.map((n) => n.id), t);
      metrics.chunksAllocated.inc();
      return {
        chunk_id: id, version, replicas: nodes.map((n) => ({ id: n.id, addr: n.addr, chunks_dir: n.chunksDir ?? '' })), max_chunk_size: cfg.maxChunkSize,
        lease_ms: reconciler.graceMs,
      };
    }),
    RenewWrite: u((r) => {
      if (!r.write_id) throw new InvalidArgumentError('write_id is required');
      const t = now();
      const fsm = svc.fsm;
      // Check every chunk before changing anything: a refused renewal leaves the leases as they were.
      const regrant: typeof r.chunks = [];
      for (const c of r.chunks) {
        const id = c.chunk_id;
        if (!Number.isSafeInteger(id) || id <= 0 || id >= fsm.chunkIdLimit) throw new InvalidArgumentError(`chunk ${id} was never allocated`);
        if (fsm.chunks.has(id)) continue; // committed meanwhile: nothing to keep alive
        if (allocations.isRetired(id) || fsm.garbage.has(id)) throw new GodfsError('conflict', `chunk ${id}: its allocation expired or was abandoned; write again`);
        const owner = allocations.owner(id);
        if (owner !== undefined && owner !== r.write_id) throw new GodfsError('conflict', `chunk ${id} belongs to another write`);
        if (owner === undefined) regrant.push(c);
      }
      // Unknown but allocated (the master restarted; leases are soft state): granted again, so the
      // replicas already written are not taken for orphans and the commit that follows finds its lease.
      for (const c of regrant) allocations.grant(c.chunk_id, c.version, r.write_id, c.node_ids, t);
      if (regrant.length) log.info({ write: r.write_id, chunks: regrant.map((c) => c.chunk_id) }, 'write lease granted again after a master restart');
      allocations.renew(r.write_id, t);
      return { lease_ms: reconciler.graceMs };
    }),
    AbandonChunks: u((r) => {
      const fsm = svc.fsm;
      const dropped = allocations.abandon(r.write_id, r.chunk_ids);
      for (const [id, p] of dropped) {
        if (fsm.chunks.has(id) || fsm.garbage.has(id)) continue;
        for (const node of p.nodes) registry.queueDelete(node, id);
      }
      if (dropped.length) log.info({ write: r.write_id, chunks: dropped.length }, 'abandoned write: its chunks are deleted');
      return {};
    }),
    ReportBadReplica: u((r) => {
      if (!r.chunk_id || !r.node_id) throw new InvalidArgumentError('chunk_id and node_id are required');
      log.warn({ chunk: r.chunk_id, node: r.node_id, reason: r.reason }, 'a reader reported a bad replica');
      reconciler.onBad(r.node_id, [{ chunkId: r.chunk_id, version: r.version }], 'client');
      return {};
    }),
    Register: u(async (r) => {
      if (!r.node_id || !r.addr) throw new InvalidArgumentError('node_id and addr are required');
      registry.upsert({ id: r.node_id, addr: r.addr, controlAddr: r.control_addr, zone: r.zone, chunksDir: r.chunks_dir, capacity: r.capacity, free: r.free, used: 0, chunkCount: r.chunks.length }, now());
      reconciler.onReport(r.node_id, r.chunks);
      log.info({ node: r.node_id, addr: r.addr, chunks: r.chunks.length }, 'chunkserver registered');
      repair.kick();
      await svc.barrier();
      return { cluster_id: svc.fsm.clusterId, heartbeat_interval_ms: cfg.heartbeatIntervalMs };
    }),
    Heartbeat: u((r) => {
      const t = now();
      const node = registry.nodes.get(r.node_id);
      if (!node) return { delete_chunks: [], delete_stale: [], reregister: true };
      const wasDead = !registry.isAlive(node, t);
      registry.upsert({ ...node, addr: r.addr || node.addr, capacity: r.capacity, free: r.free, used: r.used, chunkCount: r.chunk_count }, t);
      if (r.full_report) reconciler.onReport(r.node_id, r.chunks, t);
      if (r.bad_chunks.length) reconciler.onBad(r.node_id, r.bad_chunks.map((c) => ({ chunkId: c.chunk_id, version: c.version })), 'chunkserver');
      if (wasDead) {
        log.info({ node: r.node_id }, 'chunkserver is back');
        repair.kick();
      }
      return { delete_chunks: registry.takeDeletes(r.node_id), delete_stale: registry.takeStaleDeletes(r.node_id), reregister: false };
    }),
    ListNodes: u(() => {
      const t = now();
      const ids = new Set([...registry.nodes.keys(), ...svc.fsm.draining]);
      return { nodes: [...ids].sort().map((id) => nodeInfo(d, id, t)) };
    }),
    ClusterStats: u(() => svc.read(() => clusterStats(d))),
    DrainNode: u(async (r) => {
      if (!r.node_id) throw new InvalidArgumentError('node_id is required');
      if (!registry.nodes.has(r.node_id) && !svc.fsm.draining.has(r.node_id)) throw new NotFoundError(`no such chunkserver: ${r.node_id}`);
      await svc.propose({ op: 'node_drain', nodeId: r.node_id, draining: !r.cancel });
      log.info({ node: r.node_id, draining: !r.cancel }, r.cancel ? 'drain cancelled' : 'draining chunkserver: its replicas move elsewhere');
      repair.kick();
      return nodeInfo(d, r.node_id);
    }),
    ListChunks: u((r) =>
      svc.read(() => {
        const fsm = svc.fsm;
        const t = now();
        const limit = Math.min(r.limit || LIST_CHUNKS_DEFAULT, LIST_CHUNKS_MAX);
        let ids: number[];
        if (r.path) {
          const ino = fsm.resolve(normalizePath(r.path));
          ids = [...new Set((ino.extents ?? []).map((e) => e.chunkId).filter((id) => id !== 0))];
        } else {
          ids = [...fsm.chunks.keys()];
        }
        ids = ids.filter((id) => id > r.after_chunk_id).sort((a, b) => a - b);
        const chunks: ChunkInfo[] = [];
        let next = 0;
        for (const id of ids) {
          const rec = fsm.chunks.get(id);
          if (!rec || (r.node_id && !rec.replicas.includes(r.node_id))) continue;
          const goal = rec.goal ?? rec.replicas.length;
          const c = repair.classify(id, rec, t);
          if (r.under_replicated && c.live.length >= goal) continue;
          if (chunks.length === limit) {
            next = chunks[chunks.length - 1]!.chunk_id as number;
            break;
          }
          chunks.push({
            chunk_id: id, version: rec.version, size: rec.size ?? 0, goal, usable: c.live.length, repairing: repair.inflight.has(id),
            replicas: rec.replicas.map((n) => ({ node_id: n, addr: registry.nodes.get(n)?.addr ?? '', state: repair.state(id, n, t) })),
          });
        }
        return { chunks, next_after_chunk_id: next };
      }),
    ),
  };
}
