// The SigV4 canonical request and string to sign (AWS General Reference, "Create a canonical
// request for Signature Version 4" and "Create a string to sign"; S3 API Reference,
// "Signature Calculations for the Authorization Header"). The URI and query parts come from
// uri-encode.ts; this file assembles the six lines and the header block.
import { sha256Hex } from './signing-key.js';

export type HeaderBag = Record<string, string | string[] | undefined>;

/** A header's value as one string: repeated headers joined with ',' (SigV4: "value1,value2"). */
export function headerValue(headers: HeaderBag, name: string): string | undefined {
  const v = headers[name];
  if (v === undefined) return undefined;
  return Array.isArray(v) ? v.join(',') : v;
}

/** Anything the replacements or trim() of canonicalHeaderValue would change. */
const NOT_TRIMMED = /[\r\n\t]| {2}|^\s|\s$/;

/**
 * Trimall (SigV4 "CanonicalHeaders"): leading and trailing whitespace removed and runs of spaces
 * collapsed to one. Folded (obsolete multi-line) values count as whitespace, as in the SigV4 test
 * suite's get-header-value-multiline case.
 */
export function canonicalHeaderValue(value: string): string {
  // Most values are canonical already (one scan, no copies); \s is exactly what trim() removes.
  if (!NOT_TRIMMED.test(value)) return value;
  return value.replace(/[\r\n]+/g, ' ').replace(/[ \t]+/g, ' ').trim();
}

export interface CanonicalRequestInput {
  method: string;
  canonicalUri: string;
  canonicalQuery: string;
  headers: HeaderBag;
  /** Lower-case names, in the order the client listed them in SignedHeaders. */
  signedHeaders: string[];
  payloadHash: string;
}

/**
 * CanonicalRequest = Method \n CanonicalURI \n CanonicalQueryString \n CanonicalHeaders \n
 * SignedHeaders \n HashedPayload, where CanonicalHeaders is one `name:value\n` per signed header.
 * Each value is trimmed per header line; repeated headers are joined with ',' before trimming.
 */
export function canonicalRequest(i: CanonicalRequestInput): string {
  let headerBlock = '';
  for (const name of i.signedHeaders) {
    const v = i.headers[name];
    const joined = v === undefined ? '' : Array.isArray(v) ? v.map(canonicalHeaderValue).join(',') : canonicalHeaderValue(v);
    headerBlock += `${name}:${joined}\n`;
  }
  return [i.method, i.canonicalUri, i.canonicalQuery, headerBlock, i.signedHeaders.join(';'), i.payloadHash].join('\n');
}

/** StringToSign = "AWS4-HMAC-SHA256" \n ISO8601 basic time \n scope \n hex(sha256(canonical request)). */
export function stringToSign(datetime: string, scope: string, canonical: string): string {
  return ['AWS4-HMAC-SHA256', datetime, scope, sha256Hex(canonical)].join('\n');
}
