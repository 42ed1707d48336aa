// Float32 exp and log as ATen's vectorised kernels compute them on x86-64
// with AVX512 (Vectorized<float>::exp / ::log call Sleef_expf16_u10 and
// Sleef_logf16_u10): Sleef's xexpf and xlogf_u1 (src/libm/sleefsimdsp.c,
// df.h) in their FMA build, where every multiply-add is fused (one
// rounding). One lane at a time in JavaScript: each float32 step rounds with
// Math.fround, each fused multiply-add is fma32 (exact). The softmax
// kernels use these, not torch.exp (which is MKL's vsExp on float32:
// src/bench/FINDINGS.md). An AVX2 build of torch runs the same Sleef
// algorithms (Sleef_expf8_u10 / logf8_u10, also with FMA), so the
// per-element bits are the same there.

// roundHalfEven: vrint on x86 (cvtps2dq under the default rounding mode)
import { fma32, roundHalfEven } from '../random/float_math';

const f = Math.fround;
const R_LN2F = f(1.442695040888963407359924681001892137426645954152985934135449406931);
const NEG_L2UF = f(-0.693145751953125);
const NEG_L2LF = f(-1.428606765330187045e-6);
const C5 = f(0.000198527617612853646278381), C4 = f(0.00139304355252534151077271);
const C3 = f(0.00833336077630519866943359), C2 = f(0.0416664853692054748535156);
const C1 = f(0.166666671633720397949219);
/** 2^k for k in [-80, 80] (vldexp2's halves of q stay in that range), at POW2[k + 80]. */
const POW2 = Float64Array.from({ length: 161 }, (_, i) => 2 ** (i - 80));

/**
 * exp of a float32 `d` as Sleef's xexpf with FMA: q = rint(d / ln 2),
 * Cody-Waite reduction s = d - q ln 2 in two fused steps, a degree-5
 * polynomial by fused multiply-adds, 1 + fma(s * s, u, s), then u * 2^q in
 * two steps (vldexp2). 0 below -104, +inf above 100, NaN for NaN.
 * Within 1 ulp of the correctly rounded exp.
 */
export function sleefExpf(d: number): number {
  if (d !== d) return NaN;
  if (d < -104) return 0;
  if (d > 100) return Infinity;
  const q = roundHalfEven(f(d * R_LN2F));
  let s = fma32(q, NEG_L2UF, d);
  s = fma32(q, NEG_L2LF, s);
  let u = fma32(C5, s, C4);
  u = fma32(u, s, C3);
  u = fma32(u, s, C2);
  u = fma32(u, s, C1);
  u = fma32(u, s, 0.5);
  u = f(1 + fma32(f(s * s), u, s));
  const h = q >> 1;
  return f(f(u * POW2[h + 80]) * POW2[q - h + 80]);
}

const F32 = new Float32Array(1);
const I32 = new Int32Array(F32.buffer);
const F32_ONE_THIRD_SCALE = f(1 / 0.75);
const LN2_HI = f(0.69314718246459960938);
const LN2_LO = f(-1.904654323148236017e-9);
const LOG_T0 = f(0.3027294874), LOG_T1 = f(0.3996108174), LOG_T2 = f(0.666669488);

/** floor(log2(|x|)) of a finite nonzero float32 (vgetexp), as a number. */
function getexp(x: number): number {
  F32[0] = x;
  let e = (I32[0] >>> 23) & 0xff;
  if (e !== 0) return e - 127;
  // subnormal: scale up by 2^24 first
  F32[0] = x * 2 ** 24;
  e = (I32[0] >>> 23) & 0xff;
  return e - 127 - 24;
}

/** The mantissa of a positive finite float32 in [0.75, 1.5) (vgetmant with _MM_MANT_NORM_p75_1p5). */
function getmant(x: number): number {
  const m = x / 2 ** getexp(x); // exact: a power of two scaling, into [1, 2)
  return m >= 1.5 ? m / 2 : m;
}

/**
 * log of a float32 `d` as Sleef's xlogf_u1 in its AVX512 build (vgetexp /
 * vgetmant, then double-float arithmetic with fused multiply-adds):
 * e = getexp(d / 0.75), m = getmant(d) in [0.75, 1.5), x = (m - 1) / (m + 1)
 * in double-float, log d = e ln 2 + 2x + x^3 P(x^2). vfixup's specials:
 * log 0 = -inf, log +inf = +inf, negative or NaN gives NaN. Within 1 ulp.
 */
