// Operational endpoints, outside any dialect and without auth: liveness, readiness, Prometheus.
// Kubernetes probes and scrapers carry no credentials, and none of these reveal file data.
import type { FastifyInstance } from 'fastify';
import { UnavailableError } from '../common/errors.js';
import type { GatewayMetrics } from './metrics.js';

/** A readiness probe must answer within the kubelet's timeout even when the master hangs. */
export const READY_TIMEOUT_MS = 5000;

async function withTimeout(check: () => Promise<boolean>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([check().catch(() => false), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export function registerOpsRoutes(app: FastifyInstance, deps: { metrics: GatewayMetrics; ready: () => Promise<boolean> }): void {
  app.get('/healthz', { config: { auth: 'public' } }, async () => ({ status: 'ok' }));

  app.get('/readyz', { config: { auth: 'public' } }, async () => {
    if (!(await withTimeout(deps.ready, READY_TIMEOUT_MS))) throw new UnavailableError('not ready: the master or every chunkserver is unreachable');
    return { status: 'ready' };
  });

  app.get('/metrics', { config: { auth: 'public' } }, async (_req, reply) => {
    const { contentType, body } = await deps.metrics.render();
    return reply.header('content-type', contentType).send(body);
  });
}
