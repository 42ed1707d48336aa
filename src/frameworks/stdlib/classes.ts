// enum (Enum, IntEnum, auto), abc (ABC, abstractmethod) and inspect
// (signature, isfunction, ...). Semantics: CPython 3.11 Lib/enum.py
// (member repr <Color.RED: 1>, str Color.RED, lookup by value and name),
// Lib/inspect.py (Signature.__str__).

import { TYPE_CLASSES } from '../../python/builtins';
import { CLASSMETHOD } from '../../python/decorators';
import { keyError, pyError } from '../../python/exceptions';
import { isGeneratorFunction } from '../../python/generators';
import { equals } from '../../python/protocols';
import {
  CallContext, NativeFn, PyBoundMethod, PyBuiltin, PyClass, PyDict, PyFunction, PyInstance, PyList, PyModule, PyTuple,
  PyValue,
} from '../../python/values';

const fn = (name: string, f: NativeFn) => new PyBuiltin(name, f);

// ---------- enum ----------

const AUTO = new PyClass('auto', [], 'enum.auto');

function members(cls: PyClass): PyInstance[] {
  for (const c of cls.mro()) {
    const m = c.dict.get('_member_list_');
    if (m instanceof PyList) return m.items as PyInstance[];
  }
  return [];
}

/** Turns the class body's plain attributes into members, in definition order (EnumType.__new__). */
function makeMembers(cls: PyClass, ctx: CallContext, isInt: boolean): void {
  const list: PyInstance[] = [];
  let next = 1n;
  for (const [name, v] of [...cls.dict]) {
    if (name.startsWith('_') || v instanceof PyFunction || v instanceof PyBuiltin || (v instanceof PyInstance && v.cls === CLASSMETHOD)) continue;
    if (v instanceof PyInstance && v.cls.name === 'property') continue;
    let value = v;
    if (v instanceof PyInstance && v.cls === AUTO) value = next;
    if (typeof value === 'bigint') next = value + 1n;
    // a repeated value makes an alias of the first member
    const alias = list.find((m) => equals(m.dict.get('_value_') ?? null, value, ctx));
    if (alias) {
      cls.dict.set(name, alias);
      continue;
    }
    const member = new PyInstance(cls);
    member.dict.set('_name_', name);
    member.dict.set('_value_', value);
    member.dict.set('name', name);
    member.dict.set('value', value);
    list.push(member);
    cls.dict.set(name, member);
  }
  cls.dict.set('_member_list_', new PyList(list));
  cls.dict.set('__new__', fn('__new__', ([c, value], _kw, c2) => {
    const found = members(c as PyClass).find((m) => equals(m.dict.get('_value_') ?? null, value ?? null, c2));
    if (!found) throw pyError('ValueError', `${c2.repr(value ?? null)} is not a valid ${(c as PyClass).qualname}`);
    return found;
  }));
  void isInt;
}

function enumBase(name: string, isInt: boolean): PyClass {
  const object = TYPE_CLASSES.get('object')!;
  const bases = isInt ? [TYPE_CLASSES.get('int')!, object] : [object];
  const base = new PyClass(name, bases, `enum.${name}`);
  base.dict.set('__init_subclass__', fn('__init_subclass__', ([cls], _kw, ctx) => (makeMembers(cls as PyClass, ctx, isInt), null)));
  base.dict.set('__repr__', fn('__repr__', ([m], _kw, ctx) => {
    const inst = m as PyInstance;
    return `<${inst.cls.name}.${inst.dict.get('_name_')}: ${ctx.repr(inst.dict.get('_value_') ?? null)}>`;
  }));
  base.dict.set('__str__', fn('__str__', ([m], _kw, ctx) => {
    const inst = m as PyInstance;
    // 3.11: IntEnum's str() is the value's; Enum's is Class.NAME
    return isInt ? ctx.str(inst.dict.get('_value_') ?? null) : `${inst.cls.name}.${inst.dict.get('_name_')}`;
  }));
  base.dict.set('__hash__', fn('__hash__', ([m]) => (m as PyInstance).dict.get('_name_') ?? null));
  base.dict.set('__class_getitem__', fn('__class_getitem__', ([cls, key], _kw, ctx) => {
    const found = members(cls as PyClass).find((m) => m.dict.get('_name_') === key);
    if (!found) throw keyError(key ?? null, ctx);
    return found;
  }));
  base.dict.set('__class_iter__', fn('__class_iter__', ([cls]) => new PyList(members(cls as PyClass))));
  base.dict.set('__class_len__', fn('__class_len__', ([cls]) => BigInt(members(cls as PyClass).length)));
  if (isInt) {
    base.dict.set('__index__', fn('__index__', ([m]) => (m as PyInstance).dict.get('_value_') ?? null));
    base.dict.set('__int__', fn('__int__', ([m]) => (m as PyInstance).dict.get('_value_') ?? null));
    base.dict.set('__eq__', fn('__eq__', ([m, o], _kw, ctx) => equals((m as PyInstance).dict.get('_value_') ?? null, o instanceof PyInstance && o.dict.has('_value_') ? o.dict.get('_value_')! : o ?? null, ctx)));
    for (const [dunder, op] of [['__add__', '+'], ['__sub__', '-'], ['__mul__', '*'], ['__radd__', '+'], ['__rmul__', '*']] as const) {
      base.dict.set(dunder, fn(dunder, ([m, o], _kw, ctx) => ctx.binary(op, (m as PyInstance).dict.get('_value_') ?? null, o ?? null)));
    }
  }
  return base;
}

