// The `godfs` command tree. Built by a function so tests (cli/docs-sync.test.ts) can walk every command
// and option without running anything.
import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { registerAdminCommands } from './admin-commands.js';
import { registerClientCommands } from './client-commands.js';
import { registerMountCommand } from './mount-command.js';
import { registerS3Commands } from './s3-commands.js';
import { registerServerCommands } from './server-commands.js';
import { registerUpCommand } from './up.js';

/** The package version (dist/cli/program.js → ../../package.json). */
export const VERSION: string = (() => {
  try {
    return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  } catch {
    return '0.0.0';
  }
})();

export function buildProgram(): Command {
  const program = new Command('godfs');
  program
    .description('godfs: a distributed file system (master, chunkservers, gateway) and its command-line client.')
    .version(VERSION, '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help for a command')
    .showHelpAfterError('(add --help for usage)')
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      // Usage errors in the CLI's one error format: `godfs: <message> (usage)`.
      outputError: (str, write) => write(`godfs: ${str.replace(/^error: /, '').trimEnd()} (usage)\n`),
    });
  program.addHelpText(
    'after',
    `
Run a cluster:
  godfs up                                  master, 3 chunkservers and the gateway on 127.0.0.1:9000 (data in ./data)
  godfs master | chunkserver | gateway      one role per process (flags and GODFS_* variables: docs/configuration.md)

Use it (client commands find the cluster through --master/GODFS_MASTER and --api-key/GODFS_API_KEY,
or ./data/credentials.json written by godfs up):
  godfs put ./photo.jpg /photos/photo.jpg   godfs get /photos/photo.jpg ./copy.jpg
  godfs ls -l /photos                       godfs stat --json /photos/photo.jpg
  godfs mkdir -p /a/b   godfs mv /a /c   godfs rm -r /c   godfs cat /notes.txt
  godfs admin nodes     godfs admin stats
  godfs presign photos/a.jpg                a presigned S3 URL (GET; --method PUT|HEAD, --expires-in 7d)
  godfs admin keys create|list|revoke       S3 access keys (--bucket, --read-only)

Every command has --help. Errors print "godfs: <message> (<code>)"; exit status 2 means a usage error, 1 any other failure.`,
  );
  registerUpCommand(program);
  registerServerCommands(program);
  registerClientCommands(program);
  registerAdminCommands(program);
  registerMountCommand(program);
  registerS3Commands(program);
  return program;
}

/** Every command below the root, depth first: [path words, command]. */
export function allCommands(program: Command): Array<{ path: string; cmd: Command }> {
  const out: Array<{ path: string; cmd: Command }> = [];
  const walk = (cmd: Command, prefix: string) => {
    for (const sub of cmd.commands) {
      const path = `${prefix} ${sub.name()}`;
      out.push({ path, cmd: sub });
      walk(sub, path);
    }
  };
  walk(program, program.name());
  return out;
}
