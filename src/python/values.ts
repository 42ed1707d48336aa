// Python values as the evaluator sees them. Scalars map onto JS primitives
// (int → bigint, float → number, bool → boolean, str → string, None → null);
// everything else is a PyObj.

import type { Tensor } from '../engine/tensor';
import type { FunctionDef, Lambda, Span } from './ast';
import type { EncodedValue } from './result';
import type { Scope } from './scope';
import { SetTable } from './settable';

export type PyValue = null | boolean | bigint | number | string | PyObj;

export type Kwargs = Map<string, PyValue>;

/** What a native call may need from the interpreter. */
export interface CallContext {
  call(fn: PyValue, args: PyValue[], kwargs?: Kwargs): PyValue;
  repr(v: PyValue): string;
  str(v: PyValue): string;
  iterate(v: PyValue): PyValue[];
  /** Lazy iteration (generators, infinite iterators). */
  iter(v: PyValue): Iterator<PyValue>;
  truthy(v: PyValue): boolean;
  setAttr(obj: PyValue, name: string, v: PyValue): void;
  binary(op: string, l: PyValue, r: PyValue): PyValue;
  compare(op: string, l: PyValue, r: PyValue): PyValue;
  getItem(obj: PyValue, key: PyValue): PyValue;
  getAttr(obj: PyValue, name: string): PyValue;
  print(text: string): void;
  warn(message: string): void;
  /**
   * Runs `f` without recording its calls and lines in the timeline (work the
   * user's program does not do as such: Keras's symbolic probes); with `quiet`,
   * what it prints is dropped too. Optional: contexts without a recorder just run `f`.
   */
  unobserved?<T>(f: () => T, quiet?: boolean): T;
}

/**
 * Base of every non-scalar value. Natively implemented types (tensors,
 * framework objects) override the hooks they support; `undefined` means
 * "not supported", and the evaluator raises Python's TypeError.
 */
export abstract class PyObj {
  /** Python's type name as it appears in messages: 'list', 'Tensor', 'int'. */
  abstract get typeName(): string;
  getAttr(_name: string, _ctx: CallContext): PyValue | undefined {
    return undefined;
  }
  setAttr(_name: string, _value: PyValue, _ctx: CallContext): boolean {
    return false;
  }
  /** a (op) b; `reflected` when this object is the right operand. */
  binaryOp(_op: string, _other: PyValue, _reflected: boolean, _ctx: CallContext): PyValue | undefined {
    return undefined;
  }
  /** -a, +a, ~a */
  unaryOp(_op: string, _ctx: CallContext): PyValue | undefined {
    return undefined;
  }
  /** a < b etc.; '==' and '!=' fall back to identity. */
  compare(_op: string, _other: PyValue, _reflected: boolean, _ctx: CallContext): PyValue | undefined {
    return undefined;
  }
  getItem(_key: PyValue, _ctx: CallContext): PyValue | undefined {
    return undefined;
  }
  /**
   * Whether an editor shows this object by its repr where golden.py skips it
   * (a dtype argument, `torch.float32`): encodeShown records it as an object.
   */
  get shownByRepr(): boolean {
    return false;
  }
  /**
   * This object in the golden-file JSON shape (result.ts's EncodedValue), or
   * undefined for what golden.py skips (the default). Framework objects say
   * how they encode (a tensor, a NumPy scalar, torch.Size): the interpreter
   * knows none of them. A tensor past `inlineElements` elements keeps its
   * shape and dtype but not its data (see encodeTensor in encode.ts).
   */
  encode(_inlineElements: number): EncodedValue | undefined {
    return undefined;
  }
  /**
   * The one line a dict entry holding this object shows (a tensor's dtype
   * and shape), or undefined for the default (its class name). `repr` is the
   * evaluation's repr.
   */
  entrySummary(_repr: (v: PyValue) => string): string | undefined {
    return undefined;
  }
  setItem(_key: PyValue, _value: PyValue, _ctx: CallContext): boolean {
    return false;
  }
  call(_args: PyValue[], _kwargs: Kwargs, _ctx: CallContext): PyValue | undefined {
    return undefined;
  }
  repr(_ctx: CallContext): string | undefined {
    return undefined;
  }
  str(ctx: CallContext): string | undefined {
    return this.repr(ctx);
  }
  length(_ctx: CallContext): number | undefined {
    return undefined;
  }
  iterate(_ctx: CallContext): PyValue[] | undefined {
    return undefined;
  }
  truthy(_ctx: CallContext): boolean | undefined {
    return undefined;
  }
}

