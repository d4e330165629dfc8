// Raft metrics of a master (prom-client, on the master's registry): where the group stands (term, role,
// indexes), how it got there (leader changes, snapshots) and what it costs (fsync latency). Explained in
// docs/operations.md; the alerts worth having are no leader for more than a few election timeouts, a
// follower's lag growing, and fsync latency climbing.
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { RaftNode } from '../raft/node.js';
import type { SyncKind } from '../raft/storage/disk-storage.js';

export interface RaftMetrics {
  /** Feed DiskStorage's onSynced with this. */
  synced(what: SyncKind, seconds: number): void;
  /** Starts following the node's events (once it exists). */
  attach(node: RaftNode): void;
}

export function createRaftMetrics(registry: Registry): RaftMetrics {
  let node: RaftNode | undefined;
  const status = () => node?.status();
  const gauge = (name: string, help: string, read: () => number | undefined) =>
    new Gauge({ name, help, registers: [registry], collect() { this.set(read() ?? 0); } });
  gauge('godfs_raft_term', 'Current Raft term of this master', () => status()?.term);
  gauge('godfs_raft_is_leader', '1 while this master leads and serves, else 0', () => (node?.isLeaderReady ? 1 : 0));
  gauge('godfs_raft_has_leader', '1 while this master knows a leader, else 0', () => (node?.leader ? 1 : 0));
  gauge('godfs_raft_commit_index', 'Highest log index known committed', () => status()?.commit);
  gauge('godfs_raft_applied_index', 'Highest log index applied to the state machine here', () => status()?.smApplied);
  gauge('godfs_raft_last_index', 'Last index of the log here', () => status()?.lastIndex);
  gauge('godfs_raft_snapshot_index', 'Index of the current snapshot here', () => status()?.snapshotIndex);
  gauge('godfs_raft_members', 'Members of the group (voters and learners)', () => status()?.config.length);
  new Gauge({
    name: 'godfs_raft_follower_lag_entries',
    help: "Entries each member is behind the leader's log (reported by the leader only)",
    labelNames: ['member'],
    registers: [registry],
    collect() {
      this.reset();
      const s = status();
      if (!s || s.role !== 'leader') return;
      for (const [id, pr] of Object.entries(s.progress)) if (id !== s.id) this.set({ member: id }, Math.max(0, s.lastIndex - pr.match));
    },
  });
  const leaderChanges = new Counter({ name: 'godfs_raft_leader_changes_total', help: 'Times the leader known here changed (elections seen)', registers: [registry] });
  const snapshots = new Counter({ name: 'godfs_raft_snapshots_total', help: 'Snapshots of the state machine written here', registers: [registry] });
  const snapshotSeconds = new Histogram({
    name: 'godfs_raft_snapshot_duration_seconds',
    help: 'Time to write a snapshot of the state machine',
    buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300],
    registers: [registry],
  });
  const snapshotBytes = new Gauge({ name: 'godfs_raft_snapshot_bytes', help: 'Size of the latest snapshot written here', registers: [registry] });
  const fsync = new Histogram({
    name: 'godfs_raft_fsync_duration_seconds',
    help: 'fsync/fdatasync latency of the Raft storage, by what was synced (log, hardstate, snapshot, dir)',
    labelNames: ['what'],
    buckets: [0.0001, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
    registers: [registry],
  });
  return {
    synced: (what, seconds) => fsync.observe({ what }, seconds),
    attach(n) {
      node = n;
      let leader = n.leader;
      n.on('role', (_role, l) => {
        if (l !== null && l !== leader) leaderChanges.inc();
        leader = l;
      });
      n.on('snapshot', (_index, seconds, bytes) => {
        snapshots.inc();
        snapshotSeconds.observe(seconds);
        snapshotBytes.set(bytes);
      });
    },
  };
}
