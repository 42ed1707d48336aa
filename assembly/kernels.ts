// WebAssembly SIMD (128-bit) kernels, compiled by AssemblyScript
// (scripts/build.mjs) four times: with its own memory, and importing a shared
// memory for threads, each with and without relaxed SIMD (see `mla`). Loaded by src/engine/kernels/wasm.ts, which copies
// operands into the module's memory, calls these, and copies results out.
// Every row kernel takes a row range [r0, r1) last, so the host can split
// rows across worker threads sharing one memory: kernels keep no state in
// memory (no static scratch), only in locals.
//
// exp follows Sleef's xexpf (what ATen's Vectorized<float>::exp calls on
// x86, through Sleef_expf16_u10 with AVX512, expf8_u10 with AVX2): Cody-Waite
// range reduction by ln 2 split in two parts, a degree-5 polynomial, and a
// final scaling by 2^q in two steps, in f32x4 lanes. Sleef's x86 builds
// that torch uses have FMA, so every multiply-add is fused (one rounding):
// `mla` is f32x4.relaxed_madd in the relaxed-SIMD build of this module
// (loaded where it fuses) and an exact f64-lane fma in the plain build.
// log (for log_softmax's log(sum)) is Sleef's xlogf_u1, scalar, the same way.
//
// Softmax rows keep the float32 order of the CPU reference
// (src/engine/kernels/float32_order.ts: vec::reduce_all over AVX512's 16
// lanes, the tail into lanes 0.., then a tree fold), so results are
// bit-identical to it, and to torch 2.13's AVX512 kernels.

// f32 constants of Sleef's xexpf.
const R_LN2F: f32 = 1.442695040888963407359924681001892137426645954152985934135449406931;
const NEG_L2UF: f32 = -0.693145751953125;
const NEG_L2LF: f32 = -1.428606765330187045e-06;
const C5: f32 = 0.000198527617612853646278381;
const C4: f32 = 0.00139304355252534151077271;
const C3: f32 = 0.00833336077630519866943359;
const C2: f32 = 0.0416664853692054748535156;
const C1: f32 = 0.166666671633720397949219;
/** 1.5 * 2^23, and its bits. */
const ROUND_MAGIC: f32 = 12582912;
const ROUND_MAGIC_BITS: i32 = 0x4b400000;

/**
 * Two f64 lanes of a * b + c (a, b, c float32 values, so a * b is exact)
 * rounded once to float32. The f64 sum s rounds a second time when it is
 * demoted, which differs from one rounding only where s lies exactly
 * halfway between two float32s (its low 29 mantissa bits 0x10000000) and
 * the f64 sum was inexact: there s is moved one f64 ulp towards the exact
 * value (TwoSum's error term), off the tie.
 */
// @ts-ignore: decorator
@inline function fma2(a: v128, b: v128, c: v128): v128 {
  const p = f64x2.mul(a, b);
  const s = f64x2.add(p, c);
  const tie = i64x2.eq(v128.and(s, i64x2.splat(0x1fffffff)), i64x2.splat(0x10000000));
  if (!v128.any_true(tie)) return s;
  const bv = f64x2.sub(s, p);
  const err = f64x2.add(f64x2.sub(p, f64x2.sub(s, bv)), f64x2.sub(c, bv));
  // err and s of the same sign: one ulp up in magnitude (+1 on the bits), else down (-1)
  const away = v128.not(v128.xor(i64x2.shr_s(err, 63), i64x2.shr_s(s, 63)));
  const step = v128.bitselect(i64x2.splat(1), i64x2.splat(-1), away);
  const fix = v128.and(tie, v128.not(f64x2.eq(err, f64x2.splat(0))));
  return i64x2.add(s, v128.and(step, fix));
}

/**
 * a * b + c with one rounding (a fused multiply-add), as Sleef's FMA build
 * computes every vmla. The relaxed-SIMD build of this module
 * (ASC_FEATURE_RELAXED_SIMD) uses f32x4.relaxed_madd, which
 * src/engine/kernels/wasm.ts loads only where a probe shows it fuses (V8 on
 * x86-64 with FMA3: vfmadd); the plain build computes it exactly in f64
 * lanes (fma2), bit-identical and slower.
 */
// @ts-ignore: decorator
@inline function mla(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return mlaExact(a, b, c);
}

/** mla's plain build: four lanes through fma2 (a call, not inlined: it keeps the module small). */
function mlaExact(a: v128, b: v128, c: v128): v128 {
  const lo = fma2(f64x2.promote_low_f32x4(a), f64x2.promote_low_f32x4(b), f64x2.promote_low_f32x4(c));
  const hi = fma2(
    f64x2.promote_low_f32x4(v128.shuffle<f32>(a, a, 2, 3, 0, 1)),
    f64x2.promote_low_f32x4(v128.shuffle<f32>(b, b, 2, 3, 0, 1)),
    f64x2.promote_low_f32x4(v128.shuffle<f32>(c, c, 2, 3, 0, 1)),
  );
  return v128.shuffle<f32>(f32x4.demote_f64x2_zero(lo), f32x4.demote_f64x2_zero(hi), 0, 1, 4, 5);
}

/** relaxed_madd's lane 0 in the relaxed build (a probe: fused or not on this CPU), the exact fma otherwise. */
export function fma_probe(a: f32, b: f32, c: f32): f32 {
  return f32x4.extract_lane(mla(f32x4.splat(a), f32x4.splat(b), f32x4.splat(c)), 0);
}

/** 2^q for i32 lanes q in [-126, 127], as f32 bits. */
// @ts-ignore: decorator
@inline function pow2i(q: v128): v128 {
  return i32x4.shl(i32x4.add(q, i32x4.splat(0x7f)), 23);
}

