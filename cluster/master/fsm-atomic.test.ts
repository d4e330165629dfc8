// apply() is atomic and hands out copies. For every command kind: commands that must be refused throw
// the right typed error and leave the encoded state (the snapshot encoding) byte-for-byte as it was;
// results are snapshots taken at apply time; and through a real MetaStore, a refused command leaves
// nothing in memory that a restart would not rebuild, and two concurrent commits each get their own
// result back.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AlreadyExistsError,
  GodfsError,
  InvalidArgumentError,
  InvalidPathError,
  IsADirectoryError,
  NotADirectoryError,
  NotEmptyError,
  NotFoundError,
  PreconditionFailedError,
} from '../../common/errors.js';
import { silentLogger } from '../../common/log.js';
import type { Command, WrittenExtent } from './commands.js';
import { totalLength } from './extents.js';
import { Fsm, PartialApplyError, type Inode } from './fsm.js';
import { MetaStore } from './meta-store.js';
import { encodeState } from './state-codec.js';

const T = 1_700_000_000_000;
const b64 = (s: string) => Buffer.from(s).toString('base64');
const w = (chunkId: number, length: number, version = 1): WrittenExtent => ({ extent: { chunkId, version, chunkOffset: 0, length }, replicaIds: ['n1'] });
type Cmd<K extends Command['op']> = Extract<Command, { op: K }>;

const mkdir = (path: string, parents = false): Cmd<'mkdir'> => ({ op: 'mkdir', path, parents, mode: 0, uid: 0, gid: 0, now: T });
const create = (path: string, extra: Partial<Cmd<'create'>> = {}): Cmd<'create'> => ({ op: 'create', path, exclusive: false, parents: false, mode: 0, uid: 0, gid: 0, now: T, ...extra });
const commit = (path: string, extents: WrittenExtent[], extra: Partial<Cmd<'commit'>> = {}): Cmd<'commit'> => ({
  op: 'commit', path, mode: 'replace', offset: 0, length: totalLength(extents.map((x) => x.extent)), etag: 'e', create: true, exclusive: false, ifMatch: '',
  setXattrs: false, modeBits: 0, parents: false, now: T, extents, ...extra,
});
const writeAt = (path: string, offset: number, extents: WrittenExtent[], extra: Partial<Cmd<'commit'>> = {}): Cmd<'commit'> =>
  commit(path, extents, { mode: 'write_at', offset, etag: '', create: false, ...extra });
const part = (uploadId: string, partNumber: number, extents: WrittenExtent[], extra: Partial<Cmd<'upload_part'>> = {}): Cmd<'upload_part'> => ({
  op: 'upload_part', uploadId, partNumber, extents, size: totalLength(extents.map((x) => x.extent)), etag: `p${partNumber}`, now: T, ...extra,
});
const complete = (uploadId: string, partNumbers: number[], extra: Partial<Cmd<'upload_complete'>> = {}): Cmd<'upload_complete'> => ({
  op: 'upload_complete', uploadId, partNumbers, etag: 'mp-etag', ifMatch: '', exclusive: false, now: T, ...extra,
});
const setattr = (path: string, extra: Partial<Cmd<'setattr'>> = {}): Cmd<'setattr'> => ({ op: 'setattr', path, now: T, ...extra });

/** A never-allocated chunk id (chunk ids below 100 are reserved in the populated state). */
const UNALLOCATED = 5000;

/**
 * A state with something of every kind: nested directories, files over chunks, a symlink, an empty
 * file and directory, garbage, uploads (one per completion failure mode), an access key, a draining
 * node and an extra replica.
 */
