// Tables for Range parsing and conditional-request evaluation (RFC 9110 §13, §14).
import assert from 'node:assert/strict';
import { GodfsError } from '../../common/errors.js';
import type { FileInfo } from '../../sdk/types.js';
import {
  evaluateReadPreconditions,
  formatEtag,
  formatHttpDate,
  ifRangeHolds,
  MAX_RANGES,
  parseEtagList,
  parseHttpDate,
  parseRange,
  planRead,
  RangeNotSatisfiableError,
  resolveRanges,
  type RequestConditions,
} from './http-conditions.js';

const MTIME = Date.UTC(1994, 10, 6, 8, 49, 37, 500); // Sun, 06 Nov 1994 08:49:37.5 GMT
const LM = 'Sun, 06 Nov 1994 08:49:37 GMT';
const info = { etag: 'abc', mtimeMs: MTIME, size: 100, isDir: false } as FileInfo;

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
    return undefined;
  } catch (err) {
    assert.ok(err instanceof GodfsError, `expected a GodfsError, got ${String(err)}`);
    return err.code;
  }
}

describe('http-conditions: Range', () => {
  const ok: [string, unknown][] = [
    ['bytes=0-499', [{ first: 0, last: 499 }]],
    ['bytes=500-', [{ first: 500 }]],
    ['bytes=-500', [{ suffix: 500 }]],
    ['BYTES=1-2', [{ first: 1, last: 2 }]],
    ['bytes=0-0, -1', [{ first: 0, last: 0 }, { suffix: 1 }]],
    ['bytes= 1-2 ,, 4-5', [{ first: 1, last: 2 }, { first: 4, last: 5 }]],
    ['bytes=0-99999999999999999999', [{ first: 0, last: 1e20 }]],
  ];
  for (const [h, want] of ok) it(`parses ${JSON.stringify(h)}`, () => assert.deepEqual(parseRange(h), want));

  const malformed = ['bytes', 'bytes=', 'bytes=,', 'bytes=a-b', 'bytes=1-2-3', 'bytes=--1', 'bytes=5-3', 'items=0-1', '0-1', 'bytes=1 - 2', 'bytes=-', 'bytes=0x1-2'];
  for (const h of malformed) it(`rejects ${JSON.stringify(h)} as invalid_argument (400)`, () => assert.equal(codeOf(() => parseRange(h)), 'invalid_argument'));

  const resolved: [string, number, unknown][] = [
    ['bytes=0-499', 1000, [{ start: 0, end: 499 }]],
    ['bytes=0-5000', 1000, [{ start: 0, end: 999 }]],
    ['bytes=990-', 1000, [{ start: 990, end: 999 }]],
    ['bytes=-10', 1000, [{ start: 990, end: 999 }]],
    ['bytes=-5000', 1000, [{ start: 0, end: 999 }]],
    ['bytes=0-0,-1', 1000, [{ start: 0, end: 0 }, { start: 999, end: 999 }]],
    // Unsatisfiable members of a set are dropped when another one is satisfiable (§14.1.1).
    ['bytes=2000-3000,5-6', 1000, [{ start: 5, end: 6 }]],
    ['bytes=-0,1-1', 10, [{ start: 1, end: 1 }]],
    // A suffix range of an empty file is satisfiable but has no Content-Range: send it whole.
    ['bytes=-5', 0, null],
  ];
  for (const [h, size, want] of resolved) it(`resolves ${h} of ${size} bytes`, () => assert.deepEqual(resolveRanges(parseRange(h), size), want));

  const unsatisfiable: [string, number][] = [
    ['bytes=1000-', 1000],
    ['bytes=1000-2000', 1000],
    ['bytes=-0', 1000],
    ['bytes=0-', 0],
    ['bytes=0-,0-', 10], // overlapping ranges asking for more than the file
    [`bytes=${Array.from({ length: MAX_RANGES + 1 }, (_, i) => `${i}-${i}`).join(',')}`, 1000],
  ];
  for (const [h, size] of unsatisfiable) {
    it(`refuses ${h.slice(0, 40)} of ${size} bytes with 416 carrying the size`, () => {
      assert.throws(() => resolveRanges(parseRange(h), size), (e: unknown) => e instanceof RangeNotSatisfiableError && e.code === 'invalid_range' && e.size === size);
    });
  }
});