export class PyList extends PyObj {
  constructor(public items: PyValue[]) {
    super();
  }
  get typeName() {
    return 'list';
  }
}

export class PyTuple extends PyObj {
  constructor(readonly items: PyValue[]) {
    super();
  }
  get typeName() {
    return 'tuple';
  }
}

/**
 * A Python object backed by one engine tensor (torch.Tensor, numpy.ndarray,
 * tf.Tensor): what the recorder snapshots, copies and keys by storage, and
 * what a tensor inspector reads. Frameworks subclass it (src/frameworks/
 * common.ts's ArrayValue) and say how it encodes (PyObj.encode).
 */
export abstract class TensorValue extends PyObj {
  /**
   * A caveat about this value's numbers that the timeline shows with it (hover
   * note): Keras layers set it on values computed from weights Mask Lens could
   * only stand in for.
   */
  valueNote?: string;
  constructor(public t: Tensor) {
    super();
  }
  /**
   * Tensors this one carries as attributes, which the timeline records with
   * it under `<path>.<attribute>` so a hover can show them beside it (a Keras
   * layer output's mask). None by default; the framework that attaches them
   * names the attribute, so the recorder knows no framework's private names.
   */
  carriedTensors(): [attribute: string, value: TensorValue][] {
    return [];
  }
}

/** torch.Size, torch.return_types.max and friends: tuples with their own repr. */
export class PyNamedTuple extends PyTuple {
  constructor(
    items: PyValue[],
    readonly fullName: string, // "torch.Size", "torch.return_types.max"
    readonly fields: string[] = [],
  ) {
    super(items);
  }
  /** The class collections.namedtuple / typing.NamedTuple made it from: type(), isinstance and the _fields API follow it. */
  cls?: PyClass;
  override get typeName() {
    return this.fullName.split('.').pop()!;
  }
  pyType(): PyClass | undefined {
    return this.cls;
  }
  override getAttr(name: string): PyValue | undefined {
    const i = this.fields.indexOf(name);
    return i >= 0 ? this.items[i] : undefined;
  }
}

/** Dict keys must be hashable; we key a JS Map by a canonical string. */
export class PyDict extends PyObj {
  constructor(
    readonly defaultFactory: PyValue | undefined = undefined,
    readonly entries = new Map<string, [PyValue, PyValue]>(),
  ) {
    super();
  }
  get typeName() {
    return this.defaultFactory !== undefined ? 'collections.defaultdict' : 'dict';
  }
}

/**
 * The entries of an object's `__dict__`: a live view of its attribute map, so
 * `self.__dict__.update(kwargs)` (minGPT's CfgNode, yacs-style configs) sets
 * attributes and a later `self.x = 1` shows in the dict, as in CPython.
 * String keys live in the attribute map under dict's hash key ('s' + name);
 * any other key (legal in CPython, never an attribute) stays in this map.
 */
export class AttributeEntries extends Map<string, [PyValue, PyValue]> {
  constructor(private readonly attrs: Map<string, PyValue>) {
    super();
  }
  private static nameOf(h: string): string | undefined {
    return h.startsWith('s') ? h.slice(1) : undefined;
  }
  override get size(): number {
    return this.attrs.size + super.size;
  }
  override get(h: string): [PyValue, PyValue] | undefined {
    const name = AttributeEntries.nameOf(h);
    if (name === undefined) return super.get(h);
    return this.attrs.has(name) ? [name, this.attrs.get(name)!] : undefined;
  }
  override has(h: string): boolean {
    const name = AttributeEntries.nameOf(h);
    return name === undefined ? super.has(h) : this.attrs.has(name);
  }
  override set(h: string, kv: [PyValue, PyValue]): this {
    const name = AttributeEntries.nameOf(h);
    if (name === undefined) super.set(h, kv);
    else this.attrs.set(name, kv[1]);
    return this;
  }
  override delete(h: string): boolean {
    const name = AttributeEntries.nameOf(h);
    return name === undefined ? super.delete(h) : this.attrs.delete(name);
  }
  override clear(): void {
    this.attrs.clear();
    super.clear();
  }
  override *entries(): MapIterator<[string, [PyValue, PyValue]]> {
    for (const [name, v] of this.attrs) yield ['s' + name, [name, v]];
    yield* super.entries();
  }
  override *keys(): MapIterator<string> {
    for (const [h] of this.entries()) yield h;
  }
  override *values(): MapIterator<[PyValue, PyValue]> {
    for (const [, kv] of this.entries()) yield kv;
  }
  override [Symbol.iterator](): MapIterator<[string, [PyValue, PyValue]]> {
    return this.entries();
  }
  override forEach(fn: (kv: [PyValue, PyValue], h: string, map: Map<string, [PyValue, PyValue]>) => void, thisArg?: unknown): void {
    for (const [h, kv] of this.entries()) fn.call(thisArg, kv, h, this);
  }
}

