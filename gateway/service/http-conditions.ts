// HTTP validators, conditional requests and byte ranges (RFC 9110 §8.8, §13, §14), written once for
// both dialects: /v1 and, later, S3 evaluate the same headers against the same FileInfo.
//
// Range policy. RFC 9110 §14.2 lets a server *ignore* a Range header it cannot parse; the godfs issue
// asks instead for "malformed Range → clear 4xx", because a client that sent a broken Range and got a
// silent 200 with the whole (possibly huge) file has no way to notice its bug. So:
//   - not `bytes=` syntax at all (other unit, garbage, empty set, last-pos < first-pos) → 400
//     invalid_argument. (§14.2 says an unknown range *unit* MUST be ignored; godfs has only one unit
//     and rejects the rest on purpose — a deliberate deviation.)
//   - well-formed but no range overlaps the file → 416 invalid_range with `Content-Range: bytes */size`
//     (§15.5.17), and likewise for an excessive number of ranges or overlapping ranges that together
//     ask for more bytes than the file has (§15.5.17 allows 416 for both).
import { GodfsError, InvalidArgumentError, PreconditionFailedError } from '../../common/errors.js';
import type { FileInfo } from '../../sdk/types.js';

/** An inclusive byte range, as Content-Range writes it. */
export interface ByteRange {
  start: number;
  end: number;
}

/** One range-spec as the client wrote it (RFC 9110 §14.1.1). */
export type RangeSpec = { first: number; last?: number } | { suffix: number };

/** More ranges than this in one request are refused with 416 (RFC 9110 §15.5.17: "excessive number"). */
export const MAX_RANGES = 100;

/** 416: carries the representation size so the dialect can send `Content-Range: bytes *\/size`. */
export class RangeNotSatisfiableError extends GodfsError {
  readonly size: number;
  constructor(size: number, message?: string) {
    super('invalid_range', message ?? `no requested range overlaps the ${size}-byte file`);
    this.size = size;
  }
}

const OWS = /^[ \t]+|[ \t]+$/g;

function digits(s: string): number {
  // Numbers beyond 2^53 lose precision but stay larger than any file, which is all that matters here.
  return Number(s);
}

/** Parses a Range header value. Throws InvalidArgumentError when it is not `bytes=` range-set syntax. */
export function parseRange(header: string): RangeSpec[] {
  const eq = header.indexOf('=');
  if (eq < 0) throw new InvalidArgumentError(`malformed Range header (expected "bytes=first-last"): ${JSON.stringify(header)}`);
  const unit = header.slice(0, eq).replace(OWS, '');
  if (unit.toLowerCase() !== 'bytes') throw new InvalidArgumentError(`unsupported Range unit ${JSON.stringify(unit)}; only "bytes" is supported`);
  const specs: RangeSpec[] = [];
  // RFC 9110 §5.6.1: recipients accept empty list elements ("bytes=0-1,,2-3").
  for (const raw of header.slice(eq + 1).split(',')) {
    const item = raw.replace(OWS, '');
    if (item === '') continue;
    let m = /^(\d+)-(\d*)$/.exec(item);
    if (m) {
      const first = digits(m[1]!);
      if (m[2] === '') {
        specs.push({ first });
        continue;
      }
      const last = digits(m[2]!);
      // §14.1.1: an int-range with last-pos < first-pos is invalid (not merely unsatisfiable).
      if (last < first) throw new InvalidArgumentError(`malformed Range header: ${JSON.stringify(item)} ends before it starts`);
      specs.push({ first, last });
      continue;
    }
    m = /^-(\d+)$/.exec(item);
    if (m) {
      specs.push({ suffix: digits(m[1]!) });
      continue;
    }
    throw new InvalidArgumentError(`malformed Range header: ${JSON.stringify(item)} is not "first-last", "first-" or "-suffix"`);
  }
  if (specs.length === 0) throw new InvalidArgumentError('malformed Range header: no ranges');
  return specs;
}

/**
 * Turns range-specs into concrete byte ranges of a `size`-byte file, in the client's order.
 * Returns null when the Range header should be ignored and the whole file sent (a suffix range of an
 * empty file: RFC 9110 §14.1.1 calls it satisfiable, yet no Content-Range can describe it).
 * Throws RangeNotSatisfiableError (416) when nothing overlaps the file or the request is abusive.
 */
