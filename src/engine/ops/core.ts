// Elementwise ops: validate, promote, broadcast, then dispatch to a backend.

import { fma32, fma64 } from '../random/float_math';
import { DType, assertDtype, castValue, caster, isFloating, intToDtype, promoteTypes, wrapValue } from '../dtype';
import { EngineError, runtimeError } from '../errors';
import type { BinaryOp, Operand, UnaryOp } from '../kernels/backend';
import { cpuBackend } from '../kernels/cpu';
import { backendFor } from '../kernels/select';
import { Storage, Tensor, allocate, forEachOffset, gatherStrided, hasWide, int64At, int64Values, isSafeInt64, setInt64 } from '../tensor';
import { Geometry, iteratorStrides, memoryOrder, preserveStrides, promotedGeometry } from '../layout';
import { checkBudget, getSlot, slot } from '../context';
import { sigmoidFloat32 } from './special';

/** A Python number as the interpreter hands it over: bool, int (bigint) or float. */
export type Scalar = boolean | bigint | number;
export type TensorOrScalar = Tensor | Scalar;

// torch.set_default_dtype changes it for the rest of one evaluation only.
const DEFAULT_FLOAT = slot<{ dtype: DType }>('defaultDtype', () => ({ dtype: 'float32' }));
export const getDefaultDtype = (): DType => getSlot(DEFAULT_FLOAT).dtype;
export function setDefaultDtype(d: DType): void {
  getSlot(DEFAULT_FLOAT).dtype = d;
}

export function scalarValue(s: Scalar): number {
  return typeof s === 'boolean' ? (s ? 1 : 0) : Number(s);
}

export function scalarDtype(s: Scalar): DType {
  return typeof s === 'boolean' ? 'bool' : typeof s === 'bigint' ? 'int64' : getDefaultDtype();
}

/** ATen's name for a dtype in messages ("Long", "Float", ...). */
export function scalarTypeName(d: DType): string {
  const names: Record<DType, string> = {
    bool: 'Bool', uint8: 'Byte', int8: 'Char', int16: 'Short', int32: 'Int', int64: 'Long',
    float16: 'Half', bfloat16: 'BFloat16', float32: 'Float', float64: 'Double',
  };
  return names[d];
}

/** The C++ type name ATen's messages print for a dtype ("long int", "unsigned char", "c10::Half"). */
export function cppTypeName(d: DType): string {
  const names: Record<DType, string> = {
    bool: 'bool', uint8: 'unsigned char', int8: 'signed char', int16: 'short int', int32: 'int', int64: 'long int',
    float16: 'c10::Half', bfloat16: 'c10::BFloat16', float32: 'float', float64: 'double',
  };
  return names[d];
}

/**
 * ATen's dispatch failure for a dtype a kernel lacks, e.g.
 * `NotImplementedError: "abs_cpu" not implemented for 'Bool'` (AT_DISPATCH
 * raises c10::NotImplementedError in PyTorch 2.x).
 */
export function notImplementedFor(kernel: string, d: DType): EngineError {
  return new EngineError('NotImplementedError', `"${kernel}" not implemented for '${scalarTypeName(d)}'`);
}

const INT64_MIN = -(2n ** 63n);
const UINT64_END = 2n ** 64n;

/**
 * A Python int becoming a c10::Scalar (python_arg_parser.cpp's scalar
 * unpacking): an int64 if it fits, else a uint64 (2**63 up to 2**64 - 1),
 * else CPython's OverflowError from PyLong_AsUnsignedLongLong
 * ("can't convert negative int to unsigned" below -2**63, "int too big to
 * convert" from 2**64). Every op taking a Python number checks this first.
 */
export function checkPyInt(s: Scalar): void {
  if (typeof s !== 'bigint') return;
  if (s < INT64_MIN) throw new EngineError('OverflowError', "can't convert negative int to unsigned");
  if (s >= UINT64_END) throw new EngineError('OverflowError', 'int too big to convert');
}

/** Whether a Python int is a uint64 c10::Scalar (2**63 <= s < 2**64): no Mask Lens dtype, only its promotion rule. */
const isUint64 = (s: Scalar) => typeof s === 'bigint' && s > 2n ** 63n - 1n;

// A result type while promoting: a dtype, or the uint64 of a Python int >= 2**63.
type Promoted = DType | 'uint64';

// c10::promoteTypes with the barebones unsigned types (PyTorch 2.x): uint64
// promotes only with itself and floating types.
function promoteWide(a: Promoted, b: Promoted): Promoted {
  if (a === b) return a;
  if (a !== 'uint64' && b !== 'uint64') return promoteTypes(a, b);
  if (a !== 'uint64' && isFloating(a)) return a;
  if (b !== 'uint64' && isFloating(b)) return b;
  const name = (d: Promoted) => (d === 'uint64' ? 'UInt64' : scalarTypeName(d));
  throw runtimeError(`Promotion for uint16, uint32, uint64 types is not supported, attempted to promote ${name(a)} and ${name(b)}`);
}

// ATen's combine_categories (TensorIterator.cpp / TypeProperties.cpp): a higher
// tier wins unless it is bool or the lower one is floating.
function combineTiers(higher: Promoted | null, lower: Promoted | null): Promoted | null {
  if (higher === null) return lower;
  if (lower === null) return higher;
  if (higher !== 'uint64' && isFloating(higher)) return higher;
  if (higher === 'bool' || (lower !== 'uint64' && isFloating(lower))) return promoteWide(higher, lower);
  return higher;
}

