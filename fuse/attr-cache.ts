// Attribute and entry cache: godfs path → FileInfo (positive, valid for the attribute TTL) or "does
// not exist" (negative, valid for the entry TTL). The kernel keeps its own caches with the same TTLs;
// this one saves the round trips the kernel still sends (every lookup after its TTL, getxattr, the
// lstat of each entry right after a readdir). It is bounded (LRU by insertion order) and every change
// this mount makes invalidates the paths it touched, so the mount always sees its own writes; changes
// made by other clients show up within the TTLs.
import type { FileInfo } from '../sdk/types.js';
import { isWithin } from '../common/paths.js';

interface Entry {
  info: FileInfo | null;
  expires: number;
}

export interface AttrCacheOptions {
  attrTtlMs: number;
  entryTtlMs: number;
  maxEntries: number;
}

export class AttrCache {
  #map = new Map<string, Entry>();
  #o: AttrCacheOptions;
  // A lookup that started before this mount changed a path must not cache what it read: it may be
  // the state from before the change. Each invalidation is stamped; answers carry their start stamp.
  #clock = 0;
  #changed = new Map<string, number>();
  #treeChanged = 0;
  hits = 0;
  misses = 0;

  constructor(o: AttrCacheOptions) {
    this.#o = o;
  }

  /** The cached info, null for a cached "does not exist", undefined when unknown or expired. */
  get(path: string): FileInfo | null | undefined {
    const e = this.#map.get(path);
    if (!e) {
      this.misses++;
      return undefined;
    }
    if (e.expires <= Date.now()) {
      this.#map.delete(path);
      this.misses++;
      return undefined;
    }
    this.hits++;
    return e.info;
  }

  /** Stamp to pass to set()/setMissing() for an answer fetched from now on. */
  stamp(): number {
    return this.#clock;
  }

  #stale(path: string, since: number | undefined): boolean {
    if (since === undefined) return false;
    return this.#treeChanged > since || (this.#changed.get(path) ?? -1) > since;
  }

  /** Caches `info`; with `since`, only if the path was not changed by this mount after that stamp. */
  set(path: string, info: FileInfo, since?: number): void {
    if (this.#o.attrTtlMs > 0 && !this.#stale(path, since)) this.#put(path, { info, expires: Date.now() + this.#o.attrTtlMs });
  }

  setMissing(path: string, since?: number): void {
    if (this.#o.entryTtlMs > 0 && !this.#stale(path, since)) this.#put(path, { info: null, expires: Date.now() + this.#o.entryTtlMs });
  }

  #mark(path: string): void {
    this.#clock++;
    this.#changed.delete(path);
    this.#changed.set(path, this.#clock);
    // Only stamps newer than any lookup still in flight matter; a few thousand recent ones suffice.
    if (this.#changed.size > 4096) {
      for (const k of this.#changed.keys()) {
        this.#changed.delete(k);
        if (this.#changed.size <= 2048) break;
      }
      this.#treeChanged = this.#clock;
    }
  }

  #put(path: string, e: Entry): void {
    this.#map.delete(path);
    this.#map.set(path, e);
    if (this.#map.size > this.#o.maxEntries) {
      // Oldest first: Map iterates in insertion order, and set() re-inserts.
      const drop = this.#map.size - this.#o.maxEntries;
      let i = 0;
      for (const k of this.#map.keys()) {
        if (i++ >= drop) break;
        this.#map.delete(k);
      }
    }
  }

  invalidate(path: string): void {
    this.#mark(path);
    this.#map.delete(path);
  }

  /** Drops `path` and everything below it (directory rename or removal). */
  invalidateTree(path: string): void {
    this.#treeChanged = ++this.#clock;
    this.#map.delete(path);
    for (const k of this.#map.keys()) if (isWithin(path, k)) this.#map.delete(k);
  }

  clear(): void {
    this.#treeChanged = ++this.#clock;
    this.#map.clear();
  }

  get size(): number {
    return this.#map.size;
  }
}
