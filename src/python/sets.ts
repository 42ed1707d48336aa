// set / frozenset algebra and methods, and the dict views (dict_keys,
// dict_values, dict_items) that dict.keys()/values()/items() return, after
// CPython 3.11's Objects/setobject.c and Objects/dictobject.c. Model code
// uses them to sort parameters into groups (minGPT's configure_optimizers:
// `decay & no_decay`, `param_dict.keys() - union_params`).

import { keyError, pyError } from './exceptions';
import { hashKey, repr } from './protocols';
import { CallContext, PyDict, PyObj, PySet, PyTuple, PyValue, typeNameOf } from './values';

/**
 * A live view of a dict (CPython's dictviews): iterating, len() and `in` see
 * the dict as it is now; keys and items views are set-like (`&`, `|`, `-`,
 * `^` with any iterable give a set). repr `dict_keys(['a', 'b'])`.
 */
export class PyDictView extends PyObj {
  constructor(readonly dict: PyDict, readonly kind: 'keys' | 'values' | 'items') {
    super();
  }
  get typeName() {
    return `dict_${this.kind}`;
  }
  get setLike(): boolean {
    return this.kind !== 'values';
  }
  override iterate(): PyValue[] {
    const pairs = [...this.dict.entries.values()];
    if (this.kind === 'keys') return pairs.map(([k]) => k);
    if (this.kind === 'values') return pairs.map(([, v]) => v);
    return pairs.map(([k, v]) => new PyTuple([k, v]));
  }
  override length(): number {
    return this.dict.entries.size;
  }
  override truthy(): boolean {
    return this.dict.entries.size > 0;
  }
  override repr(ctx: CallContext): string {
    return `${this.typeName}([${this.iterate().map((x) => repr(x, ctx)).join(', ')}])`;
  }
  /** `x in view`: keys by hash, items by key then value, values by equality. */
  contains(item: PyValue, ctx: CallContext): boolean {
    if (this.kind === 'keys') return this.dict.entries.has(hashKey(item, ctx));
    if (this.kind === 'items') {
      if (!(item instanceof PyTuple) || item.items.length !== 2) return false;
      const hit = this.dict.entries.get(hashKey(item.items[0], ctx));
      return hit !== undefined && ctx.truthy(ctx.compare('==', hit[1], item.items[1]));
    }
    return this.iterate().some((v) => v === item || ctx.truthy(ctx.compare('==', v, item)));
  }
  override getAttr(name: string): PyValue | undefined {
    if (name === 'mapping') return this.dict;
    return undefined;
  }
}

/** A new set (or frozenset) of `items`, deduplicated by hash, first occurrence kept. */
export function makeSet(items: Iterable<PyValue>, ctx: CallContext, frozen = false): PySet {
  const s = new PySet();
  s.frozen = frozen;
  for (const v of items) s.entries.set(hashKey(v, ctx), v);
  return s;
}

function setEntries(v: PyValue, ctx: CallContext): Map<string, PyValue> {
  if (v instanceof PySet) return v.entries;
  return makeSet(ctx.iterate(v), ctx).entries;
}

const SET_OPS: Record<string, (a: Map<string, PyValue>, b: Map<string, PyValue>) => [string, PyValue][]> = {
  '&': (a, b) => [...a].filter(([h]) => b.has(h)),
  '|': (a, b) => [...a, ...[...b].filter(([h]) => !a.has(h))],
  '-': (a, b) => [...a].filter(([h]) => !b.has(h)),
  '^': (a, b) => [...[...a].filter(([h]) => !b.has(h)), ...[...b].filter(([h]) => !a.has(h))],
};

/**
 * `l op r` (op one of & | - ^, or its in-place form with `=`) when set
 * algebra applies: both sides sets/frozensets, or either side a keys/items
 * view and the other any iterable (the view's own operators take
 * iterables). The result is a set, a frozenset when the left operand is one;
 * `|=` and the like update a set in place and return it. undefined: not a set
 * operation (the caller raises Python's TypeError).
 */