export function resolveRanges(specs: RangeSpec[], size: number): ByteRange[] | null {
  if (specs.length > MAX_RANGES) throw new RangeNotSatisfiableError(size, `too many ranges (${specs.length} > ${MAX_RANGES})`);
  const out: ByteRange[] = [];
  let sawSuffix = false;
  for (const s of specs) {
    if ('suffix' in s) {
      if (s.suffix === 0) continue;
      sawSuffix = true;
      if (size === 0) continue;
      out.push({ start: Math.max(0, size - s.suffix), end: size - 1 });
    } else {
      if (s.first >= size) continue;
      out.push({ start: s.first, end: Math.min(s.last ?? size - 1, size - 1) });
    }
  }
  if (size === 0 && sawSuffix) return null;
  if (out.length === 0) throw new RangeNotSatisfiableError(size);
  if (out.length > 1) {
    // Overlapping ranges can multiply the response far beyond the file (bytes=0-,0-,0-,...).
    const total = out.reduce((n, r) => n + (r.end - r.start + 1), 0);
    if (total > size) throw new RangeNotSatisfiableError(size, 'overlapping ranges ask for more bytes than the file holds');
  }
  return out;
}

export function rangeLength(r: ByteRange): number {
  return r.end - r.start + 1;
}

export function formatContentRange(r: ByteRange, size: number): string {
  return `bytes ${r.start}-${r.end}/${size}`;
}

// ---- entity tags (RFC 9110 §8.8.3) ----

/** The quoted strong ETag of a file, or undefined when it has none (directories). */
export function formatEtag(etag: string): string | undefined {
  return etag ? `"${etag}"` : undefined;
}

/** Strips the quotes (and a weak prefix) a client put around an etag it echoes back. */
export function unquoteEtag(value: string): string {
  let v = value.trim();
  if (v.startsWith('W/')) v = v.slice(2);
  if (v.length >= 2 && v.startsWith('"') && v.endsWith('"')) v = v.slice(1, -1);
  return v;
}

export interface EntityTag {
  weak: boolean;
  tag: string;
}

/**
 * Parses `*` or a comma-separated list of entity tags. Bare (unquoted) tags are accepted as strong
 * tags because many clients echo the ETag without its quotes; an unparseable remainder is skipped.
 */
export function parseEtagList(value: string): '*' | EntityTag[] {
  if (value.trim() === '*') return '*';
  const out: EntityTag[] = [];
  let i = 0;
  while (i < value.length) {
    const c = value[i]!;
    if (c === ' ' || c === '\t' || c === ',') {
      i++;
      continue;
    }
    let weak = false;
    if (value.startsWith('W/', i)) {
      weak = true;
      i += 2;
    }
    if (value[i] === '"') {
      const close = value.indexOf('"', i + 1);
      if (close < 0) break;
      out.push({ weak, tag: value.slice(i + 1, close) });
      i = close + 1;
    } else {
      let j = i;
      while (j < value.length && value[j] !== ',' && value[j] !== ' ' && value[j] !== '\t') j++;
      if (j > i) out.push({ weak, tag: value.slice(i, j) });
      i = j;
    }
  }
  return out;
}

/** §8.8.3.2 strong comparison: both strong and identical. */
export function strongMatch(list: '*' | EntityTag[], etag: string): boolean {
  if (list === '*') return true;
  return etag !== '' && list.some((t) => !t.weak && t.tag === etag);
}

/** §8.8.3.2 weak comparison: identical opaque tags, weakness ignored. */
export function weakMatch(list: '*' | EntityTag[], etag: string): boolean {
  if (list === '*') return true;
  return etag !== '' && list.some((t) => t.tag === etag);
}

// ---- HTTP-date (RFC 9110 §5.6.7) ----

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

export function formatHttpDate(ms: number): string {
  // toUTCString() yields IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT".
  return new Date(ms).toUTCString();
}

/** Parses the three HTTP-date forms to whole seconds since the epoch; undefined when invalid. */
export function parseHttpDate(value: string, nowMs = Date.now()): number | undefined {
  const v = value.trim();
  let m = /^[A-Za-z]{3}, (\d{2}) ([A-Za-z]{3}) (\d{4}) (\d{2}):(\d{2}):(\d{2}) GMT$/.exec(v); // IMF-fixdate
  let day: string, mon: string, year: number, hh: string, mm: string, ss: string;
  if (m) {
    [day, mon, year, hh, mm, ss] = [m[1]!, m[2]!, Number(m[3]), m[4]!, m[5]!, m[6]!];
  } else if ((m = /^[A-Za-z]{6,9}, (\d{2})-([A-Za-z]{3})-(\d{2}) (\d{2}):(\d{2}):(\d{2}) GMT$/.exec(v))) {
    // rfc850-date: a two-digit year more than 50 years in the future is in the past century (§5.6.7).
    const nowYear = new Date(nowMs).getUTCFullYear();
    let y = Math.floor(nowYear / 100) * 100 + Number(m[3]);
    if (y > nowYear + 50) y -= 100;
    [day, mon, year, hh, mm, ss] = [m[1]!, m[2]!, y, m[4]!, m[5]!, m[6]!];
  } else if ((m = /^[A-Za-z]{3} ([A-Za-z]{3}) ([ \d]\d) (\d{2}):(\d{2}):(\d{2}) (\d{4})$/.exec(v))) {
    // asctime-date, always UTC.
    [mon, day, hh, mm, ss, year] = [m[1]!, m[2]!.trim(), m[3]!, m[4]!, m[5]!, Number(m[6])];
  } else {
    return undefined;
  }
  const month = MONTHS.indexOf(mon.toLowerCase());
  const [d, h, mi, s] = [Number(day), Number(hh), Number(mm), Number(ss)];
  if (month < 0 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) return undefined;
  const ms = Date.UTC(year, month, d, h, mi, Math.min(s, 59));
  // Date.UTC rolls "31 Feb" over into March; such a date is not valid.
  if (new Date(ms).getUTCDate() !== d) return undefined;
  return ms / 1000;
}

