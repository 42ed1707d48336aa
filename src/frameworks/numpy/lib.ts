// NumPy functions real data-collator, mask-generator and tutorial files call
// that index.ts and functions.ts do not: shape helpers (empty_like, shape,
// atleast_Nd, fliplr/flipud/rot90), searching and set routines (searchsorted,
// bincount, digitize, setdiff1d, ..., select, choose), nan-reductions and
// statistics (median, percentile, quantile, average, ptp), more ufuncs and
// products (arctan2, hypot, log2, tensordot, kron, interp, convolve, ...).
// Each follows NumPy 2.4's numpy/_core (fromnumeric.py, numeric.py,
// shape_base.py) and numpy/lib (_function_base_impl.py, _arraysetops_impl.py,
// _nanfunctions_impl.py, _twodim_base_impl.py), with NumPy's error wording.

import { cast, contiguous } from '../../engine/ops/core';
import { flip, permute, reshape } from '../../engine/ops/shape';
import { Tensor } from '../../engine/tensor';
import { bind, toInt } from '../../python/args';
import { pyError } from '../../python/exceptions';
import { CallContext, NativeFn, PyTuple, PyValue } from '../../python/values';
import { normAxis } from './functions';
import { NumpyArray, npDtype, toNumpyTensor } from './index';

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
}
