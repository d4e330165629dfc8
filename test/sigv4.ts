// Test-only helpers for the auth tests: an aws-chunked encoder written straight from the S3 docs
// (independent of the decoder under test), stream plumbing that records exactly what a consumer
// saw, and the SigV4 oracle (@smithy/signature-v4) set up the way @aws-sdk/client-s3 sets it up.
import { createHash, createHmac } from 'node:crypto';
import { Readable } from 'node:stream';
import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AuthRequest, KeyLookup, S3Credentials } from '../gateway/s3/auth/index.js';

export const creds: S3Credentials = { accessKeyId: 'GODFSTESTKEY00000001', secretKey: 'tEst/Secret+Key=with/odd+chars0123456789', buckets: [], readOnly: false };
export const lookup: KeyLookup = async (id) => (id === creds.accessKeyId ? creds : undefined);

/** The signer @aws-sdk/client-s3 uses: service s3, S3's single-encoded paths, x-amz-content-sha256 added. */
export function oracle(o: { region?: string; secretKey?: string; accessKeyId?: string } = {}): SignatureV4 {
  return new SignatureV4({
    credentials: { accessKeyId: o.accessKeyId ?? creds.accessKeyId, secretAccessKey: o.secretKey ?? creds.secretKey },
    region: o.region ?? 'us-east-1',
    service: 's3',
    sha256: Sha256,
    uriEscapePath: false,
    applyChecksum: true,
  });
}

/** Percent-encoding the way the SDK puts keys and query values on the wire (encodeURIComponent + !'()*). */
export function sdkEscape(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
}

export function sdkPath(bucket: string, key: string): string {
  return `/${sdkEscape(bucket)}/${key.split('/').map(sdkEscape).join('/')}`;
}

export function newRequest(o: { method: string; path: string; query?: Record<string, string | string[]>; headers?: Record<string, string>; body?: unknown }): HttpRequest {
  return new HttpRequest({
    method: o.method,
    protocol: 'http:',
    hostname: '127.0.0.1',
    port: 9000,
    path: o.path,
    query: o.query ?? {},
    headers: { host: '127.0.0.1:9000', ...(o.headers ?? {}) },
    body: o.body,
  });
}

/** What arrives at the server for a signed HttpRequest (headers lower-cased like node's). */
export function toWire(r: { method: string; path: string; query?: Record<string, unknown> | null; headers: Record<string, string> }): AuthRequest {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(r.query ?? {})) {
    if (v === null || v === undefined) parts.push(sdkEscape(k));
    else for (const one of Array.isArray(v) ? v : [v]) parts.push(`${sdkEscape(k)}=${sdkEscape(String(one))}`);
  }
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(r.headers)) headers[k.toLowerCase()] = v;
  return { method: r.method, rawPath: r.path, rawQuery: parts.join('&'), headers };
}

/** A presigned URL as the server sees it: raw path and query exactly as in the URL, plus Host. */
export function wireOfUrl(method: string, url: string, headers: Record<string, string> = {}): AuthRequest {
  const u = new URL(url);
  const rest = url.slice(u.origin.length);
  const q = rest.indexOf('?');
  return { method, rawPath: q < 0 ? rest : rest.slice(0, q), rawQuery: q < 0 ? '' : rest.slice(q + 1), headers: { host: u.host, ...headers } };
}

export function sha256Hex(b: string | Uint8Array): string {
  return createHash('sha256').update(b).digest('hex');
}

export function signingKeyOf(secret: string, date: string, region: string, service = 's3'): Buffer {
  let k: Buffer = createHmac('sha256', 'AWS4' + secret).update(date).digest();
  for (const part of [region, service, 'aws4_request']) k = createHmac('sha256', k).update(part).digest();
  return k;
}

export interface ChunkSigning {
  signingKey: Buffer;
  seedSignature: string;
  datetime: string;
  scope: string;
}

/**
 * Encodes `data` as aws-chunked (S3 API Reference, "Transferring Payload in Multiple Chunks" and
 * "Including Trailing Headers"). Signed when `signing` is given; trailers appended after the final
 * chunk, with an x-amz-trailer-signature when signed.
 */
export function encodeAwsChunked(data: Buffer, o: { chunkSize: number; signing?: ChunkSigning; trailers?: Array<[string, string]>; finalCrlf?: boolean }): Buffer {
  const out: Buffer[] = [];
  let prev = o.signing?.seedSignature ?? '';
  const emptyHash = sha256Hex('');
  const sign = (sts: string) => createHmac('sha256', o.signing!.signingKey).update(sts).digest('hex');
  const chunk = (piece: Buffer) => {
    let ext = '';
    if (o.signing) {
      prev = sign(['AWS4-HMAC-SHA256-PAYLOAD', o.signing.datetime, o.signing.scope, prev, emptyHash, sha256Hex(piece)].join('\n'));
      ext = `;chunk-signature=${prev}`;
    }
    out.push(Buffer.from(`${piece.length.toString(16)}${ext}\r\n`), piece);
    if (piece.length > 0) out.push(Buffer.from('\r\n'));
  };
  for (let i = 0; i < data.length; i += o.chunkSize) chunk(data.subarray(i, i + o.chunkSize));
  chunk(Buffer.alloc(0));
  if (o.trailers) {
    const canonical = o.trailers.map(([n, v]) => `${n}:${v}\n`).join('');
    out.push(Buffer.from(canonical.replace(/\n/g, '\r\n')));
    if (o.signing) {
      const sig = sign(['AWS4-HMAC-SHA256-TRAILER', o.signing.datetime, o.signing.scope, prev, sha256Hex(canonical)].join('\n'));
      out.push(Buffer.from(`x-amz-trailer-signature:${sig}\r\n`));
    }
  }
  if (o.finalCrlf !== false) out.push(Buffer.from('\r\n'));
  return Buffer.concat(out);
}

/** A body delivered in pieces of the given sizes (cycled), to exercise parsers across boundaries. */
export function bodyOf(data: Buffer, sizes: number[] = [65536]): Readable {
  const pieces: Buffer[] = [];
  for (let i = 0, k = 0; i < data.length; k++) {
    const n = sizes[k % sizes.length]!;
    pieces.push(data.subarray(i, i + n));
    i += n;
  }
  return Readable.from(pieces, { objectMode: false });
}

export interface Seen {
  data: Buffer;
  ended: boolean;
  error?: Error & { s3Code?: string; status?: number };
}

/** Reads a stream to its end or error, recording every byte a consumer would have seen. */
export function consume(stream: Readable): Promise<Seen> {
  return new Promise((resolve) => {
    const parts: Buffer[] = [];
    let ended = false;
    stream.on('data', (b: Buffer) => parts.push(b));
    stream.on('end', () => {
      ended = true;
    });
    stream.on('error', (error) => resolve({ data: Buffer.concat(parts), ended, error }));
    stream.on('close', () => resolve({ data: Buffer.concat(parts), ended }));
  });
}