export function sleefLogf(d: number): number {
  if (d !== d || d < 0) return NaN;
  if (d === 0) return -Infinity;
  if (d === Infinity) return Infinity;
  const e = getexp(f(d * F32_ONE_THIRD_SCALE));
  const m = getmant(d);
  // s = (LN2_HI, LN2_LO) * e: dfmul_vf2_vf2_vf
  let sx = f(LN2_HI * e);
  let sy = fma32(LN2_LO, e, fma32(LN2_HI, e, -sx));
  // dfadd2_vf2_vf_vf(-1, m) and (1, m)
  const ax = f(-1 + m);
  let v = f(ax - -1);
  const ay = f(f(-1 - f(ax - v)) + f(m - v));
  const bx = f(1 + m);
  v = f(bx - 1);
  const by = f(f(1 - f(bx - v)) + f(m - v));
  // x = a / b: dfdiv_vf2_vf2_vf2 (FMA)
  const t = f(1 / bx);
  const xx = f(ax * t);
  const u = fma32(t, ax, -xx);
  let xy = fma32(-by, t, fma32(-bx, t, 1));
  xy = fma32(xx, xy, fma32(ay, t, u));
  const x2 = f(xx * xx);
  let p = LOG_T0;
  p = fma32(p, x2, LOG_T1);
  p = fma32(p, x2, LOG_T2);
  // s = dfadd_vf2_vf2_vf2(s, 2x)
  const cx = f(2 * xx), cy = f(2 * xy);
  let rx = f(sx + cx);
  let ry = f(f(f(f(sx - rx) + cx) + sy) + cy);
  sx = rx;
  sy = ry;
  // s = dfadd_vf2_vf2_vf(s, x^3 P)
  const w = f(f(x2 * xx) * p);
  rx = f(sx + w);
  ry = f(f(f(sx - rx) + w) + sy);
  return f(rx + ry);
}

// glibc's expf (ATen's scalar loops call std::exp on a float): the
// table-driven algorithm of Arm's optimized-routines that glibc adopted in
// 2.28. x * 32 / ln 2 = k + r, |r| <= 1/2; exp x = 2^(k/32) * 2^(r/32), the
// first factor from a 32-entry table of 2^(j/32), the second a degree-3
// polynomial, in double, rounded to float32 once at the end. Not correctly
// rounded: about one input in a thousand rounds the other way from the true
// exp (relative error up to 1.7 * 2^-34 before the final rounding), which is
// why Math.exp cannot stand in for it when the bits matter.

/** 2^(j/32), j = 0..31, as double bit patterns (high word, low word). */
const EXP2_32 = [
  0x3ff00000, 0x00000000, 0x3ff059b0, 0xd3158574, 0x3ff0b558, 0x6cf9890f, 0x3ff11301, 0xd0125b51,
  0x3ff172b8, 0x3c7d517b, 0x3ff1d487, 0x3168b9aa, 0x3ff2387a, 0x6e756238, 0x3ff29e9d, 0xf51fdee1,
  0x3ff306fe, 0x0a31b715, 0x3ff371a7, 0x373aa9cb, 0x3ff3dea6, 0x4c123422, 0x3ff44e08, 0x6061892d,
  0x3ff4bfda, 0xd5362a27, 0x3ff5342b, 0x569d4f82, 0x3ff5ab07, 0xdd485429, 0x3ff6247e, 0xb03a5585,
  0x3ff6a09e, 0x667f3bcd, 0x3ff71f75, 0xe8ec5f74, 0x3ff7a114, 0x73eb0187, 0x3ff82589, 0x994cce13,
  0x3ff8ace5, 0x422aa0db, 0x3ff93737, 0xb0cdc5e5, 0x3ff9c491, 0x82a3f090, 0x3ffa5503, 0xb23e255d,
  0x3ffae89f, 0x995ad3ad, 0x3ffb7f76, 0xf2fb5e47, 0x3ffc199b, 0xdd85529c, 0x3ffcb720, 0xdcef9069,
  0x3ffd5818, 0xdcfba487, 0x3ffdfc97, 0x337b9b5f, 0x3ffea4af, 0xa2a490da, 0x3fff5076, 0x5b6e4540,
];
const view64 = new DataView(new ArrayBuffer(8));
/** The double with bit pattern hi:lo. */
function fromBits(hi: number, lo: number): number {
  view64.setUint32(0, hi);
  view64.setUint32(4, lo);
  return view64.getFloat64(0);
}
const EXP2_TABLE = Float64Array.from({ length: 32 }, (_, j) => fromBits(EXP2_32[2 * j], EXP2_32[2 * j + 1]));
const INV_LN2_N = fromBits(0x3ff71547, 0x652b82fe) * 32; // 0x1.71547652b82fep+0 * 32
const SHIFT = 1.5 * 2 ** 52; // adding and subtracting it rounds to an integer, ties to even
// the polynomial's coefficients, pre-divided by 32^3, 32^2, 32 as glibc stores them
const EXPF_C0 = fromBits(0x3fac6af8, 0x4b912394) / 32768, EXPF_C1 = fromBits(0x3fcebfce, 0x50fac4f3) / 1024;
const EXPF_C2 = fromBits(0x3fe62e42, 0xff0c52d6) / 32;

/**
 * expf of a float32 `x` as glibc computes it (see above): -inf gives 0, NaN
 * NaN, above 88.72 +inf, below -103.97 0.
 */
export function glibcExpf(x: number): number {
  if (x !== x) return NaN;
  if (x > 88.72283172607421875) return Infinity; // 0x1.62e42ep6
  if (x < -103.97207641601562) return 0; // 0x1.9fe368p6
  const z = INV_LN2_N * x;
  const kd = z + SHIFT - SHIFT; // z rounded to an integer, ties to even
  const r = z - kd;
  const j = ((kd % 32) + 32) % 32;
  const s = EXP2_TABLE[j] * 2 ** ((kd - j) / 32);
  const y = (EXPF_C0 * r + EXPF_C1) * (r * r) + (EXPF_C2 * r + 1);
  return f(y * s);
}
