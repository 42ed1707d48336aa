// dataclasses: @dataclass with defaults, field(default_factory=...),
// __post_init__, InitVar, frozen, kw_only, and the generated __init__,
// __repr__, __eq__ (and order=True comparisons); asdict, astuple, replace,
// fields, is_dataclass. Semantics and messages follow CPython 3.11's
// Lib/dataclasses.py (_process_class, _init_fn, _repr_fn, _cmp_fn).

import { pyError, EXCEPTION_CLASSES, makeException } from '../../python/exceptions';
import { tooManyPositional } from '../../python/evaluator';
import { equals, hashKey } from '../../python/protocols';
import {
  CallContext, Kwargs, NativeFn, PyBuiltin, PyClass, PyDict, PyException, PyInstance, PyList, PyModule, PyTuple, PyValue,
  typeNameOf,
} from '../../python/values';

const fn = (name: string, f: NativeFn, qualname = name) => new PyBuiltin(name, f, qualname);

/** The MISSING sentinel: "no default given". */
const MISSING_CLASS = new PyClass('_MISSING_TYPE', []);
const MISSING = new PyInstance(MISSING_CLASS);
MISSING_CLASS.dict.set('__repr__', fn('__repr__', () => '<dataclasses._MISSING_TYPE object at 0x7f0000000000>'));

const FIELD = new PyClass('Field', [], 'dataclasses.Field');
const FROZEN_ERROR = new PyClass('FrozenInstanceError', [EXCEPTION_CLASSES.get('AttributeError')!], 'dataclasses.FrozenInstanceError');
const INIT_VAR = new PyClass('InitVar', [], 'dataclasses.InitVar');

interface FieldSpec {
  name: string;
  type: string;
  default: PyValue;
  defaultFactory: PyValue;
  init: boolean;
  repr: boolean;
  compare: boolean;
  kwOnly: boolean;
  /** 'field', or 'initvar' (passed to __init__ and __post_init__, never stored). */
  kind: 'field' | 'initvar';
}

function fieldObject(f: Partial<FieldSpec>): PyInstance {
  const inst = new PyInstance(FIELD);
  inst.native.spec = f;
  syncFieldAttrs(inst);
  return inst;
}

function syncFieldAttrs(inst: PyInstance): void {
  const f = inst.native.spec as Partial<FieldSpec>;
  inst.dict.set('name', f.name ?? null);
  inst.dict.set('type', f.type ?? null);
  inst.dict.set('default', f.default ?? MISSING);
  inst.dict.set('default_factory', f.defaultFactory ?? MISSING);
  inst.dict.set('init', f.init ?? true);
  inst.dict.set('repr', f.repr ?? true);
  inst.dict.set('compare', f.compare ?? true);
  inst.dict.set('kw_only', f.kwOnly ?? false);
}

const isMissing = (v: PyValue | undefined) => v === undefined || v === MISSING;

/** field(*, default, default_factory, init, repr, compare, hash, metadata, kw_only) */
const fieldFn: NativeFn = (args, kw) => {
  if (args.length) throw pyError('TypeError', `field() takes 0 positional arguments but ${args.length} were given`);
  const dflt = kw.get('default');
  const factory = kw.get('default_factory');
  if (!isMissing(dflt) && !isMissing(factory)) throw pyError('ValueError', 'cannot specify both default and default_factory');
  return fieldObject({
    default: dflt ?? MISSING,
    defaultFactory: factory ?? MISSING,
    init: kw.has('init') ? kw.get('init') === true : true,
    repr: kw.has('repr') ? kw.get('repr') === true : true,
    compare: kw.has('compare') ? kw.get('compare') === true : true,
    kwOnly: kw.get('kw_only') === true,
  });
};

interface Options {
  init: boolean;
  repr: boolean;
  eq: boolean;
  order: boolean;
  frozen: boolean;
  kwOnly: boolean;
}

/** @dataclass, @dataclass(), @dataclass(frozen=True, ...) */
const dataclassFn: NativeFn = (args, kw, ctx) => {
  const opts: Options = {
    init: kw.get('init') !== false,
    repr: kw.get('repr') !== false,
    eq: kw.get('eq') !== false,
    order: kw.get('order') === true,
    frozen: kw.get('frozen') === true,
    kwOnly: kw.get('kw_only') === true,
  };
  if (opts.order && !opts.eq) throw pyError('ValueError', 'eq must be true if order is true');
  const wrap = (cls: PyValue) => {
    if (!(cls instanceof PyClass)) throw pyError('TypeError', `cannot use dataclass on '${typeNameOf(cls)}'`);
    processClass(cls, opts, ctx);
    return cls;
  };
  if (args.length && args[0] instanceof PyClass) return wrap(args[0]);
  return fn('wrap', ([cls]) => wrap(cls ?? null));
};

