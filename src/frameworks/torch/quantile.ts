// Order statistics and interpolation: torch.median / nanmedian (with and
// without a dim), torch.quantile / nanquantile and torch.lerp. Users reach for
// them beside masks to pick a length cut-off (the median or 95th percentile of
// the sequence lengths) or a score threshold. Semantics follow ATen's CPU
// kernels in native/Sorting.cpp (median_impl, median_with_indices_impl,
// quantile_compute) and native/cpu/LerpKernel.cpp.

import { isFloating } from '../../engine/dtype';
import { EngineError, runtimeError } from '../../engine/errors';
import { assignInto, broadcastShapes, cast, contiguous, full, scalarTypeName } from '../../engine/ops/core';
import { expand, normalizeDim, reshape, transpose } from '../../engine/ops/shape';
import { fma32, fma64, roundHalfEven } from '../../engine/random/float_math';
import { Tensor } from '../../engine/tensor';
import { bind, toBool, toFloat, toInt } from '../../python/args';
import { pyError } from '../../python/exceptions';
import { CallContext, Kwargs, PyNamedTuple, PyValue } from '../../python/values';
import { ArrayValue } from '../common';
import { TorchTensor, reorderAlong, track } from './tensor';

type Method = (self: TorchTensor, args: PyValue[], kw: Kwargs, ctx: CallContext) => PyValue;

/** NaN-last ascending order with ties broken by position: the order median_with_indices_impl's comparator defines. */
const byValueThenIndex = (v: ArrayLike<number>) => (i: number, j: number) => {
  const a = v[i], b = v[j];
  const an = Number.isNaN(a), bn = Number.isNaN(b);
  if (an !== bn) return an ? 1 : -1;
  return an ? i - j : a < b ? -1 : a > b ? 1 : i - j;
};

/**
 * libstdc++'s std::nth_element (introselect: median-of-three pivot, unguarded
 * partition, insertion sort under four elements) on `idx` with a comparator
 * under which every element is equivalent: the position it leaves at `nth`.
 * ATen's nanmedian compares NaNs as equivalent, so an all-NaN row's index is
 * whatever this leaves there (0 for rows of up to three).
 */
function nthOfEquivalent(n: number, nth: number): number {
  const idx = Array.from({ length: n }, (_, i) => i);
  const swap = (p: number, q: number) => ([idx[p], idx[q]] = [idx[q], idx[p]]);
  let first = 0, last = n;
  while (last - first > 3) {
    // __move_median_to_first(first, first + 1, mid, last - 1): with no element less than another, the mid one
    swap(first, first + Math.floor((last - first) / 2));
    // __unguarded_partition(first + 1, last, pivot = first): every pair swaps until the ends cross
    let lo = first + 1, hi = last;
    for (;;) {
      hi--;
      if (!(lo < hi)) break;
      swap(lo, hi);
      lo++;
    }
    if (lo <= nth) first = lo;
    else last = lo;
  }
  // __insertion_sort moves nothing when no element is less than another
  return idx[nth];
}

/** The input's rows along `dim` (moved last, contiguous) as numbers, with their count and length. */
function rowsAlong(x: Tensor, dim: number): { v: ArrayLike<number>; rows: number; n: number; moved: Tensor } {
  const moved = contiguous(transpose(x, dim, x.ndim - 1));
  const n = moved.shape[moved.ndim - 1];
  return { v: moved.values() as ArrayLike<number>, rows: n === 0 ? 0 : moved.numel / n, n, moved };
}

/** Where a row's lower median lies (median_with_indices_impl, below): its position in the row. */
function medianAt(row: ArrayLike<number>, ignoreNan: boolean): number {
  const n = row.length;
  let nans = 0, firstNan = -1;
  for (let i = 0; i < n; i++) {
    if (!Number.isNaN(row[i])) continue;
    nans++;
    if (firstNan < 0) firstNan = i;
  }
  if (!ignoreNan && firstNan >= 0) return firstNan;
  if (nans === n) return nthOfEquivalent(n, 0);
  const order = Array.from({ length: n }, (_, i) => i).sort(byValueThenIndex(row));
  return order[Math.trunc((n - (ignoreNan ? nans : 0) - 1) / 2)];
}

