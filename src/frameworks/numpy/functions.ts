// NumPy array functions real masking code calls beyond the basics in
// index.ts: summation in NumPy's order (pairwise), var/std, sort/argsort,
// split/array_split, diag, take/take_along_axis, cumprod, diff, moveaxis,
// nan_to_num, pad, roll, meshgrid, einsum and np.linalg.norm. Each follows
// NumPy 2.4's numpy/_core (fromnumeric.py, _methods.py, numeric.py,
// function_base.py, shape_base.py, einsum.c.src) and numpy/lib (_arraypad_impl.py,
// _function_base_impl.py), numpy/linalg/_linalg.py, with NumPy's error wording.

import { DType, isFloating } from '../../engine/dtype';
import { assignInto, binary, cast, contiguous, scalarTensor, unary } from '../../engine/ops/core';
import { checkWritable } from './buffer';
import { reduce } from '../../engine/ops/reduce';
import { cat, expand, permute, reshape, slice } from '../../engine/ops/shape';
import { Tensor } from '../../engine/tensor';
import { bind, toBool, toFloat, toInt } from '../../python/args';
import { pyError } from '../../python/exceptions';
import { CallContext, Kwargs, NativeFn, PyBuiltin, PyEllipsis, PyList, PyModule, PyTuple, PyValue, typeNameOf } from '../../python/values';
import { ArrayValue } from '../common';
import { roll } from '../torch/extra';
import { axisError } from './errors';
import { NumpyArray, npBinary, npDtype, npPromote, npResult, pyTuple, toNumpyTensor } from './index';

type Method = (self: NumpyArray, args: PyValue[], kw: Kwargs, ctx: CallContext) => PyValue;

const arr = (t: Tensor) => new NumpyArray(t);
const numelOf = (shape: readonly number[]) => shape.reduce((p, q) => p * q, 1);

/** A NumPy axis (negative counts from the end); out of range is AxisError, `prefix` naming the argument where NumPy does. */
export function normAxis(v: PyValue | number | undefined, ndim: number, prefix = ''): number {
  const ax = typeof v === 'number' ? v : toInt(v, 'axis');
  if (ax < -ndim || ax >= ndim) throw axisError(`${prefix}axis ${ax} is out of bounds for array of dimension ${ndim}`);
  return ax < 0 ? ax + ndim : ax;
}

/** An axis argument that may be None, an int or a tuple of ints, normalised and sorted (null: all axes). */
export function axesArg(v: PyValue | undefined, ndim: number): number[] | null {
  if (v === undefined || v === null) return null;
  const list = v instanceof PyTuple || v instanceof PyList ? v.items : [v];
  const axes = list.map((x) => normAxis(x, ndim));
  if (new Set(axes).size !== axes.length) throw pyError('ValueError', 'duplicate value in \'axis\'');
  return axes.sort((a, b) => a - b);
}

/**
 * NumPy's pairwise summation of n values from `off` by `stride` (loops_utils.h.src
 * pairwise_sum): fewer than 8 added in order from -0.0, up to 128 in eight interleaved
 * accumulators combined as ((r0+r1)+(r2+r3))+((r4+r5)+(r6+r7)) then the rest in order,
 * more split in two at a multiple of 8. `round` rounds each addition to the accumulator type.
 */
function pairwiseSum(v: ArrayLike<number>, off: number, n: number, stride: number, round: (x: number) => number): number {
  if (n < 8) {
    let res = -0;
    for (let i = 0; i < n; i++) res = round(res + v[off + i * stride]);
    return res;
  }
  if (n <= 128) {
    const r = [0, 1, 2, 3, 4, 5, 6, 7].map((j) => v[off + j * stride]);
    let i = 8;
    for (; i < n - (n % 8); i += 8) for (let j = 0; j < 8; j++) r[j] = round(r[j] + v[off + (i + j) * stride]);
    let res = round(round(round(r[0] + r[1]) + round(r[2] + r[3])) + round(round(r[4] + r[5]) + round(r[6] + r[7])));
    for (; i < n; i++) res = round(res + v[off + i * stride]);
    return res;
  }
  let n2 = Math.floor(n / 2);
  n2 -= n2 % 8;
  return round(pairwiseSum(v, off, n2, stride, round) + pairwiseSum(v, off + n2 * stride, n - n2, stride, round));
}

/**
 * np.add.reduce of a float array in NumPy's order: the reduced axes moved last; when
 * they are the array's trailing axes NumPy's inner loop is one pairwise sum per output
 * element (the whole array for axis=None), otherwise each output element adds the
 * slices in order. float32 sums round every addition to float32; float16 accumulates
 * in float32 (HALF_add) and rounds once. Result dtype is t's (or `dtype`, cast first).
 */
export function npSum(t: Tensor, axes: number[] | null, keepdims: boolean, dtype?: DType): Tensor {
  const src = dtype && dtype !== t.dtype ? cast(t, dtype) : t;
  if (!isFloating(src.dtype)) return reduce('sum', src, axes ?? null, keepdims, src.dtype);
  const rd = axes ?? src.shape.map((_, i) => i);
  const kept = src.shape.map((_, i) => i).filter((i) => !rd.includes(i));
  const v = contiguous(permute(src, [...kept, ...rd])).values();
  const n = numelOf(rd.map((i) => src.shape[i]));
  const rows = numelOf(kept.map((i) => src.shape[i]));
  const trailing = rd.every((d, i) => d === src.ndim - rd.length + i);
  const round = src.dtype === 'float64' ? (x: number) => x : Math.fround;
  const outShape = keepdims ? src.shape.map((s, i) => (rd.includes(i) ? 1 : s)) : kept.map((i) => src.shape[i]);
  const out = Tensor.empty(src.dtype === 'float16' ? 'float32' : src.dtype, outShape);
  for (let r = 0; r < rows; r++) {
    let acc = 0;
    if (trailing) acc = round(acc + pairwiseSum(v, r * n, n, 1, round));
    else for (let i = 0; i < n; i++) acc = round(acc + v[r * n + i]);
    out.storage.data[r] = acc;
  }
  return src.dtype === 'float16' ? cast(out, 'float16') : out;
}

/**
 * np.mean(a, axis, dtype, keepdims) as _methods._mean: ints and bools in float64,
 * float16 summed in float32, the sum divided by the count and cast back.
 */
export function npMean(t: Tensor, axes: number[] | null, keepdims: boolean, dtype?: DType): Tensor {
  const acc = dtype ?? (!isFloating(t.dtype) ? 'float64' : t.dtype === 'float16' ? 'float32' : t.dtype);
  const n = numelOf((axes ?? t.shape.map((_, i) => i)).map((i) => t.shape[i]));
  const s = npSum(t, axes, keepdims, acc);
  const m = binary('div', s, scalarTensor(n, s.dtype));
  return dtype === undefined && t.dtype === 'float16' ? cast(m, 'float16') : m;
}

