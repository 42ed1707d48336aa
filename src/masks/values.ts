// "Is this a mask?" by its values alone: the one predicate every reader
// shares (classification, the CLI grid, the hover, the inspector). Whether a
// value may be called a mask at all also needs evidence (classify.ts).
import type { EncodedNumber, EncodedValue } from '../python/result';

/** An encoded tensor whose data is inlined (not elided). */
export type TensorValue = Extract<EncodedValue, { data: EncodedNumber[] }>;

export function isTensor(v: EncodedValue): v is TensorValue {
  return 'data' in v;
}

/**
 * Additive masks block a position with -inf or a large negative number.
 * -1e4 is the least negative "large" fill in common use (BERT's
 * (1.0 - mask) * -10000.0); every finite fill at or below it is read as masking.
 */
export const ADDITIVE_MASK_FLOOR = -1e4;

/** One element of an additive mask that blocks its position (-inf or ≤ ADDITIVE_MASK_FLOOR). */
export function blocksAdditively(x: number): boolean {
  return x === -Infinity || x <= ADDITIVE_MASK_FLOOR;
}

/** One encoded element as a number: True/False as 1/0, 'nan' / 'inf' / '-inf' as NaN / ±Infinity. */
export const numberOf = (x: EncodedNumber): number =>
  typeof x === 'boolean' ? (x ? 1 : 0) : x === 'nan' ? NaN : x === 'inf' ? Infinity : x === '-inf' ? -Infinity : x;

/** Every element is True/False or exactly 0/1 (a boolean or 0/1 mask). */
export function binaryValued(v: TensorValue): boolean {
  return v.data.every((x) => typeof x === 'boolean' || x === 0 || x === 1);
}

/** Every value is 0 or blocks additively, and some value blocks (an additive mask's values). */
export function additiveValues(xs: Iterable<number>): boolean {
  let sawBlock = false;
  for (const x of xs) {
    if (x === 0) continue;
    if (blocksAdditively(x)) sawBlock = true;
    else return false;
  }
  return sawBlock;
}

/** Every element is 0 or blocks additively, and some element blocks (an additive mask). */
export function additiveValued(v: TensorValue): boolean {
  return additiveValues(v.data.map(numberOf));
}

/** A boolean, 0/1 or (with `additive`) additive mask by its values. */
export function maskValued(v: TensorValue, opts: { additive: boolean }): boolean {
  if (v.dtype === 'bool' || v.dtype === 'torch.bool') return true;
  if (v.data.length === 0) return false;
  return binaryValued(v) || (opts.additive && additiveValued(v));
}
