// Runs one server role in the foreground: logs JSON to stdout, announces its bound address (in the log
// and, when started by `godfs up`, over the IPC channel), and closes cleanly on SIGINT/SIGTERM or when
// the supervising `godfs up` goes away.
import { createLogger, type Logger } from '../common/log.js';

export interface ServerHandle {
  close(): Promise<void>;
}

/** What a role tells its supervisor once it listens (sent over the IPC channel of `godfs up`). */
export interface ListeningMessage {
  event: 'listening';
  role: string;
  address: string;
  [extra: string]: unknown;
}

const CLOSE_TIMEOUT_MS = 20_000;

export async function runServer<H extends ServerHandle>(
  role: string,
  logLevel: string,
  start: (logger: Logger) => Promise<H>,
  describe: (handle: H) => { address: string; [extra: string]: unknown },
): Promise<number> {
  const logger = createLogger({ role }, logLevel);
  const handle = await start(logger);
  const where = describe(handle);
  logger.info({ event: 'listening', ...where }, `godfs ${role} listening on ${where.address}`);
  if (process.send) process.send({ event: 'listening', role, ...where } satisfies ListeningMessage);

  return new Promise<number>((resolve) => {
    let stopping = false;
    const stop = (reason: string) => {
      if (stopping) {
        logger.warn({ reason }, 'second stop request; exiting without waiting');
        resolve(130);
        return;
      }
      stopping = true;
      logger.info({ reason }, `godfs ${role} shutting down`);
      const timer = setTimeout(() => {
        logger.error({ timeoutMs: CLOSE_TIMEOUT_MS }, 'close() did not finish in time; exiting');
        resolve(1);
      }, CLOSE_TIMEOUT_MS);
      timer.unref();
      handle.close().then(
        () => {
          clearTimeout(timer);
          logger.info(`godfs ${role} stopped`);
          resolve(0);
        },
        (err: unknown) => {
          clearTimeout(timer);
          logger.error({ err }, 'close failed');
          resolve(1);
        },
      );
    };
    process.on('SIGINT', () => stop('SIGINT'));
    process.on('SIGTERM', () => stop('SIGTERM'));
    // Started by `godfs up`: if the supervisor dies (even by SIGKILL), do not linger as an orphan.
    if (process.channel) process.on('disconnect', () => stop('supervisor exited'));
  });
}
