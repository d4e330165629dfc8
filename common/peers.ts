// The masters of a Raft group as flags give them: `m1=host:port,m2=host:port,…` (--peers, GODFS_MASTER_PEERS).
import { parseHostPort } from './net.js';

export interface PeerSpec {
  id: string;
  address: string;
}

/** Member ids: what `godfs admin raft` and logs name a master by. */
export const MEMBER_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

/** Parses a peer list; throws an Error naming the bad entry. */
export function parsePeers(text: string): PeerSpec[] {
  const out: PeerSpec[] = [];
  for (const raw of text.split(',')) {
    const item = raw.trim();
    const eq = item.indexOf('=');
    if (eq <= 0) throw new Error(`expected id=host:port, got ${JSON.stringify(item)}`);
    const id = item.slice(0, eq).trim();
    const address = item.slice(eq + 1).trim();
    if (!MEMBER_ID.test(id)) throw new Error(`member id ${JSON.stringify(id)}: 1–64 characters of A–Z a–z 0–9 _ . - (starting with a letter or digit)`);
    const { port } = parseHostPort(address);
    if (port === 0) throw new Error(`${id}: a peer needs a fixed port, not 0`);
    if (out.some((p) => p.id === id)) throw new Error(`member id ${id} appears twice`);
    if (out.some((p) => p.address === address)) throw new Error(`address ${address} appears twice`);
    out.push({ id, address });
  }
  return out;
}
