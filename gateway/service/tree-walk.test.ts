// TreeWalk against a small in-memory namespace with paged listings: every combination of prefix,
// exclusive bound and collapse must yield exactly what sorting all keys and filtering would — the
// brute-force oracle below — for names built from the characters that sort around '/'.
import assert from 'node:assert/strict';
import { NotFoundError, NotADirectoryError } from '../../common/errors.js';
import { compareUtf8 } from '../../common/utf8.js';
import type { DirEntryInfo, FileInfo, Godfs } from '../../sdk/types.js';
import { TreeWalk, type TreeWalkOptions } from './tree-walk.js';

type Node = { dir: boolean; marked?: boolean };

/** Just the calls TreeWalk makes, over a Map of absolute paths; listings come in pages of 3. */
class FakeTree {
  readonly nodes = new Map<string, Node>([['/', { dir: true }]]);
  listCalls = 0;

  add(path: string, marked = false): void {
    const parts = path.split('/').filter(Boolean);
    for (let i = 1; i < parts.length; i++) this.nodes.set('/' + parts.slice(0, i).join('/'), { dir: true, ...(this.nodes.get('/' + parts.slice(0, i).join('/'))?.marked ? { marked: true } : {}) });
    this.nodes.set(path, path.endsWith('/') ? { dir: true } : { dir: marked, marked });
  }

  mkdir(path: string, marked = false): void {
    this.add(path + '/x'); // make the parents
    this.nodes.delete(path + '/x');
    this.nodes.set(path, { dir: true, marked });
  }

  info(path: string): FileInfo {
    const n = this.nodes.get(path)!;
    const name = path === '/' ? '' : path.slice(path.lastIndexOf('/') + 1);
    return { path, name, type: n.dir ? 'dir' : 'file', isDir: n.dir, xattrs: n.marked ? { m: Buffer.from('1') } : {} } as unknown as FileInfo;
  }

  async lstat(path: string): Promise<FileInfo> {
    const parts = path.split('/').filter(Boolean);
    for (let i = 1; i < parts.length; i++) {
      const p = '/' + parts.slice(0, i).join('/');
      if (this.nodes.get(p) && !this.nodes.get(p)!.dir) throw new NotADirectoryError(p);
    }
    if (!this.nodes.has(path)) throw new NotFoundError(path);
    return this.info(path);
  }

  async *listAll(path: string, opts: { pageSize?: number; startAfter?: string } = {}): AsyncIterable<DirEntryInfo> {
    const prefix = path === '/' ? '/' : path + '/';
    const names = [...this.nodes.keys()]
      .filter((k) => k !== path && k.startsWith(prefix) && !k.slice(prefix.length).includes('/'))
      .map((k) => k.slice(prefix.length))
      .sort(compareUtf8);
    let cursor = opts.startAfter;
    for (;;) {
      this.listCalls++;
      const page = names.filter((n) => cursor === undefined || compareUtf8(n, cursor) > 0).slice(0, 3);
      for (const n of page) yield this.info(prefix + n);
      if (page.length < 3) return;
      cursor = page[page.length - 1];
    }
  }

  /** The oracle: every key (files, and marked directories as "d/"), sorted. */
  allKeys(root: string): string[] {
    const out: string[] = [];
    for (const [p, n] of this.nodes) {
      if (!p.startsWith(root + '/')) continue;
      const rel = p.slice(root.length + 1);
      if (!n.dir) out.push(rel);
      else if (n.marked) out.push(rel + '/');
    }
    return out.sort(compareUtf8);
  }
}

async function run(t: FakeTree, root: string, o: TreeWalkOptions): Promise<string[]> {
  const out: string[] = [];
  const walk = new TreeWalk(t as unknown as Godfs, { ...o, isMarked: (i) => i.xattrs.m !== undefined, pageSize: 3 });
  for await (const e of walk.walk(root)) out.push(e.key);
  return out;
}

function oracle(t: FakeTree, root: string, o: TreeWalkOptions): string[] {
  const prefix = o.prefix ?? '';
  const base = prefix.slice(0, prefix.lastIndexOf('/') + 1);
  let entries = t.allKeys(root).filter((k) => k.startsWith(prefix));
  if (o.collapse) {
    // One entry per directory directly below the prefix level, at the position of its first key.
    const out: string[] = [];
    for (const k of entries) {
      const at = k.indexOf('/', base.length);
      const e = at >= 0 ? k.slice(0, at + 1) : k;
      if (out[out.length - 1] !== e) out.push(e);
    }
    entries = out;
  }
  return entries.filter((e) => o.after === undefined || compareUtf8(e, o.after) > 0);
}

