// A combined mask as layers: its padding, causal and window parts (from the
// evaluation's MaskParts), each of which the inspector can switch on and off,
// and the words that name the part that masked a cell. Pure (no 'vscode', no
// DOM): shared by the webview and the unit tests.
import type { MaskParts } from '../python/result';
import type { TensorSlice } from './tensorSlice';
import { viewGeometry } from './tensorSlice';

export type LayerId = 'padding' | 'causal' | 'window';

export interface MaskLayer {
  id: LayerId;
  /** Checkbox text: "padding (lengths 3, 2)", "causal", "window (4 keys)". */
  label: string;
}

/** The layers a mask's parts make, in a fixed order: padding, causal, window. */
export function maskLayers(parts: MaskParts | undefined): MaskLayer[] {
  if (!parts) return [];
  const out: MaskLayer[] = [];
  if (parts.lengths) out.push({ id: 'padding', label: `padding (${parts.sides ? 'mixed sides' : parts.side ?? 'right'}, lengths ${parts.lengths.length > 6 ? `${parts.lengths.slice(0, 6).join(', ')}, …` : parts.lengths.join(', ')})` });
  if (parts.causal) out.push({ id: 'causal', label: 'causal (key after query)' });
  if (parts.window !== undefined) out.push({ id: 'window', label: `window (${parts.window} keys up to the query)` });
  return out;
}

const BIT: Record<LayerId, number> = { padding: 1, causal: 2, window: 4 };

/** The batch row of a cell: the first dim, or the second of a seq-first [T, B] mask. */
const batchIndex = (parts: MaskParts, idx: readonly number[]) => idx[parts.seqFirst ? 1 : 0];

/** Padding length of the batch row of `idx` (the first dim indexes batch rows when there are several lengths). */
function lengthAt(parts: MaskParts, idx: readonly number[]): number {
  const lengths = parts.lengths!;
  return lengths[Math.min(lengths.length > 1 ? batchIndex(parts, idx) : 0, lengths.length - 1)];
}

/** Padding side of the batch row of `idx`: its own where rows differ (`sides`), else the mask's. */
function sideAt(parts: MaskParts, idx: readonly number[]): 'left' | 'right' {
  const sides = parts.sides;
  return sides ? sides[Math.min(sides.length > 1 ? batchIndex(parts, idx) : 0, sides.length - 1)] : parts.side ?? 'right';
}

/** The dim of the keys: the last, `parts.dims[1]` (a `[query, key, batch]` mask), or 0 in a seq-first [T, B] mask. */
function keyDim(parts: MaskParts, nd: number): number {
  return parts.seqFirst ? 0 : parts.dims ? parts.dims[1] : nd - 1;
}

/** The key index of a cell (keyDim). */
function keyIndex(parts: MaskParts, idx: readonly number[]): number {
  return idx[keyDim(parts, idx.length)];
}

/** The query index of a cell: the dim before the last, or `parts.dims[0]`; undefined for a 1-D or a seq-first [T, B] mask. */
function queryIndex(parts: MaskParts, idx: readonly number[]): number | undefined {
  if (parts.seqFirst) return undefined;
  return parts.dims ? idx[parts.dims[0]] : idx.length >= 2 ? idx[idx.length - 2] : undefined;
}

/**
 * The layers that mask the cell at full index `idx` of a tensor of `shape`
 * (keys on the last dim, queries on the one before, unless parts.dims
 * says otherwise; batch rows on the first), as bits of BIT, among those `enabled` lets through (all when omitted).
 * No allocation: called once per cell of a 4096 × 4096 view.
 */
