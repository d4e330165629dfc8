// Routes of docs/rest-v1.md that later issues implement (presigned URLs, snapshots). They exist now so a
// client gets an honest 501 not_implemented instead of a 404 that reads like a typo in its URL.
import type { FastifyInstance } from 'fastify';
import { GodfsError } from '../../common/errors.js';

export function registerLaterRoutes(app: FastifyInstance): void {
  const presign = async () => {
    throw new GodfsError('not_implemented', 'presigned URLs are not implemented yet');
  };
  const snapshots = async () => {
    throw new GodfsError('not_implemented', 'snapshots are not implemented yet');
  };
  app.post('/v1/presign', { config: { auth: 'write' } }, presign);
  app.post('/v1/snapshots', { config: { auth: 'write' } }, snapshots);
  app.get('/v1/snapshots', { config: { auth: 'read' } }, snapshots);
  app.get('/v1/snapshots/:id', { config: { auth: 'read' } }, snapshots);
  app.delete('/v1/snapshots/:id', { config: { auth: 'write' } }, snapshots);
}
