// Structured logs (pino). Components take a child logger with their own bindings ({component, node}).
import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger(bindings: Record<string, unknown> = {}, level = process.env.GODFS_LOG_LEVEL ?? 'info'): Logger {
  return pino({ level, base: { pid: process.pid, ...bindings } });
}

/** A logger that drops everything: the default for in-process tests. */
export const silentLogger: Logger = pino({ level: 'silent' });
