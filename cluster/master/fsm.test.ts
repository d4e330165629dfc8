import assert from 'node:assert/strict';
import { Fsm, ROOT_ID } from './fsm.js';
import type { Command } from './commands.js';
import { decodeState, encodeState } from './state-codec.js';

let idx = 0;
const t = 1_700_000_000_000;
function run(fsm: Fsm, cmd: Command): unknown {
  return fsm.apply(cmd, ++idx);
}
const mkdir = (path: string, parents = false): Command => ({ op: 'mkdir', path, parents, mode: 0, uid: 0, gid: 0, now: t });
const create = (path: string, exclusive = false): Command => ({ op: 'create', path, exclusive, parents: false, mode: 0, uid: 0, gid: 0, now: t });
const commit = (path: string, chunkId: number, length: number, extra: Partial<Extract<Command, { op: 'commit' }>> = {}): Command => ({
  op: 'commit', path, mode: 'replace', offset: 0, length, etag: 'e', create: true, exclusive: false, ifMatch: '', setXattrs: false, modeBits: 0, parents: false, now: t,
  extents: length ? [{ extent: { chunkId, version: 1, chunkOffset: 0, length }, replicaIds: ['n1'] }] : [], ...extra,
});

function throwsCode(fn: () => unknown, code: string) {
  assert.throws(fn, (e: { code?: string }) => e.code === code, `expected ${code}`);
}

