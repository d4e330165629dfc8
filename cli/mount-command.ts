// `godfs mount <mountpoint>`: the FUSE mount in the foreground. Logs JSON to stdout; SIGINT/SIGTERM
// write back buffered data and unmount; an unmount from outside (fusermount -u) ends the process too.
// The FUSE code (and the native fuse-native binding) is imported only when the command runs.
import { InvalidArgumentError, type Command } from 'commander';
import { createLogger } from '../common/log.js';
import { addClientOptions, resolveClientConfig } from './client-options.js';
import { envOption, envSwitch, logLevelOption, parseSize } from './options.js';

interface MountFlags {
  prefix: string;
  readOnly: boolean;
  attrTtl: number;
  entryTtl: number;
  allowOther: boolean;
  writeBuffer: number;
  memory: number;
  readAhead: number;
  retryFor: number;
  logLevel: string;
}

/** A duration in milliseconds from "1.5" (seconds, as libfuse's attr_timeout), "500ms", "2s" or "1m". */
export function parseDurationMs(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m)?\s*$/i.exec(text);
  if (!m) throw new InvalidArgumentError(`expected a duration such as 1, 0.5s, 500ms or 2m, got ${JSON.stringify(text)}`);
  const unit = (m[2] ?? 's').toLowerCase();
  return Math.round(Number(m[1]) * (unit === 'ms' ? 1 : unit === 'm' ? 60_000 : 1000));
}

function waitForSignalOrUnmount(isMounted: () => boolean): Promise<string> {
  return new Promise((resolve) => {
    const done = (why: string) => {
      clearInterval(poll);
      resolve(why);
    };
    process.once('SIGINT', () => done('SIGINT'));
    process.once('SIGTERM', () => done('SIGTERM'));
    const poll = setInterval(() => {
      if (!isMounted()) done('unmounted from outside');
    }, 1000);
  });
}

export function registerMountCommand(program: Command): void {
  addClientOptions(
    program
      .command('mount')
      .summary('mount godfs as a local file system (FUSE)')
      .description(
        'Mounts the godfs namespace (or the directory given by --prefix) on an empty local directory and serves it in the foreground until SIGINT/SIGTERM, which write back buffered data and unmount. Needs /dev/fuse, libfuse2 and fuse3 (fusermount). Semantics and caching: docs/fuse.md.',
      )
      .argument('<mountpoint>', 'empty local directory to mount on')
      .addOption(envOption('--prefix <dir>', 'godfs directory shown as the root of the mount', 'GODFS_MOUNT_PREFIX', undefined, '/'))
      .addOption(envSwitch('--read-only', 'mount read-only (writes fail with EROFS)', 'GODFS_MOUNT_READ_ONLY'))
      .addOption(envOption('--attr-ttl <duration>', 'how long attributes are cached (kernel and mount)', 'GODFS_MOUNT_ATTR_TTL', parseDurationMs, 1000, '1s'))
      .addOption(envOption('--entry-ttl <duration>', 'how long name lookups, including "does not exist", are cached', 'GODFS_MOUNT_ENTRY_TTL', parseDurationMs, 1000, '1s'))
      .addOption(envSwitch('--allow-other', 'let other users use the mount (non-root needs user_allow_other in /etc/fuse.conf)', 'GODFS_MOUNT_ALLOW_OTHER'))
      .addOption(envOption('--write-buffer <size>', 'buffered bytes of one file that start a write-back', 'GODFS_MOUNT_WRITE_BUFFER', parseSize, 16 * 2 ** 20, '16MiB'))
      .addOption(envOption('--memory <size>', 'memory for buffered writes and read-ahead, all files together', 'GODFS_MOUNT_MEMORY', parseSize, 256 * 2 ** 20, '256MiB'))
      .addOption(envOption('--read-ahead <size>', 'read-ahead window for sequential reads', 'GODFS_MOUNT_READ_AHEAD', parseSize, 4 * 2 ** 20, '4MiB'))
      .addOption(envOption('--retry-for <duration>', 'how long an operation waits for an unavailable cluster before failing with EIO', 'GODFS_MOUNT_RETRY_FOR', parseDurationMs, 120_000, '2m'))
      .addOption(logLevelOption()),
  ).action(async (mountpoint: string, o: MountFlags, cmd: Command) => {
    const [{ GodfsClient }, { mountGodfs }, { mountedPaths }] = await Promise.all([
      import('../sdk/client.js'),
      import('../fuse/mount.js'),
      import('../fuse/mount-point.js'),
    ]);
    const log = createLogger({ role: 'mount' }, o.logLevel);
    const config = resolveClientConfig(cmd);
    const { master } = config;
    const client = new GodfsClient(config);
    try {
      const handle = await mountGodfs(
        client,
        mountpoint,
        {
          prefix: o.prefix,
          readOnly: o.readOnly,
          attrTtlMs: o.attrTtl,
          entryTtlMs: o.entryTtl,
          allowOther: o.allowOther,
          flushBytes: o.writeBuffer,
          memoryBytes: o.memory,
          readAheadWindow: o.readAhead,
          retry: { retryForMs: o.retryFor, initialDelayMs: 100, maxDelayMs: 2000 },
        },
        log,
      );
      log.info({ event: 'mounted', mountpoint: handle.mountpoint, master }, `godfs mounted on ${handle.mountpoint}`);
      const why = await waitForSignalOrUnmount(() => mountedPaths().has(handle.mountpoint));
      log.info({ reason: why }, 'unmounting');
      // A second signal while writing back gives up on waiting.
      const force = () => {
        log.warn('second stop request; exiting without waiting');
        process.exit(130);
      };
      process.once('SIGINT', force);
      process.once('SIGTERM', force);
      await handle.unmount().catch((err: unknown) => log.warn({ err: (err as Error).message }, 'unmount reported an error'));
    } finally {
      client.close();
    }
  });
}
