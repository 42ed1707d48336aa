// Float32 scaled-dot-product attention in the order PyTorch 2.13's CPU
// flash-attention kernel computes it (ATen native/cpu/FlashAttentionKernel.cpp,
// cpu_flash_attention, AVX512 build), so that 4-D F.scaled_dot_product_attention
// and MultiheadAttention(need_weights=False) round as they do there.
//
// Per (batch, head), queries go in blocks of qSplit rows (32 below 192
// queries, 64 below 768, else 256) and keys in blocks of 512. For each key
// block: scores = q @ k^T by MKL's sgemm (each score a sequential fused
// multiply-add over the head dim from +0, float32_matmul.ts's 'gemm' order);
// causal: keys past the query's own position become -inf; with a mask
// scores = fma(scores, scale, mask), without one scores * scale; a running
// row max; p = exp(score - max) (16-lane exp_u20 for whole vectors of 16,
// glibc's expf for the rest) summed over 16 lanes, folded as a tree, then the
// tail added in order; the earlier sum and output rescaled by
// expf(oldMax - max); dst (+)= p @ v by sgemm. A row whose keys are all
// masked so far is left at zero. At the end out = dst * (1 / sum) (sum 0 is
// taken as 1, so a fully masked row comes out 0).

import { fma32 } from '../random/float_math';
import { gemvDot, kChunks } from './float32_matmul';
import { glibcExpf } from './sleef32';

const f = Math.fround;
const KV_SPLIT = 512;

/** cpu_flash_attention's query block: 32 rows under 192 queries, 64 under 768, else 256. */
export function flashQuerySplit(queries: number): number {
  return queries >= 768 ? 256 : queries >= 192 ? 64 : 32;
}

const bitsF = new Float32Array(1);
const bitsI = new Int32Array(bitsF.buffer);
const LOG2E = f(1.44269502162933349609375); // 0x3fb8aa3b
const LN2 = f(0.693147182464599609375); // 0x3f317218
const LN_FLT_MIN = f(-87.33654022216796875); // 0xc2aeac50
const LN_FLT_MAX = f(88.72283935546875); // 0x42b17218
const P1 = f(0.999999701), P2 = f(0.499991506), P3 = f(0.166676521), P4 = f(0.0418978221), P5 = f(0.00828929059);

/**
 * Vectorized<float>::exp_u20 of ATen's AVX512 build (vec512_float.h), one
 * lane: n = floor(fma(x, log2 e, 0.5)) on x clamped to [ln FLT_MIN,
 * ln FLT_MAX], r = x - n ln 2 fused, a degree-5 polynomial by fused
 * multiply-adds, times 2^(n-1) built from the exponent bits, times 2; 0
 * below ln FLT_MIN. Up to about 20 ulp from exp.
 */
export function expU20(x: number): number {
  const below = x < LN_FLT_MIN;
  // min/max as _mm512_min_ps/_mm512_max_ps: a NaN x yields the bound
  let src = x < LN_FLT_MAX ? x : LN_FLT_MAX;
  src = src > LN_FLT_MIN ? src : LN_FLT_MIN;
  const fx = Math.floor(fma32(src, LOG2E, 0.5));
  const r = fma32(-fx, LN2, src);
  let p = fma32(r, P5, P4);
  p = fma32(r, p, P3);
  p = fma32(r, p, P2);
  p = fma32(r, p, P1);
  p = fma32(r, p, 1);
  bitsI[0] = ((fx - 1 + 127) << 23) | 0;
  const pow = below ? 0 : bitsF[0];
  return f(f(p * pow) * 2);
}


/**
 * One element of an MKL sgemm product: a sequential fma from +0 over each
 * k-chunk (float32_matmul.ts's kChunks), each chunk's sum added to the
 * output in float32: to `base` when beta is 1 (base not null), else from the
 * first chunk's sum.
 */
