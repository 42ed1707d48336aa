// PEP 604 unions (`int | None`, `Tensor | None`) and PEP 585 generic aliases
// of the built-in types (`tuple[int, int]`) as runtime values, after
// CPython 3.11's Objects/unionobject.c and Objects/genericaliasobject.c.
// Model files bind them as type aliases at module level (x-transformers:
// `LayerRange = int | tuple[int, int]`), so they must evaluate, print and
// answer isinstance().

import { pyError } from './exceptions';
import { CallContext, Kwargs, PyClass, PyEllipsis, PyList, PyObj, PyTuple, PyValue } from './values';

/** `list[int]`, `tuple[int, ...]`: callable as its origin, repr as Python writes it; isinstance() refuses it. */
export class PyGenericAlias extends PyObj {
  constructor(readonly origin: PyClass, readonly args: PyValue[]) {
    super();
  }
  get typeName() {
    return 'types.GenericAlias';
  }
  override repr(ctx: CallContext): string {
    return `${typeRepr(this.origin, ctx)}[${this.args.length ? this.args.map((a) => typeRepr(a, ctx)).join(', ') : '()'}]`;
  }
  override call(args: PyValue[], kw: Kwargs, ctx: CallContext): PyValue {
    return ctx.call(this.origin, args, kw);
  }
  override getAttr(name: string): PyValue | undefined {
    if (name === '__origin__') return this.origin;
    if (name === '__args__') return new PyTuple(this.args);
    return undefined;
  }
  override binaryOp(op: string, other: PyValue, reflected: boolean): PyValue | undefined {
    return op === '|' ? typeUnion(reflected ? other : this, reflected ? this : other) : undefined;
  }
}

/** `X | Y`: its members flattened and deduplicated, in order; isinstance() tests each. */
export class PyUnionType extends PyObj {
  constructor(readonly members: PyValue[]) {
    super();
  }
  get typeName() {
    return 'types.UnionType';
  }
  override repr(ctx: CallContext): string {
    return this.members.map((m) => typeRepr(m, ctx)).join(' | ');
  }
  override getAttr(name: string): PyValue | undefined {
    if (name === '__args__') return new PyTuple(this.members.map((m) => (m === null ? NONE_TYPE ?? null : m)));
    return undefined;
  }
  override binaryOp(op: string, other: PyValue, reflected: boolean): PyValue | undefined {
    return op === '|' ? typeUnion(reflected ? other : this, reflected ? this : other) : undefined;
  }
}

let NONE_TYPE: PyClass | undefined;
/** The NoneType class, for `(int | None).__args__` (set once by the builtins). */
export function setNoneType(c: PyClass): void {
  NONE_TYPE = c;
}

function isTypeLike(v: PyValue): boolean {
  return v === null || v instanceof PyClass || v instanceof PyGenericAlias || v instanceof PyUnionType;
}

/**
 * `l | r` between types (classes, None, generic aliases, unions): a
 * PyUnionType, or the one type when both sides are the same; undefined when
 * either side is no type (the caller raises Python's TypeError).
 */
export function typeUnion(l: PyValue, r: PyValue): PyValue | undefined {
  if (!isTypeLike(l) || !isTypeLike(r) || (l === null && r === null)) return undefined;
  const members: PyValue[] = [];
  for (const v of [l, r]) {
    for (const m of v instanceof PyUnionType ? v.members : [v]) {
      if (!members.some((x) => x === m || (m === NONE_TYPE && x === null) || (m === null && x === NONE_TYPE))) members.push(m);
    }
  }
  return members.length === 1 ? members[0] : new PyUnionType(members);
}

/** typing's _type_repr: builtins by name, other classes module-qualified, None as None, `...` as written. */
function typeRepr(v: PyValue, ctx: CallContext): string {
  if (v === null || v === NONE_TYPE) return 'None';
  if (v instanceof PyEllipsis) return '...';
  if (v instanceof PyClass) return v.module !== undefined ? `${v.module}.${v.qualname}` : v.qualname;
  if (v instanceof PyList) return `[${v.items.map((x) => typeRepr(x, ctx)).join(', ')}]`;
  return ctx.repr(v);
}

/** isinstance(x, union): each member as isinstance() takes it; a generic alias among them raises as CPython does. */
export function checkIsinstanceArg(t: PyValue): PyValue[] | undefined {
  if (t instanceof PyGenericAlias) throw pyError('TypeError', 'isinstance() argument 2 cannot be a parameterized generic');
  if (t instanceof PyUnionType) {
    if (t.members.some((m) => m instanceof PyGenericAlias)) throw pyError('TypeError', 'isinstance() argument 2 cannot be a parameterized generic');
    return t.members.map((m) => (m === null ? NONE_TYPE ?? null : m));
  }
  return undefined;
}
