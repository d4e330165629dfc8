// `godfs admin nodes` and `godfs admin stats`: the master's view of the cluster, as tables or JSON.
import type { Command } from 'commander';
import { addClientOptions, withClient } from './client-options.js';
import { humanBytes, isoTime, table } from './format.js';

export function registerAdminCommands(program: Command): void {
  const admin = program.command('admin').summary('cluster administration').description('Cluster administration commands (they talk to the master).');

  addClientOptions(
    admin
      .command('nodes')
      .summary('list chunkservers')
      .description('Lists the chunkservers the master knows: address, zone, capacity, usage, chunk count, liveness.')
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
        n.alive ? 'alive' : 'dead',
        humanBytes(n.capacity),
        humanBytes(n.used),
        humanBytes(n.free),
        String(n.chunkCount),
        isoTime(n.lastHeartbeatMs),
      ]);
      process.stdout.write(table(['NODE', 'ADDRESS', 'ZONE', 'STATE', 'CAPACITY', 'USED', 'FREE', 'CHUNKS', 'LAST HEARTBEAT'], rows));
    });
  });

  addClientOptions(
    admin
      .command('stats')
      .summary('show cluster totals')
      .description('Shows the cluster id, capacity and usage, node counts, inode and chunk counts, and defaults.')
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
        ['chunkservers', `${s.nodesAlive} alive / ${s.nodesTotal} known`],
        ['capacity', humanBytes(s.capacity)],
        ['used', humanBytes(s.used)],
        ['free', humanBytes(s.free)],
        ['inodes', String(s.inodes)],
        ['chunks', String(s.chunks)],
        ['default replication', String(s.defaultReplication)],
        ['max chunk size', humanBytes(s.maxChunkSize)],
      ];
      process.stdout.write(table(['STAT', 'VALUE'], rows));
    });
  });
}
