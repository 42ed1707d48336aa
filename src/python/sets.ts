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

/** A new set (or frozenset) of `items`, deduplicated by hash, first occurrence kept (set_update_internal). */
export function makeSet(items: Iterable<PyValue>, ctx: CallContext, frozen = false): PySet {
  const s = new PySet();
  s.frozen = frozen;
  for (const v of items) s.entries.set(hashKey(v, ctx), v);
  return s;
}

/** set(x) / frozenset(x): a set is merged table and all (set_merge), a dict reserves room first, else items in order. */
export function setFrom(x: PyValue, ctx: CallContext, frozen = false): PySet {
  const s = new PySet();
  s.frozen = frozen;
  update(s, x, ctx);
  return s;
}

function update(s: PySet, x: PyValue, ctx: CallContext): void {
  if (x instanceof PySet) return s.entries.merge(x.entries);
  if (x instanceof PyDict) s.entries.reserveForDict(x.entries.size);
  for (const v of ctx.iterate(x)) s.entries.set(hashKey(v, ctx), v);
}

function asSet(v: PyValue, ctx: CallContext): PySet {
  return v instanceof PySet ? v : setFrom(v, ctx);
}

function copyOf(s: PySet): PySet {
  const out = new PySet();
  out.frozen = s.frozen;
  out.entries.merge(s.entries);
  return out;
}

/** set_intersection: walk the smaller set (or the iterable) and keep what the other holds. */
function intersection(so: PySet, other: PyValue, ctx: CallContext): PySet {
  if (so === other) return copyOf(so);
  const out = new PySet();
  out.frozen = so.frozen;
  if (other instanceof PySet) {
    let [big, small] = [so, other];
    if (small.entries.size > big.entries.size) [big, small] = [small, big];
    for (const [h, v] of small.entries) if (big.entries.has(h)) out.entries.set(h, v);
    return out;
  }
  for (const v of ctx.iterate(other)) {
    const h = hashKey(v, ctx);
    if (so.entries.has(h)) {
      out.entries.set(h, v);
      if (out.entries.size >= so.entries.size) break;
    }
  }
  return out;
}

/** set_difference_update_internal: discard each of other's elements, then purge dummies. */
function differenceUpdate(so: PySet, other: PyValue, ctx: CallContext): void {
  if (so === other) return so.entries.clear();
  let keys: Iterable<string>;
  if (other instanceof PySet) {
    const o = other.entries.size >> 3 > so.entries.size ? intersection(so, other, ctx) : other;
    keys = [...o.entries.keys()];
  } else keys = ctx.iterate(other).map((v) => hashKey(v, ctx));
  for (const h of keys) so.entries.delete(h);
  so.entries.purgeDummies();
}

/** set_difference: copy-and-discard when `other` is small, else keep so's elements other lacks. */
function difference(so: PySet, other: PyValue, ctx: CallContext): PySet {
  const otherSize = other instanceof PySet || other instanceof PyDict ? other.entries.size : undefined;
  if (otherSize === undefined || so.entries.size >> 2 > otherSize) {
    const out = copyOf(so);
    differenceUpdate(out, other, ctx);
    return out;
  }
  const out = new PySet();
  out.frozen = so.frozen;
  for (const [h, v] of so.entries) if (!(other as PySet | PyDict).entries.has(h)) out.entries.set(h, v);
  return out;
}

/** set_symmetric_difference_update: for each of other's elements, discard it or else add it. */
function symmetricDifferenceUpdate(so: PySet, other: PyValue, ctx: CallContext): void {
  if (so === other) return so.entries.clear();
  const pairs: [string, PyValue][] = other instanceof PyDict
    ? [...other.entries].map(([h, [k]]) => [h, k])
    : [...asSet(other, ctx).entries];
  for (const [h, v] of pairs) if (!so.entries.delete(h)) so.entries.set(h, v);
}

/** set_symmetric_difference: a set of `other`, updated with so. */
function symmetricDifference(so: PySet, other: PyValue, ctx: CallContext): PySet {
  const out = setFrom(other, ctx, so.frozen);
  symmetricDifferenceUpdate(out, so, ctx);
  return out;
}

function union(so: PySet, others: PyValue[], ctx: CallContext): PySet {
  const out = copyOf(so);
  for (const o of others) if (o !== so) update(out, o, ctx);
  return out;
}