/**
 * torch.median(input, dim, keepdim) / nanmedian: values and int64 indices of each row's
 * lower median. median: the first NaN of a row that has one. Otherwise the element of rank
 * (n-1)/2 (nanmedian: (n - NaNs - 1)/2, truncated toward zero) in ascending order with ties
 * broken by position, as ATen's nth_element comparator orders them; an all-NaN row under
 * nanmedian gives NaN at the position nth_element leaves. IndexError for a dim of size 0.
 * Source: median_with_indices_impl.
 */
function medianDim(x: Tensor, dim: number, keepdim: boolean, ignoreNan: boolean): { values: Tensor; indices: Tensor } {
  if (x.dtype === 'bool') throw new EngineError('NotImplementedError', `"median_out" not implemented for 'Bool'`);
  const d = normalizeDim(dim, x.ndim);
  const xs = x.ndim === 0 ? reshape(x, [1]) : x;
  if (xs.shape[d] === 0) throw new EngineError('IndexError', `${ignoreNan ? 'nanmedian' : 'median'}(): Expected reduction dim ${d} to have non-zero size.`);
  const { values, indices } = reorderAlong(xs, d, 1, (row) => [medianAt(row, ignoreNan)]);
  const drop = (t: Tensor) => (keepdim && x.ndim > 0 ? t : reshape(t, x.shape.filter((_, i) => i !== d)));
  return { values: drop(values), indices: drop(indices) };
}

/**
 * torch.median(input) / torch.nanmedian(input): medianDim's value over all elements
 * (median_impl picks the same element), NaN for an empty float input. Bool inputs are
 * ATen's NotImplementedError.
 */
function medianAll(x: Tensor, ignoreNan: boolean): Tensor {
  if (x.dtype === 'bool') throw new EngineError('NotImplementedError', `"median_cpu" not implemented for 'Bool'`);
  if (x.numel === 0) {
    if (!isFloating(x.dtype)) throw runtimeError('median() input tensor cannot be empty');
    return full([], NaN, x.dtype);
  }
  return reshape(medianDim(reshape(contiguous(x), [x.numel]), 0, false, ignoreNan).values, []);
}

const INTERPOLATIONS = ['linear', 'lower', 'higher', 'midpoint', 'nearest'] as const;
type Interpolation = (typeof INTERPOLATIONS)[number];

/**
 * ATen's lerp of one element in the dtype's opmath: start + weight * (end - start) where
 * |weight| < 0.5, else end + (weight - 1) * (end - start), each a fused multiply-add (the
 * vectorized kernel's fmadd; the scalar path contracts to the same). float32 or float64.
 */
function lerpOne(start: number, end: number, weight: number, double: boolean): number {
  const diff = double ? end - start : Math.fround(end - start);
  const fma = double ? fma64 : fma32;
  return Math.abs(weight) < 0.5 ? fma(weight, diff, start) : fma(double ? weight - 1 : Math.fround(weight - 1), diff, end);
}

/**
 * torch.quantile / nanquantile(input, q, dim=None, keepdim=False, *, interpolation='linear'):
 * q (a float, or a 0-d / 1-d tensor of input's dtype) in [0, 1]; the result has q's length
 * in front of the reduced shape (none for a scalar or 0-d q). Ranks are q * (n - 1) in the
 * input's dtype (nanquantile: n counts the non-NaN values, a negative rank clamps to 0;
 * quantile: a row holding NaN takes the last rank, so NaN), floored / ceiled / rounded half
 * to even for lower / higher / nearest; linear and midpoint lerp the two neighbours with
 * weight rank - floor(rank) or 0.5. Errors are ATen's RuntimeErrors. Source: quantile_compute.
 */
