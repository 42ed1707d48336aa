// Pure helpers that turn an EncodedValue (the evaluator's JSON form) into
// things to show: 2-D slices, mask grids, short numeric tables. Shared by the
// extension host (hover markdown) and the webview (heatmap), so this file
// must not import 'vscode' or anything Node-only.
import { maskValued } from '../python/maskValues';
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
  return { kind: value.type };
}

/** One 2-D view of a tensor: the last two axes at fixed leading indices. */
export interface Matrix {
  rows: number;
  cols: number;
  at(r: number, c: number): EncodedNumber;
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
  if (shape.length === 0) return { rows: 1, cols: 1, at: () => t.data[0] };
  if (shape.length === 1) return { rows: 1, cols: shape[0], at: (_r, c) => t.data[c] };
  const rows = shape[shape.length - 2];
  const cols = shape[shape.length - 1];
  const lead = leadingShape(shape);
  let base = 0;
  for (let i = 0; i < lead.length; i++) {
    const idx = Math.min(Math.max(leading[i] ?? 0, 0), lead[i] - 1);
    base = base * lead[i] + idx;
  }
  base *= rows * cols;
  return { rows, cols, at: (r, c) => t.data[base + r * cols + c] };
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

/** Compact number text for grids: integers as-is, floats to 4 significant digits. */
export function formatCell(x: EncodedNumber, dtype: string): string {
  if (typeof x === 'boolean') return x ? 'True' : 'False';
  if (x === 'nan') return 'nan';
  if (x === 'inf') return 'inf';
  if (x === '-inf') return '-inf';
  if (/int|uint|long/.test(dtype) && !/float/.test(dtype)) return String(x);
  if (Number.isInteger(x) && Math.abs(x) < 1e6) return `${x}.`;
  const abs = Math.abs(x);
  if (abs !== 0 && (abs >= 1e5 || abs < 1e-4)) return x.toExponential(2);
  return String(Number(x.toPrecision(4)));
}

export interface GridOptions {
  maxRows?: number;
  maxCols?: number;
}

/** Rows/cols to show: all when they fit, else the first max-1 and an ellipsis. */
function clip(n: number, max: number): { shown: number; truncated: boolean } {
  return n <= max ? { shown: n, truncated: false } : { shown: max, truncated: true };
}

/** A right-aligned numeric table, truncated with … beyond maxRows × maxCols. */
export function numericTableText(m: Matrix, dtype: string, opts: GridOptions = {}): string {
  const r = clip(m.rows, opts.maxRows ?? 8);
  const c = clip(m.cols, opts.maxCols ?? 8);
  const cells: string[][] = [];
  let width = 1;
  for (let i = 0; i < r.shown; i++) {
    const row: string[] = [];
    for (let j = 0; j < c.shown; j++) {
      const s = formatCell(m.at(i, j), dtype);
      width = Math.max(width, s.length);
      row.push(s);
    }
    cells.push(row);
  }
  const lines = cells.map((row) => row.map((s) => s.padStart(width)).join(' ') + (c.truncated ? ' …' : ''));
  if (r.truncated) lines.push('…');
  return lines.join('\n');
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
    return value.type === 'tuple' ? `(${inner}${value.items.length === 1 ? ',' : ''})` : `[${inner}]`;
  }
  // None, a dataclass instance: its repr travels with its snapshot; this is the short form
  if (value.type === 'object') return value.class === 'NoneType' ? 'None' : `${value.class}(…)`;
  const v = value.value;
  if (value.type === 'str') return JSON.stringify(v);
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  return String(v);
}
