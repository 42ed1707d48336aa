// Small standard-library modules masking code imports: math, itertools,
// collections, warnings, copy.

import { erf, erfc } from '../../engine/ops/special';
import { toInt } from '../../python/args';
import { lazyIterator, listIterator, orderedDictClass, pyFloat } from '../../python/builtins';
import { EXCEPTION_CLASSES, isExceptionClass, makeException, pyError } from '../../python/exceptions';
import { namedTupleClass } from './typing';
import { asBigInt, asNumber, hashKey } from '../../python/protocols';
import {
  CallContext, Kwargs, NativeFn, PyBuiltin, PyClass, PyDict, PyFunction, PyInstance, PyList, PyModule, PyObj, PyTuple, PyValue,
} from '../../python/values';

const fn = (name: string, f: NativeFn) => new PyBuiltin(name, f);

export function basicModule(name: string): PyModule | undefined {
  switch (name) {
    case 'math': return mathModule();
    case 'itertools': return itertoolsModule();
    case 'collections': return collectionsModule();
    case 'warnings': return warningsModule();
    case 'copy': return copyModule();
  }
  return undefined;
}

export function module(name: string, entries: Record<string, PyValue | NativeFn>): PyModule {
  const m = new PyModule(name);
  for (const [k, v] of Object.entries(entries)) m.dict.set(k, typeof v === 'function' ? fn(k, v) : v);
  return m;
}

function mathModule(): PyModule {
  const num = (v: PyValue, ctx: CallContext) => {
    const n = asNumber(v);
    if (n !== undefined) return n;
    return pyFloat(v, ctx);
  };
  const f1 = (f: (x: number) => number, name: string) => ([x]: PyValue[], _k: Kwargs, ctx: CallContext) => {
    const n = num(x, ctx);
    const r = f(n);
    if (Number.isNaN(r) && !Number.isNaN(n)) throw pyError('ValueError', 'math domain error');
    void name;
    return r;
  };
  return module('math', {
    pi: Math.PI, e: Math.E, inf: Infinity, nan: NaN, tau: 2 * Math.PI,
    sqrt: f1(Math.sqrt, 'sqrt'), exp: f1(Math.exp, 'exp'), log: ([x, base], _k, ctx) => {
      const n = num(x, ctx);
      if (n <= 0) throw pyError('ValueError', 'math domain error');
      return base === undefined ? Math.log(n) : Math.log(n) / Math.log(num(base, ctx));
    },
    log2: f1(Math.log2, 'log2'), log10: f1(Math.log10, 'log10'), sin: f1(Math.sin, 'sin'), cos: f1(Math.cos, 'cos'),
    tanh: f1(Math.tanh, 'tanh'), erf: f1(erf, 'erf'), erfc: f1(erfc, 'erfc'), fabs: f1(Math.abs, 'fabs'), pow: ([x, y], _k, ctx) => num(x, ctx) ** num(y, ctx),
    floor: ([x], _k, ctx) => (typeof x === 'bigint' ? x : BigInt(Math.floor(num(x, ctx)))),
    ceil: ([x], _k, ctx) => (typeof x === 'bigint' ? x : BigInt(Math.ceil(num(x, ctx)))),
    isnan: ([x], _k, ctx) => Number.isNaN(num(x, ctx)), isinf: ([x], _k, ctx) => Math.abs(num(x, ctx)) === Infinity,
    isfinite: ([x], _k, ctx) => Number.isFinite(num(x, ctx)),
    // CPython's copysign: the magnitude of x with the sign bit of y (-0.0 and -nan count as negative)
    copysign: ([x, y], _k, ctx) => {
      const m = Math.abs(num(x, ctx)), s = num(y, ctx);
      return s < 0 || Object.is(s, -0) ? -m : m;
    },
    prod: ([it], _k, ctx) => ctx.iterate(it).reduce<PyValue>((a, b) => (typeof a === 'bigint' && typeof b === 'bigint' ? a * b : num(a, ctx) * num(b, ctx)), 1n),
    gcd: ([a, b]) => {
      let x = asBigInt(a)!, y = asBigInt(b)!;
      x = x < 0n ? -x : x;
      y = y < 0n ? -y : y;
      while (y) [x, y] = [y, x % y];
      return x;
    },
  });
}

