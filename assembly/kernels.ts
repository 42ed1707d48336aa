// WebAssembly SIMD (128-bit) float32 kernels, compiled by AssemblyScript
// (scripts/build.mjs). Loaded by src/engine/kernels/wasm.ts, which copies
// operands into this module's memory, calls these, and copies results out.
//
// exp follows the algorithm of Sleef's xexpf (what ATen's Vectorized<float>
// ::exp calls on x86, through Sleef_expf8_u10/expf16_u10): Cody-Waite range
// reduction by ln 2 split in two parts, a degree-5 polynomial, and a final
// scaling by 2^q; every multiply-add there is fused (FMA). WebAssembly SIMD
// has no deterministic FMA, so each f32 FMA is done in f64 lanes: the
// product of two f32 values is exact in f64, so rounding the f64 sum to f32
// gives the fused result (up to a double rounding at exact ties, 2^-29 rare).
//
// Softmax rows keep the float32 order of the CPU reference
// (src/engine/kernels/float32_order.ts: vec::reduce_all over 8 lanes, then
// lanes 0..7 added in order), so only exp can differ from it.

// log from the host (Math.log), so log_softmax's log(sum) rounds as the CPU reference does.
@external("env", "log")
declare function hostLog(x: f64): f64;

// f32 constants of Sleef's xexpf, held in f64 lanes.
const R_LN2F: f64 = <f64><f32>1.442695040888963407359924681001892137426645954152985934135449406931;
const NEG_L2UF: f64 = -<f64><f32>0.693145751953125;
const NEG_L2LF: f64 = -<f64><f32>1.428606765330187045e-06;
const C5: f64 = <f64><f32>0.000198527617612853646278381;
const C4: f64 = <f64><f32>0.00139304355252534151077271;
const C3: f64 = <f64><f32>0.00833336077630519866943359;
const C2: f64 = <f64><f32>0.0416664853692054748535156;
const C1: f64 = <f64><f32>0.166666671633720397949219;

/** Round each f64 lane to the nearest f32 (kept in f64). */
// @ts-ignore: decorator
@inline function r32(v: v128): v128 {
  return f64x2.promote_low_f32x4(f32x4.demote_f64x2_zero(v));
}

/** f32 fma(a, b, c) on two f64 lanes holding f32 values. */
// @ts-ignore: decorator
@inline function fma2(a: v128, b: v128, c: v128): v128 {
  return r32(f64x2.add(f64x2.mul(a, b), c));
}

/** exp of two f32 values held in f64 lanes; result rounded to f32 (in f64 lanes). */
// @ts-ignore: decorator
@inline function exp2lanes(d: v128): v128 {
  const q = f64x2.nearest(r32(f64x2.mul(d, f64x2.splat(R_LN2F))));
  let s = fma2(q, f64x2.splat(NEG_L2UF), d);
  s = fma2(q, f64x2.splat(NEG_L2LF), s);
  let u = fma2(f64x2.splat(C5), s, f64x2.splat(C4));
  u = fma2(u, s, f64x2.splat(C3));
  u = fma2(u, s, f64x2.splat(C2));
  u = fma2(u, s, f64x2.splat(C1));
  u = fma2(u, s, f64x2.splat(0.5));
  const ss = r32(f64x2.mul(s, s));
  u = r32(f64x2.add(f64x2.splat(1.0), fma2(ss, u, s)));
  // u * 2^q: exact in f64 (|q| is clamped far inside f64's range), then one
  // rounding to f32, as Sleef's two-step ldexp rounds once.
  const qc = f64x2.min(f64x2.max(q, f64x2.splat(-300.0)), f64x2.splat(300.0));
  const qi = i64x2.extend_low_i32x4_s(i32x4.trunc_sat_f64x2_s_zero(qc));
  const p = i64x2.shl(i64x2.add(qi, i64x2.splat(1023)), 52);
  u = r32(f64x2.mul(u, p));
  // Sleef: 0 below -104, +inf above 100; NaN stays NaN through the arithmetic.
  u = v128.bitselect(f64x2.splat(0.0), u, f64x2.lt(d, f64x2.splat(-104.0)));
  u = v128.bitselect(f64x2.splat(Infinity), u, f64x2.gt(d, f64x2.splat(100.0)));
  return u;
}

/** exp of four f32 lanes. */
// @ts-ignore: decorator
@inline function expv(x: v128): v128 {
  const lo = exp2lanes(f64x2.promote_low_f32x4(x));
  const hi = exp2lanes(f64x2.promote_low_f32x4(v128.shuffle<f32>(x, x, 2, 3, 0, 1)));
  return v128.shuffle<f32>(f32x4.demote_f64x2_zero(lo), f32x4.demote_f64x2_zero(hi), 0, 1, 4, 5);
}

