// The strided tensor: a typed storage plus shape, strides and offset.
// Views (reshape, transpose, slicing, expand) share storage, so in-place
// writes through a view reach the base tensor as they do in PyTorch.

import { checkBudget, checkBytes, checkDeadline } from './context';
import { DType, intToDtype, isFloating } from './dtype';
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

/** From this many bytes allocateUnfilled() takes float32 storage from Buffer.allocUnsafeSlow (Node). */
const UNFILLED_MIN_BYTES = 1 << 20;

/**
 * Storage for `n` elements whose every element the caller writes before
 * anything reads it (a kernel's whole output), with allocate()'s checks.
 * float32 of UNFILLED_MIN_BYTES or more, in Node, comes from
 * Buffer.allocUnsafeSlow: malloc, not calloc, so glibc hands back a freed
 * block without zeroing it again (a [64, 256, 256] QK product on the wasm
 * backend took 8.6-8.9 ms a call against 10.4 ms, SCHED_FIFO; a 256 MiB
 * output is a fresh mapping either way). The array spans its own whole
 * ArrayBuffer, so the backend may lend it, and process.memoryUsage()
 * counts it in arrayBuffers like any typed array (the memory cap). Other
 * dtypes, smaller sizes and runtimes without Buffer (the web worker):
 * allocate()'s zeroed storage.
 */
export function allocateUnfilled(dtype: DType, n: number): TypedData {
  const B = (globalThis as { Buffer?: { allocUnsafeSlow?: (bytes: number) => Uint8Array } }).Buffer;
  if (dtype !== 'float32' || 4 * n < UNFILLED_MIN_BYTES || typeof B?.allocUnsafeSlow !== 'function') return allocate(dtype, n);
  checkAllocation(dtype, n);
  checkDeadline();
  const bytes = B.allocUnsafeSlow(4 * n);
  return bytes.byteOffset === 0 && bytes.buffer.byteLength === 4 * n ? new Float32Array(bytes.buffer, 0, n) : new Float32Array(n);
}

/**
 * A tensor's elements. int64 keeps its values in a Float64Array (`data`),
 * which holds every integer up to 2^53 exactly and is as fast as the
 * floating kernels, so mask code (arange, lengths, token ids) pays nothing
 * for int64. The values a double cannot hold (2^53 < |v| < 2^63, issue
 * #17) live in `wide`, an exact side array present only once such a value
 * was stored (setInt64): element `off` is `wide[off]` when `data[off]` is
 * its nearest double and itself beyond 2^53, else `data[off]` (int64At).
 * So readers that know nothing of `wide` see the nearest double, as
 * before; a writer that knows nothing of it and stores a number replaces
 * the element soundly, unless it stores exactly the nearest double of the
 * wide value it overwrites (only in-place writes into a storage that
 * already has `wide` can: every in-place writer of the engine goes through
 * setInt64 or copyInt64 for int64). Chosen over a BigInt64Array storage
 * (option a of #17), measured on node 20 over 1M elements: V8 lowers a
 * plain BigInt64Array loop as fast as a Float64Array one, but through the
 * engine's generic elementwise kernels (one closure per op) BigInt adds
 * took 45-52 ms against 22-26 ms, a running sum 14-19 ms against 0.8 ms,
 * and Number() of each element 45 ms, so a "convert to doubles" fast path
 * would cost more than the op; and ~200 numeric uses of int64 data in ~40
 * files would have to change.
 */
export class Storage {
  /** int64 only: exact values of the elements beyond 2^53 (see above); absent until one is stored. */
  wide?: BigInt64Array;
  constructor(public data: TypedData) {}
}

/** 2^53: from here on (in magnitude) a double no longer holds every integer. */
const SAFE_END = 2 ** 53;

/** Whether a double is an integer every int64 reader may take as exact (|x| < 2^53). */
export function isSafeInt64(x: number): boolean {
  return x > -SAFE_END && x < SAFE_END;
}

/** The exact value of the int64 element at storage offset `off` (see Storage). */
export function int64At(s: Storage, off: number): bigint {
  const x = s.data[off];
  const w = s.wide;
  if (w !== undefined && !isSafeInt64(x) && Number(w[off]) === x) return w[off];
  return BigInt(x);
}

/** Store the int64 `v` (already wrapped to 64 bits) at storage offset `off`, exactly. */
export function setInt64(s: Storage, off: number, v: bigint): void {
  const x = Number(v);
  s.data[off] = x;
  if (isSafeInt64(x)) return;
  // always recorded (even where the double is exact, 2^60): a stale wide entry must not match it
  if (s.wide === undefined) {
    checkBytes(s.data.length * 8, () => `the exact int64 values of a tensor of ${s.data.length} elements`);
    s.wide = new BigInt64Array(s.data.length);
  }
  s.wide[off] = v;
}

/**
 * Copy element `srcOff` of int64 storage `src` to `dstOff` of `dst` exactly.
 * Copy loops call it only when `src.wide` is set (their plain number copy
 * is exact otherwise, and then `dst` gets its number as any writer does).
 */
export function copyInt64(dst: Storage, dstOff: number, src: Storage, srcOff: number): void {
  setInt64(dst, dstOff, int64At(src, srcOff));
}