/**
 * The first half of exp: t = d / ln 2 + 1.5 * 2^23, whose last mantissa
 * bits are q = round-half-even(d / ln 2), as f32x4.nearest gives it, for
 * |d / ln 2| < 2^22 (V8 lowers nearest and trunc_sat to long sequences on
 * x64). Beyond that range (|d| > 104, inf, NaN) q is garbage, and expv's
 * masks decide.
 */
// @ts-ignore: decorator
@inline function expT(d: v128): v128 {
  return f32x4.add(f32x4.mul(d, f32x4.splat(R_LN2F)), f32x4.splat(ROUND_MAGIC));
}

/** q as i32 lanes from expT's t. */
// @ts-ignore: decorator
@inline function expQ(t: v128): v128 {
  return i32x4.sub(t, i32x4.splat(ROUND_MAGIC_BITS));
}

/** u with exp(d) = u * 2^q: Cody-Waite reduction by q ln 2 in two parts, then the degree-5 polynomial. */
// @ts-ignore: decorator
@inline function expU(d: v128, t: v128): v128 {
  const qf = f32x4.sub(t, f32x4.splat(ROUND_MAGIC));
  let s = mla(qf, f32x4.splat(NEG_L2UF), d);
  s = mla(qf, f32x4.splat(NEG_L2LF), s);
  let u = mla(f32x4.splat(C5), s, f32x4.splat(C4));
  u = mla(u, s, f32x4.splat(C3));
  u = mla(u, s, f32x4.splat(C2));
  u = mla(u, s, f32x4.splat(C1));
  u = mla(u, s, f32x4.splat(0.5));
  return f32x4.add(f32x4.splat(1), mla(f32x4.mul(s, s), u, s));
}

/** exp of four f32 lanes (Sleef's xexpf without FMA). */
// @ts-ignore: decorator
@inline function expv(d: v128): v128 {
  const t = expT(d);
  const q = expQ(t);
  let u = expU(d, t);
  // u * 2^q in two steps (2^(q>>1) * 2^(q - (q>>1))), so that results near
  // the overflow and subnormal ends round once, as Sleef's vldexp2 does.
  const h = i32x4.shr_s(q, 1);
  u = f32x4.mul(f32x4.mul(u, pow2i(h)), pow2i(i32x4.sub(q, h)));
  // Sleef: 0 below -104, +inf above 100; NaN stays NaN through the arithmetic.
  u = v128.andnot(u, f32x4.lt(d, f32x4.splat(-104)));
  u = v128.bitselect(f32x4.splat(Infinity), u, f32x4.gt(d, f32x4.splat(100)));
  return u;
}

/**
 * expv for lanes known to lie in [-87, 0] (softmax's x - max where no lane
 * is NaN, infinite or far below the max): the same result bits with the
 * range checks dropped and 2^q applied in one step. For q >= -126, u * 2^q
 * rounds once either way (u * 2^(q >> 1) is exact), so both give it.
 */
// @ts-ignore: decorator
@inline function expvNear(d: v128): v128 {
  const t = expT(d);
  return f32x4.mul(expU(d, t), pow2i(expQ(t)));
}

/** Lower end of expvNear's range. */
const NEAR_MIN: f32 = -87;

// @ts-ignore: decorator
@inline function exps(x: f32): f32 {
  return f32x4.extract_lane(expv(f32x4.splat(x)), 0);
}

/** Scalar fused multiply-add (lane 0 of mla). */
// @ts-ignore: decorator
@inline function fmas(a: f32, b: f32, c: f32): f32 {
  return f32x4.extract_lane(mla(f32x4.splat(a), f32x4.splat(b), f32x4.splat(c)), 0);
}

/** floor(log2(x)) of a positive normal f32 (vgetexp). */
// @ts-ignore: decorator
@inline function getexp(x: f32): f32 {
  return <f32>(((reinterpret<i32>(x) >>> 23) & 0xff) - 127);
}

/**
 * log of one f32 as Sleef's xlogf_u1 in its AVX512 FMA build (what ATen's
 * Vectorized<float>::log runs, for log_softmax's log(sum)): the same steps
 * as src/engine/kernels/sleef32.ts sleefLogf, bit for bit. Subnormal input
 * is scaled up by 2^24 first (log_softmax's sums are >= 1 or NaN).
 */
function logf(d: f32): f32 {
  if (d != d || d < 0) return NaN;
  if (d == 0) return -Infinity;
  if (d == Infinity) return Infinity;
  let ebias: f32 = 0;
  if (d < 1.17549435e-38) {
    d *= 16777216;
    ebias = 24;
  }
  const e = getexp(d * <f32>(1.0 / 0.75)) - ebias;
  // mantissa in [0.75, 1.5) (vgetmant, _MM_MANT_NORM_p75_1p5)
  let m = reinterpret<f32>((reinterpret<i32>(d) & 0x007fffff) | 0x3f800000);
  if (m >= 1.5) m *= 0.5;
  const L2H: f32 = 0.69314718246459960938, L2L: f32 = -1.904654323148236017e-09;
  let sx = L2H * e;
  let sy = fmas(L2L, e, fmas(L2H, e, -sx));
  const ax: f32 = -1 + m;
  let v: f32 = ax + 1;
  const ay: f32 = (-1 - (ax - v)) + (m - v);
  const bx: f32 = 1 + m;
  v = bx - 1;
  const by: f32 = (1 - (bx - v)) + (m - v);
  const t: f32 = 1 / bx;
  const xx = ax * t;
  const u = fmas(t, ax, -xx);
  let xy = fmas(-by, t, fmas(-bx, t, 1));
  xy = fmas(xx, xy, fmas(ay, t, u));
  const x2 = xx * xx;
  let p: f32 = 0.3027294874;
  p = fmas(p, x2, 0.3996108174);
  p = fmas(p, x2, 0.666669488);
  const cx: f32 = 2 * xx, cy: f32 = 2 * xy;
  let rx = sx + cx;
  let ry = (((sx - rx) + cx) + sy) + cy;
  sx = rx;
  sy = ry;
  const w = (x2 * xx) * p;
  rx = sx + w;
  ry = ((sx - rx) + w) + sy;
  return rx + ry;
}

