// The backend test table's cases: one list of kernel cases, each run
// against a Backend and checked against reference values computed here,
// independently of cpu.ts (plain loops over logical indices in double
// precision). Floats must match within 1e-6 + 1e-5*|expected| (NaN where
// NaN, infinities exactly); comparisons, where, arg-reductions and any/all
// must match exactly.
//
// Two runners import it: test/unit/backends.test.ts (Node: the CPU
// reference, gpu.js in whatever mode Node has, the wasm backend) and
// test/browser/run.mjs (gpu.js's WebGL2 kernels in headless Chromium,
// through test/browser/entry.ts). So it imports nothing from Node: its
// checks throw a plain Error (name 'AssertionError') on a mismatch.

import { rng } from '../fuzz/mutate';
import type { Backend, BinaryOp, Operand, ReduceOp, UnaryOp } from '../../src/engine/kernels/backend';
import type { GpuBackend } from '../../src/engine/kernels/gpu';
import { GPU_BINARY, GPU_UNARY } from '../../src/engine/kernels/gpu/sources';

export { rng };

function fail(message: string): never {
  const e = new Error(message);
  e.name = 'AssertionError';
  throw e;
}

function ok(value: unknown, message: string): asserts value {
  if (!value) fail(message);
}

function equal(actual: unknown, expected: unknown, message: string): void {
  if (!Object.is(actual, expected)) fail(`${message} (${String(actual)} !== ${String(expected)})`);
}

/** The two checks the cases need, with node:assert/strict's meaning (equal is Object.is). */
const assert: { ok: typeof ok; equal: typeof equal } = { ok, equal };

// ---------------------------------------------------------------- helpers

export function randomF32(n: number, seed: number, scale = 4): Float32Array {
  const r = rng(seed);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = (r() - 0.5) * scale;
  return out;
}

export const numel = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

export function contiguous(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= shape[i];
  }
  return s;
}

/** Every multi-index of `shape` in row-major order. */
export function* indices(shape: readonly number[]): Generator<number[]> {
  const n = numel(shape);
  const idx = new Array<number>(shape.length).fill(0);
  for (let i = 0; i < n; i++) {
    yield idx.slice();
    for (let d = shape.length - 1; d >= 0; d--) {
      if (++idx[d] < shape[d]) break;
      idx[d] = 0;
    }
  }
}

export function read(o: Operand, idx: readonly number[]): number {
  let off = o.offset;
  idx.forEach((v, d) => (off += v * o.strides[d]));
  return o.data[off];
}

/** An operand of `shape` broadcast to `outShape` (stride 0 on size-1 and missing dims). */
export function operand(data: Float32Array | Uint8Array, shape: readonly number[], outShape: readonly number[], offset = 0): Operand {
  const own = contiguous(shape);
  const lead = outShape.length - shape.length;
  const strides = outShape.map((_, d) => (d < lead || shape[d - lead] === 1 ? 0 : own[d - lead]));
  return { data, strides, offset };
}

export function assertClose(got: ArrayLike<number>, want: ArrayLike<number>, what: string): void {
  assert.equal(got.length, want.length, `${what}: length`);
  for (let i = 0; i < want.length; i++) {
    const g = got[i], w = want[i];
    if (Number.isNaN(w)) {
      assert.ok(Number.isNaN(g), `${what}[${i}]: expected NaN, got ${g}`);
    } else if (!Number.isFinite(w)) {
      assert.equal(g, w, `${what}[${i}]: expected ${w}, got ${g}`);
    } else {
      assert.ok(Math.abs(g - w) <= 1e-6 + 1e-5 * Math.abs(w), `${what}[${i}]: expected ${w}, got ${g} (|diff| ${Math.abs(g - w)})`);
    }
  }
}

export function assertExact(got: ArrayLike<number>, want: ArrayLike<number>, what: string): void {
  assert.equal(got.length, want.length, `${what}: length`);
  for (let i = 0; i < want.length; i++) {
    assert.ok(Object.is(got[i], want[i]) || got[i] === want[i], `${what}[${i}]: expected ${want[i]}, got ${got[i]}`);
  }
}

// ------------------------------------------------------- reference values