function annotationsOf(cls: PyClass): [string, string][] {
  const ann = cls.dict.get('__annotations__');
  if (!(ann instanceof PyDict)) return [];
  return [...ann.entries.values()].map(([k, v]) => [String(k), typeof v === 'string' ? v : '']);
}

const isClassVar = (t: string) => /^(typing\.)?ClassVar\b/.test(t);
const isInitVar = (t: string) => /^(dataclasses\.)?InitVar\b/.test(t);
const isKwOnlyMarker = (t: string) => /^(dataclasses\.)?KW_ONLY$/.test(t);

function processClass(cls: PyClass, opts: Options, ctx: CallContext): void {
  // fields of dataclass bases first, in reverse MRO order, as _process_class collects them
  const fields = new Map<string, FieldSpec>();
  for (const base of cls.mro().slice(1).reverse()) {
    const inherited = base.dict.get('__dataclass_fields__');
    if (inherited instanceof PyDict) {
      for (const [, f] of inherited.entries.values()) {
        const spec = (f as PyInstance).native.spec as FieldSpec;
        fields.set(spec.name, spec);
      }
    }
  }
  let kwOnly = opts.kwOnly;
  for (const [name, type] of annotationsOf(cls)) {
    if (isClassVar(type)) continue;
    if (isKwOnlyMarker(type)) {
      kwOnly = true;
      continue;
    }
    const spec: FieldSpec = {
      name, type, default: MISSING, defaultFactory: MISSING, init: true, repr: true, compare: true, kwOnly,
      kind: isInitVar(type) ? 'initvar' : 'field',
    };
    const dflt = cls.dict.get(name);
    if (dflt instanceof PyInstance && dflt.cls === FIELD) {
      Object.assign(spec, Object.fromEntries(Object.entries(dflt.native.spec as object).filter(([, v]) => v !== undefined)));
      spec.name = name;
      spec.type = type;
      if (!(dflt.native.spec as FieldSpec).kwOnly) spec.kwOnly = kwOnly;
      // the class attribute becomes the plain default (or goes away)
      if (isMissing(spec.default)) cls.dict.delete(name);
      else cls.dict.set(name, spec.default);
    } else if (dflt !== undefined) {
      spec.default = dflt;
    }
    if (spec.kind === 'field' && (dflt instanceof PyList || dflt instanceof PyDict || (dflt && typeNameOf(dflt) === 'set'))) {
      throw pyError('ValueError', `mutable default <class '${typeNameOf(dflt)}'> for field ${name} is not allowed: use default_factory`);
    }
    fields.set(name, spec);
  }
  const all = [...fields.values()];
  const table = new PyDict();
  for (const f of all) {
    if (f.kind !== 'field') continue;
    const obj = fieldObject(f);
    obj.native.spec = f;
    table.entries.set(hashKey(f.name, ctx), [f.name, obj]);
  }
  cls.dict.set('__dataclass_fields__', table);
  cls.dict.set('__dataclass_params__', null);
  const stored = all.filter((f) => f.kind === 'field');
  // A method the class body defines itself wins over the generated one (CPython's _set_new_attribute):
  // transformers' AttentionMaskConverter is a @dataclass with its own __init__.
  const setNew = (name: string, value: PyValue) => {
    if (!cls.dict.has(name)) cls.dict.set(name, value);
  };
  // order= and frozen= refuse to replace a method the class defines (CPython's _process_class).
  const overwrite = (name: string, value: PyValue, hint: string) => {
    if (cls.dict.has(name)) throw pyError('TypeError', `Cannot overwrite attribute ${name} in class ${cls.name}${hint}`);
    cls.dict.set(name, value);
  };
  if (opts.init) setNew('__init__', initFn(cls, all, opts.frozen));
  if (opts.repr) setNew('__repr__', reprFn(cls, stored));
  if (opts.eq) setNew('__eq__', compareFn(cls, stored, '__eq__'));
  if (opts.order) {
    for (const op of ['__lt__', '__le__', '__gt__', '__ge__']) overwrite(op, compareFn(cls, stored, op), '. Consider using functools.total_ordering');
  }
  if (opts.frozen) {
    overwrite('__setattr__', fn('__setattr__', ([, name]) => raiseFrozen(String(name)), `${cls.qualname}.__setattr__`), '');
    overwrite('__delattr__', fn('__delattr__', ([, name]) => raiseFrozen(String(name)), `${cls.qualname}.__delattr__`), '');
  }
  setNew('__match_args__', new PyTuple(stored.filter((f) => f.init && !f.kwOnly).map((f) => f.name)));
}

