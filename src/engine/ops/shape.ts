// Movement ops. Most return views sharing storage, as PyTorch's do.

import { promoteTypes as promote } from '../dtype';
import { EngineError, indexError, runtimeError, valueError } from '../errors';
import { Tensor, checkShape, contiguousStrides, hasWide, int64Values, numelOf, setInt64 } from '../tensor';
import { cast, checkSize, contiguous } from './core';

export const fmtShape = (s: readonly number[]) => `[${s.join(', ')}]`;

/** Wrap a possibly negative dim; `ndim` 0 behaves as 1 as in ATen. */
export function normalizeDim(dim: number, ndim: number): number {
  const n = Math.max(ndim, 1);
  if (dim < -n || dim >= n) {
    throw indexError(`Dimension out of range (expected to be in range of [${-n}, ${n - 1}], but got ${dim})`);
  }
  return dim < 0 ? dim + n : dim;
}

/** Resolve a single -1 in a requested shape. */
export function inferShape(shape: readonly number[], numel: number): number[] {
  let infer = -1, known = 1;
  for (let i = 0; i < shape.length; i++) {
    if (shape[i] === -1) {
      if (infer >= 0) throw runtimeError('only one dimension can be inferred');
      infer = i;
    } else if (shape[i] < 0) {
      throw runtimeError(`invalid shape dimension ${shape[i]} at index ${i} of shape ${fmtShape(shape)}`);
    } else known *= shape[i];
  }
  const out = shape.slice();
  if (infer >= 0) {
    if (known === 0 || numel % known !== 0) {
      throw runtimeError(`shape '${fmtShape(shape)}' is invalid for input of size ${numel}`);
    }
    out[infer] = numel / known;
  } else if (known !== numel) {
    throw runtimeError(`shape '${fmtShape(shape)}' is invalid for input of size ${numel}`);
  }
  return out;
}

/** Strides for viewing `x` as `shape` without copying, or null (ATen's computeStride). */
function viewStrides(x: Tensor, shape: readonly number[]): number[] | null {
  if (x.numel === 0) return contiguousStrides(shape);
  const oldShape = x.shape, oldStrides = x.strides;
  const newStrides = new Array<number>(shape.length);
  let viewD = shape.length - 1;
  let chunkBase = oldStrides[oldShape.length - 1] ?? 1;
  let tensorNumel = 1, viewNumel = 1;
  for (let d = oldShape.length - 1; d >= 0; d--) {
    tensorNumel *= oldShape[d];
    if (d === 0 || (oldShape[d - 1] !== 1 && oldStrides[d - 1] !== tensorNumel * chunkBase)) {
      while (viewD >= 0 && (viewNumel < tensorNumel || shape[viewD] === 1)) {
        newStrides[viewD] = viewNumel * chunkBase;
        viewNumel *= shape[viewD];
        viewD--;
      }
      if (viewNumel !== tensorNumel) return null;
      if (d > 0) {
        chunkBase = oldStrides[d - 1];
        tensorNumel = 1;
        viewNumel = 1;
      }
    }
  }
  if (viewD !== -1) return null;
  return newStrides;
}

export function view(x: Tensor, shape: readonly number[]): Tensor {
  const s = inferShape(shape, x.numel);
  const strides = viewStrides(x, s);
  if (!strides) {
    throw runtimeError(
      "view size is not compatible with input tensor's size and stride (at least one dimension spans across two contiguous subspaces). Use .reshape(...) instead.",
    );
  }
  return x.view(s, strides);
}

export function reshape(x: Tensor, shape: readonly number[]): Tensor {
  const s = inferShape(shape, x.numel);
  const strides = viewStrides(x, s);
  return strides ? x.view(s, strides) : contiguous(x).view(s, contiguousStrides(s));
}

export function flatten(x: Tensor, start = 0, end = -1): Tensor {
  if (x.ndim === 0) return reshape(x, [1]);
  const a = normalizeDim(start, x.ndim), b = normalizeDim(end, x.ndim);
  if (a > b) throw runtimeError('flatten() has invalid args: start_dim cannot come after end_dim');
  const shape = [...x.shape.slice(0, a), numelOf(x.shape.slice(a, b + 1)), ...x.shape.slice(b + 1)];
  return reshape(x, shape);
}

export function permute(x: Tensor, dims: readonly number[]): Tensor {
  if (dims.length !== x.ndim) {
    throw runtimeError(
      `permute(sparse_coo): number of dimensions in the tensor input does not match the length of the desired ordering of dimensions i.e. input.dim() = ${x.ndim} is not equal to len(dims) = ${dims.length}`,
    );
  }
  const d = dims.map((v) => normalizeDim(v, x.ndim));
  if (new Set(d).size !== d.length) throw runtimeError('permute(): duplicate dims are not allowed.');
  return x.view(d.map((i) => x.shape[i]), d.map((i) => x.strides[i]));
}

