// How the CLI tells the user something went wrong: `godfs: <message> (<code>)` on stderr, exit status 2
// for usage errors and 1 for everything else.
import { GodfsError } from '../common/errors.js';

export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

/** A usage error found after commander parsed the command line (e.g. two stdin arguments). */
export class UsageError extends Error {
  readonly code = 'usage';
}

export function describeError(err: unknown): { message: string; code: string } {
  if (err instanceof GodfsError) return { message: err.message, code: err.code };
  if (err instanceof UsageError) return { message: err.message, code: 'usage' };
  if (err instanceof Error) {
    const code = (err as NodeJS.ErrnoException).code;
    return { message: err.message, code: typeof code === 'string' ? code : err.name || 'error' };
  }
  return { message: String(err), code: 'error' };
}

export function reportError(err: unknown): number {
  const { message, code } = describeError(err);
  process.stderr.write(`godfs: ${message} (${code})\n`);
  if (process.env.GODFS_DEBUG && err instanceof Error && err.stack) process.stderr.write(err.stack + '\n');
  return err instanceof UsageError ? EXIT_USAGE : EXIT_FAILURE;
}