function populatedCommands(): Command[] {
  return [
    { op: 'init', clusterId: 'cluster-1' },
    { op: 'reserve_ids', upTo: 100 },
    mkdir('/d/sub', true),
    commit('/d/f', [w(1, 100)], { etag: 'etag-f' }),
    commit('/g', [w(2, 10)]),
    commit('/g', [w(3, 10)], { etag: 'etag-g' }), // chunk 2 is garbage now
    create('/link', { target: '/g' }),
    create('/empty'),
    mkdir('/emptydir'),
    { op: 'upload_create', uploadId: 'u1', path: '/d/up', xattrs: { 'content-type': b64('text/plain') }, now: T },
    part('u1', 1, [w(4, 10)]),
    part('u1', 2, [w(5, 10)]),
    // u2 targets an existing file (guards at completion).
    { op: 'upload_create', uploadId: 'u2', path: '/g', xattrs: {}, now: T },
    part('u2', 1, [w(6, 10)]),
    // u3's target becomes a directory, u4's parent a file, after the uploads were created.
    { op: 'upload_create', uploadId: 'u3', path: '/d/later', xattrs: {}, now: T },
    part('u3', 1, [w(7, 10)]),
    mkdir('/d/later'),
    { op: 'upload_create', uploadId: 'u4', path: '/h/x', xattrs: {}, now: T },
    part('u4', 1, [w(8, 10)]),
    commit('/h', [w(9, 10)]),
    { op: 'key_create', accessKeyId: 'AK1', secretKey: 'secret-1', buckets: ['d'], readOnly: false, description: 'k', now: T },
    { op: 'node_drain', nodeId: 'n9', draining: true },
    { op: 'replica_add', chunkId: 1, version: 1, nodeId: 'n2' },
  ];
}

function populated(): Fsm {
  const fsm = new Fsm();
  populatedCommands().forEach((c, i) => fsm.apply(c, i + 1));
  return fsm;
}

type ErrorClass = new (message?: string) => GodfsError;
interface Refusal<K extends Command['op']> {
  why: string;
  cmd: Cmd<K>;
  error: ErrorClass;
}

