// Object metadata ⇄ inode xattrs. Each stored header keeps its HTTP name as the xattr name, so /v1,
// the CLI and the FUSE mount see `content-type`, `cache-control` or `x-amz-meta-color` under the names
// a user knows. Values are kept as the header's raw bytes (latin1, as node parses headers) so they
// come back byte for byte. User metadata names are lower-cased (HTTP header names are
// case-insensitive; S3 returns them lower-cased and clients expect exactly that).
import type { IncomingHttpHeaders } from 'node:http';
import type { FileInfo } from '../../sdk/types.js';
import { CONTENT_TYPE_XATTR, DEFAULT_CONTENT_TYPE } from '../service/object-service.js';
import { S3Error } from './errors.js';

/** System metadata S3 stores from PutObject headers and returns on GET/HEAD. */
export const STORED_HEADERS = [CONTENT_TYPE_XATTR, 'cache-control', 'content-disposition', 'content-encoding', 'content-language', 'expires'] as const;
export const USER_META_PREFIX = 'x-amz-meta-';
/** S3: user metadata (names + values, UTF-8) at most 2 KB. */
export const MAX_USER_METADATA_BYTES = 2048;

export type ChecksumAlgorithm = 'CRC32' | 'CRC32C' | 'CRC64NVME' | 'SHA1' | 'SHA256';
export const CHECKSUM_ALGORITHMS: readonly ChecksumAlgorithm[] = ['CRC32', 'CRC32C', 'CRC64NVME', 'SHA1', 'SHA256'];
export const checksumHeader = (a: ChecksumAlgorithm) => `x-amz-checksum-${a.toLowerCase()}`;

/** MD5 of zero bytes: the ETag of an empty object, and of a folder marker. */
export const EMPTY_MD5 = 'd41d8cd98f00b204e9800998ecf8427e';

/** godfs-internal xattrs of the S3 dialect (never returned as headers). */
export const PARTS_XATTR = 'godfs.s3-parts';
export const FOLDER_XATTR = 'godfs.s3-folder';

/** Anything node would refuse to put in a response header (or that could split one). */
const HEADER_UNSAFE = /[^\t\x20-\x7e\x80-\xff]/;

function single(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v.join(', ') : v;
}

/** The stored form of a header value. */
const bytes = (v: string) => Buffer.from(v, 'latin1');

/** Metadata xattrs from PutObject / CreateMultipartUpload / CopyObject(REPLACE) request headers. */
export function metadataFromHeaders(headers: IncomingHttpHeaders): Record<string, Buffer> {
  const out: Record<string, Buffer> = {};
  for (const name of STORED_HEADERS) {
    let v = single(headers[name]);
    if (v === undefined) continue;
    if (name === 'content-encoding') {
      // aws-chunked describes the transfer (SigV4 streaming), not the object: S3 drops it.
      v = v.split(',').map((s) => s.trim()).filter((s) => s !== '' && s.toLowerCase() !== 'aws-chunked').join(', ');
      if (v === '') continue;
    }
    out[name] = bytes(v);
  }
  let userBytes = 0;
  for (const name of Object.keys(headers)) {
    const value = headers[name];
    if (!name.startsWith(USER_META_PREFIX) || value === undefined) continue;
    const v = single(value)!;
    userBytes += Buffer.byteLength(name.slice(USER_META_PREFIX.length)) + Buffer.byteLength(v);
    out[name] = bytes(v);
  }
  if (userBytes > MAX_USER_METADATA_BYTES) throw new S3Error('MetadataTooLarge', `Your metadata headers are ${userBytes} bytes; the limit is ${MAX_USER_METADATA_BYTES}.`);
  return out;
}

/** Response headers for an object's stored metadata (Content-Type is left to the caller), handed to `set`. */
export function forEachMetadataHeader(info: FileInfo, set: (name: string, value: string) => void): void {
  const xattrs = info.xattrs;
  if (!xattrs) return;
  for (const name of Object.keys(xattrs)) {
    if (name === CONTENT_TYPE_XATTR) continue;
    if (!(STORED_HEADERS as readonly string[]).includes(name) && !name.startsWith(USER_META_PREFIX)) continue;
    const v = Buffer.from(xattrs[name]!).toString('latin1');
    if (!HEADER_UNSAFE.test(v)) set(name, v);
  }
}