/** out[i] = exp(x[i]) for n float32 values (pointers in bytes; may alias). */
export function exp_f32(x: usize, out: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    v128.store(out + (<usize>i << 2), expv(v128.load(x + (<usize>i << 2))));
  }
  for (; i < n; i++) store<f32>(out + (<usize>i << 2), exps(load<f32>(x + (<usize>i << 2))));
}

/** max with NaN propagation (a NaN anywhere gives NaN, as the CPU reference's scan does). */
// @ts-ignore: decorator
@inline function nanmax(a: f32, b: f32): f32 {
  return a != a || b != b ? NaN : (b > a ? b : a);
}

/** The largest of the 16 lanes of four pmax accumulators (NaN lanes may be skipped, as in pmax). */
// @ts-ignore: decorator
@inline function maxOf4(v0: v128, v1: v128, v2: v128, v3: v128): f32 {
  const v = f32x4.pmax(f32x4.pmax(v0, v1), f32x4.pmax(v2, v3));
  let m = f32x4.extract_lane(v, 0);
  const l1 = f32x4.extract_lane(v, 1), l2 = f32x4.extract_lane(v, 2), l3 = f32x4.extract_lane(v, 3);
  if (l1 > m) m = l1;
  if (l2 > m) m = l2;
  if (l3 > m) m = l3;
  return m;
}

/**
 * The row max for softmax: exact for rows without NaN. From 4 columns on,
 * a NaN may be skipped (f32x4.pmax is one maxps; f32x4.max's NaN rules cost
 * V8 a long sequence, and four accumulators break the dependency chain);
 * that is harmless, because the softmax of a row holding a NaN is NaN in
 * every element either way: exp(NaN - max) makes the exp-sum NaN, and every
 * output divides by it (softmax) or subtracts its log (log_softmax), as the
 * CPU reference's NaN max does.
 */
function rowMax(p: usize, cols: i32): f32 {
  let c = 0;
  if (cols < 4) {
    let m: f32 = -Infinity;
    for (; c < cols; c++) m = nanmax(m, load<f32>(p + (<usize>c << 2)));
    return m;
  }
  const ninf = f32x4.splat(-Infinity);
  let v0 = ninf, v1 = ninf, v2 = ninf, v3 = ninf;
  for (; c + 16 <= cols; c += 16) {
    const q = p + (<usize>c << 2);
    v0 = f32x4.pmax(v0, v128.load(q));
    v1 = f32x4.pmax(v1, v128.load(q, 16));
    v2 = f32x4.pmax(v2, v128.load(q, 32));
    v3 = f32x4.pmax(v3, v128.load(q, 48));
  }
  for (; c + 4 <= cols; c += 4) v0 = f32x4.pmax(v0, v128.load(p + (<usize>c << 2)));
  let m = maxOf4(v0, v1, v2, v3);
  for (; c < cols; c++) {
    const x = load<f32>(p + (<usize>c << 2));
    if (x > m) m = x;
  }
  return m;
}

/** v with `e` added into lane `l` (0..3). */
// @ts-ignore: decorator
@inline function addLane(v: v128, l: i32, e: f32): v128 {
  if (l == 0) return f32x4.replace_lane(v, 0, f32x4.extract_lane(v, 0) + e);
  if (l == 1) return f32x4.replace_lane(v, 1, f32x4.extract_lane(v, 1) + e);
  if (l == 2) return f32x4.replace_lane(v, 2, f32x4.extract_lane(v, 2) + e);
  return f32x4.replace_lane(v, 3, f32x4.extract_lane(v, 3) + e);
}

/** exp of the four lanes d (x - max, all <= 0 or NaN): the short exp where every lane is in [-87, 0]. */
// @ts-ignore: decorator
@inline function expDiff(d: v128): v128 {
  return i32x4.all_true(f32x4.ge(d, f32x4.splat(NEAR_MIN))) ? expvNear(d) : expv(d);
}

/**
 * Sum of exp(x[c] - max) over a row in vec::reduce_all's order on AVX512
 * (float32_order.ts reduceAllSum16): 16 lanes (a0..a3, lanes 0-3, 4-7,
 * 8-11, 12-15), a tail of r < 16 values into lanes 0..r-1, then the tree
 * fold (lane i += lane i ^ 8, ^ 4, ^ 2, ^ 1); below 16 a plain scan.
 * With `keep` the exp values are written back in place.
 */
