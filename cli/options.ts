// Option helpers shared by every command group: the GODFS_* environment twin of each flag, and the
// parsers for sizes ("10GiB"), counts, durations, booleans and host:port.
import { InvalidArgumentError, Option } from 'commander';
import { parseMasterList } from '../common/master-addresses.js';
import { parseHostPort } from '../common/net.js';

const UNITS: Record<string, number> = {
  '': 1,
  b: 1,
  k: 1024,
  kib: 1024,
  kb: 1000,
  m: 1024 ** 2,
  mib: 1024 ** 2,
  mb: 1000 ** 2,
  g: 1024 ** 3,
  gib: 1024 ** 3,
  gb: 1000 ** 3,
  t: 1024 ** 4,
  tib: 1024 ** 4,
  tb: 1000 ** 4,
};

/**
 * Parses a byte size: a plain integer, or a number with a unit. KiB/MiB/GiB/TiB and the bare K/M/G/T
 * are powers of 1024 (as ls and dd read them), KB/MB/GB/TB powers of 1000.
 */
export function parseSize(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(text);
  const unit = m ? UNITS[m[2]!.toLowerCase()] : undefined;
  if (!m || unit === undefined) throw new InvalidArgumentError(`expected a size such as 1048576, 64MiB or 10GiB, got ${JSON.stringify(text)}`);
  const n = Math.round(Number(m[1]) * unit);
  if (!Number.isSafeInteger(n)) throw new InvalidArgumentError(`size ${JSON.stringify(text)} is too large`);
  return n;
}

export function parseCount(text: string, min = 0): number {
  if (!/^\s*\d+\s*$/.test(text)) throw new InvalidArgumentError(`expected a whole number, got ${JSON.stringify(text)}`);
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < min) throw new InvalidArgumentError(`expected a whole number ≥ ${min}, got ${JSON.stringify(text)}`);
  return n;
}

export function parseBool(text: string): boolean {
  const t = text.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(t)) return true;
  if (['0', 'false', 'no', 'off', ''].includes(t)) return false;
  throw new InvalidArgumentError(`expected true or false, got ${JSON.stringify(text)}`);
}

export function parseAddress(text: string): string {
  try {
    parseHostPort(text);
  } catch (err) {
    throw new InvalidArgumentError((err as Error).message);
  }
  return text.trim();
}

/** `host:port[,host:port…]`: one master or the masters of a Raft group (any of them; the leader is found). */
export function parseAddressList(text: string): string {
  try {
    return parseMasterList(text).join(',');
  } catch (err) {
    throw new InvalidArgumentError((err as Error).message);
  }
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/** A flag with its GODFS_* twin; `parse` converts the text the user gave (flag or environment). */
export function envOption<T>(flags: string, description: string, env: string, parse?: (text: string) => T, def?: T, defDescription?: string): Option {
  const opt = new Option(flags, description).env(env);
  if (parse) opt.argParser((value: string) => parse(value));
  if (def !== undefined || defDescription !== undefined) opt.default(def, defDescription);
  return opt;
}

/**
 * A switch that can also be set from the environment with an explicit value: `--flag` alone means true,
 * `--flag false` and `GODFS_FLAG=0` mean false (commander would read any set variable as true).
 */
export function envSwitch(flags: string, description: string, env: string): Option {
  return new Option(`${flags} [bool]`, description).env(env).argParser(parseBool).preset('true').default(false);
}

/** Short-circuit reads (sdk/local-read.ts): on by default; `--short-circuit-reads false` turns them off. */
export function shortCircuitReadsOption(): Option {
  return new Option('--short-circuit-reads [bool]', 'read chunk replicas stored on this host straight from their files (verified), not over HTTP')
    .env('GODFS_SHORT_CIRCUIT_READS')
    .argParser(parseBool)
    .preset('true')
    .default(true);
}

export function logLevelOption(): Option {
  return new Option('--log-level <level>', 'log level of the JSON logs on stdout').env('GODFS_LOG_LEVEL').choices(LOG_LEVELS).default('info');
}
