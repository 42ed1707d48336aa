// Float32 reductions in the exact order PyTorch's CPU kernels use, so that
// sums and softmax rows round as they do there (a softmax row summing to
// 0.99999994 prints `1.0000`, not `1.`). Orders follow ATen's
// native/cpu/SumKernel.cpp (cascade sum, 4-way ILP, 8-lane AVX2 vectors)
// and vec::reduce_all in SoftMaxKernel.cpp.

import { sleefExpf, sleefLogf } from './sleef32';

const f = Math.fround;
const LANES = 8; // Vectorized<float>::size() with AVX2
const LANES16 = 16; // Vectorized<float>::size() with AVX512 (the softmax kernels' reduce_all)
const LANES64 = 4; // Vectorized<double>::size() with AVX2
const ILP = 4;
type Round = (x: number) => number;
const exact: Round = (x) => x;

/** multi_row_sum: a 4-level cascade over `size` rows of `width` accumulators, rounding each add with `f`. */
function cascade(size: number, width: number, load: (row: number, k: number) => number, f: Round = Math.fround): Float64Array {
  const levels = 4;
  const levelPower = Math.max(4, Math.floor(Math.ceil(Math.log2(Math.max(size, 2))) / levels));
  const levelStep = 1 << levelPower;
  const levelMask = levelStep - 1;
  const acc = Array.from({ length: levels }, () => new Float64Array(width));
  let i = 0;
  while (i + levelStep <= size) {
    for (let j = 0; j < levelStep; j++, i++) {
      for (let k = 0; k < width; k++) acc[0][k] = f(acc[0][k] + load(i, k));
    }
    for (let j = 1; j < levels; j++) {
      for (let k = 0; k < width; k++) {
        acc[j][k] = f(acc[j][k] + acc[j - 1][k]);
        acc[j - 1][k] = 0;
      }
      if ((i & (levelMask << (j * levelPower))) !== 0) break;
    }
  }
  for (; i < size; i++) for (let k = 0; k < width; k++) acc[0][k] = f(acc[0][k] + load(i, k));
  for (let j = 1; j < levels; j++) for (let k = 0; k < width; k++) acc[0][k] = f(acc[0][k] + acc[j][k]);
  return acc[0];
}

/** row_sum: ILP-4 partial sums over `size` elements, each `lanes` wide. */
function rowSum(size: number, lanes: number, load: (i: number, lane: number) => number, f: Round = Math.fround): Float64Array {
  const sizeIlp = Math.floor(size / ILP);
  const partial = cascade(sizeIlp, ILP * lanes, (row, k) => load(row * ILP + Math.floor(k / lanes), k % lanes), f);
  const out = new Float64Array(lanes);
  for (let l = 0; l < lanes; l++) out[l] = partial[l];
  for (let i = sizeIlp * ILP; i < size; i++) for (let l = 0; l < lanes; l++) out[l] = f(out[l] + load(i, l));
  for (let k = 1; k < ILP; k++) for (let l = 0; l < lanes; l++) out[l] = f(out[l] + partial[k * lanes + l]);
  return out;
}

/** Sum of a contiguous run in SumKernel's inner-reduction order, `lanes` wide, rounding each add with `f`. */
function innerSum(x: ArrayLike<number>, offset: number, size: number, lanes: number, f: Round): number {
  if (size < lanes) {
    return rowSum(size, 1, (i) => x[offset + i], f)[0];
  }
  const vecCount = Math.floor(size / lanes);
  const vec = rowSum(vecCount, lanes, (i, lane) => x[offset + i * lanes + lane], f);
  let acc = 0;
  for (let k = vecCount * lanes; k < size; k++) acc = f(acc + x[offset + k]);
  for (let l = 0; l < lanes; l++) acc = f(acc + vec[l]);
  return acc;
}

/** Sum of a contiguous float32 run (SumKernel's inner reduction). */
export function innerSum32(x: ArrayLike<number>, offset: number, size: number): number {
  return innerSum(x, offset, size, LANES, f);
}

/** Sum of a contiguous float64 run: the same cascade with 4-lane double vectors, so rounding matches. */
export function innerSum64(x: ArrayLike<number>, offset: number, size: number): number {
  return innerSum(x, offset, size, LANES64, exact);
}