/**
 * torch.result_type (ATen's ResultTypeState): dimensioned tensors outrank
 * zero-dim tensors, which outrank Python scalars, unless a lower tier has a
 * higher category (bool < int < float). A Python int >= 2**63 is a uint64
 * scalar: it promotes with bool or int64 scalars by raising PyTorch's
 * RuntimeError, and beside an integer tensor it just takes that dtype. When
 * only scalars take part and they make uint64 (a dtype Mask Lens lacks), the
 * result is int64, whose conversion then raises the overflow error.
 */
export function resultType(...args: TensorOrScalar[]): DType {
  let dimT: Promoted | null = null, zeroT: Promoted | null = null, wrapped: Promoted | null = null;
  for (const a of args) {
    if (a instanceof Tensor) {
      if (a.ndim > 0) dimT = dimT ? promoteWide(dimT, a.dtype) : a.dtype;
      else zeroT = zeroT ? promoteWide(zeroT, a.dtype) : a.dtype;
    } else {
      checkPyInt(a);
      const d: Promoted = isUint64(a) ? 'uint64' : typeof a === 'boolean' ? 'bool' : typeof a === 'bigint' ? 'int64' : getDefaultDtype();
      wrapped = wrapped ? promoteWide(wrapped, d) : d;
    }
  }
  const r = combineTiers(dimT, combineTiers(zeroT, wrapped))!;
  return r === 'uint64' ? 'int64' : r;
}

/** MemoryError before allocating a tensor of `n` elements over the evaluation's budget. */
export function checkSize(n: number): void {
  checkBudget(n, () => `a tensor of ${n} elements`);
}

// c10 names the target type this way in overflow messages (c10::demangle of T).
const C_TYPE_NAMES: Record<DType, string> = {
  bool: 'bool', uint8: 'uint8_t', int8: 'int8_t', int16: 'int16_t', int32: 'int', int64: 'int64_t',
  float16: 'c10::Half', bfloat16: 'c10::BFloat16', float32: 'float', float64: 'double',
};
const INT_RANGE: Partial<Record<DType, [bigint, bigint]>> = {
  uint8: [0n, 255n], int8: [-128n, 127n], int16: [-32768n, 32767n], int32: [-(2n ** 31n), 2n ** 31n - 1n], int64: [-(2n ** 63n), 2n ** 63n - 1n],
};
const FLOAT_MAX: Partial<Record<DType, number>> = { float16: 65504, bfloat16: 3.3895313892515355e38, float32: 3.4028234663852886e38 };

/**
 * c10::checked_convert<T>(scalar, name): a Python scalar converted to dtype
 * `d` the way fill_, full, new_full, full_like, masked_fill, where (scalar
 * branches), clamp and pad_sequence convert their fill value. Raises
 * `RuntimeError: value cannot be converted to type int8_t without overflow`
 * where c10::overflows says so (c10/util/overflows.h):
 * - a bool always converts; so does anything into bool;
 * - a Python int must lie in the type's range, except that an unsigned
 *   type also accepts negatives down to -max (they wrap: -1 -> 255);
 *   into float16, |int| > 65504 overflows;
 * - a Python float into an integer type must not be NaN and must lie in
 *   [lowest, max] (127.9 overflows int8; PyTorch 2.13 still compares with
 *   max, not 2^digits); into a floating type, finite values beyond +-max
 *   overflow while inf and NaN pass.
 * Returns the converted value (truncated, wrapped or rounded as castValue).
 * `typeName` overrides the C type name in the message (torch.tensor's data
 * conversion says `int8` where fill_ says `int8_t`).
 */
export function checkedConvert(s: Scalar, d: DType, typeName = C_TYPE_NAMES[d]): number {
  checkPyInt(s);
  if (typeof s === 'boolean' || d === 'bool') return castValue(d, scalarValue(s));
  const overflow = () => runtimeError(`value cannot be converted to type ${typeName} without overflow`);
  const range = INT_RANGE[d];
  if (typeof s === 'bigint') {
    if (range) {
      const [lo, hi] = range;
      if (s > hi || (lo === 0n ? s < 0n && -s > hi : s < lo)) throw overflow();
    } else if (FLOAT_MAX[d] !== undefined && (s > BigInt(FLOAT_MAX[d]!) || s < -BigInt(FLOAT_MAX[d]!))) {
      throw overflow();
    }
    return intToDtype(d, s);
  }
  if (range) {
    if (!(s >= Number(range[0]) && s <= Number(range[1]))) throw overflow();
  } else {
    const max = FLOAT_MAX[d];
    if (max !== undefined && Number.isFinite(s) && (s > max || s < -max)) throw overflow();
  }
  return castValue(d, s);
}

/** A Python scalar as a 0-dim tensor of `d`, converted by checkedConvert (clamp bounds, masked_fill values). */
export function checkedScalarTensor(s: Scalar, d: DType): Tensor {
  const t = Tensor.empty(d, []);
  storeScalar(t.storage, 0, 1, s, d, checkedConvert(s, d));
  return t;
}

/**
 * Fill `count` elements of fresh (zeroed) storage from offset `off` with the
 * Python scalar `s` already converted to `d` as `v`. An int into int64 is
 * stored exactly (beyond 2^53 through the storage's exact side array,
 * tensor.ts Storage); `s` is then within int64 (the caller's conversion
 * checked or wrapped it).
 */
function storeScalar(st: Storage, off: number, count: number, s: Scalar, d: DType, v: number): void {
  if (d === 'int64' && typeof s === 'bigint' && !isSafeInt64(v)) {
    const exact = BigInt.asIntN(64, s);
    for (let i = 0; i < count; i++) setInt64(st, off + i, exact);
  } else if (!Object.is(v, 0)) st.data.fill(v, off, off + count); // fresh storage is already +0 (skipping the pass matters at preview sizes)
}

