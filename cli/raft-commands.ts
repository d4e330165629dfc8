// `godfs admin raft status|add|remove|promote|transfer`: the masters' Raft group. Status asks any master
// in --master and then the leader it names (only the leader knows how far each member has replicated);
// changes go to the leader.
import * as grpc from '@grpc/grpc-js';
import type { Command } from 'commander';
import { GodfsError } from '../common/errors.js';
import { authMetadata, fromServiceError } from '../common/grpc.js';
import { MEMBER_ID } from '../common/peers.js';
import type { RaftClient } from '../proto/generated/godfs/raft/v1/Raft.js';
import type { StatusResponse__Output } from '../proto/generated/godfs/raft/v1/StatusResponse.js';
import { raftProto } from '../proto/load.js';
import { addClientOptions, resolveClientConfig } from './client-options.js';
import { table } from './format.js';
import { parseAddress } from './options.js';
import { UsageError } from './report.js';

export interface RaftStatusJson {
  id: string;
  leader: string | null;
  leaderAddress: string | null;
  term: number;
  commitIndex: number;
  appliedIndex: number;
  lastIndex: number;
  snapshotIndex: number;
  members: Array<{ id: string; address: string; role: string; voter: boolean; matchIndex: number; nextIndex: number; progress: string }>;
}

const CALL_MS = 5000;

class RaftAdmin {
  #clients = new Map<string, RaftClient>();
  constructor(
    readonly addresses: string[],
    readonly apiKey: string | undefined,
  ) {}

  #client(address: string): RaftClient {
    let c = this.#clients.get(address);
    if (!c) {
      const Ctor = raftProto().godfs.raft.v1.Raft;
      c = new Ctor(address, grpc.credentials.createInsecure());
      this.#clients.set(address, c);
    }
    return c;
  }

  #call<Req, Res>(address: string, method: 'Status' | 'Change' | 'Transfer', req: Req, timeoutMs = CALL_MS): Promise<Res> {
    const client = this.#client(address) as unknown as Record<string, (r: Req, md: grpc.Metadata, o: grpc.CallOptions, cb: (e: grpc.ServiceError | null, r?: Res) => void) => void>;
    return new Promise((resolve, reject) =>
      client[method]!.call(this.#client(address), req, authMetadata(this.apiKey), { deadline: Date.now() + timeoutMs }, (err, res) =>
        err ? reject(fromServiceError(err)) : resolve(res!),
      ),
    );
  }

  /** The leader's status (or, with no leader known, the first answer). */
  async status(): Promise<StatusResponse__Output> {
    let first: StatusResponse__Output | undefined;
    let lastErr: unknown;
    for (const address of this.addresses) {
      try {
        const s = await this.#call<object, StatusResponse__Output>(address, 'Status', {});
        if (s.role === 'leader') return s;
        first ??= s;
        if (s.leader_address) {
          try {
            const l = await this.#call<object, StatusResponse__Output>(s.leader_address, 'Status', {});
            if (l.role === 'leader') return l;
          } catch (err) {
            lastErr = err;
          }
        }
      } catch (err) {
        lastErr = err;
      }
    }
    if (first) return first;
    throw lastErr instanceof GodfsError ? lastErr : new GodfsError('unavailable', `no master answered at ${this.addresses.join(', ')}`);
  }

  /** Runs a leader-only call, following the leader across one election if need be. */
  async onLeader<Req>(method: 'Change' | 'Transfer', req: Req, timeoutMs: number): Promise<StatusResponse__Output> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const s = await this.status();
      if (s.role === 'leader' || s.leader_address) {
        const address = s.role === 'leader' ? s.members.find((m) => m.id === s.id)?.address : s.leader_address;
        if (address) {
          try {
            return await this.#call<Req, StatusResponse__Output>(address, method, req, Math.max(1000, deadline - Date.now()));
          } catch (err) {
            if (!(err instanceof GodfsError && (err.code === 'unavailable' || err.code === 'not_leader')) || Date.now() > deadline) throw err;
          }
        }
      }
      if (Date.now() > deadline) throw new GodfsError('unavailable', 'no leader is known: the group has no quorum, or is electing');
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  close(): void {
    for (const c of this.#clients.values()) c.close();
  }
}

export function statusJson(s: StatusResponse__Output): RaftStatusJson {
  return {
    id: s.id,
    leader: s.leader || null,
    leaderAddress: s.leader_address || null,
    term: s.term,
    commitIndex: s.commit_index,
    appliedIndex: s.applied_index,
    lastIndex: s.last_index,
    snapshotIndex: s.snapshot_index,
    members: s.members.map((m) => ({ id: m.id, address: m.address, role: m.role, voter: m.voter, matchIndex: m.match_index, nextIndex: m.next_index, progress: m.progress })),
  };
}

