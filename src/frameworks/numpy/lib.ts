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
import { binary, broadcastShapes, cast, contiguous, scalarTensor, unary, where } from '../../engine/ops/core';
import { reduce } from '../../engine/ops/reduce';
import { cat, expand, flip, permute, reshape, select } from '../../engine/ops/shape';
import { Tensor } from '../../engine/tensor';
import { bind, toBool, toInt } from '../../python/args';
import { pyError } from '../../python/exceptions';
import { CallContext, NativeFn, PyList, PyTuple, PyValue } from '../../python/values';
import { ArrayValue } from '../common';
import { axesArg, normAxis, npMean, npSum } from './functions';
import { NumpyArray, npDtype, npPromote, npResult, toNumpyTensor, unique } from './index';

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
  return Array.from(contiguous(t).values()).sort((x, y) => (lessNanLast(x, y) ? -1 : lessNanLast(y, x) ? 1 : 0));
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

/**
 * The linear-method quantile (Hyndman & Fan 7) of one lane as _function_base_impl._quantile:
 * virtual index (n-1)*q, its floor and the next index (both the last at or past the end),
 * then _lerp: a + (b-a)*g, or b - (b-a)*(1-g) where g >= 0.5, each step rounded by `round`
 * (float32 arrays with a Python-scalar q). NaN in the lane gives NaN.
 */
function quantileOf(sorted: number[], q: number, round: (x: number) => number): number {
  const n = sorted.length;
  if (n === 0 || Number.isNaN(sorted[n - 1])) return NaN;
  const virtual = (n - 1) * q;
  let prev = Math.floor(virtual), next = prev + 1;
  if (virtual >= n - 1) prev = next = -1;
  const g = round(virtual - prev);
  const at = (i: number) => sorted[i < 0 ? n + i : i];
  const a = at(prev), b = at(next);
  const diff = round(b - a);
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
    const shape = [...condTs, ...choices].reduce<number[]>((s, x) => broadcastShapes(s, x.shape), []);
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
    const shape = [idx, ...choices].reduce<number[]>((s, x) => broadcastShapes(s, x.shape), []);
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
  // keepdims=False): q's shape in front of the reduced result; a Python-scalar q keeps a float32 array float32
  for (const name of ['quantile', 'percentile'] as const) {
    def(name, (args, kw, ctx) => {
      const a = bind(name, args, kw, ['a', 'q', 'axis?', 'out?', 'overwrite_input?', 'method?', 'keepdims?', 'weights?', 'interpolation?']);
      const method = a.method === undefined ? 'linear' : String(a.method);
      if (method !== 'linear') throw pyError('NotImplementedError', `numpy.${name}(method='${method}') is not supported by Mask Lens yet`);
      if (a.weights !== undefined && a.weights !== null) throw pyError('NotImplementedError', `numpy.${name}(weights=...) is not supported by Mask Lens yet`);
      const x = t(a.a, ctx), axes = axesArg(a.axis, x.ndim), keep = toBool(a.keepdims, ctx);
      const weak = typeof a.q === 'number' || typeof a.q === 'bigint';
      const qt = t(a.q, ctx);
      const qs = Array.from(contiguous(cast(qt, 'float64')).values(), (q) => (name === 'percentile' ? q / 100 : q));
      if (qs.some((q) => !(q >= 0 && q <= 1))) throw pyError('ValueError', name === 'percentile' ? 'Percentiles must be in the range [0, 100]' : 'Quantiles must be in the range [0, 1]');
      const d: DType = weak && isFloating(x.dtype) ? x.dtype : npPromote(x.dtype, isFloating(qt.dtype) ? qt.dtype : 'float64');
      const round = d === 'float64' ? (v: number) => v : Math.fround;
      const parts = qs.map((q) => laneReduce(x, axes, keep, d, (lane) => quantileOf(sortLane(lane), q, round)));
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
