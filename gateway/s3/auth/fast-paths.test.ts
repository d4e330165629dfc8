// The shortcuts SigV4 verification takes on the common path must give exactly what the general code
// gives: the signing-key cache (never a key of another secret, bounded), the canonical forms of
// header values, paths and queries that are already canonical, and the remembered x-amz-date.
import assert from 'node:assert/strict';
import { parseAmzDate } from './amz-date.js';
import { canonicalHeaderValue } from './canonical-request.js';
import { cachedSigningKey, clearSigningKeyCache, deriveSigningKey, SIGNING_KEY_CACHE_SIZE, signingKeyCacheSize } from './signing-key.js';
import { canonicalQuery, canonicalUri, parseQuery, percentDecodeBytes, uriEncodeBytes } from './uri-encode.js';

/** The general forms, as they were before the shortcuts. */
const reference = {
  headerValue: (v: string) => v.replace(/[\r\n]+/g, ' ').replace(/[ \t]+/g, ' ').trim(),
  uri: (rawPath: string) => (rawPath === '' ? '/' : rawPath.split('/').map((seg) => uriEncodeBytes(percentDecodeBytes(seg, false))).join('/')),
  parseQuery: (q: string) =>
    q === ''
      ? []
      : q
          .split('&')
          .filter((p) => p !== '')
          .map((p) => {
            const eq = p.indexOf('=');
            return [percentDecodeBytes(eq < 0 ? p : p.slice(0, eq), true).toString('utf8'), percentDecodeBytes(eq < 0 ? '' : p.slice(eq + 1), true).toString('utf8')];
          }),
  query: (q: string, exclude?: string) => {
    const pairs: Array<[string, string]> = [];
    for (const part of q === '' ? [] : q.split('&')) {
      if (part === '') continue;
      const eq = part.indexOf('=');
      const k = percentDecodeBytes(eq < 0 ? part : part.slice(0, eq), true);
      if (exclude !== undefined && k.toString('utf8') === exclude) continue;
      pairs.push([uriEncodeBytes(k), uriEncodeBytes(percentDecodeBytes(eq < 0 ? '' : part.slice(eq + 1), true))]);
    }
    pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
    return pairs.map(([k, v]) => `${k}=${v}`).join('&');
  },
};

/** Deterministic pseudo-random strings over an alphabet rich in the characters that matter. */
function* strings(alphabet: string[], count: number, maxLength: number): Generator<string> {
  let seed = 12345;
  const next = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff);
  for (let i = 0; i < count; i++) {
    let s = '';
    for (let n = next() % (maxLength + 1); n > 0; n--) s += alphabet[next() % alphabet.length];
    yield s;
  }
}

describe('s3 auth: fast paths', () => {
  it('cachedSigningKey gives deriveSigningKey, and a changed secret never gets the old key', () => {
    clearSigningKeyCache();
    for (let i = 0; i < 3; i++) {
      assert.ok(cachedSigningKey('AKID', 'secret-1', '20260314', 'us-east-1', 's3').equals(deriveSigningKey('secret-1', '20260314', 'us-east-1', 's3')));
    }
    assert.ok(cachedSigningKey('AKID', 'secret-2', '20260314', 'us-east-1', 's3').equals(deriveSigningKey('secret-2', '20260314', 'us-east-1', 's3')));
    assert.ok(cachedSigningKey('AKID', 'secret-1', '20260315', 'us-east-1', 's3').equals(deriveSigningKey('secret-1', '20260315', 'us-east-1', 's3')));
    assert.ok(cachedSigningKey('AKID', 'secret-1', '20260314', 'eu-west-1', 's3').equals(deriveSigningKey('secret-1', '20260314', 'eu-west-1', 's3')));
    // Field boundaries cannot be shifted to collide: ("a", "bc") and ("ab", "c") are different entries.
    assert.ok(cachedSigningKey('a', 'bc', '20260314', 'r', 's3').equals(deriveSigningKey('bc', '20260314', 'r', 's3')));
    assert.ok(cachedSigningKey('ab', 'c', '20260314', 'r', 's3').equals(deriveSigningKey('c', '20260314', 'r', 's3')));
  });

  it('the signing-key cache stays bounded, evicting the oldest', () => {
    clearSigningKeyCache();
    for (let i = 0; i < SIGNING_KEY_CACHE_SIZE + 50; i++) cachedSigningKey('AKID', 'secret', '20260314', `region-${i}`, 's3');
    assert.equal(signingKeyCacheSize(), SIGNING_KEY_CACHE_SIZE);
    assert.ok(cachedSigningKey('AKID', 'secret', '20260314', 'region-0', 's3').equals(deriveSigningKey('secret', '20260314', 'region-0', 's3')));
    assert.equal(signingKeyCacheSize(), SIGNING_KEY_CACHE_SIZE);
    clearSigningKeyCache();
  });

  it('parseAmzDate answers a repeated string the same, malformed or not, with a fresh Date each time', () => {
    for (const s of ['20260314T150926Z', '20260314T150926Z', '20130230T000000Z', '20130230T000000Z', '', 'x', '20260314T150927Z', '20260314T150926Z']) {
      const a = parseAmzDate(s);
      const b = parseAmzDate(s);
      assert.equal(a?.getTime(), b?.getTime(), s);
      if (a) assert.notEqual(a, b);
    }
    assert.equal(parseAmzDate('20130230T000000Z'), undefined);
    assert.equal(parseAmzDate('20260314T150926Z')?.toISOString(), '2026-03-14T15:09:26.000Z');
  });

  it('canonicalHeaderValue equals trimall for any value', () => {
    const alphabet = ['a', 'Z', '0', ' ', ' ', '\t', '\r', '\n', ',', ';', '=', '\u00a0', '\u2028', '\ufeff', '\v', 'é'];
    for (const v of strings(alphabet, 20_000, 12)) assert.equal(canonicalHeaderValue(v), reference.headerValue(v), JSON.stringify(v));
    for (const v of ['', ' ', 'a', 'a b', 'a  b', ' a', 'a ', '\ta', 'AWS4-HMAC-SHA256 Credential=x', 'attempt=1; max=3']) {
      assert.equal(canonicalHeaderValue(v), reference.headerValue(v), JSON.stringify(v));
    }
  });

  it('canonicalUri, parseQuery and canonicalQuery equal the general forms for any input', () => {
    const alphabet = ['a', 'Z', '0', '-', '.', '_', '~', '/', '%', '2', 'F', '+', ' ', '=', '&', '!', '$', '*', 'é', '\u{1F600}', '%e9', '%2f', '%zz'];
    for (const s of strings(alphabet, 20_000, 10)) {
      assert.equal(canonicalUri(s), reference.uri(s), JSON.stringify(s));
      assert.deepEqual(parseQuery(s), reference.parseQuery(s), JSON.stringify(s));
      assert.equal(canonicalQuery(s), reference.query(s), JSON.stringify(s));
      assert.equal(canonicalQuery(s, 'a'), reference.query(s, 'a'), JSON.stringify(s));
    }
    for (const s of ['/bkt/key', '/', '//a//', '/a b', 'x-id=PutObject', 'X-Amz-Signature=abc&a=1', 'a+b=c%20d']) {
      assert.equal(canonicalUri(s), reference.uri(s));
      assert.deepEqual(parseQuery(s), reference.parseQuery(s));
      assert.equal(canonicalQuery(s, 'X-Amz-Signature'), reference.query(s, 'X-Amz-Signature'));
    }
  });
});
