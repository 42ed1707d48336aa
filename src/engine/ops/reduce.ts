// Reductions and matmul: permute the reduced axes together, then hand the
// backend a contiguous [outer, size, inner] block.

import { DType, isFloating } from '../dtype';
import { runtimeError } from '../errors';
import type { ReduceOp } from '../kernels/backend';
import { backendFor } from '../kernels/select';
import { Tensor, numelOf } from '../tensor';
import { binary, broadcastShapes, cast, checkSize, contiguous, cppTypeName, scalarTypeName } from './core';
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
    return out;
  }
  const src = contiguous(permute(input, [...keep, ...rd]));
  backend.reduce(op, src.values(), outer, size, 1, out.storage.data);
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
  const s = reduce('sum', x, rd, keepdim, d);
  return binary('div', s, n);
}

/** Variance with Bessel's correction by default (torch.var / std). */
export function variance(x: Tensor, dims: number | readonly number[] | null, correction: number, keepdim: boolean): Tensor {
  const rd = normalizeDims(dims, x.ndim);
  const n = numelOf(rd.map((i) => x.shape[i]));
  const m = mean(x, rd, true);
  const d = binary('sub', x, m);
  const ss = reduce('sum', binary('mul', d, d), rd, keepdim);
  return binary('div', ss, Math.max(n - correction, 0));
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
    const batchA = a2.shape.slice(0, -2);
    throw runtimeError(
      `Expected size for first two dimensions of batch2 tensor to be: [${[numelOf(batchA), k].join(', ')}] but got: [${[numelOf(b2.shape.slice(0, -2)), k2].join(', ')}].`,
    );
  }
  const batch = broadcastShapes(a2.shape.slice(0, -2), b2.shape.slice(0, -2));
  const nb = numelOf(batch);
  checkSize(nb * m * n);
  const av = contiguous(expand(a2, [...batch, m, k])).values();
  const bv = contiguous(expand(b2, [...batch, k, n])).values();
  const out = Tensor.empty(a.dtype, [...batch, m, n]);
  backendFor(nb * m * n * k, a.dtype).matmul(av, bv, nb, m, k, n, out.storage.data);
  let shape = [...batch, m, n];
  if (a.ndim === 1) shape = [...batch, n];
  if (b.ndim === 1) shape = a.ndim === 1 ? [] : [...batch, m];
  return reshape(out, shape);
}


