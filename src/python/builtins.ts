// Python's built-in functions, the methods of built-in types, and the few
// standard-library modules masking snippets import (math, itertools, ...).

import { formatPyFloat, formatSpec } from '../engine/format';
import { bind, toInt, toStr } from './args';
import { EXCEPTION_CLASSES, keyError, pyError } from './exceptions';
import { BUILTIN_EXCEPTION_ALIASES } from './exceptionNames';
import { asBigInt, asNumber, concatItems, equals, hashKey, setMemberKey, sortCompare } from './protocols';
import { checkItems } from './budget';
import { CLASSMETHOD, PROPERTY, STATICMETHOD } from './decorators';
import { PyOpaque } from './opaque';
import { PyDictView, SET_METHODS, setFrom, setMethod } from './sets';
import { pythonHash } from './settable';
import { decodeBytes, encodeString, makeBytes, makeMemoryView, PyBytes } from './bytes';
import { checkIsinstanceArg, setNoneType } from './typeUnion';
import {
  CallContext, Kwargs, NativeFn, PyBoundMethod, PyBuiltin, PySuper, PyClass, PyDict, PyEllipsis, PyFunction, ItemAttributes, PyInstance, PyIterator, PyList,
  PyModule, PyNamedTuple, PyObj, PyRange, PySet, PySlice, PyTuple, PyValue, typeNameOf,
} from './values';

const fn = (name: string, f: NativeFn) => new PyBuiltin(name, f);

// Built-in types are classes so isinstance() and type() work.
export const TYPE_CLASSES = new Map<string, PyClass>();
TYPE_CLASSES.set('object', new PyClass('object', []));
for (const t of ['int', 'float', 'bool', 'str', 'list', 'tuple', 'dict', 'set', 'frozenset', 'NoneType', 'range', 'slice', 'function', 'type', 'bytes', 'bytearray']) {
  TYPE_CLASSES.set(t, new PyClass(t, [TYPE_CLASSES.get('object')!]));
}
TYPE_CLASSES.get('bool')!.bases.unshift(TYPE_CLASSES.get('int')!);
setNoneType(TYPE_CLASSES.get('NoneType')!);

function typeClass(name: string): PyClass {
  let c = TYPE_CLASSES.get(name);
  if (!c) TYPE_CLASSES.set(name, (c = new PyClass(name, [TYPE_CLASSES.get('object')!])));
  return c;
}

/** The NotImplemented singleton (binary dunders return it to decline). */
export const NOT_IMPLEMENTED = new PyInstance(new PyClass('NotImplementedType', []));

/** A lazy one-shot iterator; `step` returns undefined when exhausted. */
export function lazyIterator(kind: string, step: () => PyValue | undefined): PyIterator {
  let done = false;
  return new PyIterator(() => {
    if (done) return { done: true };
    const v = step();
    if (v === undefined) {
      done = true;
      return { done: true };
    }
    return { done: false, value: v };
  }, kind);
}

/**
 * type(v): an instance's class; a native object's own class where it names one (its
 * `pyType()`, e.g. numpy.ndarray, torch.Tensor), else a class made once per type name.
 */
export function typeOf(v: PyValue): PyClass {
  if (v instanceof PyInstance) return v.cls;
  const own = v instanceof PyObj ? (v as PyObj & { pyType?: () => PyClass | undefined }).pyType?.() : undefined;
  if (own) return own;
  if (v instanceof PyClass) return TYPE_CLASSES.get('type')!;
  if (v instanceof PyNamedTuple) return namedTupleType(v.fullName);
  const name = typeNameOf(v);
  let c = TYPE_CLASSES.get(name);
  if (!c) {
    c = new PyClass(name, [TYPE_CLASSES.get('object')!], v instanceof PyObj ? (v as { fullName?: string }).fullName ?? name : name);
    TYPE_CLASSES.set(name, c);
  }
  return c;
}

/**
 * The class of a framework's named tuple by its qualified name ("torch.Size",
 * "torch.return_types.max"): one per name, a subclass of tuple as
 * collections.namedtuple's classes are, so isinstance(x.shape, tuple) holds.
 */
export function namedTupleType(fullName: string): PyClass {
  let c = TYPE_CLASSES.get(fullName);
  if (!c) {
    c = new PyClass(fullName.split('.').pop()!, [TYPE_CLASSES.get('tuple')!], fullName);
    TYPE_CLASSES.set(fullName, c);
  }
  return c;
}

function toIndex(v: PyValue): bigint {
  const i = asBigInt(v);
  if (i !== undefined) return i;
  if (v instanceof PyObj) {
    const n = (v as PyObj & { asIndex?: () => number | undefined }).asIndex?.();
    if (n !== undefined) return BigInt(n);
  }
  throw pyError('TypeError', `'${typeNameOf(v)}' object cannot be interpreted as an integer`);
}

function pyInt(v: PyValue, base: PyValue | undefined, ctx: CallContext): bigint {
  if (typeof v === 'string') {
    const b = base === undefined ? 10 : Number(base);
    const s = v.trim().replace(/_/g, '');
    const ok = b === 10 ? /^[+-]?\d+$/.test(s) : true;
    const n = ok ? parseInt(s, b) : NaN;
    if (Number.isNaN(n)) throw pyError('ValueError', `invalid literal for int() with base ${b}: ${ctx.repr(v)}`);
    return BigInt(s.length > 15 && b === 10 ? s : n);
  }
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw pyError(Number.isNaN(v) ? 'ValueError' : 'OverflowError', Number.isNaN(v) ? 'cannot convert float NaN to integer' : 'cannot convert float infinity to integer');
    return BigInt(Math.trunc(v));
  }
  const i = asBigInt(v);
  if (i !== undefined) return i;
  if (v instanceof PyObj) {
    // an integer tensor's exact value (int64 beyond 2^53 too)
    const exact = (v as PyObj & { asExactInt?: () => bigint | undefined }).asExactInt?.();
    if (exact !== undefined) return exact;
    const n = (v as PyObj & { asNumber?: () => number | undefined; isIntegral?: () => boolean }).asNumber?.();
    if (n !== undefined) return BigInt(Math.trunc(n));
  }
  // a class of the file's (or an enum's) own: __int__, else __index__, as int() tries them
  if (v instanceof PyInstance) {
    for (const name of ['__int__', '__index__']) {
      const m = v.cls.lookup(name);
      if (m === undefined) continue;
      const r = ctx.call(m, [v]);
      const i = typeof r === 'boolean' ? undefined : asBigInt(r);
      if (i === undefined) throw pyError('TypeError', `${name} returned non-int (type ${typeNameOf(r)})`);
      return i;
    }
  }
  throw pyError('TypeError', `int() argument must be a string, a bytes-like object or a real number, not '${typeNameOf(v)}'`);
}

function pyFloat(v: PyValue, ctx: CallContext): number {
  if (typeof v === 'string') {
    const s = v.trim().toLowerCase();
    if (s === 'inf' || s === '+inf' || s === 'infinity') return Infinity;
    if (s === '-inf' || s === '-infinity') return -Infinity;
    if (s === 'nan' || s === '+nan' || s === '-nan') return NaN;
    const n = Number(s.replace(/_/g, ''));
    if (s === '' || Number.isNaN(n)) throw pyError('ValueError', `could not convert string to float: ${ctx.repr(v)}`);
    return n;
  }
  const n = asNumber(v);
  if (n !== undefined) return n;
  if (v instanceof PyObj) {
    const x = (v as PyObj & { asNumber?: () => number | undefined }).asNumber?.();
    if (x !== undefined) return x;
  }
  throw pyError('TypeError', `float() argument must be a string or a real number, not '${typeNameOf(v)}'`);
}