export function transpose(x: Tensor, d0: number, d1: number): Tensor {
  if (x.ndim === 0) return x;
  const a = normalizeDim(d0, x.ndim), b = normalizeDim(d1, x.ndim);
  const order = x.shape.map((_, i) => i);
  order[a] = b;
  order[b] = a;
  return permute(x, order);
}

export function unsqueeze(x: Tensor, dim: number): Tensor {
  const d = normalizeDim(dim, x.ndim + 1);
  const shape = x.shape.slice(), strides = x.strides.slice();
  const stride = d < x.ndim ? x.shape[d] * x.strides[d] : 1;
  shape.splice(d, 0, 1);
  strides.splice(d, 0, stride);
  return x.view(shape, strides);
}

export function squeeze(x: Tensor, dim?: number | number[]): Tensor {
  const dims = dim === undefined ? null : new Set((Array.isArray(dim) ? dim : [dim]).map((d) => normalizeDim(d, x.ndim)));
  const shape: number[] = [], strides: number[] = [];
  x.shape.forEach((s, i) => {
    if (s === 1 && (!dims || dims.has(i))) return;
    shape.push(s);
    strides.push(x.strides[i]);
  });
  return x.view(shape, strides);
}

export function expand(x: Tensor, sizes: readonly number[]): Tensor {
  if (sizes.length < x.ndim) {
    throw runtimeError(
      `expand(torch.${x.dtype === 'float32' ? 'FloatTensor' : 'Tensor'}{${fmtShape(x.shape)}}, size=${fmtShape(sizes)}): the number of sizes provided (${sizes.length}) must be greater or equal to the number of dimensions in the tensor (${x.ndim})`,
    );
  }
  const n = sizes.length, lead = n - x.ndim;
  const shape = new Array<number>(n), strides = new Array<number>(n);
  for (let i = n - 1; i >= 0; i--) {
    const j = i - lead;
    if (j < 0) {
      if (sizes[i] === -1) throw runtimeError(`The expanded size of the tensor (${sizes[i]}) isn't allowed in a leading, non-existing dimension ${i}`);
      shape[i] = sizes[i];
      strides[i] = 0;
      continue;
    }
    const want = sizes[i] === -1 ? x.shape[j] : sizes[i];
    if (x.shape[j] !== 1 && want !== x.shape[j]) {
      throw runtimeError(
        `The expanded size of the tensor (${want}) must match the existing size (${x.shape[j]}) at non-singleton dimension ${i}.  Target sizes: ${fmtShape(sizes)}.  Tensor sizes: ${fmtShape(x.shape)}`,
      );
    }
    shape[i] = want;
    strides[i] = x.shape[j] === 1 && want !== 1 ? 0 : x.strides[j];
  }
  checkExpandedNumel(shape);
  return x.view(shape, strides);
}

/**
 * ATen lets a negative size other than -1 through expand's geometry, then
 * computes numel in unsigned 64-bit arithmetic, where it overflows (PyTorch
 * 2.13: `ones(2, 3, 1).expand(2, 3, -2)` is `RuntimeError: numel: integer
 * multiplication overflow`). With a zero-size dimension the product is 0 and
 * PyTorch returns a tensor with a negative dimension, which we refuse.
 */
function checkExpandedNumel(shape: readonly number[]): void {
  if (!shape.some((d) => d < 0)) return;
  if (shape.some((d) => d === 0)) throw new EngineError('NotImplementedError', `expand to size ${fmtShape(shape)} (a negative size beside a zero-size dimension) is not supported by Mask Lens`);
  throw runtimeError('numel: integer multiplication overflow');
}

/** x[start:end:step] along `dim` as a view. Bounds are clamped as Python slices are. */
export function slice(x: Tensor, dim: number, start: number | null, end: number | null, step = 1): Tensor {
  const d = normalizeDim(dim, x.ndim);
  const size = x.shape[d];
  if (step <= 0) throw valueError('step must be greater than zero');
  let s = start ?? 0, e = end ?? size;
  if (s < 0) s += size;
  if (e < 0) e += size;
  s = Math.min(Math.max(s, 0), size);
  e = Math.min(Math.max(e, s), size);
  const len = Math.ceil((e - s) / step);
  const shape = x.shape.slice(), strides = x.strides.slice();
  shape[d] = len;
  strides[d] = x.strides[d] * step;
  return x.view(shape, strides, x.offset + s * x.strides[d]);
}

