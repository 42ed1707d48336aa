// log, sin and cos for float64 exactly as glibc 2.36 computes them on x86-64.
//
// The samplers we reproduce (numpy's legacy gauss, torch's double Box-Muller)
// call glibc's libm. V8's Math.log/sin/cos are fdlibm ports that differ from
// glibc in the last bit for several percent of inputs, so these are ports of
// glibc's algorithms and tables, operation for operation.

import { INVC, LN2_HI, LN2_LO, LOGC, POLY, POLY1 } from './glibc_log_data';
import { SINCOS_TABLE } from './glibc_sincos_data';
import { fma64 } from './float_math';

// ---------------------------------------------------------------- log

// glibc 2.36's log (sysdeps/ieee754/dbl-64/e_log.c) as built for x86-64
// CPUs with FMA (__log_fma, -mfma -mavx2): the explicit fma plus the
// products GCC contracts into FMAs. Its error is below 0.52 ulp, so it is
// not always correctly rounded; matching it operation for operation is what
// makes numpy's legacy gauss bit-identical.

const F64 = new Float64Array(1);
const U32 = new Uint32Array(F64.buffer); // U32[0] low word, U32[1] high word

const B = POLY1;
const A = POLY;
const OFF_HI = 0x3fe60000;

/** Natural logarithm, as glibc computes it. */
export function log(x: number): number {
  if (x === 1) return 0;
  F64[0] = x;
  let hiWord = U32[1];
  const loWord = U32[0];
  // Inputs within [1 - 2^-4, 1 + 0x1.09p-4): polynomial in r = x - 1.
  if (x >= 0.9375 && x < 1.064697265625) {
    const r = x - 1.0;
    const r2 = r * r;
    const r3 = r * r2;
    const inner = fma64(r3, B[10], fma64(r2, B[9], fma64(r, B[8], B[7])));
    const mid = fma64(r3, inner, fma64(r2, B[6], fma64(r, B[5], B[4])));
    const poly = fma64(r3, mid, fma64(r2, B[3], fma64(r, B[2], B[1])));
    const w0 = r * 134217728; // 0x1p27
    const rhi = r + w0 - w0;
    const rlo = r - rhi;
    const w = rhi * rhi * B[0];
    const hi = r + w;
    let lo = r - hi + w;
    lo = fma64(B[0] * rlo, rhi + r, lo);
    let y = fma64(r3, poly, lo);
    y += hi;
    return y;
  }
  if (!(x > 0) || x === Infinity) {
    if (x === 0) return -Infinity;
    if (x === Infinity) return x;
    return NaN;
  }
  if (x < 2.2250738585072014e-308) {
    // Subnormal: normalise, then take 52 off the exponent.
    F64[0] = x * 4503599627370496; // 0x1p52
    hiWord = (U32[1] - (52 << 20)) >>> 0;
    U32[1] = hiWord;
  } else {
    U32[1] = hiWord;
    U32[0] = loWord;
  }
  const ixLo = U32[0];
  const tmpHi = (hiWord - OFF_HI) | 0;
  const i = (tmpHi >>> 13) & 127; // (tmp >> 45) % 128
  const k = tmpHi >> 20; // arithmetic shift of the top word
  U32[1] = (hiWord - (tmpHi & 0xfff00000)) >>> 0;
  U32[0] = ixLo;
  const z = F64[0];
  const invc = INVC[i];
  const logc = LOGC[i];
  const r = fma64(z, invc, -1.0);
  const kd = k;
  const w = fma64(kd, LN2_HI, logc);
  const hi = w + r;
  const lo = fma64(kd, LN2_LO, w - hi + r);
  const r2 = r * r;
  const q = fma64(r2, fma64(r, A[4], A[3]), fma64(r, A[2], A[1]));
  let y = fma64(r2, A[0], lo);
  y = fma64(r * r2, q, y);
  return y + hi;
}

// ---------------------------------------------------------------- sin / cos

// glibc 2.36's sin/cos (sysdeps/ieee754/dbl-64/s_sin.c, IBM Accurate
// Mathematical Library) as built for x86-64 CPUs with FMA (__sin_fma,
// __cos_fma): table lookup around x_i = i/128 plus short Taylor corrections,
// with the products GCC contracts into FMAs. Arguments beyond 105414350
// (glibc's __branred range) fall back to V8.

const S1 = -0.16666666666666666;
const S2 = 0.008333333333332329;
const S3 = -0.00019841269834414642;
const S4 = 2.755729806860771e-06;
const S5 = -2.5022014848318398e-08;
const BIG = 52776558133248.0; // 0x1.8p45: big + |x| rounds |x| to a multiple of 1/128
const HP0 = 1.5707963267948966;
const HP1 = 6.123233995736766e-17;
const MP1 = 1.5707963407039642;
const MP2 = -1.3909067564377153e-08;
const PP3 = -4.97899623147991e-17;
const PP4 = -1.9034889620193266e-25;
const HPINV = 0.6366197723675814;
const TOINT = 6755399441055744.0;
const SN3 = -1.66666666666664880952546298448555e-01;
const SN5 = 8.33333214285722277379541354343671e-03;
const CS2 = 4.99999999999999999999950396842453e-01;
const CS4 = -4.16666666666664434524222570944589e-02;
const CS6 = 1.38888874007937613028114285595617e-03;

