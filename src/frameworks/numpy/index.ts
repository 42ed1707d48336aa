// numpy: ndarray with NumPy's promotion (float64 default, value-based
// scalar casting) and the array functions masking snippets use.

import { DType, castValue, isFloating, promoteTypes } from '../../engine/dtype';
import {
  DEFAULT_NUMPY_PRINT_OPTIONS, type FloatMode, type NumpyPrintOptions, formatNumpyArray, formatNumpyScalar, formatNumpyScalarRepr, formatPyFloat,
} from '../../engine/format';
import { getSlot, slot } from '../../engine/context';
import type { BinaryOp } from '../../engine/kernels/backend';
import { arange, tril, triu } from '../../engine/ops/compose';
import { carryCopyEvidence, carryFromLengths, carryMaskEvidence, carryPositions, noteMaskSource, notePositions } from '../../masks/evidence';
import { binary, cast, scalarTensor, unary, where } from '../../engine/ops/core';
import { getItem, indexSelect, nonzero, setItem, type IndexWording } from '../../engine/ops/indexing';
import { matmul, mean, reduce } from '../../engine/ops/reduce';
import { cat, expand, flip, permute, reshape, select, stack, unsqueeze } from '../../engine/ops/shape';
import { Tensor, hasWide, int64Values } from '../../engine/tensor';
import { bind, toBool, toFloat, toInt, toShape } from '../../python/args';
import { formatValue } from '../../python/builtins';
import { cut, encodeNumber } from '../../python/encode';
import type { EncodedValue } from '../../python/result';
import { pyError } from '../../python/exceptions';
import { PyBytes, bufferOf } from '../../python/bytes';
import { checkWritable, fromBuffer, toBytes } from './buffer';
import { CallContext, Kwargs, NativeFn, PyBuiltin, PyClass, PyDict, PyInstance, PyList, PyModule, PyObj, PyTuple, PyValue, typeNameOf } from '../../python/values';
import { ArrayValue, DtypeObject, dimList, interned, nestedList, flattenNested, inferDtype, operand, scalarOf, tensorFromFlat } from '../common';
import { cumsum, indexItems } from '../torch/tensor';
import { makeRandomModule } from './random';
import { axisError, makeExceptionsModule } from './errors';
import { MORE_ARRAY_METHODS, defineMoreFunctions, npMean, npSum } from './functions';
import { NumpyScalarType, defineScalarTypes } from './types';
import { defineLibFunctions } from './lib';

export class NumpyDtype extends DtypeObject {
  static readonly of = interned((d) => new NumpyDtype(d));
  get typeName() {
    return 'dtype';
  }
  override repr() {
    return `dtype('${this.dtypeValue}')`;
  }
  override str() {
    return this.dtypeValue;
  }
  override compare(op: string, other: PyValue): PyValue | undefined {
    if (op !== '==' && op !== '!=') return undefined;
    // equal to its scalar type (x.dtype == np.float32) and to its name (x.dtype == 'float32')
    const d = other instanceof DtypeObject || other instanceof NumpyScalarType ? other.dtypeValue : typeof other === 'string' ? npDtype(other) : undefined;
    return op === '==' ? d === this.dtypeValue : d !== this.dtypeValue;
  }
  override getAttr(name: string): PyValue | undefined {
    switch (name) {
      case 'name': return this.dtypeValue;
      case 'type': return NumpyScalarType.of(this.dtypeValue);
      case 'itemsize': return BigInt(ITEMSIZE[this.dtypeValue] ?? 8);
      case 'kind': return this.dtypeValue === 'bool' ? 'b' : this.dtypeValue === 'uint8' ? 'u' : isFloating(this.dtypeValue) ? 'f' : 'i';
    }
    return undefined;
  }
  /** tp_name of the dtype's class (numpy.dtypes.Float32DType), as CPython-level errors name it. */
  get tpName() {
    const d = this.dtypeValue;
    const cls = d === 'uint8' ? 'UInt8' : d === 'bool' ? 'Bool' : d[0].toUpperCase() + d.slice(1);
    return `numpy.dtypes.${cls}DType`;
  }
}

const ITEMSIZE: Partial<Record<DType, number>> = { float16: 2, float32: 4, float64: 8, int8: 1, int16: 2, int32: 4, int64: 8, uint8: 1, bool: 1 };

export function npDtype(v: PyValue | undefined): DType | undefined {
  if (v === undefined || v === null) return undefined;
  if (v instanceof NumpyDtype) return v.dtypeValue;
  if (typeof v === 'string') {
    const names: Record<string, DType> = {
      float32: 'float32', float64: 'float64', float: 'float64', float16: 'float16', int32: 'int32', int64: 'int64', int: 'int64',
      int8: 'int8', int16: 'int16', uint8: 'uint8', bool: 'bool', f4: 'float32', f8: 'float64', i4: 'int32', i8: 'int64', u1: 'uint8',
    };
    const d = names[v];
    if (!d) throw pyError('TypeError', `data type '${v}' not understood`);
    return d;
  }
  const named = (v as { dtypeValue?: DType }).dtypeValue;
  if (named) return named;
  const builtin = (v as { name?: string }).name;
  if (builtin === 'float') return 'float64';
  if (builtin === 'int') return 'int64';
  if (builtin === 'bool') return 'bool';
  throw pyError('TypeError', `Cannot interpret '${typeNameOf(v)}' as a data type`);
}

export class NumpyArray extends ArrayValue {
  get typeName() {
    return 'ndarray';
  }
  /** The qualified name type(x) prints: <class 'numpy.ndarray'>. */
  get fullName() {
    return 'numpy.ndarray';
  }
  /** The name CPython's operator errors use (tp_name of a C type). */
  get tpName() {
    return this.fullName;
  }
  get library() {
    return 'numpy' as const;
  }
  /** type(a) is np.ndarray. */
  pyType(): PyClass {
    return NDARRAY_CLASS;
  }
  override repr() {
    return formatNumpyArray(this.t, 'repr', numpyPrintOptions());
  }
  override str() {
    return formatNumpyArray(this.t, 'str', numpyPrintOptions());
  }
  override getAttr(name: string): PyValue | undefined {
    const t = this.t;
    switch (name) {
      case 'shape': return new PyTuple(t.shape.map((s) => BigInt(s)));
      case 'dtype': return NumpyDtype.of(t.dtype);
      case 'ndim': return BigInt(t.ndim);
      case 'size': return BigInt(t.numel);
      case 'T': return new NumpyArray(permute(t, t.shape.map((_, i) => t.ndim - 1 - i)));
    }
    const m = ARRAY_METHODS[name];
    return m ? new PyBuiltin(name, (args, kw, ctx) => m(this, args, kw, ctx), `ndarray.${name}`) : undefined;
  }
  override binaryOp(op: string, other: PyValue, reflected: boolean): PyValue | undefined {
    const inplace = op.endsWith('=') && op !== '==';
    const base = inplace ? op.slice(0, -1) : op;
    // a torch tensor takes precedence (its __array_priority__): Python then asks the tensor
    if (other instanceof ArrayValue && other.library === 'torch') return undefined;
    if (base === '@') {
      // a @ b is np.matmul (a list operand is converted, as by np.asarray)
      if (!(other instanceof ArrayValue) && !(other instanceof PyList) && !(other instanceof PyTuple)) return undefined;
      const o = toNumpyTensor(other);
      const r = reflected ? npMatmul(o, this.t) : npMatmul(this.t, o);
      if (inplace) {
        checkWritable(this.t, 'output array is read-only');
        // ndarray.__imatmul__ writes the product back where its shape allows
        setItem(this.t, [{ kind: 'ellipsis' }], cast(r, this.t.dtype));
        return this;
      }
      return npResult(r);
    }
    const o = numpyOperand(other);
    if (o === undefined) return undefined;
    const [a, b] = reflected ? [o, this.t] : [this.t, o];
    // an in-place op names its output too: 'with shapes (2,) (3,) (2,) '
    if (inplace && o instanceof Tensor && !(this instanceof NumpyScalar)) npBroadcast([this.t.shape, o.shape, this.t.shape], true);
    // arithmetic on a mask is one (1 - np.triu(...), (1 - m) * -1e9), as torch's binaryOp records it
    const r = carryMaskEvidence(carryPositions(npBinary(base, a, b), base, a, b), a, b);
    if (inplace && !(this instanceof NumpyScalar)) {
      checkWritable(this.t, 'output array is read-only');
      setItem(this.t, [{ kind: 'ellipsis' }], r);
      return this;
    }
    return npResult(r);
  }
  override unaryOp(op: string): PyValue | undefined {
    // a NumPy scalar stays a scalar (-np.float64(2.0) is np.float64(-2.0))
    const wrap = (t: Tensor) => (this instanceof NumpyScalar ? npScalar(t) : new NumpyArray(t));
    if (op === '-') return wrap(unary('neg', this.t));
    if (op === '+') return this;
    // ~ of a mask built from lengths (np.arange(T) < lengths[:, None]) is still one
    if (op === '~') return wrap(this.t.dtype === 'bool' ? carryFromLengths(unary('not', this.t), this.t) : unary('bitnot', this.t));
    return undefined;
  }
  override compare(op: string, other: PyValue): PyValue | undefined {
    if (other instanceof ArrayValue && other.library === 'torch') return undefined;
    const o = numpyOperand(other);
    if (o === undefined) return undefined;
    const map: Record<string, BinaryOp> = { '<': 'lt', '<=': 'le', '>': 'gt', '>=': 'ge', '==': 'eq', '!=': 'ne' };
    if (!map[op]) return undefined;
    const [x, y] = promoteArrays(this.t, o);
    if (y instanceof Tensor) npBroadcast([this.t.shape, y.shape], true);
    // positions (np.arange) compared with a lengths array build a key padding mask (d2l's sequence_mask)
    return npResult(carryPositions(binary(map[op], promoteForNumpy(x as Tensor, y), y), op, this.t, o));
  }
  override getItem(key: PyValue, ctx: CallContext): PyValue | undefined {
    const r = getItem(this.t, indexItems(key, ctx), NUMPY_INDEXING);
    return r.ndim === 0 && !(key instanceof PyTuple && key.items.some((k) => k === null)) ? npScalar(r) : new NumpyArray(r);
  }
  override setItem(key: PyValue, value: PyValue, ctx: CallContext): boolean {
    let v = numpyOperand(value) ?? toNumpyTensor(value, ctx);
    // NumPy's setitem casts the values to the array's dtype as C does (float -> int truncates,
    // -1 -> uint8 wraps), fancy index or not; index_put_'s same-dtype rule is PyTorch's alone
    if (v instanceof Tensor && v.dtype !== this.t.dtype) v = cast(v, this.t.dtype);
    checkMaskAssign(this.t, key, v);
    checkWritable(this.t);
    setItem(this.t, indexItems(key, ctx), v, NUMPY_INDEXING);
    return true;
  }
  override length() {
    if (this.t.ndim === 0) throw pyError('TypeError', 'len() of unsized object');
    return this.t.shape[0];
  }
  override iterate(): PyValue[] {
    if (this.t.ndim === 0) throw pyError('TypeError', 'iteration over a 0-d array');
    return Array.from({ length: this.t.shape[0] }, (_, i) => {
      const s = select(this.t, 0, i);
      return s.ndim === 0 ? npScalar(s) : new NumpyArray(s);
    });
  }
  override truthy(): boolean {
    if (this.t.numel !== 1) {
      throw pyError('ValueError', 'The truth value of an array with more than one element is ambiguous. Use a.any() or a.all()');
    }
    return this.t.item() !== 0;
  }
}

