// Tensor element types and PyTorch's type-promotion rules.
// Each dtype has a typed storage (see tensor.ts `allocate`); a dtype decides
// how values are rounded or wrapped when written (castValue). int64 lives in
// a Float64Array, exact up to 2^53, plus an exact side array for the values
// beyond (tensor.ts Storage). assertDtype checks the invariant in debug runs.

export type DType =
  | 'bool'
  | 'uint8'
  | 'int8'
  | 'int16'
  | 'int32'
  | 'int64'
  | 'float16'
  | 'bfloat16'
  | 'float32'
  | 'float64';

export const DTYPES: readonly DType[] = [
  'bool', 'uint8', 'int8', 'int16', 'int32', 'int64', 'float16', 'bfloat16', 'float32', 'float64',
];

export type Category = 0 | 1 | 2; // bool < integral < floating

export function category(d: DType): Category {
  if (d === 'bool') return 0;
  return isFloating(d) ? 2 : 1;
}

export function isFloating(d: DType): boolean {
  return d === 'float16' || d === 'bfloat16' || d === 'float32' || d === 'float64';
}

export function isIntegral(d: DType, includeBool = false): boolean {
  return d === 'bool' ? includeBool : !isFloating(d);
}

export function itemsize(d: DType): number {
  switch (d) {
    case 'bool': case 'uint8': case 'int8': return 1;
    case 'int16': case 'float16': case 'bfloat16': return 2;
    case 'int32': case 'float32': return 4;
    case 'int64': case 'float64': return 8;
  }
}

// torch's promoteTypes lookup, expressed as a lattice: the result is the
// smallest type that holds both, with the uint8/int8 pair going to int16 and
// float16/bfloat16 going to float32.
const INT_ORDER: DType[] = ['bool', 'uint8', 'int8', 'int16', 'int32', 'int64'];
const FLOAT_ORDER: DType[] = ['float16', 'bfloat16', 'float32', 'float64'];

export function promoteTypes(a: DType, b: DType): DType {
  if (a === b) return a;
  const fa = isFloating(a), fb = isFloating(b);
  if (fa && fb) {
    if ((a === 'float16' && b === 'bfloat16') || (a === 'bfloat16' && b === 'float16')) return 'float32';
    return FLOAT_ORDER.indexOf(a) > FLOAT_ORDER.indexOf(b) ? a : b;
  }
  if (fa) return a;
  if (fb) return b;
  if ((a === 'uint8' && b === 'int8') || (a === 'int8' && b === 'uint8')) return 'int16';
  return INT_ORDER.indexOf(a) > INT_ORDER.indexOf(b) ? a : b;
}

const F32 = new Float32Array(1);
const U32 = new Uint32Array(F32.buffer);

/** Round half to even of a non-negative value whose fraction is exact in a double. */
function roundHalfEvenExact(q: number): number {
  const r = Math.floor(q);
  const diff = q - r;
  return diff > 0.5 || (diff === 0.5 && r % 2 === 1) ? r + 1 : r;
}

// c10::BFloat16(float): round-to-nearest-even on the float32 bits.
function roundBfloat16(x: number): number {
  F32[0] = x;
  const bits = U32[0];
  if ((bits & 0x7f800000) === 0x7f800000) return F32[0]; // inf / nan unchanged
  const rounded = (bits + 0x7fff + ((bits >>> 16) & 1)) & 0xffff0000;
  U32[0] = rounded >>> 0;
  return F32[0];
}

// c10::Half(float) (fp16_ieee_from_fp32_value): round-to-nearest-even of a
// float32 value to binary16, overflowing to inf from 65520 on.
function roundFloat16(x: number): number {
  const f = Math.fround(x);
  if (!Number.isFinite(f) || f === 0) return f;
  F32[0] = f;
  const exp = ((U32[0] >>> 23) & 0xff) - 127;
  const a = Math.abs(f);
  // spacing of float16 at a: 2^(e-10), subnormals 2^-24; a / step is exact (power-of-two scale)
  const step = 2 ** (Math.max(exp, -14) - 10);
  const r = roundHalfEvenExact(a / step) * step;
  const out = r > 65504 ? Infinity : r;
  return f < 0 ? -out : out;
}

/** Two's-complement wrap of an integer-valued double to `bits` bits. */
function wrapBits(t: number, bits: number, signed: boolean): number {
  const m = 2 ** bits;
  // in range: nothing to wrap (and 2^64 + t would lose t's low bits in a double)
  if (signed ? t >= -m / 2 && t < m / 2 : t >= 0 && t < m) return t === 0 ? 0 : t;
  let r = t % m; // exact: fmod of doubles
  if (r < 0) r += m;
  if (signed && r >= m / 2) r -= m;
  return r === 0 ? 0 : r; // no -0 in an integer storage
}

// x86 cvttsd2si/cvttss2si: truncation, and the "integer indefinite" value
// (the type's minimum) for NaN, infinities and anything out of range.
function truncTo(x: number, bits: 32 | 64): number {
  const lim = 2 ** (bits - 1);
  if (!(x > -lim - 1 && x < lim)) return -lim;
  const t = Math.trunc(x);
  return t < -lim ? -lim : t === 0 ? 0 : t;
}

