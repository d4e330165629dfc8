// Normalises whatever a request handler, hook, fastify or node throws into a GodfsError, so each
// dialect renders exactly the codes of common/errors.ts and nothing else. Errors from lower layers
// that are not GodfsErrors become `internal` (500) and are logged: they mean a bug.
import type { Socket } from 'node:net';
import { STATUS_CODES } from 'node:http';
import { randomUUID } from 'node:crypto';
import { GodfsError, InvalidArgumentError, NotFoundError, TooLargeError, UnavailableError } from '../common/errors.js';
import { REQUEST_ID_HEADER } from './request-id.js';

export function toGodfsError(err: unknown): GodfsError {
  if (err instanceof GodfsError) return err;
  const e = err as { statusCode?: unknown; message?: unknown } | null;
  const status = typeof e?.statusCode === 'number' ? e.statusCode : undefined;
  const message = typeof e?.message === 'string' ? e.message : undefined;
  // fastify's own errors (FST_ERR_*) carry a statusCode: bad URL, bad content type, body too large.
  if (status === 413) return new TooLargeError(message);
  if (status === 404) return new NotFoundError(message);
  if (status === 415) return new InvalidArgumentError('the Content-Type header is not a valid media type');
  if (status === 503) return new UnavailableError(message);
  if (status !== undefined && status >= 400 && status < 500) return new InvalidArgumentError(message);
  return new GodfsError('internal', undefined, { cause: err });
}

/**
 * Replaces fastify's clientErrorHandler: errors node raises before there is a request (oversized
 * headers → 431, request timeout → 408, unparseable HTTP → 400) get the same JSON shape as the rest.
 * There is no route yet, so the status is node's, not the error table's.
 */
export function clientErrorHandler(err: Error & { code?: string }, socket: Socket): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, message] =
    err.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'the request headers are too large']
      : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'the request took too long to arrive']
        : [400, 'the request is not valid HTTP/1.1'];
  const requestId = randomUUID();
  const body = JSON.stringify({ code: 'invalid_argument', message, requestId });
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\n${REQUEST_ID_HEADER}: ${requestId}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(err);
}
