// Exact emulation of the floating-point operations torch's AVX2 CPU kernels
// perform: fused multiply-add in float32 and float64 (GCC contracts a*b+c in
// the AVX2 build), and the float32 log/sincos from avx_mathfun.h that the
// vectorised normal_fill uses. JS only has float64 arithmetic, so each float32
// step is rounded with Math.fround and each FMA is computed exactly with
// error-free transformations and a round-to-odd intermediate (Boldo &
// Melquiond), which makes the final rounding correct.

const F64 = new Float64Array(1);
const U32 = new Uint32Array(F64.buffer); // little-endian: U32[0] low word, U32[1] high word
const F32 = new Float32Array(1);
const I32 = new Int32Array(F32.buffer);

/** Move a finite nonzero double one ulp towards +inf (dir > 0) or -inf (dir < 0). */
function nudge(x: number, dir: number): number {
  F64[0] = x;
  // Increasing the magnitude bits moves away from zero.
  const away = (x > 0) === (dir > 0);
  if (away) {
    U32[0] = (U32[0] + 1) >>> 0;
    if (U32[0] === 0) U32[1] = (U32[1] + 1) >>> 0;
  } else {
    if (U32[0] === 0) U32[1] = (U32[1] - 1) >>> 0;
    U32[0] = (U32[0] - 1) >>> 0;
  }
  return F64[0];
}

/** Round-to-odd of the exact value s + e, where s = RN(s + e) and e is the rounding error. */
function roundToOdd(s: number, e: number): number {
  if (e === 0 || !Number.isFinite(s)) return s;
  F64[0] = s;
  if ((U32[0] & 1) === 1) return s; // already odd: truncation toward either side gives s
  return nudge(s, e);
}

/** Knuth's TwoSum: returns [s, e] with s = RN(a + b) and a + b = s + e exactly. */
function twoSum(a: number, b: number): [number, number] {
  const s = a + b;
  const bb = s - a;
  const e = (a - (s - bb)) + (b - bb);
  return [s, e];
}

const SPLITTER = 134217729; // 2^27 + 1

/** Dekker's TwoProduct: [p, e] with p = RN(a * b) and a * b = p + e exactly. */
function twoProduct(a: number, b: number): [number, number] {
  const p = a * b;
  let t = SPLITTER * a;
  const ah = t - (t - a);
  const al = a - ah;
  t = SPLITTER * b;
  const bh = t - (t - b);
  const bl = b - bh;
  const e = ((ah * bh - p) + ah * bl + al * bh) + al * bl;
  return [p, e];
}

/** float64 fused multiply-add: RN(a * b + c) with a single rounding. */
export function fma64(a: number, b: number, c: number): number {
  const p = a * b;
  // finite a * b is finite before rounding, so an infinite c stays c even where p overflows
  if (!Number.isFinite(c) && Number.isFinite(a) && Number.isFinite(b)) return c;
  if (!Number.isFinite(a) || !Number.isFinite(b) || p === 0 || c === 0) return p + c;
  // Dekker's split overflows past 2^995, and a product past the double range may still
  // meet c inside it: scale the larger factor and c down by 2^64 (exactly) and back
  if (Math.abs(a) > 2 ** 995 || Math.abs(b) > 2 ** 995 || !Number.isFinite(p)) {
    return Math.abs(a) >= Math.abs(b) ? fma64(a * 2 ** -64, b, c * 2 ** -64) * 2 ** 64 : fma64(a, b * 2 ** -64, c * 2 ** -64) * 2 ** 64;
  }
  const [uh, ul] = twoProduct(a, b);
  const [th, tl] = twoSum(c, uh);
  const [vs, ve] = twoSum(tl, ul);
  return th + roundToOdd(vs, ve);
}

/**
 * float32 fused multiply-add of float32 inputs: fround(a * b + c) with a
 * single rounding. a * b is exact in a double (24 + 24 bits); the double sum
 * then rounds to float32 wrongly only when it lands exactly halfway between
 * two float32s, and there the sign of the error it dropped (TwoSum) picks the
 * side. (Hot: every float32 matmul product goes through it.)
 */
export function fma32(a: number, b: number, c: number): number {
  const p = a * b;
  const s = p + c;
  const r = Math.fround(s);
  if (r === s || !Number.isFinite(r)) return r;
  const other = 2 * s - r; // a float32 (r's neighbour) exactly when s is a tie
  if (Math.fround(other) !== other) return r;
  const bv = s - p;
  const err = (p - (s - bv)) + (c - bv);
  if (err === 0) return r;
  return err > 0 ? Math.max(r, other) : Math.min(r, other);
}

