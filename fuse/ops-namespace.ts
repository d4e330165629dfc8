// FUSE ops on names and metadata: readdir, mkdir, rmdir, unlink, rename, symlink, readlink, link,
// chmod, chown, utimens, statfs. Each change invalidates what this mount cached about the paths it
// touched. Non-idempotent calls retried after a lost reply are "settled": a rename retried after it
// already happened reports success, not ENOENT.
import type Fuse from 'fuse-native';
import { GodfsError } from '../common/errors.js';
import type { FileInfo } from '../sdk/types.js';
import type { MountContext } from './context.js';
import { E, ErrnoError } from './errno.js';
import { reply } from './reply.js';
import { S_IFDIR, S_IFLNK, S_IFREG, toStatfs } from './stat.js';

const PAGE = 1000;
/** fuse-native reports UTIME_NOW and UTIME_OMIT ({0, ~2^30 ns}) as ~1073 ms. */
const UTIME_SENTINEL_MS = 1074;

function codeOf(err: unknown): string | undefined {
  return err instanceof GodfsError ? err.code : undefined;
}

async function exists(ctx: MountContext, remote: string): Promise<FileInfo | undefined> {
  return ctx.client.lstat(remote).catch(() => undefined);
}

export function namespaceOps(ctx: MountContext): Fuse.Ops {
  const log = ctx.log;
  const { uid, gid } = ctx.config;

  return {
    readdir: (path, cb) =>
      reply<{ names: string[]; stats: Fuse.Stat[] }>(log, 'readdir', path, (err, r) => (err || !r ? cb(err) : cb(0, r.names, r.stats)), async () => {
        const remote = ctx.remote(path);
        // fuse-native answers a directory in one reply (libfuse 2 then serves the kernel's getdents
        // from it), so the names are collected — but page by page, keeping only what the reply needs:
        // the name and the type (for d_type), not each entry's full metadata.
        const names = ['.', '..'];
        // glibc's readdir skips entries whose d_ino is 0, so the dot entries need real numbers.
        const self = await ctx.lookup(remote);
        const dot = (ino: number): Fuse.Stat => ({ mode: S_IFDIR, ino, uid: 0, gid: 0, size: 0, nlink: 2, atime: 0, mtime: 0, ctime: 0 });
        const stats: Fuse.Stat[] = [dot(self.id >>> 0 || 1), dot(1)];
        let cursor: string | undefined;
        do {
          const since = ctx.cache.stamp();
          const page = await ctx.retrier.run('list', () => ctx.client.list(remote, { limit: PAGE, ...(cursor ? { cursor } : {}) }));
          for (const e of page.entries) {
            names.push(e.name);
            const type = e.type === 'dir' ? S_IFDIR : e.type === 'symlink' ? S_IFLNK : S_IFREG;
            stats.push({ mode: type, ino: e.id >>> 0, uid: 0, gid: 0, size: 0, nlink: 1, atime: 0, mtime: 0, ctime: 0 });
            // `ls -l`, find and tar stat every entry next: answer those from the listing.
            ctx.cache.set(e.path, e, since);
          }
          cursor = page.nextCursor ?? undefined;
        } while (cursor);
        return { names, stats };
      }),

    mkdir: (path, mode, cb) =>
      reply(log, 'mkdir', path, cb, async () => {
        ctx.assertWritable();
        const remote = ctx.remote(path);
        const info = await ctx.retrier.run('mkdir', () => ctx.client.mkdir(remote, { mode: mode & 0o7777, uid, gid }), {
          settle: async (err) => {
            const i = codeOf(err) === 'already_exists' ? await exists(ctx, remote) : undefined;
            return i?.isDir ? { value: i } : undefined;
          },
        });
        ctx.changed(remote);
        ctx.cache.set(remote, info);
      }),

    rmdir: (path, cb) =>
      reply(log, 'rmdir', path, cb, async () => {
        ctx.assertWritable();
        const remote = ctx.remote(path);
        await ctx.retrier.run('rmdir', () => ctx.client.delete(remote, { onlyDir: true }), { settle: (err) => (codeOf(err) === 'not_found' ? { value: undefined } : undefined) });
        ctx.changedTree(remote);
      }),

    unlink: (path, cb) =>
      reply(log, 'unlink', path, cb, async () => {
        ctx.assertWritable();
        const remote = ctx.remote(path);
        await ctx.retrier.run('unlink', () => ctx.client.delete(remote, { onlyFile: true }), { settle: (err) => (codeOf(err) === 'not_found' ? { value: undefined } : undefined) });
        ctx.nodes.removed(remote);
        ctx.changed(remote);
      }),

    rename: (src, dest, cb) =>
      reply(log, 'rename', src, cb, async () => {
        ctx.assertWritable();
        const from = ctx.remote(src);
        const to = ctx.remote(dest);
        // Buffered bytes are written under the old name first: a write-back racing the rename could
        // otherwise recreate the old path.
        await Promise.all([ctx.flushUnder(from), ctx.flushUnder(to)]);
        const settle = async (err: unknown) => (codeOf(err) === 'not_found' && !(await exists(ctx, from)) && (await exists(ctx, to)) ? { value: undefined } : undefined);
        try {
          await ctx.retrier.run('rename', () => ctx.client.rename(from, to), { settle });
        } catch (err) {
          // POSIX lets a directory replace an empty directory; godfs replaces only files.
          const target = codeOf(err) === 'already_exists' || codeOf(err) === 'is_a_directory' ? await exists(ctx, to) : undefined;
          const source = target?.isDir ? await exists(ctx, from) : undefined;
          if (!source?.isDir || !target?.isDir) throw err;
          await ctx.retrier.run('rmdir', () => ctx.client.delete(to, { onlyDir: true }));
          await ctx.retrier.run('rename', () => ctx.client.rename(from, to), { settle });
        }
        ctx.nodes.moved(from, to);
        ctx.changedTree(from);
        ctx.changedTree(to);
      }),

    symlink: (target, path, cb) =>
      reply(log, 'symlink', path, cb, async () => {
        ctx.assertWritable();
        const remote = ctx.remote(path);
        const info = await ctx.retrier.run('symlink', () => ctx.client.create(remote, { exclusive: true, symlinkTarget: target, uid, gid }), {
          settle: async (err) => {
            const i = codeOf(err) === 'already_exists' ? await exists(ctx, remote) : undefined;
            return i?.type === 'symlink' && i.target === target ? { value: i } : undefined;
          },
        });
        ctx.changed(remote);
        ctx.cache.set(remote, info);
      }),

    readlink: (path, cb) =>
      reply(log, 'readlink', path, cb, async () => {
        const info = await ctx.lookup(ctx.remote(path));
        if (info.type !== 'symlink') throw new ErrnoError(E.EINVAL, 'not a symbolic link');
        return info.target ?? '';
      }),

    // godfs has no hard links (an inode has one name). EPERM is what link(2) returns on file systems
    // without them; git and others fall back to rename.
    link: (_src, dest, cb) => reply(log, 'link', dest, cb, async () => Promise.reject(new ErrnoError(ctx.config.readOnly ? E.EROFS : E.EPERM))),
    mknod: (path, _mode, _dev, cb) => reply(log, 'mknod', path, cb, async () => Promise.reject(new ErrnoError(ctx.config.readOnly ? E.EROFS : E.EPERM))),

    chmod: (path, mode, cb) => reply(log, 'chmod', path, cb, () => setAttr(ctx, path, { mode: mode & 0o7777 })),

    chown: (path, newUid, newGid, cb) =>
      reply(log, 'chown', path, cb, () =>
        setAttr(ctx, path, {
          // (uid_t)-1 means "leave unchanged".
          ...(newUid !== 0xffffffff && newUid !== -1 ? { uid: newUid } : {}),
          ...(newGid !== 0xffffffff && newGid !== -1 ? { gid: newGid } : {}),
        }),
      ),

    utimens: (path, atime, mtime, cb) =>
      reply(log, 'utimens', path, cb, async () => {
        // fuse-native 2.2.6 passes the access time in both arguments (a bug in its C glue), and
        // UTIME_NOW/UTIME_OMIT as ~1 s after the epoch. So: a real time sets both, a sentinel sets
        // both to now (touch). docs/fuse.md lists this.
        const t = Math.max(atime, mtime);
        const when = t > 0 && t <= UTIME_SENTINEL_MS ? Date.now() : t;
        const remote = ctx.remote(path);
        // Buffered bytes written later would move mtime again (cp -p sets times before close).
        const node = ctx.nodes.node(remote);
        if (node?.busy) await node.flushAll();
        await setAttr(ctx, path, { atimeMs: when, mtimeMs: when });
      }),

    statfs: (path, cb) => reply(log, 'statfs', path, cb, async () => toStatfs(await ctx.retrier.run('clusterStats', () => ctx.client.clusterStats()))),
  };
}

async function setAttr(ctx: MountContext, path: string, attrs: { mode?: number; uid?: number; gid?: number; atimeMs?: number; mtimeMs?: number }): Promise<void> {
  ctx.assertWritable();
  const remote = ctx.remote(path);
  // tar (as root) and cp -p chown and chmod every file to what it already is: skip those round trips.
  if (attrs.atimeMs === undefined && attrs.mtimeMs === undefined) {
    const cur = await ctx.lookup(remote);
    const same =
      (attrs.mode === undefined || (cur.mode & 0o7777) === attrs.mode) && (attrs.uid === undefined || cur.uid === attrs.uid) && (attrs.gid === undefined || cur.gid === attrs.gid);
    if (same) return;
  }
  const info = await ctx.retrier.run('setAttr', () => ctx.client.setAttr(remote, attrs));
  ctx.changed(remote);
  ctx.cache.set(remote, info);
}