export const refUnary: Partial<Record<UnaryOp, (x: number) => number>> = {
  neg: (x) => -x,
  exp: Math.exp,
  log: Math.log,
  sqrt: Math.sqrt,
  rsqrt: (x) => 1 / Math.sqrt(x),
  abs: Math.abs,
  recip: (x) => 1 / x,
  not: (x) => (x === 0 ? 1 : 0),
  floor: Math.floor,
  ceil: Math.ceil,
  trunc: Math.trunc,
  sigmoid: (x) => 1 / (1 + Math.exp(-x)),
  identity: (x) => x,
  tanh: Math.tanh,
  sin: Math.sin,
  // torch.round: half to even
  round: (x) => {
    const f = Math.floor(x);
    const d = x - f;
    return d > 0.5 ? f + 1 : d < 0.5 ? f : f % 2 === 0 ? f : f + 1;
  },
  sign: (x) => (x > 0 ? 1 : x < 0 ? -1 : 0), // ATen's (0 < x) - (x < 0): NaN is 0
  isnan: (x) => (x !== x ? 1 : 0),
};

export const EXACT_BINARY = new Set<BinaryOp>(['lt', 'le', 'gt', 'ge', 'eq', 'ne', 'and', 'or', 'xor']);

export const refBinary: Partial<Record<BinaryOp, (a: number, b: number) => number>> = {
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
  div: (a, b) => a / b,
  maximum: (a, b) => (a !== a || b !== b ? NaN : a > b ? a : b),
  minimum: (a, b) => (a !== a || b !== b ? NaN : a < b ? a : b),
  lt: (a, b) => +(a < b),
  le: (a, b) => +(a <= b),
  gt: (a, b) => +(a > b),
  ge: (a, b) => +(a >= b),
  eq: (a, b) => +(a === b),
  ne: (a, b) => +(a !== b),
  and: (a, b) => +(a !== 0 && b !== 0),
  or: (a, b) => +(a !== 0 || b !== 0),
  xor: (a, b) => +((a !== 0) !== (b !== 0)),
  // C's pow, as PyTorch: 1 ** y and x ** 0 are 1 even for NaN, (-1) ** +-inf is 1
  pow: (a, b) => (b === 0 || a === 1 ? 1 : a === -1 && (b === Infinity || b === -Infinity) ? 1 : a ** b),
  atan2: Math.atan2,
};

export function refReduce(op: ReduceOp, vals: number[]): number {
  switch (op) {
    case 'sum': return vals.reduce((a, b) => a + b, 0);
    case 'prod': return vals.reduce((a, b) => a * b, 1);
    case 'any': return vals.some((v) => v !== 0) ? 1 : 0;
    case 'all': return vals.every((v) => v !== 0) ? 1 : 0;
    default: {
      const nan = vals.findIndex((v) => v !== v);
      const isMax = op === 'max' || op === 'argmax';
      let at = 0;
      if (nan >= 0) at = nan;
      else vals.forEach((v, i) => { if (isMax ? v > vals[at] : v < vals[at]) at = i; });
      return op === 'argmax' || op === 'argmin' ? at : vals[at];
    }
  }
}

/** softmax over the last axis in double precision, torch semantics (NaN row when max is NaN/+inf or every value is -inf). */
export function refSoftmaxRow(row: number[], log: boolean): number[] {
  const max = row.some((v) => v !== v) ? NaN : Math.max(...row);
  const shifted = row.map((v) => v - max);
  const sum = shifted.reduce((a, v) => a + Math.exp(v), 0);
  return shifted.map((v) => (log ? v - Math.log(sum) : Math.exp(v) / sum));
}

// ----------------------------------------------------------------- cases

export type Case = { name: string; gpu: boolean; run: (b: Backend) => void };
export const cases: Case[] = [];

// Special values for unary ops; each op sees them plus random values.
export const SPECIALS = [0, -0, 1, -1, 0.5, -0.5, 1.5, 2.5, -2.5, Infinity, -Infinity, NaN, 1e-30, 80, -80, 3.4e38];

