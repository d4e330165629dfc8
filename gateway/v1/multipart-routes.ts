// Multipart uploads over /v1 (docs/rest-v1.md): create, upload parts (raw bodies, streamed), list,
// complete (a metadata-only splice in the master) and abort.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { InvalidArgumentError } from '../../common/errors.js';
import { formatEtag } from '../service/http-conditions.js';
import { MAX_PART_NUMBER, type CompletePart } from '../service/object-service.js';
import type { V1Deps } from './deps.js';
import { conditionsOf, declaredLength, intParam, rawBody, readJsonBody, requireString } from './params.js';
import { partJson } from './render.js';

function uploadId(req: FastifyRequest): string {
  return (req.params as { id: string }).id;
}

function completeParts(body: Record<string, unknown>): CompletePart[] {
  const parts = body.parts;
  if (!Array.isArray(parts)) throw new InvalidArgumentError('field "parts" is required and must be an array');
  return parts.map((p: unknown, i) => {
    const o = p as { part_number?: unknown; etag?: unknown } | null;
    if (o === null || typeof o !== 'object' || typeof o.part_number !== 'number') throw new InvalidArgumentError(`parts[${i}].part_number is required and must be a number`);
    if (o.etag !== undefined && typeof o.etag !== 'string') throw new InvalidArgumentError(`parts[${i}].etag must be a string`);
    return o.etag === undefined ? { partNumber: o.part_number } : { partNumber: o.part_number, etag: o.etag };
  });
}

export function registerMultipartRoutes(app: FastifyInstance, { service, maxBodyBytes }: V1Deps): void {
  app.post('/v1/fs/multipart', { config: { auth: 'write' } }, async (req) => {
    const body = await readJsonBody(req);
    const up = await service.multipart.create(requireString(body, 'path'));
    return { upload_id: up.uploadId, path: up.path };
  });

  app.put('/v1/fs/multipart/:id', { config: { auth: 'write' } }, async (req, reply) => {
    const partNumber = intParam(req, 'partNumber', { min: 1, max: MAX_PART_NUMBER, default: 0 });
    if (partNumber === 0) throw new InvalidArgumentError('query parameter "partNumber" is required');
    const part = await service.multipart.uploadPart(uploadId(req), partNumber, rawBody(req), { maxBytes: maxBodyBytes, declaredLength: declaredLength(req) });
    const etag = formatEtag(part.etag);
    if (etag) reply.header('etag', etag);
    return reply.code(204).send();
  });

  app.get('/v1/fs/multipart/:id/parts', { config: { auth: 'read' } }, async (req) => {
    const { parts } = await service.multipart.listParts(uploadId(req));
    return { parts: parts.map(partJson) };
  });

  app.post('/v1/fs/multipart/:id/complete', { config: { auth: 'write' } }, async (req, reply) => {
    const parts = completeParts(await readJsonBody(req));
    const { ifMatch, ifNoneMatch } = conditionsOf(req);
    const info = await service.multipart.complete(uploadId(req), parts, { ifMatch, ifNoneMatch });
    const etag = formatEtag(info.etag);
    if (etag) reply.header('etag', etag);
    return { path: info.path };
  });

  app.delete('/v1/fs/multipart/:id', { config: { auth: 'write' } }, async (req, reply) => {
    await service.multipart.abort(uploadId(req));
    return reply.code(204).send();
  });
}
