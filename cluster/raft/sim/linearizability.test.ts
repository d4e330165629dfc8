// The WGL linearizability checker: hand-made good and bad histories for each model, pending ops, partitions,
// the step budget, the explanation, and a randomized self-check against histories from real executions.
import assert from 'node:assert/strict';
import {
  checkOperations,
  kvModel,
  namespaceModel,
  registerModel,
  type KvInput,
  type KvOutput,
  type Model,
  type NamespaceInput,
  type NamespaceOutput,
  type Operation,
  type RegisterInput,
  type RegisterOutput,
} from './linearizability.js';

type RegOp = Operation<RegisterInput, RegisterOutput>;
type KvOp = Operation<KvInput, KvOutput>;
type NsOp = Operation<NamespaceInput, NamespaceOutput>;

const put = (client: number, call: number, ret: number, value: string): RegOp => ({ client, call, ret, input: { op: 'put', value }, output: {} });
const get = (client: number, call: number, ret: number, value: string | undefined): RegOp => ({
  client,
  call,
  ret,
  input: { op: 'get' },
  output: value === undefined ? {} : { value },
});
const kvPut = (client: number, call: number, ret: number, key: string, value: string): KvOp => ({ client, call, ret, input: { op: 'put', key, value }, output: {} });
const kvGet = (client: number, call: number, ret: number, key: string, value: string | undefined): KvOp => ({
  client,
  call,
  ret,
  input: { op: 'get', key },
  output: value === undefined ? {} : { value },
});
const cas = (client: number, call: number, ret: number, key: string, from: string | undefined, to: string, ok: boolean): KvOp => ({
  client,
  call,
  ret,
  input: { op: 'cas', key, from, to },
  output: { ok },
});
const ns = (client: number, call: number, ret: number, input: NamespaceInput, output: NamespaceOutput): NsOp => ({ client, call, ret, input, output });

/** mulberry32: a small seeded PRNG, so every history here is reproducible. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A history from a real execution of one register: each client runs ops one after another; each op takes
 * effect at a random instant between its call and its return, in instant order, so the history is
 * linearizable by construction. Some ops time out (ret = Infinity): those take effect later or never.
 */
function registerHistory(seed: number, clients: number, opsPerClient: number): RegOp[] {
  const rand = prng(seed);
  const int = (n: number): number => Math.floor(rand() * n);
  const planned: { op: RegOp; at: number | undefined }[] = [];
  let written = 0;
  for (let c = 0; c < clients; c++) {
    let t = int(5);
    for (let i = 0; i < opsPerClient; i++) {
      const call = t + int(4);
      const pending = rand() < 0.05;
      const ret = pending ? Infinity : call + 1 + int(8);
      const at = pending ? (rand() < 0.5 ? undefined : call + rand() * 20) : call + rand() * (ret - call);
      const op = rand() < 0.5 ? put(c, call, ret, `v${seed}.${written++}`) : get(c, call, ret, undefined);
      if (pending) op.output = undefined;
      planned.push({ op, at });
      t = (pending ? call + 10 : ret) + 1;
    }
  }
  let reg: string | undefined;
  for (const { op } of planned.filter((p) => p.at !== undefined).sort((a, b) => a.at! - b.at!)) {
    if (op.input.op === 'put') reg = op.input.value;
    else if (op.ret !== Infinity) op.output = reg === undefined ? {} : { value: reg };
  }
  return planned.map((p) => p.op);
}

