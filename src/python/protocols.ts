// Python's data-model rules for built-in types: repr/str, truthiness,
// equality, hashing, ordering and arithmetic on int/float/bool/str/list/tuple.

import { bitLength, checkIntBits, checkItems, indexSized } from './budget';
import { formatPyFloat } from '../engine/format';
import { pyError } from './exceptions';
import { latin1, PyBytes } from './bytes';
import {
  CallContext, PyBoundMethod, PyBuiltin, PyClass, PyDict, PyEllipsis, PyFunction, PyInstance, PyList, PyModule,
  PyNamedTuple, PyObj, PyRange, PySet, PySlice, PyTuple, PyValue, typeNameOf,
} from './values';

export function reprStr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '\\') out += '\\\\';
    else if (ch === quote) out += '\\' + quote;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (c < 0x20 || c === 0x7f) out += '\\x' + c.toString(16).padStart(2, '0');
    else out += ch;
  }
  return out + quote;
}

export function repr(v: PyValue, ctx: CallContext): string {
  if (v === null) return 'None';
  switch (typeof v) {
    case 'boolean': return v ? 'True' : 'False';
    case 'bigint': return v.toString();
    case 'number': return formatPyFloat(v);
    case 'string': return reprStr(v);
  }
  const custom = v.repr(ctx);
  if (custom !== undefined) return custom;
  if (v instanceof PyNamedTuple) {
    if (v.fields.length) {
      // structseq repr: torch.return_types prints one field per line
      const sep = v.fullName.startsWith('torch.return_types') ? ',\n' : ', ';
      const open = sep === ', ' ? '(' : '(\n';
      return `${v.fullName}${open}${v.fields.map((f, i) => `${f}=${repr(v.items[i], ctx)}`).join(sep)})`;
    }
    return `${v.fullName}([${v.items.map((x) => repr(x, ctx)).join(', ')}])`;
  }
  if (v instanceof PyList) return `[${v.items.map((x) => (x === v ? '[...]' : repr(x, ctx))).join(', ')}]`;
  if (v instanceof PyTuple) {
    return v.items.length === 1 ? `(${repr(v.items[0], ctx)},)` : `(${v.items.map((x) => repr(x, ctx)).join(', ')})`;
  }
  if (v instanceof PyDict) {
    const body = [...v.entries.values()].map(([k, x]) => `${repr(k, ctx)}: ${repr(x, ctx)}`).join(', ');
    return v.defaultFactory !== undefined ? `defaultdict(${repr(v.defaultFactory, ctx)}, {${body}})` : `{${body}}`;
  }
  if (v instanceof PySet) {
    const body = v.entries.size ? `{${[...v.entries.values()].map((x) => repr(x, ctx)).join(', ')}}` : '';
    return v.frozen ? `frozenset(${body})` : body || 'set()';
  }
  if (v instanceof PyRange) return v.step === 1n ? `range(${v.start}, ${v.stop})` : `range(${v.start}, ${v.stop}, ${v.step})`;
  if (v instanceof PySlice) return `slice(${repr(v.start, ctx)}, ${repr(v.stop, ctx)}, ${repr(v.step, ctx)})`;
  if (v instanceof PyEllipsis) return 'Ellipsis';
  if (v instanceof PyFunction) return `<function ${v.qualname} at 0x7f0000000000>`;
  if (v instanceof PyBuiltin) return `<built-in function ${v.name}>`;
  if (v instanceof PyBoundMethod) return `<bound method ${repr(v.fn, ctx)} of ${repr(v.self, ctx)}>`;
  if (v instanceof PyModule) return `<module '${v.name}'>`;
  if (v instanceof PyClass) return `<class '${v.module ? `${v.module}.` : ''}${v.qualname}'>`;
  if (v instanceof PyInstance) {
    const m = v.cls.lookup('__repr__');
    if (m !== undefined) return toStr(ctx.call(m, [v]), ctx);
    if (v.native.message !== undefined) {
      const args = (v.native.args as PyValue[]) ?? [];
      return `${v.cls.name}(${args.length === 1 ? repr(args[0], ctx) : args.map((a) => repr(a, ctx)).join(', ')})`;
    }
    // a native class names its module in its qualname (torch.autograd.function.FunctionCtx)
    const c = v.cls;
    return `<${c.module ? `${c.module}.${c.qualname}` : c.qualname.includes('.') ? c.qualname : `__main__.${c.name}`} object at 0x7f0000000000>`;
  }
  return `<${v.typeName} object>`;
}

