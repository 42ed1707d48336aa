// Worker side: summaries and downsampled 2-D slices of one value, read from
// its encoded form (small values) or from the live tensor (elided ones).
// Nothing here copies a whole tensor.

import { hasWide, int64At, type Tensor } from '../engine/tensor';
import type { EncodedNumber, EncodedValue } from '../python/result';
import { blockSteps, poolBlocks, type MaskedCells } from '../render/pool';
import { rowChecksums } from '../render/checksum';
import type { SoftmaxOperands } from '../python/derived';
import { MAX_OPERAND_CELLS, type Slice, type SliceRequest, type SoftmaxViewOperands, type ValueSummary } from './protocol';

/** Row-major read access to a tensor-like value. */
interface Reader {
  shape: readonly number[];
  dtype: string;
  /** Element at a row-major flat index. */
  at(i: number): number;
}

function decode(x: EncodedNumber): number {
  if (typeof x === 'number') return x;
  if (typeof x === 'boolean') return x ? 1 : 0;
  return x === 'nan' ? NaN : x === 'inf' ? Infinity : -Infinity;
}

function encode(x: number, dtype: string): EncodedNumber {
  if (dtype.endsWith('bool')) return x !== 0;
  if (Number.isNaN(x)) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  return x;
}

function encodedReader(v: Extract<EncodedValue, { data: EncodedNumber[] }>): Reader {
  return { shape: v.shape, dtype: v.dtype, at: (i) => decode(v.data[i]) };
}

/** Where the element at row-major flat index `flat` of a strided tensor lies in its storage. */
function storageOffset(t: Tensor, flat: number): number {
  const { shape, strides } = t;
  let off = t.offset;
  for (let d = shape.length - 1; d >= 0; d--) {
    const n = shape[d];
    off += (flat % n) * strides[d];
    flat = Math.floor(flat / n);
  }
  return off;
}

/** A reader over a strided tensor; `dtype` is the name the encoded value uses (torch.float32, float32). */
export function tensorReader(t: Tensor, dtype: string): Reader {
  const data = t.storage.data;
  return { shape: t.shape, dtype, at: (flat) => data[storageOffset(t, flat)] };
}

export function readerOf(v: EncodedValue, live: Tensor | undefined): Reader | undefined {
  if (!('data' in v)) return undefined;
  if (v.elided) return live ? tensorReader(live, v.dtype) : undefined;
  return encodedReader(v);
}

/** Elements read for statistics at most: a summary answers in milliseconds whatever the size. */
const SUMMARY_SAMPLE = 1 << 20;

export function summarize(v: EncodedValue, live: Tensor | undefined): ValueSummary {
  if (!('data' in v)) return { type: v.type, ...('items' in v ? { shape: [v.items.length] } : {}) };
  const r = readerOf(v, live);
  const numel = v.shape.reduce((a, b) => a * b, 1);
  const out: ValueSummary = { type: v.type, dtype: v.dtype, shape: [...v.shape], numel };
  if (!r || numel === 0) return out;
  const step = Math.max(1, Math.ceil(numel / SUMMARY_SAMPLE));
  let min = Infinity, max = -Infinity, sum = 0, finite = 0, nan = 0, inf = 0, nonzero = 0, seen = 0;
  for (let i = 0; i < numel; i += step) {
    const x = r.at(i);
    seen++;
    if (x !== 0) nonzero++;
    if (Number.isNaN(x)) nan++;
    else if (!Number.isFinite(x)) inf++;
    else {
      finite++;
      sum += x;
      if (x < min) min = x;
      if (x > max) max = x;
    }
  }
  if (finite > 0) Object.assign(out, { min, max, mean: sum / finite });
  // counts are estimates scaled up from the sample when the tensor was sampled
  return { ...out, nan: Math.round((nan * numel) / seen), inf: Math.round((inf * numel) / seen), nonzero: nonzero / seen };
}