function printStatus(s: StatusResponse__Output, json: boolean): void {
  if (json) {
    process.stdout.write(JSON.stringify(statusJson(s), null, 2) + '\n');
    return;
  }
  process.stdout.write(`leader ${s.leader || '(none)'}${s.leader_address ? ` at ${s.leader_address}` : ''}, term ${s.term}, commit ${s.commit_index}, applied ${s.applied_index} (answered by ${s.id})\n`);
  const rows = s.members.map((m) => [m.id, m.address, m.role, m.voter ? 'yes' : 'no', s.role === 'leader' ? String(m.match_index) : '-', s.role === 'leader' ? m.progress : '-']);
  process.stdout.write(table(['MEMBER', 'ADDRESS', 'ROLE', 'VOTER', 'MATCH', 'REPLICATION'], rows));
}

function memberId(id: string): string {
  if (!MEMBER_ID.test(id)) throw new UsageError(`member id ${JSON.stringify(id)}: 1–64 characters of A–Z a–z 0–9 _ . -`);
  return id;
}

async function withRaftAdmin<T>(cmd: Command, fn: (a: RaftAdmin) => Promise<T>): Promise<T> {
  const { master, apiKey } = resolveClientConfig(cmd);
  const addresses = [master].flat().join(',').split(',').map((a) => a.trim()).filter(Boolean);
  const admin = new RaftAdmin(addresses, apiKey);
  try {
    return await fn(admin);
  } finally {
    admin.close();
  }
}

export function registerRaftCommands(adminCmd: Command): void {
  const raft = adminCmd
    .command('raft')
    .summary("the masters' Raft group")
    .description("Shows and changes the masters' Raft group: who leads, how far each member has replicated, adding, promoting and removing masters, moving leadership (docs/operations.md, \"Masters\").");

  addClientOptions(
    raft
      .command('status')
      .summary('show the leader, term, indexes and members')
      .description("Asks the masters in --master for the group's state; the leader's answer includes each member's match index.")
      .option('--json', 'print JSON', false),
  ).action(async (o: { json: boolean }, cmd: Command) => {
    await withRaftAdmin(cmd, async (a) => printStatus(await a.status(), o.json));
  });

  addClientOptions(
    raft
      .command('add <id> <address>')
      .summary('add a master (as a learner, promoted once it has caught up)')
      .description(
        'Adds the master <id> listening at <address> (host:port of its gRPC port; start it first with --node-id <id> and an empty --data). It joins as a learner, which receives the log but does not vote; once it has caught up it is promoted to a voter, unless --learner is given.',
      )
      .option('--learner', 'stay a learner (promote later with `godfs admin raft promote`)', false)
      .option('--timeout-ms <ms>', 'how long to wait for the new member to catch up', '120000')
      .option('--json', 'print the resulting status as JSON', false),
  ).action(async (id: string, address: string, o: { learner: boolean; timeoutMs: string; json: boolean }, cmd: Command) => {
    memberId(id);
    try {
      parseAddress(address);
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
    await withRaftAdmin(cmd, async (a) => printStatus(await a.onLeader('Change', { type: o.learner ? 'add_learner' : 'add', id, address }, Number(o.timeoutMs) || 120_000), o.json));
  });

  for (const [name, summary, description] of [
    ['promote', 'make a learner a voter', 'Promotes the learner <id> to a voting member once it has caught up with the log.'],
    ['remove', 'remove a master from the group', 'Removes <id> from the group. Removing the leader makes it step down once the change commits; the others elect a new one. Keep an odd number of voters (3 or 5).'],
  ] as const) {
    addClientOptions(raft.command(`${name} <id>`).summary(summary).description(description).option('--json', 'print the resulting status as JSON', false)).action(
      async (id: string, o: { json: boolean }, cmd: Command) => {
        memberId(id);
        await withRaftAdmin(cmd, async (a) => printStatus(await a.onLeader('Change', { type: name, id }, 120_000), o.json));
      },
    );
  }

  addClientOptions(
    raft
      .command('transfer <id>')
      .summary('move leadership to another master')
      .description('Asks the leader to hand leadership to the voter <id> (it brings it up to date, then tells it to campaign at once); for maintenance of the current leader.')
      .option('--json', 'print the resulting status as JSON', false),
  ).action(async (id: string, o: { json: boolean }, cmd: Command) => {
    memberId(id);
    await withRaftAdmin(cmd, async (a) => printStatus(await a.onLeader('Transfer', { id }, 30_000), o.json));
  });
}
