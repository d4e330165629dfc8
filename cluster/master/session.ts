// Exactly-once commands across retries. A client tags each mutating call with `godfs-session:
// <client-id>:<seq>` (gRPC metadata; the sdk does it, and resends a call with the same tag). The master
// keys the command(s) the call proposes with it; applying a command whose key was applied before
// changes nothing and answers what the first one answered. So a write whose outcome was unknown (the
// leader changed before it committed, a connection dropped after it was sent) can be resent safely:
// it takes effect once whichever copy commits first.
//
// The remembered answers are part of the replicated state (snapshotted with it), bounded in number:
// the oldest are forgotten first, in apply order, so every master forgets the same ones.
import { AsyncLocalStorage } from 'node:async_hooks';
import type * as grpc from '@grpc/grpc-js';
import { SESSION_METADATA } from '../../common/grpc.js';

export { SESSION_METADATA };

/** Answers remembered; at thousands of writes a second this still covers a client's retry window. */
export const MAX_SESSIONS = 100_000;

export interface RpcSession {
  id: string;
  seq: number;
  /** Commands proposed so far by this call (a call may propose more than one). */
  proposed: number;
}

/** What a session-tagged command answered: its result, or the refusal it got. */
export type SessionAnswer = { ok: unknown } | { err: { code: string; message: string } };

export const rpcSession = new AsyncLocalStorage<RpcSession>();

const TAG = /^([A-Za-z0-9_-]{8,64}):(\d{1,15})$/;

/** The session of an incoming call, if it carries a well-formed tag. */
export function sessionOf(md: grpc.Metadata): RpcSession | undefined {
  const v = md.get(SESSION_METADATA)[0];
  if (typeof v !== 'string') return undefined;
  const m = TAG.exec(v);
  return m ? { id: m[1]!, seq: Number(m[2]), proposed: 0 } : undefined;
}