function gemmDot(a: ArrayLike<number>, ao: number, as: number, b: ArrayLike<number>, bo: number, bs: number, chunks: [number, number][], base: number | null): number {
  let total = base ?? 0;
  for (let c = 0; c < chunks.length; c++) {
    const [s, e] = chunks[c];
    let acc = 0;
    for (let q = s; q < e; q++) acc = fma32(a[ao + q * as], b[bo + q * bs], acc);
    total = c === 0 && base === null ? acc : f(total + acc);
  }
  return total;
}

/**
 * Which of MKL's sgemm kernels computes a query row's scores against a key
 * block (sgemm(T, N) with m = kvBlock keys, n = qBlock queries, k = E), as
 * measured on torch 2.13's MKL (AVX512): a block of one query goes through
 * its gemv kernels; 2-3 keys, or more keys than queries up to 10 with
 * E <= keys, through a 16-lane dot; the rest through the sequential-fma
 * gemm kernel.
 */
function scoreOrder(qBlock: number, kvBlock: number, E: number): 'gemm' | 'lanes' | 'gemv' {
  if (qBlock === 1) return 'gemv';
  return (kvBlock >= 2 && kvBlock <= 3) || (kvBlock > qBlock && kvBlock <= 10 && E <= kvBlock) ? 'lanes' : 'gemm';
}

/** MKL's small-matrix dot: products fused into 16 lanes (element e into lane e % 16), the lanes folded as a tree. */
function lanesDot(a: ArrayLike<number>, ao: number, b: ArrayLike<number>, bo: number, k: number, lanes: Float64Array): number {
  lanes.fill(0);
  for (let e = 0; e < k; e++) lanes[e & 15] = fma32(a[ao + e], b[bo + e], lanes[e & 15]);
  for (let w = 8; w >= 1; w >>= 1) for (let j = 0; j < w; j++) lanes[j] = f(lanes[j] + lanes[j + w]);
  return lanes[0];
}

/** An additive float mask read through broadcast strides [b, h, l, s] (0 on broadcast dims). */
export interface FlashMask {
  data: ArrayLike<number>;
  offset: number;
  strides: readonly [number, number, number, number];
}

/**
 * out [B, H, L, E] = softmax(q @ k^T * scale + mask, causal) @ v for
 * contiguous float32 q [B, H, L, E], k and v [B, H, S, E], in
 * cpu_flash_attention's order (see the file header). `mask` is additive
 * (a bool mask already turned into 0 / -inf, as ATen's
 * convert_boolean_attn_mask does); `isCausal` keeps key j for query i when
 * j <= i. `tick` is called once per query block.
 */