/**
 * The value `x` becomes when PyTorch (CPU, x86) converts it to dtype `d`:
 * c10::convert / static_cast_with_inter_type in c10/util/TypeCast.h.
 * - float64 keeps x; float32 rounds to nearest even; float16 and bfloat16
 *   round the float32 value (a double goes through float first).
 * - bool is x != 0 (NaN is true).
 * - int64 and int32 truncate toward zero; NaN, infinities and out-of-range
 *   values give the type's minimum (what the x86 conversion instruction does).
 * - int16 and int8 go through int32, uint8 through int64 (TypeCast.h's
 *   special case), then wrap modulo 2^bits.
 * Integer inputs (already integral) take the same path, which wraps them.
 */
export function castValue(d: DType, x: number): number {
  switch (d) {
    case 'float64': return x;
    case 'float32': return Math.fround(x);
    case 'float16': return roundFloat16(x);
    case 'bfloat16': return roundBfloat16(x);
    case 'bool': return x !== 0 ? 1 : 0; // NaN is truthy in torch
    case 'uint8': return wrapBits(truncTo(x, 64), 8, false);
    case 'int8': return wrapBits(truncTo(x, 32), 8, true);
    case 'int16': return wrapBits(truncTo(x, 32), 16, true);
    case 'int32': return truncTo(x, 32);
    case 'int64': return truncTo(x, 64);
  }
}

const INT_BITS: Partial<Record<DType, number>> = { uint8: 8, int8: 8, int16: 16, int32: 32, int64: 64 };

/**
 * The value an integer computation's result `x` keeps in dtype `d`: integer
 * arithmetic wraps modulo 2^bits in PyTorch (int8 127 + 1 == -128). Floating
 * and bool dtypes round as castValue does. int64 wraps only approximately
 * beyond 2^53, where a double no longer holds every integer.
 */
export function wrapValue(d: DType, x: number): number {
  if (isFloating(d) || d === 'bool' || !Number.isFinite(x)) return castValue(d, x);
  return wrapBits(Math.trunc(x), INT_BITS[d]!, d !== 'uint8');
}

const LARGEST_BELOW_2_63 = 2 ** 63 - 1024;

/**
 * The value a Python int `v` stores in dtype `d`, as a number. An integer
 * dtype keeps v modulo 2^bits: narrower dtypes exactly, int64 exactly within
 * 2^53. Beyond that the number is a double near v, and callers storing into
 * an int64 tensor record v itself in the storage's exact side array
 * (tensor.ts setInt64). The number is never 2^63: 2^63 - 1 .. 2^63 - 512
 * give the largest double below it, so iinfo(int64).max used as a number
 * stays the largest positive value instead of converting to the minimum.
 * Floating dtypes round the nearest double; bool is v != 0.
 */
export function intToDtype(d: DType, v: bigint): number {
  if (d === 'bool') return v !== 0n ? 1 : 0;
  const bits = INT_BITS[d];
  if (bits === undefined) return castValue(d, Number(v));
  const w = d === 'uint8' ? BigInt.asUintN(bits, v) : BigInt.asIntN(bits, v);
  const x = Number(w);
  return x >= 2 ** 63 ? LARGEST_BELOW_2_63 : x === 0 ? 0 : x;
}

/** A function that rounds a value to dtype `d` (identity where nothing to do). */
export function caster(d: DType): (x: number) => number {
  if (d === 'float64') return (x) => x;
  if (d === 'float32') return Math.fround;
  return (x) => castValue(d, x);
}

// ---- the dtype invariant ----

let assertions = typeof process !== 'undefined' && !!process.env?.MASKLENS_DEBUG;

/** Turn the storage invariant checks on or off (tests and the sweep turn them on); returns the previous state. */
export function setDtypeAssertions(on: boolean): boolean {
  const prev = assertions;
  assertions = on;
  return prev;
}

export function dtypeAssertionsOn(): boolean {
  return assertions;
}

/** Whether `x` is a value a tensor of dtype `d` can hold (NaN only in floating dtypes). */
export function holdsExactly(d: DType, x: number): boolean {
  if (Number.isNaN(x)) return isFloating(d);
  return Object.is(castValue(d, x), x);
}

/**
 * Debug assertion of the dtype invariant: every element of `data` is a
 * value of dtype `d` (integers of its width, bools 0/1, floats already
 * rounded to float16/bfloat16/float32; an int64 element beyond 2^53 is
 * its exact value in `wide`, the storage's side array). A no-op unless assertions are on;
 * a violation is a Mask Lens bug, so it throws a plain Error.
 */
export function assertDtype(d: DType, data: ArrayLike<number>, where: string, wide?: BigInt64Array): void {
  if (!assertions || d === 'float64') return;
  for (let i = 0; i < data.length; i++) {
    // an int64 beyond 2^53 is its exact value in the storage's side array, with its nearest double in data
    if (wide !== undefined && Number(wide[i]) === data[i]) continue;
    if (!holdsExactly(d, data[i])) {
      throw new Error(`dtype invariant violated in ${where}: ${data[i]} stored in a ${d} tensor`);
    }
  }
}

/** Name as PyTorch prints it: `torch.float32`. */
export function torchName(d: DType): string {
  return `torch.${d}`;
}

// torch.* aliases that name a dtype.
export const TORCH_DTYPE_ALIASES: Record<string, DType> = {
  bool: 'bool', uint8: 'uint8', int8: 'int8', int16: 'int16', short: 'int16', int32: 'int32', int: 'int32',
  int64: 'int64', long: 'int64', float16: 'float16', half: 'float16', bfloat16: 'bfloat16',
  float32: 'float32', float: 'float32', float64: 'float64', double: 'float64',
};
