// What the master's services need of its state, whether replicated (replicated-store.ts) or not.
import type { Command } from './commands.js';
import type { Fsm } from './fsm.js';

export interface StateStore {
  /** The state machine as applied here (read it only after readBarrier(), or for local views). */
  readonly fsm: Fsm;
  /** Proposes a command; resolves with its result (a copy taken at apply time) once it is committed. */
  propose(cmd: Command): Promise<unknown>;
  /** Resolves when a read of `fsm` is linearizable: it reflects every write acknowledged before the call. */
  readBarrier(): Promise<void>;
  /** Throws not_leader (with the leader's address when known) unless this master may serve now. */
  checkLeader(): void;
  close(): Promise<void>;
}
