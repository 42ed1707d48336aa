// Elementwise ops: validate, promote, broadcast, then dispatch to a backend.

import { DType, caster, category, isFloating, promoteTypes } from '../dtype';
import { EngineError, runtimeError } from '../errors';
import type { BinaryOp, Operand, UnaryOp } from '../kernels/backend';
import { cpuBackend } from '../kernels/cpu';
import { backendFor } from '../kernels/select';
import { Tensor, allocate } from '../tensor';
import { checkBudget, getSlot, slot } from '../context';

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
 * torch.result_type: dimensioned tensors outrank zero-dim tensors, which
 * outrank Python scalars, unless a lower tier has a higher category
 * (bool < int < float).
 */
export function resultType(...args: TensorOrScalar[]): DType {
  let dimT: DType | null = null, zeroT: DType | null = null, wrapped: DType | null = null;
  let maxCat = 0;
  for (const a of args) {
    if (a instanceof Tensor) {
      maxCat = Math.max(maxCat, category(a.dtype));
      if (a.ndim > 0) dimT = dimT ? promoteTypes(dimT, a.dtype) : a.dtype;
      else zeroT = zeroT ? promoteTypes(zeroT, a.dtype) : a.dtype;
    } else {
      const d = typeof a === 'boolean' ? 'bool' : typeof a === 'bigint' ? 'int64' : getDefaultDtype();
      maxCat = Math.max(maxCat, category(d));
      wrapped = wrapped ? promoteTypes(wrapped, d) : d;
    }
  }
  for (const tier of [dimT, zeroT, wrapped]) {
    if (tier && category(tier) === maxCat) return tier;
  }
  return wrapped!;
}

/** MemoryError before allocating a tensor of `n` elements over the evaluation's budget. */
export function checkSize(n: number): void {
  checkBudget(n, () => `a tensor of ${n} elements`);
}

export function full(shape: readonly number[], value: number, dtype: DType): Tensor {
  checkSize(shape.reduce((a, b) => a * b, 1));
  const t = Tensor.empty(dtype, shape);
  t.storage.data.fill(caster(dtype)(value));
  return t;
}

export function scalarTensor(s: Scalar, dtype: DType = scalarDtype(s)): Tensor {
  return full([], scalarValue(s), dtype);
}

export function asTensor(x: TensorOrScalar, dtype?: DType): Tensor {
  return x instanceof Tensor ? x : scalarTensor(x, dtype);
}

/** Copy into a fresh contiguous tensor of `dtype` (torch's `.to(dtype)` / `.clone()`). */
export function cast(x: Tensor, dtype: DType): Tensor {
  const out = Tensor.empty(dtype, x.shape);
  const src = x.values();
  const data = out.storage.data;
  if (dtype === 'float16' || dtype === 'bfloat16' || dtype === 'bool' || (isFloating(x.dtype) && !isFloating(dtype))) {
    const c = caster(dtype);
    for (let i = 0; i < src.length; i++) data[i] = c(src[i]);
  } else {
    data.set(src);
  }
  return out;
}

