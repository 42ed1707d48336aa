// Special functions shared by torch and the math module: erf and erfc (glibc's,
// in double) and erfinv (ATen's calc_erfinv, in the tensor's own precision);
// and float32 sigmoid and silu as ATen's CPU kernels compute them, lane by lane.

import { glibcExpf, sleefExpf } from '../kernels/sleef32';
import { Tensor } from '../tensor';

// Sun's fdlibm s_erf.c (glibc's erf/erfc, hence Python's math.erf and what
// ATen's double kernels call): four ranges of |x|, each a rational
// approximation; past 1.25 through erfc = exp(-x²-0.5625+R/S)/x.
const PP = [1.28379167095512558561e-01, -3.25042107247001499370e-01, -2.84817495755985104766e-02, -5.77027029648944159157e-03, -2.37630166566501626084e-05];
const QQ = [1, 3.97917223959155352819e-01, 6.50222499887672944485e-02, 5.08130628187576562776e-03, 1.32494738004321644526e-04, -3.96022827877536812320e-06];
const PA = [-2.36211856075265944077e-03, 4.14856118683748331666e-01, -3.72207876035701323847e-01, 3.18346619901161753674e-01, -1.10894694282396677476e-01, 3.54783043256182359371e-02, -2.16637559486879084300e-03];
const QA = [1, 1.06420880400844228286e-01, 5.40397917702171048937e-01, 7.18286544141962662868e-02, 1.26171219808761642112e-01, 1.36370839120290507362e-02, 1.19844998467991074170e-02];
const RA = [-9.86494403484714822705e-03, -6.93858572707181764372e-01, -1.05586262253232909814e+01, -6.23753324503260060396e+01, -1.62396669462573470355e+02, -1.84605092906711035994e+02, -8.12874355063065934246e+01, -9.81432934416914548592e+00];
const SA = [1, 1.96512716674392571292e+01, 1.37657754143519042600e+02, 4.34565877475229228821e+02, 6.45387271733267880336e+02, 4.29008140027567833386e+02, 1.08635005541779435134e+02, 6.57024977031928170135e+00, -6.04244152148580987438e-02];
const RB = [-9.86494292470009928597e-03, -7.99283237680523006574e-01, -1.77579549177547519889e+01, -1.60636384855821916062e+02, -6.37566443368389627722e+02, -1.02509513161107724954e+03, -4.83519191608651397019e+02];
const SB = [1, 3.03380607434824582924e+01, 3.25792512996573918826e+02, 1.53672958608443695994e+03, 3.19985821950859553908e+03, 2.55305040643316442583e+03, 4.74528541206955367215e+02, -2.24409524465858183362e+01];
/** (float)0.84506291151: erf(1) to 24 bits. */
const ERX = 8.45062911510467529297e-01;
/** 2/sqrt(pi) - 1. */
const EFX = 1.28379167095512586316e-01;

/**
 * c0 + c1·z + c2·z² + ... in glibc's order: pairs (c0 + z·c1), (c2 + z·c3), ...
 * summed left to right against z², z⁴, z⁶ = z⁴·z², z⁸ = z⁴·z⁴ (the rounding follows the order).
 */
function poly(c: readonly number[], z: number): number {
  const z2 = z * z, z4 = z2 * z2;
  const powers = [1, z2, z4, z4 * z2, z4 * z4];
  let sum = 0;
  for (let k = 0; 2 * k < c.length; k++) {
    const term = 2 * k + 1 < c.length ? c[2 * k] + z * c[2 * k + 1] : c[2 * k];
    sum = k === 0 ? term : sum + powers[k] * term;
  }
  return sum;
}

/** x with the low 32 bits of its significand cleared (fdlibm's SET_LOW_WORD(z, 0)). */
function highWord(x: number): number {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  view.setUint32(4, 0);
  return view.getFloat64(0);
}

/** erfc(ax)·ax·e^{ax²} region, for 1.25 <= ax < 28: exp(-z²-0.5625)·exp((z-ax)(z+ax)+R/S). */
function erfcScaled(ax: number): number {
  const s = 1 / (ax * ax);
  const [R, S] = ax < 1 / 0.35 ? [poly(RA, s), poly(SA, s)] : [poly(RB, s), poly(SB, s)];
  const z = highWord(ax);
  return Math.exp(-z * z - 0.5625) * Math.exp((z - ax) * (z + ax) + R / S);
}

