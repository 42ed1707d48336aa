// typing and collections.abc as runtime objects. Annotations themselves are
// never evaluated by Mask Lens (PEP 563 style), so these only need to exist,
// subscript, and answer isinstance where collections.abc does.

import { TYPE_CLASSES } from '../../python/builtins';
import { pyError } from '../../python/exceptions';
import {
  CallContext, NativeFn, PyBuiltin, PyClass, PyDict, PyFunction, PyInstance, PyIterator, PyList, PyModule,
  PyNamedTuple, PyObj, PyRange, PySet, PyTuple, PyValue,
} from '../../python/values';

const fn = (name: string, f: NativeFn) => new PyBuiltin(name, f);

/** A typing special form or alias (Optional, Union[int, str], TypeVar T): subscriptable, printable. */
class TypingForm extends PyObj {
  constructor(readonly label: string) {
    super();
  }
  get typeName() {
    return '_SpecialForm';
  }
  override getItem(key: PyValue, ctx: CallContext): PyValue {
    const args = key instanceof PyTuple ? key.items : [key];
    return new TypingForm(`${this.label}[${args.map((a) => formName(a, ctx)).join(', ')}]`);
  }
  override repr(): string {
    return this.label;
  }
  override binaryOp(op: string, other: PyValue, reflected: boolean, ctx: CallContext): PyValue | undefined {
    // X | None (PEP 604)
    if (op !== '|') return undefined;
    const [a, b] = reflected ? [other, this] : [this, other];
    return new TypingForm(`${formName(a, ctx)} | ${formName(b, ctx)}`);
  }
  override call(): PyValue {
    throw pyError('TypeError', `Cannot instantiate ${this.label}`);
  }
}

function formName(v: PyValue, ctx: CallContext): string {
  if (v instanceof PyClass) return v.qualname;
  if (v === null) return 'None';
  if (v instanceof PyList) return `[${v.items.map((x) => formName(x, ctx)).join(', ')}]`;
  return ctx.repr(v);
}

/** collections.namedtuple / typing.NamedTuple instances: tuples with fields, repr Name(x=1, y=2). */
export function namedTupleClass(name: string, fields: string[], defaults: PyValue[]): PyClass {
  const cls = new PyClass(name, [TYPE_CLASSES.get('tuple')!]);
  cls.dict.set('_fields', new PyTuple(fields));
  cls.dict.set('__new__', fn('__new__', ([self, ...args], kw) => {
    if (args.length > fields.length) throw pyError('TypeError', `${name}.__new__() takes ${fields.length + 1} positional arguments but ${args.length + 1} were given`);
    const firstDefault = fields.length - defaults.length;
    const items = fields.map((f, i) => {
      if (i < args.length) return args[i];
      if (kw.has(f)) return kw.get(f)!;
      if (i >= firstDefault) return defaults[i - firstDefault];
      throw pyError('TypeError', `${name}.__new__() missing 1 required positional argument: '${f}'`);
    });
    const t = new PyNamedTuple(items, name, fields);
    // a `class Q(NamedTuple)` statement's class, or the namedtuple class itself
    t.cls = self instanceof PyClass ? self : cls;
    return t;
  }));
  return cls;
}

export function typingModule(): PyModule {
  const m = new PyModule('typing');
  const set = (name: string, v: PyValue) => m.dict.set(name, v);
  for (const n of [
    'Any', 'Optional', 'Union', 'Callable', 'Literal', 'Final', 'ClassVar', 'Annotated', 'Iterator', 'Iterable', 'Sequence',
    'Mapping', 'MutableMapping', 'MutableSequence', 'Generator', 'Hashable', 'Sized', 'Self', 'TypeAlias', 'Collection',
    'Container', 'AbstractSet', 'NoReturn', 'Never', 'Awaitable', 'Coroutine', 'AsyncIterator', 'SupportsInt', 'SupportsFloat',
    'SupportsIndex', 'Concatenate', 'TypeGuard', 'Unpack', 'Required', 'NotRequired', 'LiteralString', 'Reversible', 'Pattern', 'Match',
  ]) set(n, new TypingForm(`typing.${n}`));
  const builtinAlias: Record<string, string> = {
    List: 'list', Dict: 'dict', Tuple: 'tuple', Set: 'set', FrozenSet: 'frozenset', Type: 'type',
    DefaultDict: 'dict', OrderedDict: 'dict', Counter: 'dict', Deque: 'list', Text: 'str',
  };
  for (const [n, t] of Object.entries(builtinAlias)) set(n, TYPE_CLASSES.get(t)!);
  const object = TYPE_CLASSES.get('object')!;
  set('Generic', new PyClass('Generic', [object], 'typing.Generic'));
  set('Protocol', new PyClass('Protocol', [object], 'typing.Protocol'));
  const namedTuple = new PyClass('NamedTuple', [object], 'typing.NamedTuple');
  // class Point(NamedTuple): x: int; y: int = 0
  namedTuple.dict.set('__init_subclass__', fn('__init_subclass__', ([cls]) => {
    const c = cls as PyClass;
    const ann = c.dict.get('__annotations__');
    const fields = ann instanceof PyDict ? [...ann.entries.values()].map(([k]) => String(k)) : [];
    const defaults = fields.filter((f) => c.dict.has(f)).map((f) => c.dict.get(f)!);
    c.dict.set('__new__', namedTupleClass(c.name, fields, defaults).dict.get('__new__')!);
    return null;
  }));
  set('NamedTuple', namedTuple);
  set('TypedDict', fn('TypedDict', () => TYPE_CLASSES.get('dict')!));
  set('TYPE_CHECKING', false);
  set('TypeVar', fn('TypeVar', ([name]) => new TypingForm(`~${String(name)}`)));
  set('ParamSpec', fn('ParamSpec', ([name]) => new TypingForm(`~${String(name)}`)));
  set('TypeVarTuple', fn('TypeVarTuple', ([name]) => new TypingForm(String(name))));
  set('NewType', fn('NewType', ([, tp]) => fn('new_type', ([x]) => x ?? tp ?? null)));
  set('cast', fn('cast', ([, v]) => v ?? null));
  set('assert_type', fn('assert_type', ([v]) => v ?? null));
  set('reveal_type', fn('reveal_type', ([v]) => v ?? null));
  for (const n of ['overload', 'final', 'no_type_check', 'runtime_checkable', 'override', 'dataclass_transform']) {
    set(n, fn(n, ([f]) => f ?? null));
  }
  set('get_type_hints', fn('get_type_hints', ([o], _kw, ctx) => {
    const ann = o instanceof PyClass ? o.dict.get('__annotations__') : ctx.getAttr(o, '__annotations__');
    return ann instanceof PyDict ? ann : new PyDict();
  }));
  set('get_origin', fn('get_origin', () => null));
  set('get_args', fn('get_args', () => new PyTuple([])));
  return m;
}