/**
 * np.var / np.std (a, axis=None, dtype=None, ddof=0, keepdims=False) as _methods._var:
 * the mean (ints and bools in float64), the squared deviations summed in NumPy's
 * order, divided by max(n - ddof, 0) (so ddof >= n gives inf or nan, with NumPy's
 * RuntimeWarning), then sqrt for std. A 0-d result is a NumPy scalar.
 */
function varStd(name: 'var' | 'std'): Method {
  return (self, args, kw, ctx) => {
    const a = bind(name, args, kw, ['axis?', 'dtype?', 'out?', 'ddof?', 'keepdims?', 'where?', 'mean?', 'correction?']);
    for (const k of ['where', 'mean', 'out'] as const) {
      if (a[k] !== undefined && a[k] !== null) throw pyError('NotImplementedError', `numpy.${name} with ${k}= is not supported by Mask Lens yet`);
    }
    const t = self.t;
    const axes = axesArg(a.axis, t.ndim);
    const dtype = npDtype(a.dtype) ?? (isFloating(t.dtype) ? undefined : 'float64');
    const ddof = a.correction !== undefined && a.correction !== null ? toFloat(a.correction, 'correction') : a.ddof === undefined ? 0 : toFloat(a.ddof, 'ddof');
    const n = numelOf((axes ?? t.shape.map((_, i) => i)).map((i) => t.shape[i]));
    const sum = npSum(t, axes, true, dtype);
    const mean = binary('div', sum, scalarTensor(n, sum.dtype));
    const x = npBinary('-', dtype ? cast(t, dtype) : t, mean);
    const sq = npSum(binary('mul', x, x), axes, toBool(a.keepdims, ctx));
    const count = Math.max(n - ddof, 0);
    if (count <= 0) ctx.warn('RuntimeWarning: Degrees of freedom <= 0 for slice');
    let r = binary('div', sq, scalarTensor(count, sq.dtype));
    if (name === 'std') r = unary('sqrt', r);
    return npResult(r);
  };
}

/** sort's `kind`: NumPy checks the first letter (quicksort, mergesort, heapsort, stable). */
function checkKind(kind: PyValue | undefined): void {
  if (kind === undefined || kind === null) return;
  const k = String(kind);
  if (!/^[qQhHmMsS]/.test(k)) throw pyError('ValueError', `sort kind must be one of 'quick', 'heap', or 'stable' (got '${k}')`);
}

/**
 * The order that sorts each 1-D lane of t along `axis` ascending, NaN last, ties in
 * their original order. NumPy's default quicksort is not stable: with ties its
 * argsort order may differ from this one for lanes longer than 16 (below that its
 * introsort is an insertion sort, which is stable); sorted values never differ.
 */
function sortLanes(t: Tensor, axis: number): { values: Tensor; indices: Tensor } {
  const moved = contiguous(permute(t, [...t.shape.map((_, i) => i).filter((i) => i !== axis), axis]));
  const n = t.shape[axis];
  const v = moved.values();
  const values = Tensor.empty(t.dtype, moved.shape), indices = Tensor.empty('int64', moved.shape);
  const order = Array.from({ length: n }, (_, i) => i);
  for (let r = 0; r * n < moved.numel; r++) {
    const base = r * n;
    order.forEach((_, i) => (order[i] = i));
    order.sort((i, j) => {
      const x = v[base + i], y = v[base + j];
      if (Number.isNaN(x) || Number.isNaN(y)) return Number.isNaN(x) ? (Number.isNaN(y) ? i - j : 1) : -1;
      return x < y ? -1 : x > y ? 1 : i - j;
    });
    order.forEach((src, i) => {
      values.storage.data[base + i] = v[base + src];
      indices.storage.data[base + i] = src;
    });
  }
  const back = t.shape.map((_, i) => (i < axis ? i : i === axis ? t.ndim - 1 : i - 1));
  return { values: contiguous(permute(values, back)), indices: contiguous(permute(indices, back)) };
}

/** np.sort / np.argsort (a, axis=-1, kind=None, order=None, *, stable=None); axis=None sorts the flattened array. */
function sorted(t: Tensor, axisV: PyValue | undefined, kind: PyValue | undefined): { values: Tensor; indices: Tensor } {
  checkKind(kind);
  if (axisV === null) return sortLanes(reshape(t, [-1]), 0);
  if (t.ndim === 0) throw axisError(`axis ${axisV === undefined ? -1 : toInt(axisV, 'axis')} is out of bounds for array of dimension 0`);
  return sortLanes(t, normAxis(axisV === undefined ? -1 : axisV, t.ndim));
}

/**
 * np.cumprod(a, axis=None, dtype=None): the running product along one axis (axis=None:
 * of the flattened array); ints and bools multiply as int64 (wrapping as NumPy's do),
 * float32 rounds each product.
 */
function cumprod(t: Tensor, axisV: PyValue | undefined, dtypeV: PyValue | undefined): Tensor {
  const d = npDtype(dtypeV) ?? (isFloating(t.dtype) ? t.dtype : 'int64');
  let src = cast(t, d);
  if (axisV === undefined || axisV === null) src = reshape(src, [-1]);
  if (src.ndim === 0) return src;
  const axis = normAxis(axisV ?? 0, src.ndim);
  const moved = contiguous(permute(src, [...src.shape.map((_, i) => i).filter((i) => i !== axis), axis]));
  const n = src.shape[axis], v = moved.values();
  const out = Tensor.empty(d, moved.shape);
  const round = d === 'float32' || d === 'float16' ? Math.fround : (x: number) => x;
  for (let base = 0; base < moved.numel; base += n) {
    let acc = 1, big = 1n;
    for (let i = 0; i < n; i++) {
      if (isFloating(d)) out.storage.data[base + i] = acc = round(acc * v[base + i]);
      else out.storage.data[base + i] = Number((big = BigInt.asIntN(64, big * BigInt(v[base + i]))));
    }
  }
  const back = src.shape.map((_, i) => (i < axis ? i : i === axis ? src.ndim - 1 : i - 1));
  return cast(permute(out, back), d);
}

/** ndarray methods added here (np.f(a, ...) forms come from index.ts's method loop). */
export const MORE_ARRAY_METHODS: Record<string, Method> = {
  var: varStd('var'),
  std: varStd('std'),
  // a.sort(axis=-1, kind=None, order=None): in place, returns None
  sort: (self, args, kw) => {
    const a = bind('sort', args, kw, ['axis?', 'kind?', 'order?', 'stable?']);
    checkWritable(self.t, 'sort array is read-only');
    assignInto(self.t, sorted(self.t, a.axis ?? -1n, a.kind).values);
    return null;
  },
  argsort: (self, args, kw) => {
    const a = bind('argsort', args, kw, ['axis?', 'kind?', 'order?', 'stable?']);
    return arr(sorted(self.t, a.axis, a.kind).indices);
  },
  cumprod: (self, args, kw) => {
    const a = bind('cumprod', args, kw, ['axis?', 'dtype?', 'out?']);
    return arr(cumprod(self.t, a.axis, a.dtype));
  },
  take: (self, args, kw, ctx) => {
    const a = bind('take', args, kw, ['indices', 'axis?', 'out?', 'mode?']);
    return take(self.t, a.indices!, a.axis, a.mode, ctx);
  },
  diagonal: (self, args, kw) => {
    const a = bind('diagonal', args, kw, ['offset?', 'axis1?', 'axis2?']);
    if (self.t.ndim !== 2) throw pyError('NotImplementedError', 'numpy.diagonal of a non-2-D array is not supported by Mask Lens yet');
    return arr(diagonal(self.t, a.offset === undefined ? 0 : toInt(a.offset, 'offset')));
  },
};