describe('linearizability checker (WGL)', () => {
  describe('register', () => {
    it('accepts a sequential history and the empty history', () => {
      assert.equal(checkOperations(registerModel, []).result, 'ok');
      const h = [get(0, 0, 1, undefined), put(0, 2, 3, 'a'), get(1, 4, 5, 'a'), put(1, 6, 7, 'b'), get(0, 8, 9, 'b')];
      assert.equal(checkOperations(registerModel, h).result, 'ok');
    });

    it('rejects a read of a value never written', () => {
      const r = checkOperations(registerModel, [put(0, 0, 1, 'a'), get(1, 2, 3, 'zzz')]);
      assert.equal(r.result, 'illegal');
      assert.deepEqual(r.longest, [put(0, 0, 1, 'a')]);
    });

    it('rejects a stale read: the old value after a write that returned before the read was called', () => {
      const r = checkOperations(registerModel, [put(0, 0, 1, 'a'), put(0, 2, 3, 'b'), get(1, 4, 5, 'a')]);
      assert.equal(r.result, 'illegal');
    });

    it('accepts either value for a read overlapping a write', () => {
      for (const seen of ['a', 'b']) {
        const h = [put(0, 0, 1, 'a'), put(0, 2, 6, 'b'), get(1, 3, 5, seen)];
        assert.equal(checkOperations(registerModel, h).result, 'ok', `read saw ${seen}`);
      }
    });

    it('rejects two overlapping reads that disagree with the only possible order (new then old)', () => {
      // put(b) overlaps both reads; the first read (returned before the second was called) saw b, the second a.
      const h = [put(0, 0, 1, 'a'), put(0, 2, 20, 'b'), get(1, 3, 4, 'b'), get(2, 5, 6, 'a')];
      assert.equal(checkOperations(registerModel, h).result, 'illegal');
    });

    it('treats calls and returns at the same instant as concurrent', () => {
      assert.equal(checkOperations(registerModel, [put(0, 0, 5, 'a'), get(1, 5, 6, undefined)]).result, 'ok');
    });
  });

  describe('kv store with cas', () => {
    it('rejects two concurrent cas from the same value both succeeding', () => {
      const h = [kvPut(0, 0, 1, 'x', '0'), cas(1, 2, 5, 'x', '0', '1', true), cas(2, 3, 6, 'x', '0', '2', true)];
      assert.equal(checkOperations(kvModel, h).result, 'illegal');
    });

    it('accepts one cas succeeding and the other failing, with a read of the winner', () => {
      const h = [
        kvPut(0, 0, 1, 'x', '0'),
        cas(1, 2, 5, 'x', '0', '1', false),
        cas(2, 3, 6, 'x', '0', '2', true),
        kvGet(0, 7, 8, 'x', '2'),
      ];
      assert.equal(checkOperations(kvModel, h).result, 'ok');
    });

    it('cas from absent (create-if-absent) succeeds once', () => {
      const good = [cas(0, 0, 3, 'x', undefined, 'a', true), cas(1, 1, 4, 'x', undefined, 'b', false), kvGet(2, 5, 6, 'x', 'a')];
      assert.equal(checkOperations(kvModel, good).result, 'ok');
      const bad = [cas(0, 0, 3, 'x', undefined, 'a', true), cas(1, 1, 4, 'x', undefined, 'b', true)];
      assert.equal(checkOperations(kvModel, bad).result, 'illegal');
    });

    it('rejects a failed cas whose expected value was certainly there', () => {
      const h = [kvPut(0, 0, 1, 'x', '0'), cas(1, 2, 3, 'x', '0', '1', false)];
      assert.equal(checkOperations(kvModel, h).result, 'illegal');
    });
  });

  describe('namespace', () => {
    const create = (path: string, exclusive = true): NamespaceInput => ({ op: 'create', path, exclusive });

    it('rejects two concurrent exclusive creates of one path both succeeding', () => {
      const h = [ns(0, 0, 5, create('/f'), { ok: true }), ns(1, 1, 6, create('/f'), { ok: true })];
      assert.equal(checkOperations(namespaceModel, h).result, 'illegal');
      const one = [ns(0, 0, 5, create('/f'), { ok: false }), ns(1, 1, 6, create('/f'), { ok: true })];
      assert.equal(checkOperations(namespaceModel, one).result, 'ok');
    });

    it('rejects exists(from) = true after a rename of it returned', () => {
      const h = [
        ns(0, 0, 1, create('/a'), { ok: true }),
        ns(0, 2, 3, { op: 'rename', from: '/a', to: '/b' }, { ok: true }),
        ns(1, 4, 5, { op: 'exists', path: '/a' }, { exists: true }),
      ];
      const r = checkOperations(namespaceModel, h);
      assert.equal(r.result, 'illegal');
      assert.match(r.explanation!, /exists\(\/a\) → true/);
    });

    it('accepts a rename replacing its target, and a delete, seen in order', () => {
      const h = [
        ns(0, 0, 1, create('/a'), { ok: true }),
        ns(1, 0, 1, create('/b', false), { ok: true }),
        ns(0, 2, 3, { op: 'rename', from: '/a', to: '/b' }, { ok: true }),
        ns(1, 4, 5, { op: 'exists', path: '/b' }, { exists: true }),
        ns(1, 4, 5, { op: 'exists', path: '/a' }, { exists: false }),
        ns(0, 4, 9, { op: 'rename', from: '/a', to: '/c' }, { ok: false }),
        ns(1, 6, 7, { op: 'delete', path: '/b' }, { ok: true }),
        ns(1, 8, 9, { op: 'delete', path: '/b' }, { ok: false }),
      ];
      assert.equal(checkOperations(namespaceModel, h).result, 'ok');
    });
  });

  describe('pending ops (ret = Infinity)', () => {
    it('a pending put whose value is read later is ok', () => {
      const h = [put(0, 0, Infinity, 'a'), get(1, 5, 6, 'a'), get(1, 7, 8, 'a')];
      h[0].output = undefined;
      assert.equal(checkOperations(registerModel, h).result, 'ok');
    });

    it('a read of a value nobody put, even with pending puts, is illegal', () => {
      const h = [put(0, 0, Infinity, 'a'), get(1, 5, 6, 'b')];
      assert.equal(checkOperations(registerModel, h).result, 'illegal');
    });

    it('a pending op never observed is ok, and so is one that may have taken effect or not', () => {
      assert.equal(checkOperations(registerModel, [put(0, 0, 1, 'a'), put(1, 2, Infinity, 'b'), get(2, 3, 4, 'a')]).result, 'ok');
      assert.equal(checkOperations(registerModel, [put(0, 0, 1, 'a'), put(1, 2, Infinity, 'b'), get(2, 3, 4, 'b'), get(2, 5, 6, 'b')]).result, 'ok');
    });

    it('a pending op may be left out altogether, even if the model could never place it', () => {
      // A model whose 'never' input has no legal step: only leaving it out explains the history.
      const strict: Model<number, 'inc' | 'never', number> = {
        init: () => 0,
        step: (n, input, out) => (input === 'never' ? [false, n] : [out === undefined || out === n + 1, n + 1]),
        key: String,
      };
      const inc = (call: number, out: number): Operation<'inc' | 'never', number> => ({ client: 0, call, ret: call + 1, input: 'inc', output: out });
      const never = (ret: number): Operation<'inc' | 'never', number> => ({ client: 1, call: 0, ret, input: 'never', output: undefined });
      assert.equal(checkOperations(strict, [inc(0, 1), never(Infinity), inc(2, 2)]).result, 'ok');
      assert.equal(checkOperations(strict, [inc(0, 1), never(9), inc(2, 2)]).result, 'illegal');
    });

    it('a pending op cannot take effect before its call', () => {
      assert.equal(checkOperations(registerModel, [get(0, 0, 1, 'a'), put(1, 2, Infinity, 'a')]).result, 'illegal');
    });

    it('a pending cas takes the effect its state implies: it may explain a later read', () => {
      const c = cas(1, 2, Infinity, 'x', '0', '1', true);
      c.output = undefined;
      const h = [kvPut(0, 0, 1, 'x', '0'), c, kvGet(0, 5, 6, 'x', '1')];
      assert.equal(checkOperations(kvModel, h).result, 'ok');
      const c2 = { ...c, input: { op: 'cas', key: 'x', from: 'nope', to: '1' } as KvInput };
      assert.equal(checkOperations(kvModel, [h[0], c2, h[2]]).result, 'illegal');
    });
  });

  it('checks partitions independently: a bad key among good keys is illegal and names its partition', () => {
    // Per key: put 1, a read of it, put 2, a read after put 2 returned — of 2, or (for staleKey) of 1.
    const history = (staleKey: string | undefined): KvOp[] =>
      ['a', 'b', 'c', 'd', 'e'].flatMap((key, i) => [
        kvPut(0, 10 * i, 10 * i + 2, key, `${key}1`),
        kvGet(1, 10 * i + 1, 10 * i + 3, key, `${key}1`),
        kvPut(0, 10 * i + 4, 10 * i + 5, key, `${key}2`),
        kvGet(1, 10 * i + 6, 10 * i + 7, key, key === staleKey ? `${key}1` : `${key}2`),
      ]);
    assert.equal(checkOperations(kvModel, history(undefined)).result, 'ok');
    const h = history('c');
    const r = checkOperations(kvModel, h);
    assert.equal(r.result, 'illegal');
    assert.equal(r.partition, 2);
    assert.ok(kvModel.partition!(h)[r.partition!].every((op) => op.input.key === 'c'));
    assert.ok(r.longest!.length > 0 && r.longest!.every((op) => op.input.key === 'c'));
    assert.match(r.explanation!, /part 2 of 5/);
    assert.match(r.explanation!, /\[client 1, 26\.\.27\] get\(c\) → "c1"/);
  });

  describe('step budget', () => {
    // 40 puts and gets from a real execution, each overlapping up to a dozen others: many orders to consider.
    function ambiguous(seed: number): RegOp[] {
      const rand = prng(seed);
      const planned: { op: RegOp; at: number }[] = [];
      for (let i = 0; i < 40; i++) {
        const call = i + Math.floor(rand() * 4);
        const ret = call + 5 + Math.floor(rand() * 6);
        const op = i % 2 === 0 ? put(i, call, ret, `v${i}`) : get(i, call, ret, undefined);
        planned.push({ op, at: call + rand() * (ret - call) });
      }
      let reg: string | undefined;
      for (const { op } of [...planned].sort((a, b) => a.at - b.at)) {
        if (op.input.op === 'put') reg = op.input.value;
        else op.output = reg === undefined ? {} : { value: reg };
      }
      return planned.map((p) => p.op);
    }

    it('gives unknown when the budget runs out, and a definite answer by default', () => {
      const good = ambiguous(1);
      const tiny = checkOperations(registerModel, good, { maxSteps: 20 });
      assert.equal(tiny.result, 'unknown');
      assert.equal(tiny.steps, 20);
      const full = checkOperations(registerModel, good);
      assert.equal(full.result, 'ok');
      assert.ok(full.steps > 1000, `${full.steps} steps: the history should need a real search`);
      // The budget is exact: the steps the search needed suffice, one fewer does not.
      assert.equal(checkOperations(registerModel, good, { maxSteps: full.steps }).result, 'ok');
      assert.equal(checkOperations(registerModel, good, { maxSteps: full.steps - 1 }).result, 'unknown');

      const bad = ambiguous(1);
      bad[bad.length - 1].output = { value: 'never' };
      assert.equal(checkOperations(registerModel, bad, { maxSteps: 20 }).result, 'unknown');
      assert.equal(checkOperations(registerModel, bad).result, 'illegal');
    });

    it('is deterministic: the same history takes the same number of steps', () => {
      const a = checkOperations(registerModel, ambiguous(7));
      const b = checkOperations(registerModel, ambiguous(7));
      assert.equal(a.result, b.result);
      assert.equal(a.steps, b.steps);
    });
  });

  it('explains an illegal history: the longest linearization and the op that could not be placed', () => {
    const r = checkOperations(registerModel, [put(0, 0, 1, 'a'), get(1, 2, 3, 'a'), get(2, 4, 5, 'ghost'), put(0, 6, 7, 'b')]);
    assert.equal(r.result, 'illegal');
    const text = r.explanation!;
    assert.match(text, /longest linearization found \(2 ops\)/);
    assert.match(text, /1\. \[client 0, 0\.\.1\] put\("a"\)/);
    assert.match(text, /could not be placed after it:\n {2}\[client 2, 4\.\.5\] get\(\) → "ghost" {2}\(not a legal next step; returned first\)/);
  });

  it('randomized self-check: histories from real executions are ok; one corrupted read is illegal', () => {
    let pending = 0;
    for (let seed = 1; seed <= 200; seed++) {
      const h = registerHistory(seed, 2 + (seed % 4), 6 + (seed % 5));
      pending += h.filter((op) => op.ret === Infinity).length;
      const r = checkOperations(registerModel, h);
      assert.equal(r.result, 'ok', `seed ${seed}: ${r.explanation ?? ''}`);

      const gets = h.filter((op) => op.input.op === 'get' && op.ret !== Infinity);
      if (gets.length === 0) continue;
      const victim = gets[Math.floor(prng(seed ^ 0x5eed)() * gets.length)];
      victim.output = { value: 'never-written' };
      const bad = checkOperations(registerModel, h);
      assert.equal(bad.result, 'illegal', `seed ${seed}`);
      assert.match(bad.explanation!, /get\(\) → "never-written"/);
    }
    assert.ok(pending > 0, 'some histories had pending ops');
  });

  it('randomized self-check over the kv model with cas on 3 keys', () => {
    for (let seed = 1; seed <= 100; seed++) {
      const rand = prng(seed * 7919);
      const keys = ['k0', 'k1', 'k2'];
      const planned: { op: KvOp; at: number }[] = [];
      for (let c = 0; c < 4; c++) {
        let t = 0;
        for (let i = 0; i < 8; i++) {
          const call = t + Math.floor(rand() * 3);
          const ret = call + 1 + Math.floor(rand() * 6);
          const key = keys[Math.floor(rand() * keys.length)];
          const kind = rand();
          const value = `${c}.${i}`;
          const op =
            kind < 0.3 ? kvPut(c, call, ret, key, value) : kind < 0.6 ? kvGet(c, call, ret, key, undefined) : cas(c, call, ret, key, undefined, value, false);
          planned.push({ op, at: call + rand() * (ret - call) });
          t = ret + 1;
        }
      }
      const store = new Map<string, string>();
      for (const { op } of planned.sort((a, b) => a.at - b.at)) {
        const { input } = op;
        if (input.op === 'put') store.set(input.key, input.value);
        else if (input.op === 'get') op.output = store.has(input.key) ? { value: store.get(input.key)! } : {};
        else {
          // The cas expects the current value half the time, else absent (fails unless the key is absent).
          const cur = store.get(input.key);
          const from = rand() < 0.5 ? cur : undefined;
          op.input = { ...input, from };
          op.output = { ok: from === cur };
          if (from === cur) store.set(input.key, input.to);
        }
      }
      const h = planned.map((p) => p.op);
      assert.equal(checkOperations(kvModel, h).result, 'ok', `seed ${seed}`);
    }
  });
});
