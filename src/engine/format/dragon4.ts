// Exact decimal digits of binary floats, after the Dragon4 algorithm
// (Steele & White; Burger & Dybvig) as NumPy implements it in dragon4.c.
// Everything that prints a float goes through here, so Python's `repr`,
// `format(x, '.4f')`, torch's printer and NumPy's printer all round from the
// exact binary value with ties to even, the way CPython's dtoa and NumPy do.
// JS's toFixed/toExponential round ties away from zero and are not used.

/** An IEEE binary format: significand bits (with the implicit bit) and the exponent of the smallest normal. */
export interface BinaryFormat {
  readonly bits: number;
  readonly minExp: number;
}

export const FLOAT64: BinaryFormat = { bits: 53, minExp: -1022 };
export const FLOAT32: BinaryFormat = { bits: 24, minExp: -126 };
export const FLOAT16: BinaryFormat = { bits: 11, minExp: -14 };
export const BFLOAT16: BinaryFormat = { bits: 8, minExp: -126 };

/** Decimal digits `d0 d1 d2 ...` with value `d0.d1d2... × 10^exp10`. */
export interface Digits {
  digits: string;
  exp10: number;
}

export interface Dragon4Options {
  /** Shortest digits that identify the value within its format (true), or the exact value's digits (false). */
  unique: boolean;
  /** Whether `precision` / `minDigits` count significant digits or digits after the point. */
  cutoff: 'total' | 'fraction';
  /** At most this many digits (-1: no limit). Must be >= 0 when `unique` is false. */
  precision: number;
  /** Unique mode only: at least this many digits, continuing with the exact value (-1: none). */
  minDigits?: number;
}

const POW10: bigint[] = [1n];
function pow10(n: number): bigint {
  while (POW10.length <= n) POW10.push(POW10[POW10.length - 1] * 10n);
  return POW10[n];
}

const LOG10_2 = 0.30102999566398119521373889472449;

/** floor(log2(x)) for a finite x > 0, exactly. */
function ilog2(x: number): number {
  let e = Math.floor(Math.log2(x));
  // Math.log2 may be off by one near powers of two.
  if (2 ** e > x) e -= 1;
  else if (e < 1023 && 2 ** (e + 1) <= x) e += 1;
  return e;
}

interface Decomposed {
  mantissa: bigint;
  exp2: number;
  mantissaBit: number;
  unequalMargins: boolean;
}

/** x = mantissa × 2^exp2 with the mantissa of `fmt` (x must be a finite positive value of that format). */
function decompose(x: number, fmt: BinaryFormat): Decomposed {
  const e = Math.max(ilog2(x), fmt.minExp);
  const exp2 = e - (fmt.bits - 1);
  const m = x / 2 ** exp2; // exact: x is a multiple of 2^exp2 in its format
  const mantissa = BigInt(m);
  return {
    mantissa,
    exp2,
    mantissaBit: mantissa.toString(2).length - 1,
    // Above a power of two the gap below is half the gap above, except at the
    // smallest normal where the subnormals continue with the same spacing.
    unequalMargins: m === 2 ** (fmt.bits - 1) && e > fmt.minExp,
  };
}

/**
 * Digits of |x| (finite) in `fmt`. Zero gives digits "0", exp10 0.
 * Ties at a cutoff go to the even digit, comparing against the exact binary value.
 */
