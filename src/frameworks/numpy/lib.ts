// NumPy functions real data-collator, mask-generator and tutorial files call
// that index.ts and functions.ts do not: shape helpers (empty_like, shape,
// atleast_Nd, fliplr/flipud/rot90), searching and set routines (searchsorted,
// bincount, digitize, setdiff1d, ..., select, choose), nan-reductions and
// statistics (median, percentile, quantile, average, ptp), more ufuncs and
// products (arctan2, hypot, log2, tensordot, kron, interp, convolve, ...).
// Each follows NumPy 2.4's numpy/_core (fromnumeric.py, numeric.py,
// shape_base.py) and numpy/lib (_function_base_impl.py, _arraysetops_impl.py,
// _nanfunctions_impl.py, _twodim_base_impl.py), with NumPy's error wording.

import { DType, isFloating } from '../../engine/dtype';
import { binary, cast, contiguous, scalarTensor, unary, where } from '../../engine/ops/core';
import { reduce } from '../../engine/ops/reduce';
import { cat, expand, flip, permute, reshape, select } from '../../engine/ops/shape';
import { roundHalfEven } from '../../engine/random/float_math';
import { Tensor } from '../../engine/tensor';
import { bind, toBool, toFloat, toInt } from '../../python/args';
import { pyError } from '../../python/exceptions';
import { repr } from '../../python/protocols';
import { CallContext, NativeFn, PyList, PyTuple, PyValue } from '../../python/values';
import { ArrayValue } from '../common';
import { axesArg, normAxis, npMean, npSum } from './functions';
import { NumpyArray, linspaceValues, npBinary, npBroadcast, npDot, npDtype, npMatmul, npPromote, npResult, pyTuple, toNumpyTensor, unique } from './index';

const arr = (t: Tensor) => new NumpyArray(t);

/** A shape argument: an int or a sequence of ints. */
function shapeArg(v: PyValue, ctx: CallContext): number[] {
  return typeof v === 'bigint' ? [Number(v)] : ctx.iterate(v).map((x) => toInt(x, 'shape'));
}

/** np.atleast_1d/2d/3d of one array: views with size-1 axes added as NumPy places them. */
function atLeast(t: Tensor, n: 1 | 2 | 3): Tensor {
  if (t.ndim >= n) return t;
  if (n === 1) return reshape(t, [1]);
  if (n === 2) return reshape(t, t.ndim === 0 ? [1, 1] : [1, t.shape[0]]);
  // 3-D: a scalar is (1,1,1), (N,) is (1,N,1), (M,N) is (M,N,1)
  return reshape(t, t.ndim === 0 ? [1, 1, 1] : t.ndim === 1 ? [1, t.shape[0], 1] : [...t.shape, 1]);
}

/**
 * np.rot90(m, k=1, axes=(0, 1)) as _function_base_impl.rot90: k taken mod 4; k=2 flips both
 * axes, k=1 flips axes[1] then swaps the two, k=3 swaps then flips axes[1]. Bad axes are
 * NumPy's ValueErrors.
 */
function rot90(t: Tensor, k: number, axes: number[]): Tensor {
  if (axes.length !== 2) throw pyError('ValueError', 'len(axes) must be 2.');
  const [a0, a1] = axes;
  if (a0 === a1 || Math.abs(a0 - a1) === t.ndim) throw pyError('ValueError', 'Axes must be different.');
  if (a0 >= t.ndim || a0 < -t.ndim || a1 >= t.ndim || a1 < -t.ndim) {
    throw pyError('ValueError', `Axes=(${a0}, ${a1}) out of range for array of ndim=${t.ndim}.`);
  }
  const p = a0 < 0 ? a0 + t.ndim : a0, q = a1 < 0 ? a1 + t.ndim : a1;
  k = ((k % 4) + 4) % 4;
  if (k === 0) return t;
  if (k === 2) return flip(flip(t, [p]), [q]);
  const order = t.shape.map((_, i) => (i === p ? q : i === q ? p : i));
  return k === 1 ? permute(flip(t, [q]), order) : flip(permute(t, order), [q]);
}

/** NumPy's sort order of numbers: NaN after everything, equal to itself. */
function lessNanLast(x: number, y: number): boolean {
  return Number.isNaN(y) ? !Number.isNaN(x) : x < y;
}

/**
 * np.searchsorted(a, v, side='left', sorter=None): for each v the index where it would be
 * inserted into the sorted 1-D `a` (sorter: the order that sorts a) to keep it sorted; 'left'
 * before equal values, 'right' after, NaN sorting last (binsearch.cpp). int64, v's shape.
 */
function searchsorted(a: Tensor, v: Tensor, side: string, sorter?: Tensor): Tensor {
  if (side !== 'left' && side !== 'right') throw pyError('ValueError', `search side must be 'left' or 'right' (got '${side}')`);
  if (a.ndim !== 1) throw pyError('ValueError', 'object too deep for desired array');
  let keys = Array.from(contiguous(a).values());
  if (sorter) {
    const order = Array.from(contiguous(sorter).values());
    if (order.length !== keys.length) throw pyError('ValueError', 'sorter.size must equal a.size');
    if (order.some((i) => i < 0 || i >= keys.length)) throw pyError('ValueError', 'Sorter index out of range.');
    keys = order.map((i) => keys[i]);
  }
  const out = Tensor.empty('int64', v.shape);
  const vals = contiguous(v).values();
  for (let i = 0; i < vals.length; i++) {
    const x = vals[i];
    let lo = 0, hi = keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      // left: the first key not below x; right: the first key above x
      if (side === 'left' ? lessNanLast(keys[mid], x) : !lessNanLast(x, keys[mid])) lo = mid + 1;
      else hi = mid;
    }
    out.storage.data[i] = lo;
  }
  return out;
}

/** A 1-D array from numbers, of dtype d. */
function vector(d: DType, data: ArrayLike<number>): Tensor {
  const t = Tensor.empty(d, [data.length]);
  t.storage.data.set(Array.from(data));
  return t;
}

/** np.unique's sorted distinct values of an array (flattened). */
function uniq(t: Tensor): Tensor {
  return (unique(t, false, false, false) as NumpyArray).t;
}

/** Two arrays flattened and joined in their NumPy promotion (np.concatenate's dtype). */
function joined(a: Tensor, b: Tensor): Tensor {
  const d = npPromote(a.dtype, b.dtype);
  return cat([cast(reshape(a, [-1]), d), cast(reshape(b, [-1]), d)], 0);
}

/** A stable sort of a 1-D array's values, NaN last (intersect1d / setxor1d sort their concatenation). */
function sortedValues(t: Tensor): number[] {
  return sortLane(Array.from(contiguous(t).values()));
}

/**
 * One value per lane of t over `axes` (null: all): the reduced axes moved last and
 * flattened, `f` applied to each lane's values; the result has t's other axes (the reduced
 * ones kept as 1 with keepdims), of dtype `d`.
 */