function rangeOf(args: PyValue[]): PyRange {
  const xs = args.map(toIndex);
  if (xs.length === 1) return new PyRange(0n, xs[0], 1n);
  if (xs.length === 2) return new PyRange(xs[0], xs[1], 1n);
  if (xs.length === 3) {
    if (xs[2] === 0n) throw pyError('ValueError', 'range() arg 3 must not be zero');
    return new PyRange(xs[0], xs[1], xs[2]);
  }
  throw pyError('TypeError', `range expected at most 3 arguments, got ${xs.length}`);
}

export function dictFrom(args: PyValue[], kw: Kwargs, ctx: CallContext): PyDict {
  const d = new PyDict();
  if (args.length) {
    const src = args[0];
    const store = dictStoreOf(src);
    if (store) for (const [h, kv] of store.entries) d.entries.set(h, kv);
    else for (const pair of ctx.iterate(src)) {
      const [k, v] = ctx.iterate(pair);
      d.entries.set(hashKey(k, ctx), [k, v]);
    }
  }
  for (const [k, v] of kw) d.entries.set(hashKey(k, ctx), [k, v]);
  return d;
}

function listIterator(items: PyValue[], kind = 'iterator'): PyIterator {
  let i = 0;
  return new PyIterator(() => (i < items.length ? { done: false, value: items[i++] } : { done: true }), kind);
}

function minMax(name: 'min' | 'max', args: PyValue[], kwargs: Kwargs, ctx: CallContext): PyValue {
  const items = args.length === 1 ? ctx.iterate(args[0]) : args;
  const key = kwargs.get('key');
  if (items.length === 0) {
    if (kwargs.has('default')) return kwargs.get('default')!;
    throw pyError('ValueError', `${name}() arg is an empty sequence`);
  }
  let best = items[0];
  let bestKey = key ? ctx.call(key, [best]) : best;
  for (const x of items.slice(1)) {
    const k = key ? ctx.call(key, [x]) : x;
    const c = sortCompare(k, bestKey, ctx);
    if (name === 'max' ? c > 0 : c < 0) {
      best = x;
      bestKey = k;
    }
  }
  return best;
}

function sumOf(items: PyValue[], start: PyValue, ctx: CallContext): PyValue {
  let acc = start;
  for (const x of items) acc = ctx.binary('+', acc, x);
  return acc;
}

function roundHalfEven(x: number, digits: number): number {
  if (!Number.isFinite(x)) return x;
  // Python rounds the exact binary value; going through the shortest repr is close enough for snippets.
  const m = 10 ** digits;
  const y = x * m;
  const r = Math.round(y);
  const isHalf = Math.abs(y - Math.trunc(y)) === 0.5;
  return (isHalf && r % 2 !== 0 ? r - 1 : r) / m;
}

export function formatValue(v: PyValue, spec: string, ctx: CallContext): string {
  checkFormatSize(spec);
  if (v instanceof PyObj) {
    const fmt = (v as PyObj & { format?: (spec: string, ctx: CallContext) => string | undefined }).format?.(spec, ctx);
    if (fmt !== undefined) return fmt;
    if (spec === '') return ctx.str(v);
    throw pyError('TypeError', `unsupported format string passed to ${v.typeName}.__format__`);
  }
  if (spec === '') return ctx.str(v);
  if (typeof v === 'string') return alignText(v, spec);
  if (typeof v === 'boolean') return /[dfeEgG%xXbo]$/.test(spec) ? formatSpec(v ? 1n : 0n, true, spec) : alignText(v ? 'True' : 'False', spec);
  if (typeof v === 'bigint') return formatSpec(v, true, spec);
  if (typeof v === 'number') return formatSpec(v, false, spec);
  return alignText(ctx.str(v), spec);
}

/**
 * A width or precision in a format spec sizes the string built from it:
 * f"{x:>1000000000}" is MemoryError before any padding is made.
 */
function checkFormatSize(spec: string): void {
  const m = /^(?:.?[<>=^])?[-+ ]?z?#?0?(\d*)[,_]?(?:\.(\d+))?/.exec(spec);
  if (!m) return;
  for (const digits of [m[1], m[2]]) {
    if (digits) checkItems(digits.length > 15 ? Infinity : Number(digits), 'str');
  }
}

/** format(str, spec): [[fill]align][width][.precision][s] */
function alignText(s: string, spec: string): string {
  const m = /^(?:(.)?([<>^]))?(\d+)?(?:\.(\d+))?s?$/.exec(spec);
  if (!m) throw pyError('ValueError', `Unknown format code '${spec.slice(-1)}' for object of type 'str'`);
  const [, fill = ' ', align = '<', width, precision] = m;
  const text = precision !== undefined ? s.slice(0, Number(precision)) : s;
  const pad = Math.max(0, Number(width ?? 0) - [...text].length);
  if (align === '>') return fill.repeat(pad) + text;
  if (align === '^') return fill.repeat(Math.floor(pad / 2)) + text + fill.repeat(pad - Math.floor(pad / 2));
  return text + fill.repeat(pad);
}

/** printf-style "%d %.4f %s" % args */
export function formatPercent(fmt: string, arg: PyValue, ctx: CallContext): string {
  const args = arg instanceof PyTuple ? arg.items.slice() : [arg];
  let i = 0;
  const out = fmt.replace(/%(\([^)]*\))?([-+ #0]*)(\d+|\*)?(?:\.(\d+))?([diouxXeEfFgGcrsa%])/g, (_m, key, flags, width, prec, conv) => {
    if (conv === '%') return '%';
    let v: PyValue;
    if (key) {
      if (!(arg instanceof PyDict)) throw pyError('TypeError', 'format requires a mapping');
      const hit = arg.entries.get(hashKey(key.slice(1, -1), ctx));
      if (!hit) throw pyError('KeyError', ctx.repr(key.slice(1, -1)));
      v = hit[1];
    } else {
      if (i >= args.length) throw pyError('TypeError', 'not enough arguments for format string');
      v = args[i++];
    }
    const spec = `${flags.includes('-') ? '<' : ''}${flags.includes('+') ? '+' : flags.includes(' ') ? ' ' : ''}${flags.includes('0') && !flags.includes('-') ? '0' : ''}${width ?? ''}${prec !== undefined ? '.' + prec : ''}`;
    switch (conv) {
      case 's': return alignText(ctx.str(v), spec.replace(/^</, '<').replace(/^([+ 0])/, ''));
      case 'r': case 'a': return alignText(ctx.repr(v), spec);
      case 'd': case 'i': case 'u': return formatSpec(BigInt(Math.trunc(Number(asNumber(v) ?? pyFloat(v, ctx)))), true, spec + 'd');
      case 'c': return typeof v === 'string' ? v : String.fromCodePoint(Number(v));
      default: {
        const n = asNumber(v) ?? pyFloat(v, ctx);
        return formatSpec(conv === 'x' || conv === 'X' || conv === 'o' ? BigInt(Math.trunc(n)) : n, conv === 'x' || conv === 'X' || conv === 'o', spec + conv);
      }
    }
  });
  if (i < args.length && !(arg instanceof PyDict)) throw pyError('TypeError', 'not all arguments converted during string formatting');
  return out;
}

