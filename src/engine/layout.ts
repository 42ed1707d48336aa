// Memory layout of fresh tensors: which strides PyTorch gives the result of
// an elementwise op, of empty_like/clone/.to (preserve_format), and what
// is_contiguous / is_non_overlapping_and_dense say about a geometry.
//
// The rules are ATen's (TensorIterator.cpp: compute_fast_setup_type,
// compute_strides, reorder_dimensions, allocate_or_resize_outputs;
// TensorUtils.cpp: infer_dense_strides; TensorFactories.cpp: empty_like).
// Values never depend on them; strides, is_contiguous() and whether a later
// view() succeeds do.

import { numelOf } from './tensor';

/** A geometry: sizes and strides (in elements). */
export interface Geometry {
  readonly shape: readonly number[];
  readonly strides: readonly number[];
}

/** c10's is_contiguous (MemoryFormat::Contiguous): row-major, size-1 dims' strides ignored; empty tensors are contiguous. */
export function isContiguousGeometry(shape: readonly number[], strides: readonly number[]): boolean {
  if (numelOf(shape) === 0) return true;
  let expected = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    if (shape[i] !== 1) {
      if (strides[i] !== expected) return false;
      expected *= shape[i];
    }
  }
  return true;
}

/**
 * c10's is_channels_last_contiguous (compute_channels_last_contiguous_2d):
 * only 4-D; NHWC order (dims 1, 3, 2, 0 innermost first), size-1 dims ignored.
 */
export function isChannelsLastGeometry(shape: readonly number[], strides: readonly number[]): boolean {
  return ordered(shape, strides, 4, [1, 3, 2, 0]);
}

/** c10's is_channels_last_3d_contiguous: only 5-D; NDHWC order (dims 1, 4, 3, 2, 0 innermost first), size-1 dims ignored. */
export function isChannelsLast3dGeometry(shape: readonly number[], strides: readonly number[]): boolean {
  return ordered(shape, strides, 5, [1, 4, 3, 2, 0]);
}

/** Whether a `rank`-D geometry is dense in the order `innerFirst`, size-1 dims ignored (no shortcut for empty tensors, as c10). */
function ordered(shape: readonly number[], strides: readonly number[], rank: number, innerFirst: readonly number[]): boolean {
  if (shape.length !== rank) return false;
  let expected = 1;
  for (const d of innerFirst) {
    if (shape[d] !== 1) {
      if (strides[d] !== expected) return false;
      expected *= shape[d];
    }
  }
  return true;
}

/**
 * c10's get_channels_last_strides_2d / _3d: NHWC (4-D) or NDHWC (5-D)
 * strides (a size 0 zeroes the strides outside it, as there).
 */
export function channelsLastStrides(shape: readonly number[]): number[] {
  const inner = shape.length === 5 ? [1, 4, 3, 2, 0] : [1, 3, 2, 0];
  const s = new Array<number>(shape.length);
  let cur = 1;
  for (const d of inner) {
    s[d] = cur;
    cur *= shape[d];
  }
  return s;
}

/** c10's is_non_overlapping_and_dense: the elements tile one block of memory with no gaps or overlaps, in some dim order. */
export function isNonOverlappingAndDense(shape: readonly number[], strides: readonly number[]): boolean {
  if (shape.length === 1) return shape[0] < 2 || strides[0] === 1;
  const dims = shape.map((_, d) => d).sort((a, b) => {
    if (shape[a] < 2) return shape[b] < 2 ? 0 : 1;
    if (shape[b] < 2) return -1;
    return strides[a] - strides[b];
  });
  let expected = 1;
  for (const d of dims) {
    if (shape[d] < 2) return true;
    if (strides[d] !== expected) return false;
    expected *= shape[d];
  }
  return true;
}

/**
 * ATen's insertion sort of a dim permutation (reorder_dimensions,
 * infer_dense_strides): `shouldSwap(d0, d1)` > 0 swaps, < 0 stops, 0 (ambiguous)
 * looks further back, so ambiguous pairs keep their order.
 */
function sortDims(perm: number[], shouldSwap: (d0: number, d1: number) => number): void {
  for (let i = 1; i < perm.length; i++) {
    let d1 = i;
    for (let d0 = i - 1; d0 >= 0; d0--) {
      const c = shouldSwap(perm[d0], perm[d1]);
      if (c > 0) {
        [perm[d0], perm[d1]] = [perm[d1], perm[d0]];
        d1 = d0;
      } else if (c < 0) break;
    }
  }
}

/**
 * TensorIterator's reorder_dimensions: dims ordered fastest first (ATen's
 * perm_), from the operands' broadcast strides, an entry null for an operand
 * that takes no part. For each pair the first operand whose strides order
 * them decides: a stride 0 (broadcast) leaves the pair to the next operand;
 * equal strides put the smaller dim first only when it is strictly smaller,
 * else ask the next operand; no answer keeps row-major order.
 */
export function reorderDimensions(shape: readonly number[], operands: readonly (readonly number[])[]): number[] {
  const nd = shape.length;
  const perm = Array.from({ length: nd }, (_, i) => nd - 1 - i);
  if (nd <= 1) return perm;
  const shouldSwap = (d0: number, d1: number): number => {
    for (const st of operands) {
      const s0 = st[d0], s1 = st[d1];
      if (s0 === 0 || s1 === 0) continue;
      if (s0 < s1) return -1;
      if (s0 > s1) return 1;
      if (shape[d0] > shape[d1]) return 1;
    }
    return 0;
  };
  sortDims(perm, shouldSwap);
  return perm;
}