function laneReduce(t: Tensor, axes: number[] | null, keepdims: boolean, d: DType, f: (lane: number[]) => number): Tensor {
  const rd = axes ?? t.shape.map((_, i) => i);
  const kept = t.shape.map((_, i) => i).filter((i) => !rd.includes(i));
  const v = contiguous(permute(t, [...kept, ...rd])).values();
  const n = rd.reduce((p, i) => p * t.shape[i], 1);
  const outShape = keepdims ? t.shape.map((s, i) => (rd.includes(i) ? 1 : s)) : kept.map((i) => t.shape[i]);
  const out = Tensor.empty(d, outShape);
  for (let r = 0; r < out.numel; r++) out.storage.data[r] = f(Array.from(v.subarray(r * n, r * n + n)));
  return out;
}

/** A float array with NaN replaced by `fill` (nansum, nanargmax, ... as _replace_nan). */
function replaceNan(t: Tensor, fill: number): Tensor {
  return where(unary('isnan', t, 'bool'), scalarTensor(fill, t.dtype), t);
}

/** Sorted copy of a lane, NaN last. */
function sortLane(lane: number[]): number[] {
  return lane.sort((x, y) => (lessNanLast(x, y) ? -1 : lessNanLast(y, x) ? 1 : 0));
}

/** np.quantile's methods (_function_base_impl._QuantileMethods), in NumPy's order (its error lists them). */
const QUANTILE_METHODS = [
  'inverted_cdf', 'averaged_inverted_cdf', 'closest_observation', 'interpolated_inverted_cdf', 'hazen', 'weibull',
  'linear', 'median_unbiased', 'normal_unbiased', 'lower', 'higher', 'midpoint', 'nearest',
] as const;
type QuantileMethod = (typeof QUANTILE_METHODS)[number];
/** The methods that take an order statistic (NumPy's `take`: the result keeps the array's dtype). */
const DISCRETE_QUANTILE = new Set<QuantileMethod>(['inverted_cdf', 'closest_observation', 'lower', 'higher', 'nearest']);
/** Hyndman & Fan's (alpha, beta) of the continuous methods computed by _compute_virtual_index. */
const QUANTILE_ALPHA_BETA: Partial<Record<QuantileMethod, [number, number]>> = {
  interpolated_inverted_cdf: [0, 1], hazen: [0.5, 0.5], weibull: [0, 0], median_unbiased: [1 / 3, 1 / 3], normal_unbiased: [3 / 8, 3 / 8],
};

/**
 * The index of the order statistic a discrete method takes from a sorted lane of n
 * (_inverted_cdf, _closest_observation, floor/ceil/around of (n-1)*q), clipped at 0 as NumPy does.
 */
function discreteQuantileIndex(method: QuantileMethod, n: number, q: number): number {
  const boundary = (index: number, takePrevious: (gamma: number, index: number) => boolean) => {
    const previous = Math.floor(index);
    return Math.max(0, takePrevious(index - previous, index) ? previous : previous + 1);
  };
  switch (method) {
    case 'inverted_cdf': return boundary(n * q - 1, (g) => g === 0);
    // "the nearest even order statistic at g=0": odd zero-based indexes
    case 'closest_observation': return boundary(n * q - 1 - 0.5, (g, i) => g === 0 && Math.floor(i) % 2 === 1);
    case 'lower': return Math.floor((n - 1) * q);
    case 'higher': return Math.ceil((n - 1) * q);
    default: return roundHalfEven((n - 1) * q);
  }
}

/**
 * The quantile q (in [0, 1]) of one sorted lane (NaN last) by `method`, as
 * _function_base_impl._quantile: a discrete method takes one order statistic; a continuous one
 * computes a virtual index (linear: (n-1)*q; Hyndman & Fan's n*q + alpha + q*(1-alpha-beta) - 1;
 * averaged_inverted_cdf, midpoint), its floor and the next index (both the last at or past the
 * end, both the first below 0), gamma as the method fixes it, then _lerp: a + (b-a)*g, or
 * b - (b-a)*(1-g) where g >= 0.5. `roundIn` rounds b - a in the array's dtype, `round` the
 * later steps in the result's (float32 arrays with a Python-scalar q keep float32 throughout).
 * A lane holding NaN gives NaN; an empty lane NaN.
 */
function quantileOf(sorted: number[], q: number, method: QuantileMethod, round: (x: number) => number, roundIn: (x: number) => number = round): number {
  const n = sorted.length;
  if (n === 0 || Number.isNaN(sorted[n - 1])) return NaN;
  if (DISCRETE_QUANTILE.has(method)) return sorted[discreteQuantileIndex(method, n, q)];
  const ab = QUANTILE_ALPHA_BETA[method];
  const virtual = ab ? n * q + (ab[0] + q * (1 - ab[0] - ab[1])) - 1
    : method === 'averaged_inverted_cdf' ? n * q - 1
      : method === 'midpoint' ? 0.5 * (Math.floor((n - 1) * q) + Math.ceil((n - 1) * q))
        : (n - 1) * q;
  let prev = Math.floor(virtual), next = prev + 1;
  if (virtual >= n - 1) prev = next = -1;
  else if (virtual < 0) prev = next = 0;
  let g = virtual - prev;
  if (method === 'averaged_inverted_cdf') g = g === 0 ? 0.5 : 1;
  else if (method === 'midpoint') g = virtual % 1 === 0 ? 0 : 0.5;
  g = round(g);
  const at = (i: number) => sorted[i < 0 ? n + i : i];
  const a = at(prev), b = at(next);
  const diff = roundIn(b - a);
  return g >= 0.5 ? round(b - round(diff * round(1 - g))) : round(a + round(diff * g));
}

