// Types for fuse-native 2.2.6 (the package ships none). Only what godfs uses is declared. Callbacks
// follow the package's convention: the first argument is 0 or a negative errno; for read/write it is
// the byte count; getxattr answers with (0, Buffer | null), listxattr with (0, names).
declare module 'fuse-native' {
  namespace Fuse {
    interface Stat {
      mode: number;
      uid: number;
      gid: number;
      size: number;
      dev?: number;
      nlink: number;
      ino?: number;
      rdev?: number;
      blksize?: number;
      blocks?: number;
      /** Milliseconds since the epoch, or a Date. */
      atime: number | Date;
      mtime: number | Date;
      ctime: number | Date;
    }

    interface Statfs {
      bsize: number;
      frsize: number;
      blocks: number;
      bfree: number;
      bavail: number;
      files: number;
      ffree: number;
      favail: number;
      fsid: number;
      flag: number;
      namemax: number;
    }

    type Done = (err: number) => void;

    interface Ops {
      init?(cb: Done): void;
      getattr?(path: string, cb: (err: number, stat?: Stat) => void): void;
      fgetattr?(path: string, fd: number, cb: (err: number, stat?: Stat) => void): void;
      statfs?(path: string, cb: (err: number, statfs?: Statfs) => void): void;
      readdir?(path: string, cb: (err: number, names?: string[], stats?: Stat[]) => void): void;
      open?(path: string, flags: number, cb: (err: number, fd?: number) => void): void;
      create?(path: string, mode: number, cb: (err: number, fd?: number) => void): void;
      read?(path: string, fd: number, buf: Buffer, len: number, pos: number, cb: (n: number) => void): void;
      write?(path: string, fd: number, buf: Buffer, len: number, pos: number, cb: (n: number) => void): void;
      flush?(path: string, fd: number, cb: Done): void;
      fsync?(path: string, datasync: number, fd: number, cb: Done): void;
      fsyncdir?(path: string, datasync: number, fd: number, cb: Done): void;
      release?(path: string, fd: number, cb: Done): void;
      truncate?(path: string, size: number, cb: Done): void;
      ftruncate?(path: string, fd: number, size: number, cb: Done): void;
      unlink?(path: string, cb: Done): void;
      rename?(src: string, dest: string, cb: Done): void;
      link?(src: string, dest: string, cb: Done): void;
      symlink?(target: string, path: string, cb: Done): void;
      readlink?(path: string, cb: (err: number, target?: string) => void): void;
      mkdir?(path: string, mode: number, cb: Done): void;
      rmdir?(path: string, cb: Done): void;
      mknod?(path: string, mode: number, dev: number, cb: Done): void;
      chmod?(path: string, mode: number, cb: Done): void;
      chown?(path: string, uid: number, gid: number, cb: Done): void;
      utimens?(path: string, atime: number, mtime: number, cb: Done): void;
      setxattr?(path: string, name: string, value: Buffer, position: number, flags: number, cb: Done): void;
      getxattr?(path: string, name: string, position: number, cb: (err: number, value?: Buffer | null) => void): void;
      listxattr?(path: string, cb: (err: number, names?: string[]) => void): void;
      removexattr?(path: string, name: string, cb: Done): void;
    }

    interface Options {
      /** Extra comma-separated mount options may follow the name (they are passed through -o). */
      fsname?: string;
      subtype?: string;
      allowOther?: boolean;
      debug?: boolean;
      force?: boolean;
      mkdir?: boolean;
      /** Per-op deadline in ms, or false for none (the package's default is 15 s). */
      timeout?: number | false;
      attrTimeout?: number;
      entryTimeout?: number;
      maxRead?: number;
    }
  }

  class Fuse {
    constructor(mnt: string, ops: Fuse.Ops, opts?: Fuse.Options);
    readonly mnt: string;
    mount(cb: (err: Error | null) => void): void;
    unmount(cb: (err: Error | null) => void): void;
    static unmount(mnt: string, cb: (err: Error | null) => void): void;
    static readonly ENOENT: number;
  }

  export = Fuse;
}
