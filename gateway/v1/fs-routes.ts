// Namespace routes of /v1: stat, list, mkdir, create, delete, rename, truncate (docs/rest-v1.md).
import type { FastifyInstance } from 'fastify';
import type { V1Deps } from './deps.js';
import { boolParam, intParam, optionalBool, queryParam, readJsonBody, requireInt, requireQueryParam, requireString } from './params.js';
import { entryJson, statJson } from './render.js';

export const LIST_DEFAULT_LIMIT = 1000;
export const LIST_MAX_LIMIT = 10000;

export function registerFsRoutes(app: FastifyInstance, { service }: V1Deps): void {
  app.get('/v1/fs/stat', { config: { auth: 'read' } }, async (req) => {
    return statJson(await service.stat(requireQueryParam(req, 'path')));
  });

  app.get('/v1/fs/list', { config: { auth: 'read' } }, async (req) => {
    const path = requireQueryParam(req, 'path');
    const limit = intParam(req, 'limit', { min: 1, max: LIST_MAX_LIMIT, default: LIST_DEFAULT_LIMIT });
    const cursor = queryParam(req, 'cursor') || undefined;
    const page = await service.list(path, { limit, cursor });
    return { entries: page.entries.map(entryJson), next_cursor: page.nextCursor ?? null };
  });

  app.post('/v1/fs/mkdir', { config: { auth: 'write' } }, async (req, reply) => {
    const body = await readJsonBody(req);
    await service.mkdir(requireString(body, 'path'), { parents: optionalBool(body, 'parents') ?? false });
    return reply.code(204).send();
  });

  app.post('/v1/fs/file', { config: { auth: 'write' } }, async (req, reply) => {
    const body = await readJsonBody(req);
    await service.createFile(requireString(body, 'path'), { parents: optionalBool(body, 'parents') ?? false });
    return reply.code(204).send();
  });

  app.delete('/v1/fs', { config: { auth: 'write' } }, async (req, reply) => {
    await service.delete(requireQueryParam(req, 'path'), { recursive: boolParam(req, 'recursive') });
    return reply.code(204).send();
  });

  app.post('/v1/fs/rename', { config: { auth: 'write' } }, async (req, reply) => {
    const body = await readJsonBody(req);
    await service.rename(requireString(body, 'old_path'), requireString(body, 'new_path'));
    return reply.code(204).send();
  });

  app.post('/v1/fs/truncate', { config: { auth: 'write' } }, async (req, reply) => {
    const body = await readJsonBody(req);
    await service.truncate(requireString(body, 'path'), requireInt(body, 'size'));
    return reply.code(204).send();
  });
}
