// What every S3 handler gets: the parsed endpoint, the verified identity, the decoded request body,
// and the helpers that render responses the S3 way (XML, x-amz-request-id, HEAD without a body).
import { Readable } from 'node:stream';
import type { IncomingHttpHeaders } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from '../../common/log.js';
import type { GatewayMetrics } from '../metrics.js';
import type { ObjectService } from '../service/object-service.js';
import type { AuthResult } from './auth/index.js';
import type { ChecksumAlgorithm } from './metadata.js';
import type { Endpoint } from './router.js';
import { renderXml, type XmlNode } from './xml.js';

export interface S3Settings {
  region: string;
  /** Smallest size of a multipart part other than the last (S3: 5 MiB). */
  minPartSize: number;
  /** Cap on one PutObject / UploadPart body. */
  maxBodyBytes: number;
  allowAnonymousRead: boolean;
  allowAnonymousWrite: boolean;
}

export interface S3Deps {
  service: ObjectService;
  metrics: GatewayMetrics;
  settings: S3Settings;
  log: Logger;
}

export interface BodyResult {
  /** Computed only when there was a Content-MD5 to compare it with (the ETag comes from the write). */
  md5Hex?: string;
  checksum?: { algorithm: ChecksumAlgorithm; value: string };
}

/** A request body after aws-chunked decoding and signature/checksum verification. */
export interface VerifiedBody {
  /** Errors before its last bytes when any verification fails, so a write fed by it commits nothing. */
  stream: Readable;
  /** Settles after the stream ended: digests, and the verified flexible checksum if one was sent. */
  result: Promise<BodyResult>;
  /** The payload length the client declared (x-amz-decoded-content-length or Content-Length). */
  declaredLength: number | undefined;
}

export interface S3Context {
  req: FastifyRequest;
  reply: FastifyReply;
  deps: S3Deps;
  endpoint: Endpoint;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  /** undefined for an anonymous request (allowed only where the gateway allows anonymous access). */
  auth: AuthResult | undefined;
  /** The decoded path of the request, for <Resource> in errors. */
  resource: string;
  /**
   * Opens the verified body (once; later calls return the same). `onVerified` runs once every check
   * has passed and before the stream's end is released, so what it records (the checksum xattr of a
   * PutObject) is in place when a write fed by the stream commits.
   */
  body(onVerified?: (result: BodyResult) => void): VerifiedBody;
  /** Throws AccessDenied unless the caller's key may use `bucket` with this access. */
  checkBucketAccess(bucket: string, access: 'read' | 'write'): void;
  /** Whether the caller's key may see `bucket` at all (ListBuckets). */
  mayUseBucket(bucket: string): boolean;
}

export function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v.join(', ') : v;
}

export function sendXml(ctx: S3Context, root: XmlNode, status = 200): FastifyReply {
  return ctx.reply.code(status).header('content-type', 'application/xml').send(renderXml(root));
}

/** A response with headers only (HEAD, 200/204 without a document). */
export function sendEmpty(ctx: S3Context, status = 200): FastifyReply {
  return ctx.reply.code(status).send();
}

/** S3 timestamps in XML: ISO 8601 with milliseconds, in whole seconds (how `aws s3 sync` compares). */
export function isoSeconds(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString();
}

/** The owner every godfs object and bucket reports (godfs has no per-object owners). */
export const OWNER = { id: '02d6176db174dc93cb1b899f7c6078f08654445fe8cf1b6ce98d8855f66bdbf4', displayName: 'godfs' };

export function ownerXml(name = 'Owner'): XmlNode {
  return { name, children: [{ name: 'ID', children: [OWNER.id] }, { name: 'DisplayName', children: [OWNER.displayName] }] };
}
