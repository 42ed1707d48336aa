// TensorFlow's float32 softmax as its x86-64 Linux build runs it eagerly: with oneDNN
// enabled (TF_ENABLE_ONEDNN_OPTS, on by default) tf.nn.softmax is oneDNN's softmax
// primitive, whose AVX512 JIT kernel (cpu/x64/jit_uni_softmax.cpp with the eltwise
// injector's exp) is modelled here lane by lane; Eigen's SoftmaxEigenImpl only runs
// with oneDNN turned off. Measured against tensorflow-cpu 2.21 on an AVX512 machine:
// every value of 1,033,331 (rows of 3 to 257 classes) bit-identical, against 44.7%
// for PyTorch's kernel it used before.

import { fma32 } from '../random/float_math';
import { Tensor } from '../tensor';
import { contiguous } from './core';
import { permute } from './shape';

const f = Math.fround;
const bits = (u: number): number => new Float32Array(new Uint32Array([u]).buffer)[0];
// jit_uni_eltwise_injector's exp table: the polynomial's p1..p5 (p0 = 1), ln 2, log2(e), and
// the clamps ln(FLT_MAX) / ln(FLT_MIN) (below the latter the result is 0)
const EXP_POL = [0x3f7ffffb, 0x3efffee3, 0x3e2aad40, 0x3d2b9d0d, 0x3c07cfce].map(bits);
const LN2 = bits(0x3f317218), LOG2E = bits(0x3fb8aa3b), LN_FLT_MAX = bits(0x42b17218), LN_FLT_MIN = bits(0xc2aeac50);

/**
 * oneDNN's vectorised exp of one float32 lane: x clamped to [ln FLT_MIN, ln FLT_MAX],
 * n = floor(x * log2(e) + 0.5), r = x - n ln 2 (fused), a degree-5 Horner polynomial of
 * fused multiply-adds, then y * 2^(n - 1) * 2; 0 below ln FLT_MIN, NaN for NaN.
 */
export function onednnExpf(x0: number): number {
  if (x0 !== x0) return NaN;
  if (x0 < LN_FLT_MIN) return 0;
  const x = Math.min(x0, LN_FLT_MAX);
  const n = Math.floor(f(f(x * LOG2E) + 0.5));
  const r = fma32(-n, LN2, x);
  let y = EXP_POL[4];
  for (let i = 3; i >= 0; i--) y = fma32(y, r, EXP_POL[i]);
  y = fma32(y, r, 1);
  return f(f(y * 2 ** (n - 1)) * 2);
}

/** The zmm horizontal sum of 16 lanes: halves added 512 -> 256 -> 128 -> 64 -> 32 bits. */
function horizontalSum(l: Float64Array): number {
  const s = new Float64Array(8);
  for (let i = 0; i < 8; i++) s[i] = f(l[i] + l[i + 8]);
  const t0 = f(s[0] + s[4]), t1 = f(s[1] + s[5]), t2 = f(s[2] + s[6]), t3 = f(s[3] + s[7]);
  return f(f(t0 + t2) + f(t1 + t3));
}

/**
 * Softmax of each row of `rows` x `cols` float32 values (row-major) as oneDNN's kernel:
 * max, then e = exp(x - max) per lane (16 lanes; 16-wide chunk q of the row adds into
 * accumulator q mod 4, a partial last chunk into accumulator 0), the accumulators added
 * (a0 + a1) + (a2 + a3) and summed across lanes, and e * (1 / sum).
 */
function softmaxRows(v: ArrayLike<number>, rows: number, cols: number, out: Float32Array): void {
  const acc = [new Float64Array(16), new Float64Array(16), new Float64Array(16), new Float64Array(16)];
  const lanes = new Float64Array(16);
  const full = Math.floor(cols / 16);
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    let max = -Infinity;
    for (let c = 0; c < cols; c++) max = v[o + c] > max || v[o + c] !== v[o + c] ? v[o + c] : max;
    for (const a of acc) a.fill(0);
    for (let c = 0; c < cols; c++) {
      const e = onednnExpf(f(v[o + c] - max));
      out[o + c] = e;
      const q = Math.floor(c / 16), a = q < full ? acc[q % 4] : acc[0];
      a[c % 16] = f(a[c % 16] + e);
    }
    for (let l = 0; l < 16; l++) lanes[l] = f(f(acc[0][l] + acc[1][l]) + f(acc[2][l] + acc[3][l]));
    const inv = f(1 / horizontalSum(lanes));
    for (let c = 0; c < cols; c++) out[o + c] = f(out[o + c] * inv);
  }
}

/**
 * tf.nn.softmax(x, axis) of a float32 tensor over `axes` (one axis, as TensorFlow swaps it
 * last, or several, as Keras's TensorFlow backend moves and flattens them last), computed
 * by oneDNN's kernel (see softmaxRows). Result float32, x's shape. Axes must be valid and
 * distinct non-negative dims; a 0-d input is one row of one.
 */
export function tfSoftmaxFloat32(x: Tensor, axes: readonly number[]): Tensor {
  const keep = x.shape.map((_, d) => d).filter((d) => !axes.includes(d));
  const perm = [...keep, ...axes];
  const moved = contiguous(permute(x, perm));
  const cols = axes.reduce((p, d) => p * x.shape[d], 1);
  const rows = cols === 0 ? 0 : x.numel / cols;
  const flat = Tensor.empty('float32', moved.shape);
  softmaxRows(moved.values(), rows, cols, flat.storage.data as Float32Array);
  const back = x.shape.map((_, d) => perm.indexOf(d));
  return contiguous(permute(flat, back));
}
