// Reductions and matmul: permute the reduced axes together, then hand the
// backend a contiguous [outer, size, inner] block.

import { DType, caster, isFloating } from '../dtype';
import { runtimeError } from '../errors';
import type { ReduceOp } from '../kernels/backend';
import { matmulOrder } from '../kernels/float32_matmul';
import { backendFor } from '../kernels/select';
import { Tensor, hasWide, int64At, int64Values, numelOf, setInt64, storeInt } from '../tensor';
import { binary, broadcastShapes, cast, checkSize, contiguous, cppTypeName, finish, scalarTypeName, unary } from './core';
import { expand, normalizeDim, permute, reshape } from './shape';

export function normalizeDims(dims: number | readonly number[] | null | undefined, ndim: number): number[] {
  if (dims === null || dims === undefined) return Array.from({ length: ndim }, (_, i) => i);
  const list = typeof dims === 'number' ? [dims] : dims;
  const out = list.map((d) => normalizeDim(d, ndim));
  for (let i = 0; i < out.length; i++) {
    if (out.indexOf(out[i]) !== i) throw runtimeError(`dim ${out[i]} appears multiple times in the list of dims`);
  }
  return ndim === 0 ? [] : out;
}

function outputDtype(op: ReduceOp, x: Tensor): DType {
  switch (op) {
    case 'sum': case 'prod': return isFloating(x.dtype) ? x.dtype : 'int64';
    case 'argmax': case 'argmin': return 'int64';
    case 'any': case 'all': return x.dtype === 'uint8' ? 'uint8' : 'bool';
    default: return x.dtype;
  }
}

/** Reduce `dims` (all when null) of `x`. */
export function reduce(op: ReduceOp, x: Tensor, dims: number | readonly number[] | null = null, keepdim = false, dtype?: DType): Tensor {
  const rd = normalizeDims(dims, x.ndim);
  const keep = x.shape.map((_, i) => i).filter((i) => !rd.includes(i));
  const outShape = keepdim ? x.shape.map((s, i) => (rd.includes(i) ? 1 : s)) : keep.map((i) => x.shape[i]);
  const size = numelOf(rd.map((i) => x.shape[i]));
  const outer = numelOf(keep.map((i) => x.shape[i]));
  const outDtype = dtype ?? outputDtype(op, x);
  if (size === 0 && (op === 'max' || op === 'min' || op === 'argmax' || op === 'argmin')) {
    const name = op;
    throw runtimeError(
      rd.length === x.ndim && (dims === null || dims === undefined)
        ? `${name}(): Expected reduction dim to be specified for input.numel() == 0. Specify the reduction dim with the 'dim' argument.`
        : `${name}(): Expected reduction dim ${rd[0]} to have non-zero size.`,
    );
  }
  // float16/bfloat16 sums accumulate in float32 and round once (ATen's acc_type for reduced
  // floats in native/cpu/SumKernel.cpp); products multiply in the dtype itself, rounding every
  // step (prod_kernel_impl in native/cpu/ReduceOpsKernel.cpp reduces with scalar_t a * b), so
  // 300 * 300 * 0.001 is inf in float16.
  // (the input converts to the requested dtype first: sum(dtype=torch.bfloat16) rounds each element)
  const reduced = outDtype === 'float16' || outDtype === 'bfloat16';
  if (reduced && op === 'sum') return cast(reduce(op, x.dtype === outDtype ? x : cast(x, outDtype), dims, keepdim, 'float32'), outDtype);
  if (reduced && op === 'prod') return reducedProd(x.dtype === outDtype ? x : cast(x, outDtype), rd, outShape);
  const input = x.dtype === outDtype || op === 'argmax' || op === 'argmin' || op === 'any' || op === 'all' ? x : cast(x, outDtype);
  const out = Tensor.empty(outDtype, outShape);
  const backend = backendFor(x.numel, x.dtype);
  const consecutive = rd.every((d, i) => i === 0 || d === rd[i - 1] + 1);
  if (consecutive && rd.length > 0) {
    // Natural layout [before, reduced, after]: the kernel sees whether the reduced run is innermost.
    const c = contiguous(input);
    const before = numelOf(x.shape.slice(0, rd[0]));
    const after = numelOf(x.shape.slice(rd[rd.length - 1] + 1));
    backend.reduce(op, c.values(), before, size, after, out.storage.data);
    if (outDtype === 'int64' || c.dtype === 'int64') exactInt64(op, c, before, size, after, out);
    return finish(out);
  }
  const src = contiguous(permute(input, [...keep, ...rd]));
  backend.reduce(op, src.values(), outer, size, 1, out.storage.data);
  if (outDtype === 'int64' || src.dtype === 'int64') exactInt64(op, src, outer, size, 1, out);
  return finish(out);
}

