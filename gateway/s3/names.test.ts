// Bucket-name rules and the key → path mapping.
import assert from 'node:assert/strict';
import { S3Error } from './errors.js';
import { bucketNameProblem, keyOfPath, keyPath, MAX_KEY_BYTES } from './names.js';

const codeOf = (f: () => unknown) => {
  try {
    f();
    return undefined;
  } catch (e) {
    return e instanceof S3Error ? e.code : String(e);
  }
};

describe('S3 names', () => {
  it('accepts S3 bucket names and refuses the rest, reserved gateway routes included', () => {
    for (const ok of ['abc', 'my-bucket', 'my.bucket.v2', '0ab', 'a'.repeat(63)]) assert.equal(bucketNameProblem(ok), undefined, ok);
    for (const bad of ['ab', 'a'.repeat(64), 'Abc', 'a_b', '-ab', 'ab-', '.ab', 'a..b', '10.0.0.1', 'xn--ab', 'sthree-x', 'ab-s3alias', 'ab--ol-s3', 'healthz', 'readyz', 'metrics', 'a b']) {
      assert.ok(bucketNameProblem(bad), bad);
    }
    assert.match(bucketNameProblem('healthz')!, /reserved/);
  });

  it('maps keys to paths below the bucket, folder keys to their directory', () => {
    assert.equal(keyPath('b', 'a/b/c'), '/b/a/b/c');
    assert.equal(keyPath('b', 'dir/'), '/b/dir');
    assert.equal(keyPath('b', 'sp ace/ü+%'), '/b/sp ace/ü+%');
    assert.equal(keyOfPath('b', '/b/x/y'), 'x/y');
    assert.equal(keyOfPath('b', '/bb/x'), undefined);
  });

  it('refuses keys over 1024 bytes (KeyTooLongError) and keys no path can hold (XGodfsInvalidObjectName)', () => {
    const longest = [255, 255, 255, 254].map((n) => 'a'.repeat(n)).join('/') + '/b';
    assert.equal(Buffer.byteLength(longest), MAX_KEY_BYTES);
    assert.equal(codeOf(() => keyPath('b', longest)), undefined);
    assert.equal(codeOf(() => keyPath('b', longest + 'c')), 'KeyTooLongError');
    assert.equal(codeOf(() => keyPath('b', 'k'.repeat(MAX_KEY_BYTES + 1))), 'KeyTooLongError');
    assert.equal(codeOf(() => keyPath('b', 'é'.repeat(513))), 'KeyTooLongError'); // 1026 bytes of UTF-8
    for (const bad of ['/lead', 'a//b', './a', 'a/../b', 'a/.', 'nul\0', 'x'.repeat(256), 'dir//']) {
      assert.equal(codeOf(() => keyPath('b', bad)), 'XGodfsInvalidObjectName', JSON.stringify(bad));
    }
  });
});