// Keyed by every op of the Command union: a new command kind does not compile until it has its cases.
const refusals: { [K in Command['op']]: Array<Refusal<K>> } = {
  init: [{ why: 'an empty cluster id', cmd: { op: 'init', clusterId: '' }, error: InvalidArgumentError }],
  reserve_ids: [
    { why: 'a NaN limit', cmd: { op: 'reserve_ids', upTo: NaN }, error: InvalidArgumentError },
    { why: 'a fractional limit', cmd: { op: 'reserve_ids', upTo: 200.5 }, error: InvalidArgumentError },
    { why: 'a zero limit', cmd: { op: 'reserve_ids', upTo: 0 }, error: InvalidArgumentError },
  ],
  mkdir: [
    { why: 'a missing parent without parents', cmd: mkdir('/nope/x'), error: NotFoundError },
    { why: 'an existing directory without parents', cmd: mkdir('/d'), error: AlreadyExistsError },
    { why: 'a file at the path', cmd: mkdir('/d/f'), error: AlreadyExistsError },
    { why: 'a file on the way, with parents (would make nothing)', cmd: mkdir('/d/f/x/y', true), error: NotADirectoryError },
    { why: 'the root without parents', cmd: mkdir('/'), error: AlreadyExistsError },
    { why: 'a relative path', cmd: mkdir('rel'), error: InvalidPathError },
  ],
  create: [
    { why: 'a missing parent without parents', cmd: create('/nope/x'), error: NotFoundError },
    { why: 'exclusive over a file', cmd: create('/d/f', { exclusive: true }), error: AlreadyExistsError },
    { why: 'a directory at the path', cmd: create('/d'), error: IsADirectoryError },
    { why: 'a symlink over a file', cmd: create('/g', { target: '/d/f' }), error: AlreadyExistsError },
    { why: 'a file on the way, with parents', cmd: create('/d/f/x/y', { parents: true }), error: NotADirectoryError },
    { why: 'the root', cmd: create('/'), error: InvalidArgumentError },
    { why: 'an empty segment', cmd: create('/d//x'), error: InvalidPathError },
  ],
  delete: [
    { why: 'a missing path', cmd: { op: 'delete', path: '/nope', recursive: false, now: T }, error: NotFoundError },
    { why: 'a missing parent', cmd: { op: 'delete', path: '/nope/x', recursive: true, now: T }, error: NotFoundError },
    { why: 'a non-empty directory without recursive', cmd: { op: 'delete', path: '/d', recursive: false, now: T }, error: NotEmptyError },
    { why: 'a directory with onlyFile', cmd: { op: 'delete', path: '/emptydir', recursive: false, onlyFile: true, now: T }, error: IsADirectoryError },
    { why: 'a file with onlyDir', cmd: { op: 'delete', path: '/g', recursive: false, onlyDir: true, now: T }, error: NotADirectoryError },
    { why: 'the root', cmd: { op: 'delete', path: '/', recursive: true, now: T }, error: InvalidArgumentError },
    { why: 'a path through a file', cmd: { op: 'delete', path: '/g/x', recursive: false, now: T }, error: NotADirectoryError },
  ],
  rename: [
    { why: 'a missing source', cmd: { op: 'rename', from: '/nope', to: '/x', noReplace: false, now: T }, error: NotFoundError },
    { why: 'a directory into its own subtree', cmd: { op: 'rename', from: '/d', to: '/d/sub/x', noReplace: false, now: T }, error: InvalidArgumentError },
    { why: 'a file over a directory', cmd: { op: 'rename', from: '/g', to: '/emptydir', noReplace: false, now: T }, error: IsADirectoryError },
    { why: 'a directory over a file', cmd: { op: 'rename', from: '/emptydir', to: '/g', noReplace: false, now: T }, error: NotADirectoryError },
    { why: 'noReplace over a file', cmd: { op: 'rename', from: '/g', to: '/empty', noReplace: true, now: T }, error: AlreadyExistsError },
    { why: 'a directory over a non-empty one', cmd: { op: 'rename', from: '/emptydir', to: '/d', noReplace: false, now: T }, error: NotEmptyError },
    { why: 'a missing target parent', cmd: { op: 'rename', from: '/g', to: '/nope/x', noReplace: false, now: T }, error: NotFoundError },
    { why: 'a target below a file', cmd: { op: 'rename', from: '/g', to: '/d/f/x', noReplace: false, now: T }, error: NotADirectoryError },
    { why: 'the root', cmd: { op: 'rename', from: '/', to: '/x', noReplace: false, now: T }, error: InvalidArgumentError },
  ],
  setattr: [
    { why: 'a missing path', cmd: setattr('/nope', { mode: 0o600 }), error: NotFoundError },
    { why: 'a path through a file', cmd: setattr('/g/x', { mode: 0o600 }), error: NotADirectoryError },
    { why: 'a relative path', cmd: setattr('rel', { setXattrs: { a: b64('1') } }), error: InvalidPathError },
  ],
  truncate: [
    { why: 'a missing path', cmd: { op: 'truncate', path: '/nope', size: 1, now: T }, error: NotFoundError },
    { why: 'a directory', cmd: { op: 'truncate', path: '/d', size: 1, now: T }, error: IsADirectoryError },
    { why: 'a symlink', cmd: { op: 'truncate', path: '/link', size: 1, now: T }, error: InvalidArgumentError },
    { why: 'a negative size', cmd: { op: 'truncate', path: '/g', size: -1, now: T }, error: InvalidArgumentError },
    { why: 'a NaN size', cmd: { op: 'truncate', path: '/g', size: NaN, now: T }, error: InvalidArgumentError },
  ],
  commit: [
    // replace
    { why: 'replace: a new file over one valid and one never-allocated chunk', cmd: commit('/new', [w(11, 10), w(UNALLOCATED, 10)]), error: InvalidArgumentError },
    { why: 'replace: the same, making parents', cmd: commit('/a/b/new', [w(11, 10), w(UNALLOCATED, 10)], { parents: true }), error: InvalidArgumentError },
    { why: 'replace: an existing file, with a never-allocated chunk', cmd: commit('/g', [w(11, 10), w(UNALLOCATED, 10)]), error: InvalidArgumentError },
    { why: 'replace: a committed chunk at another version', cmd: commit('/new', [w(11, 10), w(1, 10, 2)]), error: InvalidArgumentError },
    { why: 'replace: one chunk at two versions', cmd: commit('/new', [w(11, 10), w(11, 10, 2)]), error: InvalidArgumentError },
    { why: 'replace: lengths that do not add up', cmd: commit('/new', [w(11, 10)], { length: 11 }), error: InvalidArgumentError },
    { why: 'replace: exclusive over a file', cmd: commit('/g', [w(11, 10)], { exclusive: true }), error: PreconditionFailedError },
    { why: 'replace: a wrong if-match', cmd: commit('/g', [w(11, 10)], { ifMatch: 'nope' }), error: PreconditionFailedError },
    { why: 'replace: if-match on a missing file', cmd: commit('/new', [w(11, 10)], { ifMatch: 'etag-g' }), error: PreconditionFailedError },
    { why: 'replace: a directory', cmd: commit('/d', [w(11, 10)]), error: IsADirectoryError },
    { why: 'replace: a symlink', cmd: commit('/link', [w(11, 10)]), error: InvalidArgumentError },
    { why: 'replace: a missing parent without parents', cmd: commit('/nope/new', [w(11, 10)]), error: NotFoundError },
    { why: 'replace: a file on the way, with parents', cmd: commit('/d/f/x/new', [w(11, 10)], { parents: true }), error: NotADirectoryError },
    { why: 'replace: a missing file without create', cmd: commit('/new', [w(11, 10)], { create: false }), error: NotFoundError },
    { why: 'replace: parents below a missing directory', cmd: commit('/nope/a/new', [w(11, 10)], { parents: true, parentsBelow: '/nope' }), error: NotFoundError },
    { why: 'replace: a path outside parentsBelow', cmd: commit('/z/a/new', [w(11, 10)], { parents: true, parentsBelow: '/d' }), error: InvalidArgumentError },
    // write_at
    { why: 'write_at: one valid and one never-allocated chunk', cmd: writeAt('/g', 5, [w(11, 10), w(UNALLOCATED, 10)]), error: InvalidArgumentError },
    { why: 'write_at: a committed chunk at another version', cmd: writeAt('/g', 5, [w(3, 10, 7)]), error: InvalidArgumentError },
    { why: 'write_at: a missing file without create', cmd: writeAt('/nope', 0, [w(11, 10)]), error: NotFoundError },
    { why: 'write_at: a directory', cmd: writeAt('/d', 0, [w(11, 10)], { create: true }), error: IsADirectoryError },
    { why: 'write_at: a negative offset', cmd: writeAt('/g', -1, [w(11, 10)]), error: InvalidArgumentError },
    { why: 'write_at: lengths that do not add up', cmd: writeAt('/g', 0, [w(11, 10)], { length: 3 }), error: InvalidArgumentError },
  ],
  upload_create: [
    { why: 'an upload id in use', cmd: { op: 'upload_create', uploadId: 'u1', path: '/d/other', xattrs: {}, now: T }, error: AlreadyExistsError },
    { why: 'a file as the parent', cmd: { op: 'upload_create', uploadId: 'u9', path: '/d/f/x', xattrs: {}, now: T }, error: NotADirectoryError },
    { why: 'a file further up', cmd: { op: 'upload_create', uploadId: 'u9', path: '/d/f/x/y', xattrs: {}, now: T }, error: NotADirectoryError },
    { why: 'a directory at the path', cmd: { op: 'upload_create', uploadId: 'u9', path: '/emptydir', xattrs: {}, now: T }, error: IsADirectoryError },
    { why: 'the root', cmd: { op: 'upload_create', uploadId: 'u9', path: '/', xattrs: {}, now: T }, error: IsADirectoryError },
    { why: 'a symlink at the path', cmd: { op: 'upload_create', uploadId: 'u9', path: '/link', xattrs: {}, now: T }, error: InvalidArgumentError },
    { why: 'a relative path', cmd: { op: 'upload_create', uploadId: 'u9', path: 'rel', xattrs: {}, now: T }, error: InvalidPathError },
    { why: 'an empty upload id', cmd: { op: 'upload_create', uploadId: '', path: '/d/new', xattrs: {}, now: T }, error: InvalidArgumentError },
  ],
  upload_part: [
    { why: 'a missing upload', cmd: part('nope', 1, [w(11, 10)]), error: NotFoundError },
    { why: 'part number 0', cmd: part('u1', 0, [w(11, 10)]), error: InvalidArgumentError },
    { why: 'part number 10001', cmd: part('u1', 10001, [w(11, 10)]), error: InvalidArgumentError },
    { why: 'a new part over one valid and one never-allocated chunk', cmd: part('u1', 3, [w(11, 10), w(UNALLOCATED, 10)]), error: InvalidArgumentError },
    { why: 'a replacement part with a never-allocated chunk (the old part stays)', cmd: part('u1', 1, [w(11, 10), w(UNALLOCATED, 10)]), error: InvalidArgumentError },
    { why: 'a chunk at another version', cmd: part('u1', 3, [w(4, 10, 2)]), error: InvalidArgumentError },
    { why: 'a size that does not add up', cmd: part('u1', 3, [w(11, 10)], { size: 12 }), error: InvalidArgumentError },
  ],
  upload_complete: [
    { why: 'a missing upload', cmd: complete('nope', [1]), error: NotFoundError },
    { why: 'a part that was not uploaded', cmd: complete('u1', [1, 3]), error: InvalidArgumentError },
    { why: 'exclusive over an existing file', cmd: complete('u2', [1], { exclusive: true }), error: PreconditionFailedError },
    { why: 'a wrong if-match', cmd: complete('u2', [1], { ifMatch: 'nope' }), error: PreconditionFailedError },
    { why: 'if-match on a missing file', cmd: complete('u1', [1, 2], { ifMatch: 'etag-g' }), error: PreconditionFailedError },
    { why: 'a target that became a directory', cmd: complete('u3', [1]), error: IsADirectoryError },
    { why: 'a parent that became a file', cmd: complete('u4', [1]), error: NotADirectoryError },
  ],
  upload_abort: [{ why: 'a missing upload', cmd: { op: 'upload_abort', uploadId: 'nope', now: T }, error: NotFoundError }],
  gc_done: [
    { why: 'a negative id next to a garbage one', cmd: { op: 'gc_done', chunkIds: [2, -1] }, error: InvalidArgumentError },
    { why: 'a fractional id next to a garbage one', cmd: { op: 'gc_done', chunkIds: [2, 1.5] }, error: InvalidArgumentError },
    { why: 'the hole id next to a garbage one', cmd: { op: 'gc_done', chunkIds: [2, 0] }, error: InvalidArgumentError },
  ],
  replica_add: [
    { why: 'an unknown chunk', cmd: { op: 'replica_add', chunkId: 99, version: 1, nodeId: 'n3' }, error: NotFoundError },
    { why: 'a garbage chunk', cmd: { op: 'replica_add', chunkId: 2, version: 1, nodeId: 'n3' }, error: NotFoundError },
    { why: 'another version', cmd: { op: 'replica_add', chunkId: 1, version: 2, nodeId: 'n3' }, error: InvalidArgumentError },
    { why: 'an empty node id', cmd: { op: 'replica_add', chunkId: 1, version: 1, nodeId: '' }, error: InvalidArgumentError },
  ],
  replica_remove: [
    { why: 'an unknown chunk', cmd: { op: 'replica_remove', chunkId: 99, nodeIds: ['n1'] }, error: NotFoundError },
    { why: 'a garbage chunk', cmd: { op: 'replica_remove', chunkId: 2, nodeIds: ['n1'] }, error: NotFoundError },
  ],
  node_drain: [
    { why: 'an empty node id (drain)', cmd: { op: 'node_drain', nodeId: '', draining: true }, error: InvalidArgumentError },
    { why: 'an empty node id (undrain)', cmd: { op: 'node_drain', nodeId: '', draining: false }, error: InvalidArgumentError },
  ],
  key_create: [
    { why: 'an existing key', cmd: { op: 'key_create', accessKeyId: 'AK1', secretKey: 'other', buckets: [], readOnly: true, description: '', now: T }, error: AlreadyExistsError },
    { why: 'an empty key id', cmd: { op: 'key_create', accessKeyId: '', secretKey: 'other', buckets: [], readOnly: true, description: '', now: T }, error: InvalidArgumentError },
  ],
  key_revoke: [{ why: 'an unknown key', cmd: { op: 'key_revoke', accessKeyId: 'nope' }, error: NotFoundError }],
};