/** A 0-dim tensor's value as the Python scalar `.item()` gives (for fill values passed as tensors). */
export function itemScalar(t: Tensor): Scalar {
  if (t.dtype === 'int64') return int64At(t.storage, t.offset);
  const v = t.item();
  if (t.dtype === 'bool') return v !== 0;
  return isFloating(t.dtype) ? v : BigInt(v);
}

/**
 * The value fill_ stores when filling `numel` elements of dtype `d` with a
 * Python scalar: checkedConvert, except that a single-element float16 or
 * bfloat16 tensor takes ATen's scalar_fill shortcut (native/Fill.cpp), which
 * converts without the check (torch.full((1,), 7e4, dtype=torch.half) is inf,
 * torch.full((2,), 7e4, dtype=torch.half) raises).
 */
export function fillScalarValue(s: Scalar, d: DType, numel: number): number {
  if (numel === 1 && (d === 'float16' || d === 'bfloat16')) return castValue(d, scalarValue(s));
  return checkedConvert(s, d);
}

/**
 * A tensor of `shape` filled with `value` in `dtype`: torch.full / fill_,
 * converted as fillScalarValue (PyTorch's overflow check). A JS number is a
 * Python float, a bigint a Python int, a boolean a Python bool.
 */
export function full(shape: readonly number[], value: Scalar, dtype: DType): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  checkSize(n);
  const v = fillScalarValue(value, dtype, n);
  const t = Tensor.empty(dtype, shape);
  storeScalar(t.storage, 0, n, value, dtype, v);
  return t;
}

/**
 * A wrapped Python number as a 0-dim tensor of `dtype`, converted without a
 * check as arithmetic does: an int into an integer dtype wraps (int32 + 2**40
 * adds 0), a float converts as castValue.
 */
export function scalarTensor(s: Scalar, dtype: DType = scalarDtype(s)): Tensor {
  checkPyInt(s);
  const t = Tensor.empty(dtype, []);
  storeScalar(t.storage, 0, 1, s, dtype, typeof s === 'bigint' && !isFloating(dtype) ? intToDtype(dtype, s) : castValue(dtype, scalarValue(s)));
  return t;
}

export function asTensor(x: TensorOrScalar, dtype?: DType): Tensor {
  return x instanceof Tensor ? x : scalarTensor(x, dtype);
}

/** Copy into a fresh contiguous tensor of `dtype` (torch's `.to(dtype)` / `.clone()`), converting as castValue. */
export function cast(x: Tensor, dtype: DType): Tensor {
  const out = Tensor.empty(dtype, x.shape);
  const data = out.storage.data;
  // Typed-array stores already round to float32 and wrap int->int; every other conversion goes through castValue.
  const direct = dtype === x.dtype || dtype === 'float64' || dtype === 'float32'
    || (!isFloating(x.dtype) && dtype !== 'bool' && !isFloating(dtype));
  if (x.dtype === 'int64' && hasWide(x)) castWide(x, out);
  // straight from the view into the result: no intermediate copy of a strided x
  else if (direct) gatherStrided(x.storage.data, x.shape, x.strides, x.offset, data);
  else {
    const src = x.values();
    const c = caster(dtype);
    for (let i = 0; i < src.length; i++) data[i] = c(src[i]);
  }
  assertDtype(dtype, data, 'cast', out.storage.wide);
  return out;
}

/**
 * cast() of an int64 tensor holding values beyond 2^53, from their exact
 * values (c10::convert of int64_t): int64 copies them, narrower integers
 * keep the low bits, float32 rounds once from the integer (cvtsi2ss;
 * rounding the nearest double again could round twice), float16 and
 * bfloat16 round that float (c10::Half and BFloat16 convert from float),
 * float64 takes the nearest double, bool is v != 0.
 */
function castWide(x: Tensor, out: Tensor): void {
  const vals = int64Values(x);
  const d = out.dtype, data = out.storage.data;
  if (d === 'int64') {
    for (let i = 0; i < vals.length; i++) setInt64(out.storage, i, vals[i]);
    return;
  }
  for (let i = 0; i < vals.length; i++) {
    const v = vals[i];
    data[i] = isFloating(d) && d !== 'float64' ? castValue(d, int64ToFloat32(v)) : intToDtype(d, v);
  }
}

/** The float32 nearest an int64 (round half to even), rounded once. */
export function int64ToFloat32(v: bigint): number {
  const x = Number(v);
  if (isSafeInt64(x)) return Math.fround(x);
  const neg = v < 0n;
  const a = neg ? -v : v;
  const shift = a.toString(2).length - 24; // keep float32's 24 significant bits
  let q = a >> BigInt(shift);
  const rem = a - (q << BigInt(shift)), half = 1n << BigInt(shift - 1);
  if (rem > half || (rem === half && (q & 1n) === 1n)) q += 1n;
  const r = Number(q) * 2 ** shift;
  return neg ? -r : r;
}

/**
 * A copy of `x` converted to `dtype` (as cast) whose storage has the dense
 * strides `strides` (x's shape): the values are written in that layout's
 * memory order, so a permuted layout costs one strided gather as a
 * contiguous copy does.
 */
export function castStrided(x: Tensor, dtype: DType, strides: readonly number[]): Tensor {
  const order = memoryOrder(x.shape, strides);
  if (!order) return restrided(cast(x, dtype), strides);
  const c = cast(x.view(order.map((d) => x.shape[d]), order.map((d) => x.strides[d])), dtype);
  return new Tensor(c.storage, dtype, x.shape, strides);
}