function expSumRow(p: usize, cols: i32, max: f32, keep: bool): f32 {
  const mv = f32x4.splat(max);
  if (cols < 16) {
    let acc: f32 = 0;
    for (let c = 0; c < cols; c++) {
      const e = exps(load<f32>(p + (<usize>c << 2)) - max);
      if (keep) store<f32>(p + (<usize>c << 2), e);
      acc = c == 0 ? e : acc + e;
    }
    return acc;
  }
  let a0 = f32x4.splat(0), a1 = f32x4.splat(0), a2 = f32x4.splat(0), a3 = f32x4.splat(0);
  const full = cols - (cols & 15);
  // A block of sixteen -inf (masked) scores gives exp(-inf - max) = +0 in
  // every lane when max > -inf, and adding +0 leaves the lane sums as they
  // are: skip its exp. Bit-identical; halves the work under a causal mask.
  const skip = max > -Infinity;
  const ninf = f32x4.splat(-Infinity);
  const zero = f32x4.splat(0);
  let c = 0;
  for (; c < full; c += 16) {
    const q = p + (<usize>c << 2);
    const x0 = v128.load(q), x1 = v128.load(q, 16), x2 = v128.load(q, 32), x3 = v128.load(q, 48);
    if (skip && i32x4.all_true(v128.and(v128.and(f32x4.eq(x0, ninf), f32x4.eq(x1, ninf)), v128.and(f32x4.eq(x2, ninf), f32x4.eq(x3, ninf))))) {
      if (keep) {
        v128.store(q, zero);
        v128.store(q, zero, 16);
        v128.store(q, zero, 32);
        v128.store(q, zero, 48);
      }
      continue;
    }
    // x - max <= 0 holds because max is the row's largest value (NaN compares false: the full exp).
    const e0 = expDiff(f32x4.sub(x0, mv)), e1 = expDiff(f32x4.sub(x1, mv));
    const e2 = expDiff(f32x4.sub(x2, mv)), e3 = expDiff(f32x4.sub(x3, mv));
    if (keep) {
      v128.store(q, e0);
      v128.store(q, e1, 16);
      v128.store(q, e2, 32);
      v128.store(q, e3, 48);
    }
    a0 = f32x4.add(a0, e0);
    a1 = f32x4.add(a1, e1);
    a2 = f32x4.add(a2, e2);
    a3 = f32x4.add(a3, e3);
  }
  // the tail's l-th value goes into lane l
  for (let l = 0; c < cols; c++, l++) {
    const e = exps(load<f32>(p + (<usize>c << 2)) - max);
    if (keep) store<f32>(p + (<usize>c << 2), e);
    if (l < 4) a0 = addLane(a0, l, e);
    else if (l < 8) a1 = addLane(a1, l - 4, e);
    else if (l < 12) a2 = addLane(a2, l - 8, e);
    else a3 = addLane(a3, l - 12, e); // l <= 14: the tail is shorter than 16
  }
  // lane i += lane i ^ 8, then ^ 4 (a0 holds lane 0 of both), ^ 2, ^ 1
  a0 = f32x4.add(f32x4.add(a0, a2), f32x4.add(a1, a3));
  a0 = f32x4.add(a0, v128.shuffle<f32>(a0, a0, 2, 3, 0, 1));
  return f32x4.extract_lane(a0, 0) + f32x4.extract_lane(a0, 1);
}

/** softmax (log = 0) or log_softmax (log = 1) of one contiguous row, in place. */
function softmaxRow(p: usize, cols: i32, log: i32): void {
  softmaxRowWithMax(p, cols, log, rowMax(p, cols));
}

/**
 * softmaxRow with the row's max given: exact for rows without NaN, any
 * value for a row holding a NaN (which comes out NaN in every element,
 * see rowMax). The sign of a zero max changes no result bit: x - max is
 * x, or +0 or -0 for x = +-0, and exp(+-0) is 1.
 */
function softmaxRowWithMax(p: usize, cols: i32, log: i32, max: f32): void {
  const mv = f32x4.splat(max);
  let c = 0;
  if (log) {
    const lse = logf(expSumRow(p, cols, max, false));
    const lv = f32x4.splat(lse);
    for (; c + 4 <= cols; c += 4) {
      const q = p + (<usize>c << 2);
      v128.store(q, f32x4.sub(f32x4.sub(v128.load(q), mv), lv));
    }
    for (; c < cols; c++) {
      const q = p + (<usize>c << 2);
      store<f32>(q, (load<f32>(q) - max) - lse);
    }
    return;
  }
  const sum = expSumRow(p, cols, max, true);
  const inv: f32 = 1 / sum;
  const iv = f32x4.splat(inv);
  for (; c + 4 <= cols; c += 4) {
    const q = p + (<usize>c << 2);
    v128.store(q, f32x4.mul(v128.load(q), iv));
  }
  for (; c < cols; c++) {
    const q = p + (<usize>c << 2);
    store<f32>(q, load<f32>(q) * inv);
  }
}

/** softmax / log_softmax over the last axis of rows [r0, r1) of contiguous [rows, cols] float32 at p, in place. */
export function softmax_rows(p: usize, cols: i32, log: i32, r0: i32, r1: i32): void {
  for (let r = r0; r < r1; r++) softmaxRow(p + (<usize>r * <usize>cols << 2), cols, log);
}

/**
 * One row of the fused masked softmax, in place: x[c] becomes `fill` where
 * the uint8 mask byte at m + c * ms is nonzero, then softmax. A fully masked
 * row with fill -inf becomes NaN (max -inf, and -inf - -inf is NaN), as in
 * PyTorch and the CPU reference.
 */
function maskedSoftmaxRow(p: usize, m: usize, ms: i32, cols: i32, fill: f32): void {
  if (ms != 1 || cols < 16) {
    for (let c = 0; c < cols; c++) {
      if (load<u8>(m + <usize>(c * ms)) != 0) store<f32>(p + (<usize>c << 2), fill);
    }
    softmaxRow(p, cols, 0);
    return;
  }
  // 16 columns per step: z is 0xff in the bytes where the mask is 0 (keep
  // x), sign-extended to the four float lanes it selects. The row's max is
  // taken on the way, as rowMax takes it (pmax on four accumulators).
  const fv = f32x4.splat(fill);
  const zero = i8x16.splat(0);
  const ninf = f32x4.splat(-Infinity);
  let v0 = ninf, v1 = ninf, v2 = ninf, v3 = ninf;
  let c = 0;
  for (; c + 16 <= cols; c += 16) {
    const z = i8x16.eq(v128.load(m + <usize>c), zero);
    const lo = i16x8.extend_low_i8x16_s(z), hi = i16x8.extend_high_i8x16_s(z);
    const q = p + (<usize>c << 2);
    const x0 = v128.bitselect(v128.load(q), fv, i32x4.extend_low_i16x8_s(lo));
    const x1 = v128.bitselect(v128.load(q, 16), fv, i32x4.extend_high_i16x8_s(lo));
    const x2 = v128.bitselect(v128.load(q, 32), fv, i32x4.extend_low_i16x8_s(hi));
    const x3 = v128.bitselect(v128.load(q, 48), fv, i32x4.extend_high_i16x8_s(hi));
    v128.store(q, x0);
    v128.store(q, x1, 16);
    v128.store(q, x2, 32);
    v128.store(q, x3, 48);
    v0 = f32x4.pmax(v0, x0);
    v1 = f32x4.pmax(v1, x1);
    v2 = f32x4.pmax(v2, x2);
    v3 = f32x4.pmax(v3, x3);
  }
  let max = maxOf4(v0, v1, v2, v3);
  for (; c < cols; c++) {
    const q = p + (<usize>c << 2);
    if (load<u8>(m + <usize>c) != 0) store<f32>(q, fill);
    const x = load<f32>(q);
    if (x > max) max = x;
  }
  softmaxRowWithMax(p, cols, 0, max);
}