/** Byte-for-byte equality of two encoded states; on a difference, a structural diff of the two. */
function assertSameState(after: string, before: string, message: string): void {
  if (after !== before) assert.deepEqual(JSON.parse(after), JSON.parse(before), message);
  assert.equal(after, before, message);
}

/** Applies `cmd` expecting a refusal of type `error`. */
function assertRefused(fsm: Fsm, cmd: Command, error: ErrorClass, why: string): void {
  const expected = new error().name;
  assert.throws(
    () => fsm.apply(cmd, fsm.appliedIndex + 1),
    (err: unknown) => {
      assert.ok(err instanceof error, `${why}: expected ${expected}, got ${String(err)}`);
      return true;
    },
  );
}

describe('master state machine: atomic apply', () => {
  it('the table covers every command kind, commit in both modes', () => {
    const ops = Object.keys(refusals).sort();
    // Every op of the union is a key (the type above); each has at least one case of its own op.
    for (const op of ops) {
      const cases = refusals[op as Command['op']] as Array<Refusal<Command['op']>>;
      assert.ok(cases.length > 0, `no refusal cases for ${op}`);
      for (const c of cases) assert.equal(c.cmd.op, op, `${c.why} is filed under ${op}`);
    }
    // The type makes the keys exactly the union's ops; this spells them out for the reader.
    const expected = ['init', 'reserve_ids', 'mkdir', 'create', 'delete', 'rename', 'setattr', 'truncate', 'commit', 'upload_create', 'upload_part', 'upload_complete', 'upload_abort', 'gc_done', 'replica_add', 'replica_remove', 'node_drain', 'key_create', 'key_revoke'];
    assert.deepEqual(ops, expected.sort());
    assert.deepEqual([...new Set(refusals.commit.map((c) => c.cmd.mode))].sort(), ['replace', 'write_at']);
  });

  it('the state codec encodes every field of the state machine', () => {
    // The byte comparison below sees only what encodeState writes; a new field must be added there.
    assert.deepEqual(Object.keys(new Fsm()).sort(), ['appliedIndex', 'chunkIdLimit', 'chunks', 'clusterId', 'dirs', 'draining', 'garbage', 'inodes', 'keys', 'nextInodeId', 'sessions', 'uploads']);
  });

  it('the populated state is what the cases assume', () => {
    const fsm = populated();
    assert.equal(fsm.garbage.has(2), true);
    assert.equal(fsm.chunks.get(1)?.refs, 1);
    assert.deepEqual(fsm.chunks.get(1)?.replicas, ['n1', 'n2']);
    assert.deepEqual([...fsm.uploads.keys()], ['u1', 'u2', 'u3', 'u4']);
    assert.equal(fsm.resolve('/d/later').type, 'dir');
    assert.equal(fsm.resolve('/h').type, 'file');
    assert.equal(fsm.resolve('/link').type, 'symlink');
  });

  for (const op of Object.keys(refusals) as Array<Command['op']>) {
    describe(op, () => {
      for (const r of refusals[op] as Array<Refusal<Command['op']>>) {
        it(`refuses ${r.why} with ${new r.error().name}, changing nothing`, () => {
          const fsm = populated();
          const before = encodeState(fsm);
          assertRefused(fsm, r.cmd, r.error, r.why);
          assertSameState(encodeState(fsm), before, `${r.why}: the refused command changed the state`);
        });
      }
    });
  }
});