for (const op of Object.keys(refUnary) as UnaryOp[]) {
  const f = refUnary[op]!;
  const exact = op === 'not' || op === 'isnan';
  // A transposed [5,7] view of a [7,5] storage with specials up front.
  const shape = [5, 7];
  const data = randomF32(35, 11);
  data.set(SPECIALS.map(Math.fround));
  const x: Operand = { data, strides: [1, 5], offset: 0 };
  cases.push({
    name: `unary ${op} (transposed view, specials)`,
    gpu: GPU_UNARY[op] !== undefined,
    run(b) {
      const out = new Float32Array(35);
      b.unary(op, x, shape, out, false);
      const want = Float32Array.from([...indices(shape)].map((i) => f(read(x, i))));
      (exact ? assertExact : assertClose)(out, want, op);
    },
  });
}

for (const op of Object.keys(refBinary) as BinaryOp[]) {
  const f = refBinary[op]!;
  // [4,1,6] op [5,1] -> [4,5,6], values on a coarse grid so equalities happen.
  const out = [4, 5, 6];
  const ad = randomF32(24, 21).map((v) => Math.round(v * 2) / 2);
  const bd = randomF32(5, 22).map((v) => Math.round(v * 2) / 2);
  ad.set([NaN, Infinity, -Infinity, 0]);
  bd.set([0, NaN]);
  if (op === 'pow') ad.set([2, -2, 0.5, 3]);
  const a = operand(ad, [4, 1, 6], out);
  const b2 = operand(bd, [5, 1], out);
  cases.push({
    name: `binary ${op} (broadcast [4,1,6] x [5,1], NaN/inf)`,
    gpu: GPU_BINARY[op] !== undefined,
    run(b) {
      const got = EXACT_BINARY.has(op) ? new Uint8Array(120) : new Float32Array(120);
      b.binary(op, a, b2, out, got, false);
      const want = [...indices(out)].map((i) => f(read(a, i), read(b2, i)));
      if (EXACT_BINARY.has(op)) assertExact(got, want, op);
      else assertClose(got, Float32Array.from(want), op);
    },
  });
}

{
  // masked_fill as where: cond [1,6] broadcast, fill a -inf scalar, x [4,5,6] with an offset.
  const shape = [4, 5, 6];
  const condData = Uint8Array.from([1, 0, 0, 1, 1, 0]);
  const cond = operand(condData, [1, 6], shape);
  const fill: Operand = { data: Float32Array.of(-Infinity), strides: [0, 0, 0], offset: 0 };
  const xd = randomF32(3 + 120, 31);
  xd[3 + 7] = NaN;
  const x = operand(xd, shape, shape, 3);
  cases.push({
    name: 'where (bool mask [1,6] broadcast, -inf fill scalar, offset operand)',
    gpu: true,
    run(b) {
      const got = new Float32Array(120);
      b.where(cond, fill, x, shape, got);
      const want = [...indices(shape)].map((i) => (read(cond, i) ? -Infinity : read(x, i)));
      assertExact(got, want, 'where');
    },
  });
}

export const REDUCE_OPS: ReduceOp[] = ['sum', 'prod', 'max', 'min', 'argmax', 'argmin', 'any', 'all'];
{
  const shape = [3, 4, 5];
  const data = randomF32(60, 41);
  data[7] = NaN; // in row [0, 1, :] and column [0, :, 2]
  for (let i = 20; i < 40; i += 3) data[i] = 0; // zeros for any/all
  for (let axis = 0; axis < 3; axis++) {
    const outer = numel(shape.slice(0, axis));
    const size = shape[axis];
    const inner = numel(shape.slice(axis + 1));
    for (const op of REDUCE_OPS) {
      cases.push({
        name: `reduce ${op} axis ${axis} of [3,4,5] (NaN, zeros)`,
        gpu: op !== 'prod',
        run(b) {
          const got = new Float32Array(outer * inner);
          b.reduce(op, data, outer, size, inner, got);
          const want: number[] = [];
          for (let o = 0; o < outer; o++) {
            for (let j = 0; j < inner; j++) {
              const vals = Array.from({ length: size }, (_, i) => data[o * size * inner + i * inner + j]);
              want.push(refReduce(op, vals));
            }
          }
          if (op === 'sum' || op === 'prod') assertClose(got, Float32Array.from(want), op);
          else assertExact(got, want, op);
        },
      });
    }
  }
  // A long sum: compensated float32 accumulation must stay within tolerance of the double sum.
  const long = randomF32(3 * 4096, 42, 2);
  cases.push({
    name: 'reduce sum over 4096 elements',
    gpu: true,
    run(b) {
      const got = new Float32Array(3);
      b.reduce('sum', long, 3, 4096, 1, got);
      const want = [0, 1, 2].map((o) => long.subarray(o * 4096, (o + 1) * 4096).reduce((a, v) => a + v, 0));
      assertClose(got, Float32Array.from(want), 'sum');
    },
  });
}