/** Registers this file's functions on the numpy module. */
export function defineLibFunctions(def: (name: string, f: NativeFn) => void): void {
  const t = (v: PyValue | undefined, ctx: CallContext) => toNumpyTensor(v ?? null, ctx);
  // np.empty_like(prototype, dtype=None, order='K', subok=True, shape=None): zero-filled here
  // (NumPy leaves the memory uninitialised, so any values are right)
  def('empty_like', (args, kw, ctx) => {
    const a = bind('empty_like', args, kw, ['prototype', 'dtype?', 'order?', 'subok?', 'shape?']);
    const p = t(a.prototype, ctx);
    const shape = a.shape === undefined || a.shape === null ? p.shape : shapeArg(a.shape, ctx);
    return arr(Tensor.empty(npDtype(a.dtype) ?? p.dtype, shape));
  });
  def('shape', (args, kw, ctx) => {
    const a = bind('shape', args, kw, ['a']);
    return new PyTuple(t(a.a, ctx).shape.map((s) => BigInt(s)));
  });
  def('ndim', (args, kw, ctx) => BigInt(t(bind('ndim', args, kw, ['a']).a, ctx).ndim));
  def('size', (args, kw, ctx) => {
    const a = bind('size', args, kw, ['a', 'axis?']);
    const x = t(a.a, ctx);
    if (a.axis === undefined || a.axis === null) return BigInt(x.numel);
    return BigInt(x.shape[normAxis(a.axis, x.ndim)]);
  });
  // np.ascontiguousarray(a, dtype=None): at least 1-D, a copy only where needed
  def('ascontiguousarray', (args, kw, ctx) => {
    const a = bind('ascontiguousarray', args, kw, ['a', 'dtype?', 'like?']);
    const d = npDtype(a.dtype);
    let x = t(a.a, ctx);
    if (d && d !== x.dtype) x = cast(x, d);
    x = atLeast(x, 1);
    return a.a instanceof NumpyArray && x === a.a.t && x.isContiguous() ? a.a : arr(contiguous(x));
  });
  // np.atleast_Nd(*arys): one array for one argument, a tuple of them for several
  for (const n of [1, 2, 3] as const) {
    const name = `atleast_${n}d`;
    def(name, (args, kw, ctx) => {
      bind(name, args, kw, ['*arys']);
      const out = args.map((v) => {
        const x = t(v, ctx);
        const r = atLeast(x, n);
        return v instanceof NumpyArray && r === x ? v : arr(r);
      });
      return out.length === 1 ? out[0] : new PyTuple(out);
    });
  }
  def('fliplr', (args, kw, ctx) => {
    const x = t(bind('fliplr', args, kw, ['m']).m, ctx);
    if (x.ndim < 2) throw pyError('ValueError', 'Input must be >= 2-d.');
    return arr(flip(x, [1]));
  });
  def('flipud', (args, kw, ctx) => {
    const x = t(bind('flipud', args, kw, ['m']).m, ctx);
    if (x.ndim < 1) throw pyError('ValueError', 'Input must be >= 1-d.');
    return arr(flip(x, [0]));
  });
  def('rot90', (args, kw, ctx) => {
    const a = bind('rot90', args, kw, ['m', 'k?', 'axes?']);
    const axes = a.axes === undefined ? [0, 1] : ctx.iterate(a.axes).map((x) => toInt(x, 'axes'));
    return arr(rot90(t(a.m, ctx), a.k === undefined ? 1 : toInt(a.k, 'k'), axes));
  });
  def('searchsorted', (args, kw, ctx) => {
    const a = bind('searchsorted', args, kw, ['a', 'v', 'side?', 'sorter?']);
    const side = a.side === undefined ? 'left' : String(a.side);
    const sorter = a.sorter === undefined || a.sorter === null ? undefined : t(a.sorter, ctx);
    return npResult(searchsorted(t(a.a, ctx), t(a.v, ctx), side, sorter));
  });
  // np.bincount(x, weights=None, minlength=0): counts (int64) or weight sums (float64, added
  // in order) of each non-negative int in the 1-D x (_compiled_base.c arr_bincount)
  def('bincount', (args, kw, ctx) => {
    const a = bind('bincount', args, kw, ['x', 'weights?', 'minlength?']);
    let x = t(a.x, ctx);
    // a nested list fails in its conversion to a 1-D array, an array in the depth check
    if (x.ndim > 1 && !(a.x instanceof ArrayValue)) {
      throw pyError('ValueError', 'setting an array element with a sequence. The requested array would exceed the maximum number of dimension of 1.');
    }
    if (x.ndim > 1) throw pyError('ValueError', 'object too deep for desired array');
    if (x.ndim === 0) throw pyError('ValueError', 'object of too small depth for desired array');
    if (isFloating(x.dtype)) {
      ctx.warn('DeprecationWarning: Non-integer input passed to bincount. In a future version of NumPy, this will be an error. (Deprecated NumPy 2.1)');
      x = cast(x, 'int64');
    }
    const minlength = a.minlength === undefined || a.minlength === null ? 0 : toInt(a.minlength, 'minlength');
    if (minlength < 0) throw pyError('ValueError', "'minlength' must not be negative");
    const xs = Array.from(contiguous(x).values());
    if (xs.some((k) => k < 0)) throw pyError('ValueError', "'list' argument must have no negative elements");
    const n = Math.max(minlength, xs.length ? Math.max(...xs) + 1 : 0);
    const w = a.weights === undefined || a.weights === null ? undefined : contiguous(cast(t(a.weights, ctx), 'float64')).values();
    if (w && w.length !== xs.length) throw pyError('ValueError', "The weights and list don't have the same length.");
    const out = Tensor.empty(w ? 'float64' : 'int64', [n]);
    xs.forEach((k, i) => (out.storage.data[k] += w ? w[i] : 1));
    return arr(out);
  });
  // np.digitize(x, bins, right=False): the bin index of each x, bins monotonic either way
  // (_function_base_impl.digitize, through searchsorted)
  def('digitize', (args, kw, ctx) => {
    const a = bind('digitize', args, kw, ['x', 'bins', 'right?']);
    const x = t(a.x, ctx), bins = t(a.bins, ctx);
    const right = toBool(a.right, ctx);
    if (bins.ndim !== 1) throw pyError('ValueError', 'object too deep for desired array');
    const b = Array.from(contiguous(bins).values());
    const up = b.every((v, i) => i === 0 || !lessNanLast(v, b[i - 1]));
    const down = b.every((v, i) => i === 0 || !lessNanLast(b[i - 1], v));
    if (!up && !down) throw pyError('ValueError', 'bins must be monotonically increasing or decreasing');
    const side = right ? 'left' : 'right';
    if (up) return npResult(searchsorted(bins, x, side));
    const r = searchsorted(vector(bins.dtype, b.reverse()), x, side);
    for (let i = 0; i < r.numel; i++) r.storage.data[i] = b.length - r.storage.data[i];
    return npResult(r);
  });
  def('union1d', (args, kw, ctx) => {
    const a = bind('union1d', args, kw, ['ar1', 'ar2']);
    return arr(uniq(joined(t(a.ar1, ctx), t(a.ar2, ctx))));
  });
  // np.setdiff1d(ar1, ar2, assume_unique=False): the unique values of ar1 not in ar2
  def('setdiff1d', (args, kw, ctx) => {
    const a = bind('setdiff1d', args, kw, ['ar1', 'ar2', 'assume_unique?']);
    const x = toBool(a.assume_unique, ctx) ? reshape(t(a.ar1, ctx), [-1]) : uniq(t(a.ar1, ctx));
    const drop = new Set(contiguous(t(a.ar2, ctx)).values());
    return arr(vector(x.dtype, Array.from(contiguous(x).values()).filter((v) => !drop.has(v))));
  });
  // np.intersect1d(ar1, ar2, assume_unique=False, return_indices=False): sorted common values;
  // with return_indices also where each first occurs in the flattened ar1 and ar2
  def('intersect1d', (args, kw, ctx) => {
    const a = bind('intersect1d', args, kw, ['ar1', 'ar2', 'assume_unique?', 'return_indices?']);
    const unique1 = !toBool(a.assume_unique, ctx);
    const x = reshape(t(a.ar1, ctx), [-1]), y = reshape(t(a.ar2, ctx), [-1]);
    const aux = sortedValues(joined(unique1 ? uniq(x) : x, unique1 ? uniq(y) : y));
    const common = aux.filter((v, i) => i > 0 && v === aux[i - 1]);
    const d = npPromote(x.dtype, y.dtype);
    if (!toBool(a.return_indices, ctx)) return arr(vector(d, common));
    const first = (src: Tensor) => {
      const v = Array.from(contiguous(src).values());
      return vector('int64', common.map((c) => v.indexOf(c)));
    };
    return new PyTuple([arr(vector(d, common)), arr(first(x)), arr(first(y))]);
  });
  // np.setxor1d(ar1, ar2, assume_unique=False): sorted values in exactly one of the two
  def('setxor1d', (args, kw, ctx) => {
    const a = bind('setxor1d', args, kw, ['ar1', 'ar2', 'assume_unique?']);
    const unique1 = !toBool(a.assume_unique, ctx);
    const x = t(a.ar1, ctx), y = t(a.ar2, ctx);
    const aux = sortedValues(joined(unique1 ? uniq(x) : x, unique1 ? uniq(y) : y));
    const kept = aux.filter((v, i) => (i === 0 || v !== aux[i - 1]) && (i === aux.length - 1 || v !== aux[i + 1]));
    return arr(vector(npPromote(x.dtype, y.dtype), kept));
  });
  // np.select(condlist, choicelist, default=0): from the first condition that holds, else
  // default; dtype the promotion of the choices with default (a Python scalar weak)
  def('select', (args, kw, ctx) => {
    const a = bind('select', args, kw, ['condlist', 'choicelist', 'default?']);
    const conds = ctx.iterate(a.condlist!), choices = ctx.iterate(a.choicelist!).map((c) => t(c, ctx));
    if (conds.length !== choices.length) throw pyError('ValueError', 'list of cases must be same length as list of conditions');
    if (conds.length === 0) throw pyError('ValueError', 'select with an empty condition list is not possible');
    const condTs = conds.map((c, i) => {
      const ct = t(c, ctx);
      if (ct.dtype !== 'bool') throw pyError('TypeError', `invalid entry ${i} in condlist: should be boolean ndarray`);
      return ct;
    });
    const def0 = a.default === undefined ? 0n : a.default;
    let d = choices.map((c) => c.dtype).reduce(npPromote);
    if (def0 instanceof ArrayValue) d = npPromote(d, def0.t.dtype);
    else if (typeof def0 === 'number' && !isFloating(d)) d = 'float64';
    const shape = npBroadcast([...condTs, ...choices].map((x) => x.shape), false);
    let r = expand(def0 instanceof ArrayValue ? cast(def0.t, d) : scalarTensor(Number(def0), d), shape);
    for (let i = conds.length - 1; i >= 0; i--) r = where(expand(condTs[i], shape), expand(cast(choices[i], d), shape), r);
    return arr(contiguous(r));
  });
  // np.choose(a, choices, out=None, mode='raise'): choices[a[i]][i], all broadcast together
  def('choose', (args, kw, ctx) => {
    const a = bind('choose', args, kw, ['a', 'choices', 'out?', 'mode?']);
    const mode = a.mode === undefined || a.mode === null ? 'raise' : String(a.mode);
    if (!['raise', 'wrap', 'clip'].includes(mode)) throw pyError('ValueError', `clipmode must be one of 'clip', 'raise', or 'wrap' (got '${mode}')`);
    const idx = t(a.a, ctx);
    const choices = a.choices instanceof ArrayValue ? [...Array(a.choices.t.shape[0]).keys()].map((i) => select((a.choices as ArrayValue).t, 0, i)) : ctx.iterate(a.choices!).map((c) => t(c, ctx));
    const d = choices.map((c) => c.dtype).reduce(npPromote);
    const shape = npBroadcast([...choices, idx].map((x) => x.shape), false);
    const iv = contiguous(expand(cast(idx, 'int64'), shape)).values();
    const cv = choices.map((c) => contiguous(expand(cast(c, d), shape)).values());
    const n = choices.length;
    const out = Tensor.empty(d, shape);
    for (let i = 0; i < iv.length; i++) {
      let k = iv[i];
      if (mode === 'wrap') k = ((k % n) + n) % n;
      else if (mode === 'clip') k = Math.min(Math.max(k, 0), n - 1);
      else if (k < 0 || k >= n) throw pyError('ValueError', 'invalid entry in choice array');
      out.storage.data[i] = cv[k][i];
    }
    return npResult(out);
  });
  defineStatistics(def);
  defineUfuncsAndProducts(def);
}

