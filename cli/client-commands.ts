// Client commands over the sdk: mkdir, ls, stat, put, get, cat, rm, mv. Bytes stream in both
// directions (a 1 GiB put never holds the file in memory); put and get show a progress bar on a terminal.
import { createReadStream, createWriteStream } from 'node:fs';
import { rename, stat as fsStat, unlink } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Command } from 'commander';
import { NotFoundError } from '../common/errors.js';
import { joinPath, normalizePath } from '../common/paths.js';
import type { FileInfo, Godfs } from '../sdk/types.js';
import { addClientOptions, remotePath, withClient } from './client-options.js';
import { humanBytes, isoTime, modeString } from './format.js';
import { counted, createProgress } from './progress.js';
import { UsageError } from './report.js';

/** The JSON shape of `stat --json` (and `ls --json` lines): the /v1 stat fields plus a few more. */
export function statJson(info: FileInfo): Record<string, unknown> {
  return {
    path: info.path,
    name: info.name,
    type: info.type,
    is_dir: info.isDir,
    size: info.size,
    mode: info.mode,
    mode_octal: (info.mode & 0o7777).toString(8).padStart(4, '0'),
    uid: info.uid,
    gid: info.gid,
    nlink: info.nlink,
    inode: info.id,
    etag: info.etag,
    generation: info.gen,
    modified_at_unix: Math.floor(info.mtimeMs / 1000),
    created_at_unix: Math.floor(info.birthMs / 1000),
    modified_at: isoTime(info.mtimeMs),
    changed_at: isoTime(info.ctimeMs),
    accessed_at: isoTime(info.atimeMs),
    created_at: isoTime(info.birthMs),
    xattrs: Object.keys(info.xattrs).sort(),
    ...(info.target !== undefined ? { target: info.target } : {}),
  };
}

function longLine(e: FileInfo): string {
  const name = e.isDir ? e.name + '/' : e.type === 'symlink' && e.target !== undefined ? `${e.name} -> ${e.target}` : e.name;
  return `${modeString(e.type, e.mode)} ${String(e.uid).padStart(5)} ${String(e.gid).padStart(5)} ${String(e.size).padStart(12)} ${isoTime(e.mtimeMs)} ${name}\n`;
}

async function statOrUndefined(client: Godfs, path: string): Promise<FileInfo | undefined> {
  try {
    return await client.stat(path);
  } catch (err) {
    if (err instanceof NotFoundError) return undefined;
    throw err;
  }
}

/** Writes to stdout honouring backpressure; resolves false when the reader went away (EPIPE). */
function writeOut(text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    if (process.stdout.write(text)) resolve();
    else process.stdout.once('drain', resolve).once('error', reject);
  });
}

function isEpipe(err: unknown): boolean {
  return (err as NodeJS.ErrnoException)?.code === 'EPIPE';
}

