// File content over /v1: GET/HEAD stream a file (ranges, conditions), PUT replaces it from the raw
// request stream. Neither direction buffers: bytes flow sdk ⇄ socket with backpressure.
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { FileInfo } from '../../sdk/types.js';
import { CONTENT_TYPE_XATTR } from '../service/object-service.js';
import { formatContentRange, formatEtag, formatHttpDate } from '../service/http-conditions.js';
import type { V1Deps } from './deps.js';
import { boolParam, conditionsOf, declaredLength, rawBody, requireQueryParam } from './params.js';

function validatorHeaders(reply: FastifyReply, info: FileInfo): void {
  const etag = formatEtag(info.etag);
  if (etag) reply.header('etag', etag);
  reply.header('last-modified', formatHttpDate(info.mtimeMs));
  reply.header('accept-ranges', 'bytes');
}

export function registerContentRoutes(app: FastifyInstance, { service, metrics, maxBodyBytes }: V1Deps): void {
  app.route({
    method: ['GET', 'HEAD'],
    url: '/v1/fs/content',
    exposeHeadRoute: false,
    config: { auth: 'read' },
    handler: async (req, reply) => {
      const method = req.method === 'HEAD' ? 'HEAD' : 'GET';
      const r = await service.get(requireQueryParam(req, 'path'), { method, conditions: conditionsOf(req), onBytes: metrics.outCounter(req) });
      validatorHeaders(reply, r.info);
      // RFC 9110 §15.4.5: a 304 repeats the validators, and has no body or Content-Length.
      if (r.status === 304) return reply.code(304).send();
      reply.code(r.status).header('content-type', r.contentType).header('content-length', String(r.contentLength));
      if (r.status === 206 && r.ranges.length === 1) reply.header('content-range', formatContentRange(r.ranges[0]!, r.info.size));
      // A stream that fails after the headers went out makes fastify destroy the socket (the
      // LengthGuard also catches a short read), so a client never takes a truncated body for whole.
      return reply.send(r.stream ?? (method === 'HEAD' ? undefined : ''));
    },
  });

  app.put('/v1/fs/content', { config: { auth: 'write' } }, async (req, reply) => {
    const path = requireQueryParam(req, 'path');
    const parents = boolParam(req, 'parents');
    const contentType = req.headers['content-type'];
    const { ifMatch, ifNoneMatch } = conditionsOf(req);
    const info = await service.put(path, rawBody(req), {
      ifMatch,
      ifNoneMatch,
      parents,
      maxBytes: maxBodyBytes,
      declaredLength: declaredLength(req),
      // The object's Content-Type is kept as metadata and served back on GET; without one the
      // sdk's default applies (the stored metadata is left to it).
      xattrs: contentType ? { [CONTENT_TYPE_XATTR]: contentType } : undefined,
    });
    const etag = formatEtag(info.etag);
    if (etag) reply.header('etag', etag);
    return reply.code(204).send();
  });
}
