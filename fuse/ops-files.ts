// FUSE ops on file contents: getattr, open/create, read, write, flush/fsync/release, truncate.
// Reads go through per-handle read-ahead; writes through the per-file write-back buffer (file-node.ts).
import type Fuse from 'fuse-native';
import { GodfsError } from '../common/errors.js';
import type { FileInfo } from '../sdk/types.js';
import type { MountContext } from './context.js';
import { E, ErrnoError } from './errno.js';
import { O_ACCMODE, O_RDWR, type Handle } from './inode-table.js';
import { reply, replyCount } from './reply.js';
import { isUnavailable, type Settled } from './retry.js';
import { toStat } from './stat.js';

function handleOf(ctx: MountContext, fh: number): Handle {
  const h = ctx.nodes.handle(fh);
  if (!h) throw new ErrnoError(E.EBADF, `no open file ${fh}`);
  return h;
}

/** Attributes as this mount sees them: an open file's buffered size and mtime win over the cluster's. */
export async function attrsOf(ctx: MountContext, remote: string): Promise<Fuse.Stat> {
  const info = await ctx.lookup(remote);
  const node = ctx.nodes.node(remote);
  if (node && node.id === info.id) {
    node.observe(info);
    if (node.busy || node.size !== info.size) return toStat(info, { size: node.size, mtimeMs: node.mtimeMs });
  }
  return toStat(info);
}

export function fileOps(ctx: MountContext): Fuse.Ops {
  const log = ctx.log;
  const { uid, gid } = ctx.config;

  const getattr: Fuse.Ops['getattr'] = (path, cb) => reply(log, 'getattr', path, cb, () => attrsOf(ctx, ctx.remote(path)));

  return {
    getattr,
    fgetattr: (path, _fd, cb) => getattr(path, cb),

    open: (path, flags, cb) =>
      reply(log, 'open', path, cb, async () => {
        if ((flags & O_ACCMODE) !== 0) ctx.assertWritable();
        const remote = ctx.remote(path);
        const info = await ctx.lookup(remote);
        if (info.isDir && (flags & O_ACCMODE) !== 0) throw new ErrnoError(E.EISDIR);
        return ctx.nodes.open(remote, info, flags).fh;
      }),

    create: (path, mode, cb) =>
      reply(log, 'create', path, cb, async () => {
        ctx.assertWritable();
        const remote = ctx.remote(path);
        // fuse-native does not pass the open flags to create; creating exclusively keeps O_EXCL
        // (lock files: git's index.lock) correct when two clients race for a name.
        const info = await ctx.retrier.run(
          'create',
          () => ctx.client.create(remote, { exclusive: true, mode: mode & 0o7777, uid, gid }),
          { settle: (err) => settleCreate(ctx, remote, err) },
        );
        ctx.changed(remote);
        ctx.cache.set(remote, info);
        return ctx.nodes.open(remote, info, O_RDWR).fh;
      }),

    read: (path, fh, buf, len, pos, cb) =>
      replyCount(log, 'read', path, cb, async () => {
        const h = handleOf(ctx, fh);
        const node = h.node;
        // Buffered bytes are written back before any read of this file: a read-ahead window holds
        // more than the range asked for, and must never hold bytes older than a write before it.
        if (node.busy) await node.flushAll();
        if (h.gen !== node.gen) {
          h.readAhead.reset();
          h.gen = node.gen;
        }
        if (pos >= node.size) return 0;
        const want = Math.min(len, node.size - pos);
        let data: Buffer | undefined;
        try {
          data = await h.readAhead.read(pos, want);
        } catch (err) {
          // A window can fail where this read would not (a damaged block further on): read just
          // the requested range, so only reads that touch the damage fail.
          if (isUnavailable(err)) throw err;
          h.readAhead.reset();
        }
        data ??= await ctx.fetchRange(node, pos, want);
        return data.copy(buf, 0, 0, Math.min(data.length, len));
      }),

    write: (path, fh, buf, len, pos, cb) =>
      replyCount(log, 'write', path, cb, async () => {
        ctx.assertWritable();
        const h = handleOf(ctx, fh);
        if (!h.writable) throw new ErrnoError(E.EBADF, 'file not open for writing');
        // The kernel's buffer belongs to the FUSE thread only until we answer: copy it.
        const data = Buffer.from(buf.subarray(0, len));
        // O_APPEND: our size includes bytes other handles on this file have buffered.
        await h.node.write(h.append ? h.node.size : pos, data);
        return len;
      }),

    flush: (path, fh, cb) =>
      reply(log, 'flush', path, cb, async () => {
        const h = ctx.nodes.handle(fh);
        if (h && (h.writable || h.node.busy)) await h.node.flushAll();
      }),

    fsync: (path, _datasync, fh, cb) =>
      reply(log, 'fsync', path, cb, async () => {
        const h = ctx.nodes.handle(fh);
        if (h) await h.node.flushAll();
      }),

    release: (path, fh, cb) =>
      reply(log, 'release', path, cb, async () => {
        const h = ctx.nodes.handle(fh);
        if (!h) return;
        try {
          await h.node.flushAll();
        } finally {
          ctx.nodes.close(fh);
        }
      }),

    truncate: (path, size, cb) =>
      reply(log, 'truncate', path, cb, async () => {
        ctx.assertWritable();
        const remote = ctx.remote(path);
        const node = ctx.nodes.node(remote);
        const info = node ? await node.truncate(size) : await ctx.retrier.run('truncate', () => ctx.client.truncate(remote, size));
        ctx.changed(remote);
        ctx.cache.set(remote, info);
      }),

    ftruncate: (path, fh, size, cb) =>
      reply(log, 'ftruncate', path, cb, async () => {
        ctx.assertWritable();
        const h = handleOf(ctx, fh);
        const info = await h.node.truncate(size);
        ctx.changed(h.node.path);
        ctx.cache.set(h.node.path, info);
      }),
  };
}

/** A create retried after a lost reply finds its own file: accept an empty regular file. */
async function settleCreate(ctx: MountContext, remote: string, err: unknown): Promise<Settled<FileInfo> | undefined> {
  if (!(err instanceof GodfsError) || err.code !== 'already_exists') return undefined;
  const info = await ctx.client.lstat(remote).catch(() => undefined);
  return info && info.type === 'file' && info.size === 0 ? { value: info } : undefined;
}