/**
 * a[mask] = values: NumPy needs one value per True (or one value in all);
 * otherwise ValueError in NumPy's words (mapping.c, boolean assignment).
 */
/** NumPy's words for indexing errors: "for axis 1" of the array, ValueError for a value that does not fit. */
const NUMPY_INDEXING: IndexWording = {
  axis: true,
  valueShapeError: (value, target, advanced) => pyError('ValueError', advanced
    ? `shape mismatch: value array of shape ${npShape(value)} could not be broadcast to indexing result of shape ${npShape(target)}`
    : `could not broadcast input array from shape ${npShape(value)} into shape ${npShape(target)}`),
};

/** A shape as NumPy's C code writes it in these messages: (2,), (2,3), (). */
function npShape(shape: readonly number[]): string {
  return `(${shape.join(',')}${shape.length === 1 ? ',' : ''})`;
}

function checkMaskAssign(self: Tensor, key: PyValue, v: Tensor | number | bigint | boolean): void {
  if (!(key instanceof ArrayValue) || key.t.dtype !== 'bool' || !(v instanceof Tensor) || v.ndim === 0) return;
  if (key.t.ndim !== self.ndim) return;
  const count = Number(reduce('sum', cast(key.t, 'int64')).item());
  const n = v.shape[0];
  if (v.ndim === 1 && n !== count && n !== 1) {
    throw pyError('ValueError', `NumPy boolean array indexing assignment cannot assign ${n} input values to the ${count} output values where the mask is true`);
  }
}

/** np.int64(3), np.float64(0.5), np.bool_(True): a 0-d value with its NumPy type name. */
export class NumpyScalar extends NumpyArray {
  /** type(x).__name__: NumPy 2 names its boolean scalar type `bool` (1.x: `bool_`). */
  override get typeName() {
    return this.t.dtype;
  }
  override get fullName() {
    return `numpy.${this.t.dtype}`;
  }
  /** type(np.float32(1)) is np.float32. */
  override pyType(): PyClass {
    return NumpyScalarType.of(this.t.dtype);
  }
  override repr() {
    return formatNumpyScalarRepr(this.exactItem(), this.t.dtype);
  }
  override str() {
    return formatNumpyScalar(this.exactItem(), this.t.dtype);
  }
  /** golden.py's `{type: 'float32', value}` (the exact digits of an int64 beyond 2^53 too). */
  override encode(): EncodedValue {
    const x = this.t.item();
    const exact = this.exactItem();
    return { type: this.typeName as 'int', value: encodeNumber(x, this.t.dtype === 'bool'), ...(typeof exact === 'bigint' && !Number.isSafeInteger(x) ? { exact: exact.toString() } : {}) };
  }
  /** A dict entry shows a NumPy scalar by its repr, as a Python number. */
  override entrySummary(repr: (v: PyValue) => string): string {
    return cut(repr(this), 60);
  }
  /** The value, exactly: an int64 beyond 2^53 as a bigint (its double is only the nearest). */
  exactItem(): number | bigint {
    return this.t.dtype === 'int64' && hasWide(this.t) ? int64Values(this.t)[0] : this.t.item();
  }
  /**
   * format(x, spec) / f'{x:spec}'. An empty spec on float16/float32 formats the value as a
   * Python float (f'{np.float16(65504)}' -> '65504.0', not str's '6.55e+04'; NumPy 2.4
   * measured); float64 subclasses float, whose empty-spec format is str(x).
   */
  format(spec: string, ctx: CallContext): string | undefined {
    if (spec === '' && (this.t.dtype === 'float16' || this.t.dtype === 'float32')) return formatPyFloat(this.t.item());
    return spec === '' ? undefined : formatValue(scalarOf(this.t.dtype, this.t.item()), spec, ctx);
  }
}

export function npScalar(t: Tensor): PyValue {
  return new NumpyScalar(t.ndim === 0 && t.isContiguous() ? t : reshape(cast(t, t.dtype), []));
}

/**
 * A ufunc's positional arguments: `nin` inputs and an optional `out`; other
 * counts are NumPy's TypeError ("logical_and() takes from 2 to 3 positional
 * arguments but 1 was given"), not a failure further in.
 */
function ufuncArgs(name: string, args: PyValue[], nin: number): PyValue[] {
  if (args.length < nin || args.length > nin + 1) {
    throw pyError('TypeError', `${name}() takes from ${nin} to ${nin + 1} positional arguments but ${args.length} ${args.length === 1 ? 'was' : 'were'} given`);
  }
  return args;
}

/** A ufunc's 0-d result is a NumPy scalar, also when an operand was a 0-d array (np.array(2.5) * 2). */
export function npResult(r: Tensor): PyValue {
  return r.ndim === 0 ? npScalar(r) : new NumpyArray(r);
}

function numpyOperand(v: PyValue): Tensor | number | bigint | boolean | undefined {
  const o = operand(v);
  if (o instanceof Tensor || o === undefined) return o;
  return o;
}

/** NumPy promotes Python floats against int arrays to float64 (not float32). */
function promoteForNumpy(t: Tensor, o: Tensor | number | bigint | boolean): Tensor {
  if (typeof o === 'number' && !isFloating(t.dtype)) return cast(t, 'float64');
  return t;
}

export function npBinary(op: string, a: Tensor | number | bigint | boolean, b: Tensor | number | bigint | boolean): Tensor {
  // Python floats meeting integer arrays become float64 in NumPy.
  const lift = (x: typeof a, other: typeof a) =>
    x instanceof Tensor && !isFloating(x.dtype) && typeof other === 'number' ? cast(x, 'float64') : x;
  [a, b] = promoteArrays(a, b);
  // two arrays that do not broadcast get the ufunc's ValueError, not the engine's torch wording
  if (a instanceof Tensor && b instanceof Tensor) npBroadcast([a.shape, b.shape], true);
  const x = lift(a, b), y = lift(b, a);
  const bothInt = (v: typeof a) => (v instanceof Tensor ? !isFloating(v.dtype) : typeof v !== 'number');
  switch (op) {
    case '+': return binary('add', x, y);
    case '-': return binary('sub', x, y);
    case '*': return binary('mul', x, y);
    case '/': {
      if (bothInt(x) && bothInt(y)) return binary('div', asF64(x), asF64(y));
      return binary('div', x, y);
    }
    case '//': return binary('floordiv', x, y);
    case '%': return binary('remainder', x, y);
    case '**': return binary('pow', x, y);
    case 'maximum': return binary('maximum', x, y);
    case 'minimum': return binary('minimum', x, y);
    case '&': return binary('bitand', x, y);
    case '|': return binary('bitor', x, y);
    case '^': return binary('bitxor', x, y);
  }
  throw pyError('TypeError', `unsupported operand type(s) for ${op}: 'numpy.ndarray'`);
}

function asF64(v: Tensor | number | bigint | boolean): Tensor | number {
  return v instanceof Tensor ? cast(v, 'float64') : Number(v);
}

/**
 * A NumPy axis argument, negative ones counted from the end; out of range is numpy's AxisError,
 * its message prefixed with the argument's name where NumPy names it (swapaxes' "axis2: ").
 */
function npAxis(v: PyValue | undefined, ndim: number, what: string, prefixed = true): number {
  const ax = toInt(v, what);
  if (ax < -ndim || ax >= ndim) throw axisError(`${prefixed ? `${what}: ` : ''}axis ${ax} is out of bounds for array of dimension ${ndim}`);
  return ax < 0 ? ax + ndim : ax;
}

/** A NumPy ufunc of two operands (np.maximum, np.add, ...; npBinary's ops): NumPy's promotion, Python scalars weak. */
function npUfunc2(op: string, a: PyValue, b: PyValue, ctx: CallContext): PyValue {
  const x = numpyOperand(a) ?? toNumpyTensor(a, ctx), y = numpyOperand(b) ?? toNumpyTensor(b, ctx);
  const t = (v: typeof x) => (v instanceof Tensor ? v : toNumpyTensor(v as PyValue));
  // two Python scalars still make a NumPy scalar, both as NumPy arrays (np.power(1.5, 2) is float64)
  const scalars = !(x instanceof Tensor) && !(y instanceof Tensor);
  return npResult(npBinary(op, scalars ? t(x) : x, scalars ? t(y) : y));
}