/** The k-th diagonal of a 2-D array (k > 0 above the main one), a copy. */
function diagonal(t: Tensor, k: number): Tensor {
  const [rows, cols] = t.shape;
  const len = Math.max(0, k >= 0 ? Math.min(rows, cols - k) : Math.min(rows + k, cols));
  const out = Tensor.empty(t.dtype, [len]);
  for (let i = 0; i < len; i++) out.storage.data[i] = t.storage.data[t.offsetOf(k >= 0 ? [i, i + k] : [i - k, i])];
  return out;
}

/**
 * Integer indices for take / take_along_axis. take converts Python data straight to intp
 * (floats truncate, [] is an empty int64 array) but refuses a float ndarray (TypeError,
 * 'same_kind' casting); take_along_axis wants an integer array (IndexError).
 */
function indexArray(v: PyValue, ctx: CallContext, name: string): Tensor {
  const t = toNumpyTensor(v, ctx);
  if (!isFloating(t.dtype)) return cast(t, 'int64');
  if (name === 'take_along_axis') throw pyError('IndexError', '`indices` must be an integer array');
  if (v instanceof ArrayValue) throw pyError('TypeError', `Cannot cast array data from dtype('${t.dtype}') to dtype('int64') according to the rule 'same_kind'`);
  return cast(unary('trunc', t), 'int64');
}

/**
 * np.take(a, indices, axis=None, mode='raise'): elements (axis=None: of the flattened
 * array) at `indices`, the result shaped a.shape[:axis] + indices.shape + a.shape[axis+1:].
 * Negative indices count from the end; out of range is NumPy's IndexError, or wraps
 * or clips with mode='wrap' / 'clip'. A 0-d result is a NumPy scalar.
 */
function take(t: Tensor, indices: PyValue, axisV: PyValue | undefined, modeV: PyValue | undefined, ctx: CallContext): PyValue {
  const src = axisV === undefined || axisV === null ? reshape(t, [-1]) : t;
  const axis = axisV === undefined || axisV === null ? 0 : normAxis(axisV, t.ndim);
  const idx = indexArray(indices, ctx, 'take');
  const mode = modeV === undefined || modeV === null ? 'raise' : String(modeV);
  const n = src.shape[axis];
  const iv = Array.from(idx.values(), (k) => {
    if (mode === 'wrap') return ((k % n) + n) % n;
    if (mode === 'clip') return Math.min(Math.max(k, 0), n - 1);
    if (k < -n || k >= n) throw pyError('IndexError', `index ${k} is out of bounds for axis ${axis} with size ${n}`);
    return k < 0 ? k + n : k;
  });
  const outer = src.shape.slice(0, axis), inner = src.shape.slice(axis + 1);
  const out = Tensor.empty(src.dtype, [...outer, ...idx.shape, ...inner]);
  const moved = contiguous(src).values();
  const innerN = numelOf(inner), outerN = numelOf(outer);
  let w = 0;
  for (let o = 0; o < outerN; o++) for (const k of iv) for (let j = 0; j < innerN; j++) out.storage.data[w++] = moved[(o * n + k) * innerN + j];
  return npResult(out);
}

/**
 * np.take_along_axis(arr, indices, axis=-1): arr's values at `indices` along `axis`,
 * the other dims broadcast between arr and indices (NumPy builds the same fancy
 * index). axis=None takes from the flattened arr with 1-D indices.
 */
function takeAlongAxis(t: Tensor, indices: PyValue, axisV: PyValue | undefined, ctx: CallContext): Tensor {
  const idx = indexArray(indices, ctx, 'take_along_axis');
  let src = t, axis: number;
  if (axisV === null) {
    if (idx.ndim !== 1) throw pyError('ValueError', 'when axis=None, `indices` must have a single dimension.');
    src = reshape(t, [-1]);
    axis = 0;
  } else {
    if (idx.ndim !== t.ndim) throw pyError('ValueError', '`indices` and `arr` must have the same number of dimensions');
    axis = normAxis(axisV ?? -1n, t.ndim);
  }
  const shape = src.shape.map((s, d) => {
    if (d === axis) return idx.shape[d];
    const m = idx.shape[d];
    if (m !== s && m !== 1 && s !== 1) {
      const parts = src.shape.map((n, e) => (e === axis ? pyTuple(idx.shape) : pyTuple(src.shape.map((_, f) => (f === e ? n : 1)))));
      throw pyError('IndexError', `shape mismatch: indexing arrays could not be broadcast together with shapes ${parts.join(' ')} `);
    }
    return Math.max(s, m);
  });
  const n = src.shape[axis];
  const ib = contiguous(expand(idx, shape)).values();
  const out = Tensor.empty(src.dtype, shape);
  const pos = new Array<number>(shape.length).fill(0);
  for (let i = 0; i < ib.length; i++) {
    let k = ib[i];
    if (k < -n || k >= n) throw pyError('IndexError', `index ${k} is out of bounds for axis ${axis} with size ${n}`);
    if (k < 0) k += n;
    const at = pos.map((p, d) => (d === axis ? k : src.shape[d] === 1 ? 0 : p));
    out.storage.data[i] = src.storage.data[src.offsetOf(at)];
    for (let d = shape.length - 1; d >= 0 && ++pos[d] === shape[d]; d--) pos[d] = 0;
  }
  return out;
}

/**
 * np.put_along_axis(arr, indices, values, axis): in place, the write NumPy makes through
 * the fancy index of _make_along_axis_idx: `indices` on `axis`, `arange(n)` on every other
 * dim (broadcast together), then `arr[index] = values` with setitem's broadcasting, casting
 * and bounds (IndexError). `indices` must be an integer ndarray (IndexError) with arr's
 * ndim (ValueError). axis=None wants 1-D indices and writes through `np.array(arr.flat)`:
 * a view of a C-contiguous arr, a read-only copy of any other (ValueError). Returns None.
 * Source: numpy/lib/_shape_base_impl.py (put_along_axis, _make_along_axis_idx).
 */
