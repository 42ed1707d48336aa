// Splitting strided element-wise work into GPU dispatches.
//
// gpu.js kernels index with float32 arithmetic on the GL backends (and the
// WebAssembly backend computes in f32 too), so every index a kernel forms
// must stay below 2^24 to be exact. A dispatch therefore covers at most
// `limit` output elements, and each operand is handed over as a window (a
// subarray) that holds exactly the elements that dispatch reads.

/** Largest count of elements a kernel may index exactly with f32 arithmetic. */
export const F32_EXACT = 1 << 24;

export interface StridedInput {
  readonly strides: readonly number[];
  readonly offset: number;
}

/**
 * Drop size-1 dimensions and merge neighbours that are laid out
 * contiguously in every operand, so a dense op becomes one flat dimension.
 */
export function coalesce(
  shape: readonly number[],
  inputs: readonly StridedInput[],
): { shape: number[]; strides: number[][] } {
  const outShape: number[] = [];
  const outStrides: number[][] = inputs.map(() => []);
  for (let d = 0; d < shape.length; d++) {
    const size = shape[d];
    if (size === 1) continue;
    const last = outShape.length - 1;
    const mergeable =
      last >= 0 &&
      inputs.every((inp, j) => outStrides[j][last] === inp.strides[d] * size);
    if (mergeable) {
      outShape[last] *= size;
      inputs.forEach((inp, j) => {
        outStrides[j][last] = inp.strides[d];
      });
    } else {
      outShape.push(size);
      inputs.forEach((inp, j) => outStrides[j].push(inp.strides[d]));
    }
  }
  return { shape: outShape, strides: outStrides };
}

/** The elements of one operand a dispatch reads: data[lo, lo + length). */
export interface Window {
  lo: number;
  length: number;
  /** Offset of the chunk's first element, relative to lo. */
  base: number;
  strides: number[];
}

export interface Chunk {
  /** Linear index in the (contiguous) output of the chunk's first element. */
  outStart: number;
  /** Row-major shape of this chunk; its numel is at most the limit. */
  shape: number[];
  numel: number;
  windows: Window[];
}

function windowOf(base: number, shape: readonly number[], strides: readonly number[]): Window {
  let lo = base, hi = base;
  for (let d = 0; d < shape.length; d++) {
    const span = strides[d] * (shape[d] - 1);
    if (span < 0) lo += span;
    else hi += span;
  }
  return { lo, length: hi - lo + 1, base: base - lo, strides: strides.slice() };
}

/**
 * Chunks covering `shape` (already coalesced), each at most `limit`
 * elements, or null when some operand window would exceed `windowLimit`
 * (e.g. a transposed operand whose every chunk spans the whole storage).
 */
export function planChunks(
  shape: readonly number[],
  strides: readonly (readonly number[])[],
  offsets: readonly number[],
  limit: number,
  windowLimit = F32_EXACT,
): Chunk[] | null {
  const nd = shape.length;
  if (nd === 0) {
    return [{ outStart: 0, shape: [1], numel: 1, windows: offsets.map((o) => ({ lo: o, length: 1, base: 0, strides: [0] })) }];
  }
  // Split along the outermost dimension d whose inner block fits the limit.
  let inner = 1;
  let d = nd - 1;
  while (d > 0 && inner * shape[d] <= limit) {
    inner *= shape[d];
    d--;
  }
  if (inner * shape[d] <= limit) {
    // Everything from d down fits (d reached 0).
    inner *= shape[d];
    d = -1;
  }
  const chunks: Chunk[] = [];
  const outerDims = d < 0 ? 0 : d;
  const outerShape = shape.slice(0, outerDims);
  const tail = d < 0 ? shape.slice() : shape.slice(d + 1);
  const tailStrides = strides.map((s) => (d < 0 ? s.slice() : s.slice(d + 1)));
  const blockDimSize = d < 0 ? 1 : shape[d];
  const block = d < 0 ? 1 : Math.max(1, Math.floor(limit / inner));
  const idx = new Array<number>(outerDims).fill(0);
  let outerLinear = 0;
  const perOuter = d < 0 ? inner : shape[d] * inner;
  for (;;) {
    const outerBase = offsets.map((o, j) => {
      let b = o;
      for (let k = 0; k < outerDims; k++) b += idx[k] * strides[j][k];
      return b;
    });
    for (let start = 0; start < blockDimSize; start += block) {
      const count = Math.min(block, blockDimSize - start);
      const cshape = d < 0 ? tail : [count, ...tail];
      const numel = d < 0 ? inner : count * inner;
      const windows = outerBase.map((b, j) => {
        const base = d < 0 ? b : b + start * strides[j][d];
        const cstrides = d < 0 ? tailStrides[j] : [strides[j][d], ...tailStrides[j]];
        return windowOf(base, cshape, cstrides);
      });
      if (windows.some((w) => w.length > windowLimit)) return null;
      chunks.push({ outStart: outerLinear * perOuter + start * inner, shape: cshape, numel, windows });
    }
    // Advance the odometer over the outer dimensions.
    let k = outerDims - 1;
    for (; k >= 0; k--) {
      idx[k]++;
      if (idx[k] < outerShape[k]) break;
      idx[k] = 0;
    }
    outerLinear++;
    if (k < 0) break;
  }
  return chunks;
}
