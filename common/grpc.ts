// gRPC glue shared by the master, the chunkserver and the sdk: errors cross the wire as a gRPC status
// plus the godfs code in the `godfs-code` trailer (and, for not_leader, the leader in `godfs-leader`); the API key rides in `authorization` metadata.
import * as grpc from '@grpc/grpc-js';
import { GodfsError, errorTable, isErrorCode, UnauthenticatedError } from './errors.js';
import type { Logger } from './log.js';

/** Metadata tagging a client's write `<client-id>:<seq>`, kept when it is resent (cluster/master/session.ts). */
export const SESSION_METADATA = 'godfs-session';

/** Trailer naming the leader's address on a not_leader refusal. */
export const LEADER_TRAILER = 'godfs-leader';

export function toServiceError(err: unknown): Partial<grpc.StatusObject> {
  const e = err instanceof GodfsError ? err : new GodfsError('internal', err instanceof Error ? err.message : String(err));
  const md = new grpc.Metadata();
  md.set('godfs-code', e.code);
  if (e.leader) md.set(LEADER_TRAILER, e.leader);
  return { code: errorTable[e.code].grpc as grpc.status, details: e.message, metadata: md };
}

export function fromServiceError(err: unknown): GodfsError {
  if (err instanceof GodfsError) return err;
  const se = err as Partial<grpc.ServiceError>;
  const code = se.metadata?.get('godfs-code')?.[0];
  if (isErrorCode(code)) {
    const leader = se.metadata?.get(LEADER_TRAILER)?.[0];
    return new GodfsError(code, se.details || undefined, typeof leader === 'string' && leader ? { leader } : undefined);
  }
  switch (se.code) {
    case grpc.status.UNAVAILABLE:
    case grpc.status.DEADLINE_EXCEEDED:
    case grpc.status.CANCELLED:
      return new GodfsError('unavailable', se.details || (err as Error).message);
    case grpc.status.UNAUTHENTICATED:
      return new GodfsError('unauthenticated', se.details);
    default:
      return new GodfsError('internal', se.details || (err as Error)?.message || String(err), { cause: err });
  }
}

/** Bearer-token check for every incoming call; compared in constant time. */
export function checkAuth(call: { metadata: grpc.Metadata }, apiKey: string | undefined): void {
  if (!apiKey) return;
  const got = call.metadata.get('authorization')[0];
  if (typeof got !== 'string' || !got.startsWith('Bearer ')) throw new UnauthenticatedError('missing bearer API key');
  if (!constantTimeEqual(got.slice(7), apiKey)) throw new UnauthenticatedError('API key not valid');
}

import { timingSafeEqual, createHash } from 'node:crypto';
export function constantTimeEqual(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a).digest();
  const hb = createHash('sha256').update(b).digest();
  return timingSafeEqual(ha, hb);
}

/**
 * Wraps an async handler as a grpc-js unary handler: checks auth, maps thrown errors to statuses, and
 * logs internal errors (the only ones that mean a bug).
 */
export function unary<Req, Res>(
  apiKey: string | undefined,
  log: Logger,
  fn: (req: Req, call: grpc.ServerUnaryCall<Req, Res>) => Promise<Res> | Res,
): grpc.handleUnaryCall<Req, Res> {
  return (call, callback) => {
    Promise.resolve()
      .then(() => {
        checkAuth(call, apiKey);
        return fn(call.request, call);
      })
      .then(
        (res) => callback(null, res),
        (err: unknown) => {
          if (!(err instanceof GodfsError) || err.code === 'internal') log.error({ err, method: call.getPath() }, 'rpc failed');
          callback(toServiceError(err));
        },
      );
  };
}

export function authMetadata(apiKey: string | undefined): grpc.Metadata {
  const md = new grpc.Metadata();
  if (apiKey) md.set('authorization', `Bearer ${apiKey}`);
  return md;
}

/** Binds a grpc server to host:port (port 0 = ephemeral) and resolves to the bound port. */
export function bindServer(server: grpc.Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) =>
    server.bindAsync(`${host.includes(':') ? `[${host}]` : host}:${port}`, grpc.ServerCredentials.createInsecure(), (err, bound) =>
      err ? reject(err) : resolve(bound),
    ),
  );
}
