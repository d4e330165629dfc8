// Prometheus metrics of one gateway instance. Each gateway has its own Registry (not prom-client's
// global one) so several gateways in one process — tests, `godfs up` — never collide or double-count.
// Labels use the route *pattern*, never the raw URL, so paths cannot blow up the series count.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

const UNMATCHED = 'unmatched';

export function routeLabel(req: FastifyRequest): string {
  return req.is404 ? UNMATCHED : (req.routeOptions.url ?? UNMATCHED);
}

export class GatewayMetrics {
  readonly registry = new Registry();
  readonly requests = new Counter({
    name: 'godfs_gateway_http_requests_total',
    help: 'HTTP requests answered, by method, route pattern and status ("aborted" when the connection closed first).',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  });
  readonly duration = new Histogram({
    name: 'godfs_gateway_http_request_duration_seconds',
    help: 'Time from request start to the last response byte, by method, route pattern and status.',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
    registers: [this.registry],
  });
  readonly bytesIn = new Counter({
    name: 'godfs_gateway_http_request_body_bytes_total',
    help: 'Request body bytes received, by route pattern.',
    labelNames: ['route'] as const,
    registers: [this.registry],
  });
  readonly bytesOut = new Counter({
    name: 'godfs_gateway_http_response_body_bytes_total',
    help: 'Response body bytes sent, by route pattern.',
    labelNames: ['route'] as const,
    registers: [this.registry],
  });
  readonly inFlight = new Gauge({
    name: 'godfs_gateway_http_requests_in_flight',
    help: 'Requests being served right now.',
    registers: [this.registry],
  });

  constructor() {
    // Process metrics (RSS, heap, external memory, event-loop lag, GC), as the master and chunkservers have.
    collectDefaultMetrics({ register: this.registry });
  }

  /** A callback that adds to the bytes-out counter of this request's route (for streamed bodies). */
  outCounter(req: FastifyRequest): (n: number) => void {
    const c = this.bytesOut.labels(routeLabel(req));
    return (n) => c.inc(n);
  }

  inCounter(req: FastifyRequest): (n: number) => void {
    const c = this.bytesIn.labels(routeLabel(req));
    return (n) => c.inc(n);
  }

  /** Hooks every request. Counted on the response's 'close', which fires for aborted ones too. */
  install(app: FastifyInstance): void {
    app.addHook('onRequest', async (req, reply) => {
      const start = process.hrtime.bigint();
      this.inFlight.inc();
      let finished = false;
      reply.raw.once('finish', () => (finished = true));
      reply.raw.once('close', () => {
        this.inFlight.dec();
        const status = finished ? String(reply.raw.statusCode) : 'aborted';
        const labels = { method: req.method, route: routeLabel(req), status };
        this.requests.inc(labels);
        this.duration.observe(labels, Number(process.hrtime.bigint() - start) / 1e9);
      });
    });
    // Streamed bodies are counted as they flow (outCounter); in-memory ones here.
    app.addHook('onSend', async (req, _reply, payload) => {
      if (req.method !== 'HEAD' && (typeof payload === 'string' || Buffer.isBuffer(payload))) {
        this.bytesOut.inc({ route: routeLabel(req) }, Buffer.byteLength(payload));
      }
      return payload;
    });
  }

  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