for (const [batch, m, k, n] of [[1, 1, 1, 1], [2, 3, 4, 5], [3, 17, 33, 9], [1, 64, 64, 64], [4, 8, 64, 8]]) {
  const a = randomF32(batch * m * k, 51 + m, 2);
  const bm = randomF32(batch * k * n, 52 + n, 2);
  cases.push({
    name: `matmul [${batch},${m},${k}] @ [${batch},${k},${n}]`,
    gpu: true,
    run(b) {
      const got = new Float32Array(batch * m * n);
      b.matmul(a, bm, batch, m, k, n, got);
      const want = new Float32Array(batch * m * n);
      for (let p = 0; p < batch; p++)
        for (let i = 0; i < m; i++)
          for (let j = 0; j < n; j++) {
            let s = 0;
            for (let q = 0; q < k; q++) s += a[p * m * k + i * k + q] * bm[p * k * n + q * n + j];
            want[p * m * n + i * n + j] = s;
          }
      // Accumulation order differs from the double reference; scale the tolerance by k.
      for (let i = 0; i < want.length; i++) {
        assert.ok(Math.abs(got[i] - want[i]) <= 1e-6 * k + 1e-5 * Math.abs(want[i]), `matmul[${i}]: ${got[i]} vs ${want[i]}`);
      }
    },
  });
}

/** Rows for softmax: random, with -inf entries, all -inf, a NaN, a +inf, and large values. */
export function softmaxInput(rows: number, cols: number, seed: number): Float32Array {
  const x = randomF32(rows * cols, seed, 8);
  x[1] = -Infinity;
  x[cols + 2] = -Infinity;
  x.fill(-Infinity, 2 * cols, 3 * cols);
  x[3 * cols + 1] = NaN;
  x[4 * cols + 3] = Infinity;
  for (let c = 0; c < cols; c++) x[5 * cols + c] = 80 + c; // exp overflows without the max shift
  return x;
}

for (const log of [false, true]) {
  for (const [rows, cols] of [[7, 5], [6, 33], [9, 128]]) {
    const x = softmaxInput(rows, cols, 61 + cols);
    cases.push({
      name: `${log ? 'log_' : ''}softmax [${rows},${cols}] (-inf, all -inf row, NaN, +inf, large)`,
      gpu: true,
      run(b) {
        assert.ok(b.softmax, `${b.name} has no softmax`);
        const got = new Float32Array(rows * cols);
        b.softmax(x, rows, cols, got, log);
        const want: number[] = [];
        for (let r = 0; r < rows; r++) want.push(...refSoftmaxRow(Array.from(x.subarray(r * cols, (r + 1) * cols)), log));
        assertClose(got, Float32Array.from(want), 'softmax');
      },
    });
  }
}

/**
 * softmax(x.masked_fill(mask, fill), -1) through the backend: its fused
 * kernel when it has one, else where + softmax as the ops layer composes it.
 */
export function maskedSoftmaxVia(b: Backend, x: Float32Array, shape: number[], mask: Operand, fill: number): Float32Array {
  const cols = shape[shape.length - 1];
  const rows = numel(shape) / cols;
  const out = new Float32Array(numel(shape));
  const fused = b as Backend & { maskedSoftmax?: (x: Float32Array, m: Operand, r: number, c: number, f: number, o: Float32Array, s?: readonly number[]) => void };
  if (fused.maskedSoftmax) {
    fused.maskedSoftmax(x, mask, rows, cols, fill, out, shape);
    return out;
  }
  const filled = new Float32Array(numel(shape));
  b.where(mask, { data: Float32Array.of(fill), strides: shape.map(() => 0), offset: 0 }, operand(x, shape, shape), shape, filled);
  b.softmax!(filled, rows, cols, out, false);
  return out;
}