/**
 * Sum down column `offset % stride` of a [size, stride] block (SumKernel's
 * vectorized_outer_sum, from one vector of columns): columns in whole groups of 4 vectors run
 * multi_row_sum, a cascade per column; the columns left over run row_sum,
 * 4 interleaved partial sums down the column (measured: a float32
 * x.sum(0) of shape (5, 20) sums ((r0 + r4) + r1 + r2) + r3 per column).
 */
function outerSum(x: ArrayLike<number>, offset: number, size: number, stride: number, lanes: number, f: Round): number {
  const load = (i: number) => x[offset + i * stride];
  const grouped = Math.floor(stride / (ILP * lanes)) * ILP * lanes;
  // under one vector of columns the reduction is not vectorised (scalar_outer_sum): columns in
  // whole groups of 4 run a cascade each (multi_row_sum), the 1..3 left over run row_sum
  if (stride < lanes) return offset % stride < stride - (stride % ILP) ? cascade(size, 1, load, f)[0] : rowSum(size, 1, load, f)[0];
  if (offset % stride < grouped) return cascade(size, 1, load, f)[0];
  return rowSum(size, 1, load, f)[0];
}

/** Sum down a strided float32 column (SumKernel's outer reduction). */
export function outerSum32(x: ArrayLike<number>, offset: number, size: number, stride: number): number {
  return outerSum(x, offset, size, stride, LANES, f);
}

/** outerSum32 for float64 (4-lane double vectors). */
export function outerSum64(x: ArrayLike<number>, offset: number, size: number, stride: number): number {
  return outerSum(x, offset, size, stride, LANES64, exact);
}

/**
 * vec::reduce_all(+) / map_reduce_all(+) over `size` float32 values
 * produced by `value(i)` (ATen/cpu/vec/functional_base.h), `lanes` wide:
 * under `lanes` values they are added in order; otherwise lane sums start
 * from the first `lanes` values and add each next `lanes`, a tail of
 * r < lanes values goes into lanes 0..r-1 (Vec::set), and `fold` combines
 * the lane sums (vec_reduce_all).
 */
function reduceAllSum(size: number, lanes: number, value: (i: number) => number, fold: (acc: Float64Array) => number): number {
  if (size < lanes) {
    let acc = value(0);
    for (let i = 1; i < size; i++) acc = f(acc + value(i));
    return acc;
  }
  const acc = new Float64Array(lanes);
  for (let l = 0; l < lanes; l++) acc[l] = value(l);
  let d = lanes;
  for (; d < size - (size % lanes); d += lanes) for (let l = 0; l < lanes; l++) acc[l] = f(acc[l] + value(d + l));
  for (let l = 0; d + l < size; l++) acc[l] = f(acc[l] + value(d + l));
  return fold(acc);
}

/** Lane sums added in lane order. */
function sequentialFold(acc: Float64Array): number {
  let out = acc[0];
  for (let l = 1; l < acc.length; l++) out = f(out + acc[l]);
  return out;
}

/** vec::reduce_all(+) over 8 lanes added in order (the reduced-precision log_softmax path's order). */
export function reduceAllSum32(size: number, value: (i: number) => number): number {
  return reduceAllSum(size, LANES, value, sequentialFold);
}

/**
 * vec::reduce_all(+) / map_reduce_all(+) as ATen's AVX512 build orders it
 * for float32: 16 lanes (Vectorized<float>::size() with AVX512), folded as
 * a tree (VecReduceAllSIMD's _mm512 shuffles): lane i += lane i ^ 8, then
 * i ^ 4, i ^ 2, i ^ 1, and lane 0 is the sum. (An AVX2 build of torch folds
 * 8 lanes the same way, so its last bits can differ: not modelled.)
 */
export function reduceAllSum16(size: number, value: (i: number) => number): number {
  return reduceAllSum(size, LANES16, value, treeFold);
}

/** vec_reduce_all's tree over the lane sums (their count a power of two), lane 0 of the result. */
function treeFold(acc: Float64Array): number {
  for (let h = acc.length >> 1; h >= 1; h >>= 1) {
    // every lane takes lane ^ h; lanes below h are all that later steps read
    for (let l = 0; l < h; l++) acc[l] = f(acc[l] + acc[l + h]);
  }
  return acc[0];
}

