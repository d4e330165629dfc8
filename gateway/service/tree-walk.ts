// A recursive listing of a directory tree as one sequence of relative paths ("keys") in UTF-8 byte
// order — what S3 listing needs, in godfs terms. It never loads a whole tree or even a whole
// directory: it walks depth-first with the sdk's paginated listAll and keeps O(depth) state.
//
// Ordering is the subtle part. A directory `a` holds the keys `a/…`, and '/' (0x2F) sorts after
// ' ', '!', '-', '.' and the other characters below it, so `a-b` and `a.txt` come BEFORE everything
// in `a/`, although the directory listing gives the name `a` first. So a directory named `n` is
// placed where `n/` sorts among its siblings: it waits on a stack until the listing has passed
// every sibling that sorts below `n/`. The waiting directories always form a chain of names that
// extend one another (`a`, `a-b`, `a-b.c`…), the longest sorting first, so a stack suffices.
import { GodfsError } from '../../common/errors.js';
import { compareUtf8 } from '../../common/utf8.js';
import type { DirEntryInfo, FileInfo, Godfs } from '../../sdk/types.js';

export interface TreeEntry {
  /** Path relative to the walk's root; a directory's key ends with '/'. */
  key: string;
  kind: 'file' | 'dir';
  info: FileInfo;
}

export interface TreeWalkOptions {
  /** Only keys starting with this. */
  prefix?: string;
  /** Only keys sorting strictly after this (UTF-8 byte order). */
  after?: string;
  /**
   * Do not walk into the directories directly below the prefix: yield each one as a single `dir`
   * entry (S3's CommonPrefixes with delimiter '/'). Directories holding no key at all are left out.
   */
  collapse?: boolean;
  /** Directories that stand for a key of their own (S3 folder markers): yielded as `dir` entries. */
  isMarked?: (info: FileInfo) => boolean;
  pageSize?: number;
}

const ABSENT = new Set(['not_found', 'not_a_directory', 'invalid_path']);

function isAbsent(err: unknown): boolean {
  return err instanceof GodfsError && ABSENT.has(err.code);
}

function join(dir: string, name: string): string {
  return dir === '/' ? `/${name}` : `${dir}/${name}`;
}

export class TreeWalk {
  readonly #client: Godfs;
  readonly #o: TreeWalkOptions;
  readonly #marked: (info: FileInfo) => boolean;

  constructor(client: Godfs, opts: TreeWalkOptions) {
    this.#client = client;
    this.#o = opts;
    this.#marked = opts.isMarked ?? (() => false);
  }