/**
 * np.isclose(a, b, rtol=1e-05, atol=1e-08, equal_nan=False): NumPy 2's
 * formula, |a - b| <= atol + rtol * |b| where b is finite, or a == b (so
 * equal infinities are close), computed in b's float type
 * (numpy/_core/numeric.py isclose).
 */
function npIsclose(a: PyValue, b: PyValue, rtol: number, atol: number, equalNan: boolean, ctx: CallContext): Tensor {
  let x = numpyOperand(a) ?? toNumpyTensor(a, ctx), y: Tensor | number | bigint | boolean = numpyOperand(b) ?? toNumpyTensor(b, ctx);
  y = y instanceof Tensor ? (isFloating(y.dtype) ? y : cast(y, 'float64')) : scalarTensor(Number(y), 'float64');
  if (!(x instanceof Tensor)) x = scalarTensor(typeof x === 'number' ? x : Number(x), typeof x === 'number' ? 'float64' : 'int64');
  const diff = unary('abs', npBinary('-', x, y));
  const tol = npBinary('+', npBinary('*', unary('abs', y), rtol), atol);
  let r = binary('or', binary('and', binary('le', diff, tol), unary('isfinite', y, 'bool')), binary('eq', x, y));
  if (equalNan) r = binary('or', r, binary('and', unary('isnan', x, 'bool'), unary('isnan', y, 'bool')));
  return r;
}

/**
 * The broadcast shape of several arrays with NumPy's errors: a ufunc's "operands could not
 * be broadcast together with shapes (2,) (3,) ", otherwise np.broadcast_arrays' (MultiIter)
 * "shape mismatch: ... between arg i ... and arg j ..." naming the array that fixed the size.
 */
export function npBroadcast(shapes: (readonly number[])[], ufunc: boolean): number[] {
  const ndim = Math.max(0, ...shapes.map((s) => s.length));
  const out: number[] = new Array(ndim).fill(1), owner: number[] = new Array(ndim).fill(0);
  shapes.forEach((s, k) => {
    s.forEach((n, d) => {
      const o = ndim - s.length + d;
      if (n === 1 || out[o] === n) return;
      if (out[o] === 1) {
        out[o] = n;
        owner[o] = k;
        return;
      }
      if (ufunc) throw pyError('ValueError', `operands could not be broadcast together with shapes ${shapes.map((x) => pyTuple(x)).join(' ')} `);
      throw pyError('ValueError', `shape mismatch: objects cannot be broadcast to a single shape.  Mismatch is between arg ${owner[o]} with shape ${pyTuple(shapes[owner[o]])} and arg ${k} with shape ${pyTuple(s)}.`);
    });
  });
  return out;
}

/** A shape as NumPy prints it in messages: (3,), (2,4) (entries may be words: newaxis). */
export function pyTuple(shape: readonly (number | string)[]): string {
  return `(${shape.join(',')}${shape.length === 1 ? ',' : ''})`;
}

/** np.tile(A, reps): A repeated along each axis; reps and A's dims are padded with leading 1s to match. */
function npTile(t: Tensor, reps: number[]): Tensor {
  const n = Math.max(t.ndim, reps.length);
  const shape = [...Array(n - t.ndim).fill(1), ...t.shape];
  const r = [...Array(n - reps.length).fill(1), ...reps];
  const wide = shape.flatMap((s, i) => [r[i], s]);
  const spread = reshape(t, shape.flatMap((s) => [1, s]));
  return cast(reshape(expand(spread, wide), shape.map((s, i) => s * r[i])), t.dtype);
}

const INT_BITS: Partial<Record<DType, number>> = { int8: 8, int16: 16, int32: 32, int64: 64 };
const FLOAT_BITS: Partial<Record<DType, number>> = { float16: 16, float32: 32, float64: 64 };

/**
 * NumPy's promotion of two array dtypes (np.result_type, NEP 50: NumPy
 * scalars and 0-d arrays are as strong as arrays): bool yields to anything,
 * uint8 with int8 is int16, an int with a float is the smallest float that
 * holds the int exactly (int8/uint8 + float16 = float16, int16 + float16 =
 * float32, int32/int64 + float32 = float64), otherwise the wider type. Torch
 * differs (int64 + float32 is float32 there), so NumPy code must not use
 * torch's promoteTypes. bfloat16 is no NumPy type: it falls back to torch's rule.
 */
export function npPromote(a: DType, b: DType): DType {
  if (a === b) return a;
  if (a === 'bool') return b;
  if (b === 'bool') return a;
  if (a === 'bfloat16' || b === 'bfloat16') return promoteTypes(a, b);
  const bits = (d: DType) => (d === 'uint8' ? 8 : INT_BITS[d] ?? FLOAT_BITS[d]!);
  if (isFloating(a) && isFloating(b)) return bits(a) >= bits(b) ? a : b;
  if (!isFloating(a) && !isFloating(b)) {
    if (a === 'uint8' || b === 'uint8') {
      const other = a === 'uint8' ? b : a;
      return other === 'int8' ? 'int16' : other;
    }
    return bits(a) >= bits(b) ? a : b;
  }
  const [f, i] = isFloating(a) ? [a, b] : [b, a];
  // bits an int needs as a float's mantissa: int8/uint8 fit float16, int16 float32, wider ones only float64
  const need = i === 'int8' || i === 'uint8' ? 16 : i === 'int16' ? 32 : 64;
  return bits(f) >= need ? f : need === 32 ? 'float32' : 'float64';
}

/** Two array operands of different dtypes cast to their NumPy promotion; Python scalars stay weak. */
function promoteArrays<A, B>(a: A, b: B): [A | Tensor, B | Tensor] {
  if (!(a instanceof Tensor) || !(b instanceof Tensor) || a.dtype === b.dtype) return [a, b];
  const d = npPromote(a.dtype, b.dtype);
  return [a.dtype === d ? a : cast(a, d), b.dtype === d ? b : cast(b, d)];
}

const MATMUL_SIGNATURE = '(n?,k),(k,m?)->(n?,m?)';

/**
 * np.matmul(a, b) and a @ b: NumPy's gufunc (n?,k),(k,m?)->(n?,m?). 1-D
 * operands gain and then lose a core dim, batch dims broadcast, the dtype is
 * the NumPy promotion of both, and bool @ bool is bool (any of a[i,k] and
 * b[k,j]). Errors are NumPy's ValueErrors: a 0-d operand, a core-dimension
 * mismatch, batch dims that do not broadcast (numpy/_core/src/umath/ufunc_object.c).
 */
export function npMatmul(a: Tensor, b: Tensor): Tensor {
  for (const [i, t] of [a, b].entries()) {
    if (t.ndim === 0) {
      throw pyError('ValueError', `matmul: Input operand ${i} does not have enough dimensions (has 0, gufunc core with signature ${MATMUL_SIGNATURE} requires 1)`);
    }
  }
  const k = a.shape[a.ndim - 1], k2 = b.shape[b.ndim === 1 ? 0 : b.ndim - 2];
  if (k !== k2) {
    throw pyError('ValueError', `matmul: Input operand 1 has a mismatch in its core dimension 0, with gufunc signature ${MATMUL_SIGNATURE} (size ${k2} is different from ${k})`);
  }
  const batchA = a.shape.slice(0, Math.max(0, a.ndim - 2)), batchB = b.shape.slice(0, Math.max(0, b.ndim - 2));
  const n = Math.min(batchA.length, batchB.length);
  const fits = Array.from({ length: n }, (_, i) => [batchA[batchA.length - 1 - i], batchB[batchB.length - 1 - i]]).every(([x, y]) => x === y || x === 1 || y === 1);
  if (!fits) {
    const remap = (t: Tensor) => `(${t.shape.join(',')}${t.ndim === 1 ? ',' : ''})->(${[...t.shape.slice(0, Math.max(0, t.ndim - 2)), ...Array(Math.min(2, t.ndim)).fill('newaxis')].join(',')})`;
    const requested = [...(a.ndim > 1 ? [a.shape[a.ndim - 2]] : []), ...(b.ndim > 1 ? [b.shape[b.ndim - 1]] : [])];
    throw pyError('ValueError', `operands could not be broadcast together with remapped shapes [original->remapped]: ${remap(a)} ${remap(b)}  and requested shape (${requested.join(',')}${requested.length === 1 ? ',' : ''})`);
  }
  const d = npPromote(a.dtype, b.dtype);
  if (d === 'bool') return binary('ne', matmul(cast(a, 'int64'), cast(b, 'int64')), 0);
  return matmul(a.dtype === d ? a : cast(a, d), b.dtype === d ? b : cast(b, d));
}

/**
 * np.dot(a, b): a product with a scalar, the inner product of 1-D arrays,
 * matmul for 2-D, and for N-D `a` against a 1-D or 2-D `b` the sum over a's
 * last and b's first (or only) axis. N-D `b` (dot's outer batch product) is
 * not modelled. A mismatch is NumPy's "shapes (2,3) and (2,3) not aligned".
 */
export function npDot(a: Tensor, b: Tensor): Tensor {
  if (a.ndim === 0 || b.ndim === 0) return npBinary('*', a, b);
  if (b.ndim > 2) throw pyError('NotImplementedError', 'numpy.dot with a 3-D or higher second argument is not supported by Mask Lens yet');
  const ka = a.ndim - 1, kb = 0;
  if (a.shape[ka] !== b.shape[kb]) {
    throw pyError('ValueError', `shapes ${pyTuple(a.shape)} and ${pyTuple(b.shape)} not aligned: ${a.shape[ka]} (dim ${ka}) != ${b.shape[kb]} (dim ${kb})`);
  }
  return npMatmul(a, b);
}

