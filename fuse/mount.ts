// Mounting and unmounting. fuse-native (libfuse 2, path-based API) runs the kernel loop on its own
// threads and calls into JavaScript for every op; this file vets the mount point and the prefix,
// builds the option string, wires the ops, and on unmount writes back every buffered byte before the
// kernel connection goes away.
import { createRequire } from 'node:module';
import type Fuse from 'fuse-native';
import { GodfsError } from '../common/errors.js';
import type { Logger } from '../common/log.js';
import { normalizePath } from '../common/paths.js';
import type { Godfs } from '../sdk/types.js';
import { MountContext, type MountConfig } from './context.js';
import { checkMountPoint, MountPointError } from './mount-point.js';
import { fileOps } from './ops-files.js';
import { namespaceOps } from './ops-namespace.js';
import { xattrOps } from './ops-xattr.js';
import { DEFAULT_RETRY } from './retry.js';

const MiB = 2 ** 20;

export const MOUNT_DEFAULTS = {
  attrTtlMs: 1000,
  entryTtlMs: 1000,
  flushBytes: 16 * MiB,
  memoryBytes: 256 * MiB,
  readAheadWindow: 4 * MiB,
  readAheadDepth: 3,
  maxCacheEntries: 100_000,
  /** The kernel's largest FUSE write/read without FUSE 3's max_pages (libfuse 2 caps it here). */
  maxWrite: 128 * 1024,
} as const;

export interface MountOptions extends Partial<MountConfig> {
  allowOther?: boolean;
  /** Size of the kernel's write requests: big_writes,max_write=N (4 KiB without big_writes). */
  maxWrite?: number;
  /** libfuse debug output on stderr. */
  fuseDebug?: boolean;
}

export interface MountHandle {
  mountpoint: string;
  context: MountContext;
  /** Writes back buffered data, then unmounts (lazily: the kernel detaches even if files are open). */
  unmount(): Promise<void>;
}

type FuseCtor = typeof Fuse;

function loadFuse(): FuseCtor {
  try {
    return createRequire(import.meta.url)('fuse-native') as FuseCtor;
  } catch (err) {
    throw new MountPointError(
      `cannot load fuse-native (${(err as Error).message.split('\n')[0]}); install libfuse2 and fuse3 (apt-get install -y libfuse2 fuse3), not Debian's "fuse" package`,
    );
  }
}

/** The -o options, carried in fuse-native's fsname string (its option list has no generic field). */
export function mountOptionString(c: MountConfig, o: MountOptions): string {
  const maxWrite = o.maxWrite ?? MOUNT_DEFAULTS.maxWrite;
  const opts = [
    'godfs',
    // Without big_writes the kernel sends 4 KiB writes; 128 KiB is libfuse 2's ceiling.
    ...(maxWrite > 4096 ? ['big_writes', `max_write=${maxWrite}`] : []),
    `max_read=${MOUNT_DEFAULTS.maxWrite}`,
    // st_ino = godfs inode id, stable across renames (git's index, tar's hard-link detection).
    'use_ino',
    // The kernel checks mode bits itself (libfuse 2 does not pass the caller's identity to fuse-native).
    'default_permissions',
    `attr_timeout=${c.attrTtlMs / 1000}`,
    `entry_timeout=${c.entryTtlMs / 1000}`,
    'negative_timeout=0',
    ...(c.readOnly ? ['ro'] : []),
  ];
  return opts.join(',');
}

export async function mountGodfs(client: Godfs, mountpoint: string, o: MountOptions, log: Logger): Promise<MountHandle> {
  const FuseImpl = loadFuse();
  const abs = await checkMountPoint(mountpoint);
  const config: MountConfig = {
    prefix: normalizePath(o.prefix ?? '/'),
    readOnly: o.readOnly ?? false,
    attrTtlMs: o.attrTtlMs ?? MOUNT_DEFAULTS.attrTtlMs,
    entryTtlMs: o.entryTtlMs ?? MOUNT_DEFAULTS.entryTtlMs,
    flushBytes: o.flushBytes ?? MOUNT_DEFAULTS.flushBytes,
    memoryBytes: o.memoryBytes ?? MOUNT_DEFAULTS.memoryBytes,
    readAheadWindow: o.readAheadWindow ?? MOUNT_DEFAULTS.readAheadWindow,
    readAheadDepth: o.readAheadDepth ?? MOUNT_DEFAULTS.readAheadDepth,
    maxCacheEntries: o.maxCacheEntries ?? MOUNT_DEFAULTS.maxCacheEntries,
    retry: o.retry ?? DEFAULT_RETRY,
    uid: o.uid ?? process.getuid?.() ?? 0,
    gid: o.gid ?? process.getgid?.() ?? 0,
  };
  if (config.memoryBytes < 2 * config.flushBytes) throw new MountPointError('the memory budget must hold at least two write-back batches (memory ≥ 2 × flush size)');
  const ctx = new MountContext(client, config, log);
  // The prefix must be a directory before the kernel asks anything about the root.
  try {
    const root = await ctx.retrier.run('stat', () => client.stat(config.prefix));
    if (!root.isDir) throw new MountPointError(`--prefix ${config.prefix} is not a directory`);
  } catch (err) {
    if (err instanceof GodfsError && err.code === 'not_found') throw new MountPointError(`--prefix ${config.prefix} does not exist in godfs (create it: godfs mkdir -p ${config.prefix})`);
    throw err;
  }
  const ops: Fuse.Ops = { ...fileOps(ctx), ...namespaceOps(ctx), ...xattrOps(ctx) };
  const fuse = new FuseImpl(abs, ops, {
    fsname: mountOptionString(config, o),
    subtype: 'godfs',
    allowOther: o.allowOther ?? false,
    debug: o.fuseDebug ?? false,
    // Ops wait for the cluster as long as the retry policy says; fuse-native's 15 s cut-off would
    // turn a master restart into ETIMEDOUT.
    timeout: false,
  });
  await new Promise<void>((resolve, reject) => fuse.mount((err) => (err ? reject(new MountPointError(`mount on ${abs} failed: ${err.message}`)) : resolve())));
  log.info({ mountpoint: abs, prefix: config.prefix, readOnly: config.readOnly, options: mountOptionString(config, o) }, 'mounted');

  let unmounting: Promise<void> | undefined;
  const unmount = () =>
    (unmounting ??= (async () => {
      if (ctx.nodes.openCount > 0) log.warn({ open: ctx.nodes.openCount }, 'unmounting with files still open; writing back their buffered data');
      await ctx.flushEverything();
      await new Promise<void>((resolve, reject) => fuse.unmount((err) => (err ? reject(err) : resolve())));
      log.info({ mountpoint: abs, peakMemoryBytes: ctx.budget.peak, memoryBytes: config.memoryBytes, cacheHits: ctx.cache.hits, cacheMisses: ctx.cache.misses }, 'unmounted');
    })());
  return { mountpoint: abs, context: ctx, unmount };
}