/** x.select(dim, i): drops the dimension. */
export function select(x: Tensor, dim: number, index: number): Tensor {
  if (x.ndim === 0) throw indexError('invalid index of a 0-dim tensor. Use `tensor.item()` in Python or `tensor.item<T>()` in C++ to convert a 0-dim tensor to a number');
  const d = normalizeDim(dim, x.ndim);
  const size = x.shape[d];
  if (index < -size || index >= size) {
    throw indexError(`index ${index} is out of bounds for dimension ${d} with size ${size}`);
  }
  const i = index < 0 ? index + size : index;
  const shape = x.shape.slice(), strides = x.strides.slice();
  shape.splice(d, 1);
  strides.splice(d, 1);
  return x.view(shape, strides, x.offset + i * x.strides[d]);
}

/**
 * x.diagonal(offset, dim1, dim2): a view of the diagonal of the (dim1, dim2)
 * planes, those dims removed and the diagonal appended last (length
 * min(n1, n2 - offset) for offset >= 0, min(n1 + offset, n2) below, at least
 * 0), its stride the sum of theirs, as ATen's diagonal. RuntimeError when
 * dim1 and dim2 name the same dim; IndexError for a dim out of range.
 */
export function diagonal(x: Tensor, offset = 0, dim1 = 0, dim2 = 1): Tensor {
  const d1 = normalizeDim(dim1, x.ndim), d2 = normalizeDim(dim2, x.ndim);
  if (d1 === d2) throw runtimeError(`diagonal dimensions cannot be identical ${dim1}, ${dim2}`);
  const n1 = x.shape[d1], n2 = x.shape[d2];
  const length = Math.max(0, offset >= 0 ? Math.min(n1, n2 - offset) : Math.min(n1 + offset, n2));
  // an empty diagonal keeps the base offset, as ATen does
  const start = length === 0 ? x.offset : x.offset + (offset >= 0 ? offset * x.strides[d2] : -offset * x.strides[d1]);
  const shape: number[] = [], strides: number[] = [];
  x.shape.forEach((n, k) => {
    if (k !== d1 && k !== d2) {
      shape.push(n);
      strides.push(x.strides[k]);
    }
  });
  shape.push(length);
  strides.push(x.strides[d1] + x.strides[d2]);
  return x.view(shape, strides, start);
}

export function narrow(x: Tensor, dim: number, start: number, length: number): Tensor {
  return slice(x, dim, start, start + length);
}

export function cat(tensors: readonly Tensor[], dim = 0): Tensor {
  if (tensors.length === 0) throw runtimeError('torch.cat(): expected a non-empty list of Tensors');
  // Legacy: 1-D empty tensors are skipped.
  const parts = tensors.filter((t) => !(t.ndim === 1 && t.numel === 0));
  if (parts.length === 0) return tensors[0];
  const ref = parts[0];
  if (ref.ndim === 0) throw runtimeError('zero-dimensional tensor (at position 0) cannot be concatenated');
  const d = normalizeDim(dim, ref.ndim);
  let dtype = ref.dtype;
  parts.forEach((t, i) => {
    if (t.ndim !== ref.ndim) {
      throw runtimeError(
        `Tensors must have same number of dimensions: got ${ref.ndim} and ${t.ndim}`,
      );
    }
    for (let k = 0; k < ref.ndim; k++) {
      if (k !== d && t.shape[k] !== ref.shape[k]) {
        throw runtimeError(
          `Sizes of tensors must match except in dimension ${d}. Expected size ${ref.shape[k]} but got size ${t.shape[k]} for tensor number ${i} in the list.`,
        );
      }
    }
    dtype = promote(dtype, t.dtype);
  });
  const shape = ref.shape.slice();
  shape[d] = parts.reduce((a, t) => a + t.shape[d], 0);
  checkSize(numelOf(shape));
  const out = Tensor.empty(dtype, shape);
  const outer = numelOf(shape.slice(0, d)), inner = numelOf(shape.slice(d + 1));
  let at = 0;
  for (const t of parts) {
    const src = t.dtype === dtype ? t : cast(t, dtype);
    const v = src.values();
    const chunk = t.shape[d] * inner;
    for (let o = 0; o < outer; o++) {
      out.storage.data.set(v.subarray(o * chunk, (o + 1) * chunk), o * shape[d] * inner + at * inner);
    }
    if (hasWide(src)) {
      const w = int64Values(src); // int64 beyond 2^53, exactly
      for (let o = 0; o < outer; o++) {
        for (let q = 0; q < chunk; q++) setInt64(out.storage, o * shape[d] * inner + at * inner + q, w[o * chunk + q]);
      }
    }
    at += t.shape[d];
  }
  return out;
}

