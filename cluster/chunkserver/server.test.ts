// The chunkserver process as a whole: node-id persistence, prompt shutdown, and its link to a real
// master (cluster/master) — registration when the master comes up late, re-registration after a
// master restart, and deletion of orphaned replicas named in heartbeat replies (GFS §4.4).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Agent, get } from 'node:http';
import { createServer, type Socket } from 'node:net';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { pino } from 'pino';
import { authMetadata } from '../../common/grpc.js';
import { parseHostPort } from '../../common/net.js';
import { masterProto } from '../../proto/load.js';
import type { NodeInfo__Output } from '../../proto/generated/godfs/master/v1/NodeInfo.js';
import { startMaster, type MasterHandle } from '../master/server.js';
import { startChunkserver } from './server.js';
import { Servers, TempDirs, getChunk, http, putChunk } from '../../test/chunkserver.js';
import { eventually } from '../../test/eventually.js';

const KEY = 'cluster-key';

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as { port: number }).port;
  await new Promise((r) => srv.close(r));
  return port;
}

/** A warn-level logger that counts the lines carrying each of `msgs` (the link's failed calls). */
function countingLogger(...msgs: string[]) {
  const counts = new Map(msgs.map((m) => [m, 0]));
  const logger = pino({ level: 'warn' }, {
    write: (line: string) => {
      const msg = (JSON.parse(line) as { msg?: string }).msg ?? '';
      if (counts.has(msg)) counts.set(msg, counts.get(msg)! + 1);
    },
  });
  return { logger, count: (msg: string) => counts.get(msg) ?? 0 };
}

function listNodes(masterAddr: string): Promise<NodeInfo__Output[]> {
  // A private subchannel pool: a shared one may still be backing off from the master we just stopped.
  const c = new (masterProto().godfs.master.v1.Master)(masterAddr, grpc.credentials.createInsecure(), { 'grpc.use_local_subchannel_pool': 1 });
  return new Promise((resolve, reject) =>
    c.ListNodes({}, authMetadata(KEY), (err, res) => {
      c.close();
      if (err) reject(err);
      else resolve(res!.nodes);
    }),
  );
}