export function makeBuiltins(): Map<string, PyValue> {
  const b = new Map<string, PyValue>();
  const def = (name: string, f: NativeFn) => b.set(name, fn(name, ONE_ARGUMENT.has(name) ? exactlyOne(name, f) : f));

  def('print', (args, kw, ctx) => {
    const sep = kw.has('sep') && kw.get('sep') !== null ? toStr(kw.get('sep'), 'sep') : ' ';
    const end = kw.has('end') && kw.get('end') !== null ? toStr(kw.get('end'), 'end') : '\n';
    ctx.print(args.map((a) => ctx.str(a)).join(sep) + end);
    return null;
  });
  def('len', ([x], _kw, ctx) => {
    if (typeof x === 'string') return BigInt([...x].length);
    if (x instanceof PyList || x instanceof PyTuple) return BigInt(x.items.length);
    if (x instanceof PyDict || x instanceof PySet) return BigInt(x.entries.size);
    if (x instanceof PyRange) return BigInt(x.size);
    if (x instanceof PyClass && x.lookup('__class_len__') !== undefined) return ctx.call(x.lookup('__class_len__')!, [x]);
    if (x instanceof PyInstance) {
      const m = x.cls.lookup('__len__');
      if (m !== undefined) return ctx.call(m, [x]);
    }
    if (x instanceof PyObj) {
      const n = x.length(ctx);
      if (n !== undefined) return BigInt(n);
    }
    throw pyError('TypeError', `object of type '${typeNameOf(x)}' has no len()`);
  });
  def('range', (args) => rangeOf(args));
  def('abs', ([x], _kw, ctx) => {
    if (typeof x === 'bigint') return x < 0n ? -x : x;
    if (typeof x === 'boolean') return x ? 1n : 0n;
    if (typeof x === 'number') return Math.abs(x);
    const m = ctx.getAttr(x, '__abs__');
    return ctx.call(m, []);
  });
  def('round', (args, kw, ctx) => {
    const a = bind('round', args, kw, ['number', 'ndigits?']);
    const x = a.number!;
    if (x instanceof PyObj) {
      return ctx.call(ctx.getAttr(x, '__round__'), a.ndigits === undefined || a.ndigits === null ? [] : [a.ndigits]);
    }
    if (a.ndigits === undefined || a.ndigits === null) {
      if (typeof x === 'bigint') return x;
      const n = asNumber(x)!;
      if (!Number.isFinite(n)) throw pyError(Number.isNaN(n) ? 'ValueError' : 'OverflowError', Number.isNaN(n) ? 'cannot convert float NaN to integer' : 'cannot convert float infinity to integer');
      return BigInt(roundHalfEven(n, 0));
    }
    if (typeof x === 'bigint') return x;
    return roundHalfEven(asNumber(x)!, toInt(a.ndigits, 'ndigits'));
  });
  def('int', (args, kw, ctx) => (args.length === 0 ? 0n : pyInt(args[0], args[1] ?? kw.get('base'), ctx)));
  def('float', (args, _kw, ctx) => (args.length === 0 ? 0 : pyFloat(args[0], ctx)));
  def('str', (args, kw, ctx) => {
    // str(b, encoding): decodes bytes (str(b) alone is their repr)
    const encoding = args[1] ?? kw.get('encoding');
    if (encoding !== undefined && args[0] instanceof PyBytes) return decodeBytes(args[0].data, toStr(encoding, "str() argument 'encoding'"));
    if (encoding !== undefined) throw pyError('TypeError', typeof args[0] === 'string' ? 'decoding str is not supported' : `decoding to str: need a bytes-like object, ${typeNameOf(args[0] ?? '')} found`);
    return args.length === 0 ? '' : ctx.str(args[0]);
  });
  def('repr', ([x], _kw, ctx) => ctx.repr(x));
  def('bool', (args, _kw, ctx) => (args.length === 0 ? false : ctx.truthy(args[0])));
  def('bytes', (args, kw, ctx) => makeBytes(args, kw, ctx, false));
  def('bytearray', (args, kw, ctx) => makeBytes(args, kw, ctx, true));
  def('memoryview', (args, kw) => makeMemoryView(bind('memoryview', args, kw, ['object']).object ?? null));
  def('list', (args, _kw, ctx) => new PyList(args.length ? ctx.iterate(args[0]) : []));
  def('tuple', (args, _kw, ctx) => new PyTuple(args.length ? ctx.iterate(args[0]) : []));
  def('set', (args, _kw, ctx) => setFrom(args.length ? args[0] : new PyList([]), ctx));
  def('dict', dictFrom);
  // enumerate, zip, map and filter are lazy, as in Python: they may wrap infinite iterators
  def('enumerate', (args, kw, ctx) => {
    const a = bind('enumerate', args, kw, ['iterable', 'start?']);
    let i = a.start === undefined ? 0n : toIndex(a.start);
    const it = ctx.iter(a.iterable!);
    return lazyIterator('enumerate', () => {
      const r = it.next();
      return r.done ? undefined : new PyTuple([i++, r.value]);
    });
  });
  def('zip', (args, kw, ctx) => {
    const its = args.map((x) => ctx.iter(x));
    const strict = kw.has('strict') && ctx.truthy(kw.get('strict')!);
    return lazyIterator('zip', () => {
      if (!its.length) return undefined;
      const out: PyValue[] = [];
      for (let k = 0; k < its.length; k++) {
        const r = its[k].next();
        if (r.done) {
          if (strict && k > 0) throw pyError('ValueError', `zip() argument ${k + 1} is shorter than argument${k > 1 ? `s 1-${k}` : ' 1'}`);
          if (strict && k === 0 && its.slice(1).some((o) => !o.next().done)) throw pyError('ValueError', 'zip() argument 2 is longer than argument 1');
          return undefined;
        }
        out.push(r.value);
      }
      return new PyTuple(out);
    });
  });
  def('map', ([f, ...sources], _kw, ctx) => {
    const its = sources.map((x) => ctx.iter(x));
    return lazyIterator('map', () => {
      const vals: PyValue[] = [];
      for (const it of its) {
        const r = it.next();
        if (r.done) return undefined;
        vals.push(r.value);
      }
      return ctx.call(f, vals);
    });
  });
  def('filter', ([f, source], _kw, ctx) => {
    const it = ctx.iter(source);
    return lazyIterator('filter', () => {
      for (let r = it.next(); !r.done; r = it.next()) if (ctx.truthy(f === null ? r.value : ctx.call(f, [r.value]))) return r.value;
      return undefined;
    });
  });
  def('sorted', (args, kw, ctx) => {
    const a = bind('sorted', args, kw, ['iterable', 'key?', 'reverse?']);
    return new PyList(sortValues(ctx.iterate(a.iterable!), a.key ?? null, ctx.truthy(a.reverse ?? false), ctx));
  });
  def('reversed', ([x], _kw, ctx) => listIterator(ctx.iterate(x).reverse(), 'reversed'));
  def('sum', (args, kw, ctx) => {
    const a = bind('sum', args, kw, ['iterable', 'start?']);
    return sumOf(ctx.iterate(a.iterable!), a.start ?? 0n, ctx);
  });
  def('min', (args, kw, ctx) => minMax('min', args, kw, ctx));
  def('max', (args, kw, ctx) => minMax('max', args, kw, ctx));
  // any/all stop at the first deciding value, so they work on infinite generators
  def('any', ([x], _kw, ctx) => {
    for (let it = ctx.iter(x), r = it.next(); !r.done; r = it.next()) if (ctx.truthy(r.value)) return true;
    return false;
  });
  def('all', ([x], _kw, ctx) => {
    for (let it = ctx.iter(x), r = it.next(); !r.done; r = it.next()) if (!ctx.truthy(r.value)) return false;
    return true;
  });
  def('isinstance', ([x, t]) => isInstance(x, t));
  def('issubclass', ([c, t]) => c instanceof PyClass && (t instanceof PyTuple ? t.items : [t]).some((k) => k instanceof PyClass && c.isSubclassOf(k)));
  def('type', ([x]) => typeOf(x));
  def('hasattr', ([o, n], _kw, ctx) => {
    try {
      ctx.getAttr(o, toStr(n, 'attribute name'));
      return true;
    } catch (e) {
      const type = (e as { pyType?: string }).pyType;
      if (type === 'AttributeError') return false;
      if (type === 'NotImplementedError') return true; // the real library has it
      throw e;
    }
  });
  def('getattr', ([o, n, dflt], _kw, ctx) => {
    try {
      return ctx.getAttr(o, toStr(n, 'attribute name'));
    } catch (e) {
      if (dflt !== undefined && (e as { pyType?: string }).pyType === 'AttributeError') return dflt;
      throw e;
    }
  });
  def('setattr', ([o, n, v], _kw, ctx) => {
    (ctx as unknown as { setAttr(o: PyValue, n: string, v: PyValue): void }).setAttr(o, toStr(n, 'attribute name'), v);
    return null;
  });
  def('iter', ([x], _kw, ctx) => {
    if (x instanceof PyIterator) return x;
    if (x instanceof PyInstance && (x.cls.lookup('__iter__') !== undefined || x.cls.lookup('__next__') !== undefined)) {
      const m = x.cls.lookup('__iter__');
      if (m !== undefined) return ctx.call(m, [x]);
    }
    const it = ctx.iter(x);
    return lazyIterator('iterator', () => {
      const r = it.next();
      return r.done ? undefined : r.value;
    });
  });
  def('next', ([it, dflt], _kw, ctx) => {
    if (it instanceof PyInstance && it.cls.lookup('__next__') !== undefined) {
      try {
        return ctx.call(ctx.getAttr(it, '__next__'), []);
      } catch (e) {
        if (dflt !== undefined && (e as { pyType?: string }).pyType === 'StopIteration') return dflt;
        throw e;
      }
    }
    if (!(it instanceof PyIterator)) throw pyError('TypeError', `'${typeNameOf(it)}' object is not an iterator`);
    const r = it.next();
    if (r.done) {
      if (dflt !== undefined) return dflt;
      const ret = (it as PyIterator & { returnValue?: PyValue }).returnValue;
      const e = pyError('StopIteration', '');
      if (ret !== undefined && ret !== null) e.instance.native.args = [ret];
      throw e;
    }
    return r.value ?? null;
  });
  def('divmod', ([x, y], _kw, ctx) => new PyTuple([ctx.binary('//', x, y), ctx.binary('%', x, y)]));
  def('pow', ([x, y], _kw, ctx) => ctx.binary('**', x, y));
  def('chr', ([x]) => String.fromCodePoint(toInt(x, 'chr() arg')));
  def('ord', ([x]) => BigInt(toStr(x, 'ord() arg').codePointAt(0) ?? 0));
  def('format', ([x, spec], _kw, ctx) => formatValue(x, spec === undefined ? '' : toStr(spec, 'format spec'), ctx));
  def('id', ([x]) => BigInt(typeof x === 'object' && x !== null ? 140000000000000 + hashKey(x, {} as CallContext).length : 0));
  def('hash', ([x], _kw, ctx) => {
    const key = hashKey(x, ctx); // raises TypeError for unhashable values
    // CPython's own value where it is the same in every process; str, bytes and objects are per-process in CPython too
    return pythonHash(x) ?? BigInt(Array.from(key).reduce((h, c) => (h * 31 + c.charCodeAt(0)) | 0, 7));
  });
  def('callable', ([x]) => isCallable(x));
  def('input', () => {
    throw pyError('NotImplementedError', 'input() is not supported: Mask Lens evaluates snippets without a console');
  });
  def('open', () => {
    throw pyError('NotImplementedError', 'open() is not supported: Mask Lens does not read files');
  });
  def('exit', () => {
    throw pyError('SystemExit', '');
  });
  // zero-argument super() is resolved by the evaluator, which knows the calling method
  b.set('super', fn('super', ([cls, self]) => {
    if (!(cls instanceof PyClass)) throw pyError(cls === undefined ? 'RuntimeError' : 'TypeError', cls === undefined ? 'super(): __class__ cell not found' : `super() argument 1 must be a type, not ${typeNameOf(cls)}`);
    return new PySuper(cls, self ?? null);
  }));
  b.set('None', null);
  b.set('True', true);
  b.set('False', false);
  b.set('Ellipsis', PyEllipsis.instance);
  b.set('__name__', '__main__');
  for (const [name, cls] of EXCEPTION_CLASSES) b.set(name, cls);
  for (const [alias, name] of BUILTIN_EXCEPTION_ALIASES) b.set(alias, EXCEPTION_CLASSES.get(name)!);
  b.set('object', TYPE_CLASSES.get('object')!);
  b.set('staticmethod', STATICMETHOD);
  b.set('property', PROPERTY);
  b.set('classmethod', CLASSMETHOD);
  def('slice', (args) => (args.length === 1 ? new PySlice(null, args[0], null) : new PySlice(args[0], args[1] ?? null, args[2] ?? null)));
  def('frozenset', (args, _kw, ctx) => {
    if (args[0] instanceof PySet && args[0].frozen) return args[0]; // frozenset(f) is f
    return setFrom(args.length ? args[0] : new PyList([]), ctx, true);
  });
  def('vars', ([o], _kw, ctx) => ctx.getAttr(o, '__dict__'));
  def('locals', () => new PyDict());
  def('globals', () => new PyDict());
  b.set('NotImplemented', NOT_IMPLEMENTED);
  // The built-in types are classes (isinstance(x, (list, tuple)), type(x) is int); calling one converts.
  for (const name of ['int', 'float', 'str', 'bool', 'list', 'tuple', 'set', 'frozenset', 'dict', 'range', 'slice', 'bytes', 'bytearray']) {
    const convert = b.get(name);
    const cls = typeClass(name);
    if (convert instanceof PyBuiltin) {
      cls.dict.set('__new__', fn('__new__', ([, ...args], kw, ctx) => convert.fn(args, kw, ctx)));
    }
    b.set(name, cls);
  }
  const typeCls = typeClass('type');
  typeCls.dict.set('__new__', fn('__new__', (args, _kw, ctx) => {
    const [, x, bases, ns] = args;
    // CPython's type_new: one argument (the type of) or three (a new class)
    if (args.length !== 2 && args.length !== 4) throw pyError('TypeError', 'type() takes 1 or 3 arguments');
    if (bases === undefined) return typeOf(x);
    // type(name, bases, namespace) builds a class
    const cls = new PyClass(toStr(x, 'type.__new__() argument 1'), ctx.iterate(bases) as PyClass[]);
    if (ns instanceof PyDict) for (const [k, v] of ns.entries.values()) cls.dict.set(String(k), v);
    return cls;
  }));
  b.set('type', typeCls);
  const objectCls = typeClass('object');
  objectCls.dict.set('__setattr__', fn('__setattr__', ([self, name, v]) => {
    if (self instanceof PyInstance) setInstanceAttribute(self, toStr(name, 'attribute name'), v ?? null);
    return null;
  }));
  installDictBase(typeClass('dict'));
  NATIVE_DICT_CLASSES.add(typeClass('dict'));
  objectCls.dict.set('__new__', fn('__new__', ([cls]) => new PyInstance(cls as PyClass)));
  // super().__getattribute__(name) from a class that overrides it
  objectCls.dict.set('__getattribute__', fn('__getattribute__', ([self, name], _kw, ctx) =>
    (ctx as unknown as { genericGetAttr(o: PyValue, n: string): PyValue }).genericGetAttr(self ?? null, toStr(name, 'attribute name'))));
  return b;
}