function putAlongAxis(arrV: PyValue, indicesV: PyValue, values: PyValue, axisV: PyValue, ctx: CallContext): null {
  if (!(arrV instanceof NumpyArray)) throw pyError('AttributeError', `'${typeNameOf(arrV)}' object has no attribute 'ndim'`);
  const indices = indicesV;
  let target = arrV, axis = 0;
  if (axisV === null) {
    if (!(indices instanceof NumpyArray)) throw pyError('AttributeError', `'${typeNameOf(indices)}' object has no attribute 'ndim'`);
    if (indices.t.ndim !== 1) throw pyError('ValueError', 'when axis=None, `indices` must have a single dimension.');
    if (!arrV.t.isContiguous()) throw pyError('ValueError', 'assignment destination is read-only');
    target = new NumpyArray(reshape(arrV.t, [-1]));
  } else {
    axis = normAxis(axisV, arrV.t.ndim);
  }
  if (!(indices instanceof NumpyArray)) throw pyError('AttributeError', `'${typeNameOf(indices)}' object has no attribute 'dtype'`);
  if (isFloating(indices.t.dtype) || indices.t.dtype === 'bool') throw pyError('IndexError', '`indices` must be an integer array');
  const ndim = target.t.ndim;
  if (ndim !== indices.t.ndim) throw pyError('ValueError', '`indices` and `arr` must have the same number of dimensions');
  const index = target.t.shape.map((n, d) => {
    if (d === axis) return indices;
    const range = Tensor.empty('int64', target.t.shape.map((_, e) => (e === d ? n : 1)));
    for (let i = 0; i < n; i++) range.storage.data[i] = i;
    return new NumpyArray(range);
  });
  target.setItem(new PyTuple(index), values, ctx);
  return null;
}

/**
 * np.split / np.array_split(ary, indices_or_sections, axis=0): views of ary. An int
 * gives that many parts (split: equal, else ValueError; array_split: the first
 * n % sections parts one longer); a list gives the cut points, sliced as Python does.
 */
function splitArray(name: 'split' | 'array_split', t: Tensor, spec: PyValue, axisV: PyValue | undefined, ctx: CallContext): PyList {
  let axis = axisV === undefined ? 0 : toInt(axisV, 'axis');
  if (axis < -t.ndim || axis >= t.ndim) throw pyError('IndexError', 'tuple index out of range');
  if (axis < 0) axis += t.ndim;
  const total = t.shape[axis];
  let cuts: number[];
  if (spec instanceof PyList || spec instanceof PyTuple || spec instanceof ArrayValue) {
    cuts = [0, ...ctx.iterate(spec).map((x) => toInt(x, 'indices')), total];
  } else {
    const sections = toInt(spec, 'sections');
    if (sections <= 0) throw pyError('ValueError', 'number sections must be larger than 0.');
    if (name === 'split' && total % sections !== 0) throw pyError('ValueError', 'array split does not result in an equal division');
    const each = Math.floor(total / sections), extra = total % sections;
    cuts = [0];
    for (let i = 0; i < sections; i++) cuts.push(cuts[i] + each + (i < extra ? 1 : 0));
  }
  const parts: PyValue[] = [];
  for (let i = 0; i + 1 < cuts.length; i++) parts.push(arr(slice(t, axis, cuts[i], cuts[i + 1])));
  return new PyList(parts);
}

/** np.diag(v, k=0): a 1-D v placed on the k-th diagonal of a square matrix, or a 2-D v's k-th diagonal. */
function diag(t: Tensor, k: number): Tensor {
  if (t.ndim === 2) return diagonal(t, k);
  if (t.ndim !== 1) throw pyError('ValueError', 'Input must be 1- or 2-d.');
  const n = t.shape[0] + Math.abs(k);
  const out = Tensor.empty(t.dtype, [n, n]);
  const v = t.values();
  for (let i = 0; i < v.length; i++) out.storage.data[k >= 0 ? i * n + i + k : (i - k) * n + i] = v[i];
  return out;
}

/** np.diff(a, n=1, axis=-1, prepend, append): n-th differences; bool arrays use not_equal, as NumPy does. */
function diff(t: Tensor, a: Record<string, PyValue | undefined>, ctx: CallContext): Tensor {
  const n = a.n === undefined ? 1 : toInt(a.n, 'n');
  if (n < 0) throw pyError('ValueError', `order must be non-negative but got ${n}`);
  if (t.ndim === 0) throw pyError('ValueError', 'diff requires input that is at least one dimensional');
  const axis = normAxis(a.axis ?? -1n, t.ndim);
  const side = (v: PyValue | undefined) => {
    if (v === undefined) return [];
    const s = toNumpyTensor(v, ctx);
    return [s.ndim === 0 ? expand(reshape(s, t.shape.map(() => 1)), t.shape.map((m, d) => (d === axis ? 1 : m))) : s];
  };
  const parts = [...side(a.prepend), t, ...side(a.append)];
  let x = parts.length > 1 ? cat(parts.map((p) => cast(p, parts.map((q) => q.dtype).reduce(npPromote))), axis) : t;
  for (let i = 0; i < n; i++) {
    const len = x.shape[axis];
    const hi = slice(x, axis, 1, Math.max(len, 1)), lo = slice(x, axis, 0, Math.max(len - 1, 0));
    x = x.dtype === 'bool' ? binary('ne', hi, lo) : npBinary('-', hi, lo);
  }
  return x;
}

/** np.moveaxis(a, source, destination): the named axes moved, the others keeping their order. */
function moveaxis(t: Tensor, source: PyValue, destination: PyValue, ctx: CallContext): Tensor {
  const list = (v: PyValue, what: string) => {
    const items = v instanceof PyList || v instanceof PyTuple ? ctx.iterate(v) : [v];
    const axes = items.map((x) => normAxis(x, t.ndim, `${what}: `));
    if (new Set(axes).size !== axes.length) throw pyError('ValueError', `repeated axis in \`${what}\` argument`);
    return axes;
  };
  const src = list(source, 'source'), dst = list(destination, 'destination');
  if (src.length !== dst.length) throw pyError('ValueError', '`source` and `destination` arguments must have the same number of elements');
  const order = t.shape.map((_, i) => i).filter((i) => !src.includes(i));
  dst.map((d, i) => [d, src[i]]).sort((p, q) => p[0] - q[0]).forEach(([d, s]) => order.splice(d, 0, s));
  return permute(t, order);
}

/** np.nan_to_num(x, copy=True, nan=0.0, posinf=None, neginf=None): NaN and ±inf replaced (by ±the dtype's largest finite value by default); ints unchanged. */
function nanToNum(t: Tensor, a: Record<string, PyValue | undefined>): Tensor {
  const out = cast(t, t.dtype); // a copy, as copy=True
  if (!isFloating(t.dtype)) return out;
  const big = t.dtype === 'float16' ? 65504 : t.dtype === 'float32' ? 3.4028234663852886e38 : Number.MAX_VALUE;
  const num = (v: PyValue | undefined, fallback: number, what: string) => (v === undefined || v === null ? fallback : toFloat(v, what));
  const nan = num(a.nan, 0, 'nan'), pos = num(a.posinf, big, 'posinf'), neg = num(a.neginf, -big, 'neginf');
  const d = out.storage.data;
  for (let i = 0; i < d.length; i++) {
    const x = d[i];
    d[i] = Number.isNaN(x) ? nan : x === Infinity ? pos : x === -Infinity ? neg : x;
  }
  return cast(out, t.dtype); // the replacements rounded to the dtype
}

