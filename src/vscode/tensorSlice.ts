// The inspector's data access: a 2-D view of any two dims of a tensor at fixed
// indices on the others, downsampled to a target size. Pure (no 'vscode', no
// DOM): the webview asks a `SliceSource`, which today answers from the
// evaluation it was sent and can as well answer from a worker.
import { numpyElementFormatter } from '../engine/format/numpy';
import { elementFormatter } from '../engine/format/torch';
import { poolBlocks, type MaskedCells, type PooledBlocks } from '../render/pool';
import type { DType } from '../engine/dtype';
import type { EncodedNumber } from '../python/result';
import { isBoolDtype, toNumber, type TensorValue } from './tensorView';
import type { WireSlice } from './protocol';
import { base64ToBytes, bytesToBase64 } from './base64';

/** Which 2-D view to show: `rowDim` × `colDim` (rowDim null: one row), other dims fixed at `index`. */
export interface SliceRequest {
  variable: string;
  /** The inspector scope the variable belongs to (InspectorState.scopes); absent: the module's. */
  scope?: string;
  rowDim: number | null;
  colDim: number | null;
  /** One index per dim of the tensor; entries for rowDim and colDim are ignored. */
  index: number[];
  /** Largest output size; larger extents are pooled in blocks. */
  maxRows: number;
  maxCols: number;
}

/**
 * How blocks were pooled when downsampling: bool values by any, other values
 * by max, a mask of known polarity by its masked value ('masked': -inf of an
 * additive mask, False of a keep-mask wins the block).
 */
export type Pooling = 'none' | 'any' | 'max' | 'masked';

/** The Pooling label of a view pooled or not, of `dtype`, with the mask's masked value when known. */
export function poolingOf(pooled: boolean, dtype: string, maskedCells: MaskedCells | undefined): Pooling {
  return !pooled ? 'none' : maskedCells ? 'masked' : isBoolDtype(dtype) ? 'any' : 'max';
}

/** A pooled 2-D view (blocks, values and masked flags as poolBlocks makes them) and how it was pooled. */
export interface TensorSlice extends PooledBlocks {
  /** Extent of the view before pooling. */
  rows: number;
  cols: number;
  pooling: Pooling;
  /** int64 cells beyond 2^53 by index into `values`, with their exact digits (`values` holds the nearest doubles); unpooled views only. */
  exact?: Map<number, string>;
}

export interface SliceSource {
  slice(request: SliceRequest): Promise<TensorSlice>;
}

/** Row-major strides of a contiguous tensor. */
export function stridesOf(shape: readonly number[]): number[] {
  const st = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    st[i] = acc;
    acc *= shape[i];
  }
  return st;
}

/** Flat offset of the view's (0, 0) and the strides along its rows and columns. */
export function viewGeometry(shape: readonly number[], rowDim: number | null, colDim: number | null, index: readonly number[]): { base: number; rows: number; cols: number; rowStride: number; colStride: number } {
  const st = stridesOf(shape);
  let base = 0;
  for (let d = 0; d < shape.length; d++) {
    if (d === rowDim || d === colDim) continue;
    base += Math.min(Math.max(index[d] ?? 0, 0), shape[d] - 1) * st[d];
  }
  return {
    base,
    rows: rowDim === null ? 1 : shape[rowDim],
    cols: colDim === null ? 1 : shape[colDim],
    rowStride: rowDim === null ? 0 : st[rowDim],
    colStride: colDim === null ? 0 : st[colDim],
  };
}

const numericCache = new WeakMap<TensorValue, Float64Array>();

/** The elements as numbers (True = 1, 'nan' = NaN, ...), decoded once per tensor. */
export function numericData(t: TensorValue): Float64Array {
  let d = numericCache.get(t);
  if (!d) numericCache.set(t, (d = Float64Array.from(t.data, toNumber)));
  return d;
}

/**
 * The 2-D view of `t` that `req` asks for, pooled in blocks so it fits
 * maxRows × maxCols. `masked` (same length as t.data, 1 = masked) is pooled
 * by any, so a masked position never disappears; bool values likewise; other
 * values by max, with NaN winning so it stays visible; a mask's values by
 * its masked value when `maskedCells` says which (maskedCells in
 * src/masks/consumers.ts).
 */
export function sliceTensor(t: TensorValue, req: Omit<SliceRequest, 'variable'>, masked?: ArrayLike<number | boolean>, maskedCells?: MaskedCells): TensorSlice {
  const g = viewGeometry(t.shape, req.rowDim, req.colDim, req.index);
  const data = numericData(t);
  const flat = (r: number, c: number) => g.base + r * g.rowStride + c * g.colStride;
  const p = poolBlocks(g.rows, g.cols, req.maxRows, req.maxCols, (r, c) => data[flat(r, c)], masked && ((r, c) => !!masked[flat(r, c)]), maskedCells);
  const pooled = p.rowStep > 1 || p.colStep > 1;
  const exact = !pooled && t.exact?.length ? exactCells(t.exact, p.outRows, p.outCols, flat) : undefined;
  return { rows: g.rows, cols: g.cols, ...p, pooling: poolingOf(pooled, t.dtype, maskedCells), ...(exact?.size ? { exact } : {}) };
}

/** The view cells (by index r * cols + c) whose element has exact int64 digits. */
function exactCells(exact: readonly [number, string][], rows: number, cols: number, flat: (r: number, c: number) => number): Map<number, string> {
  const byFlat = new Map(exact);
  const out = new Map<number, string>();
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const digits = byFlat.get(flat(r, c));
      if (digits !== undefined) out.set(r * cols + c, digits);
    }
  }
  return out;
}