/**
 * Fused masked softmax over rows [r0, r1) of contiguous [rows, cols] float32
 * at p, in place. Row r's mask starts at byte mbase + moffs[r] (i32 array),
 * its column stride is ms bytes (0 for a broadcast column).
 */
export function masked_softmax_rows(p: usize, moffs: usize, mbase: usize, ms: i32, cols: i32, fill: f32, r0: i32, r1: i32): void {
  for (let r = r0; r < r1; r++) {
    maskedSoftmaxRow(p + (<usize>r * <usize>cols << 2), mbase + <usize>load<i32>(moffs + (<usize>r << 2)), ms, cols, fill);
  }
}

/**
 * cross entropy's per-row term, without writing log_softmax out: for rows
 * [r0, r1) of contiguous [rows, cols] float32 logits at p, out[r] (f32) is
 * log_softmax(x[r])[t[r]] with t the i32 targets at tgt, or 0 where t[r]
 * == ignore. Each value rounds as the CPU reference's log_softmax element
 * does: (x - max) - log(sum exp(x - max)), the sum in reduce_all's order.
 * Targets must be in [0, cols) or `ignore` (the host checks).
 */
export function log_softmax_pick_rows(p: usize, tgt: usize, out: usize, cols: i32, ignore: i32, r0: i32, r1: i32): void {
  for (let r = r0; r < r1; r++) {
    const t = load<i32>(tgt + (<usize>r << 2));
    if (t == ignore) {
      store<f32>(out + (<usize>r << 2), 0);
      continue;
    }
    const q = p + (<usize>r * <usize>cols << 2);
    const max = rowMax(q, cols);
    const lse = logf(expSumRow(q, cols, max, false));
    store<f32>(out + (<usize>r << 2), (load<f32>(q + (<usize>t << 2)) - max) - lse);
  }
}

/**
 * `rc` rows (1..4) of one matmul: out[i, j] = sum over q of a[i, q] * b[q, j],
 * accumulated in float32 from +0 in q order, each product and each sum
 * rounded (f32x4.mul then f32x4.add: no fused multiply-add), as the CPU
 * reference's 'naive' order does (ATen's loop for small bmm); so results are
 * bit-identical to it. The 'gemm' order is assembly/gemm_fma.ts. a rows
 * have stride k, b is [k, n], out rows stride n.
 */
function matmulBlock(a: usize, b: usize, out: usize, rc: i32, k: i32, n: i32): void {
  const ka = <usize>k << 2;
  const nb = <usize>n << 2;
  // rows past rc repeat row 0 (read, never stored), so one loop serves 1..4 rows
  const a1 = rc > 1 ? a + ka : a, a2 = rc > 2 ? a + 2 * ka : a, a3 = rc > 3 ? a + 3 * ka : a;
  let j = 0;
  for (; j + 8 <= n; j += 8) {
    let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c10 = f32x4.splat(0), c11 = f32x4.splat(0);
    let c20 = f32x4.splat(0), c21 = f32x4.splat(0), c30 = f32x4.splat(0), c31 = f32x4.splat(0);
    let bp = b + (<usize>j << 2);
    for (let q = 0; q < k; q++, bp += nb) {
      const b0 = v128.load(bp), b1 = v128.load(bp, 16);
      const qo = <usize>q << 2;
      const x0 = v128.load32_splat(a + qo), x1 = v128.load32_splat(a1 + qo);
      const x2 = v128.load32_splat(a2 + qo), x3 = v128.load32_splat(a3 + qo);
      c00 = f32x4.add(c00, f32x4.mul(x0, b0)); c01 = f32x4.add(c01, f32x4.mul(x0, b1));
      c10 = f32x4.add(c10, f32x4.mul(x1, b0)); c11 = f32x4.add(c11, f32x4.mul(x1, b1));
      c20 = f32x4.add(c20, f32x4.mul(x2, b0)); c21 = f32x4.add(c21, f32x4.mul(x2, b1));
      c30 = f32x4.add(c30, f32x4.mul(x3, b0)); c31 = f32x4.add(c31, f32x4.mul(x3, b1));
    }
    const o = out + (<usize>j << 2);
    v128.store(o, c00); v128.store(o, c01, 16);
    if (rc > 1) { v128.store(o + nb, c10); v128.store(o + nb, c11, 16); }
    if (rc > 2) { v128.store(o + 2 * nb, c20); v128.store(o + 2 * nb, c21, 16); }
    if (rc > 3) { v128.store(o + 3 * nb, c30); v128.store(o + 3 * nb, c31, 16); }
  }
  for (; j < n; j++) {
    for (let i = 0; i < rc; i++) {
      const ar = a + <usize>i * ka;
      let acc: f32 = 0;
      let bp = b + (<usize>j << 2);
      for (let q = 0; q < k; q++, bp += nb) acc += load<f32>(ar + (<usize>q << 2)) * load<f32>(bp);
      store<f32>(out + <usize>i * nb + (<usize>j << 2), acc);
    }
  }
}

/**
 * Batched float32 matmul, rows [r0, r1) of the batch * m output rows:
 * out[p] = a[p] @ b[p] for contiguous a [batch, m, k], b [batch, k, n],
 * out [batch, m, n]. Bit-identical to the CPU reference's 'naive' order (see matmulBlock).
 */
