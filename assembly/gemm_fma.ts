// Float32 matmul in MKL's 'gemm' order with fused multiply-adds
// (f32x4.relaxed_madd), compiled by AssemblyScript (scripts/build.mjs) into
// its own small module, apart from assembly/kernels.ts: it needs the
// relaxed-SIMD feature, which a runtime may lack (Node 20's V8 has it behind
// a flag), and the other kernels must load without it.
//
// relaxed_madd is a fused multiply-add (one rounding) where the CPU has one
// (x86-64 with FMA3: V8 emits vfmadd231ps; arm64: fmla) and a multiply then
// an add elsewhere. src/engine/kernels/wasm.ts calls fma_probe once at
// start-up and uses gemm_fma_rows only when it fuses; then each output is
// exactly what src/engine/kernels/float32_matmul.ts (matmul32, 'gemm')
// computes, bit for bit.
//
// The module keeps no data in memory (no static data, no scratch): it runs
// over the memory of the kernels module, or a shared memory that worker
// threads split rows of.

/** relaxed_madd(a, b, c) lane 0: a * b + c with one rounding where the CPU fuses, two where it does not. */
export function fma_probe(a: f32, b: f32, c: f32): f32 {
  return f32x4.extract_lane(f32x4.relaxed_madd(f32x4.splat(a), f32x4.splat(b), f32x4.splat(c)), 0);
}

/**
 * Sum k in [q0, q1) into a block of `rc` rows (1..4) by 8 columns, or by 4
 * (w4 = 1), of the output: acc = fma(a[i, q], b[q, j], acc) from +0, in q
 * order. With add = 0 the block's sums are stored; with add = 1 they are
 * added (rounded, unfused) to what the block holds (MKL's later k chunks).
 * `valid` (1..4) is the number of columns stored in a 4-wide block.
 */
// @ts-ignore: decorator
@inline function block(a: usize, b: usize, out: usize, rc: i32, ka: usize, nb: usize, bs: usize, q0: i32, q1: i32, w4: bool, valid: i32, add: bool): void {
  // rows past rc repeat row 0 (read, never stored), so one loop serves 1..4 rows
  const a1 = rc > 1 ? a + ka : a, a2 = rc > 2 ? a + 2 * ka : a, a3 = rc > 3 ? a + 3 * ka : a;
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0), c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  let bp = b + <usize>q0 * bs;
  if (w4) {
    for (let q = q0; q < q1; q++, bp += bs) {
      const b0 = v128.load(bp);
      const qo = <usize>q << 2;
      c00 = f32x4.relaxed_madd(v128.load32_splat(a + qo), b0, c00);
      c10 = f32x4.relaxed_madd(v128.load32_splat(a1 + qo), b0, c10);
      c20 = f32x4.relaxed_madd(v128.load32_splat(a2 + qo), b0, c20);
      c30 = f32x4.relaxed_madd(v128.load32_splat(a3 + qo), b0, c30);
    }
  } else {
    for (let q = q0; q < q1; q++, bp += bs) {
      const b0 = v128.load(bp), b1 = v128.load(bp, 16);
      const qo = <usize>q << 2;
      const x0 = v128.load32_splat(a + qo);
      c00 = f32x4.relaxed_madd(x0, b0, c00); c01 = f32x4.relaxed_madd(x0, b1, c01);
      const x1 = v128.load32_splat(a1 + qo);
      c10 = f32x4.relaxed_madd(x1, b0, c10); c11 = f32x4.relaxed_madd(x1, b1, c11);
      const x2 = v128.load32_splat(a2 + qo);
      c20 = f32x4.relaxed_madd(x2, b0, c20); c21 = f32x4.relaxed_madd(x2, b1, c21);
      const x3 = v128.load32_splat(a3 + qo);
      c30 = f32x4.relaxed_madd(x3, b0, c30); c31 = f32x4.relaxed_madd(x3, b1, c31);
    }
  }
  put(out, c00, c01, w4, valid, add);
  if (rc > 1) put(out + nb, c10, c11, w4, valid, add);
  if (rc > 2) put(out + 2 * nb, c20, c21, w4, valid, add);
  if (rc > 3) put(out + 3 * nb, c30, c31, w4, valid, add);
}

/**
 * Sum k in [q0, q1) into a block of `rc` rows (1..2) by 16 columns of the
 * output, as block does. Each q step loads 4 b vectors (one cache line) and
 * 2 a splats for 8 multiply-adds, with one running pointer per operand, so
 * the loop has fewer address and loop instructions per multiply-add than
 * the 4 x 8 block. (A block of 12 accumulators needs more than the 15
 * vector registers V8 allocates on x64, as V8 issues each step's loads
 * before its multiply-adds: it spilled and ran slower.)
 */
