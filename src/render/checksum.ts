// Row checksums of a [rows, cols] softmax view, so a result computed in one
// place (gpu.js in the inspector webview) can be checked against the CPU
// reference computed in another (the evaluation worker) without sending the
// reference's values. Pure: no tensors, no DOM, no 'vscode'.

/**
 * Largest |gpu - cpu| allowed in one row's checksum. A float32 softmax row
 * sums to 1 and each weight is in [1, 2), so a row's checksum is at most 2;
 * GLSL highp exp and division are within a few ulps (~1e-7 relative) of the
 * CPU's, which over a 4096-wide row stays below 1e-5. A single element off
 * by 1e-4 or more (a wrong kernel, a lost mask, a shifted column) moves its
 * row's checksum by at least that much, so it is caught.
 */
export const ROW_CHECKSUM_TOLERANCE = 1e-4;

/** The weight of column c: 1 + c / cols, so a value moved to another column changes the checksum. */
function weight(c: number, cols: number): number {
  return 1 + c / cols;
}

/**
 * One float64 checksum per row of row-major `values` [rows, cols]:
 * sum over c of values[r, c] * (1 + c / cols). NaN when the row has a NaN
 * (a fully masked row's softmax), so NaN rows must agree too.
 */
export function rowChecksums(values: ArrayLike<number>, rows: number, cols: number): Float64Array {
  const out = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    let s = 0;
    const o = r * cols;
    for (let c = 0; c < cols; c++) s += values[o + c] * weight(c, cols);
    out[r] = s;
  }
  return out;
}

export interface ChecksumVerdict {
  match: boolean;
  /** The row that differs most (the first NaN disagreement, if any); -1 for no rows. */
  worstRow: number;
  /** |a - b| there (Infinity where only one side is NaN). */
  worstDiff: number;
}

/**
 * Whether two checksum lists agree: the same length, NaN in the same rows,
 * and every other row within ROW_CHECKSUM_TOLERANCE.
 */
export function compareChecksums(a: ArrayLike<number>, b: ArrayLike<number>, tolerance = ROW_CHECKSUM_TOLERANCE): ChecksumVerdict {
  if (a.length !== b.length) return { match: false, worstRow: -1, worstDiff: Infinity };
  let worstRow = -1, worstDiff = 0;
  for (let r = 0; r < a.length; r++) {
    const an = Number.isNaN(a[r]), bn = Number.isNaN(b[r]);
    const d = an && bn ? 0 : an || bn ? Infinity : Math.abs(a[r] - b[r]);
    if (d > worstDiff || worstRow < 0) {
      worstDiff = d;
      worstRow = r;
    }
  }
  return { match: worstDiff <= tolerance, worstRow, worstDiff };
}
