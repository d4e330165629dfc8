// Keeps docs/errors.md and the one error table (common/errors.ts) in step, both directions, as fastify
// does for its error codes: every code is documented with its HTTP status, and the page
// documents no code that does not exist. On a mismatch the expected table is printed for pasting.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { errorTable, type ErrorCode } from '../common/errors.js';

const DOC = fileURLToPath(new URL('../../docs/errors.md', import.meta.url));

/** The markdown table docs/errors.md should contain, generated from errorTable. */
export function expectedErrorTable(): string {
  const rows = (Object.keys(errorTable) as ErrorCode[]).map((code) => `| \`${code}\` | ${errorTable[code].status} | ${errorTable[code].message} |`);
  return ['| code | HTTP status | meaning |', '| --- | --- | --- |', ...rows].join('\n');
}

function parseDoc(text: string): Map<string, { status: number; meaning: string }> {
  const out = new Map<string, { status: number; meaning: string }>();
  for (const line of text.split('\n')) {
    const m = /^\|\s*`([a-z_]+)`\s*\|\s*(\d{3})\s*\|\s*(.*?)\s*\|\s*$/.exec(line);
    if (!m) continue;
    assert.ok(!out.has(m[1]!), `docs/errors.md lists ${m[1]} twice`);
    out.set(m[1]!, { status: Number(m[2]), meaning: m[3]! });
  }
  return out;
}

describe('docs/errors.md', function () {
  it('documents every error code with its status, and only those', async function () {
    const doc = parseDoc(await readFile(DOC, 'utf8'));
    const hint = `\nexpected table (from common/errors.ts):\n${expectedErrorTable()}\n`;
    for (const [code, entry] of Object.entries(errorTable)) {
      const d = doc.get(code);
      assert.ok(d, `docs/errors.md is missing ${code}${hint}`);
      assert.equal(d.status, entry.status, `docs/errors.md gives ${code} status ${d.status}, the code ${entry.status}${hint}`);
      assert.ok(d.meaning.length > 0, `docs/errors.md explains ${code}`);
    }
    for (const code of doc.keys()) assert.ok(Object.hasOwn(errorTable, code), `docs/errors.md lists ${code}, which common/errors.ts does not define${hint}`);
  });
});