const SET_OPS: Record<string, (a: PySet, b: PyValue, ctx: CallContext) => PySet> = {
  '&': intersection,
  '|': (a, b, ctx) => union(a, [b], ctx),
  '-': difference,
  '^': symmetricDifference,
};

const SET_UPDATES: Record<string, (a: PySet, b: PyValue, ctx: CallContext) => void> = {
  '&': (a, b, ctx) => a.entries.replaceWith(intersection(a, b, ctx).entries),
  '|': update,
  '-': differenceUpdate,
  '^': symmetricDifferenceUpdate,
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
  if (bothSets) {
    if (inplace && !l.frozen) {
      SET_UPDATES[base](l, r, ctx);
      return l;
    }
    return f(l, r, ctx);
  }
  // dictviews_and / dictviews_sub etc. (Objects/dictobject.c): a set of the
  // left operand (a keys view reads its dict), then the in-place operation
  if (base === '&') return viewIntersection(isView(l) ? (l as PyDictView) : (r as PyDictView), isView(l) ? r : l, ctx);
  const result = l instanceof PyDictView && l.kind === 'keys' ? setFrom(l.dict, ctx) : setFrom(l, ctx);
  SET_UPDATES[base](result, r, ctx);
  return result;
}

/** _PyDictView_Intersect: a bigger exact set intersects the view itself; else walk the bigger operand keeping what the other holds. */
function viewIntersection(view: PyDictView, other: PyValue, ctx: CallContext): PySet {
  if (other instanceof PySet && !other.frozen && view.length() <= other.entries.size) return intersection(other, view, ctx);
  let [self, walk]: [PyValue, PyValue] = [view, other];
  if (other instanceof PyDictView && other.length() > view.length()) [self, walk] = [other, view];
  const out = new PySet();
  const inSelf = (v: PyValue) => (self instanceof PySet ? self.entries.has(hashKey(v, ctx)) : (self as PyDictView).contains(v, ctx));
  for (const v of ctx.iterate(walk)) if (inSelf(v)) out.entries.set(hashKey(v, ctx), v);
  return out;
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
  const a = asSet(l, ctx).entries, b = asSet(r, ctx).entries;
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
  const one = (method: string) => {
    if (args.length !== 1) throw pyError('TypeError', `${typeNameOf(s)}.${method}() takes exactly one argument (${args.length} given)`);
    return args[0];
  };
  const intersectAll = () => args.reduce<PySet>((acc, o) => intersection(acc, o, ctx), s);
  switch (name) {
    case 'copy': return s.frozen ? s : copyOf(s);
    case 'union': return union(s, args, ctx);
    case 'intersection': return args.length ? intersectAll() : copyOf(s);
    case 'difference': {
      if (!args.length) return copyOf(s);
      const out = difference(s, args[0], ctx);
      for (const o of args.slice(1)) differenceUpdate(out, o, ctx);
      return out;
    }
    case 'symmetric_difference': return symmetricDifference(s, one(name), ctx);
    case 'issubset': { const b = asSet(one(name), ctx).entries; return [...s.entries.keys()].every((h) => b.has(h)); }
    case 'issuperset': return [...asSet(one(name), ctx).entries.keys()].every((h) => s.entries.has(h));
    case 'isdisjoint': { const b = asSet(one(name), ctx).entries; return [...s.entries.keys()].every((h) => !b.has(h)); }
  }
  if (s.frozen) return undefined;
  switch (name) {
    case 'update': for (const o of args) update(s, o, ctx); return null;
    case 'intersection_update': s.entries.replaceWith(intersectAll().entries); return null;
    case 'difference_update': for (const o of args) differenceUpdate(s, o, ctx); return null;
    case 'symmetric_difference_update': symmetricDifferenceUpdate(s, one(name), ctx); return null;
    case 'clear': s.entries.clear(); return null;
    case 'pop': {
      const popped = s.entries.popEntry();
      if (popped === undefined) throw keyError('pop from an empty set', ctx);
      return popped[1];
    }
  }
  return undefined;
}

/** Names setMethod answers, so attribute lookup can bind them. */
export const SET_METHODS = new Set([
  'copy', 'union', 'intersection', 'difference', 'symmetric_difference', 'issubset', 'issuperset', 'isdisjoint',
  'update', 'intersection_update', 'difference_update', 'symmetric_difference_update', 'clear', 'pop',
]);
