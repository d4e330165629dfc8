// The native /v1 REST API (docs/rest-v1.md), mounted on the gateway's fastify instance.
import type { FastifyInstance } from 'fastify';
import { registerContentRoutes } from './content-routes.js';
import type { V1Deps } from './deps.js';
import { registerFsRoutes } from './fs-routes.js';
import { registerLaterRoutes } from './later-routes.js';
import { registerMultipartRoutes } from './multipart-routes.js';

export type { V1Deps };

export function registerV1Routes(app: FastifyInstance, deps: V1Deps): void {
  app.get('/v1/health', { config: { auth: 'public' } }, async () => ({ status: 'ok' }));
  registerFsRoutes(app, deps);
  registerContentRoutes(app, deps);
  registerMultipartRoutes(app, deps);
  registerLaterRoutes(app);
}