export function refMaskedSoftmax(x: Float32Array, shape: number[], mask: Operand, fill: number): Float32Array {
  const cols = shape[shape.length - 1];
  const filled = [...indices(shape)].map((i, k) => (read(mask, i) ? fill : x[k]));
  const out: number[] = [];
  for (let r = 0; r < filled.length / cols; r++) out.push(...refSoftmaxRow(filled.slice(r * cols, (r + 1) * cols), false));
  return Float32Array.from(out);
}

{
  // Causal mask [T,T] (true above the diagonal) broadcast over [B,H,T,T].
  const [B, H, T] = [2, 3, 16];
  const shape = [B, H, T, T];
  const causal = new Uint8Array(T * T);
  for (let i = 0; i < T; i++) for (let j = i + 1; j < T; j++) causal[i * T + j] = 1;
  const x = randomF32(numel(shape), 71, 6);
  const mask = operand(causal, [T, T], shape);
  for (const fill of [-Infinity, -1e9, 0.25]) {
    cases.push({
      name: `masked softmax, causal [T,T] over [B,H,T,T], fill ${fill}`,
      gpu: true,
      run(b) {
        assertClose(maskedSoftmaxVia(b, x, shape, mask, fill), refMaskedSoftmax(x, shape, mask, fill), 'masked softmax');
      },
    });
  }
  // Padding mask [B,1,1,T] combined with causal, with fully masked rows (query 0 of batch 1 sees only padding).
  const pad = new Uint8Array(B * T);
  pad.fill(1, 0 + 12, T); // batch 0: last 4 keys padded
  pad.fill(1, T, 2 * T); // batch 1: every key padded -> every row fully masked -> NaN
  const combined = new Uint8Array(B * T * T);
  for (let bb = 0; bb < B; bb++)
    for (let i = 0; i < T; i++) for (let j = 0; j < T; j++) combined[bb * T * T + i * T + j] = pad[bb * T + j] | causal[i * T + j];
  const cmask = operand(combined, [B, 1, T, T], shape);
  cases.push({
    name: 'masked softmax, padding|causal [B,1,T,T], fully masked rows -> NaN',
    gpu: true,
    run(b) {
      const got = maskedSoftmaxVia(b, x, shape, cmask, -Infinity);
      const want = refMaskedSoftmax(x, shape, cmask, -Infinity);
      assert.ok(Number.isNaN(want[H * T * T]), 'reference: fully masked row is NaN');
      assertClose(got, want, 'masked softmax');
    },
  });
  // Hugging Face fills with the dtype's minimum: a fully masked row is then uniform (1/T), not NaN,
  // and a kernel that folds max and log(sum) into one log-sum-exp loses log(T) against -1e9.
  cases.push({
    name: 'masked softmax, padding|causal [B,1,T,T], fully masked rows under a -1e9 fill -> 1/T',
    gpu: true,
    run(b) {
      const got = maskedSoftmaxVia(b, x, shape, cmask, -1e9);
      const want = refMaskedSoftmax(x, shape, cmask, -1e9);
      assert.equal(want[H * T * T], Math.fround(1 / T), 'reference: fully masked row is uniform');
      assertClose(got, want, 'masked softmax');
    },
  });
  // A NaN fill poisons every row it touches; a +inf input poisons its row.
  const xi = x.slice();
  xi[5] = Infinity;
  cases.push({
    name: 'masked softmax, NaN fill and +inf input',
    gpu: true,
    run(b) {
      assertClose(maskedSoftmaxVia(b, xi, shape, mask, NaN), refMaskedSoftmax(xi, shape, mask, NaN), 'masked softmax');
      assertClose(maskedSoftmaxVia(b, xi, shape, cmask, -Infinity), refMaskedSoftmax(xi, shape, cmask, -Infinity), 'masked softmax');
    },
  });
}

/**
 * Runs case `c` on a gpu.js backend as both runners do: the case's own
 * checks, then that the backend did not fall back to the CPU reference,
 * and that a case the kernels cover dispatched kernels (one they do not
 * cover, none).
 */
export function runOnGpu(gpu: GpuBackend, c: Case): void {
  const before = gpu.dispatches;
  c.run(gpu);
  assert.equal(gpu.failure, null, `gpu backend fell back: ${gpu.failure}`);
  if (c.gpu) assert.ok(gpu.dispatches > before, `${c.name}: no kernel ran`);
  else assert.equal(gpu.dispatches, before, `${c.name}: expected the CPU reference path`);
}