/** A float ufunc's loop dtype for an input dtype: ints and bools as the smallest float holding them (int8 -> float16, int64 -> float64). */
function floatLoop(d: DType): DType {
  return isFloating(d) ? d : npPromote(d, 'float16');
}

/** An elementwise float function of a tensor, computed in float64 and rounded to `d`. */
function mapFloat(x: Tensor, d: DType, f: (v: number) => number): Tensor {
  const v = contiguous(x).values();
  const out = Tensor.empty('float64', x.shape);
  for (let i = 0; i < v.length; i++) out.storage.data[i] = f(v[i]);
  return cast(out, d);
}

/**
 * The dtype NumPy gives two ufunc operands (NEP 50): arrays and NumPy scalars by their
 * dtypes, a Python int weak (the array's dtype), a Python float weak against float arrays
 * and float64 against ints.
 */
function operandsDtype(x: PyValue, y: PyValue, ctx: CallContext): [Tensor, Tensor, DType] {
  const weak = (v: PyValue) => typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean';
  const a = toNumpyTensor(x, ctx), b = toNumpyTensor(y, ctx);
  let d: DType;
  if (weak(x) && !weak(y)) d = typeof x === 'number' && !isFloating(b.dtype) ? 'float64' : b.dtype;
  else if (weak(y) && !weak(x)) d = typeof y === 'number' && !isFloating(a.dtype) ? 'float64' : a.dtype;
  else d = npPromote(a.dtype, b.dtype);
  return [a, b, d];
}

/** Both operands broadcast to one shape, as float64 values. */
function broadcastValues(a: Tensor, b: Tensor): [ArrayLike<number>, ArrayLike<number>, number[]] {
  const shape = npBroadcast([a.shape, b.shape], true);
  return [contiguous(expand(a, shape)).values(), contiguous(expand(b, shape)).values(), shape];
}

/**
 * np.tensordot(a, b, axes=2) as numeric.py: a's summed axes moved last and b's first, both
 * reshaped to matrices and multiplied (np.dot), the result shaped free_a + free_b, a 0-d
 * array (not a scalar) when nothing is left.
 */