/** Overwrites every field of `v`, recursively: a caller scribbling on a result it was handed. */
function scribble(v: unknown): void {
  if (Array.isArray(v)) {
    for (const x of v) scribble(x);
    v.push('scribbled');
  } else if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    for (const k of Object.keys(o)) {
      if (o[k] !== null && typeof o[k] === 'object') scribble(o[k]);
      else o[k] = typeof o[k] === 'number' ? -12345 : 'scribbled';
    }
    o.scribbled = true;
  }
}

describe('master state machine: results are snapshots', () => {
  // Each command's result, then later commands that change the very objects it describes.
  const cases: Array<{ why: string; cmd: Command; later: Command[] }> = [
    { why: 'mkdir', cmd: mkdir('/d/new'), later: [mkdir('/d/new/x'), setattr('/d/new', { mode: 0o700, setXattrs: { a: b64('1') } })] },
    { why: 'mkdir -p of an existing directory', cmd: mkdir('/d', true), later: [mkdir('/d/new'), setattr('/d', { setXattrs: { a: b64('1') } })] },
    { why: 'create', cmd: create('/d/c'), later: [commit('/d/c', [w(11, 10)], { etag: 'later' })] },
    { why: 'create of an existing file', cmd: create('/g'), later: [commit('/g', [w(11, 10)], { etag: 'later' })] },
    { why: 'setattr', cmd: setattr('/g', { setXattrs: { a: b64('1') } }), later: [setattr('/g', { setXattrs: { a: b64('2'), b: b64('3') } }), commit('/g', [w(11, 10)], { etag: 'later' })] },
    { why: 'truncate', cmd: { op: 'truncate', path: '/g', size: 5, now: T }, later: [writeAt('/g', 0, [w(11, 20)])] },
    { why: 'commit (replace)', cmd: commit('/g', [w(11, 10)], { etag: 'first', setXattrs: true, xattrs: { a: b64('1') } }), later: [commit('/g', [w(12, 20)], { etag: 'second', setXattrs: true, xattrs: { a: b64('2') } })] },
    { why: 'commit (write_at)', cmd: writeAt('/g', 2, [w(11, 4)]), later: [writeAt('/g', 0, [w(12, 30)]), setattr('/g', { setXattrs: { a: b64('1') } })] },
    { why: 'upload_create', cmd: { op: 'upload_create', uploadId: 'u9', path: '/d/u9', xattrs: { a: b64('1') }, now: T }, later: [part('u9', 1, [w(11, 10)]), { op: 'upload_abort', uploadId: 'u9', now: T + 1 }] },
    { why: 'upload_part', cmd: part('u1', 3, [w(11, 10)]), later: [part('u1', 3, [w(12, 10)], { etag: 'again' }), { op: 'upload_abort', uploadId: 'u1', now: T + 1 }] },
    { why: 'upload_complete', cmd: complete('u1', [1, 2]), later: [commit('/d/up', [w(11, 10)], { etag: 'later' }), setattr('/d/up', { replaceXattrs: true })] },
    { why: 'key_create', cmd: { op: 'key_create', accessKeyId: 'AK2', secretKey: 's', buckets: ['x'], readOnly: false, description: '', now: T }, later: [{ op: 'key_revoke', accessKeyId: 'AK2' }] },
    { why: 'replica_add', cmd: { op: 'replica_add', chunkId: 1, version: 1, nodeId: 'n3' }, later: [{ op: 'replica_add', chunkId: 1, version: 1, nodeId: 'n4' }, { op: 'replica_remove', chunkId: 1, nodeIds: ['n1'] }] },
    { why: 'replica_remove', cmd: { op: 'replica_remove', chunkId: 1, nodeIds: ['n2'] }, later: [{ op: 'replica_add', chunkId: 1, version: 1, nodeId: 'n4' }] },
  ];

  for (const c of cases) {
    it(`${c.why}: later commands do not show in the result`, () => {
      const fsm = populated();
      const result = fsm.apply(c.cmd, fsm.appliedIndex + 1);
      assert.ok(result !== null && typeof result === 'object', 'an object result');
      const seen = JSON.stringify(result);
      for (const l of c.later) fsm.apply(l, fsm.appliedIndex + 1);
      assert.equal(JSON.stringify(result), seen, 'the result changed after later commands');
    });

    it(`${c.why}: writing to the result changes no state`, () => {
      const fsm = populated();
      const result = fsm.apply(c.cmd, fsm.appliedIndex + 1);
      const state = encodeState(fsm);
      scribble(result);
      assertSameState(encodeState(fsm), state, 'writing to the result changed the state');
    });
  }
});

