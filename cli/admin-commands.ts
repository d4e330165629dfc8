// `godfs admin nodes|stats|drain|chunks|raft`: the master's view of the cluster, as tables or JSON, and
// draining a chunkserver before removing it (docs/operations.md).
import type { Command } from 'commander';
import { GodfsError } from '../common/errors.js';
import type { Godfs, GodfsAdmin } from '../sdk/types.js';
import { addClientOptions, withClient } from './client-options.js';
import { humanBytes, isoTime, table } from './format.js';
import { registerRaftCommands } from './raft-commands.js';

function admin(client: Godfs): Godfs & GodfsAdmin {
  const c = client as Godfs & Partial<GodfsAdmin>;
  if (!c.drainNode || !c.listChunks) throw new GodfsError('not_implemented', 'this client cannot administer the cluster');
  return c as Godfs & GodfsAdmin;
}

function nodeState(n: { alive: boolean; draining?: boolean; full?: boolean }): string {
  return [n.alive ? 'alive' : 'dead', n.draining ? 'draining' : '', n.full ? 'full' : ''].filter(Boolean).join(',');
}

export function registerAdminCommands(program: Command): void {
  const adminCmd = program.command('admin').summary('cluster administration').description('Cluster administration commands (they talk to the master).');

  addClientOptions(
    adminCmd
      .command('nodes')
      .summary('list chunkservers')
      .description('Lists the chunkservers the master knows: address, zone, state (alive/dead, draining, full), capacity, usage, chunk count, chunks the master counts on it, last heartbeat.')
      .option('--json', 'print JSON', false),
  ).action(async (o: { json: boolean }, cmd: Command) => {
    await withClient(cmd, async (client) => {
      const nodes = await client.listNodes();
      if (o.json) {
        process.stdout.write(JSON.stringify(nodes, null, 2) + '\n');
        return;
      }
      const rows = nodes.map((n) => [
        n.id,
        n.addr,
        n.zone || '-',
        nodeState(n),
        humanBytes(n.capacity),
        humanBytes(n.used),
        humanBytes(n.free),
        String(n.chunkCount),
        String(n.neededChunks ?? '-'),
        isoTime(n.lastHeartbeatMs),
      ]);
      process.stdout.write(table(['NODE', 'ADDRESS', 'ZONE', 'STATE', 'CAPACITY', 'USED', 'FREE', 'CHUNKS', 'NEEDED', 'LAST HEARTBEAT'], rows));
    });
  });

  addClientOptions(
    adminCmd
      .command('stats')
      .summary('show cluster totals')
      .description('Shows the cluster id, capacity and usage, node counts, inode and chunk counts, replication health, and defaults.')
      .option('--json', 'print JSON', false),
  ).action(async (o: { json: boolean }, cmd: Command) => {
    await withClient(cmd, async (client) => {
      const s = await client.clusterStats();
      if (o.json) {
        process.stdout.write(JSON.stringify(s, null, 2) + '\n');
        return;
      }
      const rows = [
        ['cluster id', s.clusterId],
        ['chunkservers', `${s.nodesAlive} alive / ${s.nodesTotal} known${s.nodesDraining ? `, ${s.nodesDraining} draining` : ''}`],
        ['capacity', humanBytes(s.capacity)],
        ['used', humanBytes(s.used)],
        ['free', humanBytes(s.free)],
        ['inodes', String(s.inodes)],
        ['chunks', String(s.chunks)],
        ['under-replicated chunks', String(s.underReplicated ?? '-')],
        ['unrepairable chunks', String(s.unrepairable ?? '-')],
        ['stale replicas', String(s.staleReplicas ?? '-')],
        ['corrupt replicas', String(s.badReplicas ?? '-')],
        ['repair queue', String(s.repairQueue ?? '-')],
        ['default replication', String(s.defaultReplication)],
        ['max chunk size', humanBytes(s.maxChunkSize)],
      ];
      process.stdout.write(table(['STAT', 'VALUE'], rows));
    });
  });

  addClientOptions(
    adminCmd
      .command('drain')
      .summary('move every replica off a chunkserver')
      .description(
        'Marks a chunkserver draining: it gets no new chunks, and the master re-creates each of its replicas on other nodes, then deletes them from it. When NEEDED reaches 0 (see `godfs admin nodes`) the node holds nothing the cluster needs and can be removed. --wait blocks until then.',
      )
      .argument('<node>', 'node id (see `godfs admin nodes`)')
      .option('--cancel', 'stop draining: the node takes new chunks again', false)
      .option('--wait', 'wait until the node holds no needed chunk', false)
      .option('--json', 'print JSON', false),
  ).action(async (nodeId: string, o: { cancel: boolean; wait: boolean; json: boolean }, cmd: Command) => {
    await withClient(cmd, async (client) => {
      const a = admin(client);
      let n = await a.drainNode(nodeId, { cancel: o.cancel });
      // Done when no chunk counts a replica on the node (exact: asks the chunk map itself).
      const stillNeeded = async () => (await a.listChunks({ nodeId, limit: 1 })).chunks.length > 0;
      while (o.wait && !o.cancel && ((n.neededChunks ?? 0) > 0 || (await stillNeeded()))) {
        await new Promise((r) => setTimeout(r, 500));
        n = (await client.listNodes()).find((x) => x.id === nodeId) ?? n;
      }
      if (o.wait && !o.cancel) n = { ...n, neededChunks: 0 };
      if (o.json) process.stdout.write(JSON.stringify(n, null, 2) + '\n');
      else if (o.cancel) process.stdout.write(`${nodeId}: drain cancelled\n`);
      else process.stdout.write(`${nodeId}: draining, ${n.neededChunks ?? 0} chunks still needed on it${(n.neededChunks ?? 0) === 0 ? ' (drained: safe to remove)' : ''}\n`);
    });
  });

  addClientOptions(
    adminCmd
      .command('chunks')
      .summary('list chunks and their replicas')
      .description('Lists chunks with their version, size, replication goal, usable replicas and each replica\'s node and state (live, dead, draining, bad). Filters: --under-replicated, --node, --path.')
      .option('--under-replicated', 'only chunks below their replication goal', false)
      .option('--node <id>', 'only chunks with a replica on this node')
      .option('--path <path>', 'only chunks of this file')
      .option('--limit <n>', 'at most this many chunks (default: all)')
      .option('--json', 'print JSON', false),
  ).action(async (o: { underReplicated: boolean; node?: string; path?: string; limit?: string; json: boolean }, cmd: Command) => {
    await withClient(cmd, async (client) => {
      const limit = o.limit === undefined ? Infinity : Number(o.limit);
      if (!(limit > 0)) throw new GodfsError('invalid_argument', '--limit must be a positive number');
      const chunks = [];
      let after: number | null = 0;
      while (after !== null && chunks.length < limit) {
        const page = await admin(client).listChunks({ underReplicated: o.underReplicated, nodeId: o.node, path: o.path, afterChunkId: after, limit: Math.min(1000, limit - chunks.length) });
        chunks.push(...page.chunks);
        after = page.nextAfterChunkId;
      }
      if (o.json) {
        process.stdout.write(JSON.stringify(chunks, null, 2) + '\n');
        return;
      }
      const rows = chunks.map((c) => [
        String(c.chunkId),
        String(c.version),
        humanBytes(c.size),
        `${c.usable}/${c.goal}`,
        c.repairing ? 'yes' : '-',
        c.replicas.map((r) => `${r.nodeId}(${r.state})`).join(' ') || '-',
      ]);
      process.stdout.write(table(['CHUNK', 'VERSION', 'SIZE', 'USABLE', 'REPAIRING', 'REPLICAS'], rows));
    });
  });
  registerRaftCommands(adminCmd);
}
