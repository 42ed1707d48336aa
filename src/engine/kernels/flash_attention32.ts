// Float32 scaled-dot-product attention in the order PyTorch 2.13's CPU
// flash-attention kernel computes it (ATen native/cpu/FlashAttentionKernel.cpp,
// cpu_flash_attention, AVX512 build), so that 4-D F.scaled_dot_product_attention
// and MultiheadAttention(need_weights=False) round as they do there.
//
// Per (batch, head), queries go in blocks of qSplit rows (32 below 192
// queries, 64 below 768, else 256) and keys in blocks of 512. For each key
// block: scores = q @ k^T by MKL's sgemm (scoreOrder: mostly a sequential
// fused multiply-add over the head dim from +0, float32_matmul.ts's 'gemm'
// order); causal: keys past the query's own position become -inf; with a
// mask scores = fma(scores, scale, mask), without one scores * scale; a
// running row max; p = exp(score - max): 16-lane exp_u20 for whole vectors
// of 16, the double exp rounded for the rest; p summed over 16 lanes,
// folded as a tree, then the tail added in order; the running sum becomes
// fma(expf(oldMax - max), sum, blockSum) (glibc's expf) and the output is
// rescaled by that factor; dst (+)= p @ v by sgemm, each k-chunk's sum
// added to dst in turn. A row whose keys are all masked so far is left at
// zero. At the end out = dst * (1 / sum) (sum 0 is taken as 1, so a fully
// masked row comes out 0). The MKL orders were measured on this build by
// comparing candidate orders with torch's bits over random inputs
// (scripts/sdpa_bits.py, test/unit/sdpa_bits.test.ts).
//
// Not matched yet (some outputs differ in the last bits): head dims over 384
// with few queries, whose sgemm splits k differently from kChunks; a block
// of one query with a head dim over 33, whose scores against the keys past
// the last multiple of 4 come from MKL's 1-row gemv kernel (float32_matmul.ts
// models it up to k = 33); and how sgemv adds such a block's p @ v to the
// earlier key blocks' part (taken as one rounded add; only with over 512 keys).

import { fma32 } from '../random/float_math';
import { gemvDot, halve16, kChunks, matmul32 } from './float32_matmul';
import { glibcExpf } from './sleef32';

const f = Math.fround;
const KV_SPLIT = 512;

/** cpu_flash_attention's query block: 32 rows under 192 queries, 64 under 768, else 256. */
export function flashQuerySplit(queries: number): number {
  return queries >= 768 ? 256 : queries >= 192 ? 64 : 32;
}

/** 2^(e - 127) for a biased exponent e in [0, 254], as exp_u20 builds it from bits (e = 0: the float +0). */
const POW2_BIASED = Float64Array.from({ length: 255 }, (_, e) => (e === 0 ? 0 : 2 ** (e - 127)));
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
  const pow = below ? 0 : POW2_BIASED[fx - 1 + 127];
  return f(f(p * pow) * 2);
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
  return halve16(lanes);
}

/**
 * One output of MKL's sgemv(N) on AVX512, y[d] = sum_j x[j] * a[j][d] over
 * n columns (x at x[xo + j], a[j][d] at a[ao + j * lda]), as measured on
 * torch 2.13's MKL (placing +-2^40 in two columns shows which sums absorb
 * which; fused or rounded steps were told apart on random inputs). Rows in
 * whole vectors of 16 (`vectorRow`): columns in blocks of 8; the first
 * block is ((c2 + c0) + (c3 + c1)) + ((c6 + c4) + (c7 + c5)), where
 * (cj + ci) = fma(x_i, a_i, x_j * a_j); each later block adds c6 and c4 by
 * fma, then (c7 + c5), then ((c2 + c0) + (c3 + c1)); columns past the last
 * whole block are added by fma in order. The other rows: one fma chain
 * from +0.
 */
