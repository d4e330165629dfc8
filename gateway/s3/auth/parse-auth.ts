// Parsing the two places a SigV4 signature can travel (S3 API Reference, "Authenticating Requests:
// Using the Authorization Header" and "Authenticating Requests: Using Query Parameters"). Both give
// the same facts — who, the credential scope, which headers were signed, the signature — and
// the query form adds the time and an expiry. Errors use AWS's codes for each form:
// AuthorizationHeaderMalformed for the header, AuthorizationQueryParametersError for the query.
import { authErrors, type S3AuthError } from './errors.js';

export const ALGORITHM = 'AWS4-HMAC-SHA256';
export const MAX_PRESIGN_SECONDS = 7 * 24 * 3600; // "X-Amz-Expires … maximum 604800 seconds (7 days)"

export interface SigV4Params {
  kind: 'header' | 'query';
  accessKeyId: string;
  /** YYYYMMDD from the credential scope. */
  shortDate: string;
  region: string;
  /** `${shortDate}/${region}/s3/aws4_request` */
  scope: string;
  /** Lower-case names, as listed. */
  signedHeaders: string[];
  /** 64 hex digits, lower-cased. */
  signature: string;
  /** Query form only: X-Amz-Date as sent. */
  datetime?: string;
  /** Query form only: X-Amz-Expires in seconds. */
  expires?: number;
}

const SIGNATURE = /^[0-9a-fA-F]{64}$/;
const HEADER_NAME = /^[a-z0-9!#$%&'*+.^_`|~-]+$/;

function parseCredential(credential: string, fail: (m: string) => S3AuthError) {
  // <access key>/<yyyymmdd>/<region>/s3/aws4_request; the key itself never contains '/', but we
  // split from the right so a stray one would surface as "unknown key", not as a malformed scope.
  const parts = credential.split('/');
  if (parts.length < 5) throw fail(`the Credential is mal-formed; expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".`);
  const [shortDate, region, service, terminator] = parts.slice(-4) as [string, string, string, string];
  const accessKeyId = parts.slice(0, -4).join('/');
  if (accessKeyId === '') throw fail('the Credential has no access key id.');
  if (!/^\d{8}$/.test(shortDate)) throw fail(`Invalid credential date "${shortDate}". This date is not in the correct format.`);
  if (region === '') throw fail('the Credential has an empty region.');
  if (service !== 's3') throw fail(`Credential should be scoped to correct service: 's3'.`);
  if (terminator !== 'aws4_request') throw fail(`Credential should be scoped with a valid terminator: 'aws4_request', not '${terminator}'.`);
  return { accessKeyId, shortDate, region, scope: `${shortDate}/${region}/${service}/${terminator}` };
}

function parseSignedHeaders(list: string, fail: (m: string) => S3AuthError): string[] {
  const names = list.split(';');
  for (const n of names) if (!HEADER_NAME.test(n)) throw fail(`SignedHeaders contains an invalid header name "${n}".`);
  // SigV4 requires host to be signed, so a signature cannot be replayed against another endpoint.
  if (!names.includes('host')) throw fail("'Host' must be a signed header.");
  return names;
}

/**
 * `AWS4-HMAC-SHA256 Credential=AKID/20130524/us-east-1/s3/aws4_request, SignedHeaders=host;range;x-amz-date, Signature=…`.
 * Components are comma-separated with optional spaces, in any order, each exactly once.
 */
export function parseAuthorizationHeader(value: string): SigV4Params {
  const fail = (m: string) => authErrors.headerMalformed(`The authorization header is malformed; ${m}`);
  const sp = value.indexOf(' ');
  const scheme = sp < 0 ? value : value.slice(0, sp);
  if (scheme !== ALGORITHM) {
    // SigV2 ("AWS AKID:sig") and SigV4A are real S3 mechanisms we do not implement; say so as AWS does.
    if (scheme === 'AWS' || scheme === 'AWS4-ECDSA-P256-SHA256') throw authErrors.unsupportedMechanism();
    throw authErrors.invalidArgument('Unsupported Authorization Type');
  }
  const fields = new Map<string, string>();
  for (const raw of value.slice(sp + 1).split(',')) {
    const part = raw.trim();
    if (part === '') continue;
    const eq = part.indexOf('=');
    if (eq <= 0) throw fail(`"${part}" is not of the form Name=Value.`);
    const name = part.slice(0, eq).trim();
    if (fields.has(name)) throw fail(`${name} is given more than once.`);
    fields.set(name, part.slice(eq + 1).trim());
  }
  const credential = fields.get('Credential');
  const signedHeaders = fields.get('SignedHeaders');
  const signature = fields.get('Signature');
  if (credential === undefined) throw fail('the Credential parameter is missing.');
  if (signedHeaders === undefined) throw fail('the SignedHeaders parameter is missing.');
  if (signature === undefined) throw fail('the Signature parameter is missing.');
  if (!SIGNATURE.test(signature)) throw fail('the Signature is not 64 hexadecimal digits.');
  return {
    kind: 'header',
    ...parseCredential(credential, fail),
    signedHeaders: parseSignedHeaders(signedHeaders, fail),
    signature: signature.toLowerCase(),
  };
}

/** True when the query carries SigV4 (or SigV2) query authentication parameters. */
export function hasQueryAuth(pairs: Array<[string, string]>): boolean {
  return pairs.some(([k]) => k === 'X-Amz-Algorithm' || k === 'X-Amz-Credential' || k === 'X-Amz-Signature' || k === 'AWSAccessKeyId');
}

/** The X-Amz-* query parameters of a presigned URL. */
export function parseQueryAuth(pairs: Array<[string, string]>, maxPresignSeconds = MAX_PRESIGN_SECONDS): SigV4Params {
  const fail = (m: string) => authErrors.queryMalformed(m);
  const get = (name: string): string | undefined => {
    const found = pairs.filter(([k]) => k === name);
    if (found.length > 1) throw fail(`The ${name} parameter is given more than once.`);
    return found[0]?.[1];
  };
  if (get('AWSAccessKeyId') !== undefined && get('X-Amz-Algorithm') === undefined) throw authErrors.unsupportedMechanism();
  const algorithm = get('X-Amz-Algorithm');
  const credential = get('X-Amz-Credential');
  const datetime = get('X-Amz-Date');
  const signedHeaders = get('X-Amz-SignedHeaders');
  const signature = get('X-Amz-Signature');
  const expires = get('X-Amz-Expires');
  if ([algorithm, credential, datetime, signedHeaders, signature, expires].includes(undefined)) {
    throw fail(
      'Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.',
    );
  }
  if (algorithm !== ALGORITHM) throw fail(`X-Amz-Algorithm only supports "${ALGORITHM}"`);
  if (!/^\d{1,9}$/.test(expires!)) throw fail('X-Amz-Expires should be a number');
  const seconds = Number(expires);
  if (seconds < 1) throw fail('X-Amz-Expires must be non-negative');
  if (seconds > maxPresignSeconds) throw fail(`X-Amz-Expires must be less than a week (in seconds) that is; ${maxPresignSeconds}`);
  if (!SIGNATURE.test(signature!)) throw fail('X-Amz-Signature is not 64 hexadecimal digits.');
  return {
    kind: 'query',
    ...parseCredential(credential!, (m) => fail(`Error parsing the X-Amz-Credential parameter; ${m}`)),
    signedHeaders: parseSignedHeaders(signedHeaders!, (m) => fail(`Error parsing the X-Amz-SignedHeaders parameter; ${m}`)),
    signature: signature!.toLowerCase(),
    datetime,
    expires: seconds,
  };
}