/** erf in double, as glibc's (fdlibm's) erf. */
export function erf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const ax = Math.abs(x), sign = x < 0 ? -1 : 1;
  if (ax < 0.84375) {
    if (ax < 2 ** -28) return x + EFX * x;
    const z = x * x;
    return x + x * (poly(PP, z) / poly(QQ, z));
  }
  if (ax < 1.25) {
    const s = ax - 1;
    return sign * (ERX + poly(PA, s) / poly(QA, s));
  }
  if (ax >= 6) return sign;
  return sign * (1 - erfcScaled(ax) / ax);
}

/** erfc = 1 - erf without the cancellation for large x, as glibc's erfc (Python's math.erfc). */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const ax = Math.abs(x);
  if (ax < 0.84375) {
    if (ax < 2 ** -56) return 1 - x;
    const z = x * x;
    const y = poly(PP, z) / poly(QQ, z);
    if (x < 0.25) return 1 - (x + x * y);
    return 0.5 - (x * y + (x - 0.5));
  }
  if (ax < 1.25) {
    const s = ax - 1;
    const pq = poly(PA, s) / poly(QA, s);
    return x >= 0 ? 1 - ERX - pq : 1 + (ERX + pq);
  }
  if (ax < 28) {
    if (x < -6) return 2;
    const r = erfcScaled(ax) / ax;
    return x > 0 ? r : 2 - r;
  }
  return x > 0 ? 0 : 2;
}

const ERFINV_A = [0.886226899, -1.645349621, 0.914624893, -0.140543331];
const ERFINV_B = [-2.118377725, 1.442710462, -0.329097515, 0.012229801];
const ERFINV_C = [-1.970840454, -1.624906493, 3.429567803, 1.641345311];
const ERFINV_D = [3.5438892, 1.6370678];

/**
 * The inverse error function as ATen's calc_erfinv computes it (a rational
 * first guess from Pavlis' erfinv.m, then two Newton steps): `single` true
 * for float32 (and for float16/bfloat16, which ATen computes in float), where
 * the first guess rounds every step to float and the Newton steps run in
 * double (see below); false for float64.
 * |y| > 1 gives NaN, ±1 gives ±inf. Source: aten/src/ATen/native/Math.h.
 */
export function erfinv(y: number, single: boolean): number {
  const r = single ? Math.fround : (v: number) => v;
  const fma = (p: number, q: number, s: number) => r(r(p * q) + s);
  const a = ERFINV_A.map(r), b = ERFINV_B.map(r), c = ERFINV_C.map(r), d = ERFINV_D.map(r);
  y = r(y);
  const yAbs = Math.abs(y);
  if (yAbs > 1 || Number.isNaN(y)) return NaN;
  if (yAbs === 1) return y > 0 ? Infinity : -Infinity;
  let x: number;
  if (yAbs <= r(0.7)) {
    const z = r(y * y);
    const num = fma(fma(fma(a[3], z, a[2]), z, a[1]), z, a[0]);
    const dem = fma(fma(fma(fma(b[3], z, b[2]), z, b[1]), z, b[0]), z, 1);
    x = r(r(y * num) / dem);
  } else {
    const z = r(Math.sqrt(r(-r(Math.log(r(r(1 - yAbs) / 2))))));
    const num = fma(fma(fma(c[3], z, c[2]), z, c[1]), z, c[0]);
    const dem = fma(fma(d[1], z, d[0]), z, 1);
    x = r((y < 0 ? -Math.abs(num) : Math.abs(num)) / dem);
  }
  // The Newton steps: x - (erf(x) - y) / (2 * frac_1_sqrt_pi * exp(-x * x)). In torch's float
  // build std::erf(x) is the double erf (libm's erf, not erff), so the step is evaluated in
  // double and only x = ... rounds to float; -x * x and the constant are float. Measured
  // against torch 2.13 on a million float32 inputs: 99.65% bit-identical (84.3% when every
  // step rounded to float with erf in double rounded to float), the rest 1 ulp.
  // c10::frac_1_sqrt_pi<T>: 1/sqrt(pi) rounded to T, doubled
  const twoOverSqrtPi = 2 * r(0.5641895835477563);
  for (let step = 0; step < 2; step++) {
    x = r(x - (erf(x) - y) / (twoOverSqrtPi * Math.exp(r(-r(x * x)))));
  }
  return x;
}