export function sliceOf(v: EncodedValue, live: Tensor | undefined, req: SliceRequest, maskedCells?: MaskedCells): Slice | null {
  if (!('data' in v)) return null;
  const r = readerOf(v, live);
  if (!r) return null;
  const shape = r.shape;
  const rowsAll = shape.length >= 2 ? shape[shape.length - 2] : 1;
  const colsAll = shape.length >= 1 ? shape[shape.length - 1] : 1;
  const lead = shape.slice(0, Math.max(0, shape.length - 2));
  let base = 0;
  for (let i = 0; i < lead.length; i++) {
    const idx = Math.min(Math.max(req.leading?.[i] ?? 0, 0), Math.max(lead[i] - 1, 0));
    base = base * lead[i] + idx;
  }
  base *= rowsAll * colsAll;
  const { rowStep, colStep, outRows: rows, outCols: cols } = blockSteps(rowsAll, colsAll, req.maxRows, req.maxCols);
  const data: EncodedNumber[] = [];
  if (lead.some((n) => n === 0) || rowsAll === 0 || colsAll === 0) return { shape: [...shape], dtype: r.dtype, rows: 0, cols: 0, rowStep, colStep, data };
  if (req.pool && (rowStep > 1 || colStep > 1)) {
    const pooled = poolBlocks(rowsAll, colsAll, req.maxRows, req.maxCols, (i, j) => r.at(base + i * colsAll + j), undefined, maskedCells);
    for (const x of pooled.values) data.push(encode(x, r.dtype));
    return { shape: [...shape], dtype: r.dtype, rows, cols, rowStep, colStep, data, ...(maskedCells ? { maskedCells } : {}) };
  }
  const exactOf = wideDigits(v, live);
  const exact: [number, string][] = [];
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      const flat = base + i * rowStep * colsAll + j * colStep;
      const digits = exactOf?.(flat);
      if (digits !== undefined) exact.push([data.length, digits]);
      data.push(encode(r.at(flat), r.dtype));
    }
  }
  return { shape: [...shape], dtype: r.dtype, rows, cols, rowStep, colStep, data, ...(exact.length ? { exact } : {}) };
}

/**
 * The exact digits of an int64 element beyond 2^53 by flat index (a double
 * holds only its neighbour: 2**53 + 1 reads 9007199254740992), from the
 * encoded value's `exact` or the live tensor's wide storage; undefined when
 * the value has none.
 */
function wideDigits(v: Extract<EncodedValue, { data: EncodedNumber[] }>, live: Tensor | undefined): ((flat: number) => string | undefined) | undefined {
  if (v.exact?.length) {
    const byIndex = new Map(v.exact);
    return (flat) => byIndex.get(flat);
  }
  if (!v.elided || !live || live.dtype !== 'int64' || !hasWide(live)) return undefined;
  // element by element, as the slice reads them: the live tensor is a large one
  const limit = BigInt(Number.MAX_SAFE_INTEGER);
  return (flat) => {
    const x = int64At(live.storage, storageOffset(live, flat));
    return x > limit || x < -limit ? x.toString() : undefined;
  };
}

/**
 * One [rows, cols] view (the last two dims at `leading`, clamped as slices
 * clamp them) of a large softmax's operands, read where they lie (strided
 * views included), with the row checksums of `result`, the worker's own
 * softmax, over the same view. Null when the view has more than
 * MAX_OPERAND_CELLS cells.
 */
export function softmaxViewOperands(o: SoftmaxOperands, result: Tensor, leading: readonly number[]): SoftmaxViewOperands | null {
  const shape = result.shape;
  const nd = shape.length;
  const rows = nd >= 2 ? shape[nd - 2] : 1;
  const cols = shape[nd - 1];
  if (rows * cols > MAX_OPERAND_CELLS || shape.some((n) => n === 0)) return null;
  let base = 0;
  for (let i = 0; i < nd - 2; i++) base = base * shape[i] + Math.min(Math.max(leading[i] ?? 0, 0), shape[i] - 1);
  base *= rows * cols;
  const n = rows * cols;
  const read = <T extends Float32Array | Uint8Array>(t: Tensor, out: T): T => {
    const r = tensorReader(t, t.dtype);
    for (let i = 0; i < n; i++) out[i] = r.at(base + i);
    return out;
  };
  const reference = rowChecksums(read(result, new Float32Array(n)), rows, cols);
  const fill = Number.isNaN(o.fill) ? 'nan' : o.fill === Infinity ? 'inf' : o.fill === -Infinity ? '-inf' : o.fill;
  return { rows, cols, scores: read(o.scores, new Float32Array(n)), ...(o.mask ? { mask: read(o.mask, new Uint8Array(n)) } : {}), fill, reference };
}