export function enumModule(): PyModule {
  const m = new PyModule('enum');
  const Enum = enumBase('Enum', false);
  m.dict.set('Enum', Enum);
  m.dict.set('IntEnum', enumBase('IntEnum', true));
  m.dict.set('StrEnum', enumBase('StrEnum', false));
  m.dict.set('Flag', enumBase('Flag', false));
  m.dict.set('IntFlag', enumBase('IntFlag', true));
  m.dict.set('auto', AUTO);
  m.dict.set('unique', fn('unique', ([c]) => c ?? null));
  m.dict.set('EnumMeta', TYPE_CLASSES.get('type')!);
  return m;
}

// ---------- abc ----------

export function abcModule(): PyModule {
  const m = new PyModule('abc');
  const object = TYPE_CLASSES.get('object')!;
  m.dict.set('ABC', new PyClass('ABC', [object], 'abc.ABC'));
  m.dict.set('ABCMeta', TYPE_CLASSES.get('type')!);
  // abstract methods are not enforced: instantiating an incomplete subclass is the snippet's own business
  for (const n of ['abstractmethod', 'abstractproperty', 'abstractclassmethod', 'abstractstaticmethod']) {
    m.dict.set(n, fn(n, ([f], _kw, ctx) => {
      try {
        if (f instanceof PyFunction) ctx.setAttr(f, '__isabstractmethod__', true);
      } catch {
        // not every callable takes attributes
      }
      return f ?? null;
    }));
  }
  return m;
}

// ---------- inspect ----------

const PARAMETER = new PyClass('Parameter', [], 'inspect.Parameter');
const SIGNATURE = new PyClass('Signature', [], 'inspect.Signature');
const EMPTY = new PyClass('_empty', [], 'inspect._empty');
PARAMETER.dict.set('empty', EMPTY);
SIGNATURE.dict.set('empty', EMPTY);
const KINDS = ['POSITIONAL_ONLY', 'POSITIONAL_OR_KEYWORD', 'VAR_POSITIONAL', 'KEYWORD_ONLY', 'VAR_KEYWORD'];
KINDS.forEach((k, i) => PARAMETER.dict.set(k, BigInt(i)));

function parameter(name: string, kind: number, dflt: PyValue | undefined): PyInstance {
  const p = new PyInstance(PARAMETER);
  p.dict.set('name', name);
  p.dict.set('kind', BigInt(kind));
  p.dict.set('default', dflt === undefined ? EMPTY : dflt);
  p.dict.set('annotation', EMPTY);
  return p;
}

