// A promise wrapper over the generated Master gRPC client: deadlines, the API key, typed errors, and
// retries while the master is unreachable (reads, and writes — each write carries a session tag, so the
// master applies a resent one once; cluster/master/session.ts), and
// following the Raft leader across a group of masters (common/master-addresses.ts).
import { randomUUID } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import { GodfsError } from '../common/errors.js';
import { authMetadata, fromServiceError, SESSION_METADATA } from '../common/grpc.js';
import { LeaderTracker, parseMasterList } from '../common/master-addresses.js';
import { masterProto, type MasterClient } from '../proto/load.js';

type Method = keyof MasterClient & string;

/** Methods that change nothing: safe to retry whatever happened to the first attempt. */
const READS = new Set([
  'ListAccessKeys', 'Stat', 'Lstat', 'List', 'Locate', 'ListParts', 'ListUploads', 'ListNodes', 'ClusterStats', 'Heartbeat', 'Register',
  // Idempotent: repeating them changes nothing more.
  'ListChunks', 'ReportBadReplica', 'AbandonChunks', 'RenewWrite', 'DrainNode',
]);

export class MasterConnection {
  readonly #clients = new Map<string, MasterClient>();
  readonly #leader: LeaderTracker;
  #apiKey: string | undefined;
  #timeoutMs: number;
  #retryForMs: number;
  /** Session tag of this connection's writes: each call gets the next seq, kept across its resends. */
  readonly #sessionId = randomUUID();
  #seq = 0;

  /** `addr`: one master, or the masters of a Raft group (a list, or `a:1,b:2,c:3`). */
  constructor(addr: string | readonly string[], apiKey: string | undefined, timeoutMs = 30_000, retryForMs = 15_000) {
    this.#leader = new LeaderTracker(parseMasterList(addr));
    this.#apiKey = apiKey;
    this.#timeoutMs = timeoutMs;
    this.#retryForMs = retryForMs;
  }

  /** The master calls go to now (the leader, once one answered). */
  get current(): string {
    return this.#leader.current;
  }

  #client(addr: string): MasterClient {
    let c = this.#clients.get(addr);
    if (!c) {
      const Ctor = masterProto().godfs.master.v1.Master;
      c = new Ctor(addr, grpc.credentials.createInsecure(), {
        'grpc.max_receive_message_length': 64 * 2 ** 20,
        'grpc.max_send_message_length': 64 * 2 ** 20,
        'grpc.initial_reconnect_backoff_ms': 100,
        'grpc.max_reconnect_backoff_ms': 1000,
      });
      this.#clients.set(addr, c);
    }
    return c;
  }

  /**
   * Calls a unary method: `call('Stat', { path })`. A not_leader refusal (nothing was done) is retried on
   * the leader it names, or on the next master while an election runs; an unreachable master is retried
   * (on the next one, if several are known) when the call never reached it or changes nothing.
   */
  async call<Res>(method: Method, req: object): Promise<Res> {
    const started = Date.now();
    let delay = 50;
    let hops = 0;
    // A write carries a session tag (cluster/master/session.ts): resent with the same tag, it applies once.
    const md = authMetadata(this.#apiKey);
    const tagged = !READS.has(method);
    if (tagged) md.set(SESSION_METADATA, `${this.#sessionId}:${++this.#seq}`);
    for (;;) {
      const addr = this.#leader.current;
      try {
        return await this.#once<Res>(addr, method, req, md);
      } catch (raw) {
        const err = fromServiceError(raw);
        const retryable = err.code === 'not_leader' || (err.code === 'unavailable' && (READS.has(method) || tagged));
        if (!retryable || Date.now() - started + delay > this.#retryForMs) throw err;
        const move = this.#leader.failed(addr, err);
        // A hint is followed at once; a few in a row without success mean the group is changing: back off.
        if (move === 'hint' && ++hops <= 3) continue;
        hops = 0;
        await new Promise((r) => setTimeout(r, delay));
        delay = Math.min(delay * 2, 1000);
      }
    }
  }

  #once<Res>(addr: string, method: Method, req: object, md: grpc.Metadata): Promise<Res> {
    return new Promise((resolve, reject) => {
      const client = this.#client(addr);
      const fn = (client as unknown as Record<string, (...a: unknown[]) => grpc.ClientUnaryCall>)[method];
      if (typeof fn !== 'function') return reject(new GodfsError('internal', `no such master method ${method}`));
      fn.call(client, req, md, { deadline: Date.now() + this.#timeoutMs }, (err: grpc.ServiceError | null, res: Res) =>
        err ? reject(err) : resolve(res),
      );
    });
  }

  close(): void {
    for (const c of this.#clients.values()) c.close();
    this.#clients.clear();
  }
}