function tensordot(a: Tensor, b: Tensor, axesA: number[], axesB: number[]): Tensor {
  if (axesA.length !== axesB.length) throw pyError('ValueError', 'shape-mismatch for sum');
  const na = axesA.map((ax) => (ax < 0 ? ax + a.ndim : ax)), nb = axesB.map((ax) => (ax < 0 ? ax + b.ndim : ax));
  if (na.some((ax, i) => a.shape[ax] !== b.shape[nb[i]])) throw pyError('ValueError', 'shape-mismatch for sum');
  const freeA = a.shape.map((_, i) => i).filter((i) => !na.includes(i)), freeB = b.shape.map((_, i) => i).filter((i) => !nb.includes(i));
  const k = na.reduce((p, ax) => p * a.shape[ax], 1);
  const m = freeA.reduce((p, ax) => p * a.shape[ax], 1), n = freeB.reduce((p, ax) => p * b.shape[ax], 1);
  const a2 = reshape(contiguous(permute(a, [...freeA, ...na])), [m, k]);
  const b2 = reshape(contiguous(permute(b, [...nb, ...freeB])), [k, n]);
  return reshape(npMatmul(a2, b2), [...freeA.map((ax) => a.shape[ax]), ...freeB.map((ax) => b.shape[ax])]);
}

/**
 * np.interp(x, xp, fp, left=None, right=None) as _compiled_base.c arr_interp: a binary search
 * for xp[j] <= x < xp[j+1], then slope*(x - xp[j]) + fp[j] (retried from the right end on
 * NaN), fp[0] / fp[-1] (or left / right) outside; float64.
 */
function interp(x: Tensor, xp: number[], fp: number[], left: number, right: number): Tensor {
  const n = xp.length;
  return mapFloat(x, 'float64', (v) => {
    if (Number.isNaN(v)) return v;
    if (v < xp[0]) return left;
    if (v > xp[n - 1]) return right;
    if (v === xp[n - 1]) return fp[n - 1];
    let lo = 0, hi = n - 1;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (xp[mid] <= v) lo = mid;
      else hi = mid;
    }
    if (xp[lo] === v) return fp[lo];
    const slope = (fp[lo + 1] - fp[lo]) / (xp[lo + 1] - xp[lo]);
    let r = slope * (v - xp[lo]) + fp[lo];
    if (Number.isNaN(r)) {
      r = slope * (v - xp[lo + 1]) + fp[lo + 1];
      if (Number.isNaN(r) && fp[lo] === fp[lo + 1]) r = fp[lo];
    }
    return r;
  });
}

/**
 * np.convolve(a, v, mode='full') as NumPy's correlate of a with v reversed
 * (multiarraymodule.c _pyarray_correlate): the longer operand slides, products added in
 * order; 'same' keeps len(a) values from n//2 on the left, 'valid' only full overlaps.
 * NumPy adds float64 products with BLAS's dot, whose order for long kernels may differ
 * in the last digit.
 */
function convolve(a: Tensor, v: Tensor, mode: string): Tensor {
  if (a.numel === 0) throw pyError('ValueError', 'a cannot be empty');
  if (v.numel === 0) throw pyError('ValueError', 'v cannot be empty');
  const d = npPromote(a.dtype, v.dtype);
  let x = Array.from(contiguous(a).values()), w = Array.from(contiguous(v).values());
  if (w.length > x.length) [x, w] = [w, x];
  w.reverse();
  const n1 = x.length, n = w.length;
  const nLeft = mode === 'full' ? n - 1 : mode === 'same' ? n >> 1 : 0;
  const len = mode === 'full' ? n1 + n - 1 : mode === 'same' ? n1 : n1 - n + 1;
  const round = d === 'float32' || d === 'float16' ? Math.fround : (u: number) => u;
  const out = Tensor.empty(d === 'bool' ? 'int64' : d, [len]);
  for (let k = 0; k < len; k++) {
    let acc = 0;
    for (let i = 0; i < n; i++) {
      const j = k - nLeft + i;
      if (j >= 0 && j < n1) acc = round(acc + round(x[j] * w[i]));
    }
    out.storage.data[k] = acc;
  }
  return d === 'bool' ? binary('ne', out, 0) : out;
}

/**
 * hypot(x, y) as glibc 2.36 computes it on x86-64 (sysdeps/ieee754/dbl-64/e_hypot.c, the
 * non-FMA kernel: sqrt of the sum of squares, then one correction step; inputs scaled by
 * 2^-600 near overflow and underflow). NumPy's np.hypot calls it; V8's Math.hypot differs
 * in the last bit for about a third of inputs.
 */
function glibcHypot(x: number, y: number): number {
  if (!Number.isFinite(x) || !Number.isFinite(y)) return Math.abs(x) === Infinity || Math.abs(y) === Infinity ? Infinity : x + y;
  x = Math.abs(x);
  y = Math.abs(y);
  const ax = x < y ? y : x, ay = x < y ? x : y;
  const SCALE = 2 ** -600, EPS = 2 ** -54;
  const kernel = (p: number, q: number) => {
    let h = Math.sqrt(p * p + q * q), t1: number, t2: number;
    if (h <= 2 * q) {
      const delta = h - q;
      t1 = p * (2 * delta - p);
      t2 = (delta - 2 * (p - q)) * delta;
    } else {
      const delta = h - p;
      t1 = 2 * delta * (p - 2 * q);
      t2 = (4 * delta - q) * q + delta * delta;
    }
    h -= (t1 + t2) / (2 * h);
    return h;
  };
  if (ax > 2 ** 511) return ay <= ax * EPS ? ax + ay : kernel(ax * SCALE, ay * SCALE) / SCALE;
  if (ay < 2 ** -511) return ax >= ay / EPS ? ax + ay : kernel(ax / SCALE, ay / SCALE) * SCALE;
  return ay <= ax * EPS ? ax + ay : kernel(ax, ay);
}

/**
 * np.arctan2 ... np.convolve. Limitation: on CPUs with AVX-512 NumPy computes log2, log10,
 * exp2 and arctan2 with SVML kernels, and float32 transcendentals with its own SIMD code;
 * the V8 functions used here agree with them to printing precision but not always in the
 * last bit (hypot is exact: glibc's).
 */
