// Bearer API-key auth for the HTTP gateway. Each route declares the access it needs in its config:
// 'public' (health, readiness, metrics), 'read' or 'write'. The check runs in onRequest, before a byte
// of the body is read, so an unauthenticated upload costs us nothing.
import type { FastifyRequest } from 'fastify';
import { GodfsError, PermissionDeniedError, UnauthenticatedError } from '../common/errors.js';
import { constantTimeEqual } from '../common/grpc.js';

export type AuthLevel = 'public' | 'read' | 'write';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Access a route needs; routes that do not say are 'write' (fail closed). */
    auth?: AuthLevel;
  }
}

export interface AuthOptions {
  /** The bearer key; undefined or '' means no key can be valid (only anonymous access, if allowed). */
  apiKey?: string;
  allowAnonymousRead?: boolean;
  allowAnonymousWrite?: boolean;
}

const BEARER = /^Bearer[ ]+([^\s]+)[ ]*$/i;

/**
 * Decides one request. No credentials → 401 unless the level allows anonymous access; credentials
 * that are not a Bearer token → 401; a Bearer token that is not the key → 403. A wrong key is refused
 * even where anonymous access is allowed: a client that sends one has a bug it should hear about.
 */
export function authorize(authorization: string | undefined, level: AuthLevel, opts: AuthOptions): GodfsError | undefined {
  if (level === 'public') return undefined;
  if (authorization === undefined || authorization === '') {
    if (level === 'read' && opts.allowAnonymousRead) return undefined;
    if (level === 'write' && opts.allowAnonymousWrite) return undefined;
    return new UnauthenticatedError('missing credentials: send "Authorization: Bearer <api key>"');
  }
  const m = BEARER.exec(authorization);
  if (!m) return new UnauthenticatedError('the Authorization header must be "Bearer <api key>"');
  if (!opts.apiKey) return new UnauthenticatedError('this gateway has no API key configured');
  if (!constantTimeEqual(m[1]!, opts.apiKey)) return new PermissionDeniedError('the API key is not valid');
  return undefined;
}

/** The onRequest hook: throws the auth error so the dialect's error handler renders it. */
export function authHook(opts: AuthOptions) {
  return async function checkAuth(req: FastifyRequest): Promise<void> {
    if (req.is404) return; // unknown routes answer 404 whoever asks; nothing is behind them
    const err = authorize(req.headers.authorization, req.routeOptions.config.auth ?? 'write', opts);
    if (err) throw err;
  };
}