export function matmul_rows(a: usize, b: usize, out: usize, m: i32, k: i32, n: i32, r0: i32, r1: i32): void {
  let r = r0;
  while (r < r1) {
    const p = r / m, i = r % m;
    let rc = r1 - r;
    if (m - i < rc) rc = m - i;
    if (rc > 4) rc = 4;
    matmulBlock(a + (<usize>r * <usize>k << 2), b + (<usize>p * <usize>k * <usize>n << 2), out + (<usize>r * <usize>n << 2), rc, k, n);
    r += rc;
  }
}

// binary_rows op codes (wasm.ts BINARY_OPS keeps the same order).
const LT = 0, LE = 1, GT = 2, GE = 3, EQ = 4, NE = 5, AND = 6, OR = 7, XOR = 8, BITAND = 9, BITOR = 10, BITXOR = 11;

// The elementwise kernels below are memory-bound loops of a few vector
// instructions, so nothing that does not change along a row is decided
// inside one: each (op, operand strides) case gets a row loop of its own.
// The op is a type parameter (one of the tag classes below), so
// AssemblyScript compiles one function per op with the other ops' branches
// dropped (a constant op passed through @inline calls was folded back into
// a runtime switch by Binaryen); the strides are constants of @inline row
// loops inside it. An operand with stride 0 is a broadcast scalar per row,
// splatted once per row.
class OpLt {}
class OpLe {}
class OpEq {}
class OpNe {}
class OpAnd {}
class OpOr {}
class OpXor {}
class OpBitand {}
class OpBitor {}
class OpBitxor {}

/** Float comparison of four lanes (all ones where true) for the op tag O (lt, le, eq, ne). */
// @ts-ignore: decorator
@inline function cmp4<O>(a: v128, b: v128): v128 {
  if (idof<O>() == idof<OpLt>()) return f32x4.lt(a, b);
  if (idof<O>() == idof<OpLe>()) return f32x4.le(a, b);
  if (idof<O>() == idof<OpEq>()) return f32x4.eq(a, b);
  return f32x4.ne(a, b);
}

// @ts-ignore: decorator
@inline function cmp1t<O>(a: f32, b: f32): u8 {
  if (idof<O>() == idof<OpLt>()) return <u8>(a < b);
  if (idof<O>() == idof<OpLe>()) return <u8>(a <= b);
  if (idof<O>() == idof<OpEq>()) return <u8>(a == b);
  return <u8>(a != b);
}

/**
 * Byte ops on 16 lanes: 0/1 results for eq..xor, the bytes themselves for
 * bitand..bitxor. `and`/`or` use unsigned min/max (both nonzero iff the
 * min is; either iff the max is), then min with 1 makes the lane 0/1.
 */
// @ts-ignore: decorator
@inline function logic16<O>(a: v128, b: v128): v128 {
  const one = i8x16.splat(1);
  if (idof<O>() == idof<OpEq>()) return v128.and(i8x16.eq(a, b), one);
  if (idof<O>() == idof<OpNe>()) return v128.and(i8x16.ne(a, b), one);
  if (idof<O>() == idof<OpAnd>()) return i8x16.min_u(i8x16.min_u(a, b), one);
  if (idof<O>() == idof<OpOr>()) return i8x16.min_u(i8x16.max_u(a, b), one);
  if (idof<O>() == idof<OpXor>()) return v128.xor(i8x16.min_u(a, one), i8x16.min_u(b, one));
  if (idof<O>() == idof<OpBitand>()) return v128.and(a, b);
  if (idof<O>() == idof<OpBitor>()) return v128.or(a, b);
  return v128.xor(a, b);
}

// @ts-ignore: decorator
@inline function logic1t<O>(a: u8, b: u8): u8 {
  if (idof<O>() == idof<OpEq>()) return <u8>(a == b);
  if (idof<O>() == idof<OpNe>()) return <u8>(a != b);
  if (idof<O>() == idof<OpAnd>()) return <u8>(a != 0 && b != 0);
  if (idof<O>() == idof<OpOr>()) return <u8>(a != 0 || b != 0);
  if (idof<O>() == idof<OpXor>()) return <u8>((a != 0) != (b != 0));
  if (idof<O>() == idof<OpBitand>()) return a & b;
  if (idof<O>() == idof<OpBitor>()) return a | b;
  return a ^ b;
}

/** Fill n bytes at o with the byte v (a row whose result is one value). */
// @ts-ignore: decorator
@inline function fillRow(o: usize, v: u8, n: i32): void {
  const vv = i8x16.splat(v);
  let c = 0;
  for (; c + 16 <= n; c += 16) v128.store(o + <usize>c, vv);
  for (; c < n; c++) store<u8>(o + <usize>c, v);
}

/**
 * Float comparison rows [r0, r1) with a constant op and constant operand
 * strides as, bs (not both 0): 16 comparisons per step, narrowed to bytes.
 */
// @ts-ignore: decorator
@inline function cmpRows<O>(as: i32, bs: i32, a: usize, aoffs: usize, b: usize, boffs: usize, out: usize, inner: i32, r0: i32, r1: i32): void {
  const one = i8x16.splat(1);
  for (let r = r0; r < r1; r++) {
    const o = out + <usize>r * <usize>inner;
    const pa = a + (<usize>load<i32>(aoffs + (<usize>r << 2)) << 2), pb = b + (<usize>load<i32>(boffs + (<usize>r << 2)) << 2);
    const sa = v128.load32_splat(pa), sb = v128.load32_splat(pb);
    let c = 0;
    for (; c + 16 <= inner; c += 16) {
      const qa = pa + (<usize>c << 2), qb = pb + (<usize>c << 2);
      const m0 = cmp4<O>(as ? v128.load(qa) : sa, bs ? v128.load(qb) : sb);
      const m1 = cmp4<O>(as ? v128.load(qa, 16) : sa, bs ? v128.load(qb, 16) : sb);
      const m2 = cmp4<O>(as ? v128.load(qa, 32) : sa, bs ? v128.load(qb, 32) : sb);
      const m3 = cmp4<O>(as ? v128.load(qa, 48) : sa, bs ? v128.load(qb, 48) : sb);
      v128.store(o + <usize>c, v128.and(i8x16.narrow_i16x8_s(i16x8.narrow_i32x4_s(m0, m1), i16x8.narrow_i32x4_s(m2, m3)), one));
    }
    for (; c < inner; c++) {
      store<u8>(o + <usize>c, cmp1t<O>(load<f32>(pa + (<usize>(c * as) << 2)), load<f32>(pb + (<usize>(c * bs) << 2))));
    }
  }
}