function itertoolsModule(): PyModule {
  return module('itertools', {
    zip_longest: (args, kw, ctx) => {
      const lists = args.map((x) => ctx.iterate(x));
      const fill = kw.get('fillvalue') ?? null;
      const n = Math.max(0, ...lists.map((l) => l.length));
      return listIterator(Array.from({ length: n }, (_, i) => new PyTuple(lists.map((l) => (i < l.length ? l[i] : fill)))), 'itertools.zip_longest');
    },
    chain: (args, _kw, ctx) => listIterator(args.flatMap((x) => ctx.iterate(x)), 'itertools.chain'),
    product: (args, kw, ctx) => {
      const repeat = kw.has('repeat') ? toInt(kw.get('repeat'), 'repeat') : 1;
      let pools = args.map((x) => ctx.iterate(x));
      pools = Array.from({ length: repeat }, () => pools).flat();
      let out: PyValue[][] = [[]];
      for (const p of pools) out = out.flatMap((prefix) => p.map((x) => [...prefix, x]));
      return listIterator(out.map((t) => new PyTuple(t)), 'itertools.product');
    },
    accumulate: ([it], _kw, ctx) => {
      const items = ctx.iterate(it);
      const out: PyValue[] = [];
      let acc: PyValue | undefined;
      for (const x of items) {
        acc = acc === undefined ? x : (ctx as unknown as { binary(op: string, a: PyValue, b: PyValue): PyValue }).binary('+', acc, x);
        out.push(acc);
      }
      return listIterator(out, 'itertools.accumulate');
    },
    combinations: ([it, r], _kw, ctx) => {
      const items = ctx.iterate(it), k = toInt(r, 'r');
      const out: PyValue[] = [];
      const rec = (start: number, acc: PyValue[]) => {
        if (acc.length === k) return void out.push(new PyTuple(acc));
        for (let i = start; i < items.length; i++) rec(i + 1, [...acc, items[i]]);
      };
      rec(0, []);
      return listIterator(out, 'itertools.combinations');
    },
    // count, cycle, repeat() and islice are lazy: they meet infinite generators
    repeat: ([x, n]) => {
      let left = n === undefined ? Infinity : toInt(n, 'times');
      return lazyIterator('itertools.repeat', () => (left-- > 0 ? x : undefined));
    },
    count: ([start, step], _kw, ctx) => {
      let cur: PyValue = start ?? 0n;
      return lazyIterator('itertools.count', () => {
        const v = cur;
        cur = ctx.binary('+', cur, step ?? 1n);
        return v;
      });
    },
    cycle: ([it], _kw, ctx) => {
      const source = ctx.iter(it ?? null);
      const seen: PyValue[] = [];
      let i = 0;
      return lazyIterator('itertools.cycle', () => {
        const r = source.next();
        if (!r.done) return (seen.push(r.value), r.value);
        return seen.length ? seen[i++ % seen.length] : undefined;
      });
    },
    islice: (args, _kw, ctx) => {
      const source = ctx.iter(args[0] ?? null);
      const [start, stop, step] = args.length === 2 ? [0n, args[1], 1n] : [args[1] ?? 0n, args[2] ?? null, args[3] ?? 1n];
      const s0 = start === null ? 0 : toInt(start, 'start');
      const end = stop === null ? Infinity : toInt(stop, 'stop');
      const st = step === null ? 1 : toInt(step, 'step');
      let pos = 0;
      let next = s0;
      return lazyIterator('itertools.islice', () => {
        if (next >= end) return undefined;
        for (;;) {
          const r = source.next();
          if (r.done) return undefined;
          if (pos++ === next) {
            next += st;
            return r.value;
          }
        }
      });
    },
  });
}