/** pad_width / constant_values as NumPy's _as_pairs: a scalar, one (before, after) pair, or one pair per axis. */
function asPairs(v: PyValue, ndim: number, ctx: CallContext, asIndex: boolean): [number, number][] {
  const t = cast(toNumpyTensor(v, ctx), 'float64');
  const vals = t.values();
  if (asIndex && Array.from(vals).some((x) => x < 0)) throw pyError('ValueError', "index can't contain negative values");
  const conv = (x: number) => (asIndex ? Math.round(x) : x);
  if (t.numel === 1) return Array.from({ length: ndim }, () => [conv(vals[0]), conv(vals[0])]);
  if (t.numel === 2 && (t.ndim === 1 || t.shape[0] === 1)) return Array.from({ length: ndim }, () => [conv(vals[0]), conv(vals[1])]);
  if (t.ndim === 2 && t.shape[0] === ndim && t.shape[1] === 2) return Array.from({ length: ndim }, (_, i) => [conv(vals[2 * i]), conv(vals[2 * i + 1])]);
  throw pyError('ValueError', `operands could not be broadcast together with remapped shapes [original->remapped]: ${pyTuple(t.shape)}  and requested shape (${ndim},2)`);
}

const PAD_MODES = ['constant', 'edge', 'reflect', 'symmetric', 'wrap'];
const ALL_PAD_MODES = [...PAD_MODES, 'linear_ramp', 'maximum', 'mean', 'median', 'minimum', 'empty'];

/**
 * np.pad(array, pad_width, mode='constant', **kwargs): modes constant (constant_values,
 * each axis's pad written after the previous axis's, so corners take the last axis's
 * value), edge, reflect, symmetric and wrap (periodic extensions, as NumPy's repeated
 * reflection gives). The result keeps the array's dtype.
 */
function pad(t: Tensor, a: Record<string, PyValue | undefined> & { __kw?: Kwargs }, ctx: CallContext): Tensor {
  const mode = a.mode === undefined ? 'constant' : String(a.mode);
  if (!ALL_PAD_MODES.includes(mode)) throw pyError('ValueError', `mode '${mode}' is not supported`);
  if (!PAD_MODES.includes(mode)) throw pyError('NotImplementedError', `numpy.pad with mode '${mode}' is not supported by Mask Lens yet`);
  const extra = [...(a.__kw?.keys() ?? [])];
  if (mode !== 'constant' && extra.length) throw pyError('ValueError', `unsupported keyword arguments for mode '${mode}': {${extra.map((k) => `'${k}'`).join(', ')}}`);
  const bad = extra.filter((k) => k !== 'constant_values');
  if (bad.length) throw pyError('ValueError', `unsupported keyword arguments for mode '${mode}': {${bad.map((k) => `'${k}'`).join(', ')}}`);
  const widths = asPairs(a.pad_width!, t.ndim, ctx, true);
  const values = mode === 'constant' ? asPairs(a.__kw?.get('constant_values') ?? 0n, t.ndim, ctx, false) : [];
  if (mode !== 'constant') {
    t.shape.forEach((s, d) => {
      if (s === 0 && (widths[d][0] > 0 || widths[d][1] > 0)) throw pyError('ValueError', `can't extend empty axis ${d} using modes other than 'constant' or 'empty'`);
    });
  }
  const shape = t.shape.map((s, d) => s + widths[d][0] + widths[d][1]);
  const out = Tensor.empty(t.dtype, shape);
  const fill = values.map(([b, e]) => [cast(scalarTensor(b, 'float64'), t.dtype).item(), cast(scalarTensor(e, 'float64'), t.dtype).item()]);
  const period = (n: number) => (mode === 'reflect' ? 2 * (n - 1) : mode === 'symmetric' ? 2 * n : n);
  const source = (i: number, n: number): number => {
    if (i >= 0 && i < n) return i;
    if (mode === 'edge' || (mode === 'reflect' && n === 1)) return i < 0 ? 0 : n - 1;
    const p = period(n);
    const j = ((i % p) + p) % p;
    if (mode === 'wrap') return j;
    if (mode === 'reflect') return j < n ? j : p - j;
    return j < n ? j : p - 1 - j;
  };
  const pos = new Array<number>(shape.length).fill(0);
  const src = new Array<number>(shape.length);
  for (let w = 0; w < out.numel; w++) {
    let padded: number | undefined;
    for (let d = 0; d < shape.length; d++) {
      const i = pos[d] - widths[d][0];
      if (mode === 'constant' && (i < 0 || i >= t.shape[d])) padded = fill[d][i < 0 ? 0 : 1];
      else src[d] = source(i, t.shape[d]);
    }
    out.storage.data[w] = padded ?? t.storage.data[t.offsetOf(src)];
    for (let d = shape.length - 1; d >= 0 && ++pos[d] === shape[d]; d--) pos[d] = 0;
  }
  return out;
}

/** np.roll(a, shift, axis=None): shift and axis broadcast against each other, shifts on one axis adding up; no axis rolls the flattened array. */
function npRoll(t: Tensor, shiftV: PyValue, axisV: PyValue | undefined, ctx: CallContext): Tensor {
  const ints = (v: PyValue, what: string) => (v instanceof PyList || v instanceof PyTuple || v instanceof ArrayValue ? ctx.iterate(v).map((x) => toInt(x, what)) : [toInt(v, what)]);
  const shifts = ints(shiftV, 'shift');
  // no axis: the flattened array rolled along its only axis (every shift adds up there)
  if (axisV === undefined || axisV === null) return reshape(npRoll(reshape(t, [-1]), shiftV, 0n, ctx), t.shape);
  const axes = ints(axisV, 'axis').map((x) => normAxis(x, t.ndim));
  if (shifts.length !== axes.length && shifts.length !== 1 && axes.length !== 1) {
    throw pyError('ValueError', `shape mismatch: objects cannot be broadcast to a single shape.  Mismatch is between arg 0 with shape (${shifts.length},) and arg 1 with shape (${axes.length},).`);
  }
  const m = Math.max(shifts.length, axes.length);
  const total = new Map<number, number>();
  for (let i = 0; i < m; i++) {
    const ax = axes[axes.length === 1 ? 0 : i];
    total.set(ax, (total.get(ax) ?? 0) + shifts[shifts.length === 1 ? 0 : i]);
  }
  return cast(roll(t, [...total.values()], [...total.keys()]), t.dtype);
}

/** np.meshgrid(*xi, copy=True, sparse=False, indexing='xy'): each input flattened; 'xy' swaps the first two output dims. A tuple. */
function meshgrid(args: PyValue[], kw: Kwargs, ctx: CallContext): PyTuple {
  const indexing = kw.has('indexing') ? String(kw.get('indexing')) : 'xy';
  if (indexing !== 'xy' && indexing !== 'ij') throw pyError('ValueError', "Valid values for `indexing` are 'xy' and 'ij'.");
  const sparse = kw.has('sparse') ? toBool(kw.get('sparse'), ctx) : false;
  const xs = args.map((x) => reshape(toNumpyTensor(x, ctx), [-1]));
  const n = xs.length;
  const sizes = xs.map((x) => x.shape[0]);
  const swap = indexing === 'xy' && n > 1;
  const place = (i: number) => (swap && i < 2 ? 1 - i : i);
  const full = sizes.map((_, d) => sizes[swap && d < 2 ? 1 - d : d]);
  return new PyTuple(xs.map((x, i) => {
    const one = sizes.map((_, d) => (d === place(i) ? x.shape[0] : 1));
    const r = reshape(x, one);
    return arr(sparse ? cast(r, r.dtype) : cast(expand(r, full), x.dtype));
  }));
}