/**
 * _vec_softmax_lastdim / _vec_log_softmax_lastdim for one float32 row, as
 * ATen 2.x computes it on x86-64 with AVX512 (native/cpu/SoftMaxKernel.cpp):
 * max = reduce_all(maximum) (NaN propagates); softmax: out = exp(x - max),
 * sum = reduce_all(+) over out, out *= 1 / sum; log_softmax: sum =
 * map_reduce_all(exp(x - max), +), out = (x - max) - log(sum). exp and log
 * are Sleef's expf/logf u10 with FMA (sleef32.ts), the sums in
 * reduceAllSum16's order. `exp` and `log` default to those; tests pass the
 * wasm kernels' exp to check that those keep this order bit for bit.
 */
export function softmaxRow32(
  x: ArrayLike<number>,
  o: number,
  cols: number,
  out: { [i: number]: number },
  log: boolean,
  exp: (v: number) => number = sleefExpf,
): void {
  let max = -Infinity;
  for (let c = 0; c < cols; c++) if (x[o + c] > max || Number.isNaN(x[o + c])) max = x[o + c];
  if (log) {
    const sum = reduceAllSum16(cols, (i) => exp(f(x[o + i] - max)));
    const lse = sleefLogf(sum);
    for (let c = 0; c < cols; c++) out[o + c] = f(f(x[o + c] - max) - lse);
    return;
  }
  for (let c = 0; c < cols; c++) out[o + c] = exp(f(x[o + c] - max));
  const sum = reduceAllSum16(cols, (i) => out[o + i]);
  const inv = f(1 / sum);
  for (let c = 0; c < cols; c++) out[o + c] = f(out[o + c] * inv);
}

/**
 * ATen's _vec_softmax / _vec_logsoftmax (native/cpu/SoftMaxKernel.cpp):
 * softmax or log_softmax of contiguous float32 [outer, size, inner] along
 * the middle dim (a dim that is not the last), into `out` (same layout).
 * Each column j of inner runs down the dim on its own: the sum starts at 0
 * and adds in order. Columns in whole vectors of 16 (j < inner - inner % 16)
 * run Vectorized<float>: Sleef's exp, vec::maximum (NaN propagates); the
 * rest run ATen's scalar loop: std::exp (glibc's expf, about correctly
 * rounded: Math.exp rounded here) and std::max (a NaN after the first
 * element is skipped; the row still comes out NaN through its exp).
 * softmax divides by the sum (no reciprocal); log_softmax takes the max
 * with `>` (NaN skipped), log(sum) by Sleef's logf for every column, and
 * out = (x - max) - log(sum). These are the bits of torch running on one
 * thread (torch.set_num_threads(1)): its softmax kernel splits the
 * outer * inner columns evenly across all its threads (parallel_for with
 * grain 0), and columns that do not fill a vector of 16 before their
 * thread's share ends run the scalar loop, so with more threads some
 * columns take std::exp instead of Sleef's exp (a last-bit difference in
 * some outputs; the thread count is the user's, not modelled).
 * log_softmax splits whole chunks of columns, so it is not affected.
 */
export function softmaxInner32(x: ArrayLike<number>, outer: number, size: number, inner: number, out: { [i: number]: number }, log: boolean): void {
  const vec = inner - (inner % LANES16);
  const libmExp = (v: number) => f(Math.exp(v));
  for (let o = 0; o < outer; o++) {
    const base = o * size * inner;
    for (let j = 0; j < inner; j++) {
      const p = base + j;
      const vectorised = j < vec;
      const exp = vectorised ? sleefExpf : libmExp;
      let max: number;
      if (log) {
        max = -Infinity;
        for (let d = 0; d < size; d++) if (x[p + d * inner] > max) max = x[p + d * inner];
      } else {
        max = x[p];
        for (let d = 1; d < size; d++) {
          const v = x[p + d * inner];
          if (vectorised ? v > max || Number.isNaN(v) : max < v) max = v;
        }
      }
      let sum = 0;
      for (let d = 0; d < size; d++) {
        const e = exp(f(x[p + d * inner] - max));
        if (!log) out[p + d * inner] = e;
        sum = f(sum + e);
      }
      if (log) {
        const lse = sleefLogf(sum);
        for (let d = 0; d < size; d++) out[p + d * inner] = f(f(x[p + d * inner] - max) - lse);
      } else {
        for (let d = 0; d < size; d++) out[p + d * inner] = f(out[p + d * inner] / sum);
      }
    }
  }
}