/** Byte-op rows [r0, r1) with a constant op and strides (as = 1; bs 0 or 1): 64 bytes per step. */
// @ts-ignore: decorator
@inline function logicRows<O>(bs: i32, a: usize, aoffs: usize, b: usize, boffs: usize, out: usize, inner: i32, r0: i32, r1: i32): void {
  for (let r = r0; r < r1; r++) {
    const o = out + <usize>r * <usize>inner;
    const pa = a + <usize>load<i32>(aoffs + (<usize>r << 2)), pb = b + <usize>load<i32>(boffs + (<usize>r << 2));
    const sb = v128.load8_splat(pb);
    let c = 0;
    for (; c + 64 <= inner; c += 64) {
      const qa = pa + <usize>c, qb = pb + <usize>c, q = o + <usize>c;
      v128.store(q, logic16<O>(v128.load(qa), bs ? v128.load(qb) : sb));
      v128.store(q, logic16<O>(v128.load(qa, 16), bs ? v128.load(qb, 16) : sb), 16);
      v128.store(q, logic16<O>(v128.load(qa, 32), bs ? v128.load(qb, 32) : sb), 32);
      v128.store(q, logic16<O>(v128.load(qa, 48), bs ? v128.load(qb, 48) : sb), 48);
    }
    for (; c + 16 <= inner; c += 16) v128.store(o + <usize>c, logic16<O>(v128.load(pa + <usize>c), bs ? v128.load(pb + <usize>c) : sb));
    for (; c < inner; c++) store<u8>(o + <usize>c, logic1t<O>(load<u8>(pa + <usize>c), load<u8>(pb + <usize>(c * bs))));
  }
}

/** One op's float comparison rows: a loop per stride case. */
function cmpStrides<O>(as: i32, bs: i32, a: usize, aoffs: usize, b: usize, boffs: usize, out: usize, inner: i32, r0: i32, r1: i32): void {
  if (!as && !bs) {
    // Both operands broadcast along the row: each row is one value.
    for (let r = r0; r < r1; r++) {
      const pa = a + (<usize>load<i32>(aoffs + (<usize>r << 2)) << 2), pb = b + (<usize>load<i32>(boffs + (<usize>r << 2)) << 2);
      fillRow(out + <usize>r * <usize>inner, cmp1t<O>(load<f32>(pa), load<f32>(pb)), inner);
    }
  } else if (!as) cmpRows<O>(0, 1, a, aoffs, b, boffs, out, inner, r0, r1);
  else if (!bs) cmpRows<O>(1, 0, a, aoffs, b, boffs, out, inner, r0, r1);
  else cmpRows<O>(1, 1, a, aoffs, b, boffs, out, inner, r0, r1);
}

/** One byte op's rows: a loop per stride case (as = 0 only with bs = 0: the ops are symmetric). */
function logicStrides<O>(as: i32, bs: i32, a: usize, aoffs: usize, b: usize, boffs: usize, out: usize, inner: i32, r0: i32, r1: i32): void {
  if (!as) {
    for (let r = r0; r < r1; r++) {
      const pa = a + <usize>load<i32>(aoffs + (<usize>r << 2)), pb = b + <usize>load<i32>(boffs + (<usize>r << 2));
      fillRow(out + <usize>r * <usize>inner, logic1t<O>(load<u8>(pa), load<u8>(pb)), inner);
    }
  } else if (bs) logicRows<O>(1, a, aoffs, b, boffs, out, inner, r0, r1);
  else logicRows<O>(0, a, aoffs, b, boffs, out, inner, r0, r1);
}

/**
 * Elementwise comparison or logical op into a bool (0/1 byte) output, rows
 * [r0, r1) of out [rows, inner]. With f32in = 1 the operands are float32 and
 * op is lt..ne (IEEE: NaN compares false, except ne); with f32in = 0 they are
 * bytes and op is eq, ne (on the values), and, or, xor (on value != 0), or
 * bitand, bitor, bitxor (on the bytes: the out bytes are the result).
 * Row r of operand a starts at element aoffs[r] (i32 array) of a, its
 * elements step by as (0: broadcast, or 1); likewise b.
 */