function toStr(v: PyValue, ctx: CallContext): string {
  if (typeof v !== 'string') throw pyError('TypeError', `__str__ returned non-string (type ${typeNameOf(v)})`);
  return v.toString();
}

export function str(v: PyValue, ctx: CallContext): string {
  if (typeof v === 'string') return v;
  if (v instanceof PyInstance) {
    const m = v.cls.lookup('__str__');
    if (m !== undefined) return toStr(ctx.call(m, [v]), ctx);
    if (v.native.message !== undefined) {
      const args = (v.native.args as PyValue[]) ?? [];
      if (v.cls.name === 'KeyError' && args.length === 1) return repr(args[0], ctx);
      return args.length === 1 ? str(args[0], ctx) : args.length === 0 ? '' : repr(new PyTuple(args), ctx);
    }
  }
  if (v instanceof PyObj) {
    const s = v.str(ctx);
    if (s !== undefined) return s;
  }
  return repr(v, ctx);
}

export function truthy(v: PyValue, ctx: CallContext): boolean {
  if (v === null) return false;
  switch (typeof v) {
    case 'boolean': return v;
    case 'bigint': return v !== 0n;
    case 'number': return v !== 0;
    case 'string': return v.length > 0;
  }
  const t = v.truthy(ctx);
  if (t !== undefined) return t;
  if (v instanceof PyList || v instanceof PyTuple) return v.items.length > 0;
  if (v instanceof PyDict) return v.entries.size > 0;
  if (v instanceof PySet) return v.entries.size > 0;
  if (v instanceof PyRange) return v.size > 0;
  if (v instanceof PyInstance) {
    const b = v.cls.lookup('__bool__');
    if (b !== undefined) return truthy(ctx.call(b, [v]), ctx);
    const l = v.cls.lookup('__len__');
    if (l !== undefined) return truthy(ctx.call(l, [v]), ctx);
  }
  const n = v.length(ctx);
  if (n !== undefined) return n > 0;
  return true;
}

/** Canonical key for dict/set membership. Only hashable values get one. */
export function hashKey(v: PyValue, ctx: CallContext): string {
  if (v === null) return 'N';
  switch (typeof v) {
    case 'boolean': return 'n' + (v ? '1' : '0');
    case 'bigint': return 'n' + v.toString();
    case 'number': return Number.isInteger(v) ? 'n' + BigInt(v).toString() : 'f' + v.toString();
    case 'string': return 's' + v;
  }
  // items' keys quoted (JSON), so a str holding a comma cannot pass for two items: ('a,sb',) is not ('a', 'b')
  if (v instanceof PyTuple) return 't' + JSON.stringify(v.items.map((x) => hashKey(x, ctx)));
  // a frozenset is its elements whatever their order; a set of the same elements is equal but unhashable
  if (v instanceof PySet && v.frozen) return frozensetKey(v);
  // bytes equal by content (b'a' == b'a'), never equal to a str; a bytearray is mutable
  if (v instanceof PyBytes && !v.mutable) return 'b' + latin1(v.data);
  if (v instanceof PyList || v instanceof PyDict || v instanceof PySet || v instanceof PyBytes) {
    throw pyError('TypeError', `unhashable type: '${v.typeName}'`);
  }
  return 'o' + objectId(v);
}

/** The hash key of a frozenset of `s`'s elements, whatever their order. */
function frozensetKey(s: PySet): string {
  return 'F' + JSON.stringify([...s.entries.keys()].sort());
}

/**
 * The key `x in s`, s.discard(x) and s.remove(x) look `x` up by: a (mutable)
 * set stands for the frozenset of its elements, as set_contains and
 * set_discard retry with a temporary frozenset (Objects/setobject.c);
 * anything else is hashKey's.
 */
export function setMemberKey(v: PyValue, ctx: CallContext): string {
  return v instanceof PySet && !v.frozen ? frozensetKey(v) : hashKey(v, ctx);
}

