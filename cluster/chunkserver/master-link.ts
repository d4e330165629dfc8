// Registration and heartbeats to the master (GFS §2.6.2, §4.4: the master learns which replicas a
// chunkserver holds from its reports, and piggybacks deletions of orphaned replicas on the replies).
// The master may be down or restarting at any time: the link retries with capped exponential backoff,
// re-registers (with a full chunk report) after any lost heartbeat or when told to, and never throws.
// With several masters (a Raft group) only the leader keeps the registry: a follower's not_leader names
// the leader, and the link registers there at once (common/master-addresses.ts).
import * as grpc from '@grpc/grpc-js';
import { authMetadata, fromServiceError } from '../../common/grpc.js';
import { LeaderTracker, parseMasterList } from '../../common/master-addresses.js';
import type { Logger } from '../../common/log.js';
import { masterProto, type MasterClient } from '../../proto/load.js';
import type { HeartbeatRequest } from '../../proto/generated/godfs/master/v1/HeartbeatRequest.js';
import type { HeartbeatResponse__Output } from '../../proto/generated/godfs/master/v1/HeartbeatResponse.js';
import type { RegisterRequest } from '../../proto/generated/godfs/master/v1/RegisterRequest.js';
import type { RegisterResponse__Output } from '../../proto/generated/godfs/master/v1/RegisterResponse.js';
import type { ChunkStore } from './chunk-store.js';

/** Every Nth heartbeat carries the full chunk list (GC reconciliation). */
const FULL_REPORT_EVERY = 10;
const RPC_DEADLINE_MS = 5_000;
const BACKOFF_MIN_MS = 100;
const BACKOFF_MAX_MS = 5_000;
const GROUP_BACKOFF_MAX_MS = 500;

export interface MasterLinkOptions {
  /** One master address, or the masters of a group (`a:1,b:2,c:3`). */
  master: string;
  apiKey: string | undefined;
  nodeId: string;
  /** Data-plane host:port as clients reach it. */
  addr: string;
  /** gRPC control host:port as the master reaches it. */
  controlAddr: string;
  /** Absolute chunk directory, advertised for short-circuit reads ('' to not advertise it). */
  chunksDir?: string;
  zone: string;
  store: ChunkStore;
  logger: Logger;
}

export class MasterLink {
  #o: MasterLinkOptions;
  readonly #clients = new Map<string, MasterClient>();
  readonly #leader: LeaderTracker;
  #log: Logger;
  #stopped = false;
  #registered = false;
  #everRegistered = false;
  #intervalMs = 1000;
  #beat = 0;
  #wake: (() => void) | undefined;
  #timer: NodeJS.Timeout | undefined;
  #loop: Promise<void> | undefined;
  #inflight: grpc.ClientUnaryCall | undefined;

  constructor(o: MasterLinkOptions) {
    this.#o = o;
    this.#log = o.logger;
    this.#leader = new LeaderTracker(parseMasterList(o.master));
  }

  /** The master this link talks to now. */
  get master(): string {
    return this.#leader.current;
  }