// ---------------------------------------------------------------- float32 sigmoid / silu

/** cpu_kernel_vec's vectorised loop takes two Vectorized<float> of 16 lanes (AVX512) per step. */
const VEC_STEP = 32;

/**
 * For each element of `x` in logical order, whether ATen's cpu_kernel_vec
 * (ATen/native/cpu/Loops.h) computes it with the Vectorized body: the loop runs
 * over the input in memory order (TensorIterator coalesces a dense tensor, even a
 * permuted one, into one row), the vector body over whole steps of 32 elements
 * from the row's start and the scalar body over the rest; a non-dense input with
 * a contiguous last dim is looped row by row; any other layout (broadcast, strided
 * last dim) runs scalar. A single thread's loop: torch splits only tensors above
 * its grain size (32768 elements) between threads.
 */
function vectorLanes(x: Tensor): Uint8Array {
  const n = x.numel;
  const out = new Uint8Array(n);
  const dims = x.shape.map((size, d) => ({ size, stride: x.strides[d] })).filter((d) => d.size !== 1).sort((a, b) => b.stride - a.stride);
  let expected = 1, dense = true;
  for (let k = dims.length - 1; k >= 0; k--) {
    if (dims[k].stride !== expected) dense = false;
    expected *= dims[k].size;
  }
  const strides = x.strides, shape = x.shape, nd = shape.length;
  if (dense) {
    const cut = Math.floor(n / VEC_STEP) * VEC_STEP;
    const min = x.offset + shape.reduce((acc, size, d) => acc + Math.min(0, (size - 1) * strides[d]), 0);
    // the element's offset from the lowest is its position in memory order
    const idx = new Array<number>(nd).fill(0);
    for (let i = 0; i < n; i++) {
      let off = x.offset;
      for (let d = 0; d < nd; d++) off += idx[d] * strides[d];
      out[i] = off - min < cut ? 1 : 0;
      for (let d = nd - 1; d >= 0; d--) {
        if (++idx[d] < shape[d]) break;
        idx[d] = 0;
      }
    }
    return out;
  }
  if (nd > 0 && strides[nd - 1] === 1) {
    const row = shape[nd - 1], cut = Math.floor(row / VEC_STEP) * VEC_STEP;
    for (let i = 0; i < n; i++) out[i] = i % row < cut ? 1 : 0;
  }
  return out;
}

/** A float32 elementwise op whose vector body and scalar body differ in their last bits. */
function laneWise(x: Tensor, vector: (v: number) => number, scalar: (v: number) => number): Tensor {
  const lanes = vectorLanes(x);
  const v = x.values();
  const out = Tensor.empty('float32', x.shape);
  const d = out.storage.data;
  for (let i = 0; i < v.length; i++) d[i] = lanes[i] ? vector(v[i]) : scalar(v[i]);
  return out;
}

const f32 = Math.fround;

/**
 * torch.sigmoid of a float32 tensor, bit for bit as ATen's sigmoid_kernel
 * (native/cpu/UnaryOpsKernel.cpp) on x86-64: the vector body is
 * ((0 - x).exp() + 1).reciprocal() with Sleef's expf (Vectorized<float>::exp),
 * the scalar body 1 / (1 + std::exp(-x)) with glibc's expf; every step rounds
 * to float. Which elements take which body: vectorLanes. Result float32, x's shape.
 * Measured on a million inputs against torch 2.13: see CHANGELOG (66% before).
 */
export function sigmoidFloat32(x: Tensor): Tensor {
  return laneWise(
    x,
    (v) => f32(1 / f32(sleefExpf(-v) + 1)),
    (v) => f32(1 / f32(1 + glibcExpf(-v))),
  );
}

/**
 * F.silu / nn.SiLU of a float32 tensor as ATen's silu_kernel (native/cpu/Activation.cpp):
 * x / (1 + exp(-x)), Sleef's expf in the vector body, glibc's in the scalar one, each
 * step rounded to float (not x * sigmoid(x), which rounds differently).
 */
export function siluFloat32(x: Tensor): Tensor {
  return laneWise(
    x,
    (v) => f32(v / f32(1 + sleefExpf(-v))),
    (v) => f32(v / f32(1 + glibcExpf(-v))),
  );
}