  async #statOrUndefined(path: string): Promise<FileInfo | undefined> {
    try {
      // lstat: a symlink is reported as itself (and then skipped), never as what it points to.
      return await this.#client.lstat(path);
    } catch (err) {
      if (isAbsent(err)) return undefined;
      throw err;
    }
  }

  /** Walks the tree under `root` (an existing directory path). */
  async *walk(root: string): AsyncGenerator<TreeEntry> {
    const prefix = this.#o.prefix ?? '';
    let after = this.#o.after;
    if (after !== undefined) {
      // A bound below the prefix excludes nothing; one above it that does not extend it excludes all.
      if (compareUtf8(after, prefix) < 0) after = undefined;
      else if (!after.startsWith(prefix)) return;
    }
    const slash = prefix.lastIndexOf('/');
    const base = prefix.slice(0, slash + 1);
    const namePrefix = prefix.slice(slash + 1);
    // A prefix through an empty, '.' or '..' segment names no path (and must not be normalised into one).
    if (base !== '' && base.slice(0, -1).split('/').some((seg) => seg === '' || seg === '.' || seg === '..')) return;
    const dirPath = base === '' ? root : join(root, base.slice(0, -1));
    const dir = base === '' ? await this.#client.lstat(root) : await this.#statOrUndefined(dirPath);
    if (!dir?.isDir) return;
    // The prefix directory's own marker is the key `base` itself, which sorts before all it holds.
    if (base !== '' && namePrefix === '' && after === undefined && this.#marked(dir)) yield { key: base, kind: 'dir', info: dir };
    yield* this.#level(dirPath, base, namePrefix, after?.slice(base.length), this.#o.collapse ?? false);
  }

  /**
   * One directory. `namePrefix` filters names (prefix level only); `bound` is the exclusive lower
   * bound relative to `base`; `collapse` yields subdirectories instead of walking them.
   */
  async *#level(dirPath: string, base: string, namePrefix: string, bound: string | undefined, collapse: boolean): AsyncGenerator<TreeEntry> {
    const pending: DirEntryInfo[] = [];
    const place = (e: DirEntryInfo) => this.#place(e, pending, base, collapse);

    let cursor: string | undefined;
    if (bound === undefined || bound === '') {
      if (namePrefix !== '') {
        // Names ≥ namePrefix: the listing cursor is exclusive, so look the prefix itself up.
        const exact = await this.#statOrUndefined(join(dirPath, namePrefix));
        if (exact) yield* place(exact);
        cursor = namePrefix;
      }
    } else {
      // Directories named by a prefix of the bound's first segment that is followed by a character
      // below '/' sort (as `d/`) after the bound although their names sort before it.
      const slash = bound.indexOf('/');
      const head = slash >= 0 ? bound.slice(0, slash) : bound;
      const names: string[] = [];
      for (let i = 1; i < head.length; i++) if (head.charCodeAt(i) < 0x2f && head.slice(0, i).startsWith(namePrefix)) names.push(head.slice(0, i));
      // So does a directory named by the bound itself (its keys are `bound/…`).
      if (slash < 0) names.push(bound);
      const infos = await Promise.all(names.map((n) => this.#statOrUndefined(join(dirPath, n))));
      if (slash >= 0 && !collapse) {
        // The bound lies inside subdirectory `head`: finish it first — everything in it sorts before
        // the waiting directories and the siblings after `head/`. (Collapsed, its one entry `head/`
        // does not sort after a bound inside it.)
        const sub = await this.#statOrUndefined(join(dirPath, head));
        if (sub?.isDir) yield* this.#level(join(dirPath, head), `${base}${head}/`, '', bound.slice(slash + 1), false);
      }
      for (const info of infos) if (info?.isDir) pending.push(info);
      cursor = slash >= 0 ? `${head}/` : bound;
    }
    for await (const e of this.#client.listAll(dirPath, { pageSize: this.#o.pageSize ?? 1000, ...(cursor !== undefined ? { startAfter: cursor } : {}) })) {
      // Names carrying the prefix are one contiguous run of the sorted listing.
      if (namePrefix !== '' && !e.name.startsWith(namePrefix)) break;
      yield* place(e);
    }
    while (pending.length) yield* this.#dir(pending.pop()!, base, collapse);
  }

  /** Yields the waiting directories that sort before entry `e`, then `e` itself (or makes it wait). */
  async *#place(e: DirEntryInfo, pending: DirEntryInfo[], base: string, collapse: boolean): AsyncGenerator<TreeEntry> {
    while (pending.length && compareUtf8(pending[pending.length - 1]!.name + '/', e.name) < 0) yield* this.#dir(pending.pop()!, base, collapse);
    if (e.type === 'dir') pending.push(e);
    else if (e.type === 'file') yield { key: base + e.name, kind: 'file', info: e };
    // Symlinks are not objects: S3 has no such thing, and following them could loop.
  }

  async *#dir(d: DirEntryInfo, base: string, collapse: boolean): AsyncGenerator<TreeEntry> {
    const key = `${base}${d.name}/`;
    if (collapse) {
      if (this.#marked(d) || (await this.#hasKeys(d.path))) yield { key, kind: 'dir', info: d };
      return;
    }
    if (this.#marked(d)) yield { key, kind: 'dir', info: d };
    yield* this.#level(d.path, key, '', undefined, false);
  }

  /** True when a directory holds at least one file or marked directory, at any depth. */
  async #hasKeys(dirPath: string): Promise<boolean> {
    try {
      for await (const e of this.#client.listAll(dirPath, { pageSize: 100 })) {
        if (e.type === 'file') return true;
        if (e.type === 'dir' && (this.#marked(e) || (await this.#hasKeys(e.path)))) return true;
      }
    } catch (err) {
      if (!isAbsent(err)) throw err;
    }
    return false;
  }
}