const LETTER = /^[A-Za-z]$/;

/**
 * np.einsum(subscripts, *operands): NumPy's c_einsum (numpy/_core/src/multiarray/einsum.c.src)
 * by enumeration: any number of operands, '...' broadcast dims, a label repeated in
 * one operand taking the diagonal, size-1 dims broadcast, and without '->' the output
 * is the broadcast dims then the labels used once, in ASCII order. The dtype is the
 * operands' NumPy promotion (bool: any of the products). Sums run in NumPy's order:
 * its SIMD kernels where the summed labels trail the operands (simdInnerLoop), else one
 * product at a time in row-major order of the summed labels. Errors are NumPy's ValueErrors.
 */
export function einsum(subscripts: string, operands: Tensor[]): Tensor {
  const spec = subscripts.replace(/ /g, '');
  const arrow = spec.indexOf('->');
  if ((arrow < 0 && /[->]/.test(spec)) || (arrow >= 0 && /[->]/.test(spec.slice(0, arrow) + spec.slice(arrow + 2)))) {
    throw pyError('ValueError', "einstein sum subscript string does not contain proper '->' output specified");
  }
  const lhs = arrow < 0 ? spec : spec.slice(0, arrow);
  const inputs = lhs.split(',');
  if (inputs.length < operands.length) throw pyError('ValueError', 'fewer operands provided to einstein sum function than specified in the subscripts string');
  if (inputs.length > operands.length) throw pyError('ValueError', 'more operands provided to einstein sum function than specified in the subscripts string');
  const parse = (s: string) => {
    const dots = s.indexOf('...');
    const letters = s.replace('...', '');
    for (const c of letters) if (!LETTER.test(c)) throw pyError('ValueError', `invalid subscript '${c}' in einstein sum subscripts string, subscripts must be letters`);
    return { before: dots < 0 ? letters : s.slice(0, dots), after: dots < 0 ? '' : s.slice(dots + 3), ellipsis: dots >= 0 };
  };
  // each operand's dims as labels; broadcast dims are \u0100 + k, right-aligned across operands
  const parsed = inputs.map(parse);
  let nEll = 0;
  const dimsOf = parsed.map((p, k) => {
    const letters = p.before.length + p.after.length, ndim = operands[k].ndim;
    if (!p.ellipsis && ndim > letters) throw pyError('ValueError', "operand has more dimensions than subscripts given in einstein sum, but no '...' ellipsis provided to broadcast the extra dimensions.");
    if (ndim < letters) throw pyError('ValueError', `einstein sum subscripts string contains too many subscripts for operand ${k}`);
    nEll = Math.max(nEll, ndim - letters);
    return { p, ell: ndim - letters };
  });
  const ellLabels = Array.from({ length: nEll }, (_, i) => String.fromCharCode(0x100 + i));
  const labelsOf = dimsOf.map(({ p, ell }) => [...p.before, ...ellLabels.slice(nEll - ell), ...p.after]);
  const counts = new Map<string, number>();
  labelsOf.flat().forEach((l) => counts.set(l, (counts.get(l) ?? 0) + 1));
  let outLabels: string[];
  if (arrow >= 0) {
    const o = parse(spec.slice(arrow + 2));
    for (const c of o.before + o.after) {
      if (!counts.has(c)) throw pyError('ValueError', `einstein sum subscripts string included output subscript '${c}' which never appeared in an input`);
      if ((o.before + o.after).split(c).length > 2) throw pyError('ValueError', `einstein sum subscripts string includes output subscript '${c}' multiple times`);
    }
    if (!o.ellipsis && nEll > 0) throw pyError('ValueError', "output has more dimensions than subscripts given in einstein sum, but no '...' ellipsis provided to broadcast the extra dimensions.");
    outLabels = [...o.before, ...ellLabels, ...o.after];
  } else {
    const once = [...counts.keys()].filter((l) => !ellLabels.includes(l) && counts.get(l) === 1).sort();
    outLabels = [...ellLabels, ...once];
  }
  const reduced = [...counts.keys()].filter((l) => !outLabels.includes(l)).sort();
  const iter = [...outLabels, ...reduced];
  // sizes: a label's size must agree within an operand (diagonal) and broadcast across operands
  const size = new Map<string, number>();
  labelsOf.forEach((ls, k) => {
    const own = new Map<string, number>();
    ls.forEach((l, d) => {
      const n = operands[k].shape[d];
      const seen = own.get(l);
      if (seen !== undefined && seen !== n) throw pyError('ValueError', `dimensions in single operand for collapsing index '${l}' don't match (${seen} != ${n})`);
      own.set(l, n);
    });
  });
  const fits = labelsOf.every((ls, k) => ls.every((l, d) => {
    const n = operands[k].shape[d], seen = size.get(l);
    if (seen !== undefined && seen !== n && seen !== 1 && n !== 1) return false;
    size.set(l, seen === undefined || seen === 1 ? n : seen);
    return true;
  }));
  if (!fits) {
    const remapped = labelsOf.map((ls, k) => {
      const r = iter.map((l) => (ls.includes(l) ? operands[k].shape[ls.indexOf(l)] : 'newaxis'));
      while (r[0] === 'newaxis') r.shift();
      return `${pyTuple(operands[k].shape)}->${pyTuple(r)} `;
    });
    throw pyError('ValueError', `operands could not be broadcast together with remapped shapes [original->remapped]: ${remapped.join('')}`);
  }
  const dtype = operands.map((o) => o.dtype).reduce(npPromote);
  const work = dtype === 'bool' ? 'int64' : dtype;
  const round = work === 'float32' || work === 'float16' ? Math.fround : (x: number) => x;
  const vals = operands.map((o) => contiguous(cast(o, work)));
  const outShape = outLabels.map((l) => size.get(l)!);
  const out = Tensor.empty(work, outShape);
  const inner = numelOf(reduced.map((l) => size.get(l)!));
  const simd = simdInnerLoop(labelsOf, reduced, vals, work);
  if (simd) {
    // the summed labels trail every operand: one vectorised dot product or sum per output element
    const pos = new Array<number>(outLabels.length).fill(0);
    for (let o = 0; o < out.numel; o++) {
      const starts = vals.map((t, k) => t.offsetOf(labelsOf[k].map((l, d) => (d >= t.ndim - reduced.length || t.shape[d] === 1 ? 0 : pos[outLabels.indexOf(l)]))));
      const acc = vals.length === 1 ? simdSum(vals[0].storage.data, starts[0], inner, simd, round) : simdDot(vals[0].storage.data, starts[0], vals[1].storage.data, starts[1], inner, simd, round);
      out.storage.data[o] = round(0 + acc);
      for (let d = outLabels.length - 1; d >= 0 && ++pos[d] === outShape[d]; d--) pos[d] = 0;
    }
    return dtype === 'bool' ? binary('ne', out, 0) : cast(out, dtype);
  }
  const pos = new Map<string, number>(iter.map((l) => [l, 0]));
  const idx = vals.map((t) => new Array<number>(t.ndim));
  for (let o = 0; o < out.numel; o++) {
    let acc = 0;
    for (let r = 0; r < inner; r++) {
      let prod = 1;
      vals.forEach((t, k) => {
        labelsOf[k].forEach((l, d) => (idx[k][d] = t.shape[d] === 1 ? 0 : pos.get(l)!));
        prod = round(prod * t.storage.data[t.offsetOf(idx[k])]);
      });
      acc = round(acc + prod);
      for (let j = iter.length - 1; j >= outLabels.length; j--) {
        const l = iter[j], next = pos.get(l)! + 1;
        if (next < size.get(l)!) { pos.set(l, next); break; }
        pos.set(l, 0);
      }
    }
    out.storage.data[o] = acc;
    for (let j = outLabels.length - 1; j >= 0; j--) {
      const l = iter[j], next = pos.get(l)! + 1;
      if (next < size.get(l)!) { pos.set(l, next); break; }
      pos.set(l, 0);
    }
  }
  return dtype === 'bool' ? binary('ne', out, 0) : cast(out, dtype);
}

