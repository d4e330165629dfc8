// /v1 error rendering: `{code, message, requestId}` with the status of the error table
// (docs/rest-v1.md). HEAD responses carry the same status and headers without a body (node drops it).
import type { FastifyReply, FastifyRequest } from 'fastify';
import { errorTable, type GodfsError } from '../../common/errors.js';
import { RangeNotSatisfiableError } from '../service/http-conditions.js';

/** Headers describing a representation; an error response must not keep the ones set before it failed. */
const ENTITY_HEADERS = ['etag', 'last-modified', 'content-range', 'accept-ranges', 'content-type', 'content-length'];

export function sendV1Error(req: FastifyRequest, reply: FastifyReply, err: GodfsError): FastifyReply {
  for (const h of ENTITY_HEADERS) reply.removeHeader(h);
  // RFC 9110 §15.5.17: a 416 says how long the representation is.
  if (err instanceof RangeNotSatisfiableError) reply.header('content-range', `bytes */${err.size}`);
  // RFC 9110 §11.6.1: a 401 names the scheme to use.
  if (err.code === 'unauthenticated') reply.header('www-authenticate', 'Bearer realm="godfs"');
  // Internal messages may hold stack-ish details of a bug; the log has them, the client gets the id.
  const message = err.code === 'internal' ? errorTable.internal.message : err.message;
  reply.code(err.status).header('content-type', 'application/json; charset=utf-8');
  return reply.send(JSON.stringify({ code: err.code, message, requestId: req.id }));
}
