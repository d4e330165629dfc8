// SigV4's hashing primitives ("Calculate the signature": the signing key is derived from the secret
// by chained HMAC-SHA256 over date, region, service and "aws4_request"). node:crypto does the
// work; these wrappers only fix the encodings AWS uses (hex, lowercase).
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

export function hmac(key: string | Uint8Array, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}

/** kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, yyyymmdd), region), service), "aws4_request"). */
export function deriveSigningKey(secretKey: string, shortDate: string, region: string, service: string): Buffer {
  const kDate = hmac('AWS4' + secretKey, shortDate);
  const kRegion = hmac(kDate, region);
  const kService = hmac(kRegion, service);
  return hmac(kService, 'aws4_request');
}

/** How many signing keys `cachedSigningKey` keeps (keys × days × regions in use; the oldest goes first). */
export const SIGNING_KEY_CACHE_SIZE = 256;
const signingKeys = new Map<string, Buffer>();

/**
 * deriveSigningKey, remembered: a client signs every request of a day with the same key, and the
 * four chained HMACs are a fixed cost per request otherwise. The cache key holds everything the
 * derivation depends on — the secret itself included — so a changed or revoked secret can never
 * reuse a key derived from the old one (the old entry just ages out). Bounded: an unknown
 * region/date mix (any region is accepted) only pushes older entries out.
 */
export function cachedSigningKey(accessKeyId: string, secretKey: string, shortDate: string, region: string, service: string): Buffer {
  // The variable-length fields are length-prefixed, so two different tuples never share a cache key.
  const id = `${accessKeyId.length}:${accessKeyId}\0${secretKey.length}:${secretKey}\0${shortDate}\0${region.length}:${region}\0${service}`;
  const hit = signingKeys.get(id);
  if (hit) return hit;
  const key = deriveSigningKey(secretKey, shortDate, region, service);
  if (signingKeys.size >= SIGNING_KEY_CACHE_SIZE) signingKeys.delete(signingKeys.keys().next().value!);
  signingKeys.set(id, key);
  return key;
}

/** Empties the signing-key cache (tests). */
export function clearSigningKeyCache(): void {
  signingKeys.clear();
}

/** How many signing keys are cached (tests). */
export function signingKeyCacheSize(): number {
  return signingKeys.size;
}

/** The hex signature of a string to sign. */
export function signHex(signingKey: Uint8Array, stringToSign: string): string {
  return hmac(signingKey, stringToSign).toString('hex');
}

/**
 * Compares a computed hex signature with the one the client sent without leaking, through timing,
 * how many leading characters matched (SigV4 verification guidance: compare in constant time).
 */
export function signaturesEqual(computedHex: string, providedHex: string): boolean {
  const a = Buffer.from(computedHex, 'latin1');
  const b = Buffer.from(providedHex.toLowerCase(), 'latin1');
  return a.length === b.length && timingSafeEqual(a, b);
}