/**
 * NumPy's einsum inner loop when the summed labels are the trailing dims, in the same
 * order, of each of one or two float operands that carry no size-1 broadcast or repeated
 * label: the iterator then coalesces them into one contiguous run per output element
 * and calls the SIMD kernels of einsum_sumprod.c.src (sum_of_arr, and
 * sum_of_products_contig_contig_outstride0_two). Returns their lane count (NumPy's x86-64
 * baseline is 128-bit: 2 float64 or 4 float32 lanes), or undefined for the plain loop.
 */
function simdInnerLoop(labelsOf: string[][], reduced: string[], vals: Tensor[], work: DType): number | undefined {
  if (reduced.length === 0 || vals.length > 2 || (work !== 'float64' && work !== 'float32')) return undefined;
  const ok = labelsOf.every((ls, k) => {
    if (new Set(ls).size !== ls.length) return false;
    const tail = ls.slice(ls.length - reduced.length);
    if (tail.join() !== reduced.join() || ls.slice(0, ls.length - reduced.length).some((l) => reduced.includes(l))) return false;
    return vals[k].shape.slice(vals[k].ndim - reduced.length).every((n, i) => n === vals[0].shape[vals[0].ndim - reduced.length + i]);
  });
  // both operands must agree on the run's length, and every other label must be outside it
  return ok ? (work === 'float64' ? 2 : 4) : undefined;
}

/** Lanes summed as NumPy's npyv_sum does with SSE3's hadd: adjacent pairs, then pairs of those. */
function laneSum(acc: number[], round: (x: number) => number): number {
  let v = acc;
  while (v.length > 1) v = Array.from({ length: v.length / 2 }, (_, k) => round(v[2 * k] + v[2 * k + 1]));
  return v[0];
}

/** einsum's sum_of_arr: blocks of 4 vectors added as (a0+a1)+(a2+a3) into the lane accumulators, the rest a vector at a time, then the lanes summed. */
function simdSum(v: ArrayLike<number>, off: number, n: number, lanes: number, round: (x: number) => number): number {
  const acc = new Array<number>(lanes).fill(0);
  let i = 0;
  for (; n - i >= 4 * lanes; i += 4 * lanes) {
    for (let j = 0; j < lanes; j++) {
      const at = (b: number) => v[off + i + b * lanes + j];
      acc[j] = round(round(round(at(0) + at(1)) + round(at(2) + at(3))) + acc[j]);
    }
  }
  for (; i < n; i += lanes) for (let j = 0; j < lanes; j++) acc[j] = round((i + j < n ? v[off + i + j] : 0) + acc[j]);
  return laneSum(acc, round);
}

/**
 * einsum's sum_of_products_contig_contig_outstride0_two: per lane, each block of 4 vectors
 * multiply-adds a3*b3, then a2*b2, a1*b1, a0*b0 into the accumulator (a multiply then an
 * add, each rounded: the baseline has no FMA), the rest a vector at a time, zero-padded.
 */
function simdDot(a: ArrayLike<number>, aOff: number, b: ArrayLike<number>, bOff: number, n: number, lanes: number, round: (x: number) => number): number {
  const acc = new Array<number>(lanes).fill(0);
  const muladd = (x: number, y: number, z: number) => round(round(x * y) + z);
  let i = 0;
  for (; n - i >= 4 * lanes; i += 4 * lanes) {
    for (let j = 0; j < lanes; j++) {
      const at = (blk: number) => i + blk * lanes + j;
      let r = acc[j];
      for (const blk of [3, 2, 1, 0]) r = muladd(a[aOff + at(blk)], b[bOff + at(blk)], r);
      acc[j] = r;
    }
  }
  for (; i < n; i += lanes) for (let j = 0; j < lanes; j++) acc[j] = i + j < n ? muladd(a[aOff + i + j], b[bOff + i + j], acc[j]) : acc[j];
  return laneSum(acc, round);
}

/**
 * np.linalg.norm(x, ord=None, axis=None, keepdims=False) as numpy/linalg/_linalg.py: ints
 * become float64; vector norms (ord None/2, 1, inf, -inf, 0, any p) along one axis or of a
 * 1-D x, matrix norms ('fro', 1, -1, inf, -inf) over two axes or of a 2-D x. ord=None
 * without axis is the 2-norm of the flattened array; NumPy takes that one from BLAS's dot,
 * whose summation order depends on the CPU, so its last digit may differ from the
 * pairwise sum used here. Matrix ord 2, -2 and 'nuc' need
 * singular values, which Mask Lens does not compute (NotImplementedError).
 */