export function toNumpyTensor(v: PyValue, ctx?: CallContext, dtype?: DType): Tensor {
  if (v instanceof ArrayValue) return dtype && dtype !== v.t.dtype ? cast(v.t, dtype) : v.t;
  if (typeof v === 'bigint' || typeof v === 'number' || typeof v === 'boolean') {
    return scalarTensor(v, dtype ?? (typeof v === 'number' ? 'float64' : typeof v === 'bigint' ? 'int64' : 'bool'));
  }
  const { shape, flat } = flattenNested(v, ctx!, (x) => (x instanceof ArrayValue ? x.t : undefined));
  return tensorFromFlat(flat, shape, dtype ?? nestedDtype(v) ?? inferDtype(flat, 'float64', 'int64'));
}

/**
 * np.array's dtype for a nested list holding NumPy arrays or scalars: the NumPy promotion of
 * their dtypes with the Python scalars beside them taken as float64 / int64 / bool (they are
 * not weak here): np.array([np.float16(1)]) is float16, np.array([np.float16(1), 1.5]) float64,
 * np.array([np.int8(1), True]) int8 (NumPy 2.4 measured). Undefined when no NumPy value is
 * inside, so plain lists keep inferDtype's rule.
 */
function nestedDtype(v: PyValue): DType | undefined {
  let arrays: DType | undefined;
  const pyScalars: PyValue[] = [];
  const walk = (x: PyValue): void => {
    if (x instanceof ArrayValue) arrays = arrays === undefined ? x.t.dtype : npPromote(arrays, x.t.dtype);
    else if (x instanceof PyList || x instanceof PyTuple) x.items.forEach(walk);
    else pyScalars.push(x);
  };
  walk(v);
  if (arrays === undefined) return undefined;
  return pyScalars.length === 0 ? arrays : npPromote(arrays, inferDtype(pyScalars, 'float64', 'int64'));
}

type Method = (self: NumpyArray, args: PyValue[], kw: Kwargs, ctx: CallContext) => PyValue;

function npReduce(op: 'sum' | 'prod' | 'max' | 'min' | 'any' | 'all' | 'argmax' | 'argmin' | 'mean'): Method {
  return (self, args, kw, ctx) => {
    const a = bind(op, args, kw, ['axis?', 'dtype?', 'out?', 'keepdims?']);
    const axis = dimList(a.axis);
    const keep = toBool(a.keepdims, ctx);
    let r: Tensor;
    const axes = axis === null ? null : (Array.isArray(axis) ? axis : [axis]).map((d) => npAxis(BigInt(d), self.t.ndim, 'axis', false)).sort((x, y) => x - y);
    const dtype = npDtype(a.dtype);
    // float sums and means add in NumPy's pairwise order (functions.ts npSum)
    if (op === 'mean') r = npMean(self.t, axes, keep, dtype);
    else if (op === 'sum' && (isFloating(self.t.dtype) || (dtype && isFloating(dtype)))) r = npSum(self.t, axes, keep, dtype);
    else if (op === 'argmax' || op === 'argmin') r = axis === null ? reduce(op, reshape(self.t, [-1]), 0) : reduce(op, self.t, axis, keep);
    else {
      const src = (op === 'sum' || op === 'prod') && (self.t.dtype === 'bool' || self.t.dtype === 'int32' || self.t.dtype === 'uint8') ? cast(self.t, 'int64') : self.t;
      r = reduce(op, src, axis, keep);
      if (op === 'any' || op === 'all') r = cast(r, 'bool');
    }
    return r.ndim === 0 ? npScalar(r) : new NumpyArray(r);
  };
}

const ARRAY_METHODS: Record<string, Method> = {
  astype: (self, args, kw) => {
    const a = bind('astype', args, kw, ['dtype', 'order?', 'casting?', 'subok?', 'copy?']);
    // a cast of a mask is still one (np.triu(np.ones(...), k=1).astype('uint8'), the Annotated Transformer's subsequent_mask)
    return new NumpyArray(carryCopyEvidence(cast(self.t, npDtype(a.dtype)!), self.t));
  },
  reshape: (self, args) => new NumpyArray(reshape(self.t, toShape(args, 'shape'))),
  sum: npReduce('sum'), prod: npReduce('prod'), max: npReduce('max'), min: npReduce('min'), mean: npReduce('mean'),
  any: npReduce('any'), all: npReduce('all'), argmax: npReduce('argmax'), argmin: npReduce('argmin'),
  tolist: (self) => nestedList(self.t),
  tobytes: (self) => new PyBytes(toBytes(self.t)),
  copy: (self) => new NumpyArray(carryCopyEvidence(cast(self.t, self.t.dtype), self.t)),
  // copy.copy / copy.deepcopy(ndarray): a new buffer (ndarray.__copy__ / __deepcopy__)
  __copy__: (self) => new NumpyArray(cast(self.t, self.t.dtype)),
  __deepcopy__: (self) => new NumpyArray(cast(self.t, self.t.dtype)),
  flatten: (self) => new NumpyArray(cast(reshape(self.t, [-1]), self.t.dtype)),
  transpose: (self, args) => new NumpyArray(args.length ? permute(self.t, toShape(args, 'axes')) : permute(self.t, self.t.shape.map((_, i) => self.t.ndim - 1 - i))),
  item: (self) => npScalar(self.t),
  swapaxes: (self, args, kw) => {
    const a = bind('swapaxes', args, kw, ['axis1', 'axis2']);
    const t = self.t, d1 = npAxis(a.axis1, t.ndim, 'axis1'), d2 = npAxis(a.axis2, t.ndim, 'axis2');
    const order = t.shape.map((_, i) => (i === d1 ? d2 : i === d2 ? d1 : i));
    return new NumpyArray(permute(t, order));
  },
  // a.repeat(repeats, axis=None): each element repeated (flattened first without an axis);
  // repeats may give one count per element along the axis (PyArray_Repeat)
  repeat: (self, args, kw, ctx) => {
    const a = bind('repeat', args, kw, ['repeats', 'axis?']);
    const flat = a.axis === undefined || a.axis === null;
    const t = flat ? reshape(self.t, [-1]) : self.t;
    const d = flat ? 0 : npAxis(a.axis, t.ndim, 'axis', false);
    if (a.repeats instanceof ArrayValue || a.repeats instanceof PyList || a.repeats instanceof PyTuple) {
      const counts = ctx.iterate(a.repeats).map((x) => toInt(x, 'repeats'));
      if (counts.length !== 1) {
        if (counts.length !== t.shape[d]) throw pyError('ValueError', `operands could not be broadcast together with shape (${t.shape[d]},) (${counts.length},)`);
        if (counts.some((c) => c < 0)) throw pyError('ValueError', 'repeats may not contain negative values.');
        const index = counts.flatMap((c, i) => Array(c).fill(i));
        return new NumpyArray(indexSelect(t, d, Tensor.fromData('int64', [index.length], Float64Array.from(index))));
      }
      a.repeats = BigInt(counts[0]);
    }
    const r = toInt(a.repeats, 'repeats');
    if (r < 0) throw pyError('ValueError', 'negative dimensions are not allowed');
    const wide = [...t.shape.slice(0, d + 1), r, ...t.shape.slice(d + 1)];
    const out = [...t.shape.slice(0, d), t.shape[d] * r, ...t.shape.slice(d + 1)];
    return new NumpyArray(cast(reshape(expand(unsqueeze(t, d + 1), wide), out), t.dtype));
  },
  // a.round(decimals): NumPy scales by 10**decimals in the array's dtype, rounds half to even and
  // scales back (numpy/_core/src/multiarray/calculation.c PyArray_Round), so 2.675 rounds to 2.67
  round: (self, args, kw) => {
    const a = bind('round', args, kw, ['decimals?', 'out?']);
    const decimals = a.decimals === undefined || a.decimals === null ? 0 : toInt(a.decimals, 'decimals');
    const t = self.t;
    if (!isFloating(t.dtype)) {
      if (decimals >= 0) return npResult(cast(t, t.dtype));
      throw pyError('NotImplementedError', 'numpy.round of an integer array with negative decimals is not supported by Mask Lens yet');
    }
    const scale = scalarTensor(10 ** Math.abs(decimals), t.dtype);
    const r = decimals >= 0 ? binary('div', unary('round', binary('mul', t, scale)), scale) : binary('mul', unary('round', binary('div', t, scale)), scale);
    return npResult(r);
  },
  // cumsum(axis=None) runs over the flattened array; bool/int32 accumulate in int64 as NumPy's add.accumulate does
  cumsum: (self, args, kw) => {
    const a = bind('cumsum', args, kw, ['axis?', 'dtype?', 'out?']);
    const src = self.t.dtype === 'bool' || self.t.dtype === 'int32' || self.t.dtype === 'uint8' ? cast(self.t, 'int64') : self.t;
    const d = npDtype(a.dtype);
    if (a.axis === undefined || a.axis === null) return new NumpyArray(cumsum(reshape(src, [-1]), 0, d));
    return new NumpyArray(cumsum(src, toInt(a.axis, 'axis'), d));
  },
  nonzero: (self) => {
    const idx = nonzero(self.t);
    return new PyTuple(Array.from({ length: self.t.ndim }, (_, d) => new NumpyArray(cast(select(idx, 1, d), 'int64'))));
  },
  squeeze: (self, args, kw) => {
    const a = bind('squeeze', args, kw, ['axis?']);
    const axes = a.axis === undefined || a.axis === null ? self.t.shape.map((s, i) => (s === 1 ? i : -1)).filter((i) => i >= 0) : [toInt(a.axis, 'axis')];
    return new NumpyArray(reshape(self.t, self.t.shape.filter((_, i) => !axes.includes(i) && !axes.includes(i - self.t.ndim))));
  },
};

