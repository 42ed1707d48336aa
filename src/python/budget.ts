// The evaluation's element budget applied to Python's own objects: list and
// tuple repetition and concatenation, strings (repetition, format widths)
// and big ints. Each check runs before the allocation it guards, so an
// over-budget snippet gets MemoryError at once instead of exhausting the heap.

import { checkBudget, checkBytes } from '../engine/context';
import { pyError } from './exceptions';

/** CPython's Py_ssize_t bound: larger repeat counts and widths raise OverflowError. */
const SSIZE_MAX = (1n << 63n) - 1n;

/** A repeat count or width as a JS number, after CPython's index-size check. */
export function indexSized(n: bigint): number {
  if (n > SSIZE_MAX || n < -SSIZE_MAX - 1n) throw pyError('OverflowError', "cannot fit 'int' into an index-sized integer");
  return Number(n);
}

/** MemoryError before building a sequence of `n` items (`what`: "list", "str", ...). */
export function checkItems(n: number, what: string): void {
  const describe = () => `a ${what} of ${n} ${what === 'str' ? 'characters' : 'items'}`;
  checkBudget(n, describe);
  // against the memory cap too: a JS string takes up to 2 bytes a character, an array 8 bytes an item
  checkBytes(n * (what === 'str' ? 2 : 8), describe);
}

/** Bit length of |x| (0 for 0). */
export function bitLength(x: bigint): number {
  if (x < 0n) x = -x;
  return x === 0n ? 0 : x.toString(16).length * 4 - (Math.clz32(parseInt(x.toString(16)[0], 16)) - 28);
}

/** MemoryError before computing an int of about `bits` bits (one budget element per bit). */
export function checkIntBits(bits: number | bigint): void {
  checkBudget(bits, () => `an int of ${bits} bits`);
  checkBytes(Number(bits) / 8, () => `an int of ${bits} bits`);
}