/**
 * `x.to(dtype)` / `x.clone()` with memory_format=torch.preserve_format (the
 * default): a copy that keeps a dense x's strides, and gives any other x
 * dense strides in its own dim order (ATen's _to_copy / clone / empty_like).
 * Values as cast().
 */
export function castPreserve(x: Tensor, dtype: DType): Tensor {
  return castStrided(x, dtype, preserveStrides(x));
}

/** A contiguous `x` (itself when it already is): `.contiguous()`. */
export function contiguous(x: Tensor): Tensor {
  return x.isContiguous() ? x : cast(x, x.dtype);
}

/**
 * A fresh contiguous `t` with the `strides` of the same row-major layout
 * (they differ only in size-1 dims, whose stride ATen keeps from the
 * operand that decided the layout): itself when they are equal.
 */
function restrided(t: Tensor, strides: readonly number[]): Tensor {
  const s = t.strides;
  for (let i = 0; i < s.length; i++) if (s[i] !== strides[i]) return new Tensor(t.storage, t.dtype, t.shape, strides);
  return t;
}

/** A fresh contiguous result given the dense `strides`: no copy when they are row-major (restrided), else castStrided's one gather. */
function laidOut(t: Tensor, strides: readonly number[]): Tensor {
  return memoryOrder(t.shape, strides) ? castStrided(t, t.dtype, strides) : restrided(t, strides);
}

/**
 * A fresh contiguous result `r` of an elementwise op over `inputs` (in the
 * op's operand order, computed in `compute`) laid out as TensorIterator
 * lays that op's output out: for kernels written element by element in
 * logical order (gelu, silu) whose ATen kernel is a TensorIterator loop.
 * One gather when the layout is not row-major, nothing otherwise.
 */
export function inIteratorLayout(r: Tensor, inputs: readonly TensorOrScalar[], compute: DType = r.dtype): Tensor {
  const strides = iteratorStrides(r.shape, inputs.map((x) => iterGeometry(x, compute)));
  return strides ? laidOut(r, strides) : r;
}

const SCALAR_GEOMETRY: Geometry = { shape: [], strides: [] };

/** An operand's geometry as TensorIterator sees it when the op computes in `dtype` (a Python number is a 0-dim tensor). */
function iterGeometry(x: TensorOrScalar, dtype: DType): Geometry {
  return x instanceof Tensor ? promotedGeometry(x, dtype) : SCALAR_GEOMETRY;
}

/** `x` broadcast to `shape` and then permuted by `order` (dims outermost first): the operand a kernel writing `order`'s memory order reads. */
function permutedOperand(x: Tensor, shape: readonly number[], order: readonly number[]): Tensor {
  const o = broadcastOperand(x, shape);
  return x.view(order.map((d) => shape[d]), order.map((d) => o.strides[d]), o.offset);
}

export function broadcastShapes(a: readonly number[], b: readonly number[]): number[] {
  const n = Math.max(a.length, b.length);
  const out = new Array<number>(n);
  // ATen's infer_size walks from the last dimension, so it reports the rightmost mismatch
  for (let i = n - 1; i >= 0; i--) {
    const da = a[a.length - n + i] ?? 1;
    const db = b[b.length - n + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw runtimeError(
        `The size of tensor a (${da}) must match the size of tensor b (${db}) at non-singleton dimension ${i}`,
      );
    }
    out[i] = da === 1 ? db : da;
  }
  return out;
}

/** Strides that read `x` as if expanded to `shape` (broadcast dims get stride 0). */
export function broadcastOperand(x: Tensor, shape: readonly number[]): Operand {
  const n = shape.length;
  const strides = new Array<number>(n).fill(0);
  for (let i = 0; i < x.ndim; i++) {
    const j = n - x.ndim + i;
    strides[j] = x.shape[i] === 1 && shape[j] !== 1 ? 0 : x.strides[i];
  }
  return { data: x.storage.data, strides, offset: x.offset };
}

// Whether every value of `from` is exactly representable in `to`, so a
// kernel may read it directly instead of through a converted copy.
function widensExactly(from: DType, to: DType): boolean {
  if (from === to || from === 'bool') return true;
  const rank: Partial<Record<DType, number>> = { uint8: 8, int8: 8, int16: 16, int32: 32, int64: 64 };
  if (to === 'float64') return from !== 'int64';
  if (to === 'float32') return from === 'float16' || from === 'bfloat16' || from === 'uint8' || from === 'int8' || from === 'int16';
  if (isFloating(from) || isFloating(to)) return false;
  if (from === 'uint8') return to !== 'int8';
  return to !== 'uint8' && (rank[from] ?? 99) <= (rank[to] ?? 0);
}

function inDtype(x: TensorOrScalar, dtype: DType): Tensor {
  if (!(x instanceof Tensor)) return scalarTensor(x, dtype);
  return widensExactly(x.dtype, dtype) ? x : cast(x, dtype);
}

/**
 * Bring a kernel's output into its dtype: bool to 0/1, float16/bfloat16
 * rounded from the float32 the kernel stored (PyTorch computes these in
 * float32 and rounds each result once), int64 wrapped as integer arithmetic
 * wraps. Narrower integer storages wrap by themselves.
 */
export function finish(out: Tensor): Tensor {
  const d = out.storage.data;
  if (out.dtype === 'bool') {
    for (let i = 0; i < d.length; i++) if (d[i] !== 0) d[i] = 1;
  } else if (out.dtype === 'float16' || out.dtype === 'bfloat16') {
    const c = caster(out.dtype);
    for (let i = 0; i < d.length; i++) d[i] = c(d[i]);
  } else if (out.dtype === 'int64') {
    const wide = out.storage.wide;
    for (let i = 0; i < d.length; i++) {
      // an element held exactly in the side array (setInt64) is already an int64
      if (!Number.isSafeInteger(d[i])) {
        if (wide === undefined || Number(wide[i]) !== d[i]) d[i] = wrapValue('int64', d[i]);
      } else if (d[i] === 0) d[i] = 0; // an integer has no -0 (0 * -2 in doubles is -0)
    }
  }
  assertDtype(out.dtype, d, 'elementwise op', out.storage.wide);
  return out;
}

