// Float32 matrix products in the order PyTorch 2.13's x86-64 CPU build sums
// them, so that a product whose sum cancels rounds to the same float32 as
// there (issue #17: mm([[1e-5, 10, -1.7, 1.5]], [[1.5], [-1e4], [-1], [65504]])
// is -1742.300048828125, not -1742.296875). ATen hands float32 mm/mv/dot to
// MKL (cpublas::gemm/gemv/dot; torch.__config__.show() names MKL 2024.2 and
// AVX512) and small bmm to its own loop (LinearAlgebra.cpp,
// bmm_out_or_baddbmm_: contraction * rows * cols < 400 runs
// baddbmm_cpu_kernel, a plain multiply-then-add loop). MKL's orders are not
// documented: they were measured with real PyTorch by placing +-2^40 at two
// positions of a row of ones and reading which ones survive (the size of the
// pair's lowest common subtree), and fused multiply-adds were told from
// rounded products on random inputs with cancelling sums
// (test/unit/matmul_order.test.ts keeps cases of each).
//
// What matches, measured on this build:
// - 'gemm' (mm with n > 1 or m == 1, matmul folded to mm, vector @ matrix,
//   bmm from 400 up): each output is a sequential fused multiply-add over k
//   from +0; k beyond 384 is cut into chunks (384 while more than 768
//   remain, then two halves, the first one longer), each summed from +0 and
//   added to the total in float32.
// - 'gemv' (mv, mm with n == 1 and m > 1): rows in groups of four
//   (MKL's 4-row kernel) and the remaining m % 4 rows (its 1-row kernel)
//   sum in 16 lanes with fused multiply-adds and reduce the lanes by
//   halving; exact for every k on the 4-row kernel, and for k <= 33 on the
//   1-row kernel (beyond that it unrolls over several accumulators in a way
//   not pinned down; the result can differ in the last bits).
// - 'dot' (1-D @ 1-D): 4 accumulators of 16 lanes over 64-element steps,
//   then 2 over 32, 1 over 16 and a masked tail into the first; reduced
//   (a0 + a1) + (a2 + a3), lanes halved to 4, then (l0 + l1) + (l2 + l3).
// - 'naive' (bmm under 400): products rounded, sums rounded, in k order.
// - 'outer' (mm with k == 1, more than one row and column): the products
//   themselves, so -0 stays -0 (every other kernel sums from +0).
// Not matched: MKL splitting k over threads for large m * n * k (the split
// depends on the thread count), and other CPUs (an AVX2 MKL uses 8 lanes).

import { fma32 } from '../random/float_math';

const f = Math.fround;

/** Which CPU kernel PyTorch runs for a float32 product, and so its summation order. */
export type MatmulOrder = 'gemm' | 'gemv' | 'dot' | 'naive' | 'outer';

/**
 * The kernel torch.matmul reaches for operands of `aDim` and `bDim` dims
 * whose product is `batch` times [m, k] @ [k, n], as ATen's matmul
 * dispatches: 1-D @ 1-D is dot; a matrix, or batched input folded into one,
 * times a vector is mv, and so is an mm with one column; two batched
 * operands are bmm (ATen's naive loop under 400 multiply-adds per matrix,
 * else MKL's gemm); the rest is one mm.
 */
export function matmulOrder(aDim: number, bDim: number, batch: number, m: number, k: number, n: number): MatmulOrder {
  if (aDim === 1 && bDim === 1) return 'dot';
  if (bDim >= 3) return m * k * n < 400 ? 'naive' : 'gemm';
  if (bDim === 1) return 'gemv';
  // mm, or a batched input folded into one; with k == 1 it is an outer
  // product of rounded products (a -0 product stays -0, unlike a sum from +0)
  if (n === 1) return batch * m > 1 ? 'gemv' : 'gemm';
  return k === 1 && batch * m > 1 ? 'outer' : 'gemm';
}

const KC = 384;

/** MKL's split of k into chunks summed apart: [start, end) pairs. */
export function kChunks(k: number): [number, number][] {
  const out: [number, number][] = [];
  let s = 0;
  while (s < k) {
    const r = k - s;
    const size = r <= KC ? r : r <= 2 * KC ? Math.ceil(r / 2) : KC;
    out.push([s, s + size]);
    s += size;
  }
  return out;
}

/**
 * out[b] = a[b] @ bm[b] for contiguous float32 values a [batch, m, k],
 * bm [batch, k, n], out [batch, m, n], summed in `order` (see the file
 * header; 'dot' and 'gemv' need n == 1, and take the batch as folded rows).
 * `tick` is called once per output row of a large product.
 */