function quantileOf(x: Tensor, q: Tensor, dim: number | null, keepdim: boolean, interpolation: Interpolation, ignoreNan: boolean): Tensor {
  const fn = ignoreNan ? 'nanquantile' : 'quantile';
  if (x.numel === 0) throw runtimeError(`${fn}() input tensor must be non-empty`);
  if (q.ndim > 1) throw runtimeError(`${fn}() q must be a scalar or 1D tensor`);
  if (x.dtype !== 'float32' && x.dtype !== 'float64') throw runtimeError(`${fn}() input tensor must be either float or double dtype`);
  if (q.dtype !== x.dtype) throw runtimeError(`${fn}() q tensor must be same dtype as the input tensor`);
  const qs = Array.from(contiguous(q).values() as ArrayLike<number>);
  if (!qs.every((p) => p >= 0 && p <= 1)) throw runtimeError(`${fn}() q values must be in the range [0, 1]`);
  const d = dim === null ? 0 : normalizeDim(dim, x.ndim);
  const src = dim === null ? reshape(contiguous(x), [x.numel]) : x.ndim === 0 ? reshape(x, [1]) : x;
  if (src.shape[dim === null ? 0 : d] > 2 ** 24) throw runtimeError(`${fn}() input tensor is too large`);
  const { v, rows, n, moved } = rowsAlong(src, dim === null ? 0 : d);
  const double = x.dtype === 'float64';
  const round = double ? (a: number) => a : Math.fround;
  const out = Tensor.empty(x.dtype, [qs.length, rows]);
  for (let r = 0; r < rows; r++) {
    const row = (Array.prototype.slice.call(v, r * n, (r + 1) * n) as number[]).sort((a, b) => (Number.isNaN(a) ? (Number.isNaN(b) ? 0 : 1) : Number.isNaN(b) ? -1 : a - b));
    const valid = row.filter((a) => !Number.isNaN(a)).length;
    qs.forEach((p, i) => {
      let rank = ignoreNan ? Math.max(round(p * (valid - 1)), 0) : valid < n ? n - 1 : round(p * (n - 1));
      if (interpolation === 'lower') rank = Math.floor(rank);
      else if (interpolation === 'higher') rank = Math.ceil(rank);
      else if (interpolation === 'nearest') rank = roundHalfEven(rank);
      const below = Math.trunc(rank);
      let value = row[below];
      if (interpolation === 'linear' || interpolation === 'midpoint') {
        const weight = interpolation === 'midpoint' ? 0.5 : round(rank - below);
        value = lerpOne(value, row[Math.ceil(rank)], weight, double);
      }
      out.storage.data[i * rows + r] = value;
    });
  }
  // [q, rows] back to [q, ...reduced shape] (keepdim: the reduced dim as 1; no dim: every dim as 1)
  const reduced = dim === null ? (keepdim ? x.shape.map(() => 1) : []) : keepdim ? x.shape.map((s, i) => (i === d ? 1 : s)) : x.shape.filter((_, i) => i !== d);
  const lead = dim === null ? [] : moved.shape.slice(0, -1);
  let res = reshape(out, [qs.length, ...lead]);
  if (dim !== null && x.ndim > 0) {
    // the rows came out with dim moved last: move it back as a size-1 dim, then drop or keep it
    res = contiguous(transpose(reshape(res, [qs.length, ...lead, 1]), d + 1, x.ndim));
  }
  return reshape(contiguous(res), q.ndim === 0 ? reduced : [qs.length, ...reduced]);
}

/** The q argument: a Python number becomes a 0-d tensor of the input's dtype (after ATen's range check). */
function qArg(v: PyValue | undefined, x: Tensor, fn: string): Tensor {
  if (v instanceof ArrayValue) return v.t;
  const p = toFloat(v ?? null, 'q');
  if (!(p >= 0 && p <= 1)) throw runtimeError(`${fn}() q must be in the range [0, 1] but got ${p}`);
  const t = Tensor.empty(isFloating(x.dtype) ? x.dtype : 'float32', []);
  t.storage.data[0] = x.dtype === 'float64' ? p : Math.fround(p);
  return t;
}

function median(ignoreNan: boolean): Method {
  const name = ignoreNan ? 'nanmedian' : 'median';
  return (self, args, kw, ctx) => {
    const a = bind(name, args, kw, ['dim?', 'keepdim?']);
    if (a.dim === undefined || a.dim === null) return track(new TorchTensor(medianAll(self.t, ignoreNan)), name, self);
    const { values, indices } = medianDim(self.t, toInt(a.dim, 'dim'), toBool(a.keepdim, ctx), ignoreNan);
    return new PyNamedTuple([track(new TorchTensor(values), `${name}.dim`, self), new TorchTensor(indices)], `torch.return_types.${name}`, ['values', 'indices']);
  };
}

