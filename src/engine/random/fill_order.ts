// The order in which PyTorch's CPU random kernels consume generator draws
// when the tensor they fill is not contiguous.
//
// A random fill (uniform_, normal_, bernoulli_, exponential_, random_) runs
// as a serial TensorIterator loop over its output. TensorIterator reorders
// dimensions by stride (reorder_dimensions: the smallest stride innermost,
// equal strides keep their order), so a transposed tensor is filled in
// memory order, not in logical (row-major) order. Out-of-place samplers that
// allocate with empty_like (rand_like, randn_like, dropout's noise,
// multinomial's q) keep the input's strides when it is dense and
// non-overlapping, and otherwise take dense strides in the input's dim
// order (layout.ts preserveStrides).

import { preserveStrides } from '../layout';
import type { Tensor } from '../tensor';

/**
 * Logical (row-major) indices of `t`'s elements in the order an in-place
 * random kernel visits them; undefined when that is the logical order.
 */
export function iterationOrder(t: Tensor): number[] | undefined {
  if (t.isContiguous()) return undefined;
  const n = t.ndim;
  // outermost first: descending stride, stable for ties; size-1 dims never matter
  const dims = Array.from({ length: n }, (_, d) => d).sort((a, b) => t.strides[b] - t.strides[a] || a - b);
  if (dims.every((d, i) => d === i)) return undefined;
  const logicalStride = new Array<number>(n);
  for (let d = n - 1, s = 1; d >= 0; d--) {
    logicalStride[d] = s;
    s *= t.shape[d];
  }
  const order: number[] = [];
  const idx = new Array<number>(n).fill(0);
  for (let k = 0; k < t.numel; k++) {
    order.push(dims.reduce((m, d) => m + idx[d] * logicalStride[d], 0));
    for (let j = n - 1; j >= 0; j--) {
      const d = dims[j];
      if (++idx[d] < t.shape[d]) break;
      idx[d] = 0;
    }
  }
  return order;
}

/**
 * The visiting order of a fresh tensor of t's shape with the dense `strides`
 * (by default empty_like(t)'s: preserveStrides).
 */
export function emptyLikeOrder(t: Tensor, strides: readonly number[] = preserveStrides(t)): number[] | undefined {
  return iterationOrder(t.view(t.shape, strides));
}

/** Draws (in visiting order) placed at their logical positions. */
export function placeDraws(draws: ArrayLike<number>, order: readonly number[] | undefined): ArrayLike<number> {
  if (!order) return draws;
  const out = new Float64Array(draws.length);
  for (let k = 0; k < order.length; k++) out[order[k]] = draws[k];
  return out;
}