export function stack(tensors: readonly Tensor[], dim = 0): Tensor {
  if (tensors.length === 0) throw runtimeError('stack expects a non-empty TensorList');
  const ref = tensors[0];
  tensors.forEach((t, i) => {
    if (t.shape.length !== ref.shape.length || t.shape.some((s, k) => s !== ref.shape[k])) {
      throw runtimeError(
        `stack expects each tensor to be equal size, but got ${fmtShape(ref.shape)} at entry 0 and ${fmtShape(t.shape)} at entry ${i}`,
      );
    }
  });
  const d = normalizeDim(dim, ref.ndim + 1);
  return cat(tensors.map((t) => unsqueeze(t, d)), d);
}

/** x.repeat(*sizes): tiles the tensor. */
export function repeat(x: Tensor, reps: readonly number[]): Tensor {
  if (reps.length < x.ndim) {
    throw runtimeError('Number of dimensions of repeat dims can not be smaller than number of dimensions of tensor');
  }
  const lead = reps.length - x.ndim;
  // ATen sizes the result first: a negative or over-budget repeat fails before any copy
  const padded = [...new Array<number>(lead).fill(1), ...x.shape];
  const outShape = padded.map((s, i) => s * reps[i]);
  checkShape(outShape);
  checkSize(numelOf(outShape));
  if (numelOf(outShape) === 0) return Tensor.empty(x.dtype, outShape);
  let t = reshape(x, padded);
  for (let d = 0; d < reps.length; d++) {
    if (reps[d] !== 1) t = cat(new Array(reps[d]).fill(t), d);
  }
  return t === x ? contiguous(cast(x, x.dtype)) : contiguous(t);
}

/** torch.split / chunk by sizes along dim, as views. */
/** ATen's split/chunk check: a 0-dim tensor has no dimension to split along. */
function checkSplittable(x: Tensor, op: 'split' | 'chunk'): void {
  if (x.ndim === 0) throw runtimeError(`${op} expects at least a 1-dimensional tensor`);
}

export function splitSizes(x: Tensor, sizes: readonly number[], dim = 0): Tensor[] {
  checkSplittable(x, 'split');
  const d = normalizeDim(dim, x.ndim);
  if (sizes.some((s) => s < 0)) throw runtimeError(`split_with_sizes expects split_sizes have only non-negative entries, but got split_sizes=${fmtShape(sizes)}`);
  const total = sizes.reduce((a, b) => a + b, 0);
  if (total !== x.shape[d]) {
    throw runtimeError(
      `split_with_sizes expects split_sizes to sum exactly to ${x.shape[d]} (input tensor's size at dimension ${d}), but got split_sizes=${fmtShape(sizes)}`,
    );
  }
  let at = 0;
  return sizes.map((s) => {
    const v = slice(x, d, at, at + s);
    at += s;
    return v;
  });
}

export function split(x: Tensor, size: number, dim = 0): Tensor[] {
  checkSplittable(x, 'split');
  const d = normalizeDim(dim, x.ndim);
  const n = x.shape[d];
  // ATen's split checks (a size of 0 or less would never end the loop below)
  if (size < 0) throw runtimeError(`split expects split_size be non-negative, but got split_size=${size}`);
  if (size === 0 && n > 0) throw runtimeError(`split_size can only be 0 if dimension size is 0, but got dimension size of ${n}`);
  const sizes: number[] = [];
  for (let at = 0; at < n; at += size) sizes.push(Math.min(size, n - at));
  if (n === 0) sizes.push(0);
  return splitSizes(x, sizes, d);
}

export function chunk(x: Tensor, chunks: number, dim = 0): Tensor[] {
  checkSplittable(x, 'chunk');
  if (chunks <= 0) throw runtimeError('chunk expects `chunks` to be greater than 0, got: ' + chunks);
  const d = normalizeDim(dim, x.ndim);
  return split(x, Math.ceil(x.shape[d] / chunks) || 1, d);
}

export function flip(x: Tensor, dims: readonly number[]): Tensor {
  const ds = dims.map((d) => normalizeDim(d, x.ndim));
  let offset = x.offset;
  const strides = x.strides.slice();
  for (const d of ds) {
    offset += (x.shape[d] - 1) * x.strides[d];
    strides[d] = -strides[d];
  }
  return contiguous(x.view(x.shape, strides, offset));
}