const ids = new WeakMap<object, number>();
let nextId = 1;
export function objectId(o: object): number {
  let id = ids.get(o);
  if (id === undefined) {
    id = nextId++;
    ids.set(o, id);
  }
  return id;
}

export function asNumber(v: PyValue): number | undefined {
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'number') return v;
  return undefined;
}

/** int-like (bool or int) as bigint */
export function asBigInt(v: PyValue): bigint | undefined {
  if (typeof v === 'boolean') return v ? 1n : 0n;
  if (typeof v === 'bigint') return v;
  return undefined;
}

/** == for built-in values; undefined when a PyObj must decide. */
export function builtinEquals(a: PyValue, b: PyValue, ctx: CallContext): boolean | undefined {
  if (a === b) return typeof a === 'number' ? !Number.isNaN(a) : true;
  const na = asNumber(a), nb = asNumber(b);
  if (na !== undefined && nb !== undefined) {
    const ia = asBigInt(a), ib = asBigInt(b);
    if (ia !== undefined && ib !== undefined) return ia === ib;
    if (ia !== undefined) return compareIntFloat(ia, nb) === 0;
    if (ib !== undefined) return compareIntFloat(ib, na) === 0;
    return na === nb;
  }
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') {
    if (typeof a === 'object' && a !== null && !(a instanceof PyTuple || a instanceof PyList)) return undefined;
    if (typeof b === 'object' && b !== null && !(b instanceof PyTuple || b instanceof PyList)) return undefined;
    return false;
  }
  if (a instanceof PyTuple && b instanceof PyTuple) return seqEquals(a.items, b.items, ctx);
  if (a instanceof PyList && b instanceof PyList) return seqEquals(a.items, b.items, ctx);
  if ((a instanceof PyList && b instanceof PyTuple) || (a instanceof PyTuple && b instanceof PyList)) return false;
  if (a instanceof PyDict && b instanceof PyDict) {
    if (a.entries.size !== b.entries.size) return false;
    for (const [k, [, v]] of a.entries) {
      const other = b.entries.get(k);
      if (!other || !equals(v, other[1], ctx)) return false;
    }
    return true;
  }
  if (a instanceof PySet && b instanceof PySet) {
    return a.entries.size === b.entries.size && [...a.entries.keys()].every((k) => b.entries.has(k));
  }
  return undefined;
}

function seqEquals(a: PyValue[], b: PyValue[], ctx: CallContext): boolean {
  return a.length === b.length && a.every((x, i) => equals(x, b[i], ctx));
}

/** Python truth of a == b (for `in`, list.index, dict lookups of equal keys). */
export function equals(a: PyValue, b: PyValue, ctx: CallContext): boolean {
  const r = builtinEquals(a, b, ctx);
  if (r !== undefined) return r;
  if (a instanceof PyObj) {
    const c = a.compare('==', b, false, ctx);
    if (c !== undefined) return truthy(c, ctx);
  }
  if (b instanceof PyObj) {
    const c = b.compare('==', a, true, ctx);
    if (c !== undefined) return truthy(c, ctx);
  }
  return a === b;
}

export function floorDivInt(a: bigint, b: bigint): bigint {
  if (b === 0n) throw pyError('ZeroDivisionError', 'integer division or modulo by zero');
  const q = a / b;
  return (a % b !== 0n && (a < 0n) !== (b < 0n)) ? q - 1n : q;
}

export function modInt(a: bigint, b: bigint): bigint {
  if (b === 0n) throw pyError('ZeroDivisionError', 'integer division or modulo by zero');
  const r = a % b;
  return r !== 0n && (r < 0n) !== (b < 0n) ? r + b : r;
}

export function modFloat(a: number, b: number): number {
  if (b === 0) throw pyError('ZeroDivisionError', 'float modulo');
  const r = a % b;
  return r !== 0 && (r < 0) !== (b < 0) ? r + b : r;
}

const OP_NAMES: Record<string, string> = {
  '+': '+', '-': '-', '*': '*', '/': '/', '//': '//', '%': '%', '**': '** or pow()', '@': '@',
  '&': '&', '|': '|', '^': '^', '<<': '<<', '>>': '>>',
};