function raiseFrozen(name: string): never {
  const msg = `cannot assign to field '${name}'`;
  throw new PyException(makeException(FROZEN_ERROR, [msg], msg));
}

/** The generated __init__(self, a, b=1, *, c=2): CPython's binding rules and messages, then __post_init__. */
function initFn(cls: PyClass, fields: FieldSpec[], frozen: boolean): PyBuiltin {
  const qual = `${cls.qualname}.__init__`;
  const params = fields.filter((f) => f.init);
  const positional = params.filter((f) => !f.kwOnly);
  const keywordOnly = params.filter((f) => f.kwOnly);
  // _process_class rejects a required positional field after one with a default
  let seenDefault = false;
  for (const f of positional) {
    const hasDefault = !isMissing(f.default) || !isMissing(f.defaultFactory);
    if (!hasDefault && seenDefault) throw pyError('TypeError', `non-default argument '${f.name}' follows default argument`);
    seenDefault ||= hasDefault;
  }
  return fn('__init__', ([self, ...args], kw, ctx) => {
    const inst = self as PyInstance;
    if (args.length > positional.length) {
      const required = positional.filter((f) => isMissing(f.default) && isMissing(f.defaultFactory)).length;
      throw pyError('TypeError', tooManyPositional(qual, required + 1, positional.length + 1, args.length + 1));
    }
    const values = new Map<string, PyValue>();
    positional.forEach((f, i) => {
      if (i < args.length) values.set(f.name, args[i]);
    });
    for (const [k, v] of kw) {
      const f = params.find((p) => p.name === k);
      if (!f) throw pyError('TypeError', `${qual}() got an unexpected keyword argument '${k}'`);
      if (values.has(k)) throw pyError('TypeError', `${qual}() got multiple values for argument '${k}'`);
      values.set(k, v);
    }
    const missing = (group: FieldSpec[]) => group.filter((f) => !values.has(f.name) && isMissing(f.default) && isMissing(f.defaultFactory)).map((f) => f.name);
    const missPos = missing(positional);
    if (missPos.length) throw pyError('TypeError', `${qual}() missing ${missPos.length} required positional argument${missPos.length === 1 ? '' : 's'}: ${nameList(missPos)}`);
    const missKw = missing(keywordOnly);
    if (missKw.length) throw pyError('TypeError', `${qual}() missing ${missKw.length} required keyword-only argument${missKw.length === 1 ? '' : 's'}: ${nameList(missKw)}`);
    const initVars: PyValue[] = [];
    for (const f of fields) {
      let v: PyValue;
      if (values.has(f.name)) v = values.get(f.name)!;
      else if (!isMissing(f.defaultFactory)) v = ctx.call(f.defaultFactory, []);
      else if (!isMissing(f.default)) v = f.default;
      else continue;
      if (f.kind === 'initvar') initVars.push(v);
      // frozen classes write through object.__setattr__, like the generated code
      else if (frozen) inst.dict.set(f.name, v);
      else ctx.setAttr(inst, f.name, v);
    }
    const post = cls.lookup('__post_init__');
    if (post !== undefined) ctx.call(post, [inst, ...initVars]);
    return null;
  }, qual);
}

function nameList(names: string[]): string {
  const q = names.map((n) => `'${n}'`);
  if (q.length === 1) return q[0];
  if (q.length === 2) return `${q[0]} and ${q[1]}`;
  return `${q.slice(0, -1).join(', ')}, and ${q[q.length - 1]}`;
}

function reprFn(cls: PyClass, fields: FieldSpec[]): PyBuiltin {
  const shown = fields.filter((f) => f.repr);
  return fn('__repr__', ([self], _kw, ctx) => {
    const inst = self as PyInstance;
    const parts = shown.map((f) => `${f.name}=${ctx.repr(ctx.getAttr(inst, f.name))}`);
    return `${inst.cls.qualname}(${parts.join(', ')})`;
  }, `${cls.qualname}.__repr__`);
}

