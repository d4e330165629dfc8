// The S3 error table: kept in step with docs/s3-compatibility.md in both directions (fastify's pattern),
// and the translation of godfs codes by what the request was about.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { errorCodes, GodfsError } from '../../common/errors.js';
import { RangeNotSatisfiableError } from '../service/http-conditions.js';
import { S3AuthError } from './auth/index.js';
import { S3Error, s3ErrorOf, s3ErrorTable, type S3Code } from './errors.js';
import { errorXml } from './xml.js';

const DOC = fileURLToPath(new URL('../../../docs/s3-compatibility.md', import.meta.url));

function expectedTable(): string {
  const rows = (Object.keys(s3ErrorTable) as S3Code[]).map((c) => `| \`${c}\` | ${s3ErrorTable[c].status} | ${s3ErrorTable[c].message} |`);
  return ['| code | HTTP status | meaning |', '| --- | --- | --- |', ...rows].join('\n');
}

describe('S3 errors', () => {
  it('docs/s3-compatibility.md lists every S3 code with its status, and only those', async () => {
    const doc = new Map<string, number>();
    for (const line of (await readFile(DOC, 'utf8')).split('\n')) {
      const m = /^\|\s*`([A-Za-z0-9]+)`\s*\|\s*(\d{3})\s*\|/.exec(line);
      if (m) doc.set(m[1]!, Number(m[2]));
    }
    const hint = `\nexpected table (from gateway/s3/errors.ts):\n${expectedTable()}\n`;
    for (const [code, e] of Object.entries(s3ErrorTable)) {
      assert.equal(doc.get(code), e.status, `docs/s3-compatibility.md: ${code} should be listed with status ${e.status}${hint}`);
      assert.ok(e.message.length > 0);
    }
    for (const code of doc.keys()) assert.ok(Object.hasOwn(s3ErrorTable, code), `docs/s3-compatibility.md lists ${code}, which gateway/s3/errors.ts does not define${hint}`);
  });

  it('translates every godfs code to an S3 code of the table, with a message', () => {
    for (const code of errorCodes) {
      for (const subject of ['service', 'bucket', 'object-read', 'object-write', 'upload'] as const) {
        const e = s3ErrorOf(new GodfsError(code, `detail of ${code}`), subject);
        assert.ok(Object.hasOwn(s3ErrorTable, e.code), `${code}/${subject} → ${e.code}`);
        assert.ok(e.message.length > 0, `${code}/${subject} has a message`);
      }
    }
  });

  it('decides what a missing path means from the request', () => {
    const nf = new GodfsError('not_found', 'no such file');
    assert.equal(s3ErrorOf(nf, 'object-read').code, 'NoSuchKey');
    assert.equal(s3ErrorOf(nf, 'bucket').code, 'NoSuchBucket');
    assert.equal(s3ErrorOf(nf, 'upload').code, 'NoSuchUpload');
    assert.equal(s3ErrorOf(new GodfsError('is_a_directory'), 'object-read').code, 'NoSuchKey');
    assert.equal(s3ErrorOf(new GodfsError('is_a_directory'), 'object-write').code, 'XGodfsObjectExistsAsDirectory');
    assert.equal(s3ErrorOf(new GodfsError('not_a_directory'), 'object-write').code, 'XGodfsParentIsObject');
    assert.equal(s3ErrorOf(new GodfsError('already_exists'), 'bucket').code, 'BucketAlreadyOwnedByYou');
    assert.equal(s3ErrorOf(new GodfsError('not_empty'), 'bucket').code, 'BucketNotEmpty');
    const range = s3ErrorOf(new RangeNotSatisfiableError(42), 'object-read');
    assert.deepEqual([range.code, range.status, range.headers], ['InvalidRange', 416, { 'content-range': 'bytes */42' }]);
  });

  it('keeps the auth layer codes and statuses, and hides internal details', () => {
    const auth = s3ErrorOf(new S3AuthError('SignatureDoesNotMatch', 'sig', 403, { details: { StringToSign: 'x' } }), 'object-write');
    assert.deepEqual([auth.code, auth.status, auth.details], ['SignatureDoesNotMatch', 403, { StringToSign: 'x' }]);
    const bug = s3ErrorOf(new TypeError('cannot read properties of undefined (secret path /etc)'), 'object-read');
    assert.equal(bug.code, 'InternalError');
    assert.equal(bug.status, 500);
    assert.doesNotMatch(bug.message, /secret/);
    assert.doesNotMatch(s3ErrorOf(new GodfsError('internal', 'stack-ish detail'), 'bucket').message, /stack-ish/);
    const passthrough = new S3Error('NoSuchUpload');
    assert.equal(s3ErrorOf(passthrough, 'bucket'), passthrough);
  });

  it('renders Code, Message, Resource and RequestId, escaping what the message holds', () => {
    const xml = errorXml({ code: 'NoSuchKey', message: 'no <key> & "such"', resource: '/b/k&k', requestId: 'r-1', details: { Key: 'k' } });
    assert.match(xml, /^<\?xml version="1.0" encoding="UTF-8"\?>\n<Error><Code>NoSuchKey<\/Code><Message>no &lt;key&gt; &amp; &quot;such&quot;<\/Message><Key>k<\/Key><Resource>\/b\/k&amp;k<\/Resource><RequestId>r-1<\/RequestId><\/Error>$/);
  });
});
