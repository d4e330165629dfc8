// A promise wrapper over the generated Master gRPC client: deadlines, the API key, typed errors, and
// retries while the master is unreachable (a call that never reached it is always safe to resend).
import * as grpc from '@grpc/grpc-js';
import { GodfsError } from '../common/errors.js';
import { authMetadata, fromServiceError } from '../common/grpc.js';
import { masterProto, type MasterClient } from '../proto/load.js';

type Method = keyof MasterClient & string;

/** Methods that change nothing: safe to retry whatever happened to the first attempt. */
const READS = new Set([
  'ListAccessKeys', 'Stat', 'Lstat', 'List', 'Locate', 'ListParts', 'ListUploads', 'ListNodes', 'ClusterStats', 'Heartbeat', 'Register',
  // Idempotent: repeating them changes nothing more.
  'ListChunks', 'ReportBadReplica', 'AbandonChunks', 'RenewWrite', 'DrainNode',
]);

export class MasterConnection {
  #client: MasterClient;
  #apiKey: string | undefined;
  #timeoutMs: number;
  #retryForMs: number;

  constructor(addr: string, apiKey: string | undefined, timeoutMs = 30_000, retryForMs = 15_000) {
    const Ctor = masterProto().godfs.master.v1.Master;
    this.#client = new Ctor(addr, grpc.credentials.createInsecure(), {
      'grpc.max_receive_message_length': 64 * 2 ** 20,
      'grpc.max_send_message_length': 64 * 2 ** 20,
      'grpc.initial_reconnect_backoff_ms': 100,
      'grpc.max_reconnect_backoff_ms': 1000,
    });
    this.#apiKey = apiKey;
    this.#timeoutMs = timeoutMs;
    this.#retryForMs = retryForMs;
  }

  /** Calls a unary method: `call('Stat', { path })`. */
  async call<Res>(method: Method, req: object): Promise<Res> {
    const started = Date.now();
    let delay = 50;
    for (;;) {
      try {
        return await this.#once<Res>(method, req);
      } catch (raw) {
        const err = fromServiceError(raw);
        const neverSent = /No connection established|ECONNREFUSED|ECONNRESET|Connection dropped before/i.test((raw as grpc.ServiceError).details ?? '');
        const retryable = err.code === 'unavailable' && (READS.has(method) || neverSent);
        if (!retryable || Date.now() - started + delay > this.#retryForMs) throw err;
        await new Promise((r) => setTimeout(r, delay));
        delay = Math.min(delay * 2, 1000);
      }
    }
  }

  #once<Res>(method: Method, req: object): Promise<Res> {
    return new Promise((resolve, reject) => {
      const fn = (this.#client as unknown as Record<string, (...a: unknown[]) => grpc.ClientUnaryCall>)[method];
      if (typeof fn !== 'function') return reject(new GodfsError('internal', `no such master method ${method}`));
      fn.call(this.#client, req, authMetadata(this.#apiKey), { deadline: Date.now() + this.#timeoutMs }, (err: grpc.ServiceError | null, res: Res) =>
        err ? reject(err) : resolve(res),
      );
    });
  }

  close(): void {
    this.#client.close();
  }
}
