// The single-master state of godfs before Raft: the state machine plus its write-ahead log and periodic
// snapshots. The master no longer runs on it; it remains to read an old data directory once, when
// replicated-store.ts imports it into Raft (and for the tests of that format).
// propose(cmd) applies the command, appends it to the log and resolves only after the fsync that
// covers it; barrier() resolves once everything applied is durable.
// A refused command is not logged: Fsm.apply() is atomic (it refuses before it changes anything), so
// the state in memory stays exactly what a replay of the log rebuilds. A command that fails part-way
// (PartialApplyError, a bug) leaves memory matching no log: the store stops at once (onFatal) instead
// of serving or snapshotting that state; a restart replays the log, which never had the command.
// Snapshots: write tmp → fsync → rename → fsync dir, then start a fresh log segment and delete the
// segments the snapshot covers.
import { mkdir, open, readdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import type { Logger } from '../../common/log.js';
import type { Command } from './commands.js';
import { Fsm, PartialApplyError } from './fsm.js';
import { decodeState, encodeState } from './state-codec.js';
import { Wal } from './wal.js';
import { fsyncDir } from '../../common/fsync.js';

export interface MetaStoreOptions {
  /** Take a snapshot after this many commands (default 100k) or this many log bytes (default 256 MiB). */
  snapshotEvery?: number;
  snapshotBytes?: number;
  logger: Logger;
  onFatal?: (err: unknown) => void;
}


const segmentName = (seq: number) => `wal-${String(seq).padStart(16, '0')}.log`;
const segmentSeq = (name: string): number | undefined => (/^wal-\d{16}\.log$/.test(name) ? Number(name.slice(4, 20)) : undefined);

export class MetaStore {
  readonly fsm: Fsm;
  #dir: string;
  #wal: Wal;
  #walSeq: number;
  #onFatal: (err: unknown) => void;
  #index: number;
  #sinceSnapshot = 0;
  #opts: MetaStoreOptions;
  #snapshotting: Promise<void> | undefined;
  #closed = false;
  /** Set when a command failed part-way: this state is never logged to, snapshotted or served again. */
  #broken: PartialApplyError | undefined;

  private constructor(dir: string, fsm: Fsm, wal: Wal, walSeq: number, opts: MetaStoreOptions, onFatal: (err: unknown) => void) {
    this.#dir = dir;
    this.fsm = fsm;
    this.#wal = wal;
    this.#walSeq = walSeq;
    this.#onFatal = onFatal;
    this.#index = fsm.appliedIndex;
    this.#opts = opts;
  }

  static async open(dir: string, opts: MetaStoreOptions): Promise<MetaStore> {
    const log = opts.logger;
    await mkdir(dir, { recursive: true });
    const onFatal =
      opts.onFatal ??
      ((err: unknown) => {
        log.fatal({ err }, 'write-ahead log fsync failed; stopping (an fsync error is never retried)');
        process.exit(70);
      });
    let fsm = new Fsm();
    const snap = await readSnapshot(join(dir, 'snapshot.json'));
    if (snap) fsm = snap;
    const segments = (await readdir(dir)).filter((n) => segmentSeq(n) !== undefined).sort();
    let wal: Wal | undefined;
    let walSeq = 1;
    let replayed = 0;
    for (let i = 0; i < segments.length; i++) {
      const name = segments[i]!;
      const seq = segmentSeq(name)!;
      const last = i === segments.length - 1;
      const opened = await Wal.open<Command>(join(dir, name), onFatal);
      for (const rec of opened.records) {
        if (rec.index <= fsm.appliedIndex) continue;
        if (rec.index !== fsm.appliedIndex + 1) throw new Error(`log gap: expected index ${fsm.appliedIndex + 1}, found ${rec.index} in ${name}`);
        try {
          fsm.apply(rec.cmd, rec.index);
        } catch (err) {
          // A command refused on replay was refused, without effect, when first applied too (apply is
          // deterministic and atomic; logs from the replicated master will hold such commands): only
          // the index advances. One that fails part-way leaves a state no log describes: stop.
          if (err instanceof PartialApplyError) throw err;
          fsm.appliedIndex = rec.index;
        }
        replayed++;
      }
      if (last) {
        wal = opened.wal;
        walSeq = seq;
      } else {
        await opened.wal.close();
      }
    }
    if (!wal) {
      wal = (await Wal.open<Command>(join(dir, segmentName(walSeq)), onFatal)).wal;
      await fsyncDir(dir);
    }
    log.info({ appliedIndex: fsm.appliedIndex, replayed, snapshot: Boolean(snap) }, 'master state loaded');
    return new MetaStore(dir, fsm, wal, walSeq, opts, onFatal);
  }

  get index(): number {
    return this.#index;
  }

  /**
   * Applies, logs and makes durable one command; resolves with apply()'s result — a copy taken when
   * the command was applied, so later commands applied while this one's fsync runs do not show in it.
   * Rejects, logging nothing and changing nothing, for a refused command.
   */
  async propose(cmd: Command): Promise<unknown> {
    // Checked before applying: a command applied but never logged would exist in memory only.
    if (this.#broken) throw this.#broken;
    if (this.#closed) throw new Error('the master state is closed');
    const index = this.#index + 1;
    let result: unknown;
    try {
      result = this.fsm.apply(cmd, index);
    } catch (err) {
      if (err instanceof PartialApplyError) {
        this.#broken = err;
        this.#onFatal(err);
      }
      throw err;
    }
    this.#index = index;
    const durable = this.#wal.append({ index, cmd });
    this.#sinceSnapshot++;
    await durable;
    if (!this.#snapshotting && (this.#sinceSnapshot >= (this.#opts.snapshotEvery ?? 100_000) || this.#wal.size >= (this.#opts.snapshotBytes ?? 256 * 2 ** 20))) {
      void this.snapshot().catch((err: unknown) => this.#opts.logger.error({ err }, 'snapshot failed'));
    }
    return result;
  }

  /** Resolves once every command applied so far is durable. */
  barrier(): Promise<void> {
    return this.#wal.barrier();
  }


  /** Writes a snapshot of the current state and drops the log segments it covers. */
  /** One snapshot at a time: a call made while one runs waits for it, then takes its own. */
  snapshot(): Promise<void> {
    const run = (this.#snapshotting ?? Promise.resolve()).catch(() => undefined).then(() => this.#snapshotOnce());
    const tracked: Promise<void> = run.finally(() => {
      if (this.#snapshotting === tracked) this.#snapshotting = undefined;
    });
    this.#snapshotting = tracked;
    return run;
  }

  async #snapshotOnce(): Promise<void> {
    if (this.#broken) throw this.#broken;
    const nextSeq = this.#walSeq + 1;
    const { wal: newWal } = await Wal.open<Command>(join(this.#dir, segmentName(nextSeq)), this.#onFatal);
    if (this.#broken) {
      await newWal.close();
      throw this.#broken;
    }
    // Synchronous section: the state at exactly `index`, and every later command goes to the new
    // segment, so segments before `nextSeq` hold only records the snapshot covers.
    const index = this.#index;
    const body = Buffer.from(encodeState(this.fsm));
    const oldWal = this.#wal;
    this.#wal = newWal;
    this.#walSeq = nextSeq;
    await oldWal.close();
    const tmp = join(this.#dir, 'snapshot.json.tmp');
    const fh = await open(tmp, 'w');
    try {
      await fh.writeFile(Buffer.from(JSON.stringify({ index, crc: crc32(body), length: body.length }) + '\n'));
      await fh.writeFile(body);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, join(this.#dir, 'snapshot.json'));
    await fsyncDir(this.#dir);
    for (const name of await readdir(this.#dir)) {
      const seq = segmentSeq(name);
      if (seq !== undefined && seq < nextSeq) await rm(join(this.#dir, name), { force: true });
    }
    this.#sinceSnapshot = 0;
    this.#opts.logger.info({ index, bytes: body.length }, 'snapshot written');
  }

  async close(): Promise<void> {
    this.#closed = true;
    if (this.#snapshotting) await this.#snapshotting;
    await this.#wal.close();
  }
}

async function readSnapshot(path: string): Promise<Fsm | undefined> {
  let buf: Buffer;
  try {
    buf = await readFile(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  const nl = buf.indexOf(0x0a);
  const header = JSON.parse(buf.subarray(0, nl).toString('utf8')) as { index: number; crc: number; length: number };
  const body = buf.subarray(nl + 1);
  if (body.length !== header.length || crc32(body) !== header.crc) throw new Error(`snapshot ${path} is corrupt (length or CRC mismatch)`);
  const fsm = decodeState(body.toString('utf8'));
  fsm.appliedIndex = header.index;
  return fsm;
}
