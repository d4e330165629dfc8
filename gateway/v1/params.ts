// Input parsing for /v1: query parameters, request headers and JSON bodies. Every failure is an
// invalid_argument (400) naming the field, raised before anything is written. Paths themselves are
// validated by the object service (common/paths.ts rules), so both dialects refuse the same paths.
import { Readable } from 'node:stream';
import type { FastifyRequest } from 'fastify';
import { InvalidArgumentError, TooLargeError } from '../../common/errors.js';
import type { RequestConditions } from '../service/http-conditions.js';

/** JSON bodies are small requests, never data: 1 MiB is far more than any of them needs. */
export const MAX_JSON_BYTES = 1 << 20;

type Query = Record<string, string | string[] | undefined>;

export function queryParam(req: FastifyRequest, name: string): string | undefined {
  const v = (req.query as Query)[name];
  if (Array.isArray(v)) throw new InvalidArgumentError(`query parameter "${name}" is given more than once`);
  return v;
}

export function requireQueryParam(req: FastifyRequest, name: string): string {
  const v = queryParam(req, name);
  if (v === undefined || v === '') throw new InvalidArgumentError(`query parameter "${name}" is required`);
  return v;
}

/** `1`/`true` and `0`/`false` (or absent); anything else is a mistake worth reporting. */
export function boolParam(req: FastifyRequest, name: string): boolean {
  const v = queryParam(req, name);
  if (v === undefined || v === '' || v === '0' || v === 'false') return false;
  if (v === '1' || v === 'true') return true;
  throw new InvalidArgumentError(`query parameter "${name}" must be 1/true or 0/false`);
}

export function intParam(req: FastifyRequest, name: string, opts: { min: number; max: number; default: number }): number {
  const v = queryParam(req, name);
  if (v === undefined || v === '') return opts.default;
  if (!/^\d{1,15}$/.test(v)) throw new InvalidArgumentError(`query parameter "${name}" must be a non-negative integer`);
  const n = Number(v);
  if (n < opts.min || n > opts.max) throw new InvalidArgumentError(`query parameter "${name}" must be in ${opts.min}..${opts.max}`);
  return n;
}

function header(req: FastifyRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(', ') : v;
}

export function conditionsOf(req: FastifyRequest): RequestConditions {
  return {
    ifMatch: header(req, 'if-match'),
    ifNoneMatch: header(req, 'if-none-match'),
    ifModifiedSince: header(req, 'if-modified-since'),
    ifUnmodifiedSince: header(req, 'if-unmodified-since'),
    ifRange: header(req, 'if-range'),
    range: header(req, 'range'),
  };
}

/** The declared Content-Length (node has already rejected malformed ones), if any. */
export function declaredLength(req: FastifyRequest): number | undefined {
  const v = req.headers['content-length'];
  return v === undefined ? undefined : Number(v);
}

/**
 * The raw request body: the catch-all content-type parser (server.ts) hands every body over as the
 * untouched stream, whatever its Content-Type, so uploads are never buffered. No body → empty.
 */
export function rawBody(req: FastifyRequest): Readable | Uint8Array {
  return req.body instanceof Readable ? req.body : new Uint8Array(0);
}

/** Reads and parses a JSON object body (whatever Content-Type the client sent, so `curl -d` works). */
export async function readJsonBody(req: FastifyRequest): Promise<Record<string, unknown>> {
  const declared = declaredLength(req);
  if (declared !== undefined && declared > MAX_JSON_BYTES) throw new TooLargeError(`JSON bodies are limited to ${MAX_JSON_BYTES} bytes`);
  const body = req.body;
  if (!(body instanceof Readable)) throw new InvalidArgumentError('a JSON object body is required');
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    total += chunk.length;
    if (total > MAX_JSON_BYTES) {
      body.destroy();
      throw new TooLargeError(`JSON bodies are limited to ${MAX_JSON_BYTES} bytes`);
    }
    chunks.push(chunk);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch (err) {
    throw new InvalidArgumentError(`the body is not valid JSON: ${(err as Error).message}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new InvalidArgumentError('the JSON body must be an object');
  return parsed as Record<string, unknown>;
}

export function requireString(body: Record<string, unknown>, field: string): string {
  const v = body[field];
  if (typeof v !== 'string' || v === '') throw new InvalidArgumentError(`field "${field}" is required and must be a non-empty string`);
  return v;
}

export function optionalBool(body: Record<string, unknown>, field: string): boolean | undefined {
  const v = body[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'boolean') throw new InvalidArgumentError(`field "${field}" must be a boolean`);
  return v;
}

export function requireInt(body: Record<string, unknown>, field: string, min = 0): number {
  const v = body[field];
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min) throw new InvalidArgumentError(`field "${field}" is required and must be an integer ≥ ${min}`);
  return v;
}
