// apply() for the commands that change replica sets and node roles: deterministic, and validated
// before anything is mutated (a throw leaves the state untouched and nothing is logged).
import { InvalidArgumentError, NotFoundError } from '../../common/errors.js';
import type { Command } from './commands.js';
import type { Fsm } from './fsm.js';

type ReplicaCommand = Extract<Command, { op: 'replica_add' | 'replica_remove' | 'node_drain' }>;

/**
 * Validates `cmd` against the state (throwing, without mutating, if it is refused) and returns the
 * mutation, which cannot fail. The mutation returns the chunk record it changed, live: Fsm.apply
 * copies it before handing it to a caller.
 */
export function prepareReplicaCommand(fsm: Fsm, cmd: ReplicaCommand): () => unknown {
  switch (cmd.op) {
    case 'replica_add': {
      // A new replica counts only if it holds the committed version (GFS §4.5: never a stale copy).
      const rec = fsm.chunks.get(cmd.chunkId);
      if (!rec) throw new NotFoundError(`chunk ${cmd.chunkId} is not referenced by any file`);
      if (rec.version !== cmd.version) throw new InvalidArgumentError(`chunk ${cmd.chunkId} is at version ${rec.version}, not ${cmd.version}`);
      if (!cmd.nodeId) throw new InvalidArgumentError('node id is required');
      return () => {
        if (rec.replicas.includes(cmd.nodeId)) return rec;
        rec.goal ??= rec.replicas.length;
        rec.replicas.push(cmd.nodeId);
        return rec;
      };
    }
    case 'replica_remove': {
      const rec = fsm.chunks.get(cmd.chunkId);
      if (!rec) throw new NotFoundError(`chunk ${cmd.chunkId} is not referenced by any file`);
      return () => {
        rec.goal ??= rec.replicas.length;
        const drop = new Set(cmd.nodeIds);
        rec.replicas = rec.replicas.filter((n) => !drop.has(n));
        return rec;
      };
    }
    case 'node_drain':
      if (!cmd.nodeId) throw new InvalidArgumentError('node id is required');
      return () => {
        if (cmd.draining) fsm.draining.add(cmd.nodeId);
        else fsm.draining.delete(cmd.nodeId);
        return cmd.draining;
      };
  }
}