  get #client(): MasterClient {
    const addr = this.#leader.current;
    let c = this.#clients.get(addr);
    if (!c) {
      // grpc-js backs reconnects off up to 120 s by default; a chunkserver must notice a restarted master
      // within a few heartbeats, so cap the channel's backoff near our own.
      c = new (masterProto().godfs.master.v1.Master)(addr, grpc.credentials.createInsecure(), {
        'grpc.initial_reconnect_backoff_ms': BACKOFF_MIN_MS,
        'grpc.max_reconnect_backoff_ms': BACKOFF_MAX_MS,
      });
      this.#clients.set(addr, c);
    }
    return c;
  }

  /** True once a Register call has succeeded (it stays true while the master is briefly away). */
  get registered(): boolean {
    return this.#everRegistered;
  }

  /** True while the latest Register/Heartbeat succeeded. */
  get connected(): boolean {
    return this.#registered;
  }

  start(): void {
    this.#loop ??= this.#run();
  }

  /** Resolves once the first registration succeeded (or the link stopped). */
  async waitRegistered(timeoutMs: number): Promise<boolean> {
    const until = Date.now() + timeoutMs;
    while (!this.#everRegistered && !this.#stopped && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    return this.#everRegistered;
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#wake?.();
    this.#inflight?.cancel(); // do not wait out the deadline of a call to an unresponsive master
    await this.#loop;
    for (const c of this.#clients.values()) c.close();
    this.#clients.clear();
  }

  async #run(): Promise<void> {
    let backoff = BACKOFF_MIN_MS;
    let hops = 0;
    while (!this.#stopped) {
      const master = this.#leader.current;
      try {
        if (!this.#registered) await this.#register();
        else await this.#heartbeat();
        backoff = BACKOFF_MIN_MS;
        hops = 0;
        await this.#sleep(this.#intervalMs);
      } catch (err) {
        if (this.#stopped) break;
        const e = fromServiceError(err);
        const move = this.#leader.failed(master, e);
        if (move !== 'none') this.#log.info({ from: master, to: this.#leader.current, code: e.code }, 'following the master leader');
        const wasRegistered = this.#registered;
        this.#registered = false;
        // The leader named in a refusal is tried at once (the registry lives on the leader only).
        if (move === 'hint' && ++hops <= 3) continue;
        hops = 0;
        // With several masters, an election takes about a second: look around quickly, backoff capped low.
        const many = this.#leader.addresses.length > 1;
        if (wasRegistered) this.#log.warn({ code: e.code, msg: e.message, master }, 'heartbeat failed; will register again');
        else this.#log.warn({ code: e.code, msg: e.message, master, retryMs: backoff }, 'cannot register with the master');
        await this.#sleep(backoff);
        backoff = Math.min(backoff * 2, many ? GROUP_BACKOFF_MAX_MS : BACKOFF_MAX_MS);
      }
    }
  }

  async #register(): Promise<void> {
    const { store } = this.#o;
    const space = await store.space();
    const req: RegisterRequest = {
      node_id: this.#o.nodeId,
      addr: this.#o.addr,
      control_addr: this.#o.controlAddr,
      chunks_dir: this.#o.chunksDir ?? '',
      capacity: space.capacity,
      free: space.free,
      zone: this.#o.zone,
      chunks: this.#report(),
    };
    const r = await call<RegisterResponse__Output>((cb) => (this.#inflight = this.#client.Register(req, authMetadata(this.#o.apiKey), this.#opts(this.#heartbeatDeadlineMs() + Math.ceil(req.chunks!.length / 100)), cb)));
    this.#intervalMs = r.heartbeat_interval_ms || 1000;
    this.#registered = true;
    this.#everRegistered = true;
    this.#beat = 0;
    this.#log.info({ master: this.#leader.current, cluster: r.cluster_id, chunks: store.chunkCount, intervalMs: this.#intervalMs }, 'registered with the master');
  }

  async #heartbeat(): Promise<void> {
    const { store } = this.#o;
    const space = await store.space();
    const full = ++this.#beat % FULL_REPORT_EVERY === 0;
    const req: HeartbeatRequest = {
      node_id: this.#o.nodeId,
      addr: this.#o.addr,
      capacity: space.capacity,
      free: space.free,
      used: space.used,
      chunk_count: store.chunkCount,
      chunks: full ? this.#report() : [],
      full_report: full,
      // GFS §5.2: corrupt replicas are reported until the master has them deleted.
      bad_chunks: store.corruptList().map((c) => ({ chunk_id: c.id, version: c.version, size: c.size })),
    };
    const res = await call<HeartbeatResponse__Output>((cb) => (this.#inflight = this.#client.Heartbeat(req, authMetadata(this.#o.apiKey), this.#opts(this.#heartbeatDeadlineMs()), cb)));
    // GFS §4.4: the master names replicas it no longer knows; the chunkserver is free to delete them.
    const doomed = res.delete_chunks ?? [];
    let deleted = 0;
    for (const id of doomed) {
      try {
        if (await store.delete(id)) deleted++;
      } catch (err) {
        this.#log.error({ err, chunk: id }, 'cannot delete chunk named by the master');
      }
    }
    // GFS §4.5: stale replicas, deleted only if still at (or below) the version the master saw.
    for (const { chunk_id: id, version } of res.delete_stale ?? []) {
      try {
        if (await store.deleteStale(id, version)) deleted++;
      } catch (err) {
        this.#log.error({ err, chunk: id }, 'cannot delete stale chunk named by the master');
      }
    }
    if (doomed.length > 0 || res.delete_stale?.length) this.#log.info({ requested: doomed.length + (res.delete_stale?.length ?? 0), deleted }, 'deleted chunks named in a heartbeat reply');
    if (res.reregister) {
      this.#log.info({ master: this.#leader.current }, 'master asked to register again');
      this.#registered = false;
      await this.#register();
    }
  }

  /** Sends a heartbeat now (a replica just turned out corrupt): the master hears of it at once. */
  nudge(): void {
    if (this.#registered) this.#wake?.();
  }

  #report() {
    return this.#o.store.list().map((c) => ({ chunk_id: c.id, version: c.version, size: c.size }));
  }

  /**
   * A heartbeat is small: one that takes several intervals means the master is hung or cut off, and a
   * new leader (which waits only so long for chunkservers to register) must hear from us before then.
   */
  #heartbeatDeadlineMs(): number {
    return Math.min(RPC_DEADLINE_MS, Math.max(1000, 5 * this.#intervalMs));
  }

  #opts(ms = RPC_DEADLINE_MS): grpc.CallOptions {
    return { deadline: Date.now() + ms };
  }

  #sleep(ms: number): Promise<void> {
    if (this.#stopped) return Promise.resolve();
    return new Promise((resolve) => {
      this.#wake = () => {
        clearTimeout(this.#timer);
        this.#wake = undefined;
        resolve();
      };
      this.#timer = setTimeout(this.#wake, ms);
    });
  }
}

function call<T>(invoke: (cb: (err: grpc.ServiceError | null, res?: T) => void) => unknown): Promise<T> {
  return new Promise((resolve, reject) => {
    invoke((err, res) => (err ? reject(err) : res === undefined ? reject(new Error('empty reply')) : resolve(res)));
  });
}
