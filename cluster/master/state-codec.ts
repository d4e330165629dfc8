// Snapshot encoding of the master state machine: plain JSON (directories as [name, id] lists in
// order, so decoding rebuilds each B-tree by appending sorted keys).
import { BTree } from '../../common/btree.js';
import { compareUtf8 } from '../../common/utf8.js';
import { Fsm, type AccessKeyRecord, type ChunkRecord, type Inode, type PartRecord } from './fsm.js';

interface Encoded {
  v: 1;
  clusterId: string;
  nextInodeId: number;
  chunkIdLimit: number;
  appliedIndex: number;
  inodes: Inode[];
  dirs: Array<[number, Array<[string, number]>]>;
  chunks: Array<[number, ChunkRecord]>;
  garbage: Array<[number, { replicas: string[]; sinceMs: number }]>;
  uploads: Array<[string, { path: string; createdMs: number; xattrs: Record<string, string>; parts: Array<[number, PartRecord]> }]>;
  keys?: Array<[string, AccessKeyRecord]>;
  draining?: string[];
}

export function encodeState(fsm: Fsm): string {
  const enc: Encoded = {
    v: 1,
    clusterId: fsm.clusterId,
    nextInodeId: fsm.nextInodeId,
    chunkIdLimit: fsm.chunkIdLimit,
    appliedIndex: fsm.appliedIndex,
    inodes: [...fsm.inodes.values()],
    dirs: [...fsm.dirs].map(([id, tree]) => [id, tree.toArray()]),
    chunks: [...fsm.chunks],
    garbage: [...fsm.garbage],
    uploads: [...fsm.uploads].map(([id, u]) => [id, { path: u.path, createdMs: u.createdMs, xattrs: u.xattrs, parts: [...u.parts] }]),
    keys: [...fsm.keys],
    draining: [...fsm.draining],
  };
  return JSON.stringify(enc);
}

export function decodeState(json: string): Fsm {
  const enc = JSON.parse(json) as Encoded;
  if (enc.v !== 1) throw new Error(`unknown snapshot version ${String(enc.v)}`);
  const fsm = new Fsm();
  fsm.inodes.clear();
  fsm.dirs.clear();
  fsm.clusterId = enc.clusterId;
  fsm.nextInodeId = enc.nextInodeId;
  fsm.chunkIdLimit = enc.chunkIdLimit;
  fsm.appliedIndex = enc.appliedIndex;
  for (const ino of enc.inodes) fsm.inodes.set(ino.id, ino);
  for (const [id, entries] of enc.dirs) fsm.dirs.set(id, new BTree<string, number>(entries, compareUtf8));
  fsm.chunks = new Map(enc.chunks);
  fsm.garbage = new Map(enc.garbage);
  fsm.uploads = new Map(enc.uploads.map(([id, u]) => [id, { path: u.path, createdMs: u.createdMs, xattrs: u.xattrs, parts: new Map(u.parts) }]));
  fsm.keys = new Map(enc.keys ?? []);
  fsm.draining = new Set(enc.draining ?? []);
  return fsm;
}