// ---------------------------------------------------------------------------
// avx_mathfun.h (Julien Pommier's cephes-based SSE/AVX math), one lane at a
// time. Constants are float literals rounded to float32 as in the header.

const f = Math.fround;
const MIN_NORM_POS = 1.1754943508222875e-38; // 0x00800000
const SQRTHF = f(0.707106781186547524);
const LOG_P = [
  7.0376836292e-2, -1.1514610310e-1, 1.1676998740e-1, -1.2420140846e-1, 1.4249322787e-1,
  -1.6668057665e-1, 2.0000714765e-1, -2.4999993993e-1, 3.3333331174e-1,
].map(f);
const LOG_Q1 = f(-2.12194440e-4);
const LOG_Q2 = f(0.693359375);

/** log256_ps for one positive float32 lane (x <= 0 gives NaN as in the header). */
export function avxLogf(input: number): number {
  if (!(input > 0)) return input === 0 ? NaN : NaN; // the invalid mask ORs all bits on: NaN
  let x = Math.max(f(input), MIN_NORM_POS);
  F32[0] = x;
  const bits = I32[0];
  const exponent = (bits >>> 23) - 0x7f;
  I32[0] = (bits & ~0x7f800000) | 0x3f000000; // mantissa with exponent of 0.5
  x = F32[0];
  let e = f(exponent + 1);
  const below = x < SQRTHF;
  const tmp = below ? x : 0;
  x = f(x - 1);
  e = f(e - (below ? 1 : 0));
  x = f(x + tmp);
  const z = f(x * x);
  let y = LOG_P[0];
  for (let i = 1; i < LOG_P.length; i++) y = fma32(y, x, LOG_P[i]);
  y = f(y * x);
  // y*z + e*q1: GCC fuses the first product (y*z) into an FMA with e*q1 as addend.
  y = fma32(y, z, f(e * LOG_Q1));
  y = f(y - f(z * 0.5));
  x = f(x + y);
  return fma32(e, LOG_Q2, x);
}

const MINUS_DP1 = f(-0.78515625);
const MINUS_DP2 = f(-2.4187564849853515625e-4);
const MINUS_DP3 = f(-3.77489497744594108e-8);
const SINCOF_P0 = f(-1.9515295891e-4);
const SINCOF_P1 = f(8.3321608736e-3);
const SINCOF_P2 = f(-1.6666654611e-1);
const COSCOF_P0 = f(2.443315711809948e-005);
const COSCOF_P1 = f(-1.388731625493765e-003);
const COSCOF_P2 = f(4.166664568298827e-002);
const FOPI = f(1.27323954473516);

/** sincos256_ps for one float32 lane; returns [sin, cos]. */
export function avxSinCosf(input: number): [number, number] {
  avxSinCosfInto(input, SINCOS);
  return [SINCOS[0], SINCOS[1]];
}

const SINCOS = new Float64Array(2);

/**
 * sincos256_ps for one float32 lane, into out[0] (sin) and out[1] (cos):
 * the allocation-free form the Box-Muller loop calls once per pair.
 */
export function avxSinCosfInto(input: number, out: Float64Array): void {
  let x = f(input);
  let signSin = x < 0 || Object.is(x, -0);
  x = Math.abs(x);
  let y = f(x * FOPI);
  let j = Math.trunc(y) | 0;
  j = (j + 1) & ~1;
  y = j;
  const swapSin = (j & 4) !== 0;
  const polyMask = (j & 2) === 0;
  x = fma32(y, MINUS_DP1, x);
  x = fma32(y, MINUS_DP2, x);
  x = fma32(y, MINUS_DP3, x);
  const signCos = (~(j - 2) & 4) !== 0;
  signSin = signSin !== swapSin;

  const z = f(x * x);
  let yc = fma32(COSCOF_P0, z, COSCOF_P1);
  yc = fma32(yc, z, COSCOF_P2);
  yc = f(yc * z);
  yc = fma32(yc, z, -f(z * 0.5));
  yc = f(yc + 1);

  let ys = fma32(SINCOF_P0, z, SINCOF_P1);
  ys = fma32(ys, z, SINCOF_P2);
  ys = f(ys * z);
  ys = fma32(ys, x, x);

  const s = polyMask ? ys : yc;
  const c = polyMask ? yc : ys;
  out[0] = signSin ? -s : s;
  out[1] = signCos ? -c : c;
}

/** Round half to even (C's nearbyint / rint under the default rounding mode; NumPy's around, torch.round). */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}
