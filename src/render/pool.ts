// Downsampling a 2-D view for display: one block-pooling rule shared by the
// inspector (src/vscode/tensorSlice.ts) and the evaluation worker's slices
// (src/service/values.ts). Pure: no tensors, no DOM, no 'vscode'.

/** Block size that brings `rows` × `cols` within maxRows × maxCols (each step ≥ 1), and the pooled size. */
export function blockSteps(rows: number, cols: number, maxRows: number, maxCols: number): { rowStep: number; colStep: number; outRows: number; outCols: number } {
  const rowStep = Math.max(1, Math.ceil(rows / Math.max(1, maxRows)));
  const colStep = Math.max(1, Math.ceil(cols / Math.max(1, maxCols)));
  return { rowStep, colStep, outRows: Math.ceil(rows / rowStep), outCols: Math.ceil(cols / colStep) };
}

/**
 * Which value of a mask means masked, so that pooling keeps it (maskedCells in
 * src/masks/consumers.ts says which): 'nonzero' (True / 1 of a block-mask,
 * -inf or a large negative fill of an additive mask: the value farthest from
 * 0 wins) or 'zero' (False / 0 of a keep-mask: the value nearest 0 wins).
 */
export type MaskedCells = 'zero' | 'nonzero';

export interface PooledBlocks {
  rowStep: number;
  colStep: number;
  outRows: number;
  outCols: number;
  /** Row-major outRows × outCols: each block's max (its masked value under `maskedCells`), NaN when any cell is NaN (-inf for an empty view). */
  values: Float64Array;
  /** 1 where any cell of the block is masked; present when `maskedAt` was given. */
  masked?: Uint8Array;
}

/**
 * Pool the `rows` × `cols` view read by `at(r, c)` in blocks so it fits
 * maxRows × maxCols: values by max with NaN winning (so a NaN stays
 * visible; on 0/1 and bool values the max is "any", so a masked position
 * never disappears), and `maskedAt` by any. A mask whose masked value is
 * known (`maskedCells`) pools toward it instead: max would let a block of an
 * additive mask mixing 0 and -inf read 0 (attends), and a keep-mask's block
 * mixing True and False read True. Cell (i, j) of the result
 * covers rows [i*rowStep, (i+1)*rowStep) and columns [j*colStep, (j+1)*colStep).
 */
export function poolBlocks(
  rows: number, cols: number, maxRows: number, maxCols: number,
  at: (r: number, c: number) => number, maskedAt?: (r: number, c: number) => boolean, maskedCells?: MaskedCells,
): PooledBlocks {
  const steps = blockSteps(rows, cols, maxRows, maxCols);
  const { rowStep, colStep, outCols } = steps;
  const values = new Float64Array(steps.outRows * outCols).fill(Number.NEGATIVE_INFINITY);
  const masked = maskedAt ? new Uint8Array(steps.outRows * outCols) : undefined;
  for (let r = 0; r < rows; r++) {
    const orow = Math.floor(r / rowStep) * outCols;
    for (let c = 0; c < cols; c++) {
      const o = orow + Math.floor(c / colStep);
      const v = at(r, c);
      const cur = values[o];
      if (Number.isNaN(v) || Number.isNaN(cur)) values[o] = Number.NaN;
      else if (maskedCells === undefined) { if (v > cur) values[o] = v; }
      // the block's first cell, then whichever is farther from (nearer to) 0
      else if (r % rowStep === 0 && c % colStep === 0) values[o] = v;
      else if (maskedCells === 'nonzero' ? Math.abs(v) > Math.abs(cur) : Math.abs(v) < Math.abs(cur)) values[o] = v;
      if (masked && maskedAt!(r, c)) masked[o] = 1;
    }
  }
  return { ...steps, values, ...(masked ? { masked } : {}) };
}