describe('master state machine', () => {
  let fsm: Fsm;
  beforeEach(() => {
    fsm = new Fsm();
    run(fsm, { op: 'reserve_ids', upTo: 1000 });
  });

  it('creates directories with and without parents', () => {
    throwsCode(() => run(fsm, mkdir('/a/b')), 'not_found');
    run(fsm, mkdir('/a/b', true));
    assert.equal(fsm.resolve('/a/b').type, 'dir');
    throwsCode(() => run(fsm, mkdir('/a')), 'already_exists');
    run(fsm, mkdir('/a', true)); // -p on an existing dir is fine
  });

  it('refuses mkdir over a file and paths through a file, without partial effects', () => {
    run(fsm, create('/f'));
    throwsCode(() => run(fsm, mkdir('/f')), 'already_exists');
    const before = fsm.inodes.size;
    throwsCode(() => run(fsm, mkdir('/f/x/y', true)), 'not_a_directory');
    assert.equal(fsm.inodes.size, before);
  });

  it('lists in UTF-8 byte order with a cursor', () => {
    for (const n of ['b', 'a', '\u{1F600}', '\uFFFD', 'c']) run(fsm, create(`/${n}`));
    const all = fsm.list('/', 10, '').entries.map(([n]) => n);
    assert.deepEqual(all, ['a', 'b', 'c', '\uFFFD', '\u{1F600}']);
    const page1 = fsm.list('/', 2, '');
    assert.deepEqual(page1.entries.map(([n]) => n), ['a', 'b']);
    assert.equal(page1.more, true);
    const page2 = fsm.list('/', 2, 'b');
    assert.deepEqual(page2.entries.map(([n]) => n), ['c', '\uFFFD']);
    const page3 = fsm.list('/', 2, '\uFFFD');
    assert.deepEqual(page3.entries.map(([n]) => n), ['\u{1F600}']);
    assert.equal(page3.more, false);
  });

  it('deletes: refuses a non-empty directory unless recursive, and frees the chunks below', () => {
    run(fsm, mkdir('/d/e', true));
    run(fsm, commit('/d/e/f', 5, 100));
    throwsCode(() => run(fsm, { op: 'delete', path: '/d', recursive: false, now: t }), 'not_empty');
    assert.equal(fsm.chunks.get(5)?.refs, 1);
    run(fsm, { op: 'delete', path: '/d', recursive: true, now: t + 1 });
    throwsCode(() => fsm.resolve('/d/e/f'), 'not_found');
    assert.equal(fsm.chunks.has(5), false);
    assert.deepEqual(fsm.garbage.get(5), { replicas: ['n1'], sinceMs: t + 1 });
  });

  it('renames a directory with its contents, atomically replacing a file target', () => {
    run(fsm, mkdir('/src/sub', true));
    run(fsm, commit('/src/sub/x', 7, 10));
    run(fsm, mkdir('/dst'));
    run(fsm, { op: 'rename', from: '/src', to: '/dst/moved', noReplace: false, now: t });
    assert.equal(fsm.resolve('/dst/moved/sub/x').size, 10);
    throwsCode(() => fsm.resolve('/src'), 'not_found');
    run(fsm, commit('/a', 8, 3));
    run(fsm, commit('/b', 9, 4));
    run(fsm, { op: 'rename', from: '/a', to: '/b', noReplace: false, now: t });
    assert.equal(fsm.resolve('/b').size, 3);
    assert.equal(fsm.chunks.has(9), false, 'the replaced file’s chunk is garbage');
  });

  it('refuses a rename into the own subtree, and type mismatches', () => {
    run(fsm, mkdir('/a/b', true));
    throwsCode(() => run(fsm, { op: 'rename', from: '/a', to: '/a/b/c', noReplace: false, now: t }), 'invalid_argument');
    run(fsm, create('/f'));
    throwsCode(() => run(fsm, { op: 'rename', from: '/f', to: '/a', noReplace: false, now: t }), 'is_a_directory');
    throwsCode(() => run(fsm, { op: 'rename', from: '/a', to: '/f', noReplace: false, now: t }), 'not_a_directory');
    throwsCode(() => run(fsm, { op: 'rename', from: '/missing', to: '/x', noReplace: false, now: t }), 'not_found');
    run(fsm, create('/g'));
    throwsCode(() => run(fsm, { op: 'rename', from: '/f', to: '/g', noReplace: true, now: t }), 'already_exists');
  });

  it('commit replace swaps content and keeps shared chunks referenced', () => {
    run(fsm, commit('/f', 1, 100));
    run(fsm, { op: 'commit', path: '/f', mode: 'write_at', offset: 10, length: 5, etag: '', create: false, exclusive: false, ifMatch: '', setXattrs: false, modeBits: 0, parents: false, now: t,
      extents: [{ extent: { chunkId: 2, version: 1, chunkOffset: 0, length: 5 }, replicaIds: ['n1'] }] });
    const f = fsm.resolve('/f');
    assert.equal(f.size, 100);
    assert.deepEqual(f.extents!.map((e) => [e.chunkId, e.chunkOffset, e.length]), [[1, 0, 10], [2, 0, 5], [1, 15, 85]]);
    assert.equal(fsm.chunks.get(1)?.refs, 2);
    run(fsm, commit('/f', 3, 1));
    assert.equal(fsm.chunks.has(1), false);
    assert.equal(fsm.chunks.has(2), false);
    assert.equal(fsm.resolve('/f').size, 1);
  });

  it('commit honours exclusive and if-match, and refuses a directory', () => {
    run(fsm, commit('/f', 1, 10, { etag: 'abc' }));
    throwsCode(() => run(fsm, commit('/f', 2, 10, { exclusive: true })), 'precondition_failed');
    throwsCode(() => run(fsm, commit('/f', 2, 10, { ifMatch: 'nope' })), 'precondition_failed');
    run(fsm, commit('/f', 2, 10, { ifMatch: 'abc' }));
    run(fsm, mkdir('/d'));
    throwsCode(() => run(fsm, commit('/d', 4, 10)), 'is_a_directory');
    throwsCode(() => run(fsm, commit('/nodir/f', 4, 10)), 'not_found');
    throwsCode(() => run(fsm, commit('/g', 5000, 10)), 'invalid_argument'); // never-allocated chunk id
  });

  it('truncates shorter and longer', () => {
    run(fsm, commit('/f', 1, 100));
    run(fsm, { op: 'truncate', path: '/f', size: 40, now: t });
    assert.equal(fsm.resolve('/f').size, 40);
    run(fsm, { op: 'truncate', path: '/f', size: 70, now: t });
    const f = fsm.resolve('/f');
    assert.equal(f.size, 70);
    assert.deepEqual(f.extents!.map((e) => [e.chunkId, e.length]), [[1, 40], [0, 30]]);
  });

  it('completes a multipart upload by splicing part extents, dropping unlisted parts', () => {
    run(fsm, { op: 'upload_create', uploadId: 'u1', path: '/m', xattrs: { 'content-type': Buffer.from('text/plain').toString('base64') }, now: t });
    for (const [n, chunk] of [[1, 11], [2, 12], [3, 13]] as const) {
      run(fsm, { op: 'upload_part', uploadId: 'u1', partNumber: n, size: 10, etag: `p${n}`, now: t, extents: [{ extent: { chunkId: chunk, version: 1, chunkOffset: 0, length: 10 }, replicaIds: ['n1'] }] });
    }
    run(fsm, { op: 'upload_complete', uploadId: 'u1', partNumbers: [1, 3], etag: 'x-2', ifMatch: '', exclusive: false, now: t });
    const m = fsm.resolve('/m');
    assert.equal(m.size, 20);
    assert.equal(m.etag, 'x-2');
    assert.deepEqual(m.extents!.map((e) => e.chunkId), [11, 13]);
    assert.equal(fsm.chunks.has(12), false, 'the unlisted part is garbage');
    assert.equal(fsm.chunks.get(11)?.refs, 1);
    assert.equal(fsm.uploads.size, 0);
    assert.equal(Buffer.from(m.xattrs['content-type']!, 'base64').toString(), 'text/plain');
  });

  describe('upload_create and the upload path', () => {
    const upload = (uploadId: string, path: string): Command => ({ op: 'upload_create', uploadId, path, xattrs: {}, now: t });
    const part = (uploadId: string, chunkId: number): Command => ({
      op: 'upload_part', uploadId, partNumber: 1, size: 10, etag: 'p1', now: t, extents: [{ extent: { chunkId, version: 1, chunkOffset: 0, length: 10 }, replicaIds: ['n1'] }],
    });
    const complete = (uploadId: string): Command => ({ op: 'upload_complete', uploadId, partNumbers: [1], etag: 'x-1', ifMatch: '', exclusive: false, now: t });

    it('accepts a path whose parent directories do not exist yet, and makes them at completion (as S3 keys need)', () => {
      run(fsm, mkdir('/bucket'));
      run(fsm, upload('u1', '/bucket/a/b/key'));
      throwsCode(() => fsm.resolve('/bucket/a'), 'not_found'); // nothing is made before completion
      run(fsm, part('u1', 11));
      run(fsm, complete('u1'));
      assert.equal(fsm.resolve('/bucket/a/b').type, 'dir');
      assert.equal(fsm.resolve('/bucket/a/b/key').size, 10);
    });

    it('refuses at once, changing nothing, a path that can never become a file as things stand', () => {
      run(fsm, commit('/file', 1, 10));
      run(fsm, mkdir('/dir'));
      run(fsm, { op: 'create', path: '/sym', exclusive: true, parents: false, mode: 0, uid: 0, gid: 0, now: t, target: '/file' });
      const before = encodeState(fsm);
      throwsCode(() => run(fsm, upload('u1', '/file/x')), 'not_a_directory'); // the parent is a file
      throwsCode(() => run(fsm, upload('u1', '/file/x/y/z')), 'not_a_directory'); // an ancestor is a file
      throwsCode(() => run(fsm, upload('u1', '/dir')), 'is_a_directory');
      throwsCode(() => run(fsm, upload('u1', '/')), 'is_a_directory');
      throwsCode(() => run(fsm, upload('u1', '/sym')), 'invalid_argument');
      assert.equal(encodeState(fsm), before);
      assert.equal(fsm.uploads.size, 0);
    });

    it('checks again at completion: a parent that became a file is refused and the upload is kept', () => {
      run(fsm, upload('u1', '/p/key'));
      run(fsm, part('u1', 11));
      run(fsm, commit('/p', 12, 10));
      const before = encodeState(fsm);
      throwsCode(() => run(fsm, complete('u1')), 'not_a_directory');
      assert.equal(encodeState(fsm), before);
      assert.equal(fsm.chunks.get(11)?.refs, 1, 'the part still holds its chunk');
      run(fsm, { op: 'upload_abort', uploadId: 'u1', now: t });
      assert.equal(fsm.chunks.has(11), false);
    });
  });

  it('is deterministic and round-trips through a snapshot', () => {
    const cmds: Command[] = [mkdir('/a/b', true), commit('/a/b/f', 3, 10), create('/a/g'), { op: 'rename', from: '/a/g', to: '/h', noReplace: false, now: t }];
    const one = new Fsm();
    const two = new Fsm();
    for (const f of [one, two]) {
      f.apply({ op: 'reserve_ids', upTo: 100 }, 1);
      cmds.forEach((c, i) => f.apply(c, i + 2));
    }
    assert.equal(encodeState(one), encodeState(two));
    const back = decodeState(encodeState(one));
    assert.equal(encodeState(back), encodeState(one));
    assert.equal(back.resolve('/a/b/f').size, 10);
    assert.equal(back.inodes.get(ROOT_ID)!.type, 'dir');
  });
});