/** The entries behind a dict or an instance of a dict subclass; undefined for anything else. */
export function dictStoreOf(v: PyValue | undefined): PyDict | undefined {
  if (v instanceof PyDict) return v;
  if (v instanceof PyInstance && v.native.dictStore instanceof PyDict) return v.native.dictStore;
  return undefined;
}

/**
 * Classes whose call makes a plain dict (dict itself, collections.OrderedDict);
 * a file's own subclass of one makes an instance with its own item store.
 */
export const NATIVE_DICT_CLASSES = new Set<PyClass>();

/** collections.OrderedDict: calling it makes a dict (insertion order is every dict's order); a subclass of it is a dict subclass. */
export function orderedDictClass(): PyClass {
  const cls = new PyClass('OrderedDict', [typeClass('dict')], 'collections.OrderedDict');
  NATIVE_DICT_CLASSES.add(cls);
  return cls;
}

/** An instance of a subclass of dict (`class AttrDict(dict)`, HF's ModelOutput(OrderedDict)): its items live in a dict of its own. */
export function newDictSubclassInstance(cls: PyClass): PyInstance {
  const inst = new PyInstance(cls);
  inst.native.dictStore = new PyDict();
  return inst;
}

/** `obj.name = v`; `obj.__dict__ = d` makes d's string keys the object's attributes (`self.__dict__ = self`). */
export function setInstanceAttribute(obj: PyInstance, name: string, v: PyValue): void {
  if (name !== '__dict__') {
    obj.dict.set(name, v);
    return;
  }
  const store = dictStoreOf(v);
  if (!store) throw pyError('TypeError', `__dict__ must be set to a dictionary, not a '${typeNameOf(v)}'`);
  obj.dict = new ItemAttributes(v, store.entries);
}