function gemvColumns(x: ArrayLike<number>, xo: number, a: ArrayLike<number>, ao: number, lda: number, n: number, vectorRow: boolean): number {
  const fused = (acc: number, j: number) => fma32(x[xo + j], a[ao + j * lda], acc);
  let acc = 0;
  if (!vectorRow) {
    for (let j = 0; j < n; j++) acc = fused(acc, j);
    return acc;
  }
  const pair = (i: number) => fused(f(x[xo + i + 2] * a[ao + (i + 2) * lda]), i); // columns i and i + 2
  const blocks = Math.floor(n / 8);
  if (blocks > 0) acc = f(f(pair(0) + pair(1)) + f(pair(4) + pair(5)));
  for (let b = 1; b < blocks; b++) {
    const o = 8 * b;
    acc = fused(fused(acc, o + 6), o + 4);
    acc = f(acc + pair(o + 5));
    acc = f(acc + f(pair(o) + pair(o + 1)));
  }
  for (let j = 8 * blocks; j < n; j++) acc = fused(acc, j);
  return acc;
}

/** An additive float mask read through broadcast strides [b, h, l, s] (0 on broadcast dims). */
export interface FlashMask {
  data: ArrayLike<number>;
  offset: number;
  strides: readonly [number, number, number, number];
}

/**
 * out[b] = a[b] @ bm[b] for contiguous float32 a [batch, m, k], bm [batch,
 * k, n], in float32_matmul.ts's 'gemm' order (what a Backend's matmul does
 * with that order: the wasm backend runs the same order faster).
 */
export type GemmFn = (a: Float32Array, bm: Float32Array, batch: number, m: number, k: number, n: number, out: Float32Array) => void;

const cpuGemm: GemmFn = (a, bm, batch, m, k, n, out) => matmul32(a, bm, batch, m, k, n, out, 'gemm', () => {});

/**
 * out [B, H, L, E] = softmax(q @ k^T * scale + mask, causal) @ v for
 * contiguous float32 q [B, H, L, E], k and v [B, H, S, E], in
 * cpu_flash_attention's order (see the file header). `mask` is additive
 * (a bool mask already turned into 0 / -inf, as ATen's
 * convert_boolean_attn_mask does); `isCausal` keeps key j for query i when
 * j <= i. Each score and each block's p @ v part is one sgemm element, so
 * they are computed for all blocks at once by `gemm` (batched over the
 * heads); the rows MKL sends through other kernels are redone here.
 * `tick` is called between steps.
 */
