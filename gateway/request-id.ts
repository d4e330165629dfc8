// Request ids: every response carries X-Request-Id, and every log line of the request carries it as
// reqId. An incoming id is reused (so a proxy's or client's trace id follows the request through our
// logs) only when it is short and plain; anything else could inject into logs or headers.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const REQUEST_ID_HEADER = 'x-request-id';
const SANE_ID = /^[A-Za-z0-9][A-Za-z0-9._:+=@/-]{0,127}$/;

export function isSaneRequestId(v: unknown): v is string {
  return typeof v === 'string' && SANE_ID.test(v);
}

export function genReqId(req: IncomingMessage): string {
  const incoming = req.headers[REQUEST_ID_HEADER];
  return isSaneRequestId(incoming) ? incoming : randomUUID();
}