/**
 * op(x) elementwise, computed in `computeDtype`, stored as `outDtype`. The
 * result is laid out as TensorIterator lays it out (iteratorStrides: a
 * permuted dense x gives its strides, a strided one dense strides in its
 * dim order, contiguous otherwise); the kernel then writes memory order.
 */
export function unary(op: UnaryOp, x: Tensor, outDtype: DType = x.dtype, computeDtype: DType = x.dtype): Tensor {
  const strides = iteratorStrides(x.shape, [promotedGeometry(x, computeDtype)]);
  // float32 sigmoid in ATen's own rounding (Sleef's and glibc's expf by lane), on every backend
  if (op === 'sigmoid' && computeDtype === 'float32' && outDtype === 'float32') {
    const r = sigmoidFloat32(inDtype(x, computeDtype));
    return strides ? laidOut(r, strides) : r;
  }
  if (!strides) return unaryRowMajor(op, x, outDtype, computeDtype);
  const order = memoryOrder(x.shape, strides);
  if (!order) return restrided(unaryRowMajor(op, x, outDtype, computeDtype), strides);
  const r = unaryRowMajor(op, permutedOperand(x, x.shape, order), outDtype, computeDtype);
  return new Tensor(r.storage, r.dtype, x.shape, strides);
}

/** unary() with a contiguous result. */
function unaryRowMajor(op: UnaryOp, x: Tensor, outDtype: DType, computeDtype: DType): Tensor {
  const input = inDtype(x, computeDtype);
  const out = Tensor.empty(outDtype, x.shape);
  backendFor(x.numel, computeDtype).unary(op, broadcastOperand(input, x.shape), x.shape, out.storage.data, !isFloating(computeDtype));
  if (outDtype === 'int64' && computeDtype === 'int64' && BIG_UNARY[op] && (hasWide(input) || !allSafe(out.storage.data))) {
    return exactUnary(BIG_UNARY[op]!, input, out);
  }
  return finish(out);
}

// ---- int64 beyond 2^53 (issue #17) ----
// The double kernels above are exact for int64 while operands and results
// stay within 2^53. An op that sees an operand with an exact side array
// (tensor.ts Storage), or a result the doubles cannot hold, is redone here
// in BigInt, wrapped modulo 2^64 as ATen's int64 arithmetic wraps. The
// double pass costs one scan of the result in the common case.

/** Whether every value of an int64 result is a double-exact integer below 2^53. */
function allSafe(d: ArrayLike<number>): boolean {
  for (let i = 0; i < d.length; i++) {
    const x = d[i];
    if (!(x > -SAFE_END && x < SAFE_END)) return false; // isSafeInt64, inlined: this runs over every int64 result
  }
  return true;
}
const SAFE_END = 2 ** 53;

const wrap64 = (v: bigint) => BigInt.asIntN(64, v);

const BIG_UNARY: Partial<Record<UnaryOp, (x: bigint) => bigint>> = {
  neg: (x) => wrap64(-x),
  abs: (x) => wrap64(x < 0n ? -x : x),
  bitnot: (x) => ~x,
  identity: (x) => x, floor: (x) => x, ceil: (x) => x, round: (x) => x, trunc: (x) => x,
  sign: (x) => (x > 0n ? 1n : x < 0n ? -1n : 0n),
};

function exactUnary(f: (x: bigint) => bigint, x: Tensor, out: Tensor): Tensor {
  const vals = int64Values(x);
  for (let i = 0; i < vals.length; i++) setInt64(out.storage, i, f(vals[i]));
  assertDtype('int64', out.storage.data, 'elementwise op', out.storage.wide);
  return out;
}

function zeroDivision(): never {
  throw new EngineError('RuntimeError', 'ZeroDivisionError');
}

/** Python's floor division of int64s (ATen's div_floor_integer), wrapped: -2^63 // -1 is -2^63. */
function floorDivBig(a: bigint, b: bigint): bigint {
  if (b === 0n) zeroDivision();
  const q = a / b;
  return wrap64(a % b !== 0n && (a < 0n) !== (b < 0n) ? q - 1n : q);
}

/** ATen's integer pow (powi): squaring in two's complement; a negative exponent gives 0 except for 1 and -1. */
function powBig(a: bigint, b: bigint): bigint {
  if (b < 0n) return a === 1n ? 1n : a === -1n ? (b % 2n ? -1n : 1n) : 0n;
  let acc = 1n, base = a;
  for (let e = b; e > 0n; e >>= 1n) {
    if (e & 1n) acc = wrap64(acc * base);
    base = wrap64(base * base);
  }
  return acc;
}

