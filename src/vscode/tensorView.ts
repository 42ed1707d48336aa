// Pure helpers that turn an EncodedValue (the evaluator's JSON form) into
// things to show: 2-D slices, mask grids, short numeric tables. Shared by the
// extension host (hover markdown) and the webview (heatmap), so this file
// must not import 'vscode' or anything Node-only.
import { maskValued } from '../masks/values';
import type { EncodedNumber, EncodedValue } from '../python/result';

export type TensorValue = Extract<EncodedValue, { data: EncodedNumber[] }>;

export function isTensor(value: EncodedValue): value is TensorValue {
  return 'data' in value && Array.isArray(value.data) && Array.isArray(value.shape);
}

/** Decode one encoded element to a JS number (booleans become 0/1). */
export function toNumber(x: EncodedNumber): number {
  if (typeof x === 'number') return x;
  if (typeof x === 'boolean') return x ? 1 : 0;
  if (x === 'nan') return Number.NaN;
  if (x === 'inf') return Number.POSITIVE_INFINITY;
  return Number.NEGATIVE_INFINITY;
}

export function isBoolDtype(dtype: string): boolean {
  return dtype === 'torch.bool' || dtype === 'bool';
}

/** A bool tensor, or one whose every element is exactly 0 or 1: may be shown as ■/⬚ (additive masks are shown by value). */
export function isMaskLike(t: TensorValue): boolean {
  return maskValued(t, { additive: false });
}

