// Extended attribute ops: user.<name> is the object's S3 user metadata x-amz-meta-<name>; godfs.<key>
// reads any stored xattr (read-only); everything else is unsupported (see xattr-names.ts).
import type Fuse from 'fuse-native';
import type { MountContext } from './context.js';
import { E, ErrnoError } from './errno.js';
import { reply } from './reply.js';
import { listedNames, parseXattrName } from './xattr-names.js';

const XATTR_CREATE = 1;
const XATTR_REPLACE = 2;

export function xattrOps(ctx: MountContext): Fuse.Ops {
  const log = ctx.log;

  const writableKey = (name: string): string => {
    const n = parseXattrName(name);
    if (n.kind === 'godfs') throw new ErrnoError(E.EPERM, `${name} is read-only`);
    if (n.kind !== 'user') throw new ErrnoError(E.EOPNOTSUPP, `${name}: only user.* attributes can be set`);
    ctx.assertWritable();
    return n.key;
  };

  return {
    getxattr: (path, name, _position, cb) =>
      reply<Buffer | null>(log, 'getxattr', path, cb, async () => {
        const n = parseXattrName(name);
        // The kernel asks for security.capability before writes and ls for ACLs: answer "none" without
        // a round trip.
        if (n.kind === 'unsupported') return null;
        const info = await ctx.lookup(ctx.remote(path));
        return info.xattrs[n.key] ?? null;
      }),

    listxattr: (path, cb) =>
      reply<string[]>(log, 'listxattr', path, cb, async () => listedNames((await ctx.lookup(ctx.remote(path))).xattrs)),

    setxattr: (path, name, value, _position, flags, cb) =>
      reply(log, 'setxattr', path, cb, async () => {
        const key = writableKey(name);
        const remote = ctx.remote(path);
        if (flags & (XATTR_CREATE | XATTR_REPLACE)) {
          const has = (await ctx.lookup(remote)).xattrs[key] !== undefined;
          if (flags & XATTR_CREATE && has) throw new ErrnoError(E.EEXIST, `${name} exists`);
          if (flags & XATTR_REPLACE && !has) throw new ErrnoError(E.ENODATA, `${name} does not exist`);
        }
        // The value lives in the FUSE thread's buffer only until we answer.
        const info = await ctx.retrier.run('setxattr', () => ctx.client.setAttr(remote, { setXattrs: { [key]: Buffer.from(value) } }));
        ctx.changed(remote);
        ctx.cache.set(remote, info);
      }),

    removexattr: (path, name, cb) =>
      reply(log, 'removexattr', path, cb, async () => {
        const key = writableKey(name);
        const remote = ctx.remote(path);
        if ((await ctx.lookup(remote)).xattrs[key] === undefined) throw new ErrnoError(E.ENODATA, `${name} does not exist`);
        const info = await ctx.retrier.run('removexattr', () => ctx.client.setAttr(remote, { removeXattrs: [key] }));
        ctx.changed(remote);
        ctx.cache.set(remote, info);
      }),
  };
}