export function flashAttention32(
  q: ArrayLike<number>, k: ArrayLike<number>, v: ArrayLike<number>, mask: FlashMask | null,
  B: number, H: number, L: number, S: number, E: number, isCausal: boolean, scale: number,
  out: { [i: number]: number }, tick: () => void = () => {},
): void {
  const sc = f(scale);
  const qSplit = Math.min(flashQuerySplit(L), L);
  const kvSplit = Math.min(KV_SPLIT, S);
  const qk = new Float64Array(qSplit * kvSplit);
  const rowMax = new Float64Array(qSplit), rowSum = new Float64Array(qSplit);
  const dst = new Float64Array(qSplit * E);
  const lanes = new Float64Array(16);
  const eChunks = kChunks(E);
  for (let bh = 0; bh < B * H; bh++) {
    const b = Math.floor(bh / H), h = bh % H;
    const qo = bh * L * E, ko = bh * S * E;
    for (let m = 0; m < L; m += qSplit) {
      tick();
      const qBlock = Math.min(qSplit, L - m);
      rowMax.fill(-Infinity);
      rowSum.fill(0);
      const numKeys = isCausal ? Math.min(m + qBlock, S) : S;
      for (let n = 0; n < numKeys; n += kvSplit) {
        const kvBlock = Math.min(kvSplit, S - n);
        const kvChunks = kChunks(kvBlock);
        // scores: sgemm(T, N) of the key block against the query block
        for (let row = 0; row < qBlock; row++) {
          const order = scoreOrder(qBlock, kvBlock, E);
          const qr = qo + (m + row) * E;
          for (let c = 0; c < kvBlock; c++) {
            const kr = ko + (n + c) * E;
            qk[row * kvBlock + c] = order === 'gemm' ? gemmDot(q, qr, 1, k, kr, 1, eChunks, null)
              : order === 'lanes' ? lanesDot(q, qr, k, kr, E, lanes)
              : gemvDot(k, kr, (e) => q[qr + e], E, c < kvBlock - (kvBlock % 4));
          }
        }
        if (isCausal && numKeys - n <= kvSplit) {
          for (let row = 0; row < qBlock; row++) {
            for (let c = Math.max(0, m + row - n + 1); c < kvBlock; c++) qk[row * kvBlock + c] = -Infinity;
          }
        }
        for (let row = 0; row < qBlock; row++) {
          const r = row * kvBlock;
          let max = -Infinity;
          if (mask) {
            const mo = mask.offset + b * mask.strides[0] + h * mask.strides[1] + (m + row) * mask.strides[2];
            // _scale_attn_mask_fusion_kernel: a * scale + mask, contracted to one fma by the compiler
            for (let c = 0; c < kvBlock; c++) qk[r + c] = fma32(qk[r + c], sc, mask.data[mo + (n + c) * mask.strides[3]]);
            for (let c = 0; c < kvBlock; c++) if (qk[r + c] > max || Number.isNaN(qk[r + c])) max = qk[r + c];
          } else {
            for (let c = 0; c < kvBlock; c++) {
              qk[r + c] = f(qk[r + c] * sc);
              if (qk[r + c] > max || Number.isNaN(qk[r + c])) max = qk[r + c];
            }
          }
          const old = rowMax[row];
          max = old > max ? old : max;
          if (max === -Infinity) {
            // every key masked so far: zero weights, max and sum unchanged
            for (let c = 0; c < kvBlock; c++) qk[r + c] = 0;
            continue;
          }
          // _exp_reduce_sum_fusion_kernel: 16-lane exp_u20 and lane sums, tree-folded, then the tail in order
          const vec = kvBlock - (kvBlock % 16);
          lanes.fill(0);
          for (let c = 0; c < vec; c++) {
            const e = expU20(f(qk[r + c] - max));
            qk[r + c] = e;
            lanes[c & 15] = f(lanes[c & 15] + e);
          }
          for (let w = 8; w >= 1; w >>= 1) for (let j = 0; j < w; j++) lanes[j] = f(lanes[j] + lanes[j + w]);
          let sum = lanes[0];
          for (let c = vec; c < kvBlock; c++) {
            // the tail's exp(float) resolves to the double exp: correctly rounded, unlike expf
            const e = f(Math.exp(f(qk[r + c] - max)));
            qk[r + c] = e;
            sum = f(sum + e);
          }
          const rescale = glibcExpf(f(old - max)); // std::exp on a float: glibc's expf
          rowSum[row] = fma32(rescale, rowSum[row], sum);
          rowMax[row] = max;
          if (n > 0) for (let d = 0; d < E; d++) dst[row * E + d] = f(dst[row * E + d] * rescale);
        }
        // dst (+)= p @ v: sgemm(N, N), beta 0 on the first key block, 1 after
        const vo = ko + n * E;
        for (let row = 0; row < qBlock; row++) {
          for (let d = 0; d < E; d++) {
            dst[row * E + d] = gemmDot(qk, row * kvBlock, 1, v, vo + d, E, kvChunks, n === 0 ? null : dst[row * E + d]);
          }
        }
      }
      for (let row = 0; row < qBlock; row++) {
        const inv = f(1 / (rowSum[row] === 0 ? 1 : rowSum[row]));
        const oo = qo + (m + row) * E;
        for (let d = 0; d < E; d++) out[oo + d] = f(dst[row * E + d] * inv);
      }
    }
  }
}
