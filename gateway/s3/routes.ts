// Mounts the S3 dialect on the gateway's fastify instance: every path that is not the gateway's own
// (/v1/…, /healthz, /readyz, /metrics) is S3. One catch-all route hands each request to the typed
// router (router.ts), authenticates it with SigV4 (auth/), authorizes the key, and dispatches.
import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { NotFoundError } from '../../common/errors.js';
import type { Logger } from '../../common/log.js';
import type { GatewayMetrics } from '../metrics.js';
import type { ObjectService } from '../service/object-service.js';
import { sendV1Error } from '../v1/errors.js';
import { AccessKeyCache } from './access-keys.js';
import { verifyBody, verifyRequest, type AuthResult } from './auth/index.js';
import type { BodyResult, S3Context, S3Settings, VerifiedBody } from './context.js';
import { dispatch, subjectOf } from './dispatch.js';
import { S3Error, s3ErrorOf } from './errors.js';
import { bucketPath } from './names.js';
import { accessOf, bucketOf, keyOf, parseEndpoint, parseTarget, type Endpoint } from './router.js';
import { errorXml } from './xml.js';

export interface S3Options {
  /** The root access key (GODFS_S3_ACCESS_KEY / GODFS_S3_SECRET_KEY): all buckets, read-write. */
  rootAccessKey?: string;
  rootSecretKey?: string;
  /** Reported by GetBucketLocation and HeadBucket; any region is accepted in signatures. */
  region?: string;
  /** Enables virtual-hosted–style addressing: `<bucket>.<domain>` (GODFS_S3_DOMAIN). */
  domain?: string;
  /** Smallest non-last multipart part; S3's 5 MiB unless set (tests lower it). */
  minPartSize?: number;
}

export const DEFAULT_REGION = 'us-east-1';
export const MIN_PART_SIZE = 5 * 1024 * 1024;

export interface S3RouteDeps {
  service: ObjectService;
  metrics: GatewayMetrics;
  maxBodyBytes: number;
  allowAnonymousRead?: boolean;
  allowAnonymousWrite?: boolean;
  log: Logger;
  options: S3Options;
}

const VHOST_BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** The bucket named by a virtual-hosted–style Host header (`bucket.domain[:port]`), if any. */
export function virtualHostBucket(host: string | undefined, domain: string | undefined): string | undefined {
  if (!host || !domain) return undefined;
  const name = host.replace(/:\d+$/, '').toLowerCase();
  const suffix = `.${domain.toLowerCase().replace(/^\.+|\.+$/g, '')}`;
  if (!name.endsWith(suffix)) return undefined;
  const bucket = name.slice(0, -suffix.length);
  return VHOST_BUCKET.test(bucket) ? bucket : undefined;
}

/** fastify's rewriteUrl: virtual-hosted requests become path-style before routing (see server.ts). */
export function rewriteVirtualHost(domain: string) {
  return (req: { url?: string; headers: { host?: string } }): string => {
    const url = req.url ?? '/';
    const bucket = virtualHostBucket(req.headers.host, domain);
    return bucket ? `/${bucket}${url.startsWith('/') ? url : `/${url}`}` : url;
  };
}