function collectionsModule(): PyModule {
  return module('collections', {
    defaultdict: ([factory]) => new PyDict(factory ?? null),
    namedtuple: ([name, fieldNames], kw, ctx) => {
      const fields = typeof fieldNames === 'string' ? fieldNames.replace(/,/g, ' ').split(/\s+/).filter((f) => f) : ctx.iterate(fieldNames ?? null).map(String);
      const defaults = kw.has('defaults') && kw.get('defaults') !== null ? ctx.iterate(kw.get('defaults')!) : [];
      return namedTupleClass(String(name), fields, defaults);
    },
    OrderedDict: orderedDictClass(),
    Counter: ([it], _kw, ctx) => {
      const d = new PyDict();
      for (const x of it === undefined ? [] : ctx.iterate(it)) {
        const h = hashKey(x, ctx);
        d.entries.set(h, [x, ((d.entries.get(h)?.[1] as bigint) ?? 0n) + 1n]);
      }
      return d;
    },
  });
}

/**
 * warnings (CPython Lib/warnings.py): warn() reports the warning (the CLI's
 * and the hover's list), or appends a WarningMessage to the innermost
 * catch_warnings(record=True) list; catch_warnings is a context manager
 * (record=False gives None). Filters are accepted and not applied.
 */
function warningsModule(): PyModule {
  const recording: (PyList | null)[] = [];
  const warningMessage = new PyClass('WarningMessage', [], 'warnings.WarningMessage');
  warningMessage.dict.set('__repr__', fn('__repr__', ([w], _kw, ctx) => {
    const d = (w as PyInstance).dict;
    return `{message : ${ctx.repr(d.get('message')!)}, category : '${(d.get('category') as PyClass).name}', filename : '<string>', lineno : ${ctx.repr(d.get('lineno') ?? 0n)}, line : None}`;
  }));
  const catchWarnings = new PyClass('catch_warnings', [], 'warnings.catch_warnings');
  catchWarnings.dict.set('__init__', fn('__init__', ([s], kw, ctx) => {
    (s as PyInstance).native.record = kw.has('record') && ctx.truthy(kw.get('record')!);
    return null;
  }));
  catchWarnings.dict.set('__enter__', fn('__enter__', ([s]) => {
    const list = (s as PyInstance).native.record ? new PyList([]) : null;
    recording.push(list);
    return list;
  }));
  catchWarnings.dict.set('__exit__', fn('__exit__', () => (recording.pop(), false)));
  return module('warnings', {
    warn: (args, kw, ctx) => {
      const msg = args[0] ?? kw.get('message') ?? null;
      const given = args[1] ?? kw.get('category') ?? null;
      // warn(UserWarning("x")) takes the instance's class; the default category is UserWarning
      const category = msg instanceof PyInstance && isExceptionClass(msg.cls) ? msg.cls : given instanceof PyClass ? given : EXCEPTION_CLASSES.get('UserWarning')!;
      const list = recording.length ? recording[recording.length - 1] : null;
      if (list) {
        const w = new PyInstance(warningMessage);
        const message = msg instanceof PyInstance && isExceptionClass(msg.cls) ? msg : makeException(category, [msg], ctx.str(msg));
        w.dict.set('message', message);
        w.dict.set('category', category);
        w.dict.set('filename', '<string>');
        w.dict.set('lineno', 0n);
        w.dict.set('line', null);
        list.items.push(w);
        return null;
      }
      ctx.warn(`${category.name}: ${ctx.str(msg)}`);
      return null;
    },
    catch_warnings: catchWarnings,
    filterwarnings: () => null,
    simplefilter: () => null,
    resetwarnings: () => null,
  });
}