/**
 * dict's own methods, so a subclass inherits them and reaches them through
 * super(): each works on the instance's item store (a plain dict passed as
 * self works on itself). `dict.__getitem__` calls a subclass's `__missing__`
 * for an absent key, as CPython's dict_subscript does.
 */
function installDictBase(dictCls: PyClass): void {
  const store = (self: PyValue | undefined): PyDict => {
    const d = dictStoreOf(self);
    if (!d) throw pyError('TypeError', `descriptor requires a 'dict' object but received a '${typeNameOf(self ?? null)}'`);
    return d;
  };
  const m = (name: string, f: NativeFn) => dictCls.dict.set(name, new PyBuiltin(name, f, `dict.${name}`));
  m('__init__', ([self, ...args], kw, ctx) => {
    const d = store(self);
    for (const [h, kv] of dictFrom(args, kw, ctx).entries) d.entries.set(h, kv);
    return null;
  });
  m('__getitem__', ([self, k], _kw, ctx) => {
    const hit = store(self).entries.get(hashKey(k ?? null, ctx));
    if (hit) return hit[1];
    const missing = self instanceof PyInstance ? self.cls.lookup('__missing__') : undefined;
    if (missing !== undefined) return ctx.call(missing, [self!, k ?? null]);
    throw keyError(k ?? null, ctx);
  });
  m('__setitem__', ([self, k, v], _kw, ctx) => {
    store(self).entries.set(hashKey(k ?? null, ctx), [k ?? null, v ?? null]);
    return null;
  });
  m('__delitem__', ([self, k], _kw, ctx) => {
    if (!store(self).entries.delete(hashKey(k ?? null, ctx))) throw keyError(k ?? null, ctx);
    return null;
  });
  m('__contains__', ([self, k], _kw, ctx) => store(self).entries.has(hashKey(k ?? null, ctx)));
  m('__len__', ([self]) => BigInt(store(self).entries.size));
  m('__iter__', ([self]) => listIterator([...store(self).entries.values()].map(([k]) => k), 'dict_keyiterator'));
  m('__repr__', ([self], _kw, ctx) => ctx.repr(store(self)));
  m('__eq__', ([self, other], _kw, ctx) => ctx.compare('==', store(self), dictStoreOf(other) ?? other ?? null));
  for (const name of ['keys', 'values', 'items', 'get', 'pop', 'popitem', 'update', 'setdefault', 'copy', 'clear']) {
    m(name, ([self, ...args], kw, ctx) => ctx.call(ctx.getAttr(store(self), name), args, kw));
  }
}

/** callable(v): functions, bound methods, built-ins, classes and instances whose class defines __call__. */
export function isCallable(v: PyValue): boolean {
  if (v instanceof PyFunction || v instanceof PyBuiltin || v instanceof PyBoundMethod || v instanceof PyClass) return true;
  return v instanceof PyInstance && v.cls.lookup('__call__') !== undefined;
}

export function isInstance(x: PyValue, t: PyValue): boolean {
  const types = t instanceof PyTuple ? t.items : checkIsinstanceArg(t) ?? [t];
  return types.some((k) => {
    // a class from an unmodelled package: only instances of the file's own subclasses of it
    if (k instanceof PyOpaque) return x instanceof PyInstance && x.cls.mro().some((c) => c.opaque === k.fullName);
    if (!(k instanceof PyClass)) throw pyError('TypeError', 'isinstance() arg 2 must be a type, a tuple of types, or a union');
    const own = typeOf(x);
    if (own.isSubclassOf(k)) return true;
    if (k.name === 'object') return true;
    const aliases = (k as PyClass & { matches?: (v: PyValue) => boolean }).matches;
    return aliases ? aliases(x) : false;
  });
}

export function sortValues(items: PyValue[], key: PyValue, reverse: boolean, ctx: CallContext): PyValue[] {
  const keyed = items.map((v, i) => ({ v, i, k: key === null ? v : ctx.call(key, [v]) }));
  keyed.sort((a, b) => {
    const c = reverse ? sortCompare(b.k, a.k, ctx) : sortCompare(a.k, b.k, ctx);
    return c !== 0 ? c : a.i - b.i;
  });
  return keyed.map((x) => x.v);
}