function quantile(ignoreNan: boolean): Method {
  const name = ignoreNan ? 'nanquantile' : 'quantile';
  return (self, args, kw, ctx) => {
    const a = bind(name, args, kw, ['q', 'dim?', 'keepdim?', 'interpolation?', 'out?']);
    const interpolation = a.interpolation === undefined ? 'linear' : String(a.interpolation);
    const q = qArg(a.q, self.t, name);
    if (!(INTERPOLATIONS as readonly string[]).includes(interpolation)) {
      throw runtimeError(`${name}() interpolation must be one of linear, lower, higher, midpoint or nearest, but got ${interpolation}`);
    }
    const dim = a.dim === undefined || a.dim === null ? null : toInt(a.dim, 'dim');
    const r = quantileOf(self.t, q, dim, toBool(a.keepdim, ctx), interpolation as Interpolation, ignoreNan);
    return track(new TorchTensor(r), 'quantile', self);
  };
}

/**
 * torch.lerp(input, end, weight): input + weight * (end - input) elementwise (lerpOne), weight
 * a number or a tensor; input and end must share a float dtype, as ATen's lerp requires.
 */
function lerp(inplace: boolean): Method {
  return (self, args, kw) => {
    const a = bind(inplace ? 'lerp_' : 'lerp', args, kw, ['end', 'weight']);
    if (!(a.end instanceof ArrayValue)) throw pyError('TypeError', `lerp(): argument 'end' (position 1) must be Tensor, not ${typeof a.end === 'number' ? 'float' : 'int'}`);
    const end = a.end.t, x = self.t;
    if (end.dtype !== x.dtype) throw runtimeError(`expected dtype ${scalarTypeName(x.dtype)} for \`end\`, but got dtype ${scalarTypeName(end.dtype)}`);
    if (x.dtype !== 'float32' && x.dtype !== 'float64') throw new EngineError('NotImplementedError', `"lerp_kernel_scalar" not implemented for '${scalarTypeName(x.dtype)}'`);
    const w = a.weight instanceof ArrayValue ? a.weight.t : null;
    const xe = broadcastShapes(x.shape, end.shape);
    const shape = w ? broadcastShapes(xe, w.shape) : xe;
    if (inplace && (shape.length !== x.ndim || shape.some((s, i) => s !== x.shape[i]))) {
      throw runtimeError(`output with shape [${x.shape.join(', ')}] doesn't match the broadcast shape [${shape.join(', ')}]`);
    }
    const double = x.dtype === 'float64';
    const xs = valuesAs(x, shape), es = valuesAs(end, shape);
    const ws = w ? valuesAs(cast(w, x.dtype), shape) : null;
    const scalar = w ? 0 : toFloat(a.weight ?? null, 'weight');
    const out = Tensor.empty(x.dtype, shape);
    for (let i = 0; i < out.numel; i++) out.storage.data[i] = lerpOne(xs[i], es[i], ws ? ws[i] : double ? scalar : Math.fround(scalar), double);
    if (inplace) {
      assignInto(self.t, out);
      return track(self, w ? 'lerp.tensor' : 'lerp', self, a.end, a.weight ?? null);
    }
    return track(new TorchTensor(out), w ? 'lerp.tensor' : 'lerp', self, a.end, a.weight ?? null);
  };
}

/** A tensor's values broadcast to `shape`, row-major. */
function valuesAs(t: Tensor, shape: number[]): ArrayLike<number> {
  return contiguous(expand(t, shape)).values() as ArrayLike<number>;
}

/** Tensor methods (and, through module.ts, torch functions) of this file. */
export const QUANTILE_METHODS: Record<string, Method> = {
  median: median(false),
  nanmedian: median(true),
  quantile: quantile(false),
  nanquantile: quantile(true),
  lerp: lerp(false),
  lerp_: lerp(true),
};