/**
 * int64 reductions, exactly (issue #17). Sums and products wrap modulo 2^64
 * (two's-complement int64 arithmetic in ATen's kernels): where an input has
 * values beyond 2^53 (its exact side array, tensor.ts Storage) or an input
 * or a result leaves the doubles' exact integer range, the
 * [outer, size, inner] reduction of the contiguous `x` is redone in BigInt
 * (sum([2**53, 1, 1]) is 2**53 + 2, sum([-2**63, -2**63, 1]) wraps to 1).
 * max/min/argmax/argmin compare the exact values where the nearest doubles
 * could tie (2**53 + 1 and 2**53).
 */
function exactInt64(op: ReduceOp, x: Tensor, outer: number, size: number, inner: number, out: Tensor): void {
  const sumProd = op === 'sum' || op === 'prod';
  if (!sumProd && !(op === 'max' || op === 'min' || op === 'argmax' || op === 'argmin')) return;
  if (x.dtype !== 'int64' && !sumProd) return;
  if (!hasWide(x)) {
    if (!sumProd) return;
    const o = out.storage.data, xs = x.values();
    let safe = true;
    for (let i = 0; i < o.length && safe; i++) safe = Number.isSafeInteger(o[i]);
    for (let i = 0; i < xs.length && safe; i++) safe = Number.isSafeInteger(xs[i]);
    if (safe) return;
  }
  const at = (i: number) => int64At(x.storage, x.offset + i);
  for (let a = 0; a < outer; a++) {
    for (let j = 0; j < inner; j++) {
      const base = a * size * inner + j;
      let acc: bigint;
      if (sumProd) {
        acc = op === 'sum' ? 0n : 1n;
        for (let i = 0; i < size; i++) acc = BigInt.asIntN(64, op === 'sum' ? acc + at(base + i * inner) : acc * at(base + i * inner));
      } else {
        const isMax = op === 'max' || op === 'argmax';
        let best = at(base), where = 0;
        for (let i = 1; i < size; i++) {
          const v = at(base + i * inner);
          if (isMax ? v > best : v < best) { best = v; where = i; }
        }
        acc = op === 'max' || op === 'min' ? best : BigInt(where);
      }
      setInt64(out.storage, a * inner + j, acc);
    }
  }
}

/**
 * prod of a float16/bfloat16 tensor over `rd`: out = round(out * x) from 1,
 * sequentially along the reduced elements in row-major order. This is the
 * order of binary_kernel_reduce_vec (native/cpu/Reduce.h) below its
 * 4-vector block (64 float16 elements with AVX2); longer contiguous runs
 * multiply in vector lanes there, in an order this does not copy.
 */
function reducedProd(x: Tensor, rd: readonly number[], outShape: readonly number[]): Tensor {
  const keep = x.shape.map((_, i) => i).filter((i) => !rd.includes(i));
  const size = numelOf(rd.map((i) => x.shape[i]));
  const src = contiguous(permute(x, [...keep, ...rd])).values();
  const out = Tensor.empty(x.dtype, outShape);
  const o = out.storage.data;
  const round = caster(x.dtype);
  for (let j = 0; j < o.length; j++) {
    let acc = 1;
    for (let i = 0; i < size; i++) acc = round(acc * src[j * size + i]);
    o[j] = acc;
  }
  return out;
}

