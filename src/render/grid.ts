// Text rendering of a tensor's last two dims as a mask grid, shared by the
// CLI and the hover (■ = kept/true/nonzero, ⬚ = masked/false/zero).

import { additiveValued, binaryValued, blocksAdditively, maskValued } from '../masks/values';
import type { EncodedNumber, EncodedValue } from '../python/result';

type TensorValue = Extract<EncodedValue, { data: EncodedNumber[] }>;

const MAX_SIDE = 16;

function cell(x: EncodedNumber, additive: boolean): string {
  if (x === 'nan') return '?';
  // an additive mask keeps its 0s (■) and blocks with -inf or a large negative fill (⬚)
  if (additive) return x === '-inf' || (typeof x === 'number' && blocksAdditively(x)) ? '⬚' : '■';
  return x === false || x === 0 ? '⬚' : '■';
}

/** Drawn as ■/⬚: a boolean, 0/1 or additive mask by its values. */
export function isMaskLike(v: TensorValue): boolean {
  return maskValued(v, { additive: true });
}

function fmt(x: EncodedNumber, floating: boolean): string {
  if (typeof x === 'boolean') return x ? 'T' : 'F';
  if (typeof x === 'string') return x;
  return floating ? x.toFixed(4) : String(x);
}

/**
 * Grids for up to the first four leading slices, truncated at 16x16. Numbers
 * are written by `format` (the CLI passes the engine's per-tensor print
 * format, so -1e6 and 0.4963 share one style), else 4 decimals for floats.
 */
export function maskGrid(v: TensorValue, maxSide = MAX_SIDE, format?: (x: EncodedNumber) => string): string {
  const shape = v.shape.length === 0 ? [1] : v.shape;
  const cols = shape[shape.length - 1];
  const rows = shape.length >= 2 ? shape[shape.length - 2] : 1;
  const per = rows * cols;
  const slices = per === 0 ? 0 : v.data.length / per;
  const mask = isMaskLike(v);
  const additive = mask && !binaryValued(v) && additiveValued(v);
  const floating = v.dtype.includes('float');
  // one column width for the whole grid, so numbers line up
  // a loop, not Math.max(...): spreading a million elements overflows the stack
  // int64 beyond 2^53: the exact digits, not the nearest double
  const exact = new Map(v.exact ?? []);
  const text = (i: number) => exact.get(i) ?? (format ? format(v.data[i]) : fmt(v.data[i], floating));
  let width = 1;
  if (!mask) for (let i = 0; i < Math.min(v.data.length, 4 * per); i++) width = Math.max(width, text(i).length);
  const out: string[] = [];
  for (let b = 0; b < Math.min(slices, 4); b++) {
    if (slices > 1) out.push(`[${leadingIndex(shape, b).join(', ')}]`);
    for (let r = 0; r < Math.min(rows, maxSide); r++) {
      const cells: string[] = [];
      for (let c = 0; c < Math.min(cols, maxSide); c++) {
        const i = b * per + r * cols + c;
        cells.push(mask ? cell(v.data[i], additive) : text(i).padStart(width));
      }
      out.push(cells.join(mask ? '' : ' ') + (cols > maxSide ? ' …' : ''));
    }
    if (rows > maxSide) out.push('…');
  }
  if (slices > 4) out.push(`… ${slices - 4} more`);
  return out.join('\n');
}

function leadingIndex(shape: readonly number[], b: number): number[] {
  const lead = shape.slice(0, -2);
  const idx: number[] = [];
  for (let d = lead.length - 1; d >= 0; d--) {
    idx.unshift(b % lead[d]);
    b = Math.floor(b / lead[d]);
  }
  return idx;
}