// ---------- methods of built-in types ----------

const method = (self: PyValue, name: string, f: (args: PyValue[], kw: Kwargs, ctx: CallContext) => PyValue) =>
  new PyBuiltin(name, (args, kw, ctx) => f(args, kw, ctx), `${typeNameOf(self)}.${name}`);

/**
 * collections.namedtuple's instance API (Lib/collections/__init__.py) on a
 * tuple a namedtuple class made: _fields, _asdict() (a dict in field order)
 * and _replace(**kw) (ValueError for an unknown field). Not on torch.Size or
 * torch.return_types, which are not namedtuple classes.
 */
function namedTupleAttr(t: PyNamedTuple, name: string): PyValue | undefined {
  const cls = t.cls;
  if (!cls) return undefined;
  switch (name) {
    case '_fields': return new PyTuple([...t.fields]);
    case '_asdict': return new PyBuiltin('_asdict', () => {
      const d = new PyDict();
      t.fields.forEach((f, k) => d.entries.set('s' + f, [f, t.items[k]]));
      return d;
    }, `${cls.name}._asdict`);
    case '_replace': return new PyBuiltin('_replace', (_args, kw) => {
      const unknown = [...kw.keys()].filter((k) => !t.fields.includes(k));
      if (unknown.length) throw pyError('ValueError', `Got unexpected field names: [${unknown.map((k) => `'${k}'`).join(', ')}]`);
      const r = new PyNamedTuple(t.fields.map((f, k) => (kw.has(f) ? kw.get(f)! : t.items[k])), t.fullName, t.fields);
      r.cls = cls;
      return r;
    }, `${cls.name}._replace`);
    default: return undefined;
  }
}

export function builtinAttr(obj: PyValue, name: string, ctx: CallContext): PyValue | undefined {
  if ((obj instanceof PyList || obj instanceof PyTuple || obj instanceof PyDict) && name in CONTAINER_DUNDERS) {
    if (name === '__setitem__' && obj instanceof PyTuple) return undefined;
    return method(obj, name, (args, _kw, c) => (checkDunderArity(typeNameOf(obj), name, args.length), CONTAINER_DUNDERS[name][1](obj, args, c)));
  }
  if (obj instanceof PyList) return listAttr(obj, name, ctx);
  if (obj instanceof PyNamedTuple) return obj.getAttr(name) ?? namedTupleAttr(obj, name) ?? tupleAttr(obj, name);
  if (obj instanceof PyTuple) return tupleAttr(obj, name);
  if (obj instanceof PyDict) return dictAttr(obj, name, ctx);
  if (obj instanceof PySet) return setAttr(obj, name, ctx);
  if (typeof obj === 'string') return strAttr(obj, name, ctx);
  if (typeof obj === 'number') {
    if (name === 'is_integer') return method(obj, name, () => Number.isInteger(obj));
    if (name === 'real') return obj;
    if (name === 'imag') return 0;
  }
  if (typeof obj === 'bigint' || typeof obj === 'boolean') {
    if (name === 'real' || name === 'numerator') return asBigInt(obj)!;
    if (name === 'bit_length') return method(obj, name, () => BigInt(asBigInt(obj)!.toString(2).replace('-', '').replace(/^0$/, '').length));
  }
  return undefined;
}

/**
 * The subscript and membership operators as bound methods of list, tuple and
 * dict (`QKs.__setitem__(i, w)` in whisper's hook lambdas, `d.__getitem__`),
 * each doing what the operator does, errors included.
 */
const CONTAINER_DUNDERS: Record<string, [arity: number, f: (obj: PyValue, args: PyValue[], ctx: CallContext) => PyValue]> = {
  __getitem__: [1, (obj, [k], ctx) => ctx.getItem(obj, k!)],
  __setitem__: [2, (obj, [k, v], ctx) => ((ctx as CallContext & { setItem(o: PyValue, k: PyValue, v: PyValue): void }).setItem(obj, k!, v!), null)],
  __contains__: [1, (obj, [x], ctx) => ctx.compare('in', x!, obj)],
  __len__: [0, (obj, _args, ctx) => BigInt(ctx.iterate(obj).length)],
};

/** CPython's TypeError for a wrong argument count: `list.__getitem__() takes exactly one argument (0 given)`, slot wrappers' `expected 2 arguments, got 1`. */
function checkDunderArity(owner: string, name: string, given: number): void {
  const want = CONTAINER_DUNDERS[name][0];
  if (given === want) return;
  if (want === 1) throw pyError('TypeError', `${owner}.${name}() takes exactly one argument (${given} given)`);
  // CPython unpacks slot wrapper arguments under an empty name, hence the leading space
  throw pyError('TypeError', ` expected ${want} argument${want === 1 ? '' : 's'}, got ${given}`);
}

function tupleAttr(t: PyTuple, name: string): PyValue | undefined {
  switch (name) {
    case 'count': return method(t, name, ([x], _k, ctx) => BigInt(t.items.filter((v) => equals(v, x, ctx)).length));
    case 'index': return method(t, name, ([x], _k, ctx) => {
      const i = t.items.findIndex((v) => equals(v, x, ctx));
      if (i < 0) throw pyError('ValueError', 'tuple.index(x): x not in tuple');
      return BigInt(i);
    });
  }
  return undefined;
}

function listAttr(l: PyList, name: string, _ctx: CallContext): PyValue | undefined {
  const found = listMethod(l, name);
  if (!(found instanceof PyBuiltin) || !LIST_ARITY[name]) return found;
  return method(l, name, (args, kw, ctx) => (checkArity('list', LIST_ARITY, name, args.length), found.fn(args, kw, ctx)));
}

function listMethod(l: PyList, name: string): PyValue | undefined {
  switch (name) {
    case 'append': return method(l, name, ([x]) => (l.items.push(x), null));
    case 'extend': return method(l, name, ([x], _k, ctx) => ((l.items = concatItems(l.items, ctx.iterate(x), 'list')), null));
    case 'insert': return method(l, name, ([i, x]) => {
      let k = toInt(i, 'index');
      if (k < 0) k = Math.max(0, k + l.items.length);
      l.items.splice(k, 0, x);
      return null;
    });
    case 'pop': return method(l, name, ([i]) => {
      if (l.items.length === 0) throw pyError('IndexError', 'pop from empty list');
      let k = i === undefined ? l.items.length - 1 : toInt(i, 'index');
      if (k < 0) k += l.items.length;
      if (k < 0 || k >= l.items.length) throw pyError('IndexError', 'pop index out of range');
      return l.items.splice(k, 1)[0];
    });
    case 'remove': return method(l, name, ([x], _k, ctx) => {
      const k = l.items.findIndex((v) => equals(v, x, ctx));
      if (k < 0) throw pyError('ValueError', 'list.remove(x): x not in list');
      l.items.splice(k, 1);
      return null;
    });
    case 'index': return method(l, name, ([x], _k, ctx) => {
      const k = l.items.findIndex((v) => equals(v, x, ctx));
      if (k < 0) throw pyError('ValueError', `${ctx.repr(x)} is not in list`);
      return BigInt(k);
    });
    case 'count': return method(l, name, ([x], _k, ctx) => BigInt(l.items.filter((v) => equals(v, x, ctx)).length));
    case 'reverse': return method(l, name, () => (l.items.reverse(), null));
    case 'sort': return method(l, name, (args, kw, ctx) => {
      const a = bind('sort', args, kw, ['key?', 'reverse?']);
      l.items = sortValues(l.items, a.key ?? null, ctx.truthy(a.reverse ?? false), ctx);
      return null;
    });
    case 'copy': return method(l, name, () => new PyList(l.items.slice()));
    case 'clear': return method(l, name, () => ((l.items.length = 0), null));
  }
  return undefined;
}

