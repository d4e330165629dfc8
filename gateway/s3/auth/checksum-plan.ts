// What a request's headers promise about its body's integrity (S3 User Guide, "Checking object
// integrity"; RFC 1864 for Content-MD5): at most one x-amz-checksum-<alg> value, either as a header
// or, announced by x-amz-trailer, as a trailing header of an aws-chunked body; optionally a
// Content-MD5; optionally x-amz-sdk-checksum-algorithm naming what to compute. Read once per
// request, before a byte of the body; the body is then checked against it (body-verifier.ts).
import { headerValue, type HeaderBag } from './canonical-request.js';
import { algorithmOfHeader, digestLength, headerOfAlgorithm, type ChecksumAlgorithm } from './checksums.js';
import { authErrors } from './errors.js';

export interface ChecksumPlan {
  /** Content-MD5 (canonical base64) to compare the body's MD5 with. */
  md5?: string;
  algorithm?: ChecksumAlgorithm;
  /** The expected value from a header; undefined when it comes in the trailer or is not given. */
  headerValue?: string;
  fromTrailer: boolean;
}

const CHECKSUM_PREFIX = 'x-amz-checksum-';

/** Base64 of exactly `length` bytes, in canonical form (so a string comparison is a byte comparison). */
export function isCanonicalBase64(value: string, length: number): boolean {
  const bytes = Buffer.from(value, 'base64');
  return bytes.length === length && bytes.toString('base64') === value;
}

export function invalidChecksumValue(alg: ChecksumAlgorithm) {
  return authErrors.invalidRequest(`Value for ${headerOfAlgorithm(alg)} header is invalid.`);
}

/** Reads what the headers promise. Throws S3AuthError (400) for contradictory or malformed values. */
export function checksumPlan(headers: HeaderBag): ChecksumPlan {
  const plan: ChecksumPlan = { fromTrailer: false };
  const md5 = headerValue(headers, 'content-md5')?.trim();
  if (md5 !== undefined) {
    if (!isCanonicalBase64(md5, 16)) throw authErrors.invalidDigest();
    plan.md5 = md5;
  }
  // One pass over the names; only x-amz-checksum-* ones get a closer look.
  let inHeader: string | undefined;
  let count = 0;
  for (const h of Object.keys(headers)) {
    if (!h.startsWith(CHECKSUM_PREFIX) || headers[h] === undefined || algorithmOfHeader(h) === undefined) continue;
    inHeader = h;
    count++;
  }
  const announced = headerValue(headers, 'x-amz-trailer');
  const trailer =
    announced === undefined
      ? []
      : announced
          .split(',')
          .map((s) => s.trim().toLowerCase())
          .filter((s) => algorithmOfHeader(s) !== undefined);
  if (count + trailer.length > 1) {
    throw authErrors.invalidRequest('Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.');
  }
  if (inHeader !== undefined) {
    const alg = algorithmOfHeader(inHeader)!;
    const value = headerValue(headers, inHeader)!.trim();
    if (!isCanonicalBase64(value, digestLength[alg])) throw invalidChecksumValue(alg);
    plan.algorithm = alg;
    plan.headerValue = value;
  } else if (trailer.length === 1) {
    plan.algorithm = algorithmOfHeader(trailer[0]!)!;
    plan.fromTrailer = true;
  }
  const sdkAlg = headerValue(headers, 'x-amz-sdk-checksum-algorithm')?.trim().toUpperCase();
  if (sdkAlg !== undefined && sdkAlg !== '') {
    const named = algorithmOfHeader(`${CHECKSUM_PREFIX}${sdkAlg.toLowerCase()}`);
    if (!named || (plan.algorithm !== undefined && plan.algorithm !== named)) {
      throw authErrors.invalidRequest('Value for x-amz-sdk-checksum-algorithm header is invalid.');
    }
    // Named but no value sent: compute it anyway so it can be stored (AWS would refuse; nothing is lost by being lenient).
    plan.algorithm = named;
  }
  return plan;
}