export function setBinary(op: string, l: PyValue, r: PyValue, ctx: CallContext): PyValue | undefined {
  const inplace = op.endsWith('=');
  const base = inplace ? op.slice(0, -1) : op;
  const f = SET_OPS[base];
  if (!f) return undefined;
  const isView = (v: PyValue) => v instanceof PyDictView && v.setLike;
  const bothSets = l instanceof PySet && r instanceof PySet;
  if (!bothSets && !isView(l) && !isView(r)) return undefined;
  if (!bothSets && !(l instanceof PySet || isView(l)) && !isIterable(l, ctx)) return undefined;
  if (!bothSets && !(r instanceof PySet || isView(r)) && !isIterable(r, ctx)) return undefined;
  const result = f(setEntries(l, ctx), setEntries(r, ctx));
  if (inplace && l instanceof PySet && !l.frozen && bothSets) {
    l.entries.clear();
    for (const [h, v] of result) l.entries.set(h, v);
    return l;
  }
  const s = new PySet();
  s.frozen = l instanceof PySet && l.frozen && bothSets;
  for (const [h, v] of result) s.entries.set(h, v);
  return s;
}

function isIterable(v: PyValue, ctx: CallContext): boolean {
  try {
    ctx.iterate(v);
    return true;
  } catch {
    return false;
  }
}

/**
 * `l op r` for op in < <= > >= (subset and superset tests) between
 * sets/frozensets and keys/items views, and == / != where a keys/items view
 * meets a set-like value (compared as sets); undefined otherwise.
 */
export function setCompare(op: string, l: PyValue, r: PyValue, ctx: CallContext): boolean | undefined {
  const view = (v: PyValue) => v instanceof PyDictView && v.setLike;
  const setLike = (v: PyValue) => v instanceof PySet || view(v);
  if (!setLike(l) || !setLike(r)) return undefined;
  if ((op === '==' || op === '!=') && !view(l) && !view(r)) return undefined;
  if (!['<', '<=', '>', '>=', '==', '!='].includes(op)) return undefined;
  const a = setEntries(l, ctx), b = setEntries(r, ctx);
  const sub = (x: Map<string, PyValue>, y: Map<string, PyValue>) => [...x.keys()].every((h) => y.has(h));
  switch (op) {
    case '==': return a.size === b.size && sub(a, b);
    case '!=': return !(a.size === b.size && sub(a, b));
    case '<=': return sub(a, b);
    case '<': return a.size < b.size && sub(a, b);
    case '>=': return sub(b, a);
    default: return b.size < a.size && sub(b, a);
  }
}

/** The methods of set and frozenset (frozenset has only those that do not mutate); undefined for other names. */
export function setMethod(s: PySet, name: string, args: PyValue[], ctx: CallContext): PyValue | undefined {
  const others = () => args.map((a) => setEntries(a, ctx));
  const assign = (items: [string, PyValue][]) => {
    s.entries.clear();
    for (const [h, v] of items) s.entries.set(h, v);
    return null;
  };
  const fold = (op: string) => others().reduce<[string, PyValue][]>((acc, b) => SET_OPS[op](new Map(acc), b), [...s.entries]);
  const fresh = (items: [string, PyValue][]) => {
    const out = new PySet();
    out.frozen = s.frozen;
    for (const [h, v] of items) out.entries.set(h, v);
    return out;
  };
  const one = (method: string) => {
    if (args.length !== 1) throw pyError('TypeError', `${typeNameOf(s)}.${method}() takes exactly one argument (${args.length} given)`);
    return setEntries(args[0], ctx);
  };
  switch (name) {
    case 'copy': return fresh([...s.entries]);
    case 'union': return fresh(fold('|'));
    case 'intersection': return fresh(fold('&'));
    case 'difference': return fresh(fold('-'));
    case 'symmetric_difference': return fresh(SET_OPS['^'](s.entries, one(name)));
    case 'issubset': { const b = one(name); return [...s.entries.keys()].every((h) => b.has(h)); }
    case 'issuperset': return [...one(name).keys()].every((h) => s.entries.has(h));
    case 'isdisjoint': { const b = one(name); return [...s.entries.keys()].every((h) => !b.has(h)); }
  }
  if (s.frozen) return undefined;
  switch (name) {
    case 'update': return assign(fold('|'));
    case 'intersection_update': return assign(fold('&'));
    case 'difference_update': return assign(fold('-'));
    case 'symmetric_difference_update': return assign(SET_OPS['^'](s.entries, one(name)));
    case 'clear': return assign([]);
    case 'pop': {
      const first = s.entries.entries().next();
      if (first.done) throw keyError('pop from an empty set', ctx);
      s.entries.delete(first.value[0]);
      return first.value[1];
    }
  }
  return undefined;
}

/** Names setMethod answers, so attribute lookup can bind them. */
export const SET_METHODS = new Set([
  'copy', 'union', 'intersection', 'difference', 'symmetric_difference', 'issubset', 'issuperset', 'isdisjoint',
  'update', 'intersection_update', 'difference_update', 'symmetric_difference_update', 'clear', 'pop',
]);
