// Linearizability checker: Wing & Gong's search with Lowe's memoisation (the WGL algorithm, as in porcupine).
//
// A history of operations, each with a call time and a return time, is linearizable if some sequential order
// of them (a) keeps real-time order — an op that returned before another was called comes first — and (b) is
// a legal run of a sequential model. The call and return events go into one doubly-linked list sorted by
// time. Walking from the head, a call whose step the model accepts from the current state is placed next:
// its call and return are cut out of the list, (op, previous state) is pushed on a stack and the walk starts
// again at the head. Meeting the return of an op that is not placed means nothing tried from this prefix
// works (that op had to go before its return and could not), so the last choice is undone and the walk goes
// on after that call. Lowe's memo: a set of (placed ops, state) configurations already explored, so a prefix
// that reaches a known configuration in another order is cut off. Pending ops (ret = Infinity) have their
// returns at the end of the list: reaching one means every completed op is placed, so pending ops are
// optional, and when placed they are stepped with output `undefined` (unknown). A model may split the
// history (e.g. by key); each part is checked alone — a history is linearizable iff every part is.

export interface Operation<I, O> {
  client: number | string;
  input: I;
  call: number;
  output: O | undefined;
  /** Infinity when the op never returned (timed out / unknown): it may take effect after its call, or not at all. */
  ret: number;
}

export interface Model<S, I, O> {
  init(): S;
  /**
   * Applies `input` to `state`: whether `output` is what the model allows, and the next state. Must not mutate
   * `state`. An `output` of `undefined` means "unknown" (a pending op): accept it, with the next state the
   * input implies from `state`.
   */
  step(state: S, input: I, output: O | undefined): [ok: boolean, next: S];
  /** Canonical string for a state: equal states must give equal keys. */
  key(state: S): string;
  /** Splits the history into independent parts (P-compositionality), e.g. one per key. */
  partition?(ops: Operation<I, O>[]): Operation<I, O>[][];
  describe?(input: I, output: O | undefined): string;
}

export interface CheckResult<I, O> {
  result: 'ok' | 'illegal' | 'unknown';
  /** For illegal (or unknown): the index of the first such part in the model's partition (0 if none). */
  partition?: number;
  /** For illegal: the longest partial linearization found. */
  longest?: Operation<I, O>[];
  /** For illegal: the longest linearization and the ops that could not be placed after it. */
  explanation?: string;
  /** Search steps taken, over all parts. */
  steps: number;
}

export interface CheckOptions {
  /** Search steps per part before giving up with 'unknown' (default 10,000,000). Deterministic. */
  maxSteps?: number;
  /** Wall-clock limit per check; only when given is a clock read (not deterministic). */
  timeoutMs?: number;
}

export const DEFAULT_MAX_STEPS = 10_000_000;

class Entry {
  prev: Entry | null = null;
  next: Entry | null = null;
  match: Entry | null = null; // a call's return
  constructor(readonly id: number, readonly isCall: boolean, readonly time: number) {}
}

function buildList<I, O>(ops: Operation<I, O>[]): { head: Entry; tail: Entry } {
  const entries: Entry[] = [];
  ops.forEach((op, id) => {
    if (!Number.isFinite(op.call) || Number.isNaN(op.ret) || op.ret < op.call) {
      throw new RangeError(`operation ${id}: bad times call=${op.call} ret=${op.ret}`);
    }
    const call = new Entry(id, true, op.call);
    call.match = new Entry(id, false, op.ret);
    entries.push(call, call.match);
  });
  // By time; calls before returns on equal times (so they count as concurrent); then by op for determinism.
  entries.sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : a.isCall !== b.isCall ? (a.isCall ? -1 : 1) : a.id - b.id));
  const head = new Entry(-1, false, -Infinity);
  const tail = new Entry(-1, false, Infinity);
  let last = head;
  for (const e of [...entries, tail]) {
    last.next = e;
    e.prev = last;
    last = e;
  }
  return { head, tail };
}

function unlink(e: Entry): void {
  e.prev!.next = e.next;
  e.next!.prev = e.prev;
}
function relink(e: Entry): void {
  e.prev!.next = e;
  e.next!.prev = e;
}

type PartResult = { result: 'ok' | 'illegal' | 'unknown'; longest: number[]; steps: number };