function dictAttr(d: PyDict, name: string, ctx: CallContext): PyValue | undefined {
  switch (name) {
    case 'keys': case 'values': case 'items': return method(d, name, () => new PyDictView(d, name));
    case 'get': return method(d, name, ([k, dflt]) => d.entries.get(hashKey(k, ctx))?.[1] ?? dflt ?? null);
    case 'setdefault': return method(d, name, ([k, dflt]) => {
      const h = hashKey(k, ctx);
      if (!d.entries.has(h)) d.entries.set(h, [k, dflt ?? null]);
      return d.entries.get(h)![1];
    });
    case 'pop': return method(d, name, ([k, dflt]) => {
      const h = hashKey(k, ctx);
      const hit = d.entries.get(h);
      if (!hit) {
        if (dflt !== undefined) return dflt;
        throw keyError(k, ctx);
      }
      d.entries.delete(h);
      return hit[1];
    });
    case 'update': return method(d, name, ([other], kw) => {
      const store = dictStoreOf(other);
      if (store) for (const [h, kv] of store.entries) d.entries.set(h, kv);
      else if (other !== undefined) for (const p of ctx.iterate(other)) {
        const [k, v] = ctx.iterate(p);
        d.entries.set(hashKey(k, ctx), [k, v]);
      }
      for (const [k, v] of kw) d.entries.set(hashKey(k, ctx), [k, v]);
      return null;
    });
    case 'copy': return method(d, name, () => {
      const c = new PyDict(d.defaultFactory);
      for (const [h, kv] of d.entries) c.entries.set(h, kv);
      return c;
    });
    case 'clear': return method(d, name, () => (d.entries.clear(), null));
  }
  return undefined;
}

function setAttr(s: PySet, name: string, ctx: CallContext): PyValue | undefined {
  if (s.frozen && ['add', 'discard', 'remove'].includes(name)) return undefined;
  switch (name) {
    case 'add': return method(s, name, ([x]) => (s.entries.set(hashKey(x, ctx), x), null));
    case 'discard': case 'remove': return method(s, name, ([x]) => {
      if (!s.entries.delete(setMemberKey(x, ctx)) && name === 'remove') throw keyError(x, ctx);
      return null;
    });
  }
  if (SET_METHODS.has(name) && (!s.frozen || !['update', 'intersection_update', 'difference_update', 'symmetric_difference_update', 'clear', 'pop'].includes(name))) {
    return method(s, name, (args) => setMethod(s, name, args, ctx)!);
  }
  return undefined;
}

/**
 * Positional arity of the str methods strAttr implements, with the way
 * CPython words a wrong count, which depends on how each is declared in
 * Objects/unicodeobject.c (checked against CPython 3.11): 'o' METH_O
 * ("str.join() takes exactly one argument (0 given)"), 'none' METH_NOARGS
 * ("str.upper() takes no arguments (1 given)"), 'clinic' _PyArg_CheckPositional
 * ("replace expected at least 2 arguments, got 1") and 'tuple'
 * PyArg_ParseTuple ("find() takes at least 1 argument (0 given)").
 */
const STR_ARITY: Record<string, [style: 'o' | 'none' | 'clinic' | 'tuple', min: number, max: number]> = {
  join: ['o', 1, 1], zfill: ['o', 1, 1], partition: ['o', 1, 1], rpartition: ['o', 1, 1], removeprefix: ['o', 1, 1], removesuffix: ['o', 1, 1],
  split: ['tuple', 0, 2], splitlines: ['tuple', 0, 1],
  startswith: ['tuple', 1, 3], endswith: ['tuple', 1, 3], find: ['tuple', 1, 3], rfind: ['tuple', 1, 3], count: ['tuple', 1, 3], index: ['tuple', 1, 3], rindex: ['tuple', 1, 3],
  encode: ['clinic', 0, 2], strip: ['clinic', 0, 1], lstrip: ['clinic', 0, 1], rstrip: ['clinic', 0, 1], replace: ['clinic', 2, 3], center: ['clinic', 1, 2], ljust: ['clinic', 1, 2], rjust: ['clinic', 1, 2],
};

/** The list methods' arity, in the same styles (Objects/listobject.c); sort takes keywords only and binds them itself. */
const LIST_ARITY: Record<string, [style: 'o' | 'none' | 'clinic' | 'tuple', min: number, max: number]> = {
  append: ['o', 1, 1], extend: ['o', 1, 1], remove: ['o', 1, 1], count: ['o', 1, 1],
  insert: ['clinic', 2, 2], pop: ['clinic', 0, 1], index: ['clinic', 1, 3],
  reverse: ['none', 0, 0], copy: ['none', 0, 0], clear: ['none', 0, 0],
};

/**
 * TypeError for a method of `owner` (str, list) called with a positional
 * argument count CPython refuses; `fallback` is the arity of names the table
 * leaves out (none: not checked).
 */
function checkArity(owner: string, table: typeof STR_ARITY, name: string, given: number, fallback?: (typeof STR_ARITY)[string]): void {
  const arity = table[name] ?? fallback;
  if (!arity) return;
  const [style, min, max] = arity;
  if (given >= min && given <= max) return;
  const plural = (k: number) => `${k} argument${k === 1 ? '' : 's'}`;
  const bound = min === max ? plural(min) : given < min ? `at least ${plural(min)}` : `at most ${plural(max)}`;
  const message =
    style === 'o' ? `${owner}.${name}() takes exactly one argument (${given} given)`
    : style === 'none' ? `${owner}.${name}() takes no arguments (${given} given)`
    : style === 'clinic' ? `${name} expected ${bound}, got ${given}`
    : `${name}() takes ${bound} (${given} given)`;
  throw pyError('TypeError', message);
}

/** TypeError for a str method called with a positional argument count CPython refuses. */
function checkStrArity(name: string, given: number): void {
  checkArity('str', STR_ARITY, name, given, name === 'format' ? undefined : ['none', 0, 0]);
}