const fn = (name: string, f: NativeFn) => new PyBuiltin(name, f, `numpy.${name}`);

/** np.ndarray: type(a) of every array (not of a NumPy scalar), for isinstance checks (espnet's to_torch_tensor). */
const NDARRAY_CLASS = new PyClass('ndarray', [], 'numpy.ndarray');

function creator(name: string, value: number): NativeFn {
  return (args, kw) => {
    const a = bind(name, args, kw, ['shape', 'dtype?', 'order?']);
    const shape = typeof a.shape === 'bigint' ? [Number(a.shape)] : toShape([a.shape!], 'shape');
    const t = Tensor.empty(npDtype(a.dtype) ?? 'float64', shape);
    t.storage.data.fill(value);
    return new NumpyArray(t);
  };
}

// np.set_printoptions' state: what every ndarray (and tf.Tensor, printed through NumPy) prints with
// (and the threshold as given, which get_printoptions returns: sys.maxsize stays that int)
interface PrintState {
  options: Readonly<NumpyPrintOptions>;
  threshold: PyValue;
}
const NP_PRINT = slot<PrintState>('numpy.printoptions', () => ({ options: DEFAULT_NUMPY_PRINT_OPTIONS, threshold: BigInt(DEFAULT_NUMPY_PRINT_OPTIONS.threshold) }));

/** The print options np.set_printoptions left (NumPy's defaults at first). */
export function numpyPrintOptions(): Readonly<NumpyPrintOptions> {
  return getSlot(NP_PRINT).options;
}

const PRINT_OPTION_NAMES = ['precision', 'threshold', 'edgeitems', 'linewidth', 'suppress', 'nanstr', 'infstr', 'formatter', 'sign', 'floatmode'];
const FLOAT_MODES: readonly FloatMode[] = ['fixed', 'unique', 'maxprec', 'maxprec_equal'];

/**
 * np.set_printoptions(precision=None, threshold=None, edgeitems=None,
 * linewidth=None, suppress=None, nanstr=None, infstr=None, formatter=None,
 * sign=None, floatmode=None, *, legacy=None, override_repr=None): the options
 * not None replace the current ones, checked as numpy/_core/arrayprint.py's
 * _make_options_dict does (TypeError for a non-integer precision or a
 * non-numeric threshold, ValueError for a NaN threshold, an unknown floatmode
 * or sign). They apply to arrays, not to NumPy scalars. A `formatter`, a
 * `legacy` mode and `override_repr` are not modelled.
 */
function setPrintOptions(args: PyValue[], kw: Kwargs, ctx: CallContext): PrintState {
  // legacy and override_repr are keyword-only
  if (args.length > PRINT_OPTION_NAMES.length) throw pyError('TypeError', `set_printoptions() takes from 0 to ${PRINT_OPTION_NAMES.length} positional arguments but ${args.length} were given`);
  const a = bind('set_printoptions', args, kw, [...PRINT_OPTION_NAMES.map((n) => `${n}?`), 'legacy?', 'override_repr?']);
  const given = (v: PyValue | undefined): v is PyValue => v !== undefined && v !== null;
  const o: NumpyPrintOptions = { ...numpyPrintOptions() };
  let threshold = getSlot(NP_PRINT).threshold;
  if (given(a.floatmode) && !(typeof a.floatmode === 'string' && (FLOAT_MODES as readonly string[]).includes(a.floatmode))) {
    throw pyError('ValueError', 'floatmode option must be one of "fixed", "unique", "maxprec", "maxprec_equal"');
  }
  if (given(a.sign) && !(a.sign === '-' || a.sign === '+' || a.sign === ' ')) throw pyError('ValueError', "sign option must be one of ' ', '+', or '-'");
  for (const name of ['formatter', 'override_repr']) {
    if (given(a[name])) throw pyError('NotImplementedError', `numpy.set_printoptions(${name}=...) is not supported by Mask Lens yet`);
  }
  if (given(a.legacy) && a.legacy !== false) throw pyError('NotImplementedError', 'numpy.set_printoptions(legacy=...) is not supported by Mask Lens yet');
  if (given(a.threshold)) {
    const t = a.threshold;
    if (typeof t !== 'number' && typeof t !== 'bigint' && typeof t !== 'boolean' && !(t instanceof ArrayValue && t.t.ndim === 0)) {
      throw pyError('TypeError', 'threshold must be numeric');
    }
    const n = toFloat(t, 'threshold');
    if (Number.isNaN(n)) throw pyError('ValueError', 'threshold must be non-NAN, try sys.maxsize for untruncated representation');
    o.threshold = n;
    threshold = t;
  }
  if (given(a.precision)) {
    if (typeof a.precision !== 'bigint' && typeof a.precision !== 'boolean' && !(a.precision instanceof ArrayValue && !a.precision.t.isFloating && a.precision.t.ndim === 0)) {
      throw pyError('TypeError', 'precision must be an integer');
    }
    o.precision = toInt(a.precision, 'precision');
  }
  if (given(a.edgeitems)) o.edgeitems = toInt(a.edgeitems, 'edgeitems');
  if (given(a.linewidth)) o.linewidth = toInt(a.linewidth, 'linewidth');
  if (given(a.suppress)) o.suppress = ctx.truthy(a.suppress);
  if (given(a.nanstr)) o.nanstr = String(a.nanstr);
  if (given(a.infstr)) o.infstr = String(a.infstr);
  if (given(a.sign)) o.sign = a.sign as NumpyPrintOptions['sign'];
  if (given(a.floatmode)) o.floatmode = a.floatmode as FloatMode;
  return { options: o, threshold };
}

/** np.get_printoptions(): the options as a dict, in NumPy's key order. */
function printOptionsDict({ options: o, threshold }: PrintState): PyDict {
  const d = new PyDict();
  const pairs: [string, PyValue][] = [
    ['edgeitems', BigInt(o.edgeitems)], ['threshold', threshold], ['floatmode', o.floatmode], ['precision', BigInt(o.precision)],
    ['suppress', o.suppress], ['linewidth', BigInt(o.linewidth)], ['nanstr', o.nanstr], ['infstr', o.infstr], ['sign', o.sign],
    ['formatter', null], ['legacy', false], ['override_repr', null],
  ];
  for (const [k, v] of pairs) d.entries.set('s' + k, [k, v]);
  return d;
}

/** np.printoptions(**kwargs): a context manager that sets the options on entry (giving get_printoptions()) and restores them on exit. */
function printOptionsContext(args: PyValue[], kw: Kwargs, ctx: CallContext): PyValue {
  const next = setPrintOptions(args, kw, ctx);
  const cls = new PyClass('printoptions', [], 'numpy.printoptions');
  const state = getSlot(NP_PRINT);
  let saved: PrintState = { ...state };
  cls.dict.set('__enter__', new PyBuiltin('__enter__', () => {
    saved = { ...state };
    Object.assign(state, next);
    return printOptionsDict(next);
  }));
  cls.dict.set('__exit__', new PyBuiltin('__exit__', () => {
    Object.assign(state, saved);
    return false;
  }));
  return new PyInstance(cls);
}

