// The mount's table of open files. fuse-native speaks the path-based libfuse API, so the kernel names
// files by path and open files by a handle number (fh). This table maps fh → Handle and godfs path →
// FileNode (one per open file, shared by every handle on it, so two descriptors on one file see each
// other's buffered writes), and moves nodes when this mount renames a file or a directory above them.
// Inode numbers are godfs inode ids (the mount passes use_ino), stable across renames, as git expects.
import { isWithin } from '../common/paths.js';
import type { FileInfo } from '../sdk/types.js';
import { FileNode, type NodeContext } from './file-node.js';
import type { MemoryBudget } from './memory-budget.js';
import { ReadAhead, type RangeFetcher } from './read-ahead.js';

export const O_ACCMODE = 0o3;
export const O_WRONLY = 0o1;
export const O_RDWR = 0o2;
export const O_APPEND = 0o2000;

export interface Handle {
  fh: number;
  node: FileNode;
  flags: number;
  writable: boolean;
  append: boolean;
  readAhead: ReadAhead;
  /** node.gen when the read-ahead windows were filled. */
  gen: number;
}

export interface ReadAheadConfig {
  windowSize: number;
  depth: number;
  fetch(node: FileNode): RangeFetcher;
}

export class InodeTable {
  #handles = new Map<number, Handle>();
  #nodes = new Map<string, FileNode>();
  #nextFh = 1;
  #ctx: NodeContext;
  #ra: ReadAheadConfig;
  #budget: MemoryBudget;

  constructor(ctx: NodeContext, ra: ReadAheadConfig) {
    this.#ctx = ctx;
    this.#ra = ra;
    this.#budget = ctx.budget;
    // A writer waiting for memory: write back the files holding the most dirty bytes.
    this.#budget.onPressure = () => {
      const dirty = [...this.#nodes.values()].filter((n) => n.dirtyBytes > 0).sort((a, b) => b.dirtyBytes - a.dirtyBytes);
      for (const n of dirty) void n.startFlush();
    };
  }

  node(path: string): FileNode | undefined {
    return this.#nodes.get(path);
  }

  handle(fh: number): Handle | undefined {
    return this.#handles.get(fh);
  }

  get openCount(): number {
    return this.#handles.size;
  }

  open(path: string, info: FileInfo, flags: number): Handle {
    let node = this.#nodes.get(path);
    if (!node || node.id !== info.id) {
      node = new FileNode(this.#ctx, path, info);
      this.#nodes.set(path, node);
    } else node.observe(info);
    node.refs++;
    while (this.#nextFh === 0 || this.#handles.has(this.#nextFh)) this.#nextFh = (this.#nextFh + 1) >>> 0;
    const fh = this.#nextFh;
    this.#nextFh = (this.#nextFh + 1) >>> 0;
    const acc = flags & O_ACCMODE;
    const h: Handle = {
      fh,
      node,
      flags,
      writable: acc === O_WRONLY || acc === O_RDWR,
      append: (flags & O_APPEND) !== 0,
      readAhead: new ReadAhead(this.#ra.fetch(node), this.#budget, this.#ra.windowSize, this.#ra.depth),
      gen: node.gen,
    };
    this.#handles.set(fh, h);
    return h;
  }

  /** Drops a handle; the node goes when its last handle does (callers flush before). */
  close(fh: number): Handle | undefined {
    const h = this.#handles.get(fh);
    if (!h) return undefined;
    this.#handles.delete(fh);
    h.readAhead.reset();
    h.node.refs--;
    if (h.node.refs <= 0 && !h.node.busy && this.#nodes.get(h.node.path) === h.node) this.#nodes.delete(h.node.path);
    return h;
  }

  /** Open nodes at `path` or below it. */
  under(path: string): FileNode[] {
    return [...this.#nodes.values()].filter((n) => isWithin(path, n.path));
  }

  /** After a rename by this mount: nodes below `from` now live below `to`. */
  moved(from: string, to: string): void {
    // A node replaced by the rename (the old target) keeps its handles but leaves the path table.
    const replaced = this.#nodes.get(to);
    if (replaced) this.#nodes.delete(to);
    for (const n of this.under(from)) {
      this.#nodes.delete(n.path);
      n.path = to + n.path.slice(from.length);
      this.#nodes.set(n.path, n);
    }
  }

  /** After an unlink by this mount: the node is no longer reachable by path. */
  removed(path: string): void {
    this.#nodes.delete(path);
  }

  allNodes(): FileNode[] {
    return [...new Set([...this.#nodes.values(), ...[...this.#handles.values()].map((h) => h.node)])];
  }
}