// @ts-ignore: decorator
@inline function block16(a: usize, b: usize, out: usize, rc: i32, ka: usize, nb: usize, bs: usize, q0: i32, q1: i32, add: bool): void {
  let ap0 = a + (<usize>q0 << 2);
  // a second row past rc repeats row 0 (read, never stored)
  let ap1 = rc > 1 ? ap0 + ka : ap0;
  const end = ap0 + (<usize>(q1 - q0) << 2);
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c02 = f32x4.splat(0), c03 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0), c12 = f32x4.splat(0), c13 = f32x4.splat(0);
  for (let bp = b + <usize>q0 * bs; ap0 < end; ap0 += 4, ap1 += 4, bp += bs) {
    const b0 = v128.load(bp), b1 = v128.load(bp, 16), b2 = v128.load(bp, 32), b3 = v128.load(bp, 48);
    const x0 = v128.load32_splat(ap0);
    c00 = f32x4.relaxed_madd(x0, b0, c00); c01 = f32x4.relaxed_madd(x0, b1, c01);
    c02 = f32x4.relaxed_madd(x0, b2, c02); c03 = f32x4.relaxed_madd(x0, b3, c03);
    const x1 = v128.load32_splat(ap1);
    c10 = f32x4.relaxed_madd(x1, b0, c10); c11 = f32x4.relaxed_madd(x1, b1, c11);
    c12 = f32x4.relaxed_madd(x1, b2, c12); c13 = f32x4.relaxed_madd(x1, b3, c13);
  }
  put(out, c00, c01, false, 8, add);
  put(out + 32, c02, c03, false, 8, add);
  if (rc > 1) {
    put(out + nb, c10, c11, false, 8, add);
    put(out + nb + 32, c12, c13, false, 8, add);
  }
}

/** Store (or add to) 8 columns, or the first `valid` of 4. */
// @ts-ignore: decorator
@inline function put(o: usize, v0: v128, v1: v128, w4: bool, valid: i32, add: bool): void {
  if (!w4) {
    if (add) {
      v0 = f32x4.add(v128.load(o), v0);
      v1 = f32x4.add(v128.load(o, 16), v1);
    }
    v128.store(o, v0);
    v128.store(o, v1, 16);
    return;
  }
  if (valid === 4) {
    v128.store(o, add ? f32x4.add(v128.load(o), v0) : v0);
    return;
  }
  // 1..3 columns: lane by lane (the row's end may be the output's end)
  for (let j = 0; j < valid; j++) {
    const p = o + (<usize>j << 2);
    const v = f32x4.extract_lane(v0, 0);
    store<f32>(p, add ? load<f32>(p) + v : v);
    v0 = i32x4.shuffle(v0, v0, 1, 2, 3, 0);
  }
}

/**
 * Batched float32 matmul in the 'gemm' order, rows [r0, r1) of the
 * batch * m output rows: out[p] = a[p] @ b[p] for contiguous a [batch, m, k]
 * and out [batch, m, n], and b [batch, k, n] stored with row stride `ldb`
 * (>= n, a multiple of 4: columns past n are read, never used). Each output
 * is a sequential fused multiply-add over k from +0; k beyond 384 is cut
 * into chunks as kChunks in float32_matmul.ts does (384 while more than 768
 * remain, then two halves, the first one longer), each summed from +0 and
 * added to the total in float32.
 */
export function gemm_fma_rows(a: usize, b: usize, out: usize, m: i32, k: i32, n: i32, ldb: i32, r0: i32, r1: i32): void {
  const ka = <usize>k << 2;
  const nb = <usize>n << 2;
  const bs = <usize>ldb << 2;
  // Rows go in groups whose a rows (about 24 KiB per k chunk) stay in L1
  // while each 16-column panel of b (also in L1) meets every row of the group.
  const kc = k < 384 ? k : 384;
  let group = (6144 / (kc > 0 ? kc : 1)) & ~3;
  if (group < 4) group = 4;
  if (group > 64) group = 64;
  let r = r0;
  while (r < r1) {
    const p = r / m, i = r % m;
    // the group: rows [r, g1) of one batch
    let g1 = r + group;
    if (g1 > r1) g1 = r1;
    if (g1 > r - i + m) g1 = r - i + m;
    const br = b + (<usize>p * <usize>k * bs);
    if (k === 0) {
      memory.fill(out + <usize>r * nb, 0, <usize>(g1 - r) * nb);
      r = g1;
      continue;
    }
    let q0 = 0;
    let first = true;
    while (q0 < k) {
      const left = k - q0;
      const size = left <= 384 ? left : left <= 768 ? (left + 1) >> 1 : 384;
      const q1 = q0 + size;
      let j = 0;
      for (; j + 16 <= n; j += 16) {
        const jo = <usize>j << 2;
        for (let rr = r; rr < g1; rr += 2) {
          const rc = g1 - rr < 2 ? g1 - rr : 2;
          const ar = a + <usize>rr * ka, or = out + <usize>rr * nb + jo;
          if (first) block16(ar, br + jo, or, rc, ka, nb, bs, q0, q1, false);
          else block16(ar, br + jo, or, rc, ka, nb, bs, q0, q1, true);
        }
      }
      for (; j + 8 <= n; j += 8) {
        const jo = <usize>j << 2;
        for (let rr = r; rr < g1; rr += 4) {
          const rc = g1 - rr < 4 ? g1 - rr : 4;
          const ar = a + <usize>rr * ka, or = out + <usize>rr * nb + jo;
          if (first) block(ar, br + jo, or, rc, ka, nb, bs, q0, q1, false, 8, false);
          else block(ar, br + jo, or, rc, ka, nb, bs, q0, q1, false, 8, true);
        }
      }
      for (; j < n; j += 4) {
        const jo = <usize>j << 2;
        const valid = n - j < 4 ? n - j : 4;
        for (let rr = r; rr < g1; rr += 4) {
          const rc = g1 - rr < 4 ? g1 - rr : 4;
          const ar = a + <usize>rr * ka, or = out + <usize>rr * nb + jo;
          if (first) block(ar, br + jo, or, rc, ka, nb, bs, q0, q1, true, valid, false);
          else block(ar, br + jo, or, rc, ka, nb, bs, q0, q1, true, valid, true);
        }
      }
      q0 = q1;
      first = false;
    }
    r = g1;
  }
}