describe('http-conditions: HTTP-date and ETag', () => {
  it('parses the three HTTP-date forms to the same second', () => {
    const want = Date.UTC(1994, 10, 6, 8, 49, 37) / 1000;
    assert.equal(parseHttpDate('Sun, 06 Nov 1994 08:49:37 GMT'), want);
    assert.equal(parseHttpDate('Sunday, 06-Nov-94 08:49:37 GMT'), want);
    assert.equal(parseHttpDate('Sun Nov  6 08:49:37 1994'), want);
  });
  it('reads a two-digit year more than 50 years ahead as the past century', () => {
    const now = Date.UTC(2030, 0, 1);
    assert.equal(parseHttpDate('Monday, 01-Jan-90 00:00:00 GMT', now), Date.UTC(1990, 0, 1) / 1000);
    assert.equal(parseHttpDate('Monday, 01-Jan-35 00:00:00 GMT', now), Date.UTC(2035, 0, 1) / 1000);
  });
  for (const bad of ['', 'yesterday', '06 Nov 1994 08:49:37 GMT', 'Sun, 31 Feb 1994 08:49:37 GMT', 'Sun, 06 Nov 1994 25:49:37 GMT', 'Sun, 06 Foo 1994 08:49:37 GMT']) {
    it(`rejects ${JSON.stringify(bad)}`, () => assert.equal(parseHttpDate(bad), undefined));
  }
  it('formats IMF-fixdate and round-trips at second precision', () => {
    assert.equal(formatHttpDate(MTIME), LM);
    assert.equal(parseHttpDate(formatHttpDate(MTIME)), Math.floor(MTIME / 1000));
  });
  it('quotes ETags and has none for directories', () => {
    assert.equal(formatEtag('abc'), '"abc"');
    assert.equal(formatEtag(''), undefined);
  });
  it('parses entity-tag lists, weak tags and bare tags', () => {
    assert.equal(parseEtagList(' * '), '*');
    assert.deepEqual(parseEtagList('"a", W/"b",c'), [
      { weak: false, tag: 'a' },
      { weak: true, tag: 'b' },
      { weak: false, tag: 'c' },
    ]);
    assert.deepEqual(parseEtagList('"a-1,2"'), [{ weak: false, tag: 'a-1,2' }]);
  });
});

describe('http-conditions: preconditions (RFC 9110 §13.2.2)', () => {
  const cases: [string, RequestConditions, 'proceed' | 'not_modified' | 'precondition_failed'][] = [
    ['no conditions', {}, 'proceed'],
    ['If-Match matching', { ifMatch: '"abc"' }, 'proceed'],
    ['If-Match in a list', { ifMatch: '"x", "abc"' }, 'proceed'],
    ['If-Match *', { ifMatch: '*' }, 'proceed'],
    ['If-Match other', { ifMatch: '"x"' }, 'precondition_failed'],
    ['If-Match weak (strong comparison)', { ifMatch: 'W/"abc"' }, 'precondition_failed'],
    ['If-Unmodified-Since equal', { ifUnmodifiedSince: LM }, 'proceed'],
    ['If-Unmodified-Since earlier', { ifUnmodifiedSince: 'Sun, 06 Nov 1994 08:49:36 GMT' }, 'precondition_failed'],
    ['If-Unmodified-Since invalid is ignored', { ifUnmodifiedSince: 'nonsense' }, 'proceed'],
    ['If-Match wins over If-Unmodified-Since', { ifMatch: '"abc"', ifUnmodifiedSince: 'Sun, 06 Nov 1994 08:49:36 GMT' }, 'proceed'],
    ['If-None-Match matching', { ifNoneMatch: '"abc"' }, 'not_modified'],
    ['If-None-Match weak matches (weak comparison)', { ifNoneMatch: 'W/"abc"' }, 'not_modified'],
    ['If-None-Match *', { ifNoneMatch: '*' }, 'not_modified'],
    ['If-None-Match other', { ifNoneMatch: '"x"' }, 'proceed'],
    ['If-Modified-Since equal', { ifModifiedSince: LM }, 'not_modified'],
    ['If-Modified-Since later', { ifModifiedSince: 'Mon, 07 Nov 1994 08:49:37 GMT' }, 'not_modified'],
    ['If-Modified-Since earlier', { ifModifiedSince: 'Sun, 06 Nov 1994 08:49:36 GMT' }, 'proceed'],
    ['If-None-Match overrides If-Modified-Since', { ifNoneMatch: '"x"', ifModifiedSince: LM }, 'proceed'],
    ['If-Match failing beats If-None-Match', { ifMatch: '"x"', ifNoneMatch: '"abc"' }, 'precondition_failed'],
  ];
  for (const [name, c, want] of cases) {
    it(name, () => {
      let got: string;
      try {
        got = evaluateReadPreconditions(info, c);
      } catch (err) {
        got = (err as GodfsError).code;
      }
      assert.equal(got, want);
    });
  }

  it('If-Range: strong ETag or exact Last-Modified keeps the range; anything else drops it', () => {
    assert.equal(ifRangeHolds(info, undefined), true);
    assert.equal(ifRangeHolds(info, '"abc"'), true);
    assert.equal(ifRangeHolds(info, '"x"'), false);
    assert.equal(ifRangeHolds(info, 'W/"abc"'), false);
    assert.equal(ifRangeHolds(info, LM), true);
    assert.equal(ifRangeHolds(info, 'Mon, 07 Nov 1994 08:49:37 GMT'), false);
    assert.equal(ifRangeHolds(info, 'garbage'), false);
  });

  it('planRead combines conditions, If-Range and Range', () => {
    assert.deepEqual(planRead(info, {}), { status: 200, ranges: [] });
    assert.deepEqual(planRead(info, { range: 'bytes=0-9' }), { status: 206, ranges: [{ start: 0, end: 9 }] });
    assert.deepEqual(planRead(info, { range: 'bytes=0-9', ifRange: '"x"' }), { status: 200, ranges: [] });
    assert.deepEqual(planRead(info, { range: 'bytes=0-9', ifNoneMatch: '"abc"' }), { status: 304, ranges: [] });
    assert.equal(codeOf(() => planRead(info, { range: 'bytes=zz' })), 'invalid_argument');
    assert.equal(codeOf(() => planRead(info, { range: 'bytes=100-' })), 'invalid_range');
  });
});