/** The stored Content-Type (any value node can send back), else the default /v1 also uses. */
export function storedContentType(info: FileInfo): string {
  const v = info.xattrs?.[CONTENT_TYPE_XATTR];
  const s = v === undefined ? '' : Buffer.from(v).toString('latin1');
  return s !== '' && !HEADER_UNSAFE.test(s) ? s : DEFAULT_CONTENT_TYPE;
}

/**
 * The names of an inode's xattrs that are S3 object metadata (system headers, x-amz-meta-*, checksums,
 * the dialect's own): what a metadata replacement removes. Anything else a user set stays.
 */
export function s3MetadataNames(info: FileInfo): string[] {
  return Object.keys(info.xattrs ?? {}).filter(
    (k) => (STORED_HEADERS as readonly string[]).includes(k) || k.startsWith(USER_META_PREFIX) || k.startsWith('x-amz-checksum-') || k === PARTS_XATTR || k === FOLDER_XATTR,
  );
}

/** The xattrs CopyObject carries over with the COPY directive: everything but the S3 dialect's own. */
export function copyableXattrs(info: FileInfo): Record<string, Buffer> {
  const out: Record<string, Buffer> = {};
  for (const [k, v] of Object.entries(info.xattrs ?? {})) if (k !== PARTS_XATTR && k !== FOLDER_XATTR) out[k] = Buffer.from(v);
  return out;
}

const CHECKSUM_HEADERS = CHECKSUM_ALGORITHMS.map((a) => [a, checksumHeader(a)] as const);
const STORED_CHECKSUM_VALUE = /^[A-Za-z0-9+/=]{1,128}$/;

/** The whole-object checksum stored with an object, if any. */
export function storedChecksum(info: FileInfo): { algorithm: ChecksumAlgorithm; header: string; value: string } | undefined {
  const xattrs = info.xattrs;
  if (!xattrs) return undefined;
  for (const [algorithm, header] of CHECKSUM_HEADERS) {
    const v = xattrs[header];
    if (v !== undefined) {
      const value = Buffer.from(v).toString('latin1');
      if (STORED_CHECKSUM_VALUE.test(value)) return { algorithm, header, value };
    }
  }
  return undefined;
}

/**
 * Part sizes of a multipart object, recorded at Complete (for GET ?partNumber), valid only while the
 * ETag is unchanged. Run-length encoded — `8388608*99,1234` — because clients use one part size, and
 * the xattr travels with every stat of the file.
 */
export function partSizesOf(info: FileInfo): number[] | undefined {
  const v = info.xattrs?.[PARTS_XATTR]?.toString('latin1');
  if (!v) return undefined;
  const colon = v.indexOf(':');
  if (colon < 0 || v.slice(0, colon) !== info.etag) return undefined;
  const sizes: number[] = [];
  for (const run of v.slice(colon + 1).split(',')) {
    const m = /^(\d+)(?:\*(\d+))?$/.exec(run);
    if (!m) return undefined;
    const count = m[2] === undefined ? 1 : Number(m[2]);
    if (sizes.length + count > 10000) return undefined;
    for (let i = 0; i < count; i++) sizes.push(Number(m[1]));
  }
  return sizes;
}

export function partSizesXattr(etag: string, sizes: number[]): Record<string, Buffer> {
  const runs: string[] = [];
  for (let i = 0; i < sizes.length; ) {
    let j = i;
    while (j < sizes.length && sizes[j] === sizes[i]) j++;
    runs.push(j - i === 1 ? String(sizes[i]) : `${sizes[i]}*${j - i}`);
    i = j;
  }
  return { [PARTS_XATTR]: Buffer.from(`${etag}:${runs.join(',')}`) };
}

export function isFolderDir(info: FileInfo): boolean {
  return info.isDir && info.xattrs?.[FOLDER_XATTR] !== undefined;
}