export function mean(x: Tensor, dims: number | readonly number[] | null = null, keepdim = false, dtype?: DType): Tensor {
  const d = dtype ?? x.dtype;
  if (!isFloating(d)) {
    throw runtimeError(
      `mean(): could not infer output dtype. Input dtype must be either a floating point or complex dtype. Got: ${scalarTypeName(d)}`,
    );
  }
  const rd = normalizeDims(dims, x.ndim);
  const n = numelOf(rd.map((i) => x.shape[i]));
  // Reduced floats: sum and divide in float32, round once (ReduceOps.cpp mean_out: "cast_fp32 -> sum -> div -> cast").
  if (d === 'float16' || d === 'bfloat16') return cast(binary('div', reduce('sum', x, rd, keepdim, 'float32'), n), d);
  const s = reduce('sum', x, rd, keepdim, d);
  return binary('div', s, n);
}

/**
 * torch.var / torch.std of `x` over `dims` (all when null), with `correction`
 * (1: Bessel's, the default). Floating dtypes only (RuntimeError otherwise).
 * Computed in double and rounded once to x's dtype, as ATen's std_var kernel
 * accumulates with Welford in double (native/cpu/ReduceOpsKernel.cpp), so a
 * float16 std of [65504, 1, 7.75] is finite although its squares are not.
 * A float32/float64 reduction to one element takes ATen's std_var_all_cpu
 * instead (varianceAll).
 */
export function variance(x: Tensor, dims: number | readonly number[] | null, correction: number, keepdim: boolean, sqrt = false): Tensor {
  if (!isFloating(x.dtype)) throw runtimeError('std and var only support floating point and complex dtypes');
  const rd = normalizeDims(dims, x.ndim);
  const n = numelOf(rd.map((i) => x.shape[i]));
  if ((x.dtype === 'float32' || x.dtype === 'float64') && x.numel > 0 && x.numel === n) return varianceAll(x, rd, n, correction, keepdim, sqrt);
  const wide = cast(x, 'float64');
  const d = binary('sub', wide, mean(wide, rd, true));
  let v = binary('div', reduce('sum', binary('mul', d, d), rd, keepdim), Math.max(n - correction, 0));
  if (sqrt) v = unary('sqrt', v);
  return cast(v, x.dtype);
}

/**
 * var/std with a single output element of a float32/float64 tensor: ATen's
 * std_var_all_cpu (native/ReduceOps.cpp), which takes the mean in the
 * tensor's own dtype (a float32 mean of [1e38, 2e38, 3e38] overflows, and
 * then so does the std), then sums the squared deviations in double.
 */
function varianceAll(x: Tensor, rd: readonly number[], n: number, correction: number, keepdim: boolean, sqrt: boolean): Tensor {
  const m = mean(x).item();
  const v = contiguous(x).values();
  let sum = 0;
  for (let i = 0; i < v.length; i++) sum += (v[i] - m) * (v[i] - m);
  const r = sum / Math.max(0, n - correction);
  const shape = keepdim ? x.shape.map((s, i) => (rd.includes(i) ? 1 : s)) : x.shape.filter((_, i) => !rd.includes(i));
  const out = Tensor.empty(x.dtype, shape);
  out.storage.data[0] = sqrt ? Math.sqrt(r) : r; // the float32 store rounds once
  return out;
}