function strAttr(s: string, name: string, ctx: CallContext): PyValue | undefined {
  const m = (f: (args: PyValue[], kw: Kwargs) => PyValue) => method(s, name, (a, k) => (checkStrArity(name, a.length), f(a, k)));
  switch (name) {
    case 'encode': return m(([encoding], kw) => new PyBytes(encodeString(s, encoding === undefined ? toStr(kw.get('encoding') ?? 'utf-8', 'encode() argument \'encoding\'') : toStr(encoding, "encode() argument 'encoding'"))));
    case 'join': return m(([it]) => ctx.iterate(it).map((x) => {
      if (typeof x !== 'string') throw pyError('TypeError', `sequence item 0: expected str instance, ${typeNameOf(x)} found`);
      return x;
    }).join(s));
    case 'split': return m(([sep, maxsplit]) => {
      const parts = sep === undefined || sep === null ? s.trim().split(/\s+/).filter((x) => x) : s.split(toStr(sep, 'sep'));
      if (maxsplit !== undefined && maxsplit !== null && Number(maxsplit) >= 0 && parts.length > Number(maxsplit) + 1) {
        const k = Number(maxsplit);
        const sepStr = sep === undefined || sep === null ? ' ' : String(sep);
        return new PyList([...parts.slice(0, k), parts.slice(k).join(sepStr)]);
      }
      return new PyList(parts);
    });
    case 'strip': return m(([c]) => (c === undefined || c === null ? s.trim() : trimChars(s, String(c), true, true)));
    case 'lstrip': return m(([c]) => (c === undefined || c === null ? s.trimStart() : trimChars(s, String(c), true, false)));
    case 'rstrip': return m(([c]) => (c === undefined || c === null ? s.trimEnd() : trimChars(s, String(c), false, true)));
    case 'upper': return m(() => s.toUpperCase());
    case 'lower': return m(() => s.toLowerCase());
    case 'replace': return m(([a, b]) => s.split(toStr(a, 'old')).join(toStr(b, 'new')));
    case 'startswith': return m(([p]) => (p instanceof PyTuple ? p.items.some((x) => s.startsWith(String(x))) : s.startsWith(toStr(p, 'prefix'))));
    case 'endswith': return m(([p]) => (p instanceof PyTuple ? p.items.some((x) => s.endsWith(String(x))) : s.endsWith(toStr(p, 'suffix'))));
    case 'format': return m((args, kw) => formatMethod(s, args, kw, ctx));
    case 'find': return m(([x]) => BigInt(s.indexOf(toStr(x, 'sub'))));
    case 'count': return m(([x]) => BigInt(s.split(toStr(x, 'sub')).length - 1));
    case 'isdigit': return m(() => /^\d+$/.test(s));
    case 'center': return m(([w, f]) => {
      const width = toWidth(w), fill = f === undefined ? ' ' : String(f);
      const total = Math.max(0, width - s.length), left = Math.floor(total / 2) + (total % 2 && width % 2 ? 1 : 0);
      return fill.repeat(left) + s + fill.repeat(total - left);
    });
    case 'ljust': return m(([w, f]) => s.padEnd(toWidth(w), f === undefined ? ' ' : String(f)));
    case 'rjust': return m(([w, f]) => s.padStart(toWidth(w), f === undefined ? ' ' : String(f)));
    case 'zfill': return m(([w]) => s.padStart(toWidth(w), '0'));
    case 'title': return m(() => s.replace(/\b\w/g, (c) => c.toUpperCase()));
    case 'splitlines': return m(([keep]) => {
      const parts = s.match(/[^\n\r]*(?:\r\n|\n|\r|$)/g)!.filter((x, i, all) => x !== '' || i < all.length - 1);
      return new PyList(parts.filter((x) => x !== '').map((x) => (keep !== undefined && keep !== false ? x : x.replace(/(\r\n|\n|\r)$/, ''))));
    });
    case 'partition': case 'rpartition': return m(([sep]) => {
      const t = toStr(sep, 'sep');
      const i = name === 'partition' ? s.indexOf(t) : s.lastIndexOf(t);
      if (i < 0) return new PyTuple(name === 'partition' ? [s, '', ''] : ['', '', s]);
      return new PyTuple([s.slice(0, i), t, s.slice(i + t.length)]);
    });
    case 'rfind': return m(([x]) => BigInt(s.lastIndexOf(toStr(x, 'sub'))));
    case 'index': case 'rindex': return m(([x]) => {
      const i = name === 'index' ? s.indexOf(toStr(x, 'sub')) : s.lastIndexOf(toStr(x, 'sub'));
      if (i < 0) throw pyError('ValueError', 'substring not found');
      return BigInt(i);
    });
    case 'removeprefix': return m(([p]) => (s.startsWith(toStr(p, 'prefix')) ? s.slice(String(p).length) : s));
    case 'removesuffix': return m(([p]) => (String(p) && s.endsWith(toStr(p, 'suffix')) ? s.slice(0, s.length - String(p).length) : s));
    case 'capitalize': return m(() => s.charAt(0).toUpperCase() + s.slice(1).toLowerCase());
    case 'casefold': return m(() => s.toLowerCase());
    case 'isalpha': return m(() => /^\p{L}+$/u.test(s));
    case 'isalnum': return m(() => /^[\p{L}\p{N}]+$/u.test(s));
    case 'isspace': return m(() => /^\s+$/.test(s));
    case 'isidentifier': return m(() => /^[\p{L}_][\p{L}\p{N}_]*$/u.test(s));
    case 'isupper': return m(() => /\p{Lu}/u.test(s) && s === s.toUpperCase());
    case 'islower': return m(() => /\p{Ll}/u.test(s) && s === s.toLowerCase());
    case 'isdecimal': case 'isnumeric': return m(() => /^\p{Nd}+$/u.test(s));
  }
  return undefined;
}

/** Built-ins CPython declares METH_O: any other argument count is TypeError before the call. */
const ONE_ARGUMENT: ReadonlySet<string> = new Set(['len', 'all', 'any', 'abs', 'callable', 'chr', 'ord', 'repr', 'hash', 'id']);

function exactlyOne(name: string, f: NativeFn): NativeFn {
  return (args, kw, ctx) => {
    if (args.length !== 1 || kw.size > 0) {
      if (kw.size > 0) throw pyError('TypeError', `${name}() takes no keyword arguments`);
      throw pyError('TypeError', `${name}() takes exactly one argument (${args.length} given)`);
    }
    return f(args, kw, ctx);
  };
}

/** str.center/ljust/rjust/zfill width, within the element budget. */
function toWidth(w: PyValue | undefined): number {
  const width = toInt(w, 'width');
  checkItems(width, 'str');
  return width;
}

function trimChars(s: string, chars: string, left: boolean, right: boolean): string {
  let a = 0, b = s.length;
  while (left && a < b && chars.includes(s[a])) a++;
  while (right && b > a && chars.includes(s[b - 1])) b--;
  return s.slice(a, b);
}

function formatMethod(s: string, args: PyValue[], kw: Kwargs, ctx: CallContext): string {
  let auto = 0;
  return s.replace(/\{\{|\}\}|\{([^{}!:]*)(?:!([rsa]))?(?::([^{}]*))?\}/g, (m, field: string | undefined, conv, spec) => {
    if (m === '{{') return '{';
    if (m === '}}') return '}';
    const path = (field ?? '').split('.');
    const head = path[0];
    let v: PyValue = head === '' ? args[auto++] : /^\d+$/.test(head) ? args[Number(head)] : kw.get(head) ?? null;
    if (v === undefined) throw pyError('IndexError', `Replacement index ${auto - 1} out of range for positional args tuple`);
    for (const attr of path.slice(1)) v = ctx.getAttr(v, attr);
    const text = conv === 'r' ? ctx.repr(v) : conv === 's' ? ctx.str(v) : null;
    return text !== null ? formatValue(text, spec ?? '', ctx) : formatValue(v, spec ?? '', ctx);
  });
}

export { formatPyFloat, listIterator, pyFloat, pyInt, toIndex };