function norm(t0: Tensor, ordV: PyValue | undefined, axisV: PyValue | undefined, keepdims: boolean): Tensor {
  const t = isFloating(t0.dtype) ? t0 : cast(t0, 'float64');
  const ord = ordV === undefined ? null : ordV;
  const abs = () => unary('abs', t);
  const sq = () => binary('mul', t, t);
  if (axisV === undefined || axisV === null) {
    if (ord === null) {
      const r = unary('sqrt', npSum(sq(), null, false));
      return keepdims ? reshape(r, t.shape.map(() => 1)) : r;
    }
    if (t.ndim !== 1 && t.ndim !== 2) throw pyError('ValueError', 'Improper number of dimensions to norm.');
  }
  const axes = axisV === undefined || axisV === null ? t.shape.map((_, i) => i) : (axisV instanceof PyTuple || axisV instanceof PyList ? axisV.items : [axisV]).map((x) => normAxis(x, t.ndim));
  if (axes.length === 1) {
    const ax = axes;
    if (typeof ord === 'string') throw pyError('ValueError', `Invalid norm order '${ord}' for vectors`);
    const p = ord === null ? 2 : toFloat(ord, 'ord');
    if (p === Infinity) return reduce('max', abs(), ax, keepdims);
    if (p === -Infinity) return reduce('min', abs(), ax, keepdims);
    if (p === 0) return cast(npSum(cast(binary('ne', t, 0), t.dtype), ax, keepdims), t.dtype);
    if (p === 1) return npSum(abs(), ax, keepdims);
    if (p === 2) return unary('sqrt', npSum(sq(), ax, keepdims));
    return binary('pow', npSum(binary('pow', abs(), scalarTensor(p, t.dtype)), ax, keepdims), scalarTensor(1 / p, t.dtype));
  }
  if (axes.length !== 2) throw pyError('ValueError', 'Improper number of dimensions to norm.');
  const [r, c] = axes;
  if (r === c) throw pyError('ValueError', 'Duplicate axes given.');
  const keep = (x: Tensor) => (keepdims ? reshape(x, t.shape.map((s, i) => (axes.includes(i) ? 1 : s))) : x);
  if (ord === null || ord === 'fro') return keep(unary('sqrt', npSum(sq(), [...axes].sort((a, b) => a - b), false)));
  const p = typeof ord === 'string' ? NaN : toFloat(ord, 'ord');
  if (p === 1 || p === -1) {
    const sums = npSum(abs(), [r], false);
    return keep(reduce(p === 1 ? 'max' : 'min', sums, c > r ? c - 1 : c, false));
  }
  if (p === Infinity || p === -Infinity) {
    const sums = npSum(abs(), [c], false);
    return keep(reduce(p === Infinity ? 'max' : 'min', sums, r > c ? r - 1 : r, false));
  }
  if (p === 2 || p === -2 || ord === 'nuc') throw pyError('NotImplementedError', `numpy.linalg.norm with ord=${typeof ord === 'string' ? `'${ord}'` : ord} (singular values) is not supported by Mask Lens yet`);
  throw pyError('ValueError', 'Invalid norm order for matrices.');
}

/**
 * einsum(op0, sublist0, op1, sublist1, ..., [sublistout]) as a subscripts string: axis
 * numbers 0-25 become 'A'-'Z' and 26-51 'a'-'z' (NumPy's mapping, so the implicit output
 * keeps numeric order), Ellipsis becomes '...'.
 */
function fromSublists(args: PyValue[], ctx: CallContext): [string, PyValue[]] {
  const letters = (v: PyValue) => ctx.iterate(v).map((x) => {
    if (x instanceof PyEllipsis) return '...';
    const k = toInt(x, 'subscript');
    if (k < 0 || k >= 52) throw pyError('ValueError', 'subscript is not within the valid range [0, 52)');
    return String.fromCharCode(k < 26 ? 65 + k : 97 + k - 26);
  }).join('');
  const ops: PyValue[] = [], subs: string[] = [];
  for (let i = 0; i + 1 < args.length; i += 2) ops.push(args[i]), subs.push(letters(args[i + 1]));
  return [subs.join(',') + (args.length % 2 === 1 ? `->${letters(args[args.length - 1])}` : ''), ops];
}

/** Registers the functions of this file on the numpy module (`def`) and np.linalg. */
export function defineMoreFunctions(np: PyModule, def: (name: string, f: NativeFn) => void): void {
  const t = (v: PyValue | undefined, ctx: CallContext) => toNumpyTensor(v ?? null, ctx);
  def('sort', (args, kw, ctx) => {
    const a = bind('sort', args, kw, ['a', 'axis?', 'kind?', 'order?', 'stable?']);
    return arr(sorted(t(a.a, ctx), a.axis, a.kind).values);
  });
  def('split', (args, kw, ctx) => {
    const a = bind('split', args, kw, ['ary', 'indices_or_sections', 'axis?']);
    return splitArray('split', t(a.ary, ctx), a.indices_or_sections!, a.axis, ctx);
  });
  def('array_split', (args, kw, ctx) => {
    const a = bind('array_split', args, kw, ['ary', 'indices_or_sections', 'axis?']);
    return splitArray('array_split', t(a.ary, ctx), a.indices_or_sections!, a.axis, ctx);
  });
  def('diag', (args, kw, ctx) => {
    const a = bind('diag', args, kw, ['v', 'k?']);
    return arr(diag(t(a.v, ctx), a.k === undefined ? 0 : toInt(a.k, 'k')));
  });
  def('take_along_axis', (args, kw, ctx) => {
    const a = bind('take_along_axis', args, kw, ['arr', 'indices', 'axis?']);
    return arr(takeAlongAxis(t(a.arr, ctx), a.indices!, a.axis, ctx));
  });
  def('put_along_axis', (args, kw, ctx) => {
    const a = bind('put_along_axis', args, kw, ['arr', 'indices', 'values', 'axis']);
    return putAlongAxis(a.arr!, a.indices!, a.values!, a.axis!, ctx);
  });
  def('diff', (args, kw, ctx) => {
    const a = bind('diff', args, kw, ['a', 'n?', 'axis?', 'prepend?', 'append?']);
    return arr(diff(t(a.a, ctx), a, ctx));
  });
  def('moveaxis', (args, kw, ctx) => {
    const a = bind('moveaxis', args, kw, ['a', 'source', 'destination']);
    return arr(moveaxis(t(a.a, ctx), a.source!, a.destination!, ctx));
  });
  def('nan_to_num', (args, kw, ctx) => {
    const a = bind('nan_to_num', args, kw, ['x', 'copy?', 'nan?', 'posinf?', 'neginf?']);
    return npResult(nanToNum(t(a.x, ctx), a));
  });
  def('pad', (args, kw, ctx) => {
    const a = bind('pad', args, kw, ['array', 'pad_width', 'mode?', '**']);
    return arr(pad(t(a.array, ctx), a, ctx));
  });
  def('roll', (args, kw, ctx) => {
    const a = bind('roll', args, kw, ['a', 'shift', 'axis?']);
    return arr(npRoll(t(a.a, ctx), a.shift!, a.axis, ctx));
  });
  def('meshgrid', (args, kw, ctx) => meshgrid(args, kw, ctx));
  def('einsum', (args, kw, ctx) => {
    let [subs, ...ops] = args;
    if (typeof subs !== 'string') [subs, ops] = fromSublists(args, ctx);
    for (const k of kw.keys()) if (!['out', 'dtype', 'order', 'casting', 'optimize'].includes(k)) throw pyError('TypeError', `einsum() got an unexpected keyword argument '${k}'`);
    return npResult(einsum(subs, ops.map((o) => t(o, ctx))));
  });
  const linalg = new PyModule('numpy.linalg');
  linalg.dict.set('norm', new PyBuiltin('norm', (args, kw, ctx) => {
    const a = bind('norm', args, kw, ['x', 'ord?', 'axis?', 'keepdims?']);
    return npResult(norm(t(a.x, ctx), a.ord, a.axis, toBool(a.keepdims, ctx)));
  }, 'numpy.linalg.norm'));
  np.dict.set('linalg', linalg);
}