export function flashAttention32(
  q: Float32Array, k: Float32Array, v: Float32Array, mask: FlashMask | null,
  B: number, H: number, L: number, S: number, E: number, isCausal: boolean, scale: number,
  out: Float32Array, gemm: GemmFn = cpuGemm, tick: () => void = () => {},
): void {
  const BH = B * H;
  const sc = f(scale);
  const qSplit = Math.min(flashQuerySplit(L), L);
  const kvSplit = Math.min(KV_SPLIT, S);
  const lanes = new Float64Array(16);
  // every score, [BH, L, S]: q @ k^T with k transposed per head
  const kT = new Float32Array(BH * E * S);
  for (let bh = 0; bh < BH; bh++) {
    for (let j = 0; j < S; j++) for (let e = 0; e < E; e++) kT[bh * E * S + e * S + j] = k[(bh * S + j) * E + e];
  }
  const qk = new Float32Array(BH * L * S);
  gemm(q, kT, BH, L, E, S, qk);
  tick();
  for (let m = 0; m < L; m += qSplit) {
    const qBlock = Math.min(qSplit, L - m);
    for (let n = 0; n < S; n += kvSplit) {
      const kvBlock = Math.min(kvSplit, S - n);
      const order = scoreOrder(qBlock, kvBlock, E);
      if (order === 'gemm') continue;
      for (let bh = 0; bh < BH; bh++) {
        for (let row = m; row < m + qBlock; row++) {
          const qr = (bh * L + row) * E;
          for (let c = n; c < n + kvBlock; c++) {
            const kr = (bh * S + c) * E;
            qk[(bh * L + row) * S + c] = order === 'lanes' ? lanesDot(q, qr, k, kr, E, lanes) : gemvDot(k, kr, (e) => q[qr + e], E, c - n < kvBlock - (kvBlock % 4));
          }
        }
      }
    }
  }
  const rows = BH * L;
  const lastAlone = L - Math.floor((L - 1) / qSplit) * qSplit === 1; // the last query block has one row
  const rowMax = new Float64Array(rows).fill(-Infinity), rowSum = new Float64Array(rows);
  const dst = new Float32Array(rows * E);
  const active = new Uint8Array(rows);
  for (let n = 0; n < S; n += kvSplit) {
    const kvBlock = Math.min(kvSplit, S - n);
    for (let bh = 0; bh < BH; bh++) {
      const b = Math.floor(bh / H), h = bh % H;
      for (let i = 0; i < L; i++) {
        const row = bh * L + i;
        const m = i - (i % qSplit);
        const numKeys = isCausal ? Math.min(m + Math.min(qSplit, L - m), S) : S;
        active[row] = n < numKeys ? 1 : 0;
        if (!active[row]) continue;
        const r = row * S + n;
        if (isCausal && numKeys - n <= kvSplit) for (let c = Math.max(0, i - n + 1); c < kvBlock; c++) qk[r + c] = -Infinity;
        let max = -Infinity;
        if (mask) {
          const mo = mask.offset + b * mask.strides[0] + h * mask.strides[1] + i * mask.strides[2];
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
          qk.fill(0, r, r + kvBlock);
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
        let sum = halve16(lanes);
        for (let c = vec; c < kvBlock; c++) {
          // the tail's exp(float) resolves to the double exp: correctly rounded, unlike expf
          const e = f(Math.exp(f(qk[r + c] - max)));
          qk[r + c] = e;
          sum = f(sum + e);
        }
        const rescale = glibcExpf(f(old - max)); // std::exp on a float: glibc's expf
        rowSum[row] = fma32(rescale, rowSum[row], sum);
        rowMax[row] = max;
        if (n > 0) for (let d = row * E; d < (row + 1) * E; d++) dst[d] = f(dst[d] * rescale);
      }
    }
    tick();
    // dst (+)= p @ v: sgemm(N, N), beta 0 on the first key block, 1 after; C takes each k-chunk's sum in turn
    for (const [s0, e0] of kChunks(kvBlock)) {
      const w = e0 - s0;
      const p = new Float32Array(rows * w), vb = new Float32Array(BH * w * E);
      for (let row = 0; row < rows; row++) p.set(qk.subarray(row * S + n + s0, row * S + n + e0), row * w);
      for (let bh = 0; bh < BH; bh++) vb.set(v.subarray((bh * S + n + s0) * E, (bh * S + n + e0) * E), bh * w * E);
      const part = new Float32Array(rows * E);
      gemm(p, vb, BH, L, w, E, part);
      const first = n === 0 && s0 === 0;
      for (let row = 0; row < rows; row++) {
        if (!active[row] || (lastAlone && row % L === L - 1)) continue;
        for (let d = row * E; d < (row + 1) * E; d++) dst[d] = first ? part[d] : f(dst[d] + part[d]);
      }
      tick();
    }
    // a block of one query: sgemm hands p @ v to its sgemv kernel (MKL's order: gemvColumns)
    if (lastAlone) {
      for (let bh = 0; bh < BH; bh++) {
        const row = bh * L + L - 1;
        if (!active[row]) continue;
        const pr = row * S + n, vo = (bh * S + n) * E;
        for (let d = 0; d < E; d++) {
          const y = gemvColumns(qk, pr, v, vo + d, E, kvBlock, d < E - (E % 16));
          dst[row * E + d] = n === 0 ? y : f(dst[row * E + d] + y);
        }
      }
    }
  }
  for (let row = 0; row < rows; row++) {
    const inv = f(1 / (rowSum[row] === 0 ? 1 : rowSum[row]));
    for (let d = row * E; d < (row + 1) * E; d++) out[d] = f(dst[d] * inv);
  }
}
