// The strided tensor: a typed storage plus shape, strides and offset.
// Views (reshape, transpose, slicing, expand) share storage, so in-place
// writes through a view reach the base tensor as they do in PyTorch.

import { checkBudget, checkBytes, checkDeadline } from './context';
import { DType, isFloating } from './dtype';
import { runtimeError } from './errors';

export type TypedData = Float64Array | Float32Array | Int32Array | Int16Array | Int8Array | Uint8Array;

/** Bytes per element of each dtype's storage (int64 and float16 live in wider arrays). */
const STORAGE_BYTES: Record<DType, number> = {
  float64: 8, int64: 8, float32: 4, float16: 4, bfloat16: 4, int32: 4, int16: 2, int8: 1, uint8: 1, bool: 1,
};

/**
 * MemoryError when a tensor of `n` elements of `dtype` would pass the
 * evaluation's element budget or memory cap. allocate() checks this itself;
 * code that builds a temporary array of that size first (random draws,
 * broadcast parameters) calls it before.
 */
export function checkAllocation(dtype: DType, n: number): void {
  checkBudget(n, () => `a tensor of ${n} elements`);
  checkBytes(n * STORAGE_BYTES[dtype], () => `a tensor of ${n} elements`);
}

/**
 * Fresh zeroed storage for `n` elements. Every tensor allocation passes here,
 * so this is where the evaluation's element budget and memory cap
 * (MemoryError) and time budget (between kernels) are enforced, before any
 * memory is taken.
 */
export function allocate(dtype: DType, n: number): TypedData {
  checkAllocation(dtype, n);
  checkDeadline();
  switch (dtype) {
    case 'float64': case 'int64': return new Float64Array(n);
    case 'float32': case 'float16': case 'bfloat16': return new Float32Array(n);
    case 'int32': return new Int32Array(n);
    case 'int16': return new Int16Array(n);
    case 'int8': return new Int8Array(n);
    case 'uint8': case 'bool': return new Uint8Array(n);
  }
}

export class Storage {
  constructor(public data: TypedData) {}
}

export function numelOf(shape: readonly number[]): number {
  let n = 1;
  for (const s of shape) n *= s;
  return n;
}

/** ATen's check_size_nonnegative: every size must be >= 0. */
export function checkShape(shape: readonly number[]): void {
  for (const d of shape) {
    if (d < 0) throw runtimeError(`Trying to create tensor with negative dimension ${d}: [${shape.join(', ')}]`);
  }
}

export function contiguousStrides(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= Math.max(shape[i], 1);
  }
  return strides;
}

/** Autograd bookkeeping we only display (`grad_fn=<...>`, `requires_grad=True`). */
export interface GradInfo {
  requiresGrad: boolean;
  gradFn?: string;
}

export class Tensor {
  readonly numel: number;
  grad: GradInfo = { requiresGrad: false };

  constructor(
    readonly storage: Storage,
    readonly dtype: DType,
    readonly shape: readonly number[],
    readonly strides: readonly number[] = contiguousStrides(shape),
    readonly offset = 0,
  ) {
    this.numel = numelOf(shape);
  }

  static fromData(dtype: DType, shape: readonly number[], data: TypedData): Tensor {
    return new Tensor(new Storage(data), dtype, shape);
  }

  /**
   * A new contiguous tensor. A negative size raises ATen's RuntimeError
   * ("Trying to create tensor with negative dimension -100: [-100, 4]", from
   * c10's check_size_nonnegative) before anything is allocated.
   */
  static empty(dtype: DType, shape: readonly number[]): Tensor {
    checkShape(shape);
    return new Tensor(new Storage(allocate(dtype, numelOf(shape))), dtype, shape);
  }

  get ndim(): number {
    return this.shape.length;
  }

  get isFloating(): boolean {
    return isFloating(this.dtype);
  }

  isContiguous(): boolean {
    let expected = 1;
    for (let i = this.shape.length - 1; i >= 0; i--) {
      if (this.shape[i] !== 1 && this.strides[i] !== expected) return false;
      expected *= this.shape[i];
    }
    return true;
  }

  /** A view of the same storage with another geometry. */
  view(shape: readonly number[], strides: readonly number[], offset = this.offset): Tensor {
    const t = new Tensor(this.storage, this.dtype, shape, strides, offset);
    t.grad = this.grad;
    return t;
  }

  /** Values in row-major logical order (a fresh array unless already contiguous and whole). */
  values(): TypedData {
    const data = this.storage.data;
    if (this.isContiguous()) {
      if (this.offset === 0 && data.length === this.numel) return data;
      return data.subarray(this.offset, this.offset + this.numel);
    }
    const out = allocate(this.dtype, this.numel);
    forEachOffset(this.shape, this.strides, this.offset, (off, i) => {
      out[i] = data[off];
    });
    return out;
  }

  /** Values as plain numbers, in logical order. */
  toArray(): number[] {
    return Array.from(this.values());
  }

  /** The single value of a one-element tensor. */
  item(): number {
    return this.storage.data[this.offset];
  }

  /** Storage offset of a multi-index. */
  offsetOf(index: readonly number[]): number {
    let off = this.offset;
    for (let i = 0; i < index.length; i++) off += index[i] * this.strides[i];
    return off;
  }
}

/** Visit every element's storage offset in row-major order. */
export function forEachOffset(
  shape: readonly number[],
  strides: readonly number[],
  offset: number,
  visit: (storageOffset: number, linear: number) => void,
): void {
  const nd = shape.length;
  const n = numelOf(shape);
  if (n === 0) return;
  if (nd === 0) {
    visit(offset, 0);
    return;
  }
  const idx = new Array<number>(nd).fill(0);
  const last = nd - 1;
  const lastStride = strides[last];
  const lastSize = shape[last];
  let base = offset;
  let linear = 0;
  for (;;) {
    let off = base;
    for (let j = 0; j < lastSize; j++, off += lastStride) visit(off, linear++);
    let d = last - 1;
    for (; d >= 0; d--) {
      idx[d]++;
      base += strides[d];
      if (idx[d] < shape[d]) break;
      base -= strides[d] * shape[d];
      idx[d] = 0;
    }
    if (d < 0) return;
  }
}