/**
 * copy.copy / copy.deepcopy (CPython Lib/copy.py). Scalars, str, functions,
 * classes and modules are atomic. Containers are rebuilt. A user-class
 * instance (an nn.Module included: torch defines no Module.__deepcopy__)
 * becomes a new instance of the same class whose __dict__ is copied, deeply
 * for deepcopy: its parameters and buffers go through Tensor.__deepcopy__
 * (new storage, still Parameters) and its submodules are copied in turn, so
 * `clones(layer, N)` gives N independent layers as in PyTorch. A class's own
 * __deepcopy__(memo) wins. The memo keeps shared references shared inside
 * the copy (tied weights stay tied) and cycles finite.
 */
function copyModule(): PyModule {
  const atomic = (v: PyValue) => !(v instanceof PyObj) || v instanceof PyFunction || v instanceof PyBuiltin || v instanceof PyClass || v instanceof PyModule;
  const cloneNative = (native: Record<string, unknown>) => {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(native)) out[k] = x instanceof Set ? new Set(x) : x instanceof Map ? new Map(x) : x;
    return out;
  };
  const shallow = (v: PyValue, ctx: CallContext): PyValue => {
    if (v instanceof PyList) return new PyList(v.items.slice());
    if (v instanceof PyDict) {
      const d = new PyDict(v.defaultFactory);
      for (const [h, e] of v.entries) d.entries.set(h, [e[0], e[1]]);
      return d;
    }
    if (v instanceof PyInstance) {
      const out = new PyInstance(v.cls);
      out.native = cloneNative(v.native);
      for (const [k, x] of v.dict) out.dict.set(k, x);
      return out;
    }
    // natively implemented values with a __copy__ (numpy.ndarray); the rest are shared
    const hook = v instanceof PyObj ? v.getAttr('__copy__', ctx) : undefined;
    return hook === undefined ? v : ctx.call(hook, []);
  };
  const deep = (v: PyValue, ctx: CallContext, memo: Map<PyObj, PyValue>): PyValue => {
    if (atomic(v)) return v;
    const obj = v as PyObj;
    const seen = memo.get(obj);
    if (seen !== undefined) return seen;
    if (obj instanceof PyList) {
      const out = new PyList([]);
      memo.set(obj, out);
      for (const x of obj.items) out.items.push(deep(x, ctx, memo));
      return out;
    }
    if (obj instanceof PyTuple && obj.constructor === PyTuple) {
      const items = obj.items.map((x) => deep(x, ctx, memo));
      const out = items.every((x, i) => x === obj.items[i]) ? obj : new PyTuple(items);
      memo.set(obj, out);
      return out;
    }
    if (obj instanceof PyDict) {
      const out = new PyDict(obj.defaultFactory);
      memo.set(obj, out);
      for (const [h, [k, x]] of obj.entries) out.entries.set(h, [deep(k, ctx, memo), deep(x, ctx, memo)]);
      return out;
    }
    if (obj instanceof PyInstance) {
      const own = obj.cls.lookup('__deepcopy__');
      if (own !== undefined) {
        const r = ctx.call(own, [obj, new PyDict()]);
        memo.set(obj, r);
        return r;
      }
      const out = new PyInstance(obj.cls);
      memo.set(obj, out);
      out.native = cloneNative(obj.native);
      for (const [k, x] of obj.dict) out.dict.set(k, deep(x, ctx, memo));
      return out;
    }
    // natively implemented values that define __deepcopy__ (torch.Tensor); the rest are shared
    const hook = obj.getAttr('__deepcopy__', ctx);
    const r = hook === undefined ? obj : ctx.call(hook, [new PyDict()]);
    memo.set(obj, r);
    return r;
  };
  return module('copy', {
    copy: ([v], _kw, ctx) => shallow(v, ctx),
    deepcopy: ([v], _kw, ctx) => deep(v, ctx, new Map()),
  });
}