export function binary_rows(op: i32, f32in: i32, a: usize, aoffs: usize, as: i32, b: usize, boffs: usize, bs: i32, out: usize, inner: i32, r0: i32, r1: i32): void {
  // Fewer cases to instantiate: a > b is b < a and a >= b is b <= a (NaN
  // false both ways), and the byte ops and eq/ne are symmetric, so those
  // take the strided operand as a.
  if (f32in && (op == GT || op == GE)) {
    op = op == GT ? LT : LE;
    const t = a; a = b; b = t;
    const to = aoffs; aoffs = boffs; boffs = to;
    const ts = as; as = bs; bs = ts;
  } else if (!as && bs && (!f32in || op == EQ || op == NE)) {
    const t = a; a = b; b = t;
    const to = aoffs; aoffs = boffs; boffs = to;
    as = 1;
    bs = 0;
  }
  if (f32in) {
    switch (op) {
      case LT: cmpStrides<OpLt>(as, bs, a, aoffs, b, boffs, out, inner, r0, r1); return;
      case LE: cmpStrides<OpLe>(as, bs, a, aoffs, b, boffs, out, inner, r0, r1); return;
      case EQ: cmpStrides<OpEq>(as, bs, a, aoffs, b, boffs, out, inner, r0, r1); return;
      default: cmpStrides<OpNe>(as, bs, a, aoffs, b, boffs, out, inner, r0, r1); return;
    }
  }
  switch (op) {
    case EQ: logicStrides<OpEq>(as, bs, a, aoffs, b, boffs, out, inner, r0, r1); return;
    case NE: logicStrides<OpNe>(as, bs, a, aoffs, b, boffs, out, inner, r0, r1); return;
    case AND: logicStrides<OpAnd>(as, bs, a, aoffs, b, boffs, out, inner, r0, r1); return;
    case OR: logicStrides<OpOr>(as, bs, a, aoffs, b, boffs, out, inner, r0, r1); return;
    case XOR: logicStrides<OpXor>(as, bs, a, aoffs, b, boffs, out, inner, r0, r1); return;
    case BITAND: logicStrides<OpBitand>(as, bs, a, aoffs, b, boffs, out, inner, r0, r1); return;
    case BITOR: logicStrides<OpBitor>(as, bs, a, aoffs, b, boffs, out, inner, r0, r1); return;
    default: logicStrides<OpBitxor>(as, bs, a, aoffs, b, boffs, out, inner, r0, r1); return;
  }
}

/**
 * where rows [r0, r1) with constant strides (cs = 1; as, bs 0 or 1): 16
 * elements per step. z is 0xff in the bytes where cond is 0; sign-extended
 * to 32-bit lanes, it selects b there and a elsewhere.
 */
// @ts-ignore: decorator
@inline function whereRows(as: i32, bs: i32, c: usize, coffs: usize, a: usize, aoffs: usize, b: usize, boffs: usize, out: usize, inner: i32, r0: i32, r1: i32): void {
  const zero = i8x16.splat(0);
  for (let r = r0; r < r1; r++) {
    const o = out + (<usize>r * <usize>inner << 2);
    const pc = c + <usize>load<i32>(coffs + (<usize>r << 2));
    const pa = a + (<usize>load<i32>(aoffs + (<usize>r << 2)) << 2), pb = b + (<usize>load<i32>(boffs + (<usize>r << 2)) << 2);
    const sa = v128.load32_splat(pa), sb = v128.load32_splat(pb);
    let j = 0;
    for (; j + 16 <= inner; j += 16) {
      const z = i8x16.eq(v128.load(pc + <usize>j), zero);
      const lo = i16x8.extend_low_i8x16_s(z), hi = i16x8.extend_high_i8x16_s(z);
      const e = <usize>j << 2;
      const qa = pa + e, qb = pb + e, q = o + e;
      v128.store(q, v128.bitselect(bs ? v128.load(qb) : sb, as ? v128.load(qa) : sa, i32x4.extend_low_i16x8_s(lo)));
      v128.store(q, v128.bitselect(bs ? v128.load(qb, 16) : sb, as ? v128.load(qa, 16) : sa, i32x4.extend_high_i16x8_s(lo)), 16);
      v128.store(q, v128.bitselect(bs ? v128.load(qb, 32) : sb, as ? v128.load(qa, 32) : sa, i32x4.extend_low_i16x8_s(hi)), 32);
      v128.store(q, v128.bitselect(bs ? v128.load(qb, 48) : sb, as ? v128.load(qa, 48) : sa, i32x4.extend_high_i16x8_s(hi)), 48);
    }
    for (; j < inner; j++) {
      const src = load<u8>(pc + <usize>j) != 0 ? pa + (<usize>(j * as) << 2) : pb + (<usize>(j * bs) << 2);
      store<u32>(o + (<usize>j << 2), load<u32>(src));
    }
  }
}

/**
 * where / masked_fill on float32, rows [r0, r1) of out [rows, inner]:
 * out = cond != 0 ? a : b, the bits of the chosen operand copied. Row r of
 * cond (bytes) starts at byte c + coffs[r] and steps by cs (0 or 1); rows of
 * a and b start at element aoffs[r] / boffs[r] and step by as / bs (0 or 1).
 */
export function where_rows(c: usize, coffs: usize, cs: i32, a: usize, aoffs: usize, as: i32, b: usize, boffs: usize, bs: i32, out: usize, inner: i32, r0: i32, r1: i32): void {
  if (!cs) {
    // One condition per row: the row is a copy of a's or b's row, or a splat of its scalar.
    for (let r = r0; r < r1; r++) {
      const o = out + (<usize>r * <usize>inner << 2);
      const ta = load<u8>(c + <usize>load<i32>(coffs + (<usize>r << 2))) != 0;
      const p = ta ? a + (<usize>load<i32>(aoffs + (<usize>r << 2)) << 2) : b + (<usize>load<i32>(boffs + (<usize>r << 2)) << 2);
      if (ta ? as : bs) {
        memory.copy(o, p, <usize>inner << 2);
        continue;
      }
      const v = v128.load32_splat(p);
      let j = 0;
      for (; j + 4 <= inner; j += 4) v128.store(o + (<usize>j << 2), v);
      for (; j < inner; j++) store<u32>(o + (<usize>j << 2), load<u32>(p));
    }
    return;
  }
  if (as && bs) whereRows(1, 1, c, coffs, a, aoffs, b, boffs, out, inner, r0, r1);
  else if (as) whereRows(1, 0, c, coffs, a, aoffs, b, boffs, out, inner, r0, r1);
  else if (bs) whereRows(0, 1, c, coffs, a, aoffs, b, boffs, out, inner, r0, r1);
  else whereRows(0, 0, c, coffs, a, aoffs, b, boffs, out, inner, r0, r1);
}

/** Start of free memory (after this module's static data), for the host's buffers. */
export function heap_base(): usize {
  return __heap_base;
}