function signatureOf(f: PyValue, ctx: CallContext): PyInstance {
  let target = f;
  let skipFirst = false;
  if (target instanceof PyBoundMethod) {
    target = target.fn;
    skipFirst = true;
  }
  if (target instanceof PyClass) {
    const init = target.lookup('__init__');
    if (init instanceof PyFunction) {
      target = init;
      skipFirst = true;
    }
  }
  if (target instanceof PyInstance) {
    const call = target.cls.lookup('__call__');
    if (call instanceof PyFunction) {
      target = call;
      skipFirst = true;
    }
  }
  if (!(target instanceof PyFunction)) throw pyError('ValueError', `no signature found for ${ctx.repr(f)}`);
  const p = target.def.params;
  const d = target.defaults;
  let params: PyInstance[] = [
    ...p.posonly.map((x) => parameter(x.name, 0, d.get(x.name))),
    ...p.args.map((x) => parameter(x.name, 1, d.get(x.name))),
    ...(p.vararg ? [parameter(p.vararg.name, 2, undefined)] : []),
    ...p.kwonly.map((x) => parameter(x.name, 3, d.get(x.name))),
    ...(p.kwarg ? [parameter(p.kwarg.name, 4, undefined)] : []),
  ];
  if (skipFirst) params = params.slice(1);
  const sig = new PyInstance(SIGNATURE);
  const table = new PyDict();
  for (const x of params) table.entries.set('s' + String(x.dict.get('name')), [x.dict.get('name')!, x]);
  sig.dict.set('parameters', table);
  sig.dict.set('return_annotation', EMPTY);
  return sig;
}

/** str(Signature): (a, b=2, /, *args, c, **kw) as Signature.__str__ renders it. */
SIGNATURE.dict.set('__str__', fn('__str__', ([s], _kw, ctx) => {
  const table = (s as PyInstance).dict.get('parameters') as PyDict;
  const parts: string[] = [];
  let sawKwOnlySeparator = false;
  let lastPosOnly = false;
  for (const [, p] of table.entries.values()) {
    const x = p as PyInstance;
    const kind = Number(x.dict.get('kind'));
    const name = String(x.dict.get('name'));
    const dflt = x.dict.get('default');
    if (lastPosOnly && kind !== 0) parts.push('/');
    lastPosOnly = kind === 0;
    if (kind === 3 && !sawKwOnlySeparator) parts.push('*');
    if (kind === 2 || kind === 3) sawKwOnlySeparator = true;
    const prefix = kind === 2 ? '*' : kind === 4 ? '**' : '';
    parts.push(prefix + name + (dflt !== EMPTY ? `=${ctx.repr(dflt ?? null)}` : ''));
  }
  if (lastPosOnly) parts.push('/');
  return `(${parts.join(', ')})`;
}));
SIGNATURE.dict.set('__repr__', fn('__repr__', ([s], _kw, ctx) => `<Signature ${ctx.str(s ?? null)}>`));
PARAMETER.dict.set('__repr__', fn('__repr__', ([p]) => `<Parameter "${(p as PyInstance).dict.get('name')}">`));

export function inspectModule(): PyModule {
  const m = new PyModule('inspect');
  const def = (name: string, f: NativeFn) => m.dict.set(name, fn(name, f));
  def('signature', ([f], _kw, ctx) => signatureOf(f ?? null, ctx));
  def('isfunction', ([f]) => f instanceof PyFunction);
  def('ismethod', ([f]) => f instanceof PyBoundMethod && f.fn instanceof PyFunction);
  def('isclass', ([f]) => f instanceof PyClass);
  def('isbuiltin', ([f]) => f instanceof PyBuiltin);
  def('isroutine', ([f]) => f instanceof PyFunction || f instanceof PyBuiltin || f instanceof PyBoundMethod);
  def('isgeneratorfunction', ([f]) => f instanceof PyFunction && isGeneratorFunction(f.def));
  def('iscoroutinefunction', () => false);
  def('isabstract', () => false);
  def('getdoc', ([f], _kw, ctx) => ctx.getAttr(f ?? null, '__doc__'));
  def('getmembers', ([o], _kw, ctx) => {
    const names = o instanceof PyInstance ? [...o.dict.keys(), ...o.cls.mro().flatMap((c) => [...c.dict.keys()])] : o instanceof PyClass ? o.mro().flatMap((c) => [...c.dict.keys()]) : [];
    return new PyList([...new Set(names)].sort().map((n) => new PyTuple([n, ctx.getAttr(o ?? null, n)])));
  });
  for (const n of ['getsource', 'getsourcefile', 'getfile', 'stack', 'currentframe']) {
    def(n, () => {
      throw pyError('NotImplementedError', `inspect.${n} reads source files or frames: Mask Lens evaluates snippets without them`);
    });
  }
  m.dict.set('Parameter', PARAMETER);
  m.dict.set('Signature', SIGNATURE);
  return m;
}