const b01 = (c: boolean) => (c ? 1n : 0n);
const BIG_BINARY: Partial<Record<BinaryOp, (a: bigint, b: bigint) => bigint>> = {
  add: (a, b) => wrap64(a + b),
  sub: (a, b) => wrap64(a - b),
  mul: (a, b) => wrap64(a * b),
  floordiv: floorDivBig,
  remainder: (a, b) => {
    if (b === 0n) zeroDivision();
    const r = a % b;
    return r !== 0n && (r < 0n) !== (b < 0n) ? r + b : r;
  },
  fmod: (a, b) => {
    if (b === 0n) zeroDivision();
    return a % b;
  },
  pow: powBig,
  // ATen's lshift/rshift: a shift outside [0, 64) gives 0 (left) or the sign fill (right)
  lshift: (a, b) => (b < 0n || b >= 64n ? 0n : wrap64(a << b)),
  rshift: (a, b) => a >> (b < 0n || b >= 64n ? 63n : b),
  bitand: (a, b) => a & b,
  bitor: (a, b) => a | b,
  bitxor: (a, b) => a ^ b,
  maximum: (a, b) => (a < b ? b : a),
  minimum: (a, b) => (b < a ? b : a),
  lt: (a, b) => b01(a < b), le: (a, b) => b01(a <= b), gt: (a, b) => b01(a > b), ge: (a, b) => b01(a >= b),
  eq: (a, b) => b01(a === b), ne: (a, b) => b01(a !== b),
  and: (a, b) => b01(a !== 0n && b !== 0n), or: (a, b) => b01(a !== 0n || b !== 0n), xor: (a, b) => b01((a !== 0n) !== (b !== 0n)),
};

// Ops whose double result can be a wrong integer below 2^53 when an operand
// is an exact double beyond it (2^60 // 3 rounds its quotient).
const OPERAND_CHECKED = new Set<BinaryOp>(['floordiv', 'remainder', 'fmod', 'pow', 'lshift', 'rshift']);

/** Whether an int64 binary op's double pass needs redoing in BigInt (see above). */
function needsExact(op: BinaryOp, ta: Tensor, tb: Tensor, out: Tensor): boolean {
  if (hasWide(ta) || hasWide(tb)) return true;
  if (out.dtype === 'int64' && !allSafe(out.storage.data)) return true;
  return OPERAND_CHECKED.has(op) && (!allSafe(ta.storage.data) || !allSafe(tb.storage.data));
}

/** a (op) b over int64 operands, exactly: `out` (int64, or bool for comparisons) is overwritten. */
function exactBinary(f: (a: bigint, b: bigint) => bigint, ta: Tensor, tb: Tensor, shape: readonly number[], out: Tensor): Tensor {
  const oa = broadcastOperand(ta, shape), ob = broadcastOperand(tb, shape);
  const va = int64Values(ta.view(shape, oa.strides, oa.offset)), vb = int64Values(tb.view(shape, ob.strides, ob.offset));
  const st = out.storage;
  if (out.dtype === 'int64') for (let i = 0; i < va.length; i++) setInt64(st, i, f(va[i], vb[i]));
  else for (let i = 0; i < va.length; i++) st.data[i] = Number(f(va[i], vb[i]));
  return finish(out);
}

const OPMATH_SCALAR_OPS = new Set<BinaryOp>(['mul', 'div']);
const COMPARISONS = new Set<BinaryOp>(['lt', 'le', 'gt', 'ge', 'eq', 'ne', 'and', 'or', 'xor']);

/**
 * a (op) b with PyTorch promotion. Comparisons and logical ops compute in the
 * promoted dtype and return bool; `div` on integers computes in the default
 * float dtype. The result has TensorIterator's layout (iteratorStrides over
 * a then b: `x.transpose(1, 2) * scale` keeps the transposed order).
 */
export function binary(op: BinaryOp, a: TensorOrScalar, b: TensorOrScalar, outDtype?: DType): Tensor {
  let compute = resultType(a, b);
  if (op === 'div' && !isFloating(compute)) compute = getDefaultDtype();
  if (op === 'atan2' && !isFloating(compute)) compute = getDefaultDtype();
  const result = outDtype ?? (COMPARISONS.has(op) ? 'bool' : compute);
  // float16/bfloat16 mul/div keep a Python scalar in the float opmath type instead of rounding it
  // to the tensor's dtype (BinaryOpsKernel.cpp: iter.original_scalar_value<opmath_t>); add/sub are
  // ufunc-generated and take the scalar in the tensor's dtype (measured: bf16 1 + 300.7 is 300)
  // The same holds for a 0-dim tensor as the second operand (a CPU scalar in TensorIterator).
  const opmath = (compute === 'float16' || compute === 'bfloat16') && OPMATH_SCALAR_OPS.has(op);
  const operandOf = (x: TensorOrScalar) => {
    if (!opmath) return inDtype(x, compute);
    if (!(x instanceof Tensor)) return scalarTensor(x, 'float32');
    return x === b && x.ndim === 0 ? cast(x, 'float32') : inDtype(x, compute);
  };
  const ta = operandOf(a), tb = operandOf(b);
  const shape = broadcastShapes(ta.shape, tb.shape);
  checkSize(shape.reduce((p, q) => p * q, 1));
  // the result's layout is TensorIterator's (the first operand's dim order where it has one)
  const strides = iteratorStrides(shape, [iterGeometry(a, compute), iterGeometry(b, compute)]);
  if (!strides) return binaryRowMajor(op, ta, tb, shape, result, compute);
  const order = memoryOrder(shape, strides);
  if (!order) return restrided(binaryRowMajor(op, ta, tb, shape, result, compute), strides);
  const kshape = order.map((d) => shape[d]);
  const r = binaryRowMajor(op, permutedOperand(ta, shape, order), permutedOperand(tb, shape, order), kshape, result, compute);
  return new Tensor(r.storage, r.dtype, shape, strides);
}

