// TEST HELPER — a live cluster (master + chunkserver on temp dirs) with the gateway serving S3 on a
// real socket, and the real @aws-sdk/client-s3 v3 pointed at it with its DEFAULT checksum settings
// (CRC32 on uploads, aws-chunked bodies for streams, response checksum validation) and path style.
// (Named *.test-helper.ts so mocha's `*.test.js` spec glob does not run it as a suite.)
import { createHash } from 'node:crypto';
import { request } from 'node:http';
import { S3Client } from '@aws-sdk/client-s3';
import { silentLogger } from '../common/log.js';
import { TestCluster } from './cluster.js';
import { startGateway } from '../gateway/server.js';
import type { S3Options } from '../gateway/s3/routes.js';

// godfs runs on Node 20 by decision (docs/architecture.md); the SDK's nag about Node 22 is noise here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

export const ROOT_KEY = 'GODFSROOTKEY00000000';
export const ROOT_SECRET = 'godfs-root-secret-for-tests-0000000000000';
export const API_KEY = 'gw-key';
export const MiB = 2 ** 20;

export interface S3Fixture {
  cluster: TestCluster;
  gateway: Awaited<ReturnType<typeof startGateway>>;
  base: string;
  s3: S3Client;
  client(creds?: { accessKeyId: string; secretAccessKey: string }): S3Client;
  close(): Promise<void>;
}

export async function startS3Fixture(o: { s3?: Partial<S3Options>; maxChunkSize?: number; maxBodyBytes?: number; allowAnonymousRead?: boolean } = {}): Promise<S3Fixture> {
  const cluster = await TestCluster.start({ chunkservers: 1, replication: 1, maxChunkSize: o.maxChunkSize ?? 4 * MiB, apiKey: API_KEY });
  const gateway = await startGateway({
    client: cluster.client,
    apiKey: API_KEY,
    logger: silentLogger,
    listen: '127.0.0.1:0',
    ...(o.maxBodyBytes ? { maxBodyBytes: o.maxBodyBytes } : {}),
    ...(o.allowAnonymousRead ? { allowAnonymousRead: true } : {}),
    s3: { rootAccessKey: ROOT_KEY, rootSecretKey: ROOT_SECRET, ...(o.s3 ?? {}) },
  });
  const base = `http://${gateway.address}`;
  const clients: S3Client[] = [];
  const client = (creds = { accessKeyId: ROOT_KEY, secretAccessKey: ROOT_SECRET }) => {
    const c = new S3Client({ endpoint: base, region: 'us-east-1', credentials: creds, forcePathStyle: true, maxAttempts: 1 });
    clients.push(c);
    return c;
  };
  const s3 = client();
  return {
    cluster,
    gateway,
    base,
    s3,
    client,
    async close() {
      for (const c of clients) c.destroy();
      await gateway.close();
      await cluster.destroy();
    },
  };
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** A raw HTTP request (for what fetch will not send: no Content-Length, odd methods, exact paths). */
export function rawRequest(base: string, o: { method: string; path: string; headers?: Record<string, string>; body?: Buffer | Buffer[] }): Promise<RawResponse> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, method: o.method, path: o.path, headers: o.headers ?? {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    if (Array.isArray(o.body)) for (const b of o.body) req.write(b);
    else if (o.body) req.write(o.body);
    req.end();
  });
}

/** The <Code> of an S3 error body. */
export function errorCode(body: Buffer | string): string | undefined {
  return /<Code>([^<]*)<\/Code>/.exec(body.toString())?.[1];
}

/** S3's path encoding of a key (RFC 3986 unreserved kept, '/' kept), as the SDKs send it. */
export function encodeKey(key: string): string {
  return key
    .split('/')
    .map((s) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`))
    .join('/');
}

export interface SignedRequest {
  method: string;
  /** Raw path (already encoded), e.g. `/bucket/key`. */
  path: string;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  body?: Buffer;
  creds?: { accessKeyId: string; secretAccessKey: string };
  /** Sign the payload hash (default) or send UNSIGNED-PAYLOAD. */
  unsignedPayload?: boolean;
}

/** A raw request signed with @smithy/signature-v4 (header SigV4), for what the S3 client will not send. */
export async function signedRequest(base: string, o: SignedRequest): Promise<RawResponse> {
  const { SignatureV4 } = await import('@smithy/signature-v4');
  const { HttpRequest } = await import('@smithy/protocol-http');
  const { Sha256 } = await import('@aws-crypto/sha256-js');
  const url = new URL(base);
  const body = o.body ?? Buffer.alloc(0);
  const { createHash } = await import('node:crypto');
  const headers: Record<string, string> = {
    host: url.host,
    'x-amz-content-sha256': o.unsignedPayload ? 'UNSIGNED-PAYLOAD' : createHash('sha256').update(body).digest('hex'),
    ...(o.headers ?? {}),
  };
  if (o.body !== undefined && headers['content-length'] === undefined && headers['transfer-encoding'] === undefined) headers['content-length'] = String(body.length);
  const signer = new SignatureV4({
    credentials: o.creds ?? { accessKeyId: ROOT_KEY, secretAccessKey: ROOT_SECRET },
    region: 'us-east-1',
    service: 's3',
    sha256: Sha256,
    uriEscapePath: false,
    applyChecksum: false,
  });
  const req = await signer.sign(new HttpRequest({ method: o.method, protocol: url.protocol, hostname: url.hostname, port: Number(url.port), path: o.path, query: o.query ?? {}, headers, body }));
  const qs = Object.entries(o.query ?? {})
    .map(([k, v]) => (v === '' ? encodeURIComponent(k) : `${encodeURIComponent(k)}=${encodeURIComponent(v)}`))
    .join('&');
  return rawRequest(base, { method: o.method, path: o.path + (qs ? `?${qs}` : ''), headers: req.headers as Record<string, string>, body: o.body });
}

/** The S3 error an SDK call failed with: [code, HTTP status]. Fails the test if the call succeeds. */
export async function s3Failure(p: Promise<unknown>): Promise<[string, number | undefined]> {
  const { S3ServiceException } = await import('@aws-sdk/client-s3');
  try {
    await p;
  } catch (err) {
    if (err instanceof S3ServiceException) return [err.name, err.$metadata.httpStatusCode];
    throw err;
  }
  throw new Error('expected the S3 call to fail');
}

export function sha256(b: Buffer | Uint8Array): string {
  return createHash('sha256').update(b).digest('hex');
}

export function md5(b: Buffer | Uint8Array): string {
  return createHash('md5').update(b).digest('hex');
}

/** Bytes the cluster's chunkservers have durably stored so far. */
export function bytesWritten(f: S3Fixture): number {
  return f.cluster.chunkservers.reduce((n, cs) => n + cs.store.bytesWritten, 0);
}