/**
 * ATen's infer_dense_strides: dense strides that keep the layout permutation
 * of (shape, strides); a stride 0 compares as ambiguous (row-major kept).
 * What empty_like / clone / .to give a tensor that is not dense.
 */
export function inferDenseStrides(shape: readonly number[], strides: readonly number[]): number[] {
  const nd = shape.length;
  const perm = Array.from({ length: nd }, (_, i) => nd - 1 - i);
  const shouldSwap = (d0: number, d1: number): number => {
    const s0 = strides[d0], s1 = strides[d1];
    if (s0 === 0 || s1 === 0) return 0;
    if (s0 < s1) return -1;
    if (s0 > s1) return 1;
    return shape[d0] > shape[d1] ? 1 : 0;
  };
  sortDims(perm, shouldSwap);
  const out = new Array<number>(nd);
  let cur = 1;
  for (const d of perm) {
    out[d] = cur;
    if (shape[d] > 1) cur *= shape[d];
  }
  return out;
}

/**
 * Strides of empty_like(t) / t.clone() / t.to(dtype) with
 * memory_format=torch.preserve_format (the default): a dense,
 * non-overlapping t's own strides; otherwise inferDenseStrides.
 */
export function preserveStrides(t: Geometry): readonly number[] {
  return isNonOverlappingAndDense(t.shape, t.strides) ? t.strides : inferDenseStrides(t.shape, t.strides);
}

/**
 * Strides of the output TensorIterator allocates for an elementwise op over
 * `inputs` (in the op's operand order: where's condition first), broadcast
 * to `shape`. Each input's geometry is as the kernel sees it: an input that
 * the op first converts to the common dtype is that copy (see
 * promotedGeometry). Fast setup when every input has the output's shape (a
 * 0-dim input beside others never does): all contiguous gives contiguous,
 * all channels-last gives channels-last, all dense with equal strides gives
 * those strides. Otherwise each dim's order comes from reorderDimensions and
 * the strides are dense in that order. null stands for contiguous strides
 * (the common case, answered without allocating: every input has exactly
 * row-major strides, which reorderDimensions never swaps).
 */
export function iteratorStrides(shape: readonly number[], inputs: readonly Geometry[]): readonly number[] | null {
  if (inputs.every(hasRowMajorStrides) && numelOf(shape) > 0) return null;
  const sameShape = inputs.every((g) => g.shape.length === shape.length && g.shape.every((s, i) => s === shape[i]))
    && !(inputs.some((g) => g.shape.length === 0) && inputs.some((g) => g.shape.length > 0));
  if (sameShape && inputs.length > 0) {
    if (inputs.every((g) => isContiguousGeometry(g.shape, g.strides))) return null;
    if (inputs.every((g) => isChannelsLastGeometry(g.shape, g.strides))) return channelsLastStrides(shape);
    const last = inputs[inputs.length - 1].strides;
    if (inputs.every((g) => isNonOverlappingAndDense(g.shape, g.strides) && g.strides.every((s, i) => s === last[i]))) return last;
  }
  const nd = shape.length;
  const operands = inputs.map((g) => {
    const off = nd - g.shape.length;
    const st = new Array<number>(nd).fill(0);
    for (let i = 0; i < g.shape.length; i++) st[off + i] = g.shape[i] === 1 && shape[off + i] !== 1 ? 0 : g.strides[i];
    return st;
  });
  const perm = reorderDimensions(shape, operands);
  if (perm.every((d, j) => d === nd - 1 - j)) return null;
  const out = new Array<number>(nd);
  let cur = 1;
  for (const d of perm) {
    out[d] = cur;
    cur *= shape[d];
  }
  return out;
}

/** Whether a geometry's strides are exactly contiguousStrides(shape) (size-1 dims included). */
function hasRowMajorStrides(g: Geometry): boolean {
  const { shape, strides } = g;
  let expected = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    if (strides[i] !== expected) return false;
    expected *= shape[i] > 1 ? shape[i] : 1;
  }
  return true;
}

/**
 * An input's geometry as TensorIterator sees it when the op converts it to
 * the common dtype first (promote_inputs_to_common_dtype on the CPU makes
 * `input.to(dtype)`, whose strides are preserveStrides): only 0-dim inputs
 * and inputs already in that dtype are seen as they are.
 */
export function promotedGeometry(t: Geometry & { dtype: string }, dtype: string): Geometry {
  if (t.dtype === dtype || t.shape.length === 0) return t;
  return { shape: t.shape, strides: preserveStrides(t) };
}

/**
 * The order in which the elements of a fresh tensor with the dense strides
 * `strides` lie in memory, as dims outermost first: writing the values of
 * the view permuted by it in row-major order fills the storage. Size-1 dims
 * go where they stand (their index is always 0); null when the order is
 * row-major (the strides are contiguous), so callers keep their plain path.
 */
export function memoryOrder(shape: readonly number[], strides: readonly number[]): number[] | null {
  if (isContiguousGeometry(shape, strides)) return null;
  const dims = shape.map((_, d) => d);
  const big = dims.filter((d) => shape[d] > 1).sort((a, b) => strides[b] - strides[a]);
  let k = 0;
  return dims.map((d) => (shape[d] > 1 ? big[k++] : d));
}