function defineUfuncsAndProducts(def: (name: string, f: NativeFn) => void): void {
  const t = (v: PyValue | undefined, ctx: CallContext) => toNumpyTensor(v ?? null, ctx);
  // unary float ufuncs; ints and bools go through the smallest float that holds them
  const UNARY: Record<string, (v: number) => number> = { log2: Math.log2, log10: Math.log10, exp2: (v) => 2 ** v };
  for (const [name, f] of Object.entries(UNARY)) {
    def(name, (args, kw, ctx) => {
      const x = t(bind(name, args, kw, ['x', 'out?', 'where?', 'casting?', 'order?', 'dtype?']).x, ctx);
      return npResult(mapFloat(x, floatLoop(x.dtype), f));
    });
  }
  // np.reciprocal: 1/x; for ints NumPy's integer division (1 and -1 stay, 0 is the dtype's minimum, the rest 0)
  def('reciprocal', (args, kw, ctx) => {
    const x = t(bind('reciprocal', args, kw, ['x', 'out?', 'where?', 'casting?', 'order?', 'dtype?']).x, ctx);
    if (isFloating(x.dtype)) return npResult(mapFloat(x, x.dtype, (v) => 1 / v));
    const bits: Partial<Record<DType, number>> = { int8: 8, int16: 16, int32: 32, int64: 64 };
    const min = x.dtype === 'uint8' ? 0 : x.dtype === 'bool' ? 1 : -(2 ** ((bits[x.dtype] ?? 64) - 1));
    return npResult(cast(mapFloat(x, 'float64', (v) => (v === 1 || v === -1 ? v : v === 0 ? min : 0)), x.dtype));
  });
  // binary float ufuncs: NumPy's promotion of the operands, then the float loop
  const BINARY: Record<string, (p: number, q: number) => number> = { arctan2: Math.atan2, hypot: glibcHypot };
  for (const [name, f] of Object.entries(BINARY)) {
    def(name, (args, kw, ctx) => {
      const a = bind(name, args, kw, ['x1', 'x2', 'out?', 'where?', 'casting?', 'order?', 'dtype?']);
      const [x, y, d] = operandsDtype(a.x1!, a.x2!, ctx);
      const [p, q, shape] = broadcastValues(x, y);
      const out = Tensor.empty('float64', shape);
      for (let i = 0; i < out.numel; i++) out.storage.data[i] = f(p[i], q[i]);
      return npResult(cast(out, floatLoop(d)));
    });
  }
  // np.left_shift / np.right_shift: integer operands only; a shift past the width gives 0 (or -1 for a negative right shift)
  for (const [name, left] of [['left_shift', true], ['right_shift', false]] as const) {
    def(name, (args, kw, ctx) => {
      const a = bind(name, args, kw, ['x1', 'x2', 'out?', 'where?', 'casting?', 'order?', 'dtype?']);
      const [x, y, d] = operandsDtype(a.x1!, a.x2!, ctx);
      if (isFloating(d) || d === 'bool') {
        throw pyError('TypeError', `ufunc '${name}' not supported for the input types, and the inputs could not be safely coerced to any supported types according to the casting rule ''safe''`);
      }
      const bits = d === 'uint8' || d === 'int8' ? 8 : d === 'int16' ? 16 : d === 'int32' ? 32 : 64;
      const wrap = (v: bigint) => (d === 'uint8' ? BigInt.asUintN(8, v) : BigInt.asIntN(bits, v));
      const [p, q, shape] = broadcastValues(x, y);
      const out = Tensor.empty(d, shape);
      for (let i = 0; i < out.numel; i++) {
        const v = BigInt(p[i]), s = q[i];
        const r = left ? (s >= bits || s < 0 ? 0n : wrap(v << BigInt(s))) : s >= bits || s < 0 ? (v < 0n ? -1n : 0n) : v >> BigInt(s);
        out.storage.data[i] = Number(r);
      }
      return npResult(out);
    });
  }
  // np.logspace(start, stop, num=50, endpoint=True, base=10.0, dtype=None): base ** linspace(start, stop)
  def('logspace', (args, kw, ctx) => {
    const a = bind('logspace', args, kw, ['start', 'stop', 'num?', 'endpoint?', 'base?', 'dtype?', 'axis?']);
    const num = a.num === undefined ? 50 : toInt(a.num, 'num');
    if (num < 0) throw pyError('ValueError', `Number of samples, ${num}, must be non-negative.`);
    const y = linspaceValues(toFloat(a.start, 'start'), toFloat(a.stop, 'stop'), num, a.endpoint === undefined ? true : toBool(a.endpoint, ctx));
    const base = a.base === undefined ? 10 : toFloat(a.base, 'base');
    const r = mapFloat(y, 'float64', (v) => base ** v);
    const d = npDtype(a.dtype);
    return arr(d && d !== 'float64' ? cast(r, d) : r);
  });
  def('tensordot', (args, kw, ctx) => {
    const a = bind('tensordot', args, kw, ['a', 'b', 'axes?']);
    const x = t(a.a, ctx), y = t(a.b, ctx);
    let axesA: number[], axesB: number[];
    if (a.axes === undefined || typeof a.axes === 'bigint') {
      const n = a.axes === undefined ? 2 : Number(a.axes);
      axesA = Array.from({ length: n }, (_, i) => x.ndim - n + i);
      axesB = Array.from({ length: n }, (_, i) => i);
    } else {
      const [pa, pb] = ctx.iterate(a.axes);
      const list = (v: PyValue) => (typeof v === 'bigint' ? [Number(v)] : ctx.iterate(v).map((z) => toInt(z, 'axes')));
      axesA = list(pa);
      axesB = list(pb);
    }
    return arr(tensordot(x, y, axesA, axesB));
  });
  // np.kron(a, b): the block product, shapes padded with leading 1s; the product's dtype
  def('kron', (args, kw, ctx) => {
    const a = bind('kron', args, kw, ['a', 'b']);
    const x = t(a.a, ctx), y = t(a.b, ctx);
    const nd = Math.max(x.ndim, y.ndim);
    const sa = [...Array(nd - x.ndim).fill(1), ...x.shape], sb = [...Array(nd - y.ndim).fill(1), ...y.shape];
    const prod = npBinary('*', reshape(x, sa.flatMap((s) => [s, 1])), reshape(y, sb.flatMap((s) => [1, s])));
    return npResult(reshape(contiguous(prod), sa.map((s, i) => s * sb[i])));
  });
  // np.trace(a, offset=0, axis1=0, axis2=1, dtype=None): the diagonal's sum (np.sum's dtype rules)
  def('trace', (args, kw, ctx) => {
    const a = bind('trace', args, kw, ['a', 'offset?', 'axis1?', 'axis2?', 'dtype?', 'out?']);
    const x = t(a.a, ctx);
    if (x.ndim < 2) throw pyError('ValueError', 'diag requires an array of at least two dimensions');
    const k = a.offset === undefined ? 0 : toInt(a.offset, 'offset');
    const a1 = normAxis(a.axis1 ?? 0n, x.ndim), a2 = normAxis(a.axis2 ?? 1n, x.ndim);
    const rest = x.shape.map((_, i) => i).filter((i) => i !== a1 && i !== a2);
    const moved = contiguous(permute(x, [...rest, a1, a2]));
    const [rows, cols] = [x.shape[a1], x.shape[a2]];
    const len = Math.max(0, k >= 0 ? Math.min(rows, cols - k) : Math.min(rows + k, cols));
    const outer = rest.reduce((p, i) => p * x.shape[i], 1);
    const diag = Tensor.empty(x.dtype, [...rest.map((i) => x.shape[i]), len]);
    const v = moved.values();
    for (let o = 0; o < outer; o++) {
      for (let i = 0; i < len; i++) diag.storage.data[o * len + i] = v[o * rows * cols + (k >= 0 ? i * cols + i + k : (i - k) * cols + i)];
    }
    const d = npDtype(a.dtype);
    if (isFloating(d ?? x.dtype)) return npResult(npSum(diag, [diag.ndim - 1], false, d));
    return npResult(reduce('sum', cast(diag, d ?? (x.dtype === 'uint8' || x.dtype === 'bool' || x.dtype === 'int32' ? 'int64' : x.dtype)), diag.ndim - 1));
  });
  // np.vdot(a, b): the dot product of the flattened arrays (both the same size)
  def('vdot', (args, kw, ctx) => {
    const a = bind('vdot', args, kw, ['a', 'b']);
    const x = reshape(t(a.a, ctx), [-1]), y = t(a.b, ctx);
    if (y.numel !== x.numel) throw pyError('ValueError', `cannot reshape array of size ${y.numel} into shape ${pyTuple(x.shape)}`);
    return npResult(npDot(x, reshape(y, [-1])));
  });
  // np.inner(a, b): the sum over the last axes of both; a scalar operand multiplies
  def('inner', (args, kw, ctx) => {
    const a = bind('inner', args, kw, ['a', 'b']);
    const x = t(a.a, ctx), y = t(a.b, ctx);
    if (x.ndim === 0 || y.ndim === 0) return npResult(npBinary('*', x, y));
    if (x.shape[x.ndim - 1] !== y.shape[y.ndim - 1]) {
      throw pyError('ValueError', `shapes ${pyTuple(x.shape)} and ${pyTuple(y.shape)} not aligned: ${x.shape[x.ndim - 1]} (dim ${x.ndim - 1}) != ${y.shape[y.ndim - 1]} (dim ${y.ndim - 1})`);
    }
    return npResult(tensordot(x, y, [x.ndim - 1], [y.ndim - 1]));
  });
  def('interp', (args, kw, ctx) => {
    const a = bind('interp', args, kw, ['x', 'xp', 'fp', 'left?', 'right?', 'period?']);
    if (a.period !== undefined && a.period !== null) throw pyError('NotImplementedError', 'numpy.interp(period=...) is not supported by Mask Lens yet');
    const xp = Array.from(contiguous(cast(t(a.xp, ctx), 'float64')).values()), fp = Array.from(contiguous(cast(t(a.fp, ctx), 'float64')).values());
    if (xp.length === 0) throw pyError('ValueError', 'array of sample points is empty');
    if (xp.length !== fp.length) throw pyError('ValueError', 'fp and xp are not of the same length.');
    const side = (v: PyValue | undefined, dflt: number) => (v === undefined || v === null ? dflt : toFloat(v, 'left'));
    return npResult(interp(t(a.x, ctx), xp, fp, side(a.left, fp[0]), side(a.right, fp[fp.length - 1])));
  });
  def('convolve', (args, kw, ctx) => {
    const a = bind('convolve', args, kw, ['a', 'v', 'mode?']);
    const m = a.mode === undefined ? 'full' : typeof a.mode === 'bigint' ? (['valid', 'same', 'full'][Number(a.mode)] ?? String(a.mode)) : String(a.mode);
    if (!['valid', 'same', 'full'].includes(m)) throw pyError('ValueError', `mode must be one of 'valid', 'same', or 'full' (got ${typeof a.mode === 'string' ? `'${m}'` : m})`);
    return arr(convolve(reshape(t(a.a, ctx), [-1]), reshape(t(a.v, ctx), [-1]), m));
  });
}

