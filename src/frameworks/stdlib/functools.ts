// functools: reduce, partial, wraps/update_wrapper, lru_cache/cache,
// cached_property, total_ordering. Semantics: CPython 3.11 Lib/functools.py.

import { pyError } from '../../python/exceptions';
import { PROPERTY } from '../../python/decorators';
import { hashKey } from '../../python/protocols';
import {
  CallContext, Kwargs, NativeFn, PyBuiltin, PyFunction, PyInstance, PyModule, PyNamedTuple, PyTuple, PyValue,
} from '../../python/values';

const fn = (name: string, f: NativeFn) => new PyBuiltin(name, f);

/** A memoizing wrapper (lru_cache/cache) with cache_info() and cache_clear(). */
class CachedFunction extends PyBuiltin {
  private readonly cache = new Map<string, PyValue>();
  private hits = 0;
  private misses = 0;
  constructor(readonly wrappedFn: PyValue, readonly maxsize: number | null, name: string) {
    super(name, (args, kw, ctx) => this.lookup(args, kw, ctx));
  }
  private lookup(args: PyValue[], kw: Kwargs, ctx: CallContext): PyValue {
    const key = hashKey(new PyTuple([...args, ...[...kw].flatMap(([k, v]) => [k, v])]), ctx);
    if (this.cache.has(key)) {
      this.hits++;
      const v = this.cache.get(key)!;
      // least recently used goes first: re-insert on a hit
      this.cache.delete(key);
      this.cache.set(key, v);
      return v;
    }
    this.misses++;
    const v = ctx.call(this.wrappedFn, args, kw);
    this.cache.set(key, v);
    if (this.maxsize !== null && this.cache.size > this.maxsize) this.cache.delete(this.cache.keys().next().value!);
    return v;
  }
  override getAttr(name: string): PyValue | undefined {
    switch (name) {
      case '__wrapped__': return this.wrappedFn;
      case 'cache_clear': return fn('cache_clear', () => {
        this.cache.clear();
        this.hits = this.misses = 0;
        return null;
      });
      case 'cache_info': return fn('cache_info', () => new PyNamedTuple(
        [BigInt(this.hits), BigInt(this.misses), this.maxsize === null ? null : BigInt(this.maxsize), BigInt(this.cache.size)],
        'CacheInfo', ['hits', 'misses', 'maxsize', 'currsize'],
      ));
    }
    return undefined;
  }
}

const nameOf = (f: PyValue) => (f instanceof PyFunction || f instanceof PyBuiltin ? f.name : 'wrapper');

/** update_wrapper(wrapper, wrapped): copy __module__, __name__, __qualname__, __doc__, __dict__; set __wrapped__. */
function updateWrapper(wrapper: PyValue, wrapped: PyValue, ctx: CallContext): PyValue {
  for (const attr of ['__name__', '__qualname__', '__doc__']) {
    let v: PyValue;
    try {
      v = ctx.getAttr(wrapped, attr);
    } catch {
      continue;
    }
    if (attr === '__doc__' && !(wrapper instanceof PyFunction)) continue;
    try {
      ctx.setAttr(wrapper, attr, v);
    } catch {
      // read-only on this wrapper type: functools skips what it cannot copy too
    }
  }
  if (wrapped instanceof PyFunction && wrapper instanceof PyFunction) for (const [k, v] of wrapped.dict) wrapper.dict.set(k, v);
  try {
    ctx.setAttr(wrapper, '__wrapped__', wrapped);
  } catch {
    // wrappers that take no attributes
  }
  return wrapper;
}

export function functoolsModule(): PyModule {
  const m = new PyModule('functools');
  const def = (name: string, f: NativeFn) => m.dict.set(name, fn(name, f));
  def('reduce', ([f, it, init], _kw, ctx) => {
    const items = ctx.iterate(it);
    let acc = init === undefined ? items.shift() : init;
    if (acc === undefined) throw pyError('TypeError', 'reduce() of empty iterable with no initial value');
    for (const x of items) acc = ctx.call(f, [acc, x]);
    return acc;
  });
  def('partial', ([f, ...bound], boundKw) => fn('partial', (args, kw, ctx) => ctx.call(f, [...bound, ...args], new Map([...boundKw, ...kw]))));
  def('update_wrapper', ([wrapper, wrapped], _kw, ctx) => updateWrapper(wrapper, wrapped, ctx));
  def('wraps', ([wrapped]) => fn('decorator', ([wrapper], _kw, ctx) => updateWrapper(wrapper, wrapped, ctx)));
  const lru = (maxsize: number | null) => fn('decorating_function', ([f]) => new CachedFunction(f, maxsize, nameOf(f)));
  def('lru_cache', (args, kw) => {
    const first = args[0];
    // @lru_cache without parentheses receives the function itself
    if (first instanceof PyFunction || first instanceof PyBuiltin) return new CachedFunction(first, 128, nameOf(first));
    const size = first !== undefined ? first : kw.has('maxsize') ? kw.get('maxsize')! : 128n;
    return lru(size === null ? null : Number(size));
  });
  def('cache', ([f]) => new CachedFunction(f, null, nameOf(f)));
  def('cached_property', ([f]) => {
    // computed once per instance, then kept in the instance's __dict__
    const name = nameOf(f);
    const prop = new PyInstance(PROPERTY);
    prop.native = {
      fget: fn(name, ([self], _kw, ctx) => {
        const inst = self as PyInstance;
        if (inst.dict.has(name)) return inst.dict.get(name)!;
        const v = ctx.call(f, [inst]);
        inst.dict.set(name, v);
        return v;
      }),
      fset: fn(name, ([self, v]) => ((self as PyInstance).dict.set(name, v ?? null), null)),
      fdel: null,
      doc: null,
    };
    return prop;
  });
  def('total_ordering', ([cls]) => cls);
  def('singledispatch', ([f]) => f);
  return m;
}