export function makeNumpyModule(): PyModule {
  const np = new PyModule('numpy');
  const def = (name: string, f: NativeFn) => np.dict.set(name, fn(name, f));
  defineScalarTypes(np);
  np.dict.set('inf', Infinity);
  np.dict.set('nan', NaN);
  np.dict.set('pi', Math.PI);
  np.dict.set('e', Math.E);
  np.dict.set('newaxis', null);
  np.dict.set('ndarray', NDARRAY_CLASS);
  def('set_printoptions', (args, kw, ctx) => {
    Object.assign(getSlot(NP_PRINT), setPrintOptions(args, kw, ctx));
    return null;
  });
  def('get_printoptions', () => printOptionsDict(getSlot(NP_PRINT)));
  def('printoptions', printOptionsContext);
  def('array', (args, kw, ctx) => {
    const a = bind('array', args, kw, ['object', 'dtype?', 'copy?', 'ndmin?']);
    const t = toNumpyTensor(a.object!, ctx, npDtype(a.dtype));
    return new NumpyArray(a.object instanceof ArrayValue ? cast(t, t.dtype) : t);
  });
  def('asarray', (args, kw, ctx) => {
    const a = bind('asarray', args, kw, ['a', 'dtype?']);
    return a.a instanceof NumpyArray && a.dtype === undefined ? a.a : new NumpyArray(toNumpyTensor(a.a!, ctx, npDtype(a.dtype)));
  });
  def('ones', creator('ones', 1));
  def('zeros', creator('zeros', 0));
  def('empty', creator('empty', 0));
  def('full', (args, kw) => {
    const a = bind('full', args, kw, ['shape', 'fill_value', 'dtype?']);
    const v = a.fill_value!;
    const d = npDtype(a.dtype) ?? (typeof v === 'number' ? 'float64' : typeof v === 'boolean' ? 'bool' : 'int64');
    const t = Tensor.empty(d, typeof a.shape === 'bigint' ? [Number(a.shape)] : toShape([a.shape!], 'shape'));
    t.storage.data.fill(castValue(d, toFloat(v, 'fill_value'))); // NumPy casts unsafely, without a check
    return new NumpyArray(t);
  });
  def('ones_like', ([x]) => {
    const t = toNumpyTensor(x);
    const o = Tensor.empty(t.dtype, t.shape);
    o.storage.data.fill(1);
    return new NumpyArray(o);
  });
  def('zeros_like', ([x]) => {
    const t = toNumpyTensor(x);
    return new NumpyArray(Tensor.empty(t.dtype, t.shape));
  });
  def('eye', (args, kw) => {
    const a = bind('eye', args, kw, ['N', 'M?', 'k?', 'dtype?']);
    const n = toInt(a.N, 'N'), m = a.M === undefined || a.M === null ? n : toInt(a.M, 'M'), k = a.k === undefined ? 0 : toInt(a.k, 'k');
    const t = Tensor.empty(npDtype(a.dtype) ?? 'float64', [n, m]);
    for (let i = 0; i < n; i++) if (i + k >= 0 && i + k < m) t.storage.data[i * m + i + k] = 1;
    return new NumpyArray(t);
  });
  def('arange', (args, kw) => {
    const a = bind('arange', args, kw, ['start', 'stop?', 'step?', 'dtype?']);
    const nums = [a.start, a.stop, a.step].filter((x) => x !== undefined && x !== null) as PyValue[];
    const [start, stop, step] = nums.length === 1 ? [0, toFloat(nums[0], 'stop'), 1] : [toFloat(nums[0], 'start'), toFloat(nums[1], 'stop'), nums[2] === undefined ? 1 : toFloat(nums[2], 'step')];
    const d = npDtype(a.dtype) ?? (nums.some((x) => typeof x === 'number') ? 'float64' : 'int64');
    return new NumpyArray(notePositions(arange(start, stop, step, d)));
  });
  const tri = (name: 'tril' | 'triu') => (args: PyValue[], kw: Kwargs, ctx: CallContext) => {
    const a = bind(name, args, kw, ['m', 'k?']);
    let t = toNumpyTensor(a.m!, ctx);
    if (t.ndim === 1) t = expand(unsqueeze(t, 0), [t.shape[0], t.shape[0]]); // NumPy broadcasts 1-D input
    const k = a.k === undefined ? 0 : toInt(a.k, 'k');
    return new NumpyArray(noteMaskSource(name === 'tril' ? tril(t, k) : triu(t, k)));
  };
  def('tril', tri('tril'));
  def('triu', tri('triu'));
  def('where', (args, kw, ctx) => {
    // numpy.where(condition, [x, y], /): positional only
    for (const k of kw.keys()) throw pyError('TypeError', `where() got an unexpected keyword argument '${k}'`);
    if (args.length === 0) throw pyError('TypeError', "where() missing 1 required positional argument: 'condition'");
    if (args.length > 3) throw pyError('TypeError', `where() takes from 1 to 3 positional arguments but ${args.length} were given`);
    if (args.length === 2) throw pyError('ValueError', 'either both or neither of x and y should be given');
    const cond = cast(toNumpyTensor(args[0], ctx), 'bool');
    if (args.length === 1) {
      const nz = nonzero(cond);
      return new PyTuple(Array.from({ length: cond.ndim }, (_, k) => new NumpyArray(cast(select(nz, 1, k), 'int64'))));
    }
    const x = numpyOperand(args[1]) ?? toNumpyTensor(args[1], ctx), y = numpyOperand(args[2]) ?? toNumpyTensor(args[2], ctx);
    const lift = (v: typeof x) => (typeof v === 'number' ? scalarTensor(v, 'float64') : typeof v === 'bigint' ? scalarTensor(v, 'int64') : v);
    const [lx, ly] = [lift(x), lift(y)];
    // np.where(mask, scores, -1e9) with a mask that does not broadcast: the ufunc's message, a Python scalar as ()
    npBroadcast([cond.shape, lx instanceof Tensor ? lx.shape : [], ly instanceof Tensor ? ly.shape : []], true);
    return new NumpyArray(where(cond, lx, ly));
  });
  def('frombuffer', (args, kw) => {
    const a = bind('frombuffer', args, kw, ['buffer', 'dtype?', 'count?', 'offset?']);
    // an ndarray exposes its bytes through the buffer protocol too
    const buffer = a.buffer instanceof NumpyArray ? { data: toBytes(a.buffer.t), writable: true } : bufferOf(a.buffer ?? null);
    if (!buffer) throw pyError('TypeError', `a bytes-like object is required, not '${typeNameOf(a.buffer ?? null)}'`);
    const count = a.count === undefined ? -1 : toInt(a.count, 'count');
    const offset = a.offset === undefined ? 0 : toInt(a.offset, 'offset');
    // over bytes (immutable) the array is read-only; over a bytearray it shares the bytes (see fromBuffer);
    // over an ndarray it is a copy (NumPy would share the array's memory)
    return new NumpyArray(fromBuffer(buffer.data, npDtype(a.dtype) ?? 'float64', count, offset, !buffer.writable));
  });
  def('concatenate', (args, kw, ctx) => {
    const a = bind('concatenate', args, kw, ['arrays', 'axis?']);
    const ts = ctx.iterate(a.arrays!).map((x) => toNumpyTensor(x, ctx));
    return new NumpyArray(carryMaskEvidence(cat(ts, a.axis === undefined ? 0 : toInt(a.axis, 'axis')), ...ts));
  });
  def('stack', (args, kw, ctx) => {
    const a = bind('stack', args, kw, ['arrays', 'axis?']);
    const ts = ctx.iterate(a.arrays!).map((x) => toNumpyTensor(x, ctx));
    return new NumpyArray(carryMaskEvidence(stack(ts, a.axis === undefined ? 0 : toInt(a.axis, 'axis')), ...ts));
  });
  def('expand_dims', (args, kw, ctx) => {
    const a = bind('expand_dims', args, kw, ['a', 'axis']);
    return new NumpyArray(unsqueeze(toNumpyTensor(a.a!, ctx), toInt(a.axis, 'axis')));
  });
  Object.assign(ARRAY_METHODS, MORE_ARRAY_METHODS);
  // np.f(a, ...) for every ndarray method a.f(...) Mask Lens has (np.any(x, axis=-1), np.cumsum, ...)
  const FUNCTION_NAMES: Record<string, string> = { amax: 'max', amin: 'min', reshape: 'reshape', around: 'round' };
  for (const name of [...Object.keys(ARRAY_METHODS), ...Object.keys(FUNCTION_NAMES)]) {
    if (name === 'tolist' || name === 'item' || name === 'astype' || name === 'flatten') continue;
    const target = FUNCTION_NAMES[name] ?? name;
    def(name, (args, kw, ctx) => {
      const a = kw.has('a') ? kw.get('a')! : args[0];
      const rest = kw.has('a') ? args : args.slice(1);
      const kw2 = new Map([...kw].filter(([k]) => k !== 'a'));
      if (target === 'reshape') {
        const shape = kw2.get('newshape') ?? kw2.get('shape') ?? rest[0];
        return ARRAY_METHODS.reshape(new NumpyArray(toNumpyTensor(a ?? null, ctx)), [shape ?? null], new Map(), ctx);
      }
      return ARRAY_METHODS[target](new NumpyArray(toNumpyTensor(a ?? null, ctx)), rest, kw2, ctx);
    });
  }
  def('unique', (args, kw, ctx) => {
    const a = bind('unique', args, kw, ['ar', 'return_index?', 'return_inverse?', 'return_counts?', 'axis?', 'equal_nan?']);
    if (a.axis !== undefined && a.axis !== null) throw pyError('NotImplementedError', 'np.unique with axis is not supported by Mask Lens yet');
    return unique(toNumpyTensor(a.ar!, ctx), toBool(a.return_index, ctx), toBool(a.return_inverse, ctx), toBool(a.return_counts, ctx));
  });
  def('count_nonzero', (args, kw, ctx) => {
    const a = bind('count_nonzero', args, kw, ['a', 'axis?', 'keepdims?']);
    const nz = cast(binary('ne', toNumpyTensor(a.a!, ctx), 0), 'int64');
    const r = reduce('sum', nz, dimList(a.axis), toBool(a.keepdims, ctx));
    return a.axis === undefined || a.axis === null ? BigInt(r.item()) : new NumpyArray(r);
  });
  for (const op of ['exp', 'log', 'sqrt', 'abs', 'sin', 'cos', 'tanh', 'floor', 'ceil', 'log1p', 'expm1'] as const) {
    def(op, ([x], _kw, ctx) => {
      const t = toNumpyTensor(x, ctx);
      // a ufunc of a scalar (np.log(10000)) or of a 0-d array gives a NumPy scalar
      return npResult(unary(op, isFloating(t.dtype) || op === 'abs' ? t : cast(t, 'float64')));
    });
  }
  def('logical_not', ([x], _kw, ctx) => {
    const t = toNumpyTensor(x, ctx);
    return new NumpyArray(carryFromLengths(unary('not', t, 'bool'), t));
  });
  def('isnan', ([x], _kw, ctx) => new NumpyArray(unary('isnan', toNumpyTensor(x, ctx), 'bool')));
  def('array_equal', ([a, b], _kw, ctx) => {
    const x = toNumpyTensor(a, ctx), y = toNumpyTensor(b, ctx);
    return x.shape.length === y.shape.length && x.shape.every((s, i) => s === y.shape[i]) && reduce('all', binary('eq', x, y)).item() !== 0;
  });
  // np.result_type(*arrays_and_dtypes): dtypes (np.float32, 'int64') or arrays
  const dtypeOf = (x: PyValue, ctx: CallContext) => (x instanceof DtypeObject || x instanceof NumpyScalarType || typeof x === 'string' ? npDtype(x)! : toNumpyTensor(x, ctx).dtype);
  def('result_type', (args, _kw, ctx) => NumpyDtype.of(args.map((x) => dtypeOf(x, ctx)).reduce(npPromote)));
  // the ufunc forms of the operators (np.add(a, b) is a + b; np.equal(a, b) is a == b), two Python
  // scalars included (np.add(1, 2) is np.int64(3)); out=, where= and dtype= are not modelled
  const ufunc2 = (name: string, args: PyValue[], kw: Kwargs) => {
    const a = bind(name, args, kw, ['x1', 'x2', 'out?', 'where?', 'casting?', 'order?', 'dtype?', 'subok?']);
    for (const k of ['out', 'where', 'dtype']) {
      if (a[k] !== undefined && a[k] !== null && !(k === 'where' && a[k] === true)) throw pyError('NotImplementedError', `numpy.${name}(${k}=...) is not supported by Mask Lens yet`);
    }
    return a;
  };
  const ARITHMETIC: Record<string, string> = {
    add: '+', subtract: '-', multiply: '*', divide: '/', true_divide: '/', floor_divide: '//', remainder: '%', mod: '%',
    bitwise_and: '&', bitwise_or: '|', bitwise_xor: '^',
  };
  for (const [name, op] of Object.entries(ARITHMETIC)) {
    def(name, (args, kw, ctx) => {
      const a = ufunc2(name, args, kw);
      return npUfunc2(op, a.x1!, a.x2!, ctx);
    });
  }
  const COMPARISONS: Record<string, BinaryOp> = { equal: 'eq', not_equal: 'ne', less: 'lt', less_equal: 'le', greater: 'gt', greater_equal: 'ge' };
  for (const [name, op] of Object.entries(COMPARISONS)) {
    def(name, (args, kw, ctx) => {
      const a = ufunc2(name, args, kw);
      const x = numpyOperand(a.x1!) ?? toNumpyTensor(a.x1!, ctx), y = numpyOperand(a.x2!) ?? toNumpyTensor(a.x2!, ctx);
      const [p, q] = promoteArrays(x instanceof Tensor || y instanceof Tensor ? x : toNumpyTensor(a.x1!, ctx), y);
      // a Python float against an int array compares in float64, on either side
      const lhs = p instanceof Tensor ? promoteForNumpy(p, q) : p;
      const rhs = q instanceof Tensor ? promoteForNumpy(q, p) : q;
      if (lhs instanceof Tensor && rhs instanceof Tensor) npBroadcast([lhs.shape, rhs.shape], true);
      const symbol = { eq: '==', ne: '!=', lt: '<', le: '<=', gt: '>', ge: '>=' }[op as string]!;
      return npResult(carryPositions(binary(op, lhs, rhs), symbol, x, y));
    });
  }
  // unary ufuncs: a scalar or 0-d input gives a NumPy scalar
  const ufunc1 = (name: string, args: PyValue[], ctx: CallContext) => toNumpyTensor(ufuncArgs(name, args, 1)[0], ctx);
  def('negative', (args, _kw, ctx) => {
    const t = ufunc1('negative', args, ctx);
    if (t.dtype === 'bool') throw pyError('TypeError', 'The numpy boolean negative, the `-` operator, is not supported, use the `~` operator or the logical_not function instead.');
    return npResult(unary('neg', t));
  });
  def('positive', (args, _kw, ctx) => npResult(cast(ufunc1('positive', args, ctx), ufunc1('positive', args, ctx).dtype)));
  def('absolute', (args, _kw, ctx) => npResult(unary('abs', ufunc1('absolute', args, ctx))));
  // np.invert / np.bitwise_not: logical not of a bool mask, two's complement of ints
  for (const name of ['invert', 'bitwise_not']) {
    def(name, (args, _kw, ctx) => {
      const t = ufunc1(name, args, ctx);
      if (isFloating(t.dtype)) {
        throw pyError('TypeError', "ufunc 'invert' not supported for the input types, and the inputs could not be safely coerced to any supported types according to the casting rule ''safe''");
      }
      return npResult(t.dtype === 'bool' ? carryFromLengths(unary('not', t), t) : unary('bitnot', t));
    });
  }
  // np.rint rounds half to even, np.trunc toward zero; ints come back as float64
  for (const [name, op] of [['rint', 'round'], ['trunc', 'trunc']] as const) {
    def(name, (args, _kw, ctx) => {
      const t = ufunc1(name, args, ctx);
      return npResult(unary(op, isFloating(t.dtype) ? t : cast(t, 'float64')));
    });
  }
  // np.isin(element, test_elements, assume_unique=False, invert=False): an array the shape of element, 0-d too
  def('isin', (args, kw, ctx) => {
    const a = bind('isin', args, kw, ['element', 'test_elements', 'assume_unique?', 'invert?', 'kind?']);
    const x = toNumpyTensor(a.element!, ctx), tests = reshape(toNumpyTensor(a.test_elements!, ctx), [-1]);
    let r = Tensor.empty('bool', x.shape);
    for (let i = 0; i < tests.numel; i++) r = binary('or', r, binary('eq', x, select(tests, 0, i)));
    return new NumpyArray(toBool(a.invert, ctx) ? unary('not', r) : r);
  });
  def('ravel', (args, kw, ctx) => {
    const a = bind('ravel', args, kw, ['a', 'order?']);
    return new NumpyArray(reshape(toNumpyTensor(a.a!, ctx), [-1]));
  });
  def('flatnonzero', (args, kw, ctx) => {
    const a = bind('flatnonzero', args, kw, ['a']);
    return new NumpyArray(reshape(nonzero(reshape(toNumpyTensor(a.a!, ctx), [-1])), [-1]));
  });
  def('maximum', ([a, b], _kw, ctx) => npUfunc2('maximum', a, b, ctx));
  def('minimum', ([a, b], _kw, ctx) => npUfunc2('minimum', a, b, ctx));
  def('clip', (args, kw, ctx) => {
    const a = bind('clip', args, kw, ['a', 'a_min?', 'a_max?', 'out?', 'min?', 'max?']);
    const lo = a.a_min ?? a.min ?? null, hi = a.a_max ?? a.max ?? null;
    // without bounds NumPy 2 returns a copy
    let r: PyValue = lo === null && hi === null ? new NumpyArray(cast(toNumpyTensor(a.a!, ctx), toNumpyTensor(a.a!, ctx).dtype)) : a.a!;
    if (lo !== null) r = npUfunc2('maximum', r, lo, ctx);
    if (hi !== null) r = npUfunc2('minimum', r, hi, ctx);
    return r;
  });
  const closeArgs = (name: string, args: PyValue[], kw: Kwargs, ctx: CallContext) => {
    const a = bind(name, args, kw, ['a', 'b', 'rtol?', 'atol?', 'equal_nan?']);
    const rtol = a.rtol === undefined ? 1e-5 : toFloat(a.rtol, 'rtol'), atol = a.atol === undefined ? 1e-8 : toFloat(a.atol, 'atol');
    return npIsclose(a.a!, a.b!, rtol, atol, toBool(a.equal_nan, ctx), ctx);
  };
  def('isclose', (args, kw, ctx) => npResult(closeArgs('isclose', args, kw, ctx)));
  def('allclose', (args, kw, ctx) => reduce('all', closeArgs('allclose', args, kw, ctx)).item() !== 0);
  def('tile', (args, kw, ctx) => {
    const a = bind('tile', args, kw, ['A', 'reps']);
    const reps = typeof a.reps === 'bigint' ? [Number(a.reps)] : ctx.iterate(a.reps!).map((x) => toInt(x, 'reps'));
    const t = toNumpyTensor(a.A!, ctx);
    return new NumpyArray(carryCopyEvidence(npTile(t, reps), t));
  });
  // np.linspace(start, stop, num=50, endpoint=True): i * step + start, the last value exactly stop
  // (numpy/_core/function_base.py)
  def('linspace', (args, kw, ctx) => {
    const a = bind('linspace', args, kw, ['start', 'stop', 'num?', 'endpoint?', 'retstep?', 'dtype?', 'axis?']);
    const start = toFloat(a.start, 'start'), stop = toFloat(a.stop, 'stop');
    const num = a.num === undefined ? 50 : toInt(a.num, 'num');
    if (num < 0) throw pyError('ValueError', `Number of samples, ${num}, must be non-negative.`);
    const endpoint = a.endpoint === undefined ? true : a.endpoint !== false;
    const div = endpoint ? num - 1 : num;
    const step = (stop - start) / div;
    const t = linspaceValues(start, stop, num, endpoint);
    const d = npDtype(a.dtype);
    const arr = new NumpyArray(d && d !== 'float64' ? cast(t, d) : t);
    // retstep=True: (samples, step), the step a float64 (NaN when there is no step)
    return a.retstep !== undefined && toBool(a.retstep, ctx) ? new PyTuple([arr, npScalar(scalarTensor(div > 0 ? step : NaN, 'float64'))]) : arr;
  });
  def('full_like', (args, kw, ctx) => {
    const a = bind('full_like', args, kw, ['a', 'fill_value', 'dtype?']);
    const t = toNumpyTensor(a.a!, ctx), d = npDtype(a.dtype) ?? t.dtype;
    const o = Tensor.empty(d, t.shape);
    o.storage.data.fill(castValue(d, toFloat(a.fill_value, 'fill_value')));
    return new NumpyArray(o);
  });
  for (const [name, op] of [['logical_and', 'and'], ['logical_or', 'or'], ['logical_xor', 'xor']] as const) {
    def(name, (args, _kw, ctx) => {
      const [a, b] = ufuncArgs(name, args, 2);
      return npResult(binary(op, cast(toNumpyTensor(a, ctx), 'bool'), cast(toNumpyTensor(b, ctx), 'bool')));
    });
  }
  for (const op of ['isinf', 'isfinite'] as const) def(op, (args, _kw, ctx) => npResult(unary(op, toNumpyTensor(ufuncArgs(op, args, 1)[0], ctx), 'bool')));
  def('square', (args, _kw, ctx) => {
    const [x] = ufuncArgs('square', args, 1);
    return npResult(npBinary('*', toNumpyTensor(x, ctx), toNumpyTensor(x, ctx)));
  });
  def('power', (args, _kw, ctx) => {
    const [a, b] = ufuncArgs('power', args, 2);
    // two Python scalars as NumPy arrays: np.power(1.5, 2) is np.float64(2.25)
    return npUfunc2('**', a, b, ctx);
  });
  def('broadcast_to', (args, kw, ctx) => {
    const a = bind('broadcast_to', args, kw, ['array', 'shape']);
    const shape = typeof a.shape === 'bigint' ? [Number(a.shape)] : toShape([a.shape!], 'shape');
    const t = toNumpyTensor(a.array!, ctx);
    // NumPy's nditer wording for a shape the array cannot be broadcast to
    if (t.ndim > shape.length) throw pyError('ValueError', 'input operand has more dimensions than allowed by the axis remapping');
    if (t.shape.some((n, i) => n !== 1 && n !== shape[shape.length - t.ndim + i])) {
      throw pyError('ValueError', `operands could not be broadcast together with remapped shapes [original->remapped]: ${pyTuple(t.shape)}  and requested shape ${pyTuple(shape)}`);
    }
    return new NumpyArray(expand(t, shape));
  });
  def('flip', (args, kw, ctx) => {
    const a = bind('flip', args, kw, ['m', 'axis?']);
    const t = toNumpyTensor(a.m!, ctx);
    const given = dimList(a.axis);
    const axes = given === null ? t.shape.map((_, i) => i) : (Array.isArray(given) ? given : [given]).map((d) => npAxis(BigInt(d), t.ndim, 'axis', false));
    return new NumpyArray(flip(t, axes));
  });
  // np.finfo(np.float32).min / .max / .eps / .tiny as NumPy scalars of that dtype; np.iinfo(...).min / .max as ints
  const finfoCls = new PyClass('finfo', [], 'numpy.finfo');
  const iinfoCls = new PyClass('iinfo', [], 'numpy.iinfo');
  def('finfo', ([x], _kw, ctx) => {
    const d = x instanceof ArrayValue ? x.t.dtype : npDtype(x ?? null)!;
    const table: Partial<Record<DType, [number, number, number, number, number]>> = {
      float16: [65504, 0.0009765625, 6.103515625e-5, 16, 0.001],
      float32: [3.4028234663852886e38, 1.1920928955078125e-7, 1.1754943508222875e-38, 32, 1e-6],
      float64: [1.7976931348623157e308, 2.220446049250313e-16, 2.2250738585072014e-308, 64, 1e-15],
    };
    const row = table[d];
    if (!row) throw pyError('ValueError', `data type <class 'numpy.${d}'> not inexact`);
    const inst = new PyInstance(finfoCls);
    const sc = (v: number) => npScalar(scalarTensor(v, d));
    inst.dict.set('max', sc(row[0]));
    inst.dict.set('min', sc(-row[0]));
    inst.dict.set('eps', sc(row[1]));
    inst.dict.set('tiny', sc(row[2]));
    inst.dict.set('smallest_normal', sc(row[2]));
    inst.dict.set('bits', BigInt(row[3]));
    inst.dict.set('resolution', sc(row[4]));
    inst.dict.set('dtype', NumpyDtype.of(d));
    void ctx;
    return inst;
  });
  def('iinfo', ([x]) => {
    const d = x instanceof ArrayValue ? x.t.dtype : npDtype(x ?? null)!;
    const bits = d === 'uint8' ? 8 : INT_BITS[d];
    if (!bits) throw pyError('ValueError', `Invalid integer data type '${d === 'bool' ? 'b' : 'f'}'.`);
    const inst = new PyInstance(iinfoCls);
    const signed = d !== 'uint8';
    inst.dict.set('min', signed ? -(1n << BigInt(bits - 1)) : 0n);
    inst.dict.set('max', signed ? (1n << BigInt(bits - 1)) - 1n : (1n << BigInt(bits)) - 1n);
    inst.dict.set('bits', BigInt(bits));
    inst.dict.set('dtype', NumpyDtype.of(d));
    return inst;
  });
  // vstack/hstack: 1-D inputs become rows for vstack; hstack joins 1-D inputs end to end
  const arrays = (v: PyValue, ctx: CallContext) => ctx.iterate(v).map((x) => toNumpyTensor(x, ctx));
  def('vstack', ([tup], _kw, ctx) => {
    const ts = arrays(tup, ctx).map((t) => (t.ndim === 0 ? reshape(t, [1, 1]) : t.ndim === 1 ? unsqueeze(t, 0) : t));
    return new NumpyArray(carryMaskEvidence(cat(ts, 0), ...ts));
  });
  def('hstack', ([tup], _kw, ctx) => {
    const ts = arrays(tup, ctx).map((t) => (t.ndim === 0 ? reshape(t, [1]) : t));
    return new NumpyArray(carryMaskEvidence(cat(ts, ts[0]?.ndim === 1 ? 0 : 1), ...ts));
  });
  def('outer', ([a, b], _kw, ctx) => {
    const x = reshape(toNumpyTensor(a, ctx), [-1]), y = reshape(toNumpyTensor(b, ctx), [-1]);
    return new NumpyArray(npBinary('*', unsqueeze(x, 1), unsqueeze(y, 0)));
  });
  def('sign', ([x], _kw, ctx) => npResult(unary('sign', toNumpyTensor(x, ctx))));
  def('identity', (args, kw) => {
    const a = bind('identity', args, kw, ['n', 'dtype?']);
    const n = toInt(a.n, 'n'), t = Tensor.empty(npDtype(a.dtype) ?? 'float64', [n, n]);
    for (let i = 0; i < n; i++) t.storage.data[i * n + i] = 1;
    return new NumpyArray(t);
  });
  def('argwhere', ([x], _kw, ctx) => new NumpyArray(cast(nonzero(toNumpyTensor(x, ctx)), 'int64')));
  // np.triu_indices(n, k=0, m=None) / np.tril_indices: the row and column indices of the triangle, row-major
  const triIndices = (upper: boolean) => (args: PyValue[], kw: Kwargs) => {
    const a = bind(upper ? 'triu_indices' : 'tril_indices', args, kw, ['n', 'k?', 'm?']);
    const n = toInt(a.n, 'n'), k = a.k === undefined ? 0 : toInt(a.k, 'k'), m = a.m === undefined || a.m === null ? n : toInt(a.m, 'm');
    const rows: number[] = [], cols: number[] = [];
    for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) if (upper ? j - i >= k : j - i <= k) rows.push(i), cols.push(j);
    const arr = (v: number[]) => {
      const t = Tensor.empty('int64', [v.length]);
      t.storage.data.set(v);
      return new NumpyArray(t);
    };
    return new PyTuple([arr(rows), arr(cols)]);
  };
  def('triu_indices', triIndices(true));
  def('tril_indices', triIndices(false));
  def('matmul', (args, kw, ctx) => {
    const a = bind('matmul', args, kw, ['x1', 'x2']);
    return npResult(npMatmul(toNumpyTensor(a.x1!, ctx), toNumpyTensor(a.x2!, ctx)));
  });
  def('dot', (args, kw, ctx) => {
    const a = bind('dot', args, kw, ['a', 'b', 'out?']);
    return npResult(npDot(toNumpyTensor(a.a!, ctx), toNumpyTensor(a.b!, ctx)));
  });
  defineMoreFunctions(np, def);
  defineLibFunctions(def);
  np.dict.set('random', makeRandomModule());
  np.dict.set('exceptions', makeExceptionsModule());
  return np;
}

