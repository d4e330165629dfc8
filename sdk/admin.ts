// Cluster views and administration over the master's RPCs: totals, chunkservers, drain, chunk
// replica states (`godfs admin stats|nodes|drain|chunks`).
import type { ClusterStatsResponse__Output } from '../proto/generated/godfs/master/v1/ClusterStatsResponse.js';
import type { ListChunksResponse__Output } from '../proto/generated/godfs/master/v1/ListChunksResponse.js';
import type { ListNodesResponse__Output } from '../proto/generated/godfs/master/v1/ListNodesResponse.js';
import type { NodeInfo__Output } from '../proto/generated/godfs/master/v1/NodeInfo.js';
import type { MasterConnection } from './master-client.js';
import type { ChunkList, ClusterStats, ListChunksOptions, NodeStatus, ReplicaStatus } from './types.js';

type Call = <Res>(method: Parameters<MasterConnection['call']>[0], req: object) => Promise<Res>;

export async function clusterStats(call: Call): Promise<ClusterStats> {
  const s = await call<ClusterStatsResponse__Output>('ClusterStats', {});
  return {
    clusterId: s.cluster_id, capacity: s.capacity, free: s.free, used: s.used, nodesAlive: s.nodes_alive, nodesTotal: s.nodes_total,
    inodes: s.inodes, chunks: s.chunks, defaultReplication: s.default_replication, maxChunkSize: s.max_chunk_size,
    underReplicated: s.under_replicated, unrepairable: s.unrepairable, staleReplicas: s.stale_replicas, badReplicas: s.bad_replicas,
    repairQueue: s.repair_queue, repairsDone: s.repairs_done, nodesDraining: s.nodes_draining,
  };
}

function nodeStatus(n: NodeInfo__Output): NodeStatus {
  return {
    id: n.id, addr: n.addr, controlAddr: n.control_addr, capacity: n.capacity, free: n.free, used: n.used,
    chunkCount: n.chunk_count, lastHeartbeatMs: n.last_heartbeat_ms, alive: n.alive, zone: n.zone,
    draining: n.draining, neededChunks: n.needed_chunks, full: n.full,
  };
}

export async function listNodes(call: Call): Promise<NodeStatus[]> {
  return (await call<ListNodesResponse__Output>('ListNodes', {})).nodes.map(nodeStatus);
}

export async function drainNode(call: Call, nodeId: string, opts: { cancel?: boolean }): Promise<NodeStatus> {
  return nodeStatus(await call<NodeInfo__Output>('DrainNode', { node_id: nodeId, cancel: !!opts.cancel }));
}

export async function listChunks(call: Call, o: ListChunksOptions): Promise<ChunkList> {
  const r = await call<ListChunksResponse__Output>('ListChunks', {
    under_replicated: !!o.underReplicated, node_id: o.nodeId ?? '', path: o.path ?? '', limit: o.limit ?? 0, after_chunk_id: o.afterChunkId ?? 0,
  });
  return {
    chunks: r.chunks.map((c) => ({
      chunkId: c.chunk_id, version: c.version, size: c.size, goal: c.goal, usable: c.usable, repairing: c.repairing,
      replicas: c.replicas.map((x) => ({ nodeId: x.node_id, addr: x.addr, state: x.state as ReplicaStatus['state'] })),
    })),
    nextAfterChunkId: r.next_after_chunk_id || null,
  };
}