export function maskingBits(parts: MaskParts, shape: readonly number[], idx: readonly number[], enabled?: ReadonlySet<LayerId>): number {
  const nd = idx.length;
  const key = keyIndex(parts, idx);
  const query = queryIndex(parts, idx);
  let bits = 0;
  if (parts.lengths && (!enabled || enabled.has('padding'))) {
    const len = lengthAt(parts, idx);
    if (sideAt(parts, idx) === 'left' ? key < shape[keyDim(parts, nd)] - len : key >= len) bits |= BIT.padding;
  }
  if (parts.causal && (!enabled || enabled.has('causal')) && query !== undefined && key > query + (parts.offset ?? 0)) bits |= BIT.causal;
  if (parts.window !== undefined && (!enabled || enabled.has('window')) && query !== undefined && key <= query - parts.window) bits |= BIT.window;
  return bits;
}

/** One phrase per layer that masks the cell at `idx` (see maskingBits): what the cell tooltip says. */
export function maskedBy(parts: MaskParts, shape: readonly number[], idx: readonly number[], enabled?: ReadonlySet<LayerId>): string[] {
  const bits = maskingBits(parts, shape, idx, enabled);
  const nd = idx.length;
  const key = keyIndex(parts, idx);
  const query = queryIndex(parts, idx) ?? 0;
  const out: string[] = [];
  if (bits & BIT.padding) {
    const len = lengthAt(parts, idx);
    const left = sideAt(parts, idx) === 'left';
    out.push(`padding (key ${key} ${left ? '<' : '≥'} ${left ? shape[keyDim(parts, nd)] - len : len}, length ${len})`);
  }
  if (bits & BIT.causal) {
    const offset = parts.offset ?? 0;
    // bottom-right aligned (KV cache): query r is position r + offset among the keys; any
    // other offset is a diagonal shifted right (triu diagonal=offset + 1)
    const queries = shape[parts.dims ? parts.dims[0] : nd - 2] ?? 1;
    const keys = shape[parts.dims ? parts.dims[1] : nd - 1];
    const where = offset === keys - queries ? 'bottom-right' : 'diagonal shifted';
    // a negative offset masks the diagonal too (strictly past: triu(ones, diagonal=0) as a block-mask)
    if (offset < 0) out.push(`causal, strictly past (key ${key} ≥ query ${query}${offset < -1 ? ` − ${-offset - 1}` : ''})`);
    else out.push(offset ? `causal, ${where} (key ${key} after query ${query} + ${offset})` : `causal (key ${key} after query ${query})`);
  }
  if (bits & BIT.window) out.push(`window (key ${key} is ${query - key} before query ${query}, width ${parts.window})`);
  return out;
}

/**
 * The view of a mask drawn from its enabled layers alone: a cell is masked
 * when an enabled layer masks it, and then holds the mask's masked value
 * (0 in a keep-mask, 1 in a block-mask), else the kept one. Pooled as
 * `slice` is: a block is masked (and, in a block-mask, True) when any of
 * its cells is; in a keep-mask it is True when any of its cells is kept.
 * `index` fixes the dims other than rowDim × colDim.
 */
export function layeredSlice(
  slice: TensorSlice, parts: MaskParts, shape: readonly number[],
  rowDim: number | null, colDim: number | null, index: readonly number[], enabled: ReadonlySet<LayerId>,
): TensorSlice {
  const g = viewGeometry(shape, rowDim, colDim, index);
  const { rowStep, colStep, outCols } = slice;
  const values = new Float64Array(slice.outRows * outCols).fill(0);
  const masked = new Uint8Array(slice.outRows * outCols);
  const keep = parts.keep !== false;
  const idx = shape.map((n, d) => Math.min(Math.max(index[d] ?? 0, 0), n - 1));
  for (let r = 0; r < g.rows; r++) {
    if (rowDim !== null) idx[rowDim] = r;
    const orow = Math.floor(r / rowStep) * outCols;
    for (let c = 0; c < g.cols; c++) {
      if (colDim !== null) idx[colDim] = c;
      const o = orow + Math.floor(c / colStep);
      const isMasked = maskingBits(parts, shape, idx, enabled) !== 0;
      if (isMasked) masked[o] = 1;
      // bool values pool by any: True wins the block
      if (isMasked !== keep) values[o] = 1;
    }
  }
  return { ...slice, values, masked };
}