/** np.linspace's float64 samples: i * step + start, the last exactly stop with endpoint (function_base.py). */
export function linspaceValues(start: number, stop: number, num: number, endpoint: boolean): Tensor {
  const div = endpoint ? num - 1 : num;
  const step = (stop - start) / div;
  const t = Tensor.empty('float64', [num]);
  for (let i = 0; i < num; i++) t.storage.data[i] = div > 0 ? i * step + start : start;
  if (endpoint && num > 1) t.storage.data[num - 1] = stop;
  return t;
}

/**
 * np.unique(ar, return_index, return_inverse, return_counts) over the
 * flattened array: the sorted distinct values (NaN last, one NaN kept, as
 * equal_nan=True), then the index of each value's first occurrence, the
 * inverse (in ar's shape, numpy 2.x) and the counts, all int64. With any
 * flag the result is a tuple, as numpy returns.
 */
export function unique(t: Tensor, withIndex: boolean, withInverse: boolean, withCounts: boolean): PyValue {
  const v = t.values();
  const order = Array.from(v, (_, i) => i).sort((i, j) => {
    const a = v[i], b = v[j];
    if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) ? (Number.isNaN(b) ? i - j : 1) : -1;
    return a < b ? -1 : a > b ? 1 : i - j;
  });
  const values: number[] = [], first: number[] = [], counts: number[] = [];
  const inverse = new Float64Array(v.length);
  for (const i of order) {
    const x = v[i];
    const last = values.length - 1;
    if (last >= 0 && (values[last] === x || (Number.isNaN(values[last]) && Number.isNaN(x)))) counts[last]++;
    else values.push(x), first.push(i), counts.push(1);
    inverse[i] = values.length - 1;
  }
  const arr = (dtype: DType, data: ArrayLike<number>, shape = [data.length]) => {
    const out = Tensor.empty(dtype, shape);
    out.storage.data.set(data);
    return new NumpyArray(out);
  };
  const result: PyValue[] = [arr(t.dtype, values)];
  if (withIndex) result.push(arr('int64', first));
  if (withInverse) result.push(arr('int64', inverse, [...t.shape]));
  if (withCounts) result.push(arr('int64', counts));
  return result.length === 1 ? result[0] : new PyTuple(result);
}