/** A bucket name that can at least be a top-level directory (CreateBucket applies S3's stricter rules). */
function checkAddressableBucket(name: string): void {
  if (name === '' || name === '.' || name === '..' || name.includes('\0') || Buffer.byteLength(name) > 255) {
    throw new S3Error('InvalidBucketName', `The specified bucket is not valid: ${JSON.stringify(name.slice(0, 100))}.`);
  }
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** Headers an error response keeps; everything describing the object it did not return goes. */
const KEEP_ON_ERROR = new Set(['x-request-id', 'x-amz-request-id', 'connection']);

export function sendS3Error(req: FastifyRequest, reply: FastifyReply, err: S3Error, resource: string): FastifyReply {
  for (const name of Object.keys(reply.getHeaders())) if (!KEEP_ON_ERROR.has(name)) reply.removeHeader(name);
  for (const [k, v] of Object.entries(err.headers ?? {})) reply.header(k, v);
  reply.header('x-amz-request-id', req.id).code(err.status);
  // HEAD answers carry no body (clients read the status; a body would corrupt the connection).
  if (req.method === 'HEAD') return reply.send();
  const message = err.code === 'InternalError' && err.message === '' ? 'We encountered an internal error. Please try again.' : err.message;
  return reply.header('content-type', 'application/xml').send(errorXml({ code: err.code, message, resource, requestId: req.id, details: err.details }));
}

export function registerS3Routes(app: FastifyInstance, deps: S3RouteDeps): void {
  const o = deps.options;
  const settings: S3Settings = {
    region: o.region || DEFAULT_REGION,
    minPartSize: o.minPartSize ?? MIN_PART_SIZE,
    maxBodyBytes: deps.maxBodyBytes,
    allowAnonymousRead: !!deps.allowAnonymousRead,
    allowAnonymousWrite: !!deps.allowAnonymousWrite,
  };
  const keys = new AccessKeyCache({ rootAccessKey: o.rootAccessKey, rootSecretKey: o.rootSecretKey, list: () => deps.service.listAccessKeys() });
  const s3Deps = { service: deps.service, metrics: deps.metrics, settings, log: deps.log };

  async function handle(req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
    const url = req.originalUrl;
    const qAt = url.indexOf('?');
    const rawPath = qAt < 0 ? url : url.slice(0, qAt);
    const rawQuery = qAt < 0 ? '' : url.slice(qAt + 1);
    const hostBucket = virtualHostBucket(req.headers.host, o.domain);
    if (hostBucket === undefined && (rawPath === '/v1' || rawPath.startsWith('/v1/'))) {
      // The native API's namespace: an unknown /v1 route is /v1's 404, not an S3 bucket called "v1".
      return sendV1Error(req, reply, new NotFoundError(`no route for ${req.method} ${rawPath}`));
    }
    reply.header('x-amz-request-id', req.id);
    const resource = hostBucket ? `/${hostBucket}${safeDecode(rawPath)}` : safeDecode(rawPath);
    let endpoint: Endpoint | undefined;
    try {
      const auth = await verifyRequest({ method: req.method, rawPath, rawQuery, headers: req.headers }, keys.lookup);
      const query = new URLSearchParams(rawQuery);
      endpoint = parseEndpoint(req.method, parseTarget(rawPath, hostBucket), query, req.headers);
      const bucket = bucketOf(endpoint);
      if (bucket !== undefined && endpoint.kind !== 'CreateBucket') checkAddressableBucket(bucket);
      const ctx = makeContext(req, reply, endpoint, query, auth, resource);
      ctx.checkBucketAccess(bucket ?? '', accessOf(endpoint));
      await dispatch(ctx);
    } catch (err) {
      await fail(req, reply, err, endpoint, resource);
    }
    // Returning the reply tells fastify the response is ours: a streamed body is still being written
    // when this resolves, and an `undefined` here would make fastify send an empty reply over it.
    return reply;
  }

  function makeContext(req: FastifyRequest, reply: FastifyReply, endpoint: Endpoint, query: URLSearchParams, auth: AuthResult | undefined, resource: string): S3Context {
    let body: VerifiedBody | undefined;
    const may = (bucket: string) => !auth || auth.credentials.buckets.length === 0 || auth.credentials.buckets.includes(bucket);
    return {
      req,
      reply,
      deps: s3Deps,
      endpoint,
      query,
      headers: req.headers,
      auth,
      resource,
      body(onVerified?: (result: BodyResult) => void): VerifiedBody {
        if (body) return body;
        const raw = req.body instanceof Readable ? req.body : Readable.from([]);
        const checked = verifyBody(raw, auth?.payload ?? { kind: 'unsigned' }, req.headers, onVerified);
        // Verification errors can happen before any consumer listens (a small body is buffered and
        // judged at once); they are kept on the stream and thrown to whoever reads it.
        checked.stream.on('error', () => undefined);
        const declared = req.headers['x-amz-decoded-content-length'] ?? req.headers['content-length'];
        const n = typeof declared === 'string' && /^\d{1,15}$/.test(declared) ? Number(declared) : undefined;
        return (body = { stream: checked.stream, result: checked.result, declaredLength: n });
      },
      mayUseBucket: may,
      checkBucketAccess(bucket: string, access: 'read' | 'write'): void {
        if (!auth) {
          if (access === 'read' ? settings.allowAnonymousRead : settings.allowAnonymousWrite) return;
          throw new S3Error('AccessDenied', 'Access Denied: anonymous requests are not allowed here; sign the request with an access key (SigV4).');
        }
        if (access === 'write' && auth.credentials.readOnly) throw new S3Error('AccessDenied', 'Access Denied: the access key is read-only.');
        if (bucket !== '' && !may(bucket)) throw new S3Error('AccessDenied', `Access Denied: the access key may not use the bucket "${bucket}".`);
      },
    };
  }

  async function fail(req: FastifyRequest, reply: FastifyReply, err: unknown, endpoint: Endpoint | undefined, resource: string): Promise<void> {
    let e = s3ErrorOf(err, subjectOf(endpoint));
    // A missing key in a missing bucket is reported as the missing bucket, as S3 does.
    const bucket = endpoint && bucketOf(endpoint);
    if (e.code === 'NoSuchKey' && bucket !== undefined && endpoint && keyOf(endpoint) !== undefined) {
      const b = await deps.service.statIfExists(bucketPath(bucket)).catch(() => undefined);
      if (!b?.isDir) e = new S3Error('NoSuchBucket', `The specified bucket does not exist: ${bucket}.`);
    }
    if (e.code === 'InternalError') req.log.error({ err, endpoint: endpoint?.kind }, 's3: internal error');
    else if (req.raw.socket?.destroyed) req.log.info({ code: e.code }, 's3: client went away');
    else req.log.debug({ code: e.code, msg: e.message, endpoint: endpoint?.kind }, 's3: request failed');
    if (reply.sent || reply.raw.headersSent) {
      // The response is under way: the only honest signal left is a broken connection.
      reply.raw.destroy(err instanceof Error ? err : undefined);
      return;
    }
    sendS3Error(req, reply, e, resource);
  }

  app.register(async (s3) => {
    // Errors fastify raises around the handler (e.g. a body parser) still answer in S3's shape.
    s3.setErrorHandler((err, req, reply) => {
      const e = s3ErrorOf(err, 'service');
      if (e.code === 'InternalError') req.log.error({ err }, 's3: internal error');
      return sendS3Error(req, reply, e, safeDecode(req.url.split('?')[0]!));
    });
    s3.route({
      method: ['GET', 'HEAD', 'PUT', 'POST', 'DELETE', 'OPTIONS', 'PATCH'],
      url: '/*',
      exposeHeadRoute: false,
      config: { auth: 'public' }, // SigV4 is checked in the handler, per S3's rules
      handler: handle,
    });
  });
}
