// The Raft gRPC service on the master's port: peers' message streams, the group's status, membership
// changes and leadership transfer (`godfs admin raft`). Every call is authenticated with the cluster
// credential. Until the local member has started (its state is still loading), calls answer unavailable.
import * as grpc from '@grpc/grpc-js';
import { GodfsError } from '../../common/errors.js';
import { checkAuth, toServiceError, unary } from '../../common/grpc.js';
import type { Logger } from '../../common/log.js';
import type { ChangeRequest__Output } from '../../proto/generated/godfs/raft/v1/ChangeRequest.js';
import type { RaftHandlers } from '../../proto/generated/godfs/raft/v1/Raft.js';
import type { StatusResponse } from '../../proto/generated/godfs/raft/v1/StatusResponse.js';
import type { TransferRequest__Output } from '../../proto/generated/godfs/raft/v1/TransferRequest.js';
import { MEMBER_ID } from '../../common/peers.js';
import { parseHostPort } from '../../common/net.js';
import { InvalidChangeError, NotLeaderError, OutcomeUnknownError, RetryLaterError, type RaftNode } from '../raft/node.js';

/** The group as this member sees it (match/next are the leader's view; 0 elsewhere). */
export function raftStatus(node: RaftNode): StatusResponse {
  const s = node.status();
  const leaderAddress = s.leader ? (s.addresses[s.leader] ?? '') : '';
  return {
    id: s.id,
    leader: s.leader ?? '',
    leader_address: leaderAddress,
    term: s.term,
    commit_index: s.commit,
    applied_index: s.smApplied,
    last_index: s.lastIndex,
    snapshot_index: s.snapshotIndex,
    role: s.role,
    members: s.config.map((m) => {
      const pr = m.id === s.id ? undefined : s.progress[m.id];
      const role = m.id === s.leader ? 'leader' : !m.voter ? 'learner' : m.id === s.id ? s.role : 'follower';
      return { id: m.id, address: m.address, role, voter: m.voter, match_index: m.id === s.id ? s.lastIndex : (pr?.match ?? 0), next_index: pr?.next ?? 0, progress: pr?.state ?? '' };
    }),
  };
}

export interface RaftServiceOptions {
  /** The local member, once started. */
  node: () => RaftNode | undefined;
  credential: string | undefined;
  logger: Logger;
  /** Raised when this member is not the leader (names the leader's address). */
  notLeader: () => GodfsError;
  /** How long `add` waits for a new member to catch up before promoting it. */
  catchUpMs?: number;
}

export function raftHandlers(o: RaftServiceOptions): RaftHandlers {
  const k = o.credential;
  const log = o.logger;
  const need = (): RaftNode => {
    const n = o.node();
    if (!n) throw new GodfsError('unavailable', 'this master is still starting');
    return n;
  };
  const leaderOnly = (): RaftNode => {
    const n = need();
    if (n.role !== 'leader') throw o.notLeader();
    return n;
  };
  const changeError = (err: unknown): unknown => {
    if (err instanceof NotLeaderError) return o.notLeader();
    if (err instanceof InvalidChangeError) return new GodfsError('invalid_argument', err.message);
    if (err instanceof RetryLaterError) return new GodfsError('unavailable', err.message);
    if (err instanceof OutcomeUnknownError) return new GodfsError('unavailable', 'leadership changed before the change committed; check `godfs admin raft status`', { cause: err });
    return err;
  };
  return {
    Send: (call, callback) => {
      const n = o.node();
      if (!n) {
        try {
          checkAuth(call, k);
        } catch (err) {
          return callback(toServiceError(err));
        }
        return callback(toServiceError(new GodfsError('unavailable', 'this master is still starting')));
      }
      n.transport.sendHandler((m, from) => n.step(m, from))(call, callback as grpc.sendUnaryData<Record<string, never>>);
    },
    Status: unary(k, log, () => raftStatus(need())),
    Change: unary(k, log, async (r: ChangeRequest__Output) => {
      const n = leaderOnly();
      if (!MEMBER_ID.test(r.id)) throw new GodfsError('invalid_argument', `member id ${JSON.stringify(r.id)} is not valid`);
      try {
        if (r.type === 'add' || r.type === 'add_learner') {
          try {
            parseHostPort(r.address);
          } catch (err) {
            throw new GodfsError('invalid_argument', (err as Error).message);
          }
          await n.changeMembership({ type: 'add_learner', id: r.id, address: r.address });
          if (r.type === 'add') {
            await waitCaughtUp(n, r.id, o.catchUpMs ?? 120_000);
            await n.changeMembership({ type: 'promote', id: r.id });
          }
        } else if (r.type === 'promote') {
          await waitCaughtUp(n, r.id, o.catchUpMs ?? 120_000);
          await n.changeMembership({ type: 'promote', id: r.id });
        } else if (r.type === 'remove' && r.id === n.id) {
          // The leader removing itself would step down before its answer: hand leadership to the most
          // up-to-date voter first; the caller then asks the new leader (not_leader names it).
          const s = n.status();
          const target = s.config
            .filter((m) => m.voter && m.id !== n.id)
            .sort((a, b) => (s.progress[b.id]?.match ?? 0) - (s.progress[a.id]?.match ?? 0))[0];
          if (!target) throw new GodfsError('invalid_argument', 'cannot remove the last voter');
          n.transferLeadership(target.id);
          const until = Date.now() + 10_000;
          while (n.leader === n.id && Date.now() < until) await new Promise((res) => setTimeout(res, 20));
          throw o.notLeader();
        } else if (r.type === 'remove') {
          await n.changeMembership({ type: 'remove', id: r.id });
        } else {
          throw new GodfsError('invalid_argument', `unknown change ${JSON.stringify(r.type)} (add, add_learner, promote, remove)`);
        }
      } catch (err) {
        throw changeError(err);
      }
      log.info({ change: r.type, member: r.id, address: r.address || undefined }, 'raft membership changed');
      return raftStatus(n);
    }),
    Transfer: unary(k, log, async (r: TransferRequest__Output) => {
      const n = leaderOnly();
      try {
        n.transferLeadership(r.id);
      } catch (err) {
        throw changeError(err);
      }
      // Answer once the group has moved on (or after the transfer's own timeout has passed).
      const until = Date.now() + 10_000;
      while (n.leader !== r.id && Date.now() < until) await new Promise((res) => setTimeout(res, 20));
      if (n.leader !== r.id) throw new GodfsError('unavailable', `leadership did not move to ${r.id}; it may be behind or unreachable`);
      return raftStatus(n);
    }),
  };
}

/** Resolves once the leader sees `id` within a few entries of its log (a learner worth promoting). */
async function waitCaughtUp(n: RaftNode, id: string, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    if (n.role !== 'leader') throw new NotLeaderError(n.leader);
    const s = n.status();
    const pr = s.progress[id];
    if (pr && pr.state === 'replicate' && s.lastIndex - pr.match <= 16) return;
    if (Date.now() > until) throw new GodfsError('unavailable', `${id} has not caught up after ${timeoutMs} ms (match ${pr?.match ?? 0} of ${s.lastIndex}); it stays a learner`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