/** torch.matmul with its 1-D promotion and batch broadcasting rules. */
export function matmul(a: Tensor, b: Tensor): Tensor {
  if (a.ndim === 0 || b.ndim === 0) {
    throw runtimeError(`both arguments to matmul need to be at least 1D, but they are ${a.ndim}D and ${b.ndim}D`);
  }
  if (a.dtype !== b.dtype) {
    throw runtimeError(`expected m1 and m2 to have the same dtype, but got: ${cppTypeName(a.dtype)} != ${cppTypeName(b.dtype)}`);
  }
  if (a.ndim === 1 && b.ndim === 1) {
    if (a.shape[0] !== b.shape[0]) {
      throw runtimeError(
        `inconsistent tensor size, expected tensor [${a.shape[0]}] and src [${b.shape[0]}] to have the same number of elements, but got ${a.shape[0]} and ${b.shape[0]} elements respectively`,
      );
    }
  }
  const a2 = a.ndim === 1 ? reshape(a, [1, a.shape[0]]) : a;
  const b2 = b.ndim === 1 ? reshape(b, [b.shape[0], 1]) : b;
  const m = a2.shape[a2.ndim - 2], k = a2.shape[a2.ndim - 1];
  const k2 = b2.shape[b2.ndim - 2], n = b2.shape[b2.ndim - 1];
  if (k !== k2) {
    if (a.ndim <= 2 && b.ndim <= 2) {
      if (a.ndim === 2 && b.ndim === 1) {
        throw runtimeError(`size mismatch, got input (${m}), mat (${m}x${k}), vec (${k2})`);
      }
      throw runtimeError(`mat1 and mat2 shapes cannot be multiplied (${m}x${k} and ${k2}x${n})`);
    }
    // ATen folds a batched input against a matrix or vector into one mm/mv (matmul's should_fold)
    const folded = numelOf(a2.shape.slice(0, -1));
    if (a.ndim >= 3 && b.ndim === 1) throw runtimeError(`size mismatch, got input (${folded}), mat (${folded}x${k}), vec (${k2})`);
    if (a.ndim >= 3 && b.ndim === 2) throw runtimeError(`mat1 and mat2 shapes cannot be multiplied (${folded}x${k} and ${k2}x${n})`);
    // both batched: the batch dims broadcast first, and that error wins
    const batchA = broadcastShapes(a2.shape.slice(0, -2), b2.shape.slice(0, -2));
    throw runtimeError(
      `Expected size for first two dimensions of batch2 tensor to be: [${[numelOf(batchA), k].join(', ')}] but got: [${[numelOf(b2.shape.slice(0, -2)), k2].join(', ')}].`,
    );
  }
  const batch = broadcastShapes(a2.shape.slice(0, -2), b2.shape.slice(0, -2));
  const nb = numelOf(batch);
  checkSize(nb * m * n);
  // A batched input against a matrix or vector is one product of all its rows, as ATen folds it
  // (matmul's should_fold): the matrix (a linear layer's weight.t()) is laid out once, not once per batch.
  // Each output row is summed on its own, so the fold changes no bit.
  const fold = b2.ndim === 2 && nb > 1;
  const ac = contiguous(expand(a2, [...batch, m, k])), bc = contiguous(fold ? b2 : expand(b2, [...batch, k, n]));
  const av = ac.values(), bv = bc.values();
  // A float32 product with k > 0 writes every output on each backend: its storage need not be zeroed first.
  const out = a.dtype === 'float32' && k > 0 ? Tensor.unfilled(a.dtype, [...batch, m, n]) : Tensor.empty(a.dtype, [...batch, m, n]);
  // float32/float64 follow the CPU kernel PyTorch runs (float32: its summation order; float64: dgemm's fused overflow, cpu.ts); float16/bfloat16 keep one float32 sum per step (rounded once by finish)
  const order = a.dtype === 'float32' || a.dtype === 'float64' ? matmulOrder(a.ndim, b.ndim, nb, m, k, n) : 'naive';
  const [pb, pm] = fold ? [1, nb * m] : [nb, m];
  if (!isFloating(a.dtype) && (hasWide(ac) || hasWide(bc) || !productsAreSafe(av, bv, k))) matmulInt64(ac, bc, pb, pm, k, n, out);
  else backendFor(nb * m * n * k, a.dtype).matmul(av, bv, pb, pm, k, n, out.storage.data, order);
  finish(out); // float16/bfloat16 accumulate wide and round each result once (CPU gemm for reduced floats)
  let shape = [...batch, m, n];
  if (a.ndim === 1) shape = [...batch, n];
  if (b.ndim === 1) shape = a.ndim === 1 ? [] : [...batch, m];
  return reshape(out, shape);
}