describe('chunkserver process', function () {
  this.timeout(30_000);
  const servers = new Servers();
  const dirs = new TempDirs();
  const masters: MasterHandle[] = [];
  afterEach(async () => {
    await servers.stop();
    for (const m of masters.splice(0)) await m.close();
    await dirs.cleanup();
  });

  const master = async (dataDir: string, port: number) => {
    const m = await startMaster({ dataDir, listen: `127.0.0.1:${port}`, apiKey: KEY, heartbeatIntervalMs: 100, gcGraceMs: 0, gcIntervalMs: 100 });
    masters.push(m);
    return m;
  };

  it('keeps its node id and chunks across a restart, and closes promptly with idle connections open', async () => {
    const dir = await dirs.make();
    const first = await startChunkserver({ dataDir: dir, listen: '127.0.0.1:0' });
    assert.match(first.nodeId, /^cs-[0-9a-f]{16}$/);
    assert.equal((await putChunk(first.address, 3, 1, Buffer.from('durable'))).status, 200);
    // An idle keep-alive connection must not hold the shutdown up.
    const agent = new Agent({ keepAlive: true });
    const { host, port } = parseHostPort(first.address);
    await new Promise<void>((resolve, reject) => {
      get({ host, port, path: '/healthz', agent }, (res) => res.resume().on('end', () => resolve())).on('error', reject);
    });
    await eventually(() => Object.keys(agent.freeSockets).length === 1, 20_000, 'an idle keep-alive socket');
    const t0 = Date.now();
    await first.close();
    // Held up by the idle connection, close would take the server's 5 s keep-alive timeout.
    assert.ok(Date.now() - t0 < 4000, `close took ${Date.now() - t0} ms`);
    agent.destroy();

    const again = await servers.start({ dataDir: dir });
    assert.equal(again.nodeId, first.nodeId);
    assert.equal((await getChunk(again.address, 3)).body.toString(), 'durable');
    const named = await servers.start({ dataDir: await dirs.make(), nodeId: 'cs-explicit' });
    assert.equal(named.nodeId, 'cs-explicit');
  });

  it('closes promptly while a call to an unresponsive master is pending', async () => {
    // A "master" that accepts TCP connections and never answers (a SIGSTOPped process looks like this).
    const sockets: Socket[] = [];
    const blackhole = createServer((sock) => sockets.push(sock));
    await new Promise<void>((r) => blackhole.listen(0, '127.0.0.1', r));
    try {
      const cs = await startChunkserver({ dataDir: await dirs.make(), listen: '127.0.0.1:0', master: `127.0.0.1:${(blackhole.address() as { port: number }).port}` });
      await eventually(() => sockets.length > 0, 20_000, 'a connection attempt');
      const t0 = Date.now();
      await cs.close();
      // Waiting out the pending call, close would take its 5 s deadline.
      assert.ok(Date.now() - t0 < 4000, `close took ${Date.now() - t0} ms`);
    } finally {
      sockets.forEach((s) => s.destroy());
      await new Promise((r) => blackhole.close(r));
    }
  });

  it('registers with a master that comes up late, then heartbeats; readyz follows', async () => {
    const port = await freePort();
    const log = countingLogger('cannot register with the master');
    const cs = await servers.start({ master: `127.0.0.1:${port}`, apiKey: KEY, zone: 'z1', logger: log.logger });
    await eventually(() => log.count('cannot register with the master') >= 2, 20_000, 'a few failed registration attempts');
    assert.equal((await http(cs.address, { method: 'GET', path: '/readyz' })).status, 503, 'not ready before registering');
    assert.equal((await http(cs.address, { method: 'GET', path: '/healthz' })).status, 200, 'alive all the same');

    const m = await master(join(await dirs.make(), 'm'), port);
    await eventually(async () => (await http(cs.address, { method: 'GET', path: '/readyz' })).status === 200, 20_000, 'registration');
    const nodes = await listNodes(m.address);
    assert.equal(nodes.length, 1);
    assert.equal(nodes[0]!.id, cs.nodeId);
    assert.equal(nodes[0]!.addr, cs.address);
    assert.equal(nodes[0]!.control_addr, cs.controlAddress);
    assert.equal(nodes[0]!.zone, 'z1');
    assert.equal(nodes[0]!.alive, true);
    const seen = Number(nodes[0]!.last_heartbeat_ms);
    await eventually(async () => Number((await listNodes(m.address))[0]!.last_heartbeat_ms) > seen, 20_000, 'a heartbeat');
  });

  it('registers again after a master restart (the registry is soft state)', async () => {
    const port = await freePort();
    const mdir = join(await dirs.make(), 'm');
    let m = await master(mdir, port);
    const log = countingLogger('heartbeat failed; will register again', 'cannot register with the master');
    const cs = await servers.start({ master: m.address, apiKey: KEY, logger: log.logger });
    await eventually(async () => (await listNodes(m.address)).length === 1, 20_000, 'registration');
    await m.close();
    masters.splice(0);
    // A heartbeat fails, then registering again does, while the master is away.
    await eventually(() => log.count('heartbeat failed; will register again') >= 1 && log.count('cannot register with the master') >= 1, 20_000, 'failed calls to the stopped master');
    m = await master(mdir, port);
    await eventually(async () => (await listNodes(m.address)).some((n) => n.id === cs.nodeId && n.alive), 20_000, 're-registration');
  });

  it('deletes replicas the master names in heartbeat replies (orphans after the GC grace)', async () => {
    const port = await freePort();
    const dir = await dirs.make();
    // A replica the master never heard of, e.g. from a write that never committed.
    const cs0 = await servers.start({ dataDir: dir });
    assert.equal((await putChunk(cs0.address, 987654, 1, randomBytes(1000))).status, 200);
    await servers.stop();

    await master(join(await dirs.make(), 'm'), port);
    const cs = await startChunkserver({ dataDir: dir, listen: '127.0.0.1:0', master: `127.0.0.1:${port}`, apiKey: KEY });
    try {
      assert.equal(cs.store.has(987654), true);
      await eventually(() => !cs.store.has(987654), 20_000, 'the orphan to be deleted');
    } finally {
      await cs.close();
    }
  });
});