/** Store the integer `v` at storage offset `off` of an integer tensor: exactly into int64, wrapped into narrower dtypes. */
export function storeInt(t: Tensor, off: number, v: bigint): void {
  if (t.dtype === 'int64') setInt64(t.storage, off, BigInt.asIntN(64, v));
  else t.storage.data[off] = intToDtype(t.dtype, v);
}

/** Whether an int64 tensor may hold values beyond 2^53 that need its exact side array. */
export function hasWide(t: Tensor): boolean {
  return t.storage.wide !== undefined;
}

/** An int64 tensor's exact values in row-major logical order. */
export function int64Values(t: Tensor): BigInt64Array {
  const out = new BigInt64Array(t.numel);
  const s = t.storage;
  forEachOffset(t.shape, t.strides, t.offset, (off, i) => {
    out[i] = int64At(s, off);
  });
  return out;
}

/** Fill a fresh contiguous int64 tensor with exact values (row-major). */
export function setInt64Values(t: Tensor, values: ArrayLike<bigint>): void {
  for (let i = 0; i < values.length; i++) setInt64(t.storage, t.offset + i, values[i]);
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

  /**
   * A new contiguous tensor whose every element the caller writes before
   * anything reads it (see allocateUnfilled); same checks and errors as empty().
   */
  static unfilled(dtype: DType, shape: readonly number[]): Tensor {
    checkShape(shape);
    return new Tensor(new Storage(allocateUnfilled(dtype, numelOf(shape))), dtype, shape);
  }

  get ndim(): number {
    return this.shape.length;
  }

  get isFloating(): boolean {
    return isFloating(this.dtype);
  }

  /** c10's is_contiguous: row-major strides, size-1 dims' strides ignored; an empty tensor is contiguous. */
  isContiguous(): boolean {
    if (this.numel === 0) return true;
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
    gatherStrided(data, this.shape, this.strides, this.offset, out);
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

/** Side of the square tiles a transposing gather copies through (measured best of 16/32/64 on a [2048, 512] float32 transpose: 3.5x a plain loop). */
const GATHER_TILE = 32;

/**
 * Copy the view (`shape`, `strides`, `offset`) of `src` into `out` in
 * row-major order: `out[i]` is the view's i-th element, stored as assigning
 * it would (so a wider or narrower `out` converts exactly as
 * TypedArray.prototype.set does). No callback per element: dims of size 1
 * are dropped and dims that are contiguous together are merged first; what
 * is left is one block copy, or tight loops over the last dim, or (when the
 * last dim is strided and the one before it is not: a transposed matrix,
 * `w.t()`, `k.transpose(-2, -1)`) tiles small enough that both the reads
 * and the writes stay in cache.
 *
 * @param src the storage's values; `shape`/`strides`/`offset` must lie within it.
 * @param out at least numel(shape) elements; written from index 0.
 */
export function gatherStrided(src: TypedData, shape: readonly number[], strides: readonly number[], offset: number, out: TypedData): void {
  const n = numelOf(shape);
  if (n === 0) return;
  // collapse: drop size-1 dims, merge a dim into the next when they step as one
  const sh: number[] = [], st: number[] = [];
  for (let d = 0; d < shape.length; d++) {
    if (shape[d] === 1) continue;
    const k = sh.length - 1;
    if (k >= 0 && st[k] === strides[d] * shape[d]) {
      sh[k] *= shape[d];
      st[k] = strides[d];
    } else {
      sh.push(shape[d]);
      st.push(strides[d]);
    }
  }
  const nd = sh.length;
  if (nd === 0) {
    out[0] = src[offset];
    return;
  }
  if (nd === 1 && st[0] === 1) {
    out.set(src.subarray(offset, offset + n));
    return;
  }
  const last = nd - 1;
  const cols = sh[last], cs = st[last];
  // a transpose in the last two dims: rows step by 1 in src, columns by cs
  const tiled = nd >= 2 && cs !== 1 && st[last - 1] === 1 && cols >= GATHER_TILE && sh[last - 1] >= GATHER_TILE;
  const inner = tiled ? 2 : 1;
  const outer = nd - inner;
  const idx = new Array<number>(outer).fill(0);
  const rows = tiled ? sh[last - 1] : 1;
  const block = tiled ? rows * cols : cols;
  let base = offset;
  for (let o = 0; o < n; o += block) {
    if (tiled) {
      for (let r0 = 0; r0 < rows; r0 += GATHER_TILE) {
        const r1 = Math.min(rows, r0 + GATHER_TILE);
        for (let c0 = 0; c0 < cols; c0 += GATHER_TILE) {
          const c1 = Math.min(cols, c0 + GATHER_TILE);
          for (let r = r0; r < r1; r++) {
            let off = base + r + c0 * cs;
            const rowEnd = o + r * cols + c1;
            for (let i = o + r * cols + c0; i < rowEnd; i++, off += cs) out[i] = src[off];
          }
        }
      }
    } else {
      let off = base;
      const end = o + cols;
      for (let i = o; i < end; i++, off += cs) out[i] = src[off];
    }
    // next outer index (odometer)
    for (let d = outer - 1; d >= 0; d--) {
      idx[d]++;
      base += st[d];
      if (idx[d] < sh[d]) break;
      base -= st[d] * sh[d];
      idx[d] = 0;
    }
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
