// The access-key cache: root key without the master, stored keys cached, misses refreshed (rate-limited).
import assert from 'node:assert/strict';
import type { AccessKeyInfo } from '../../sdk/types.js';
import { AccessKeyCache } from './access-keys.js';
import { S3Error } from './errors.js';

const key = (id: string, o: Partial<AccessKeyInfo> = {}): AccessKeyInfo => ({ accessKeyId: id, secretKey: `s-${id}`, buckets: [], readOnly: false, description: '', createdMs: 0, ...o });

describe('S3 access-key cache', () => {
  it('answers the root key without asking the master', async () => {
    let calls = 0;
    const c = new AccessKeyCache({ rootAccessKey: 'ROOT', rootSecretKey: 'rs', list: async () => (calls++, []) });
    assert.deepEqual(await c.lookup('ROOT'), { accessKeyId: 'ROOT', secretKey: 'rs', buckets: [], readOnly: false });
    assert.equal(calls, 0);
  });

  it('caches stored keys for ttlMs, and refreshes on a miss at most once per minRefreshMs', async () => {
    let now = 0;
    let keys = [key('A', { buckets: ['b'], readOnly: true })];
    let calls = 0;
    const c = new AccessKeyCache({ list: async () => (calls++, keys), ttlMs: 5000, minRefreshMs: 20, now: () => now });
    assert.deepEqual(await c.lookup('A'), { accessKeyId: 'A', secretKey: 's-A', buckets: ['b'], readOnly: true });
    assert.deepEqual(await c.lookup('A'), { accessKeyId: 'A', secretKey: 's-A', buckets: ['b'], readOnly: true });
    assert.equal(calls, 1);
    keys = [...keys, key('B')];
    now = 1000; // a new key: the miss refreshes at once (the last refresh is older than minRefreshMs)
    assert.equal((await c.lookup('B'))?.secretKey, 's-B');
    assert.equal(calls, 2);
    // Misses right after wait for one shared refresh instead of each asking the master.
    const misses = await Promise.all([c.lookup('X'), c.lookup('Y'), c.lookup('Z')]);
    assert.deepEqual(misses, [undefined, undefined, undefined]);
    assert.equal(calls, 3);
    now = 7000; // stale: refreshed, so a revoked key is gone
    keys = [key('B')];
    assert.equal(await c.lookup('A'), undefined);
  });

  it('says ServiceUnavailable when it has never reached the master, and keeps an old copy otherwise', async () => {
    let fail = true;
    let now = 0;
    const c = new AccessKeyCache({ list: async () => { if (fail) throw new Error('down'); return [key('A')]; }, ttlMs: 10, minRefreshMs: 0, now: () => now });
    await assert.rejects(c.lookup('A'), (e: unknown) => e instanceof S3Error && e.code === 'ServiceUnavailable');
    fail = false;
    assert.ok(await c.lookup('A'));
    fail = true;
    now = 100;
    assert.ok(await c.lookup('A'), 'the stale copy is served while the master is away');
  });
});