export function dragon4(x: number, fmt: BinaryFormat, opts: Dragon4Options): Digits {
  x = Math.abs(x);
  if (x === 0) return { digits: '0', exp10: 0 };
  const { mantissa, exp2, mantissaBit, unequalMargins } = decompose(x, fmt);
  const isEven = (mantissa & 1n) === 0n;

  // value = r / s; the distance to the neighbours is marginLow / s below and marginHigh / s above, halved.
  let r: bigint, s: bigint, mLow: bigint, mHigh: bigint;
  if (unequalMargins) {
    if (exp2 > 0) {
      r = mantissa << BigInt(exp2 + 2);
      s = 4n;
      mLow = 1n << BigInt(exp2);
      mHigh = 1n << BigInt(exp2 + 1);
    } else {
      r = mantissa << 2n;
      s = 1n << BigInt(-exp2 + 2);
      mLow = 1n;
      mHigh = 2n;
    }
  } else {
    if (exp2 > 0) {
      r = mantissa << BigInt(exp2 + 1);
      s = 2n;
      mLow = 1n << BigInt(exp2);
    } else {
      r = mantissa << 1n;
      s = 1n << BigInt(-exp2 + 1);
      mLow = 1n;
    }
    mHigh = mLow;
  }

  // Estimate of floor(log10(x)) + 1, correct or one too small.
  let k = Math.ceil((mantissaBit + exp2) * LOG10_2 - 0.69);
  const precision = opts.precision;
  const minDigits = opts.minDigits ?? -1;
  if (precision >= 0 && opts.cutoff === 'fraction' && k <= -precision) k = -precision + 1;

  if (k > 0) s *= pow10(k);
  else if (k < 0) {
    const p = pow10(-k);
    r *= p;
    mLow *= p;
    mHigh *= p;
  }
  if (r >= s) k += 1;
  else {
    r *= 10n;
    mLow *= 10n;
    mHigh *= 10n;
  }

  // Position (power of ten) of the last digit we may print, and of the last we must.
  let cutoffMax = -Infinity;
  if (precision >= 0) cutoffMax = opts.cutoff === 'total' ? k - precision : -precision;
  let cutoffMin = k;
  if (minDigits >= 0) {
    const want = opts.cutoff === 'total' ? k - minDigits : -minDigits;
    if (want < cutoffMin) cutoffMin = want;
  }
  const exp10 = k - 1;

  const out: number[] = [];
  let digit: number;
  let low = false;
  let high = false;
  if (opts.unique) {
    for (;;) {
      k -= 1;
      const q = r / s;
      r -= q * s;
      digit = Number(q);
      const c1 = r < mLow ? -1 : r > mLow ? 1 : 0;
      low = isEven ? c1 <= 0 : c1 < 0;
      const rh = r + mHigh;
      const c2 = rh < s ? -1 : rh > s ? 1 : 0;
      high = isEven ? c2 >= 0 : c2 > 0;
      if (((low || high) && k <= cutoffMin) || k <= cutoffMax) break;
      out.push(digit);
      r *= 10n;
      mLow *= 10n;
      mHigh *= 10n;
    }
  } else {
    if (precision < 0) throw new Error('dragon4: exact digits need a precision');
    for (;;) {
      k -= 1;
      const q = r / s;
      r -= q * s;
      digit = Number(q);
      if (r === 0n || k <= cutoffMax) break;
      out.push(digit);
      r *= 10n;
    }
  }

  let roundDown = low;
  if (low === high) {
    const twice = r * 2n;
    roundDown = twice < s;
    if (twice === s) roundDown = (digit & 1) === 0;
  }

  let e = exp10;
  if (roundDown) out.push(digit);
  else if (digit < 9) out.push(digit + 1);
  else {
    // carry into the previous non-nine digit
    for (;;) {
      if (out.length === 0) {
        out.push(1);
        e += 1;
        break;
      }
      const last = out.pop()!;
      if (last !== 9) {
        out.push(last + 1);
        break;
      }
    }
  }
  return { digits: out.join(''), exp10: e };
}

/** Shortest round-trip digits of a double, from JS's own shortest conversion (same digits as Dragon4 unique). */
export function shortestFloat64(x: number): Digits {
  x = Math.abs(x);
  if (x === 0) return { digits: '0', exp10: 0 };
  const s = x.toExponential(); // shortest digits, "d.ddde±x"
  const ePos = s.indexOf('e');
  const mant = s.slice(0, ePos);
  const exp10 = Number(s.slice(ePos + 1));
  return { digits: mant.replace('.', ''), exp10 };
}

/** Shortest digits in `fmt` (float64 takes the fast path). */
export function shortest(x: number, fmt: BinaryFormat): Digits {
  if (fmt === FLOAT64) return shortestFloat64(x);
  return dragon4(x, fmt, { unique: true, cutoff: 'total', precision: -1 });
}

/** Exact value of |x| rounded half-to-even to `n` digits after the point. Trailing zeros removed. */
export function roundFraction(x: number, n: number): Digits {
  return stripZeros(dragon4(x, FLOAT64, { unique: false, cutoff: 'fraction', precision: n }));
}

/** Exact value of |x| rounded half-to-even to `n` >= 1 significant digits. Trailing zeros removed. */
export function roundSignificant(x: number, n: number): Digits {
  return stripZeros(dragon4(x, FLOAT64, { unique: false, cutoff: 'total', precision: n }));
}

function stripZeros(d: Digits): Digits {
  let end = d.digits.length;
  while (end > 1 && d.digits.charCodeAt(end - 1) === 48) end--;
  if (end === d.digits.length) return d;
  return { digits: d.digits.slice(0, end), exp10: d.exp10 };
}

/** The binary format a dtype's values live in, for shortest-digit printing. */
export function formatOfDtype(dtype: string): BinaryFormat {
  switch (dtype) {
    case 'float32': return FLOAT32;
    case 'float16': return FLOAT16;
    case 'bfloat16': return BFLOAT16;
    default: return FLOAT64;
  }
}