/** CPython's tp_name: a C extension type carries its module ('numpy.ndarray'), a Python class only its name ('Tensor'). */
function tpName(v: PyValue): string {
  return (v as { tpName?: string } | null)?.tpName ?? typeNameOf(v);
}

export function unsupportedOperand(op: string, a: PyValue, b: PyValue): Error {
  return pyError('TypeError', `unsupported operand type(s) for ${OP_NAMES[op] ?? op}: '${tpName(a)}' and '${tpName(b)}'`);
}

/** Arithmetic on Python numbers, strings and sequences; undefined when not applicable. */
export function builtinBinary(op: string, a: PyValue, b: PyValue): PyValue | undefined {
  const ia = asBigInt(a), ib = asBigInt(b);
  if (ia !== undefined && ib !== undefined) {
    if (typeof a === 'boolean' && typeof b === 'boolean' && (op === '&' || op === '|' || op === '^')) {
      return op === '&' ? a && b : op === '|' ? a || b : a !== b;
    }
    switch (op) {
      case '+': return ia + ib;
      case '-': return ia - ib;
      case '*':
        if (ia > MAX_SAFE || ia < -MAX_SAFE || ib > MAX_SAFE || ib < -MAX_SAFE) checkIntBits(bitLength(ia) + bitLength(ib));
        return ia * ib;
      case '/':
        if (ib === 0n) throw pyError('ZeroDivisionError', 'division by zero');
        return Number(ia) / Number(ib);
      case '//': return floorDivInt(ia, ib);
      case '%': return modInt(ia, ib);
      case '**':
        if (ib < 0n) {
          if (ia === 0n) throw pyError('ZeroDivisionError', '0.0 cannot be raised to a negative power');
          return Number(ia) ** Number(ib);
        }
        // the result has about bitLength(a) * b bits: refuse before V8 spends seconds on it
        if (ia === 0n || ia === 1n) return ib === 0n ? 1n : ia;
        if (ia === -1n) return ib % 2n === 0n ? 1n : -1n;
        checkIntBits(BigInt(bitLength(ia) - 1) * ib + 1n);
        return ia ** ib;
      case '&': return ia & ib;
      case '|': return ia | ib;
      case '^': return ia ^ ib;
      case '<<':
        if (ib < 0n) throw pyError('ValueError', 'negative shift count');
        if (ia !== 0n) checkIntBits(BigInt(bitLength(ia)) + ib);
        return ia << ib;
      case '>>':
        if (ib < 0n) throw pyError('ValueError', 'negative shift count');
        // V8 refuses shift counts past its BigInt size; the result is 0 or -1 long before that
        if (ib > BigInt(bitLength(ia))) return ia < 0n ? -1n : 0n;
        return ia >> ib;
    }
    return undefined;
  }
  const na = asNumber(a), nb = asNumber(b);
  if (na !== undefined && nb !== undefined) {
    switch (op) {
      case '+': return na + nb;
      case '-': return na - nb;
      case '*': return na * nb;
      case '/':
        if (nb === 0) throw pyError('ZeroDivisionError', 'float division by zero');
        return na / nb;
      case '//':
        if (nb === 0) throw pyError('ZeroDivisionError', 'float floor division by zero');
        return Math.floor(na / nb);
      case '%': return modFloat(na, nb);
      case '**':
        if (na === 0 && nb < 0) throw pyError('ZeroDivisionError', '0.0 cannot be raised to a negative power');
        return na ** nb;
    }
    return undefined;
  }
  if (typeof a === 'string' && typeof b === 'string' && op === '+') {
    checkItems(a.length + b.length, 'str');
    return a + b;
  }
  if (op === '*') {
    const [seq, n] = ib !== undefined ? [a, ib] : ia !== undefined ? [b, ia] : [null, 0n];
    if (typeof seq === 'string') {
      const times = Math.max(0, indexSized(n));
      if (seq.length > 0) checkItems(seq.length * times, 'str');
      return seq.repeat(seq.length > 0 ? times : 0);
    }
    if (seq instanceof PyList) return new PyList(repeatItems(seq.items, n, 'list'));
    if (seq instanceof PyTuple && !(seq instanceof PyNamedTuple)) return new PyTuple(repeatItems(seq.items, n, 'tuple'));
  }
  if (op === '+') {
    if (a instanceof PyList && b instanceof PyList) return new PyList(concatItems(a.items, b.items, 'list'));
    if (a instanceof PyTuple && b instanceof PyTuple) return new PyTuple(concatItems(a.items, b.items, 'tuple'));
  }
  if (op === '%' && typeof a === 'string') return undefined; // printf-style handled by evaluator
  return undefined;
}

