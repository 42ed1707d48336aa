// Tensor element types and PyTorch's type-promotion rules.
// Every dtype is stored in a Float64Array; a dtype decides how values are
// rounded or wrapped when written (float32 via Math.fround, ints wrap).
// int64 is exact up to 2^53, which covers every index a snippet produces.

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

const F16 = new Float32Array(1);
const U32 = new Uint32Array(F16.buffer);

function roundBfloat16(x: number): number {
  F16[0] = x;
  const bits = U32[0];
  if ((bits & 0x7f800000) === 0x7f800000) return F16[0]; // inf / nan unchanged
  const rounded = (bits + 0x7fff + ((bits >>> 16) & 1)) & 0xffff0000;
  U32[0] = rounded >>> 0;
  return F16[0];
}

function roundFloat16(x: number): number {
  if (!Number.isFinite(x) || x === 0) return x;
  const a = Math.abs(x);
  if (a >= 65520) return x > 0 ? Infinity : -Infinity;
  // spacing of float16 near a: 2^(e-10), with subnormal spacing 2^-24
  const e = Math.max(Math.floor(Math.log2(a)), -14);
  const step = 2 ** (e - 10);
  const q = a / step;
  let r = Math.round(q);
  if (Math.abs(q - Math.trunc(q) - 0.5) < 1e-12 && r % 2 === 1) r -= 1; // ties to even
  return Math.sign(x) * r * step;
}

function wrapInt(x: number, bits: number, signed: boolean): number {
  if (!Number.isFinite(x)) return signed ? -(2 ** (bits - 1)) : 0;
  const t = Math.trunc(x);
  const m = 2 ** bits;
  let r = ((t % m) + m) % m;
  if (signed && r >= m / 2) r -= m;
  return r;
}

/** The value `x` becomes when stored in a tensor of dtype `d`. */
export function castValue(d: DType, x: number): number {
  switch (d) {
    case 'float64': return x;
    case 'float32': return Math.fround(x);
    case 'float16': return roundFloat16(x);
    case 'bfloat16': return roundBfloat16(x);
    case 'bool': return x !== 0 ? 1 : 0; // NaN is truthy in torch
    case 'uint8': return wrapInt(x, 8, false);
    case 'int8': return wrapInt(x, 8, true);
    case 'int16': return wrapInt(x, 16, true);
    case 'int32': return wrapInt(x, 32, true);
    case 'int64': return Number.isFinite(x) ? Math.trunc(x) : -(2 ** 63);
  }
}

/** A function that rounds a value to dtype `d` (identity where nothing to do). */
export function caster(d: DType): (x: number) => number {
  if (d === 'float64') return (x) => x;
  if (d === 'float32') return Math.fround;
  return (x) => castValue(d, x);
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
