// The XML builder and the request-body parser.
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { S3Error } from './errors.js';
import { el, escapeXml, parseXml, readSmallBody, renderXml, textOf } from './xml.js';

describe('S3 XML', () => {
  it('escapes markup and characters XML 1.0 cannot carry raw', () => {
    assert.equal(escapeXml(`a<b>&"c'`), 'a&lt;b&gt;&amp;&quot;c&apos;');
    assert.equal(escapeXml('cr\rtab\t'), 'cr&#13;tab\t');
    assert.equal(escapeXml('\x01'), '&#1;');
    assert.equal(renderXml(el('A', el('B', 'x'), undefined, el('C'))), '<?xml version="1.0" encoding="UTF-8"?>\n<A xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><B>x</B><C/></A>');
  });

  it('parses keys exactly as sent: whitespace kept, digits not numbers, entities decoded', () => {
    const doc = parseXml(Buffer.from('<?xml version="1.0"?><Delete xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Object><Key>  007 </Key></Object><Object><Key>a&amp;b&#x41;&#66;</Key></Object></Delete>'), 'Delete');
    const keys = (doc.Object as Array<Record<string, unknown>>).map((o) => textOf(o.Key));
    assert.deepEqual(keys, ['  007 ', 'a&bAB']);
    const one = parseXml(Buffer.from('<Delete><Object><Key>only</Key></Object></Delete>'), 'Delete');
    assert.ok(Array.isArray(one.Object), 'a single <Object> still parses as a list');
  });

  it('refuses what is not a well-formed document of the expected root with MalformedXML', () => {
    for (const body of ['', '   ', '<Delete>', '<Delete></Other>', 'garbage', '<Other/>']) {
      assert.throws(() => parseXml(Buffer.from(body), 'Delete'), (e: unknown) => e instanceof S3Error && e.code === 'MalformedXML', JSON.stringify(body));
    }
  });

  it('caps how much of a body it reads', async () => {
    await assert.rejects(readSmallBody(Readable.from([Buffer.alloc(600), Buffer.alloc(600)]), 1000), (e: unknown) => e instanceof S3Error && e.code === 'MalformedXML');
    assert.equal((await readSmallBody(Readable.from([Buffer.alloc(600)]), 1000)).length, 600);
  });
});
