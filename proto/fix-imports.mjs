// proto-loader-gen-types writes extensionless relative imports; ESM (NodeNext) needs `.js`.
import { readdirSync, readFileSync, writeFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
const walk = (dir) => readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? walk(join(dir, n)) : [join(dir, n)]));
for (const f of walk(new URL('./generated', import.meta.url).pathname).filter((f) => f.endsWith('.ts'))) {
  const src = readFileSync(f, 'utf8');
  const out = src.replace(/from '(\.{1,2}\/[^']+?)(?<!\.js)'/g, "from '$1.js'");
  if (out !== src) writeFileSync(f, out);
}
