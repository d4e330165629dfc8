// AWS's UriEncode and its inverse, on bytes (SigV4 "Create a canonical request": "URI-encode each
// byte … except the unreserved characters A-Z a-z 0-9 - . _ ~ … hexadecimal digits must be
// uppercase"). Hand-rolled rather than @smithy's escapeUri (encodeURIComponent + [!'()*]) because a
// verifier starts from what arrived on the wire, not from a JS string: a client may send a key
// whose bytes are not valid UTF-8, and encodeURIComponent/decodeURIComponent throw on those where
// AWS, which signs bytes, simply encodes them. Working on bytes also makes decode→encode the
// identity for any well-formed input, which is what a canonical form needs.

const HEX = '0123456789ABCDEF';

function isUnreserved(b: number): boolean {
  return (
    (b >= 0x41 && b <= 0x5a) || // A-Z
    (b >= 0x61 && b <= 0x7a) || // a-z
    (b >= 0x30 && b <= 0x39) || // 0-9
    b === 0x2d || b === 0x2e || b === 0x5f || b === 0x7e // - . _ ~
  );
}

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x41 && c <= 0x46) return c - 0x41 + 10;
  if (c >= 0x61 && c <= 0x66) return c - 0x61 + 10;
  return -1;
}

/** UriEncode(bytes): every byte but the unreserved ones as %XY (uppercase). '/' is encoded too. */
export function uriEncodeBytes(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += isUnreserved(b) ? String.fromCharCode(b) : '%' + HEX[b >> 4]! + HEX[b & 15]!;
  return out;
}

/** UriEncode of a JS string's UTF-8 bytes. */
export function uriEncode(s: string): string {
  return uriEncodeBytes(Buffer.from(s, 'utf8'));
}

/**
 * Percent-decodes to bytes. `plusIsSpace` applies form decoding, which is right for query strings
 * (Go's url.Values.Encode, and so minio-go and aws-sdk-go, send a space as '+' and sign it as %20)
 * and wrong for paths (in a path '+' is a literal plus). A '%' not followed by two hex digits is
 * kept literally, so the client's bytes survive (and are then encoded as %25).
 */
export function percentDecodeBytes(s: string, plusIsSpace: boolean): Buffer {
  const src = Buffer.from(s, 'utf8');
  const out = Buffer.allocUnsafe(src.length);
  let n = 0;
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    if (c === 0x25 && i + 2 < src.length) {
      const hi = hexValue(src[i + 1]!);
      const lo = hexValue(src[i + 2]!);
      if (hi >= 0 && lo >= 0) {
        out[n++] = (hi << 4) | lo;
        i += 2;
        continue;
      }
    }
    out[n++] = plusIsSpace && c === 0x2b ? 0x20 : c;
  }
  return out.subarray(0, n);
}

/** Paths made of unreserved characters and '/' only. */
const UNRESERVED_PATH = /^[A-Za-z0-9\-._~/]*$/;

/**
 * The canonical URI of an S3 request from its raw path (SigV4 "CanonicalURI"; S3 is the one service
 * whose path is neither normalised nor double-encoded: "/a//b/../c" stays as it is). Each segment
 * between literal '/'s is decoded and re-encoded once, so a client that left a reserved character
 * unescaped (`$`, `+`, `!`, unicode) and one that escaped it produce the same canonical form, and an
 * escaped '/' inside a segment (%2F) stays escaped.
 */
export function canonicalUri(rawPath: string): string {
  if (rawPath === '') return '/';
  // A path of unreserved characters and '/' only is its own canonical form (decode and encode are identities there).
  if (UNRESERVED_PATH.test(rawPath)) return rawPath;
  return rawPath
    .split('/')
    .map((seg) => uriEncodeBytes(percentDecodeBytes(seg, false)))
    .join('/');
}

/** Printable ASCII other than '%' and '+': text that query decoding leaves as it is. */
const PLAIN_QUERY_TEXT = /^[\x20-\x24\x26-\x2a\x2c-\x7e]*$/;

/** Form-decodes one query name or value to a string (UTF-8, lenient). */
function decodeQueryText(s: string): string {
  return PLAIN_QUERY_TEXT.test(s) ? s : percentDecodeBytes(s, true).toString('utf8');
}

/** A raw query string split into decoded (UTF-8, lenient) [name, value] pairs, in order. */
export function parseQuery(rawQuery: string): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  if (rawQuery === '') return out;
  for (const part of rawQuery.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const k = eq < 0 ? part : part.slice(0, eq);
    const v = eq < 0 ? '' : part.slice(eq + 1);
    out.push([decodeQueryText(k), decodeQueryText(v)]);
  }
  return out;
}

/** Unreserved characters only: text that decoding and UriEncode both leave as it is. */
const UNRESERVED_TEXT = /^[A-Za-z0-9\-._~]*$/;

/** UriEncode(form-decode(s)), the canonical form of one query name or value. */
function canonicalQueryText(s: string): string {
  return UNRESERVED_TEXT.test(s) ? s : uriEncodeBytes(percentDecodeBytes(s, true));
}

/**
 * The canonical query string (SigV4 "CanonicalQueryString"): every name and value UriEncoded from
 * the bytes that arrived, `name=value` (a bare `?acl` is `acl=`), sorted by encoded name and then
 * value, joined with '&'. `exclude` drops a parameter (X-Amz-Signature for presigned URLs).
 */
export function canonicalQuery(rawQuery: string, exclude?: string): string {
  const pairs: Array<[string, string]> = [];
  if (rawQuery !== '') {
    for (const part of rawQuery.split('&')) {
      if (part === '') continue;
      const eq = part.indexOf('=');
      const k = eq < 0 ? part : part.slice(0, eq);
      if (exclude !== undefined && decodeQueryText(k) === exclude) continue;
      pairs.push([canonicalQueryText(k), canonicalQueryText(eq < 0 ? '' : part.slice(eq + 1))]);
    }
  }
  // Encoded names and values are ASCII, so UTF-16 order is byte order.
  pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  return pairs.map(([k, v]) => `${k}=${v}`).join('&');
}