function checkPart<S, I, O>(model: Model<S, I, O>, ops: Operation<I, O>[], maxSteps: number, deadline: number | undefined): PartResult {
  const { head, tail } = buildList(ops);
  const bits = new Uint32Array((ops.length + 31) >>> 5);
  const flip = (id: number): void => void (bits[id >>> 5] ^= 1 << (id & 31));
  const hex = (): string => Array.from(bits, (w) => w.toString(16).padStart(8, '0')).join('');
  const cache = new Set<string>();
  const stack: { call: Entry; state: S }[] = [];
  let longest: number[] = [];
  let state = model.init();
  let entry = head.next!;
  let steps = 0;
  const done = (result: PartResult['result']): PartResult => ({ result, longest, steps });
  while (true) {
    if (steps >= maxSteps) return done('unknown');
    if (deadline !== undefined && (steps & 1023) === 0 && Date.now() > deadline) return done('unknown');
    steps++;
    if (entry === tail) return done('ok');
    const op = ops[entry.id];
    if (entry.isCall) {
      const [legal, next] = model.step(state, op.input, op.ret === Infinity ? undefined : op.output);
      if (legal) {
        flip(entry.id);
        const memo = hex() + '|' + model.key(next);
        if (!cache.has(memo)) {
          cache.add(memo);
          stack.push({ call: entry, state });
          state = next;
          unlink(entry);
          unlink(entry.match!);
          if (stack.length > longest.length) longest = stack.map((f) => f.call.id);
          entry = head.next!;
          continue;
        }
        flip(entry.id);
      }
      entry = entry.next!;
    } else {
      if (op.ret === Infinity) return done('ok'); // only pending ops are left unplaced
      const top = stack.pop();
      if (top === undefined) return done('illegal');
      relink(top.call.match!);
      relink(top.call);
      flip(top.call.id);
      state = top.state;
      entry = top.call.next!;
    }
  }
}

function describeOp<S, I, O>(model: Model<S, I, O>, op: Operation<I, O>): string {
  const output = op.ret === Infinity ? undefined : op.output;
  const what = model.describe ? model.describe(op.input, output) : `${JSON.stringify(op.input)} → ${output === undefined ? '?' : JSON.stringify(output)}`;
  return `[client ${op.client}, ${op.call}..${op.ret === Infinity ? 'pending' : op.ret}] ${what}`;
}

function explain<S, I, O>(model: Model<S, I, O>, ops: Operation<I, O>[], longest: number[], part: number, parts: number): string {
  const lines = [`not linearizable: part ${part} of ${parts} (${ops.length} ops)`];
  lines.push(`longest linearization found (${longest.length} ops):`);
  let state = model.init();
  longest.forEach((id, i) => {
    state = model.step(state, ops[id].input, ops[id].ret === Infinity ? undefined : ops[id].output)[1];
    lines.push(`  ${i + 1}. ${describeOp(model, ops[id])}`);
  });
  const placed = new Set(longest);
  const unplaced = ops.map((_, id) => id).filter((id) => !placed.has(id));
  const firstRet = Math.min(...unplaced.map((id) => ops[id].ret));
  // The ops that could have come next: called no later than the first return among the unplaced.
  const candidates = unplaced.filter((id) => ops[id].call <= firstRet).sort((a, b) => ops[a].call - ops[b].call || a - b);
  lines.push('could not be placed after it:');
  for (const id of candidates) {
    const [legal] = model.step(state, ops[id].input, ops[id].ret === Infinity ? undefined : ops[id].output);
    const why = legal ? 'legal here, but the rest of the history cannot follow' : 'not a legal next step';
    lines.push(`  ${describeOp(model, ops[id])}  (${why}${ops[id].ret === firstRet ? '; returned first' : ''})`);
  }
  return lines.join('\n');
}

export function checkOperations<S, I, O>(model: Model<S, I, O>, history: Operation<I, O>[], opts: CheckOptions = {}): CheckResult<I, O> {
  const maxSteps = opts.maxSteps ?? DEFAULT_MAX_STEPS;
  const deadline = opts.timeoutMs === undefined ? undefined : Date.now() + opts.timeoutMs;
  const parts = model.partition ? model.partition(history) : [history];
  let steps = 0;
  let unknown: number | undefined;
  for (let p = 0; p < parts.length; p++) {
    const r = checkPart(model, parts[p], maxSteps, deadline);
    steps += r.steps;
    if (r.result === 'illegal') {
      return {
        result: 'illegal',
        partition: p,
        longest: r.longest.map((id) => parts[p][id]),
        explanation: explain(model, parts[p], r.longest, p, parts.length),
        steps,
      };
    }
    if (r.result === 'unknown') unknown ??= p;
  }
  return unknown === undefined ? { result: 'ok', steps } : { result: 'unknown', partition: unknown, steps };
}

// ---- Models ----

const str = (v: string | undefined): string => (v === undefined ? 'absent' : JSON.stringify(v));

export type RegisterInput = { op: 'put'; value: string } | { op: 'get' };
/** get: `{ value }` (undefined = never written); put: `{}`. */
export type RegisterOutput = { value?: string };

