// Hand-built S3 requests for the cases no well-behaved client sends (wrong secret, bad Content-MD5,
// malformed XML, a truncated aws-chunked body …): SigV4 signed with @smithy/signature-v4 (the signer
// @aws-sdk/client-s3 uses), aws-chunked chunk signatures computed here from the S3 docs, sent with
// node:http so the bytes on the wire are exactly the ones built. Plus the /v1 helpers of the
// cross-dialect checks.
import { createHash, createHmac } from 'node:crypto';
import { request } from 'node:http';
import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import type { Cluster } from './harness.js';

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  /** <Code> and <Message> of an S3 error body ('' when absent). */
  code: string;
  message: string;
}

/** Percent-encoding as the SDKs put keys on the wire (encodeURIComponent plus !'()*). */
export function escapeKey(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
}

export function objectPath(bucket: string, key?: string): string {
  return `/${escapeKey(bucket)}${key === undefined ? '' : '/' + key.split('/').map(escapeKey).join('/')}`;
}

export function xmlField(xml: string, name: string): string {
  const m = new RegExp(`<${name}>([\\s\\S]*?)</${name}>`).exec(xml);
  return m ? m[1]! : '';
}

/**
 * Sends bytes exactly as given, `body` written piece by piece. With `cut`, the connection is destroyed
 * once the pieces are written (a client dying mid-upload): resolves with status 0 if no answer came.
 */
export function send(endpoint: string, o: { method: string; path: string; headers: Record<string, string>; body?: Buffer | Buffer[]; cut?: boolean }): Promise<RawResponse> {
  const url = new URL(endpoint);
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, method: o.method, path: o.path, headers: o.headers, agent: false }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (b: Buffer) => parts.push(b));
      res.on('error', reject);
      res.on('end', () => {
        const body = Buffer.concat(parts);
        const text = body.toString('utf8');
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body, code: xmlField(text, 'Code'), message: xmlField(text, 'Message') });
      });
    });
    const none: RawResponse = { status: 0, headers: {}, body: Buffer.alloc(0), code: '', message: '' };
    req.on('error', (err) => (o.cut ? resolve(none) : reject(err)));
    for (const b of Array.isArray(o.body) ? o.body : o.body ? [o.body] : []) req.write(b);
    if (o.cut) setTimeout(() => req.destroy(), 300);
    else req.end();
  });
}

export interface SignedRequest {
  method: string;
  bucket?: string;
  key?: string;
  /** Query parameters (already decoded). */
  query?: Record<string, string>;
  headers?: Record<string, string>;
  body?: Buffer;
  /** x-amz-content-sha256 to sign instead of the body's hash (e.g. UNSIGNED-PAYLOAD, STREAMING-…). */
  payloadHash?: string;
  secretKey?: string;
  accessKey?: string;
  date?: Date;
  region?: string;
  /** Virtual-hosted style: Host is `<bucket>.<domain>:<port>` and the path is just the key. */
  domain?: string;
}

function signer(c: Cluster, r: { secretKey?: string; accessKey?: string; region?: string }): SignatureV4 {
  return new SignatureV4({
    credentials: { accessKeyId: r.accessKey ?? c.accessKey, secretAccessKey: r.secretKey ?? c.secretKey },
    region: r.region ?? c.region,
    service: 's3',
    sha256: Sha256,
    uriEscapePath: false,
    applyChecksum: true,
  });
}

/** Signs like the SDK (header SigV4), returns the wire path and headers. */
export async function signRequest(c: Cluster, r: SignedRequest): Promise<{ path: string; headers: Record<string, string> }> {
  const url = new URL(c.endpoint);
  const vhost = r.domain !== undefined && r.bucket !== undefined;
  const path = r.bucket === undefined ? '/' : vhost ? `/${(r.key ?? '').split('/').map(escapeKey).join('/')}` : objectPath(r.bucket, r.key);
  const body = r.body ?? Buffer.alloc(0);
  const headers: Record<string, string> = {
    host: vhost ? `${r.bucket}.${r.domain}:${url.port}` : url.host,
    'x-amz-content-sha256': r.payloadHash ?? createHash('sha256').update(body).digest('hex'),
    ...(r.body !== undefined && !r.headers?.['transfer-encoding'] ? { 'content-length': String(body.length) } : {}),
    ...(r.headers ?? {}),
  };
  const signed = await signer(c, r).sign(new HttpRequest({ method: r.method, protocol: 'http:', hostname: url.hostname, port: Number(url.port), path, query: r.query ?? {}, headers }), { signingDate: r.date });
  const q = Object.entries(r.query ?? {})
    .map(([k, v]) => (v === '' ? escapeKey(k) : `${escapeKey(k)}=${escapeKey(v)}`))
    .join('&');
  return { path: q ? `${path}?${q}` : path, headers: signed.headers as Record<string, string> };
}