/**
 * An object's attributes read and written as the string keys of a dict:
 * after `self.__dict__ = self` (AttrDict-style configs) or `obj.__dict__ = d`,
 * `obj.x` is `d['x']` and `obj.x = 1` sets `d['x']`, as in CPython.
 */
export class ItemAttributes extends Map<string, PyValue> {
  constructor(
    /** The dict (or dict-subclass instance) that `obj.__dict__` now is. */
    readonly owner: PyValue,
    private readonly items: Map<string, [PyValue, PyValue]>,
  ) {
    super();
  }
  override get size(): number {
    let n = 0;
    for (const [, [k]] of this.items) if (typeof k === 'string') n++;
    return n;
  }
  override get(name: string): PyValue | undefined {
    return this.items.get('s' + name)?.[1];
  }
  override has(name: string): boolean {
    return this.items.has('s' + name);
  }
  override set(name: string, v: PyValue): this {
    this.items.set('s' + name, [name, v]);
    return this;
  }
  override delete(name: string): boolean {
    return this.items.delete('s' + name);
  }
  override clear(): void {
    for (const [h, [k]] of [...this.items]) if (typeof k === 'string') this.items.delete(h);
  }
  override *entries(): MapIterator<[string, PyValue]> {
    for (const [, [k, v]] of this.items) if (typeof k === 'string') yield [k, v];
  }
  override *keys(): MapIterator<string> {
    for (const [k] of this.entries()) yield k;
  }
  override *values(): MapIterator<PyValue> {
    for (const [, v] of this.entries()) yield v;
  }
  override [Symbol.iterator](): MapIterator<[string, PyValue]> {
    return this.entries();
  }
  override forEach(fn: (v: PyValue, k: string, map: Map<string, PyValue>) => void, thisArg?: unknown): void {
    for (const [k, v] of this.entries()) fn.call(thisArg, v, k, this);
  }
}

export class PySet extends PyObj {
  /** Elements by hashKey, iterating in CPython's table order (settable.ts). */
  readonly entries = new SetTable();
  /** A frozenset: same entries, no mutating methods, repr `frozenset({...})`. */
  frozen = false;
  get typeName() {
    return this.frozen ? 'frozenset' : 'set';
  }
}

export class PySlice extends PyObj {
  constructor(readonly start: PyValue, readonly stop: PyValue, readonly step: PyValue) {
    super();
  }
  get typeName() {
    return 'slice';
  }
}

export class PyEllipsis extends PyObj {
  static readonly instance = new PyEllipsis();
  get typeName() {
    return 'ellipsis';
  }
}

export class PyRange extends PyObj {
  constructor(readonly start: bigint, readonly stop: bigint, readonly step: bigint) {
    super();
  }
  get typeName() {
    return 'range';
  }
  get size(): number {
    const { start, stop, step } = this;
    if (step > 0n) return stop > start ? Number((stop - start + step - 1n) / step) : 0;
    return start > stop ? Number((start - stop - step - 1n) / -step) : 0;
  }
}

/** A one-shot iterator (iter(), zip(), map(), generator expressions). */
export class PyIterator extends PyObj {
  constructor(
    readonly next: () => { done: boolean; value?: PyValue },
    readonly kind = 'iterator',
  ) {
    super();
  }
  get typeName() {
    return this.kind;
  }
}

export type NativeFn = (args: PyValue[], kwargs: Kwargs, ctx: CallContext) => PyValue;

export class PyBuiltin extends PyObj {
  constructor(
    readonly name: string,
    readonly fn: NativeFn,
    readonly qualname = name,
  ) {
    super();
  }
  get typeName() {
    return 'builtin_function_or_method';
  }
}

