// SigV4 timestamps: ISO 8601 basic format, UTC ("20130524T000000Z"), as x-amz-date, X-Amz-Date and
// the second line of every string to sign. A request may instead carry only an HTTP `Date` header
// (S3 API Reference, "Authenticating Requests (AWS Signature Version 4)" › "Time stamp requirement").

const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

/** The last string parsed and its instant (NaN: malformed): requests of the same second share it. */
let lastAmzDate = { text: '', time: NaN };

/** Parses "YYYYMMDDTHHMMSSZ"; undefined when malformed or not a real instant (e.g. month 13). */
export function parseAmzDate(s: string): Date | undefined {
  if (s === lastAmzDate.text) return Number.isNaN(lastAmzDate.time) ? undefined : new Date(lastAmzDate.time);
  const date = parseAmzDateUncached(s);
  lastAmzDate = { text: s, time: date ? date.getTime() : NaN };
  return date;
}

function parseAmzDateUncached(s: string): Date | undefined {
  const m = AMZ_DATE.exec(s);
  if (!m) return undefined;
  const [y, mo, d, h, mi, se] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  const t = Date.UTC(y, mo - 1, d, h, mi, se);
  const date = new Date(t);
  // Date.UTC rolls 2013-02-30 over to March; a timestamp that does not round-trip is malformed.
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d || h > 23 || mi > 59 || se > 59) {
    return undefined;
  }
  return date;
}

export function formatAmzDate(d: Date): string {
  return d.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

/** An HTTP-date (RFC 9110 §5.6.7, e.g. "Fri, 24 May 2013 00:00:00 GMT"); undefined when unparseable. */
export function parseHttpDate(s: string): Date | undefined {
  if (!/GMT$|UTC$|[+-]\d{4}$/.test(s.trim())) return undefined;
  const t = Date.parse(s);
  return Number.isNaN(t) ? undefined : new Date(t);
}