export async function s3(c: Cluster, r: SignedRequest): Promise<RawResponse> {
  const { path, headers } = await signRequest(c, r);
  return send(c.endpoint, { method: r.method, path, headers, body: r.body });
}

/** HEAD status of an object with the root key (404 = not stored). */
export async function headStatus(c: Cluster, bucket: string, key: string): Promise<number> {
  return (await s3(c, { method: 'HEAD', bucket, key })).status;
}

function hmac(key: Buffer | string, data: string): Buffer {
  return createHmac('sha256', key).update(data).digest();
}

const EMPTY_SHA256 = createHash('sha256').update('').digest('hex');

/**
 * An aws-chunked body (STREAMING-AWS4-HMAC-SHA256-PAYLOAD) with a valid signature on every chunk, as
 * the S3 docs define it ("Signature Calculations for the Authorization Header: Transferring Payload in
 * Multiple Chunks"). Returns the signed headers and the encoded chunks, final 0-chunk last.
 */
export async function awsChunked(
  c: Cluster,
  bucket: string,
  key: string,
  data: Buffer,
  chunkSize: number,
  o: { sendChunks?: number } = {},
): Promise<{ path: string; headers: Record<string, string>; chunks: Buffer[] }> {
  const chunks: Buffer[] = [];
  for (let i = 0; i < data.length; i += chunkSize) chunks.push(data.subarray(i, Math.min(i + chunkSize, data.length)));
  chunks.push(Buffer.alloc(0));
  const sigLen = (n: number) => n.toString(16).length + ';chunk-signature='.length + 64 + 2 + n + 2;
  // With sendChunks, the Content-Length signed (and sent) covers only that many chunks: a well-formed
  // HTTP body that ends before the aws-chunked stream does.
  const encodedLength = chunks.slice(0, o.sendChunks ?? chunks.length).reduce((s, ch) => s + sigLen(ch.length), 0);
  const date = new Date();
  const { path, headers } = await signRequest(c, {
    method: 'PUT',
    bucket,
    key,
    payloadHash: 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD',
    date,
    headers: { 'content-encoding': 'aws-chunked', 'x-amz-decoded-content-length': String(data.length), 'content-length': String(encodedLength) },
  });
  const auth = headers.authorization ?? headers.Authorization!;
  let prev = /Signature=([0-9a-f]{64})/.exec(auth)![1]!;
  const amzDate = headers['x-amz-date']!;
  const shortDate = amzDate.slice(0, 8);
  const scope = `${shortDate}/${c.region}/s3/aws4_request`;
  let k = hmac('AWS4' + c.secretKey, shortDate);
  for (const part of [c.region, 's3', 'aws4_request']) k = hmac(k, part);
  const encoded = chunks.map((ch) => {
    const sts = ['AWS4-HMAC-SHA256-PAYLOAD', amzDate, scope, prev, EMPTY_SHA256, createHash('sha256').update(ch).digest('hex')].join('\n');
    prev = hmac(k, sts).toString('hex');
    return Buffer.concat([Buffer.from(`${ch.length.toString(16)};chunk-signature=${prev}\r\n`), ch, Buffer.from('\r\n')]);
  });
  return { path, headers, chunks: encoded.slice(0, o.sendChunks ?? encoded.length) };
}

/** GET over the native API; resolves with the status and the bytes. */
export async function v1Get(c: Cluster, path: string): Promise<{ status: number; body: Buffer }> {
  const res = await fetch(`${c.endpoint}/v1/fs/content?path=${encodeURIComponent(path)}`, { headers: { authorization: `Bearer ${c.apiKey}` } });
  return { status: res.status, body: Buffer.from(await res.arrayBuffer()) };
}

export async function v1Put(c: Cluster, path: string, body: Buffer): Promise<number> {
  const res = await fetch(`${c.endpoint}/v1/fs/content?path=${encodeURIComponent(path)}&parents=1`, { method: 'PUT', headers: { authorization: `Bearer ${c.apiKey}` }, body });
  await res.arrayBuffer();
  return res.status;
}