/** seq * n for lists and tuples, sized (and budget-checked) before copying. */
function repeatItems(items: readonly PyValue[], n: bigint, what: string): PyValue[] {
  const times = Math.max(0, indexSized(n));
  if (items.length === 0 || times === 0) return [];
  checkItems(items.length * times, what);
  const out = new Array<PyValue>(items.length * times);
  for (let k = 0, at = 0; k < times; k++) for (let i = 0; i < items.length; i++) out[at++] = items[i];
  return out;
}

/** a + b for lists and tuples (x = x + x in a loop doubles it each time). */
export function concatItems(a: readonly PyValue[], b: readonly PyValue[], what: string): PyValue[] {
  checkItems(a.length + b.length, what);
  return a.concat(b);
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** <, <=, >, >= on built-ins; undefined when not applicable. */
export function builtinOrder(op: string, a: PyValue, b: PyValue, ctx: CallContext): boolean | undefined {
  const cmp = compareValues(a, b, ctx);
  if (cmp === undefined) return undefined;
  if (Number.isNaN(cmp)) return false;
  switch (op) {
    case '<': return cmp < 0;
    case '<=': return cmp <= 0;
    case '>': return cmp > 0;
    case '>=': return cmp >= 0;
  }
  return undefined;
}

/**
 * An int against a float, exactly (CPython's float_richcompare): 2**53 + 1 >
 * 2.0**53 and sys.maxsize != float(sys.maxsize), where converting the int to a
 * double would round it. NaN for a NaN float.
 */
export function compareIntFloat(i: bigint, f: number): number {
  if (Number.isNaN(f)) return NaN;
  if (f === Infinity) return -1;
  if (f === -Infinity) return 1;
  const whole = BigInt(Math.floor(f));
  if (i !== whole) return i < whole ? -1 : 1;
  return Number.isInteger(f) ? 0 : -1;
}

function compareValues(a: PyValue, b: PyValue, ctx: CallContext): number | undefined {
  const ia = asBigInt(a), ib = asBigInt(b);
  if (ia !== undefined && ib !== undefined) return ia < ib ? -1 : ia > ib ? 1 : 0;
  const na = asNumber(a), nb = asNumber(b);
  if (na !== undefined && nb !== undefined) {
    if (ia !== undefined) return compareIntFloat(ia, nb);
    if (ib !== undefined) return -compareIntFloat(ib, na);
    return na < nb ? -1 : na > nb ? 1 : na === nb ? 0 : NaN;
  }
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  const seqA = a instanceof PyList || a instanceof PyTuple ? a.items : null;
  const seqB = b instanceof PyList || b instanceof PyTuple ? b.items : null;
  if (seqA && seqB && (a instanceof PyList) === (b instanceof PyList)) {
    for (let i = 0; i < Math.min(seqA.length, seqB.length); i++) {
      if (!equals(seqA[i], seqB[i], ctx)) {
        const c = compareValues(seqA[i], seqB[i], ctx);
        if (c === undefined) throw pyError('TypeError', `'<' not supported between instances of '${typeNameOf(seqA[i])}' and '${typeNameOf(seqB[i])}'`);
        return c;
      }
    }
    return seqA.length - seqB.length;
  }
  return undefined;
}

/** sorted()/list.sort() comparison. */
export function sortCompare(a: PyValue, b: PyValue, ctx: CallContext): number {
  const c = compareValues(a, b, ctx);
  if (c === undefined) {
    if (a instanceof PyObj) {
      const lt = a.compare('<', b, false, ctx);
      if (lt !== undefined) return truthy(lt, ctx) ? -1 : truthy(b instanceof PyObj ? b.compare('<', a, false, ctx) ?? false : false, ctx) ? 1 : 0;
    }
    throw pyError('TypeError', `'<' not supported between instances of '${typeNameOf(b)}' and '${typeNameOf(a)}'`);
  }
  return Number.isNaN(c) ? 0 : c;
}