/** Last-Modified as HTTP can express it: whole seconds. */
export function lastModifiedSeconds(info: FileInfo): number {
  return Math.floor(info.mtimeMs / 1000);
}

// ---- preconditions (RFC 9110 §13.2.2) ----

/** The raw request headers that make a request conditional or partial. */
export interface RequestConditions {
  ifMatch?: string;
  ifNoneMatch?: string;
  ifModifiedSince?: string;
  ifUnmodifiedSince?: string;
  ifRange?: string;
  range?: string;
}

/**
 * Evaluates If-Match / If-Unmodified-Since / If-None-Match / If-Modified-Since for a read of an
 * existing file, in the order §13.2.2 prescribes. Returns 'not_modified' (304) or 'proceed'; throws
 * PreconditionFailedError (412).
 */
export function evaluateReadPreconditions(info: FileInfo, c: RequestConditions): 'proceed' | 'not_modified' {
  const lm = lastModifiedSeconds(info);
  if (c.ifMatch !== undefined) {
    if (!strongMatch(parseEtagList(c.ifMatch), info.etag)) throw new PreconditionFailedError('If-Match does not match the current ETag');
  } else if (c.ifUnmodifiedSince !== undefined) {
    const d = parseHttpDate(c.ifUnmodifiedSince);
    if (d !== undefined && lm > d) throw new PreconditionFailedError('the file was modified after If-Unmodified-Since');
  }
  if (c.ifNoneMatch !== undefined) {
    if (weakMatch(parseEtagList(c.ifNoneMatch), info.etag)) return 'not_modified';
  } else if (c.ifModifiedSince !== undefined) {
    const d = parseHttpDate(c.ifModifiedSince);
    if (d !== undefined && lm <= d) return 'not_modified';
  }
  return 'proceed';
}

/**
 * §13.1.5: true when the Range header applies. An entity-tag validator must match strongly; an
 * HTTP-date must equal Last-Modified exactly. Anything else (weak tag, garbage) means "send it all".
 */
export function ifRangeHolds(info: FileInfo, ifRange: string | undefined): boolean {
  if (ifRange === undefined) return true;
  const v = ifRange.trim();
  if (v.startsWith('"') || v.startsWith('W/"')) {
    if (v.startsWith('W/')) return false;
    return strongMatch(parseEtagList(v), info.etag);
  }
  const d = parseHttpDate(v);
  return d !== undefined && d === lastModifiedSeconds(info);
}

export interface ReadPlan {
  status: 200 | 206 | 304;
  /** The ranges to send for 206 (one or more); empty for 200 and 304. */
  ranges: ByteRange[];
}

/** Decides what a GET/HEAD of `info` answers, from its conditional and Range headers. */
export function planRead(info: FileInfo, c: RequestConditions): ReadPlan {
  if (evaluateReadPreconditions(info, c) === 'not_modified') return { status: 304, ranges: [] };
  if (c.range === undefined) return { status: 200, ranges: [] };
  // Parse before If-Range so a malformed header is reported even when If-Range would drop it.
  const specs = parseRange(c.range);
  if (!ifRangeHolds(info, c.ifRange)) return { status: 200, ranges: [] };
  const ranges = resolveRanges(specs, info.size);
  return ranges === null ? { status: 200, ranges: [] } : { status: 206, ranges };
}

/** True when the request carries no header that makes a read conditional or partial. */
export function isUnconditional(c: RequestConditions): boolean {
  return c.ifMatch === undefined && c.ifNoneMatch === undefined && c.ifModifiedSince === undefined && c.ifUnmodifiedSince === undefined && c.range === undefined;
}