/** Sums of the view's rows (over its columns), unpooled: softmax rows should sum to 1. */
export function rowSums(t: TensorValue, rowDim: number | null, colDim: number | null, index: readonly number[]): number[] {
  const g = viewGeometry(t.shape, rowDim, colDim, index);
  const out: number[] = [];
  for (let r = 0; r < g.rows; r++) {
    let s = 0;
    for (let c = 0; c < g.cols; c++) s += toNumber(t.data[g.base + r * g.rowStride + c * g.colStride]);
    out.push(s);
  }
  return out;
}

/** The flat index of view cell (r, c). */
export function flatIndex(shape: readonly number[], rowDim: number | null, colDim: number | null, index: readonly number[], r: number, c: number): number {
  const g = viewGeometry(shape, rowDim, colDim, index);
  return g.base + r * g.rowStride + c * g.colStride;
}

/** Full index tuple of view cell (r, c). */
export function cellIndex(ndim: number, rowDim: number | null, colDim: number | null, index: readonly number[], r: number, c: number): number[] {
  return Array.from({ length: ndim }, (_, d) => (d === rowDim ? r : d === colDim ? c : index[d] ?? 0));
}

/** Two dims to show by default: the last two (a 1-D tensor is one row; 0-D one cell). */
export function defaultDims(ndim: number): { rowDim: number | null; colDim: number | null } {
  if (ndim === 0) return { rowDim: null, colDim: null };
  if (ndim === 1) return { rowDim: null, colDim: 0 };
  return { rowDim: ndim - 2, colDim: ndim - 1 };
}

/** A SliceSource over values already in memory (today's evaluation results). */
export class LocalSliceSource implements SliceSource {
  constructor(private readonly lookup: (variable: string) => { value: TensorValue; masked?: ArrayLike<number | boolean>; maskedCells?: MaskedCells } | undefined) {}

  slice(req: SliceRequest): Promise<TensorSlice> {
    const found = this.lookup(req.variable);
    if (!found) return Promise.reject(new Error(`no tensor named ${req.variable}`));
    return Promise.resolve(sliceTensor(found.value, req, found.masked, found.maskedCells));
  }
}

const ENGINE_DTYPES = new Set(['bool', 'uint8', 'int8', 'int16', 'int32', 'int64', 'float16', 'bfloat16', 'float32', 'float64']);

/** The engine dtype of an encoded dtype ("torch.float32", "float32"); float32 when unknown. */
export function engineDtype(dtype: string): DType {
  const d = dtype.replace(/^torch\./, '');
  return (ENGINE_DTYPES.has(d) ? d : 'float32') as DType;
}

/**
 * Cell text at torch's printed precision: the formatter torch's print picks
 * for the whole tensor (int / fixed with 4 decimals / scientific, one width),
 * trimmed; booleans as True/False, non-finite as nan / inf / -inf.
 */
export function cellFormatter(t: TensorValue): { format(x: EncodedNumber | number): string; width: number } {
  const dtype = engineDtype(t.dtype);
  // NumPy arrays and TensorFlow tensors print their elements NumPy's way (0.5, 1.e-05), torch's its own (0.5000)
  const f = t.type === 'numpy.ndarray' || t.type === 'tf.Tensor' ? numpyElementFormatter(dtype, numericData(t)) : elementFormatter(dtype, t.shape, numericData(t));
  return {
    format: (x) => {
      const v = typeof x === 'number' ? x : toNumber(x);
      if (Number.isNaN(v)) return 'nan';
      if (v === Number.POSITIVE_INFINITY) return 'inf';
      if (v === Number.NEGATIVE_INFINITY) return '-inf';
      return f.format(v).trim();
    },
    width: Math.max(f.width, 4),
  };
}

/**
 * The value a masked_fill wrote, as torch prints it alone in the filled
 * tensor's dtype (`print(torch.tensor(-1e10))`): `-1.0000e+10`, `-inf`,
 * `-10000.`, `-100` in an int64 tensor; never JavaScript's `-10000000000`.
 */
export function fillText(fill: EncodedNumber, dtype = 'torch.float32'): string {
  return cellFormatter({ type: 'torch.Tensor', dtype, shape: [], data: [fill] }).format(fill);
}

/** Whether every value survives a float32 round trip (bools, small ints, float32 data; NaN and ±inf too). */
function float32Exact(values: ArrayLike<number>): boolean {
  for (let i = 0; i < values.length; i++) {
    const x = values[i];
    if (Math.fround(x) !== x && !Number.isNaN(x)) return false;
  }
  return true;
}

/**
 * A slice for postMessage: values as base64 of float32 when that holds them
 * exactly (half the text), else of float64: a float64 tensor's cells and an
 * int past 2^24 must not be rounded on the way. Exact int64 digits travel as pairs.
 */
export function toWire(s: TensorSlice): WireSlice {
  const wide = !float32Exact(s.values);
  const bytes = new Uint8Array((wide ? Float64Array.from(s.values) : Float32Array.from(s.values)).buffer);
  return { ...s, values: bytesToBase64(bytes), ...(wide ? { float64: true } : {}), masked: s.masked ? Array.from(s.masked) : undefined, exact: s.exact ? [...s.exact] : undefined };
}

export function fromWire(w: WireSlice): TensorSlice {
  const bytes = base64ToBytes(w.values);
  const values = w.float64 ? new Float64Array(bytes.buffer) : Float64Array.from(new Float32Array(bytes.buffer));
  const { float64: _, ...rest } = w;
  return { ...rest, values, masked: w.masked ? Uint8Array.from(w.masked) : undefined, exact: w.exact ? new Map(w.exact) : undefined };
}