/** np.nansum ... np.nanargmin, median, percentile, quantile, average and ptp. */
function defineStatistics(def: (name: string, f: NativeFn) => void): void {
  const t = (v: PyValue | undefined, ctx: CallContext) => toNumpyTensor(v ?? null, ctx);
  // np.nansum(a, axis=None, dtype=None, out=None, keepdims=False): NaN counted as 0, summed as np.sum
  def('nansum', (args, kw, ctx) => {
    const a = bind('nansum', args, kw, ['a', 'axis?', 'dtype?', 'out?', 'keepdims?', 'initial?', 'where?']);
    const x = t(a.a, ctx), axes = axesArg(a.axis, x.ndim), keep = toBool(a.keepdims, ctx), d = npDtype(a.dtype);
    if (isFloating(x.dtype)) return npResult(npSum(replaceNan(x, 0), axes, keep, d));
    return npResult(reduce('sum', cast(x, d ?? (x.dtype === 'uint8' || x.dtype === 'bool' || x.dtype === 'int32' ? 'int64' : x.dtype)), axes, keep));
  });
  // np.nanmean: the NaN-free sum over the NaN-free count; an empty count is NaN with NumPy's warning
  def('nanmean', (args, kw, ctx) => {
    const a = bind('nanmean', args, kw, ['a', 'axis?', 'dtype?', 'out?', 'keepdims?', 'where?']);
    const x = t(a.a, ctx), axes = axesArg(a.axis, x.ndim), keep = toBool(a.keepdims, ctx), d = npDtype(a.dtype);
    if (!isFloating(x.dtype)) {
      if (x.numel === 0) ctx.warn('RuntimeWarning: Mean of empty slice');
      return npResult(npMean(x, axes, keep, d));
    }
    const tot = npSum(replaceNan(x, 0), axes, keep, d);
    const cnt = reduce('sum', cast(unary('not', unary('isnan', x, 'bool')), 'int64'), axes, keep);
    if (reduce('any', binary('eq', cnt, 0)).item() !== 0) ctx.warn('RuntimeWarning: Mean of empty slice');
    return npResult(cast(binary('div', cast(tot, 'float64'), cast(cnt, 'float64')), tot.dtype));
  });
  // np.nanmax / np.nanmin: NaN ignored; an all-NaN slice is NaN with NumPy's RuntimeWarning
  for (const [name, op] of [['nanmax', 'max'], ['nanmin', 'min']] as const) {
    def(name, (args, kw, ctx) => {
      const a = bind(name, args, kw, ['a', 'axis?', 'out?', 'keepdims?', 'initial?', 'where?']);
      const x = t(a.a, ctx), axes = axesArg(a.axis, x.ndim), keep = toBool(a.keepdims, ctx);
      if (!isFloating(x.dtype)) return npResult(reduce(op, x, axes, keep));
      let allNan = false;
      const r = laneReduce(x, axes, keep, x.dtype, (lane) => {
        const vals = lane.filter((v) => !Number.isNaN(v));
        if (vals.length === 0) return (allNan = true), NaN;
        return vals.reduce((m, v) => (op === 'max' ? (v > m ? v : m) : v < m ? v : m));
      });
      if (allNan) ctx.warn('RuntimeWarning: All-NaN slice encountered');
      return npResult(r);
    });
  }
  // np.nanargmax / np.nanargmin: the index ignoring NaN; an all-NaN slice is a ValueError
  for (const [name, op] of [['nanargmax', 'argmax'], ['nanargmin', 'argmin']] as const) {
    def(name, (args, kw, ctx) => {
      const a = bind(name, args, kw, ['a', 'axis?', 'out?', 'keepdims?']);
      const x = t(a.a, ctx), keep = toBool(a.keepdims, ctx);
      const flat = a.axis === undefined || a.axis === null;
      const src = flat ? reshape(x, [-1]) : x;
      const axis = flat ? 0 : normAxis(a.axis, x.ndim);
      if (!isFloating(x.dtype)) return npResult(reduce(op, src, axis, keep && !flat));
      const nan = unary('isnan', src, 'bool');
      if (reduce('any', reduce('all', nan, axis)).item() !== 0) throw pyError('ValueError', 'All-NaN slice encountered');
      const r = reduce(op, replaceNan(src, op === 'argmax' ? -Infinity : Infinity), axis, keep && !flat);
      return npResult(keep && flat ? reshape(r, x.shape.map(() => 1)) : r);
    });
  }
  // np.median(a, axis=None, out=None, overwrite_input=False, keepdims=False): the middle value,
  // or the mean of the middle two (summed then halved, as np.mean), ints in float64
  def('median', (args, kw, ctx) => {
    const a = bind('median', args, kw, ['a', 'axis?', 'out?', 'overwrite_input?', 'keepdims?']);
    const x = t(a.a, ctx), axes = axesArg(a.axis, x.ndim), keep = toBool(a.keepdims, ctx);
    const d: DType = isFloating(x.dtype) ? x.dtype : 'float64';
    const round = d === 'float64' ? (v: number) => v : Math.fround;
    let empty = false;
    const r = laneReduce(x, axes, keep, d, (lane) => {
      const n = lane.length;
      if (n === 0) return (empty = true), NaN;
      const s = sortLane(lane);
      if (Number.isNaN(s[n - 1])) return NaN;
      return n % 2 ? s[(n - 1) / 2] : round(round(s[n / 2 - 1] + s[n / 2]) / 2);
    });
    if (empty) ctx.warn('RuntimeWarning: Mean of empty slice');
    return npResult(r);
  });
  // np.quantile / np.percentile (a, q, axis=None, out=None, overwrite_input=False, method='linear',
  // keepdims=False, *, weights=None; NumPy 2.4 no longer takes interpolation=): q's shape in front of the
  // reduced result; a Python-scalar q keeps a float32 array float32; the discrete methods keep the array's dtype
  for (const name of ['quantile', 'percentile'] as const) {
    def(name, (args, kw, ctx) => {
      const a = bind(name, args, kw, ['a', 'q', 'axis?', 'out?', 'overwrite_input?', 'method?', 'keepdims?', 'weights?']);
      const method = a.method === undefined ? 'linear' : String(a.method);
      const x = t(a.a, ctx), axes = axesArg(a.axis, x.ndim), keep = toBool(a.keepdims, ctx);
      const weak = typeof a.q === 'number' || typeof a.q === 'bigint';
      const qt = t(a.q, ctx);
      const qs = Array.from(contiguous(cast(qt, 'float64')).values(), (q) => (name === 'percentile' ? q / 100 : q));
      if (qs.some((q) => !(q >= 0 && q <= 1))) throw pyError('ValueError', name === 'percentile' ? 'Percentiles must be in the range [0, 100]' : 'Quantiles must be in the range [0, 1]');
      if (a.weights !== undefined && a.weights !== null) {
        if (method !== 'inverted_cdf') throw pyError('ValueError', `Only method 'inverted_cdf' supports weights. Got: ${method}.`);
        throw pyError('NotImplementedError', `numpy.${name}(weights=...) is not supported by Mask Lens yet`);
      }
      if (!(QUANTILE_METHODS as readonly string[]).includes(method)) {
        throw pyError('ValueError', `${repr(method, ctx)} is not a valid method. Use one of: dict_keys([${QUANTILE_METHODS.map((m) => `'${m}'`).join(', ')}])`);
      }
      const m = method as QuantileMethod;
      const d: DType = DISCRETE_QUANTILE.has(m) ? x.dtype : weak && isFloating(x.dtype) ? x.dtype : npPromote(x.dtype, isFloating(qt.dtype) ? qt.dtype : 'float64');
      const round = d === 'float64' ? (v: number) => v : Math.fround;
      const roundIn = x.dtype === 'float32' ? Math.fround : (v: number) => v;
      const parts = qs.map((q) => laneReduce(x, axes, keep, d, (lane) => quantileOf(sortLane(lane), q, m, round, roundIn)));
      const r = qt.ndim === 0 ? parts[0] : reshape(cat(parts.map((p) => reshape(p, [1, ...p.shape])), 0), [...qt.shape, ...parts[0].shape]);
      return npResult(r);
    });
  }
  // np.average(a, axis=None, weights=None, returned=False, keepdims=False) as _function_base_impl.average
  def('average', (args, kw, ctx) => {
    const a = bind('average', args, kw, ['a', 'axis?', 'weights?', 'returned?', 'keepdims?']);
    const x = t(a.a, ctx), axes = axesArg(a.axis, x.ndim), keep = toBool(a.keepdims, ctx);
    const returned = toBool(a.returned, ctx);
    if (a.weights === undefined || a.weights === null) {
      const avg = npMean(x, axes, keep);
      const scl = scalarTensor(x.numel / Math.max(avg.numel, 1), avg.dtype);
      return returned ? new PyTuple([npResult(avg), npResult(expand(scl, avg.shape))]) : npResult(avg);
    }
    let w = t(a.weights, ctx);
    const d = !isFloating(x.dtype) ? npPromote(npPromote(x.dtype, w.dtype), 'float64') : npPromote(x.dtype, w.dtype);
    const same = w.ndim === x.ndim && w.shape.every((s, i) => s === x.shape[i]);
    if (!same) {
      if (axes === null) throw pyError('TypeError', 'Axis must be specified when shapes of a and weights differ.');
      if (w.ndim !== axes.length) throw pyError('TypeError', `${axes.length}D weights expected when shapes of a and weights differ.`);
      if (w.shape.some((s, i) => s !== x.shape[axes[i]])) throw pyError('ValueError', 'Shape of weights must be consistent with shape of a along specified axis.');
      w = expand(reshape(w, x.shape.map((s, i) => (axes.includes(i) ? s : 1))), x.shape);
    }
    const scl = npSum(cast(w, d), axes, keep);
    if (reduce('any', binary('eq', scl, 0)).item() !== 0) throw pyError('ZeroDivisionError', "Weights sum to zero, can't be normalized");
    const avg = binary('div', npSum(binary('mul', cast(x, d), cast(w, d)), axes, keep), scl);
    return returned ? new PyTuple([npResult(avg), npResult(scl)]) : npResult(avg);
  });
  // np.ptp(a, axis=None, out=None, keepdims=False): max - min in a's dtype (unsigned wraps)
  def('ptp', (args, kw, ctx) => {
    const a = bind('ptp', args, kw, ['a', 'axis?', 'out?', 'keepdims?']);
    const x = t(a.a, ctx), axes = axesArg(a.axis, x.ndim), keep = toBool(a.keepdims, ctx);
    return npResult(binary('sub', reduce('max', x, axes, keep), reduce('min', x, axes, keep)));
  });
}
