// What every FUSE op shares: the sdk client behind retries, the attribute cache, the open-file table,
// the memory budget and the mount's options. Also the few helpers that several ops need: mapping a
// mount path to its godfs path, cached lstat, invalidation after this mount's own changes, and the
// range fetch that read-ahead and plain reads use.
import { GodfsError, NotFoundError } from '../common/errors.js';
import type { Logger } from '../common/log.js';
import { isWithin } from '../common/paths.js';
import type { FileInfo, Godfs } from '../sdk/types.js';
import { AttrCache } from './attr-cache.js';
import { E, ErrnoError } from './errno.js';
import type { FileNode } from './file-node.js';
import { InodeTable } from './inode-table.js';
import { MemoryBudget } from './memory-budget.js';
import { Retrier, type RetryPolicy } from './retry.js';

export interface MountConfig {
  /** godfs directory shown as the mount's root ('/' for the whole namespace). */
  prefix: string;
  readOnly: boolean;
  attrTtlMs: number;
  entryTtlMs: number;
  /** Dirty bytes of one file that start a write-back. */
  flushBytes: number;
  /** Memory for buffered writes and read-ahead together. */
  memoryBytes: number;
  readAheadWindow: number;
  readAheadDepth: number;
  maxCacheEntries: number;
  retry: RetryPolicy;
  /** Owner of files and directories this mount creates (the kernel does not tell fuse-native the caller). */
  uid: number;
  gid: number;
}

export class MountContext {
  readonly client: Godfs;
  readonly config: MountConfig;
  readonly log: Logger;
  readonly retrier: Retrier;
  readonly cache: AttrCache;
  readonly budget: MemoryBudget;
  readonly nodes: InodeTable;

  constructor(client: Godfs, config: MountConfig, log: Logger) {
    this.client = client;
    this.config = config;
    this.log = log;
    this.retrier = new Retrier(config.retry, log);
    this.cache = new AttrCache({ attrTtlMs: config.attrTtlMs, entryTtlMs: config.entryTtlMs, maxEntries: config.maxCacheEntries });
    this.budget = new MemoryBudget(config.memoryBytes);
    this.nodes = new InodeTable(
      {
        client,
        retrier: this.retrier,
        budget: this.budget,
        log,
        flushBytes: config.flushBytes,
        onWritten: (node, info) => {
          if (node.path === info.path) this.cache.set(info.path, info);
        },
      },
      { windowSize: config.readAheadWindow, depth: config.readAheadDepth, fetch: (node) => (off, len) => this.fetchRange(node, off, len) },
    );
  }

  /** Mount path ('/a/b' from the kernel) → godfs path below the prefix. */
  remote(path: string): string {
    if (this.config.prefix === '/') return path;
    return path === '/' ? this.config.prefix : this.config.prefix + path;
  }

  assertWritable(): void {
    if (this.config.readOnly) throw new ErrnoError(E.EROFS, 'read-only mount');
  }

  /** lstat through the cache (the kernel's lookups and getattrs land here). */
  async lookup(remote: string): Promise<FileInfo> {
    const cached = this.cache.get(remote);
    if (cached === null) throw new NotFoundError(`${remote} does not exist (cached)`);
    if (cached) return cached;
    const since = this.cache.stamp();
    try {
      const info = await this.retrier.run('lstat', () => this.client.lstat(remote));
      this.cache.set(remote, info, since);
      return info;
    } catch (err) {
      if (err instanceof GodfsError && err.code === 'not_found') this.cache.setMissing(remote, since);
      throw err;
    }
  }

  /** After this mount changed `remote`: forget it and its parent (whose mtime and listing changed). */
  changed(remote: string): void {
    this.cache.invalidate(remote);
    this.cache.invalidate(parentOf(remote));
  }

  changedTree(remote: string): void {
    this.cache.invalidateTree(remote);
    this.cache.invalidate(parentOf(remote));
  }

  /** Writes back every open file at or below `remote` (before renaming or removing it). */
  async flushUnder(remote: string): Promise<void> {
    await Promise.all(this.nodes.under(remote).map((n) => n.flushAll()));
  }

  /** Reads [off, off+len) of a file into one buffer (shorter at end of file). */
  async fetchRange(node: FileNode, off: number, len: number): Promise<Buffer> {
    return this.retrier.run('readRange', async () => {
      const r = await this.client.readRange(node.path, off, len);
      const out = Buffer.allocUnsafe(r.length);
      let pos = 0;
      for await (const c of r.stream as AsyncIterable<Buffer>) {
        c.copy(out, pos);
        pos += c.length;
      }
      if (pos !== r.length) throw new GodfsError('unavailable', `short read of ${node.path}: ${pos} of ${r.length} bytes`);
      return out;
    });
  }

  /** Writes back everything (unmount, shutdown). */
  async flushEverything(): Promise<void> {
    const results = await Promise.allSettled(this.nodes.allNodes().map((n) => n.flushAll()));
    for (const r of results) if (r.status === 'rejected') this.log.error({ err: (r.reason as Error)?.message }, 'write-back failed at unmount');
  }

  isBelowPrefix(remote: string): boolean {
    return isWithin(this.config.prefix, remote);
  }
}

function parentOf(p: string): string {
  const i = p.lastIndexOf('/');
  return i <= 0 ? '/' : p.slice(0, i);
}
