import assert from 'node:assert/strict';
import { parseBool, parseCount, parseSize } from './options.js';
import { humanBytes, modeString, table } from './format.js';
import { describeError, UsageError } from './report.js';
import { NotFoundError } from '../common/errors.js';

describe('cli option parsers', function () {
  it('parses sizes with binary and decimal units', function () {
    assert.equal(parseSize('1048576'), 1048576);
    assert.equal(parseSize('64MiB'), 64 * 2 ** 20);
    assert.equal(parseSize('10GiB'), 10 * 2 ** 30);
    assert.equal(parseSize('10gb'), 10 * 1000 ** 3);
    assert.equal(parseSize('1.5G'), 1.5 * 2 ** 30);
    assert.equal(parseSize('4k'), 4096);
    assert.equal(parseSize(' 7 B '), 7);
    for (const bad of ['', 'lots', '10 XB', '-1', '1e9', 'GiB']) assert.throws(() => parseSize(bad), /expected a size/, bad);
  });

  it('parses counts and booleans strictly', function () {
    assert.equal(parseCount('3', 1), 3);
    assert.throws(() => parseCount('0', 1), /≥ 1/);
    assert.throws(() => parseCount('2.5'), /whole number/);
    assert.equal(parseBool('yes'), true);
    assert.equal(parseBool('0'), false);
    assert.equal(parseBool('False'), false);
    assert.throws(() => parseBool('maybe'), /true or false/);
  });
});

describe('cli formatting', function () {
  it('renders sizes, modes and tables', function () {
    assert.equal(humanBytes(512), '512 B');
    assert.equal(humanBytes(3 * 2 ** 20), '3.00 MiB');
    assert.equal(humanBytes(100 * 2 ** 30), '100.0 GiB');
    assert.equal(modeString('dir', 0o755), 'drwxr-xr-x');
    assert.equal(modeString('file', 0o644), '-rw-r--r--');
    assert.equal(modeString('file', 0o4755), '-rwsr-xr-x');
    assert.equal(modeString('dir', 0o1777), 'drwxrwxrwt');
    assert.equal(table(['A', 'NUM'], [['x', '1'], ['long', '100']]), 'A     NUM\nx       1\nlong  100\n');
  });

  it('describes errors with their code', function () {
    assert.deepEqual(describeError(new NotFoundError('no such file: /x')), { message: 'no such file: /x', code: 'not_found' });
    assert.deepEqual(describeError(new UsageError('bad')), { message: 'bad', code: 'usage' });
    const enoent = Object.assign(new Error("ENOENT: no such file or directory, open 'x'"), { code: 'ENOENT' });
    assert.equal(describeError(enoent).code, 'ENOENT');
  });
});
