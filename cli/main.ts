#!/usr/bin/env node
// The `godfs` executable (package.json "bin"). Parses the command line, runs the command, and maps any
// failure to `godfs: <message> (<code>)` with exit status 2 (usage) or 1 (anything else).
import { CommanderError } from 'commander';
import { buildProgram } from './program.js';
import { EXIT_USAGE, reportError } from './report.js';

async function main(): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(process.argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      // Help and version "errors" are successes; everything else commander raises is a usage error
      // whose message it has already printed.
      return err.exitCode === 0 ? 0 : EXIT_USAGE;
    }
    return reportError(err);
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => process.exit(reportError(err)),
);