export function contiguous(x: Tensor): Tensor {
  return x.isContiguous() ? x : cast(x, x.dtype);
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

function finish(out: Tensor): Tensor {
  if (out.dtype === 'bool') {
    const d = out.storage.data;
    for (let i = 0; i < d.length; i++) if (d[i] !== 0) d[i] = 1;
  } else if (out.dtype === 'float16' || out.dtype === 'bfloat16') {
    const d = out.storage.data, c = caster(out.dtype);
    for (let i = 0; i < d.length; i++) d[i] = c(d[i]);
  }
  return out;
}

export function unary(op: UnaryOp, x: Tensor, outDtype: DType = x.dtype, computeDtype: DType = x.dtype): Tensor {
  const input = inDtype(x, computeDtype);
  const out = Tensor.empty(outDtype, x.shape);
  backendFor(x.numel, computeDtype).unary(op, broadcastOperand(input, x.shape), x.shape, out.storage.data, !isFloating(computeDtype));
  return finish(out);
}

const COMPARISONS = new Set<BinaryOp>(['lt', 'le', 'gt', 'ge', 'eq', 'ne', 'and', 'or', 'xor']);

/**
 * a (op) b with PyTorch promotion. Comparisons and logical ops compute in the
 * promoted dtype and return bool; `div` on integers computes in the default
 * float dtype.
 */
export function binary(op: BinaryOp, a: TensorOrScalar, b: TensorOrScalar, outDtype?: DType): Tensor {
  let compute = resultType(a, b);
  if (op === 'div' && !isFloating(compute)) compute = getDefaultDtype();
  if (op === 'atan2' && !isFloating(compute)) compute = getDefaultDtype();
  const result = outDtype ?? (COMPARISONS.has(op) ? 'bool' : compute);
  const ta = inDtype(a, compute), tb = inDtype(b, compute);
  const shape = broadcastShapes(ta.shape, tb.shape);
  const n = shape.reduce((p, q) => p * q, 1);
  checkSize(n);
  const out = Tensor.empty(result, shape);
  try {
    backendFor(n, compute).binary(
      op, broadcastOperand(ta, shape), broadcastOperand(tb, shape), shape, out.storage.data, !isFloating(compute),
    );
  } catch (e) {
    if (e instanceof RangeError && e.message === 'ZeroDivisionError') {
      throw new EngineError('RuntimeError', 'ZeroDivisionError');
    }
    throw e;
  }
  return finish(out);
}

/** torch.where(cond, a, b). */
export function where(cond: Tensor, a: TensorOrScalar, b: TensorOrScalar): Tensor {
  if (cond.dtype !== 'bool' && cond.dtype !== 'uint8') {
    throw runtimeError(`where expected condition to be a boolean tensor, but got a tensor with dtype ${scalarTypeName(cond.dtype)}`);
  }
  const dtype = resultType(a, b);
  const ta = inDtype(a, dtype), tb = inDtype(b, dtype);
  const shape = broadcastShapes(broadcastShapes(cond.shape, ta.shape), tb.shape);
  const n = shape.reduce((p, q) => p * q, 1);
  checkSize(n);
  const out = Tensor.empty(dtype, shape);
  backendFor(n, dtype).where(
    broadcastOperand(cond, shape), broadcastOperand(ta, shape), broadcastOperand(tb, shape), shape, out.storage.data,
  );
  return out;
}

/** Write `src` (broadcast) into the view `dst` in place, casting to dst's dtype. */
export function assignInto(dst: Tensor, src: TensorOrScalar): void {
  const s = src instanceof Tensor ? (src.dtype === dst.dtype ? src : cast(src, dst.dtype)) : scalarTensor(src, dst.dtype);
  const shape = broadcastShapes(dst.shape, s.shape);
  if (shape.length !== dst.shape.length || shape.some((d, i) => d !== dst.shape[i])) {
    throw runtimeError(
      `output with shape [${dst.shape.join(', ')}] doesn't match the broadcast shape [${shape.join(', ')}]`,
    );
  }
  const tmp = allocate(dst.dtype, dst.numel);
  cpuBackend.unary('identity', broadcastOperand(s, dst.shape), dst.shape, tmp, !isFloating(dst.dtype));
  writeValues(dst, tmp);
}

/** Copy contiguous `values` into the (possibly strided) view `dst`. */
export function writeValues(dst: Tensor, values: ArrayLike<number>): void {
  const data = dst.storage.data;
  const c = caster(dst.dtype);
  const needsCast = dst.dtype === 'float16' || dst.dtype === 'bfloat16' || dst.dtype === 'bool';
  if (dst.isContiguous()) {
    for (let i = 0; i < dst.numel; i++) data[dst.offset + i] = needsCast ? c(values[i]) : values[i];
    return;
  }
  let i = 0;
  const walk = (dim: number, off: number) => {
    if (dim === dst.ndim) {
      data[off] = needsCast ? c(values[i++]) : values[i++];
      return;
    }
    for (let k = 0; k < dst.shape[dim]; k++) walk(dim + 1, off + k * dst.strides[dim]);
  };
  walk(0, dst.offset);
}

export function checkFloating(x: Tensor, what: string): void {
  if (!isFloating(x.dtype)) {
    throw runtimeError(`"${what}" not implemented for '${scalarTypeName(x.dtype)}'`);
  }
}