/** binary()'s kernel over operands already in the compute dtype, broadcast to `shape`; the result contiguous. */
function binaryRowMajor(op: BinaryOp, ta: Tensor, tb: Tensor, shape: readonly number[], result: DType, compute: DType): Tensor {
  const n = shape.reduce((p, q) => p * q, 1);
  const out = Tensor.empty(result, shape);
  try {
    backendFor(n, compute).binary(
      op, broadcastOperand(ta, shape), broadcastOperand(tb, shape), shape, out.storage.data, !isFloating(compute),
    );
    const big = compute === 'int64' ? BIG_BINARY[op] : undefined;
    if (big && needsExact(op, ta, tb, out)) return exactBinary(big, ta, tb, shape, out);
  } catch (e) {
    if (e instanceof RangeError && e.message === 'ZeroDivisionError') {
      throw new EngineError('RuntimeError', 'ZeroDivisionError');
    }
    throw e;
  }
  return finish(out);
}

/**
 * torch.add(a, b, alpha=alpha) / torch.sub: a + alpha * b (a - alpha * b)
 * in the promoted dtype. alpha_check (native/BinaryOps.cpp): a bool alpha
 * needs a bool result, a float alpha a floating result; alpha converts to
 * the result dtype with the overflow check. Integers wrap as the kernel's
 * integer arithmetic does; float32/float64 are computed in double and
 * rounded once (ATen's vectorized fused multiply-add); float16/bfloat16
 * round alpha * other and then the sum, as the ufunc-generated kernel does.
 */
export function addScaled(a: TensorOrScalar, b: TensorOrScalar, alpha: Scalar, subtract = false): Tensor {
  const rt = resultType(a, b);
  if (typeof alpha === 'boolean' && rt !== 'bool') throw runtimeError('Boolean alpha only supported for Boolean results.');
  if (typeof alpha === 'number' && !isFloating(rt)) {
    throw runtimeError('For integral input tensors, argument alpha must not be a floating point number.');
  }
  const k = checkedConvert(alpha, rt);
  const scale = subtract ? -k : k;
  const inRt = (x: TensorOrScalar) => (x instanceof Tensor ? (x.dtype === rt ? x : cast(x, rt)) : scalarTensor(x, rt));
  if (!isFloating(rt)) {
    // a Python int alpha stays exact (int64 beyond 2^53 too); the product wraps in the dtype
    const k64 = typeof alpha === 'bigint' ? (subtract ? -alpha : alpha) : BigInt(Math.trunc(castValue(rt, scale)));
    const scaled = binary('mul', inRt(b), scalarTensor(k64, rt));
    return binary('add', inRt(a), scaled);
  }
  // float16/bfloat16: ufunc add computes self + alpha * other in the dtype, rounding each op
  if (rt === 'float16' || rt === 'bfloat16') return binary('add', inRt(a), binary('mul', inRt(b), scalarTensor(scale, rt)));
  // float32/float64: operands in the result dtype, a + alpha * b rounded once (the fused multiply-add),
  // except where the loop over a one-element `other` rounds the product first (scalarOtherRoundsTwice)
  const ta = inRt(a), tb = inRt(b);
  const shape = broadcastShapes(ta.shape, tb.shape);
  const n = shape.reduce((p, q) => p * q, 1);
  checkSize(n);
  const out = Tensor.empty(rt, shape);
  const va = expandedValues(ta, shape), vb = expandedValues(tb, shape);
  const o = out.storage.data;
  const twice = tb.numel === 1 && ta.numel === n && n > 1 ? scalarOtherRoundsTwice(n, rt) : () => false;
  const round = caster(rt);
  const fused = rt === 'float32' ? fma32 : fma64; // one rounding, to the result dtype
  for (let i = 0; i < o.length; i++) o[i] = twice(i) ? round(va[i] + round(scale * vb[i])) : fused(vb[i], scale, va[i]);
  const strides = iteratorStrides(shape, [iterGeometry(a, rt), iterGeometry(b, rt)]);
  return strides ? laidOut(finish(out), strides) : finish(out);
}

/**
 * Which elements of add(self, other, alpha) with a one-element `other` (a
 * Python number or a broadcast 1-element tensor) PyTorch 2.13's x86 CPU build
 * computes as round(self + round(alpha * other)) instead of one fused
 * multiply-add. cpu_kernel_vec (native/cpu/Loops.h) runs its vectorized fmadd
 * over blocks of 2 * Vectorized::size() (16 floats, 8 doubles in the
 * dispatched kernel) and hands the rest to basic_loop; the compiled scalar
 * loop does the first remaining element with an FMA, then 16-byte vector
 * groups (4 floats, 2 doubles) with a separate multiply and add, then the
 * leftovers with an FMA again. Measured with torch 2.13.0+cpu for every
 * length up to 65; a tensor `other` or a one-element `self` is fused
 * everywhere.
 */
function scalarOtherRoundsTwice(n: number, dtype: DType): (i: number) => boolean {
  const block = dtype === 'float64' ? 8 : 16, group = dtype === 'float64' ? 2 : 4;
  const tailStart = Math.floor(n / block) * block;
  const twiceEnd = tailStart + 1 + group * Math.floor((n - tailStart - 1) / group);
  return (i) => i > tailStart && i < twiceEnd;
}

/** `x` read in row-major order as if expanded to `shape`. */
function expandedValues(x: Tensor, shape: readonly number[]): number[] {
  const op = broadcastOperand(x, shape);
  const vals: number[] = [];
  forEachOffset(shape, op.strides, op.offset, (off) => vals.push(op.data[off]));
  return vals;
}

/**
 * A Python scalar as the 0-dim tensor PyTorch wraps it in for a torch.where
 * branch or an advanced-index write: filled as one element (fillScalarValue),
 * so int8 and 1000 raise while float16 and 1e5 give inf.
 */
export function assignedScalar(s: Scalar, d: DType): Tensor {
  return full([], s, d);
}