// @ts-ignore: decorator
@inline function exps(x: f32): f32 {
  return f32x4.extract_lane(expv(f32x4.splat(x)), 0);
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

function rowMax(p: usize, cols: i32): f32 {
  let m: f32 = -Infinity;
  let c = 0;
  if (cols >= 4) {
    let v = f32x4.splat(-Infinity);
    for (; c + 4 <= cols; c += 4) v = f32x4.max(v, v128.load(p + (<usize>c << 2)));
    m = nanmax(nanmax(f32x4.extract_lane(v, 0), f32x4.extract_lane(v, 1)), nanmax(f32x4.extract_lane(v, 2), f32x4.extract_lane(v, 3)));
  }
  for (; c < cols; c++) m = nanmax(m, load<f32>(p + (<usize>c << 2)));
  return m;
}

/**
 * Sum of exp(x[c] - max) over a row in vec::reduce_all's order (8 lanes,
 * tail into lanes 0.., then lanes added in order; below 8 a plain scan).
 * With `keep` the exp values are written back in place.
 */
function expSumRow(p: usize, cols: i32, max: f32, keep: bool): f32 {
  const mv = f32x4.splat(max);
  if (cols < 8) {
    let acc: f32 = 0;
    for (let c = 0; c < cols; c++) {
      const e = exps(load<f32>(p + (<usize>c << 2)) - max);
      if (keep) store<f32>(p + (<usize>c << 2), e);
      acc = c == 0 ? e : acc + e;
    }
    return acc;
  }
  let a0 = f32x4.splat(0);
  let a1 = f32x4.splat(0);
  const full = cols - (cols & 7);
  let c = 0;
  for (; c < full; c += 8) {
    const q = p + (<usize>c << 2);
    const e0 = expv(f32x4.sub(v128.load(q), mv));
    const e1 = expv(f32x4.sub(v128.load(q, 16), mv));
    if (keep) {
      v128.store(q, e0);
      v128.store(q, e1, 16);
    }
    a0 = f32x4.add(a0, e0);
    a1 = f32x4.add(a1, e1);
  }
  const lanes = memory.data(32, 16);
  v128.store(lanes, a0);
  v128.store(lanes, a1, 16);
  for (let l = 0; c < cols; c++, l++) {
    const e = exps(load<f32>(p + (<usize>c << 2)) - max);
    if (keep) store<f32>(p + (<usize>c << 2), e);
    store<f32>(lanes + (<usize>l << 2), load<f32>(lanes + (<usize>l << 2)) + e);
  }
  let acc = load<f32>(lanes);
  for (let l = 1; l < 8; l++) acc += load<f32>(lanes + (<usize>l << 2));
  return acc;
}

/** softmax (log = 0) or log_softmax (log = 1) of one contiguous row, in place. */
function softmaxRow(p: usize, cols: i32, log: i32): void {
  const max = rowMax(p, cols);
  const mv = f32x4.splat(max);
  let c = 0;
  if (log) {
    const lse = <f32>hostLog(<f64>expSumRow(p, cols, max, false));
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

/** softmax / log_softmax over the last axis of contiguous [rows, cols] float32 at p, in place. */
export function softmax_rows(p: usize, rows: i32, cols: i32, log: i32): void {
  for (let r = 0; r < rows; r++) softmaxRow(p + (<usize>r * <usize>cols << 2), cols, log);
}

/**
 * One row of the fused masked softmax, in place: x[c] becomes `fill` where
 * the uint8 mask byte at m + c * ms is nonzero, then softmax. A fully masked
 * row with fill -inf becomes NaN (max -inf, and -inf - -inf is NaN), as in
 * PyTorch and the CPU reference.
 */
export function masked_softmax_row(p: usize, m: usize, ms: i32, cols: i32, fill: f32): void {
  let c = 0;
  if (ms == 1) {
    const fv = f32x4.splat(fill);
    for (; c + 4 <= cols; c += 4) {
      const bytes = i32x4.extend_low_i16x8_u(i16x8.extend_low_i8x16_u(v128.load32_zero(m + <usize>c)));
      const q = p + (<usize>c << 2);
      v128.store(q, v128.bitselect(fv, v128.load(q), i32x4.ne(bytes, i32x4.splat(0))));
    }
  }
  for (; c < cols; c++) {
    if (load<u8>(m + <usize>(c * ms)) != 0) store<f32>(p + (<usize>c << 2), fill);
  }
  softmaxRow(p, cols, 0);
}

/** Start of free memory (after this module's static data), for the host's buffers. */
export function heap_base(): usize {
  return __heap_base;
}