export function registerClientCommands(program: Command): void {
  addClientOptions(
    program
      .command('mkdir')
      .summary('create directories')
      .description('Creates each directory. With -p, creates missing parents and succeeds if the directory exists.')
      .argument('<path...>', 'remote directories')
      .option('-p, --parents', 'create missing parents; no error if it exists', false),
  ).action(async (paths: string[], o: { parents: boolean }, cmd: Command) => {
    await withClient(cmd, async (client) => {
      for (const p of paths) {
        const path = remotePath(p);
        if (o.parents) {
          const existing = await statOrUndefined(client, path);
          if (existing?.isDir) continue;
        }
        await client.mkdir(path, { parents: o.parents });
      }
    });
  });

  addClientOptions(
    program
      .command('ls')
      .summary('list a directory')
      .description('Lists a directory in name order, streaming page by page (directories end in "/"). A file lists as itself.')
      .argument('[dir]', 'remote directory', '/')
      .option('-l, --long', 'long format: mode, uid, gid, size, modification time, name', false)
      .option('--json', 'one JSON object per line (the stat --json shape)', false)
      .option('--page-size <n>', 'entries fetched per request', (v) => Number.parseInt(v, 10), 1000),
  ).action(async (dir: string, o: { long: boolean; json: boolean; pageSize: number }, cmd: Command) => {
    await withClient(cmd, async (client) => {
      const path = remotePath(dir);
      const info = await client.stat(path);
      const show = (e: FileInfo) => (o.json ? JSON.stringify(statJson(e)) + '\n' : o.long ? longLine(e) : (e.isDir ? e.name + '/' : e.name) + '\n');
      try {
        if (!info.isDir) {
          await writeOut(show(info));
          return;
        }
        for await (const e of client.listAll(path, { pageSize: o.pageSize > 0 ? o.pageSize : 1000 })) await writeOut(show(e));
      } catch (err) {
        if (!isEpipe(err)) throw err;
      }
    });
  });

  addClientOptions(
    program
      .command('stat')
      .summary('show a file or directory\'s metadata')
      .argument('<path>', 'remote path')
      .option('--json', 'print JSON (path, type, is_dir, size, mode, uid, gid, etag, times, ...)', false),
  ).action(async (p: string, o: { json: boolean }, cmd: Command) => {
    await withClient(cmd, async (client) => {
      const info = await client.stat(remotePath(p));
      if (o.json) {
        await writeOut(JSON.stringify(statJson(info), null, 2) + '\n');
        return;
      }
      const rows: Array<[string, string]> = [
        ['Path', info.path],
        ['Type', info.type === 'dir' ? 'directory' : info.type],
        ['Size', `${info.size} (${humanBytes(info.size)})`],
        ['Mode', `${modeString(info.type, info.mode)} (${(info.mode & 0o7777).toString(8).padStart(4, '0')})`],
        ['Uid/Gid', `${info.uid}/${info.gid}`],
        ['Links', String(info.nlink)],
        ['Inode', String(info.id)],
        ['ETag', info.etag || '-'],
        ['Modified', isoTime(info.mtimeMs)],
        ['Changed', isoTime(info.ctimeMs)],
        ['Accessed', isoTime(info.atimeMs)],
        ['Created', isoTime(info.birthMs)],
      ];
      if (info.target !== undefined) rows.push(['Target', info.target]);
      const xattrs = Object.keys(info.xattrs).sort();
      if (xattrs.length) rows.push(['Xattrs', xattrs.join(', ')]);
      await writeOut(rows.map(([k, v]) => `${(k + ':').padEnd(10)}${v}\n`).join(''));
    });
  });

  addClientOptions(
    program
      .command('put')
      .summary('upload a local file (or stdin) to a remote path')
      .description('Streams a local file, or stdin when <local> is "-", to <remote>, creating or atomically replacing it. A <remote> ending in "/" or naming a directory receives the file under its local name. Shows a progress bar on a terminal.')
      .argument('<local>', 'local file, or - for stdin')
      .argument('<remote>', 'remote path')
      .option('-p, --parents', 'create missing parent directories', false)
      .option('--no-progress', 'never show a progress bar'),
  ).action(async (local: string, remote: string, o: { parents: boolean; progress: boolean }, cmd: Command) => {
    let size: number | undefined;
    if (local !== '-') {
      const st = await fsStat(local);
      if (st.isDirectory()) throw new UsageError(`${local} is a directory (put uploads one file)`);
      if (st.isFile()) size = st.size;
    }
    await withClient(cmd, async (client) => {
      let target = remotePath(remote);
      if (target.endsWith('/')) {
        if (local === '-') throw new UsageError('a remote directory needs a file name when reading stdin');
        target += basename(local);
      } else if (local !== '-') {
        const existing = await statOrUndefined(client, target);
        if (existing?.isDir) target = joinPath(existing.path, basename(local));
      }
      const source = local === '-' ? process.stdin : createReadStream(local, { highWaterMark: 1 << 20 });
      const bar = createProgress('put', size, o.progress);
      try {
        await client.write(target, counted(source, (n) => bar.update(n)), { parents: o.parents, sizeHint: size });
      } finally {
        bar.stop();
      }
    });
  });

  addClientOptions(
    program
      .command('get')
      .summary('download a remote file to a local path (or stdout)')
      .description('Streams <remote> to <local> (written to a temporary file and renamed into place, so a failed download leaves nothing half-written), or to stdout when <local> is "-". <local> defaults to the remote name in the current directory; an existing local directory receives the file under its remote name. Shows a progress bar on a terminal.')
      .argument('<remote>', 'remote file')
      .argument('[local]', 'local path, or - for stdout')
      .option('--no-progress', 'never show a progress bar'),
  ).action(async (remote: string, localArg: string | undefined, o: { progress: boolean }, cmd: Command) => {
    await withClient(cmd, async (client) => {
      const path = remotePath(remote);
      const { info, stream } = await client.read(path);
      if (localArg === '-') {
        try {
          await pipeline(stream, process.stdout, { end: false });
        } catch (err) {
          if (!isEpipe(err)) throw err;
        }
        return;
      }
      let local = localArg ?? basename(path);
      try {
        if ((await fsStat(local)).isDirectory()) local = join(local, basename(path));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      }
      const tmp = join(local, '..', `.${basename(local)}.godfs-${process.pid}.part`);
      const bar = createProgress('get', info.size, o.progress);
      try {
        await pipeline(stream, (src: AsyncIterable<Uint8Array>) => counted(src, (n) => bar.update(n)), createWriteStream(tmp));
        await rename(tmp, local);
      } catch (err) {
        await unlink(tmp).catch(() => undefined);
        throw err;
      } finally {
        bar.stop();
      }
    });
  });

  addClientOptions(
    program
      .command('cat')
      .summary('print remote files to stdout')
      .argument('<path...>', 'remote files'),
  ).action(async (paths: string[], _o: unknown, cmd: Command) => {
    await withClient(cmd, async (client) => {
      try {
        for (const p of paths) {
          const { stream } = await client.read(remotePath(p));
          await pipeline(stream, process.stdout, { end: false });
        }
      } catch (err) {
        if (!isEpipe(err)) throw err;
      }
    });
  });

  addClientOptions(
    program
      .command('rm')
      .summary('remove files or directories')
      .description('Removes each path. A directory must be empty unless -r is given.')
      .argument('<path...>', 'remote paths')
      .option('-r, --recursive', 'remove directories and their contents', false)
      .option('-f, --force', 'ignore paths that do not exist', false),
  ).action(async (paths: string[], o: { recursive: boolean; force: boolean }, cmd: Command) => {
    await withClient(cmd, async (client) => {
      for (const p of paths) {
        const path = remotePath(p);
        if (path === '/' || path === '//') throw new UsageError('refusing to remove the root directory');
        try {
          await client.delete(path, { recursive: o.recursive });
        } catch (err) {
          if (!(o.force && err instanceof NotFoundError)) throw err;
        }
      }
    });
  });

  addClientOptions(
    program
      .command('mv')
      .summary('rename or move a file or directory')
      .description('Atomically renames <old> to <new>, replacing an existing file at <new>. When <new> is an existing directory, <old> moves into it (like mv) unless -T is given.')
      .argument('<old>', 'remote source path')
      .argument('<new>', 'remote destination path')
      .option('-T, --no-target-directory', 'treat <new> as the exact new name, never as a directory to move into'),
  ).action(async (from: string, to: string, o: { targetDirectory: boolean }, cmd: Command) => {
    await withClient(cmd, async (client) => {
      const src = remotePath(from);
      let dst = remotePath(to);
      if (o.targetDirectory) {
        const existing = await statOrUndefined(client, dst);
        if (existing?.isDir && existing.path !== normalizePath(src)) dst = joinPath(existing.path, basename(src));
      }
      await client.rename(src, dst);
    });
  });
}