/**
 * torch.where(cond, a, b): a where cond, else b, in result_type(a, b);
 * shapes broadcast. The result has TensorIterator's layout over (cond, a,
 * b), cond's dim order first; `contiguousOut` makes it contiguous instead
 * (masked_fill, which fills a contiguous clone).
 */
export function where(cond: Tensor, a: TensorOrScalar, b: TensorOrScalar, contiguousOut = false): Tensor {
  if (cond.dtype !== 'bool' && cond.dtype !== 'uint8') {
    throw runtimeError(`where expected condition to be a boolean tensor, but got a tensor with dtype ${scalarTypeName(cond.dtype)}`);
  }
  const dtype = resultType(a, b);
  // A Python-scalar branch converts to an integer result dtype with PyTorch's overflow check; floats round freely.
  const branch = (x: TensorOrScalar) => (x instanceof Tensor ? inDtype(x, dtype) : assignedScalar(x, dtype));
  const ta = branch(a), tb = branch(b);
  const shape = broadcastShapes(broadcastShapes(cond.shape, ta.shape), tb.shape);
  checkSize(shape.reduce((p, q) => p * q, 1));
  const strides = contiguousOut ? null : iteratorStrides(shape, [cond, iterGeometry(a, dtype), iterGeometry(b, dtype)]);
  const order = strides && memoryOrder(shape, strides);
  if (!order) return strides ? restrided(whereRowMajor(cond, ta, tb, shape, dtype), strides) : whereRowMajor(cond, ta, tb, shape, dtype);
  const r = whereRowMajor(permutedOperand(cond, shape, order), permutedOperand(ta, shape, order), permutedOperand(tb, shape, order), order.map((d) => shape[d]), dtype);
  return new Tensor(r.storage, dtype, shape, strides);
}

/** where()'s kernel over branches already in `dtype`, broadcast to `shape`; the result contiguous. */
function whereRowMajor(cond: Tensor, ta: Tensor, tb: Tensor, shape: readonly number[], dtype: DType): Tensor {
  const n = shape.reduce((p, q) => p * q, 1);
  const out = Tensor.empty(dtype, shape);
  const oc = broadcastOperand(cond, shape), oa = broadcastOperand(ta, shape), ob = broadcastOperand(tb, shape);
  backendFor(n, dtype).where(oc, oa, ob, shape, out.storage.data);
  if (dtype === 'int64' && (hasWide(ta) || hasWide(tb))) {
    // the branches' values beyond 2^53, exactly (the kernel copied their nearest doubles)
    const c = cond.view(shape, oc.strides, oc.offset).values();
    const va = int64Values(ta.view(shape, oa.strides, oa.offset)), vb = int64Values(tb.view(shape, ob.strides, ob.offset));
    for (let i = 0; i < n; i++) setInt64(out.storage, i, c[i] !== 0 ? va[i] : vb[i]);
  }
  return out;
}

/**
 * Write `src` (broadcast) into the view `dst` in place: a tensor is cast to
 * dst's dtype (copy_), a Python scalar is converted with PyTorch's overflow
 * check (fill_, and `x[...] = 300` on an int8 tensor raises).
 */
export function assignInto(dst: Tensor, src: TensorOrScalar): void {
  let s: Tensor;
  if (src instanceof Tensor) s = src.dtype === dst.dtype ? src : cast(src, dst.dtype);
  else {
    s = Tensor.empty(dst.dtype, []);
    storeScalar(s.storage, 0, 1, src, dst.dtype, fillScalarValue(src, dst.dtype, dst.numel));
  }
  const shape = broadcastShapes(dst.shape, s.shape);
  if (shape.length !== dst.shape.length || shape.some((d, i) => d !== dst.shape[i])) {
    throw runtimeError(
      `output with shape [${dst.shape.join(', ')}] doesn't match the broadcast shape [${shape.join(', ')}]`,
    );
  }
  if (dst.dtype === 'int64' && hasWide(s)) {
    const o = broadcastOperand(s, dst.shape);
    writeValues(dst, int64Values(s.view(dst.shape, o.strides, o.offset)));
    return;
  }
  const tmp = allocate(dst.dtype, dst.numel);
  cpuBackend.unary('identity', broadcastOperand(s, dst.shape), dst.shape, tmp, !isFloating(dst.dtype));
  writeValues(dst, tmp);
}

/**
 * Copy contiguous `values` into the (possibly strided) view `dst`, converting
 * each to dst's dtype (castValue). Exact int64 values (a BigInt64Array) go
 * into an int64 `dst` exactly; a number beyond 2^53 written into an int64
 * storage that has an exact side array is recorded there too (setInt64), so
 * no stale exact value can stand for it.
 */
export function writeValues(dst: Tensor, values: ArrayLike<number> | BigInt64Array): void {
  const st = dst.storage, data = st.data;
  let put: (off: number, i: number) => void;
  if (values instanceof BigInt64Array) put = (off, i) => setInt64(st, off, values[i]);
  else {
    const c = caster(dst.dtype);
    if (st.wide === undefined && dst.isContiguous()) {
      for (let i = 0; i < dst.numel; i++) data[dst.offset + i] = c(values[i]);
      return;
    }
    put = st.wide !== undefined && dst.dtype === 'int64'
      ? (off, i) => {
          const x = c(values[i]);
          if (isSafeInt64(x)) data[off] = x;
          else setInt64(st, off, BigInt(x));
        }
      : (off, i) => { data[off] = c(values[i]); };
  }
  forEachOffset(dst.shape, dst.strides, dst.offset, put);
}

export function checkFloating(x: Tensor, what: string): void {
  if (!isFloating(x.dtype)) {
    throw notImplementedFor(what, x.dtype);
  }
}