export function matmul32(
  a: ArrayLike<number>, bm: ArrayLike<number>, batch: number, m: number, k: number, n: number,
  out: { [i: number]: number }, order: MatmulOrder, tick: () => void,
): void {
  const row = new Float64Array(n);
  const part = new Float64Array(n);
  const chunks = kChunks(k);
  for (let p = 0; p < batch; p++) {
    const ao = p * m * k, bo = p * k * n, oo = p * m * n;
    for (let i = 0; i < m; i++) {
      if (k * n > 1 << 16) tick();
      const ar = ao + i * k;
      if (order === 'dot' || order === 'gemv') {
        const x = (q: number) => bm[bo + q];
        const folded = p * m + i; // ATen folds the batch into the rows of one mv
        out[oo + i] = order === 'dot' ? dot(a, ar, x, k) : folded < 4 * Math.floor((batch * m) / 4) ? gemvRow4(a, ar, x, k) : gemvRow1(a, ar, x, k);
        continue;
      }
      row.fill(0);
      if (order === 'outer') {
        for (let j = 0; j < n; j++) row[j] = f(a[ar] * bm[bo + j]);
      } else if (order === 'naive') {
        for (let q = 0; q < k; q++) {
          const av = a[ar + q], bb = bo + q * n;
          for (let j = 0; j < n; j++) row[j] = f(row[j] + f(av * bm[bb + j]));
        }
      } else {
        for (let c = 0; c < chunks.length; c++) {
          const [s, e] = chunks[c];
          const acc = c === 0 ? row : part;
          if (c > 0) part.fill(0);
          for (let q = s; q < e; q++) {
            const av = a[ar + q], bb = bo + q * n;
            for (let j = 0; j < n; j++) acc[j] = fma32(av, bm[bb + j], acc[j]);
          }
          if (c > 0) for (let j = 0; j < n; j++) row[j] = f(row[j] + part[j]);
        }
      }
      for (let j = 0; j < n; j++) out[oo + i * n + j] = row[j];
    }
  }
}

/**
 * One output of MKL's sgemv on a row-major [m, k] matrix: the dot of row
 * `a[ar .. ar + k)` with x, in the 4-row kernel's order (rows below
 * 4 * floor(m / 4)) or the 1-row kernel's (the m % 4 rows after them).
 */
export function gemvDot(a: ArrayLike<number>, ar: number, x: (q: number) => number, k: number, fourRow: boolean): number {
  return fourRow ? gemvRow4(a, ar, x, k) : gemvRow1(a, ar, x, k);
}

/** Sum 16 float32 lanes by halving (a tree fold): lane j += lane j + 8, then + 4, + 2, + 1, each rounded to float32. */
export function halve16(l: Float64Array): number {
  for (let w = 8; w >= 1; w >>= 1) for (let j = 0; j < w; j++) l[j] = f(l[j] + l[j + w]);
  return l[0];
}

const lanes = new Float64Array(16);
const tail = new Float64Array(16);

// MKL's 4-row gemv kernel: product 0 starts lane 0, 16-lane steps from
// element 1, lanes halved; the remainder is a masked step whose lane 0 starts
// from that sum, halved again.
function gemvRow4(a: ArrayLike<number>, ar: number, x: (q: number) => number, k: number): number {
  if (k === 0) return 0;
  lanes.fill(0);
  lanes[0] = f(a[ar] * x(0));
  const full = Math.floor((k - 1) / 16);
  for (let s = 0; s < full; s++) {
    for (let j = 0; j < 16; j++) {
      const q = 1 + 16 * s + j;
      lanes[j] = fma32(a[ar + q], x(q), lanes[j]);
    }
  }
  const v = halve16(lanes);
  const start = 1 + 16 * full;
  if (start >= k) return v;
  tail.fill(0);
  tail[0] = v;
  for (let q = start; q < k; q++) tail[q - start] = fma32(a[ar + q], x(q), tail[q - start]);
  return halve16(tail);
}

// MKL's 1-row gemv kernel: elements 1.. in 16 lanes (the last step masked),
// halved, and product 0, rounded, added last.
function gemvRow1(a: ArrayLike<number>, ar: number, x: (q: number) => number, k: number): number {
  if (k === 0) return 0;
  lanes.fill(0);
  for (let q = 1; q < k; q++) lanes[(q - 1) & 15] = fma32(a[ar + q], x(q), lanes[(q - 1) & 15]);
  return f(f(a[ar] * x(0)) + halve16(lanes));
}

const accs = [new Float64Array(16), new Float64Array(16), new Float64Array(16), new Float64Array(16)];

// MKL's sdot: see the file header.
function dot(a: ArrayLike<number>, ar: number, x: (q: number) => number, k: number): number {
  for (const acc of accs) acc.fill(0);
  let q = 0;
  const step = (u: number, len: number) => {
    for (let j = 0; j < len; j++) accs[u][j] = fma32(a[ar + q + 16 * u + j], x(q + 16 * u + j), accs[u][j]);
  };
  for (; k - q >= 64; q += 64) for (let u = 0; u < 4; u++) step(u, 16);
  if (k - q >= 32) {
    step(0, 16);
    step(1, 16);
    q += 32;
  }
  if (k - q >= 16) {
    step(0, 16);
    q += 16;
  }
  step(0, k - q);
  for (let j = 0; j < 16; j++) lanes[j] = f(f(accs[0][j] + accs[1][j]) + f(accs[2][j] + accs[3][j]));
  for (let w = 8; w >= 4; w >>= 1) for (let j = 0; j < w; j++) lanes[j] = f(lanes[j] + lanes[j + w]);
  return f(f(lanes[0] + lanes[1]) + f(lanes[2] + lanes[3]));
}