/** A user `def` or `lambda` closing over its defining scope. */
export class PyFunction extends PyObj {
  /** The class whose body defined this function (zero-argument super()). */
  definingClass: PyClass | null = null;
  /** Attributes set on the function object (functools.wraps's __wrapped__, counters). */
  readonly dict = new Map<string, PyValue>();
  constructor(
    public name: string,
    readonly def: FunctionDef | Lambda,
    readonly closure: Scope,
    readonly defaults: Map<string, PyValue>,
    public qualname = name,
  ) {
    super();
  }
  get typeName() {
    return 'function';
  }
}

/** A function bound to its first argument (methods). */
export class PyBoundMethod extends PyObj {
  constructor(readonly self: PyValue, readonly fn: PyValue) {
    super();
  }
  get typeName() {
    return 'method';
  }
}

export class PyClass extends PyObj {
  readonly dict = new Map<string, PyValue>();
  /** Set on the stand-in for a class of an unmodelled package (its full name): see opaque.ts. */
  opaque?: string;
  /** The module a class statement of the file defined it in ('__main__'); native classes spell theirs in qualname. */
  module?: string;
  constructor(
    readonly name: string,
    readonly bases: PyClass[],
    readonly qualname = name,
  ) {
    super();
  }
  get typeName() {
    return 'type';
  }
  /** C3 is overkill for snippets: depth-first, left-to-right, de-duplicated. */
  mro(): PyClass[] {
    const out: PyClass[] = [];
    const visit = (c: PyClass) => {
      if (out.includes(c)) return;
      out.push(c);
      c.bases.forEach(visit);
    };
    visit(this);
    return out;
  }
  lookup(name: string): PyValue | undefined {
    for (const c of this.mro()) if (c.dict.has(name)) return c.dict.get(name);
    return undefined;
  }
  isSubclassOf(other: PyClass): boolean {
    return this.mro().includes(other);
  }
}

export class PyInstance extends PyObj {
  /** Its attributes; `self.__dict__ = d` replaces this with a view of d's items (ItemAttributes). */
  dict: Map<string, PyValue> = new Map<string, PyValue>();
  /** Native state for instances of native classes (nn.Embedding's weight, Keras masks). */
  native: Record<string, unknown> = {};
  /** Mutable as in CPython: a lazy module becomes its `cls_to_become` (LazyLinear → Linear). */
  constructor(public cls: PyClass) {
    super();
  }
  get typeName() {
    return this.cls.name;
  }
}

export class PyModule extends PyObj {
  /** `dict` is the module's namespace; the running file's module shares its global scope's variables. */
  constructor(
    readonly name: string,
    readonly dict = new Map<string, PyValue>(),
  ) {
    super();
  }
  get typeName() {
    return 'module';
  }
  override getAttr(name: string): PyValue | undefined {
    return this.dict.get(name);
  }
}

/** super() proxy. */
export class PySuper extends PyObj {
  constructor(readonly cls: PyClass, readonly self: PyValue) {
    super();
  }
  get typeName() {
    return 'super';
  }
}

/** A raised Python exception travelling through JS. */
export class PyException extends Error {
  span: Span | undefined;
  /** For InternalError only: the JS failure behind it (bug reports, never shown as the message). */
  detail?: string;
  constructor(
    readonly instance: PyInstance,
    span?: Span,
  ) {
    super(String(instance.dict.get('__message__') ?? ''));
    this.span = span;
  }
  get pyType(): string {
    return this.instance.cls.name;
  }
  get pyMessage(): string {
    return String(this.instance.native.message ?? '');
  }
}

export const isInt = (v: PyValue): v is bigint => typeof v === 'bigint';
export const isFloat = (v: PyValue): v is number => typeof v === 'number';
export const isNumber = (v: PyValue): v is bigint | number | boolean =>
  typeof v === 'bigint' || typeof v === 'number' || typeof v === 'boolean';

export function typeNameOf(v: PyValue): string {
  if (v === null) return 'NoneType';
  switch (typeof v) {
    case 'boolean': return 'bool';
    case 'bigint': return 'int';
    case 'number': return 'float';
    case 'string': return 'str';
    default: return v.typeName;
  }
}

/** A rich comparison `op` (==, !=, <, <=, >, >=) from a three-way result `c` (<0, 0, >0); undefined for any other op. */
export function orderVerdict(op: string, c: number): boolean | undefined {
  switch (op) {
    case '==': return c === 0;
    case '!=': return c !== 0;
    case '<': return c < 0;
    case '<=': return c <= 0;
    case '>': return c > 0;
    case '>=': return c >= 0;
  }
  return undefined;
}
