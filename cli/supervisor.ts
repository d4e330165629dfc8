// Child-process supervision for `godfs up`: each role runs as `node <this cli> <role> ...` (so the roles
// spread over the machine's cores), reports its bound address over an IPC channel, and is restarted
// with exponential backoff if it dies unexpectedly. Children live in their own process group so a
// terminal's Ctrl-C reaches only `godfs up`, which then stops them in order.
import { spawn, type ChildProcess } from 'node:child_process';
import { openSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Logger } from '../common/log.js';
import type { ListeningMessage } from './run-server.js';

export interface ChildSpec {
  /** Unique name: `master`, `chunkserver-0`, `gateway`. Also the log file's name. */
  name: string;
  /** Arguments after the CLI path, e.g. ['master', '--data', ...]. Re-read at each (re)start. */
  args: () => string[];
  /** Node options for this child, before the CLI path (e.g. V8 heap sizing). */
  nodeArgs?: string[];
}

export interface SupervisorOptions {
  cliPath: string;
  env: NodeJS.ProcessEnv;
  /** Directory for `<name>.log`, or undefined to forward children's output to our stdout/stderr. */
  logDir: string | undefined;
  logger: Logger;
  /** Called whenever a child starts, announces its address or exits (to rewrite pids.json). */
  onChange: () => void;
}

const STOP_TIMEOUT_MS = 25_000;
const BACKOFF_MIN_MS = 500;
const BACKOFF_MAX_MS = 30_000;
/** A child that ran this long before dying is considered to have been healthy: backoff starts over. */
const HEALTHY_AFTER_MS = 60_000;

export class SupervisedChild {
  readonly spec: ChildSpec;
  #opts: SupervisorOptions;
  #proc: ChildProcess | undefined;
  #startedAt = 0;
  #failures = 0;
  #restartTimer: NodeJS.Timeout | undefined;
  #stopping = false;
  #listening: ListeningMessage | undefined;
  #waiters: Array<{ resolve: (m: ListeningMessage) => void; reject: (e: Error) => void }> = [];
  #exitWaiters: Array<() => void> = [];
  /** Set while `godfs up` is still starting: an exit is then fatal instead of restarted. */
  failFast = true;
  onFatal: (err: Error) => void = () => {};

  constructor(spec: ChildSpec, opts: SupervisorOptions) {
    this.spec = spec;
    this.#opts = opts;
  }

  get pid(): number | undefined {
    return this.#proc?.pid;
  }

  get listening(): ListeningMessage | undefined {
    return this.#listening;
  }

  get running(): boolean {
    return this.#proc !== undefined;
  }

  logFile(): string | undefined {
    return this.#opts.logDir ? join(this.#opts.logDir, `${this.spec.name}.log`) : undefined;
  }

  start(): void {
    const log = this.#opts.logger;
    const args = [...(this.spec.nodeArgs ?? []), this.#opts.cliPath, ...this.spec.args()];
    const file = this.logFile();
    const fd = file ? openSync(file, 'a', 0o644) : undefined;
    let proc: ChildProcess;
    try {
      proc = spawn(process.execPath, args, {
        env: this.#opts.env,
        stdio: ['ignore', fd ?? 'pipe', fd ?? 'pipe', 'ipc'],
        detached: true,
      });
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
    this.#proc = proc;
    this.#startedAt = Date.now();
    this.#listening = undefined;
    if (fd === undefined) {
      if (proc.stdout) createInterface({ input: proc.stdout, crlfDelay: Infinity }).on('line', (l) => process.stdout.write(l + '\n'));
      if (proc.stderr) createInterface({ input: proc.stderr, crlfDelay: Infinity }).on('line', (l) => process.stderr.write(l + '\n'));
    }
    proc.on('message', (m: unknown) => {
      const msg = m as Partial<ListeningMessage>;
      if (msg && msg.event === 'listening' && typeof msg.address === 'string') {
        this.#listening = msg as ListeningMessage;
        log.info({ child: this.spec.name, pid: proc.pid, address: msg.address }, `${this.spec.name} listening on ${msg.address}`);
        for (const w of this.#waiters.splice(0)) w.resolve(this.#listening);
        this.#opts.onChange();
      }
    });
    proc.on('error', (err) => log.error({ child: this.spec.name, err }, `${this.spec.name} could not be started`));
    proc.on('exit', (code, signal) => this.#onExit(proc, code, signal));
    log.info({ child: this.spec.name, pid: proc.pid }, `started ${this.spec.name}`);
    this.#opts.onChange();
  }

  #onExit(proc: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
    if (this.#proc !== proc) return;
    this.#proc = undefined;
    this.#listening = undefined;
    const log = this.#opts.logger;
    for (const w of this.#exitWaiters.splice(0)) w();
    this.#opts.onChange();
    if (this.#stopping) {
      log.info({ child: this.spec.name, code, signal }, `${this.spec.name} stopped`);
      return;
    }
    const err = Object.assign(new Error(`${this.spec.name} exited with ${signal ? `signal ${signal}` : `code ${code}`}`), { code: 'child_exited' });
    for (const w of this.#waiters.splice(0)) w.reject(err);
    if (this.failFast) {
      this.onFatal(err);
      return;
    }
    const ranMs = Date.now() - this.#startedAt;
    if (ranMs >= HEALTHY_AFTER_MS) this.#failures = 0;
    const delay = Math.min(BACKOFF_MAX_MS, BACKOFF_MIN_MS * 2 ** this.#failures);
    this.#failures++;
    log.error({ child: this.spec.name, pid: proc.pid, code, signal, ranMs, restartInMs: delay, logFile: this.logFile() }, `${err.message} unexpectedly; restarting in ${delay} ms`);
    this.#restartTimer = setTimeout(() => {
      this.#restartTimer = undefined;
      if (!this.#stopping) this.start();
    }, delay);
  }

  /** Resolves with the child's listening announcement (rejects if it exits first or times out). */
  waitListening(timeoutMs: number): Promise<ListeningMessage> {
    if (this.#listening) return Promise.resolve(this.#listening);
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`${this.spec.name} did not report a listening address within ${timeoutMs} ms`)), timeoutMs);
      this.#waiters.push({
        resolve: (m) => (clearTimeout(t), resolve(m)),
        reject: (e) => (clearTimeout(t), reject(e)),
      });
    });
  }

  /** SIGTERM, then SIGKILL after a grace period; resolves once the child has exited. */
  async stop(): Promise<void> {
    this.#stopping = true;
    if (this.#restartTimer) clearTimeout(this.#restartTimer);
    this.#restartTimer = undefined;
    const proc = this.#proc;
    if (!proc) return;
    const exited = new Promise<void>((resolve) => this.#exitWaiters.push(resolve));
    proc.kill('SIGTERM');
    const t = setTimeout(() => {
      this.#opts.logger.warn({ child: this.spec.name, pid: proc.pid }, `${this.spec.name} did not stop within ${STOP_TIMEOUT_MS} ms; killing it`);
      proc.kill('SIGKILL');
    }, STOP_TIMEOUT_MS);
    await exited;
    clearTimeout(t);
  }

  kill(): void {
    this.#stopping = true;
    if (this.#restartTimer) clearTimeout(this.#restartTimer);
    this.#proc?.kill('SIGKILL');
  }
}