/** One register, initially absent. */
export const registerModel: Model<string | undefined, RegisterInput, RegisterOutput> = {
  init: () => undefined,
  step: (state, input, output) => (input.op === 'put' ? [true, input.value] : [output === undefined || output.value === state, state]),
  key: (state) => (state === undefined ? '-' : JSON.stringify(state)),
  describe: (input, output) => (input.op === 'put' ? `put(${str(input.value)})` : `get() → ${output === undefined ? '?' : str(output.value)}`),
};

export type KvInput =
  | { op: 'put'; key: string; value: string }
  | { op: 'get'; key: string }
  /** `from` undefined: succeeds only if the key is absent. */
  | { op: 'cas'; key: string; from?: string; to: string };
/** get: `{ value }` (undefined = absent); cas: `{ ok }`; put: `{}`. */
export type KvOutput = { value?: string; ok?: boolean };
export type KvState = ReadonlyMap<string, string>;

/** A multi-key register store, partitioned by key. */
export const kvModel: Model<KvState, KvInput, KvOutput> = {
  init: () => new Map(),
  step: (state, input, output) => {
    const cur = state.get(input.key);
    const set = (v: string): KvState => new Map(state).set(input.key, v);
    if (input.op === 'put') return [true, set(input.value)];
    if (input.op === 'get') return [output === undefined || output.value === cur, state];
    const swapped = cur === input.from;
    if (output !== undefined && (output.ok === true) !== swapped) return [false, state];
    return [true, swapped ? set(input.to) : state];
  },
  key: (state) => JSON.stringify([...state].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
  partition: (ops) => {
    const byKey = new Map<string, Operation<KvInput, KvOutput>[]>();
    for (const op of ops) {
      const list = byKey.get(op.input.key);
      if (list) list.push(op);
      else byKey.set(op.input.key, [op]);
    }
    return [...byKey.keys()].sort().map((k) => byKey.get(k)!);
  },
  describe: (input, output) => {
    if (input.op === 'put') return `put(${input.key}, ${str(input.value)})`;
    if (input.op === 'get') return `get(${input.key}) → ${output === undefined ? '?' : str(output.value)}`;
    return `cas(${input.key}, ${str(input.from)} → ${str(input.to)}) → ${output === undefined ? '?' : output.ok ? 'ok' : 'failed'}`;
  },
};

export type NamespaceInput =
  | { op: 'create'; path: string; exclusive: boolean }
  | { op: 'rename'; from: string; to: string }
  | { op: 'exists'; path: string }
  | { op: 'delete'; path: string };
/** create, rename, delete: `{ ok }`; exists: `{ exists }`. */
export type NamespaceOutput = { ok?: boolean; exists?: boolean };
export type NamespaceState = ReadonlySet<string>;

/**
 * A flat file namespace (paths exist or not). Exclusive create fails if the path exists, a plain create always
 * succeeds; rename fails if `from` is absent and replaces `to`; delete fails if absent. Not partitioned:
 * renames span paths.
 */
export const namespaceModel: Model<NamespaceState, NamespaceInput, NamespaceOutput> = {
  init: () => new Set(),
  step: (state, input, output) => {
    const with_ = (add: string | undefined, remove: string | undefined): NamespaceState => {
      const next = new Set(state);
      if (remove !== undefined) next.delete(remove);
      if (add !== undefined) next.add(add);
      return next;
    };
    const result = (ok: boolean, next: NamespaceState): [boolean, NamespaceState] =>
      output !== undefined && (output.ok === true) !== ok ? [false, state] : [true, next];
    switch (input.op) {
      case 'exists':
        return [output === undefined || (output.exists === true) === state.has(input.path), state];
      case 'create':
        if (input.exclusive && state.has(input.path)) return result(false, state);
        return result(true, with_(input.path, undefined));
      case 'delete':
        return state.has(input.path) ? result(true, with_(undefined, input.path)) : result(false, state);
      case 'rename':
        if (!state.has(input.from)) return result(false, state);
        return result(true, input.from === input.to ? state : with_(input.to, input.from));
    }
  },
  key: (state) => JSON.stringify([...state].sort()),
  describe: (input, output) => {
    const res = output === undefined ? '?' : input.op === 'exists' ? String(output.exists === true) : output.ok ? 'ok' : 'failed';
    switch (input.op) {
      case 'create':
        return `create(${input.path}${input.exclusive ? ', exclusive' : ''}) → ${res}`;
      case 'rename':
        return `rename(${input.from} → ${input.to}) → ${res}`;
      default:
        return `${input.op}(${input.path}) → ${res}`;
    }
  },
};