/** collections.abc: abstract classes isinstance() answers by behaviour, as their __subclasshook__ does. */
export function collectionsAbcModule(): PyModule {
  const m = new PyModule('collections.abc');
  const object = TYPE_CLASSES.get('object')!;
  const iterable = (v: PyValue) =>
    typeof v === 'string' || v instanceof PyList || v instanceof PyTuple || v instanceof PyDict || v instanceof PySet ||
    v instanceof PyRange || v instanceof PyIterator ||
    (v instanceof PyInstance ? v.cls.lookup('__iter__') !== undefined : v instanceof PyObj && v.typeName === 'Tensor');
  const checks: Record<string, (v: PyValue) => boolean> = {
    Iterable: iterable,
    Iterator: (v) => v instanceof PyIterator || (v instanceof PyInstance && v.cls.lookup('__next__') !== undefined),
    Generator: (v) => v instanceof PyIterator && v.typeName === 'generator',
    Sequence: (v) => typeof v === 'string' || v instanceof PyList || v instanceof PyTuple || v instanceof PyRange,
    MutableSequence: (v) => v instanceof PyList,
    Mapping: (v) => v instanceof PyDict,
    MutableMapping: (v) => v instanceof PyDict,
    Set: (v) => v instanceof PySet,
    Sized: (v) => typeof v === 'string' || v instanceof PyList || v instanceof PyTuple || v instanceof PyDict || v instanceof PySet || v instanceof PyRange,
    Collection: (v) => typeof v === 'string' || v instanceof PyList || v instanceof PyTuple || v instanceof PyDict || v instanceof PySet,
    Container: (v) => typeof v === 'string' || v instanceof PyList || v instanceof PyTuple || v instanceof PyDict || v instanceof PySet,
    Hashable: (v) => !(v instanceof PyList || v instanceof PyDict || v instanceof PySet),
    Callable: (v) => v instanceof PyFunction || v instanceof PyBuiltin || v instanceof PyClass || (v instanceof PyInstance && v.cls.lookup('__call__') !== undefined),
  };
  for (const [name, check] of Object.entries(checks)) {
    const cls = new PyClass(name, [object], `collections.abc.${name}`) as PyClass & { matches?: (v: PyValue) => boolean };
    cls.matches = check;
    m.dict.set(name, cls);
  }
  return m;
}

/** types: SimpleNamespace and the type objects code compares against. */
export function typesModule(): PyModule {
  const m = new PyModule('types');
  const ns = new PyClass('SimpleNamespace', [TYPE_CLASSES.get('object')!], 'types.SimpleNamespace');
  ns.dict.set('__init__', fn('__init__', ([self], kw) => {
    for (const [k, v] of kw) (self as PyInstance).dict.set(k, v);
    return null;
  }));
  ns.dict.set('__repr__', fn('__repr__', ([self], _kw, ctx) =>
    `namespace(${[...(self as PyInstance).dict].map(([k, v]) => `${k}=${ctx.repr(v)}`).join(', ')})`));
  ns.dict.set('__eq__', fn('__eq__', ([a, b], _kw, ctx) => {
    if (!(b instanceof PyInstance) || b.cls !== ns) return false;
    const da = (a as PyInstance).dict, db = b.dict;
    return da.size === db.size && [...da].every(([k, v]) => db.has(k) && ctx.truthy(ctx.compare('==', v, db.get(k)!)));
  }));
  m.dict.set('SimpleNamespace', ns);
  m.dict.set('FunctionType', TYPE_CLASSES.get('function')!);
  m.dict.set('LambdaType', TYPE_CLASSES.get('function')!);
  for (const n of ['MethodType', 'ModuleType', 'GeneratorType', 'BuiltinFunctionType']) m.dict.set(n, new PyClass(n, [TYPE_CLASSES.get('object')!], `types.${n}`));
  return m;
}