export function numel(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Short dtype for badges: "torch.float32" → "float32". */
export function shortDtype(dtype: string): string {
  const dot = dtype.lastIndexOf('.');
  return dot >= 0 ? dtype.slice(dot + 1) : dtype;
}

export function formatShape(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

/** The label Python would print for a type, roughly: used for non-tensor values. */
export function describeValue(value: EncodedValue): { kind: string; dtype?: string; shape?: number[] } {
  if (isTensor(value)) return { kind: value.type, dtype: value.dtype, shape: value.shape };
  if ('items' in value) return { kind: value.type, shape: [value.items.length] };
  if (value.type === 'object') return { kind: value.class };
  if (value.type === 'dict') return { kind: value.class };
  return { kind: value.type };
}

/** One 2-D view of a tensor: the last two axes at fixed leading indices. */
export interface Matrix {
  rows: number;
  cols: number;
  at(r: number, c: number): EncodedNumber;
  /** The flat index into the tensor's data of cell (r, c). */
  index(r: number, c: number): number;
}

/**
 * Axes before the last two, which the viewer fixes to pick a 2-D slice.
 * 1-D tensors are one row; 0-D tensors one cell.
 */
export function leadingShape(shape: readonly number[]): number[] {
  return shape.length > 2 ? shape.slice(0, shape.length - 2) : [];
}

export function sliceMatrix(t: TensorValue, leading: readonly number[] = []): Matrix {
  const shape = t.shape;
  if (shape.length === 0) return { rows: 1, cols: 1, at: () => t.data[0], index: () => 0 };
  if (shape.length === 1) return { rows: 1, cols: shape[0], at: (_r, c) => t.data[c], index: (_r, c) => c };
  const rows = shape[shape.length - 2];
  const cols = shape[shape.length - 1];
  const lead = leadingShape(shape);
  let base = 0;
  for (let i = 0; i < lead.length; i++) {
    const idx = Math.min(Math.max(leading[i] ?? 0, 0), lead[i] - 1);
    base = base * lead[i] + idx;
  }
  base *= rows * cols;
  return { rows, cols, at: (r, c) => t.data[base + r * cols + c], index: (r, c) => base + r * cols + c };
}

/** Every combination of leading indices, in row-major order. */
export function leadingIndices(shape: readonly number[]): number[][] {
  const lead = leadingShape(shape);
  let out: number[][] = [[]];
  for (const n of lead) {
    const next: number[][] = [];
    for (const prefix of out) for (let i = 0; i < n; i++) next.push([...prefix, i]);
    out = next;
  }
  return out;
}

export interface GridOptions {
  maxRows?: number;
  maxCols?: number;
  /** Items kept at each end of a summarised axis (torch's edgeitems, 3). */
  edgeItems?: number;
}

/** The indices of an axis of `n` to show: all when n <= max, else `edge` at each end with null for torch's `...`. */
export function summarisedIndices(n: number, max: number, edge: number): (number | null)[] {
  if (n <= max) return Array.from({ length: n }, (_, i) => i);
  const e = Math.max(1, Math.min(edge, Math.floor((max - 1) / 2)));
  return [...Array.from({ length: e }, (_, i) => i), null, ...Array.from({ length: e }, (_, i) => n - e + i)];
}

/**
 * A right-aligned numeric table of one 2-D slice, every cell in one format:
 * `cell` is the tensor's own print formatter (cellFormatter: torch's
 * _Formatter choice of int / fixed / scientific, made once for the whole
 * tensor), so a table never mixes `-1.0000e+06` with `0.4963` styles. An axis
 * longer than maxRows / maxCols (8) is summarised as torch's print does:
 * `edgeItems` (3) at each end and `...` between.
 */
export function numericTableText(m: Matrix, cell: (x: EncodedNumber, index: number) => string, opts: GridOptions = {}): string {
  const edge = opts.edgeItems ?? 3;
  const rows = summarisedIndices(m.rows, opts.maxRows ?? 8, edge);
  const cols = summarisedIndices(m.cols, opts.maxCols ?? 8, edge);
  const cells = rows.map((r) => cols.map((c) => (r === null ? (c === null ? '' : '...') : c === null ? '...' : cell(m.at(r, c), m.index(r, c)))));
  const width = Math.max(1, ...cells.flat().map((s) => s.length));
  // the elided column is its `...` alone, as print() writes it between the edge items
  return cells.map((row) => row.map((s, j) => (cols[j] === null ? s.padStart(3) : s.padStart(width))).join(' ').trimEnd()).join('\n');
}

/** An int64 tensor's exact digits beyond 2^53 by flat index (EncodedValue's `exact`): what tables show instead of the nearest double. */
export function exactDigits(t: TensorValue): Map<number, string> {
  return new Map(t.exact ?? []);
}

/** Min and max over finite elements (for heatmap shading); null when none. */
export function finiteRange(data: readonly EncodedNumber[]): { min: number; max: number } | null {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const x of data) {
    const v = toNumber(x);
    if (!Number.isFinite(v)) continue;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return min <= max ? { min, max } : null;
}

/** A short one-line rendering of a non-tensor value (int, list, ...). */
export function scalarText(value: EncodedValue): string {
  if (isTensor(value)) return `${value.type}${formatShape(value.shape)}`;
  if ('items' in value) {
    const inner = value.items.map(scalarText).join(', ');
    const kind: string = value.type;
    if (kind === 'tuple') return `(${inner}${value.items.length === 1 ? ',' : ''})`;
    // a named tuple other than torch.Size (torch.return_types.max): its class name, as its repr starts
    return kind === 'list' || kind === 'Size' ? `[${inner}]` : `${kind}(${inner})`;
  }
  // None, a dataclass instance: its repr travels with its snapshot; this is the short form
  if (value.type === 'object') return value.class === 'NoneType' ? 'None' : `${value.class}(…)`;
  if (value.type === 'dict') return dictText(value);
  const v = value.value;
  if (value.exact !== undefined) return value.exact; // an int beyond 2^53
  if (value.type === 'str') return JSON.stringify(v);
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  return String(v);
}

/**
 * A dict as pprint lays one out, each entry a line, values by their
 * summaries (`torch.float32 [2, 4, 8]`); entries past those recorded are
 * counted: `… 4 more`.
 */
export function dictText(value: Extract<EncodedValue, { type: 'dict' }>): string {
  if (value.size === 0) return '{}';
  const lines = value.entries.map((e) => `${e.key}: ${e.summary}`);
  if (value.size > value.entries.length) lines.push(`… ${value.size - value.entries.length} more`);
  return `{${lines.join(',\n ')}}`;
}