describe('TreeWalk', () => {
  it('places a directory "a" where "a/" sorts: after "a-b", "a.txt" and "a b", before "a0"', async () => {
    const t = new FakeTree();
    for (const k of ['a/x', 'a/y/z', 'a-b', 'a.txt', 'a b', 'a0', 'a-b.c/d', 'a!', 'b']) t.add(`/bk/${k}`);
    assert.deepEqual(await run(t, '/bk', {}), ['a b', 'a!', 'a-b', 'a-b.c/d', 'a.txt', 'a/x', 'a/y/z', 'a0', 'b']);
    assert.deepEqual(await run(t, '/bk', {}), t.allKeys('/bk'));
  });

  it('resumes after any key, including inside directories and between a directory and its look-alikes', async () => {
    const t = new FakeTree();
    for (const k of ['a/x', 'a/y/z', 'a-b', 'a.txt', 'a-b.c/d', 'a0', 'b/c/d/e', 'b/c-d']) t.add(`/bk/${k}`);
    const all = t.allKeys('/bk');
    for (const after of [...all, 'a', 'a-', 'a-b.c', 'a/', 'a/y', 'a/y/', 'b/c', 'zzz', '']) {
      assert.deepEqual(await run(t, '/bk', { after }), oracle(t, '/bk', { after }), `after ${JSON.stringify(after)}`);
    }
  });

  it('collapses the directories below the prefix into one entry each, skipping empty ones', async () => {
    const t = new FakeTree();
    for (const k of ['p/a/1', 'p/a-b', 'p/a.c/2', 'p/b', 'p/c/d/e', 'q']) t.add(`/bk/${k}`);
    t.mkdir('/bk/p/empty');
    t.mkdir('/bk/p/emptier/deeper');
    t.mkdir('/bk/p/marker', true);
    assert.deepEqual(await run(t, '/bk', { prefix: 'p/', collapse: true }), ['p/a-b', 'p/a.c/', 'p/a/', 'p/b', 'p/c/', 'p/marker/']);
    assert.deepEqual(await run(t, '/bk', { prefix: 'p/a', collapse: true }), ['p/a-b', 'p/a.c/', 'p/a/']);
    assert.deepEqual(await run(t, '/bk', { prefix: 'p/a', collapse: true, after: 'p/a-b' }), ['p/a.c/', 'p/a/']);
    assert.deepEqual(await run(t, '/bk', { prefix: 'p/a', collapse: true, after: 'p/a.c/' }), ['p/a/']);
  });

  it('yields a marked prefix directory as the key equal to the prefix', async () => {
    const t = new FakeTree();
    t.mkdir('/bk/d', true);
    t.add('/bk/d/x');
    assert.deepEqual(await run(t, '/bk', { prefix: 'd/' }), ['d/', 'd/x']);
    assert.deepEqual(await run(t, '/bk', { prefix: 'd/', collapse: true }), ['d/', 'd/x']);
    assert.deepEqual(await run(t, '/bk', { prefix: 'd/', after: 'd/' }), ['d/x']);
    assert.deepEqual(await run(t, '/bk', {}), ['d/', 'd/x']);
  });

  it('returns nothing for a prefix through a file or a missing directory, or a bound past the prefix', async () => {
    const t = new FakeTree();
    t.add('/bk/f');
    t.add('/bk/g/h');
    assert.deepEqual(await run(t, '/bk', { prefix: 'f/' }), []);
    assert.deepEqual(await run(t, '/bk', { prefix: 'nope/x' }), []);
    assert.deepEqual(await run(t, '/bk', { prefix: 'g/', after: 'h' }), []);
    assert.deepEqual(await run(t, '/bk', { prefix: 'g/', after: 'a' }), ['g/h']);
    for (const prefix of ['g//', '/g/', 'g/./', 'x/../g/']) assert.deepEqual(await run(t, '/bk', { prefix }), [], prefix);
  });

  it('agrees with sorting every key, for random trees, prefixes and bounds (seeded)', async () => {
    const seed = Number(process.env.GODFS_SEED ?? 12345);
    let x = seed >>> 0 || 1;
    const rnd = (n: number) => {
      x ^= x << 13;
      x >>>= 0;
      x ^= x >>> 17;
      x ^= x << 5;
      x >>>= 0;
      return x % n;
    };
    const alphabet = ['a', 'b', '-', '.', ' ', '0', 'é', '\u{1F600}', '~'];
    // Names as godfs allows them: never '.' or '..'.
    const name = (): string => {
      const n = Array.from({ length: 1 + rnd(3) }, () => alphabet[rnd(alphabet.length)]).join('');
      return n === '.' || n === '..' ? name() : n;
    };
    for (let round = 0; round < 20; round++) {
      const t = new FakeTree();
      const keys: string[] = [];
      for (let i = 0; i < 40; i++) {
        const k = Array.from({ length: 1 + rnd(3) }, name).join('/');
        // A key may not both be a file and a directory of other keys.
        if (keys.some((o) => o.startsWith(k + '/') || k.startsWith(o + '/') || o === k)) continue;
        keys.push(k);
        t.add(`/bk/${k}`);
      }
      const all = t.allKeys('/bk');
      const probes = [undefined, ...all.filter(() => rnd(4) === 0), name(), name() + '/'];
      for (const after of probes) {
        for (const prefix of ['', all[rnd(all.length)]!.slice(0, rnd(4)), all[rnd(all.length)]!.split('/')[0] + '/']) {
          for (const collapse of [false, true]) {
            const o: TreeWalkOptions = { prefix, collapse, ...(after !== undefined ? { after } : {}) };
            assert.deepEqual(await run(t, '/bk', o), oracle(t, '/bk', o), `seed ${seed} round ${round} ${JSON.stringify(o)}`);
          }
        }
      }
    }
  });

  it('reads a page at a time: the first keys of a large flat directory cost a few listings, not all', async () => {
    const t = new FakeTree();
    for (let i = 0; i < 300; i++) t.add(`/bk/k${String(i).padStart(4, '0')}`);
    const walk = new TreeWalk(t as unknown as Godfs, { pageSize: 3 });
    let n = 0;
    for await (const e of walk.walk('/bk')) {
      void e;
      if (++n === 5) break;
    }
    assert.ok(t.listCalls <= 2, `listed ${t.listCalls} pages`);
  });
});