/** __eq__ compares field tuples of the same class; order ops compare them lexicographically. */
function compareFn(cls: PyClass, fields: FieldSpec[], op: string): PyBuiltin {
  const compared = fields.filter((f) => f.compare);
  const tuple = (o: PyInstance, ctx: CallContext) => new PyTuple(compared.map((f) => ctx.getAttr(o, f.name)));
  const symbol: Record<string, string> = { __lt__: '<', __le__: '<=', __gt__: '>', __ge__: '>=' };
  return fn(op, ([self, other], _kw, ctx) => {
    const a = self as PyInstance;
    if (!(other instanceof PyInstance) || other.cls !== a.cls) {
      if (op === '__eq__') return false;
      throw pyError('TypeError', `'${symbol[op]}' not supported between instances of '${a.cls.name}' and '${typeNameOf(other ?? null)}'`);
    }
    if (op === '__eq__') return equals(tuple(a, ctx), tuple(other, ctx), ctx);
    return ctx.compare(symbol[op], tuple(a, ctx), tuple(other, ctx));
  }, `${cls.qualname}.${op}`);
}

function fieldsOf(v: PyValue): FieldSpec[] {
  const cls = v instanceof PyInstance ? v.cls : v instanceof PyClass ? v : null;
  const table = cls?.lookup('__dataclass_fields__');
  if (!(table instanceof PyDict)) throw pyError('TypeError', 'must be called with a dataclass type or instance');
  return [...table.entries.values()].map(([, f]) => (f as PyInstance).native.spec as FieldSpec);
}

function isDataclassInstance(v: PyValue): v is PyInstance {
  return v instanceof PyInstance && v.cls.lookup('__dataclass_fields__') instanceof PyDict;
}

/** asdict/astuple recurse into dataclasses, lists, tuples and dicts (copying), as _asdict_inner does. */
function convert(v: PyValue, asDict: boolean, ctx: CallContext): PyValue {
  if (isDataclassInstance(v)) {
    const fs = fieldsOf(v);
    if (!asDict) return new PyTuple(fs.map((f) => convert(ctx.getAttr(v, f.name), asDict, ctx)));
    const d = new PyDict();
    for (const f of fs) d.entries.set(hashKey(f.name, ctx), [f.name, convert(ctx.getAttr(v, f.name), asDict, ctx)]);
    return d;
  }
  if (v instanceof PyList) return new PyList(v.items.map((x) => convert(x, asDict, ctx)));
  if (v instanceof PyTuple && v.constructor === PyTuple) return new PyTuple(v.items.map((x) => convert(x, asDict, ctx)));
  if (v instanceof PyDict) {
    const d = new PyDict(v.defaultFactory);
    for (const [h, [k, x]] of v.entries) d.entries.set(h, [convert(k, asDict, ctx), convert(x, asDict, ctx)]);
    return d;
  }
  return v;
}

export function dataclassesModule(): PyModule {
  const m = new PyModule('dataclasses');
  const set = (name: string, v: PyValue) => m.dict.set(name, v);
  set('dataclass', fn('dataclass', dataclassFn));
  set('field', fn('field', fieldFn));
  set('Field', FIELD);
  set('MISSING', MISSING);
  set('FrozenInstanceError', FROZEN_ERROR);
  set('InitVar', INIT_VAR);
  set('KW_ONLY', new PyInstance(new PyClass('_KW_ONLY_TYPE', [])));
  set('fields', fn('fields', ([v]) => new PyTuple(fieldsOf(v ?? null).map((f) => fieldObject(f)))));
  set('is_dataclass', fn('is_dataclass', ([v]) => {
    const cls = v instanceof PyInstance ? v.cls : v instanceof PyClass ? v : null;
    return !!cls && cls.lookup('__dataclass_fields__') instanceof PyDict;
  }));
  const instanceArg = (name: string, v: PyValue | undefined): PyInstance => {
    if (!isDataclassInstance(v ?? null)) throw pyError('TypeError', `${name}() should be called on dataclass instances`);
    return v as PyInstance;
  };
  set('asdict', fn('asdict', ([v], _kw, ctx) => convert(instanceArg('asdict', v), true, ctx)));
  set('astuple', fn('astuple', ([v], _kw, ctx) => convert(instanceArg('astuple', v), false, ctx)));
  set('replace', fn('replace', ([v], changes: Kwargs, ctx) => {
    const obj = instanceArg('replace', v);
    const kw: Kwargs = new Map();
    for (const f of fieldsOf(obj)) {
      if (!f.init) {
        if (changes.has(f.name)) throw pyError('ValueError', `field ${f.name} is declared with init=False, it cannot be specified with replace()`);
        continue;
      }
      kw.set(f.name, changes.has(f.name) ? changes.get(f.name)! : ctx.getAttr(obj, f.name));
    }
    for (const [k, x] of changes) if (!kw.has(k)) kw.set(k, x);
    return ctx.call(obj.cls, [], kw);
  }));
  return m;
}
