// The gateway: one fastify server speaking the native /v1 REST API and, when `s3` is configured, the
// S3 API (gateway/s3) over the sdk, on one listen address: /v1/…, /healthz, /readyz and /metrics are
// the gateway's own; every other path is S3. buildGateway assembles it without listening (tests drive
// it with .inject()); startGateway also binds a socket.
import { pipeline } from 'node:stream';
import type { IncomingMessage, ServerResponse } from 'node:http';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { createLogger, type Logger } from '../common/log.js';
import { addressOf, parseHostPort } from '../common/net.js';
import type { Godfs } from '../sdk/types.js';
import { AccessLog } from './access-log.js';
import { authHook } from './auth.js';
import { clientErrorHandler, toGodfsError } from './http-errors.js';
import { GatewayMetrics } from './metrics.js';
import { registerOpsRoutes } from './ops-routes.js';
import { genReqId, REQUEST_ID_HEADER } from './request-id.js';
import { ByteCounter } from './service/byte-streams.js';
import { ObjectService } from './service/object-service.js';
import { registerS3Routes, rewriteVirtualHost, sendS3Error, type S3Options } from './s3/routes.js';
import { S3Error, s3ErrorOf } from './s3/errors.js';
import { sendV1Error } from './v1/errors.js';
import { registerV1Routes } from './v1/routes.js';

/** 5 TiB: S3's largest object, so the cap never refuses what an S3 client may legitimately send. */
export const DEFAULT_MAX_BODY_BYTES = 5 * 1024 ** 4;

export interface GatewayOptions {
  client: Godfs;
  /** The bearer key; if undefined, only the anonymous access allowed below works (else all is 401). */
  apiKey?: string;
  allowAnonymousRead?: boolean;
  allowAnonymousWrite?: boolean;
  /** Cap on an upload body; larger → 413. Default 5 TiB. */
  maxBodyBytes?: number;
  logger?: Logger;
  /** Replaces the default readiness check (clusterStats answers with ≥ 1 live chunkserver). */
  readyCheck?: () => Promise<boolean>;
  /**
   * Serves the S3 API on the same address (absent = /v1 only). Keys: the root key given here, else
   * those in master metadata (`godfs admin keys`). The anonymous-access flags above apply to S3 too.
   */
  s3?: S3Options;
}

function isV1Url(url: string): boolean {
  return url === '/v1' || url.startsWith('/v1/') || url.startsWith('/v1?');
}

function hasBody(req: IncomingMessage): boolean {
  const len = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (len !== undefined && len !== '0');
}