// Whether every partial sum of an integer matmul stays within 2^53, so doubles compute it exactly.
function productsAreSafe(a: ArrayLike<number>, b: ArrayLike<number>, k: number): boolean {
  let ma = 0, mb = 0;
  for (let i = 0; i < a.length; i++) ma = Math.max(ma, Math.abs(a[i]));
  for (let i = 0; i < b.length; i++) mb = Math.max(mb, Math.abs(b[i]));
  return ma * mb * k < 2 ** 53;
}

/**
 * Integer matmul of contiguous `a`, `b` with int64 wrap-around (two's
 * complement, as the CPU kernel's integer arithmetic), exactly: an int64
 * result beyond 2^53 too, a narrower one keeps its low bits.
 */
function matmulInt64(a: Tensor, b: Tensor, batch: number, m: number, k: number, n: number, out: Tensor): void {
  const av = int64Values(a), bv = int64Values(b);
  for (let p = 0; p < batch; p++) {
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let acc = 0n;
        for (let q = 0; q < k; q++) acc = BigInt.asIntN(64, acc + av[p * m * k + i * k + q] * bv[p * k * n + q * n + j]);
        storeInt(out, p * m * n + i * n + j, acc);
      }
    }
  }
}



/**
 * The signed zero a whole-tensor min or max of float32/float64 `x` returns
 * when its result is zero and both +0 and -0 are candidates (`x.min()`,
 * `torch.max(x)` without `dim`). Other results are unique and need no order.
 *
 * ATen's min_all/max_all (native/cpu/ReduceAllOpsKernel.cpp, vec::reduce_all
 * in cpu/vec/functional_base.h) keep one Vectorized accumulator loaded from
 * the first lanes, fold every later full vector in lane by lane, fold the
 * tail as a partial vector into the first lanes, then reduce the lanes;
 * fewer elements than lanes reduce one after another. `minimum`/`maximum`
 * and the scalar min_impl return the second operand on a tie, so the later
 * element wins. Measured on torch 2.13 (x86-64) with random ±0/±1 vectors of
 * 1 to 140 elements (600 per dtype, min and max): float32 has 8 lanes reduced
 * by halving (lane l against lane l ^ h, h = 4, 2, 1: the AVX2
 * vec_reduce_all specialisation), float64 has 4 lanes reduced one after
 * another (the generic vec_reduce_all). Not modelled: parallel_reduce's
 * split over threads above 32,768 elements (it depends on the thread count).
 *
 * @param x a float32 or float64 tensor whose min/max is zero; any layout.
 * @returns +0 or -0.
 */
export function allReduceSignedZero(op: 'max' | 'min', x: Tensor): number {
  const v = contiguous(x).values();
  const lanes = x.dtype === 'float32' ? 8 : 4;
  const n = v.length;
  // a tie keeps the later operand b
  const pick = op === 'min' ? (a: number, b: number) => (a < b ? a : b) : (a: number, b: number) => (a > b ? a : b);
  let r: number;
  if (n < lanes) {
    r = v[0];
    for (let i = 1; i < n; i++) r = pick(r, v[i]);
    return r;
  }
  const acc = Array.from(v.subarray(0, lanes));
  const full = n - (n % lanes);
  for (let i = lanes; i < full; i += lanes) for (let l = 0; l < lanes; l++) acc[l] = pick(acc[l], v[i + l]);
  for (let i = full; i < n; i++) acc[i - full] = pick(acc[i - full], v[i]);
  if (lanes === 8) {
    let w = acc;
    for (let h = 4; h >= 1; h >>= 1) w = w.map((a, l) => pick(a, w[l ^ h]));
    return w[0];
  }
  r = acc[0];
  for (let l = 1; l < lanes; l++) r = pick(r, acc[l]);
  return r;
}