/** Low 32 bits of a double's representation. */
function lowWord(x: number): number {
  F64[0] = x;
  return U32[0];
}

/** High 32 bits (sign cleared) of a double's representation. */
function highWordAbs(x: number): number {
  F64[0] = x;
  return U32[1] & 0x7fffffff;
}

/** TAYLOR_SIN(x*x, x, dx). */
function taylorSin(x: number, dx: number): number {
  const xx = x * x;
  const poly = fma64(fma64(fma64(fma64(S5, xx, S4), xx, S3), xx, S2), xx, S1);
  const t = fma64(fma64(poly, x, -(0.5 * dx)), xx, dx);
  return x + t;
}

function doCos(x: number, dx: number): number {
  if (x < 0) dx = -dx;
  const u = BIG + Math.abs(x);
  x = Math.abs(x) - (u - BIG) + dx;
  const xx = x * x;
  const s = fma64(x * xx, fma64(xx, SN5, SN3), x);
  const c = xx * fma64(xx, fma64(xx, CS6, CS4), CS2);
  const k = lowWord(u) << 2;
  const sn = SINCOS_TABLE[k];
  const ssn = SINCOS_TABLE[k + 1];
  const cs = SINCOS_TABLE[k + 2];
  const ccs = SINCOS_TABLE[k + 3];
  let cor = fma64(-s, ssn, ccs);
  cor = fma64(-cs, c, cor);
  cor = fma64(-sn, s, cor);
  return cs + cor;
}

function doSin(x: number, dx: number): number {
  const xold = x;
  if (Math.abs(x) < 0.126) return taylorSin(x, dx);
  if (x <= 0) dx = -dx;
  const u = BIG + Math.abs(x);
  x = Math.abs(x) - (u - BIG);
  const xx = x * x;
  const s = x + fma64(x * xx, fma64(xx, SN5, SN3), dx);
  const c = fma64(x, dx, xx * fma64(xx, fma64(xx, CS6, CS4), CS2));
  const k = lowWord(u) << 2;
  const sn = SINCOS_TABLE[k];
  const ssn = SINCOS_TABLE[k + 1];
  const cs = SINCOS_TABLE[k + 2];
  const ccs = SINCOS_TABLE[k + 3];
  let cor = fma64(s, ccs, ssn);
  cor = fma64(-sn, c, cor);
  cor = fma64(cs, s, cor);
  const v = sn + cor;
  return xold < 0 || Object.is(xold, -0) ? -Math.abs(v) : Math.abs(v);
}

let reducedA = 0;
let reducedDa = 0;

/** reduce_sincos: x = n*pi/2 + (a + da); returns n & 3. */
function reduceSinCos(x: number): number {
  const t = fma64(x, HPINV, TOINT);
  const xn = t - TOINT;
  const n = lowWord(t) & 3;
  const y = fma64(-xn, MP2, fma64(-xn, MP1, x));
  // GCC fuses xn*pp3 (and xn*pp4) into both of its uses.
  const t2 = fma64(-xn, PP3, y);
  let db = fma64(-xn, PP3, y - t2);
  const b = fma64(-xn, PP4, t2);
  db += fma64(-xn, PP4, t2 - b);
  reducedA = b;
  reducedDa = db;
  return n;
}

function doSinCos(a: number, da: number, n: number): number {
  const v = n & 1 ? doCos(a, da) : doSin(a, da);
  return n & 2 ? -v : v;
}

/** Sine, as glibc computes it. */
export function sin(x: number): number {
  const k = highWordAbs(x);
  if (k < 0x3e500000) return x;
  if (k < 0x3feb6000) return doSin(x, 0);
  if (k < 0x400368fd) {
    const t = HP0 - Math.abs(x);
    const v = doCos(t, HP1);
    return x < 0 ? -Math.abs(v) : Math.abs(v);
  }
  if (k < 0x419921fb) {
    const n = reduceSinCos(x);
    return doSinCos(reducedA, reducedDa, n);
  }
  return Math.sin(x);
}

/** Cosine, as glibc computes it. */
export function cos(x: number): number {
  const k = highWordAbs(x);
  if (k < 0x3e400000) return 1.0;
  if (k < 0x3feb6000) return doCos(x, 0);
  if (k < 0x400368fd) {
    const y = HP0 - Math.abs(x);
    const a = y + HP1;
    const da = (y - a) + HP1;
    return doSin(a, da);
  }
  if (k < 0x419921fb) {
    const n = reduceSinCos(x);
    return doSinCos(reducedA, reducedDa, n + 1);
  }
  return Math.cos(x);
}