export async function buildGateway(opts: GatewayOptions): Promise<FastifyInstance> {
  const maxBodyBytes = opts.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const service = new ObjectService(opts.client);
  const metrics = new GatewayMetrics();
  const app = Fastify({
    // Typed as fastify's base logger so the instance keeps the default generics the routes are written for.
    loggerInstance: (opts.logger ?? createLogger({ component: 'gateway' })) as FastifyBaseLogger,
    // One access-log line per request, at completion (access-log.ts), instead of fastify's two.
    logController: new AccessLog(),
    genReqId,
    requestIdHeader: false, // genReqId vets the incoming X-Request-Id itself
    // Uploads of many GiB take longer than node's default 5-minute request timeout.
    requestTimeout: 0,
    routerOptions: { maxParamLength: 512 },
    clientErrorHandler,
    // Errors fastify raises before routing (e.g. an undecodable URL) still get the dialect's shape.
    frameworkErrors: (err, req, reply) => {
      reply.header(REQUEST_ID_HEADER, req.id);
      if (opts.s3 && !isV1Url(req.url)) {
        const e = (err as { code?: string }).code === 'FST_ERR_BAD_URL' ? new S3Error('InvalidURI', `Couldn't parse the specified URI: ${err.message}`) : s3ErrorOf(err, 'service');
        sendS3Error(req, reply, e, req.url.split('?')[0]!);
      } else sendV1Error(req, reply, toGodfsError(err));
    },
    // Virtual-hosted–style S3 (`bucket.<domain>`) becomes path-style before routing, so a key such as
    // `healthz` or `v1/x` in a bucket never lands on the gateway's own routes.
    ...(opts.s3?.domain ? { rewriteUrl: rewriteVirtualHost(opts.s3.domain) } : {}),
  });

  // Every body reaches its handler as the untouched request stream, whatever its Content-Type: a
  // PUT of `application/json` content must stream raw like any other, and JSON routes parse their
  // small bodies themselves (v1/params.ts). Nothing is ever buffered by fastify.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_req, payload, done) => done(null, payload));

  app.addHook('onRequest', async (req, reply) => {
    reply.header(REQUEST_ID_HEADER, req.id);
  });
  metrics.install(app);
  app.addHook('onRequest', authHook(opts));
  app.decorateRequest('bytesIn', 0);
  app.addHook('preParsing', async (req, _reply, payload) => {
    if (!hasBody(req.raw)) return payload;
    const count = metrics.inCounter(req);
    const counter = new ByteCounter((n) => {
      count(n);
      req.bytesIn += n;
    });
    // pipeline, not pipe: a client that disconnects mid-upload errors the counter, so the sdk sees a
    // failed source and commits nothing, instead of seeing a clean (short) end.
    pipeline(payload, counter, () => {});
    return counter;
  });
  app.addHook('onSend', async (req, reply, payload) => {
    // A response sent before the body was read (401, 413, a 404 for the target...) must not leave
    // the rest of the body on a kept-alive connection: close it instead of draining, say, 5 TiB.
    if (req.raw.complete === false) reply.header('connection', 'close');
    return payload;
  });

  app.setErrorHandler((err, req, reply) => {
    const e = toGodfsError(err);
    // A client that hangs up mid-upload fails the sdk's source stream; that is not a bug of ours.
    if (req.raw.socket?.destroyed) req.log.info({ code: e.code, msg: e.message }, 'client went away');
    else if (e.code === 'internal') req.log.error({ err }, 'internal error');
    else req.log.debug({ code: e.code, msg: e.message }, 'request failed');
    return sendV1Error(req, reply, e);
  });
  app.setNotFoundHandler((req, reply) => {
    // With S3 mounted every path is routed; what is left is a method neither dialect has.
    if (opts.s3 && !isV1Url(req.url)) return sendS3Error(req, reply, new S3Error('MethodNotAllowed', `${req.method} is not an S3 method.`), req.url.split('?')[0]!);
    sendV1Error(req, reply, toGodfsError({ statusCode: 404, message: `no route for ${req.method} ${req.url.split('?')[0]}` }));
  });

  registerOpsRoutes(app, { metrics, ready: opts.readyCheck ?? (() => service.ready()) });
  registerV1Routes(app, { service, metrics, maxBodyBytes });
  if (opts.s3) {
    registerS3Routes(app, {
      service,
      metrics,
      maxBodyBytes,
      allowAnonymousRead: opts.allowAnonymousRead,
      allowAnonymousWrite: opts.allowAnonymousWrite,
      log: app.log as unknown as Logger,
      options: opts.s3,
    });
  }

  // `Expect: 100-continue` (curl sends it for large uploads): when the declared body is over the cap
  // do not invite it — the route answers 413 and closes. Otherwise behave like node's default.
  app.server.on('checkContinue', (req: IncomingMessage, res: ServerResponse) => {
    const len = Number(req.headers['content-length'] ?? 0);
    if (!(len > maxBodyBytes)) res.writeContinue();
    app.server.emit('request', req, res);
  });
  return app;
}

export async function startGateway(opts: GatewayOptions & { listen: string }): Promise<{ address: string; app: FastifyInstance; close(): Promise<void> }> {
  const app = await buildGateway(opts);
  const { host, port } = parseHostPort(opts.listen);
  await app.listen({ host, port });
  return { address: addressOf(app.server.address()), app, close: () => app.close() };
}