describe('master durable state: refused commands and results', () => {
  let dir: string;
  beforeEach(async () => (dir = await mkdtemp(join(tmpdir(), 'godfs-atomic-'))));
  afterEach(async () => rm(dir, { recursive: true, force: true }));

  it('after good and refused commands, a restart (snapshot + log) rebuilds exactly the state in memory', async () => {
    let s = await MetaStore.open(dir, { logger: silentLogger });
    const good: Command[] = [
      { op: 'init', clusterId: 'c' },
      { op: 'reserve_ids', upTo: 100 },
      mkdir('/a'),
      commit('/a/f', [w(1, 10)]),
      { op: 'upload_create', uploadId: 'u1', path: '/a/up/x', xattrs: {}, now: T },
      part('u1', 1, [w(4, 10)]),
    ];
    const refused: Command[] = [
      commit('/a/g', [w(2, 10), w(UNALLOCATED, 10)]), // chunk 2 must not enter the chunk map
      commit('/b/c/g', [w(3, 10), w(UNALLOCATED, 10)], { parents: true }), // nor /b, /b/c
      part('u1', 1, [w(5, 10), w(UNALLOCATED, 10)]), // part 1 (chunk 4) stays
      mkdir('/a'),
      { op: 'upload_create', uploadId: 'u2', path: '/a/f/x', xattrs: {}, now: T },
      { op: 'key_revoke', accessKeyId: 'nope' },
    ];
    for (const c of good) await s.propose(c);
    for (const c of refused) await assert.rejects(s.propose(c), GodfsError);
    await s.snapshot();
    // After the snapshot: the tail of the log, refusals in between again.
    await s.propose(writeAt('/a/f', 5, [w(6, 10)]));
    await assert.rejects(s.propose(writeAt('/a/f', 0, [w(7, 10), w(UNALLOCATED, 1)])), GodfsError);
    await assert.rejects(s.propose(complete('u1', [1, 2])), GodfsError);
    await s.propose(complete('u1', [1]));
    await assert.rejects(s.propose({ op: 'upload_abort', uploadId: 'u1', now: T }), GodfsError);
    const memory = encodeState(s.fsm);
    await s.close();
    s = await MetaStore.open(dir, { logger: silentLogger });
    assertSameState(encodeState(s.fsm), memory, 'the restarted state differs from the state in memory');
    assert.equal(s.index, good.length + 2);
    assert.equal(s.fsm.chunks.has(2), false);
    assert.equal(s.fsm.chunks.has(3), false);
    assert.throws(() => s.fsm.resolve('/b'), NotFoundError);
    await s.close();
  });

  it('two concurrent commits to one path each get their own ETag back', async () => {
    const s = await MetaStore.open(dir, { logger: silentLogger });
    await s.propose({ op: 'reserve_ids', upTo: 100 });
    // Both are applied at once; the first resolves only after its fsync, once the second has been applied.
    const [a, b] = (await Promise.all([s.propose(commit('/f', [w(1, 10)], { etag: 'etag-a' })), s.propose(commit('/f', [w(2, 20)], { etag: 'etag-b' }))])) as Inode[];
    assert.equal(a!.etag, 'etag-a');
    assert.equal(a!.size, 10);
    assert.equal(b!.etag, 'etag-b');
    assert.equal(b!.size, 20);
    assert.equal(b!.gen, a!.gen + 1);
    await s.close();
  });

  it('a command that fails part-way through its changes stops the store: not logged, nothing more applied', async () => {
    const fatal: unknown[] = [];
    let s = await MetaStore.open(dir, { logger: silentLogger, onFatal: (err) => fatal.push(err) });
    await s.propose(mkdir('/a'));
    // Break the state behind apply()'s back, so that a setattr passes its checks and then fails.
    (s.fsm.resolve('/a') as unknown as { xattrs: unknown }).xattrs = null;
    await assert.rejects(s.propose(setattr('/a', { removeXattrs: ['x'] })), PartialApplyError);
    assert.equal(fatal.length, 1);
    assert.ok(fatal[0] instanceof PartialApplyError);
    await assert.rejects(s.propose(mkdir('/b')), PartialApplyError);
    await assert.rejects(s.snapshot(), PartialApplyError);
    assert.equal(s.index, 1);
    await s.close();
    s = await MetaStore.open(dir, { logger: silentLogger });
    assert.equal(s.index, 1);
    assert.deepEqual(s.fsm.resolve('/a').xattrs, {});
    assert.throws(() => s.fsm.resolve('/b'), NotFoundError);
    await s.close();
  });
});
