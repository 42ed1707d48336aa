// The CPU reference backend: plain loops over strided operands. Values are
// computed in doubles and rounded by the output typed array (Float32Array
// rounds to float32, Int32Array wraps), which gives the same result as
// PyTorch's float32 arithmetic for + - * / and sqrt.

import { checkDeadline } from '../context';
import { fma64, roundHalfEven } from '../random/float_math';
import type { TypedData } from '../tensor';
import type { Backend, BinaryOp, Operand, ReduceOp, UnaryOp } from './backend';
import { matmul32 } from './float32_matmul';
import { innerSum32, innerSum64, outerSum32, outerSum64, softmaxRow32 } from './float32_order';

function pyFloorMod(a: number, b: number): number {
  const r = a % b;
  return r !== 0 && (r < 0) !== (b < 0) ? r + b : r;
}

/** C's pow: 1 ** y and x ** 0 are 1 even for NaN and infinite y, and (-1) ** +-inf is 1 (JS gives NaN). */
function cPow(a: number, b: number): number {
  if (b === 0 || a === 1) return 1;
  if (a === -1 && !Number.isFinite(b) && !Number.isNaN(b)) return 1;
  return a ** b;
}

/**
 * Integer power by squaring in two's complement, as ATen's powi wraps:
 * exact modulo 2^64. Beyond 2^53 only the low 32 bits are kept exactly, which
 * every integer dtype up to int32 needs (int64 results beyond 2^53 are redone
 * exactly by ops/core.ts binary()).
 */
function powInt(a: number, b: number): number {
  const r = a ** b;
  if (Number.isSafeInteger(r)) return r;
  let base = BigInt.asIntN(64, BigInt(a));
  let e = BigInt(b);
  let acc = 1n;
  while (e > 0n) {
    if (e & 1n) acc = BigInt.asIntN(64, acc * base);
    base = BigInt.asIntN(64, base * base);
    e >>= 1n;
  }
  return int64AsDouble(acc);
}

/**
 * A 64-bit integer result as a double for a dtype up to int32: exact when the
 * double holds it, otherwise its low 32 bits exactly (all such a dtype keeps).
 */
function int64AsDouble(v: bigint): number {
  const x = Number(v);
  return BigInt(x) === v ? x : Number(BigInt.asIntN(32, v));
}

/** `r` (a double result of integers a, b) where it is exact; else op in BigInt, wrapped to int64. */
function exactInt(r: number, a: number, b: number, op: (x: bigint, y: bigint) => bigint): number {
  if (Number.isSafeInteger(r) || !Number.isFinite(r)) return r;
  return int64AsDouble(BigInt.asIntN(64, op(BigInt(a), BigInt(b))));
}

function unaryFn(op: UnaryOp, integer: boolean): (x: number) => number {
  switch (op) {
    case 'neg': return (x) => -x;
    case 'exp': return Math.exp;
    case 'log': return Math.log;
    case 'sqrt': return Math.sqrt;
    case 'rsqrt': return (x) => 1 / Math.sqrt(x);
    case 'abs': return Math.abs;
    case 'recip': return (x) => 1 / x;
    case 'not': return (x) => (x === 0 ? 1 : 0);
    case 'floor': return Math.floor;
    case 'ceil': return Math.ceil;
    case 'round': return roundHalfEven;
    case 'trunc': return Math.trunc;
    case 'sin': return Math.sin;
    case 'cos': return Math.cos;
    case 'sinh': return Math.sinh;
    case 'cosh': return Math.cosh;
    case 'tanh': return Math.tanh;
    case 'sigmoid': return (x) => 1 / (1 + Math.exp(-x));
    case 'log1p': return Math.log1p;
    case 'expm1': return Math.expm1;
    // ATen's sign is (0 < x) - (x < 0): NaN gives 0 (sweep seed 20261201)
    case 'sign': return (x) => (x > 0 ? 1 : x < 0 ? -1 : 0);
    case 'isnan': return (x) => (Number.isNaN(x) ? 1 : 0);
    case 'isinf': return (x) => (x === Infinity || x === -Infinity ? 1 : 0);
    case 'isfinite': return (x) => (Number.isFinite(x) ? 1 : 0);
    case 'identity': return (x) => x;
    case 'bitnot': return (x) => -x - 1;
  }
}

function binaryFn(op: BinaryOp, integer: boolean, int64: boolean, f32: boolean): (a: number, b: number) => number {
  // int64 (a Float64Array result): plain double arithmetic, exact while results stay below
  // 2^53; ops/core.ts binary() redoes any result beyond that in BigInt (int64 exactness, #17)
  if (int64 && (op === 'add' || op === 'sub' || op === 'mul')) return op === 'add' ? (a, b) => a + b : op === 'sub' ? (a, b) => a - b : (a, b) => a * b;
  if (int64 && op === 'pow') return (a, b) => (b < 0 ? (a === 1 ? 1 : a === -1 ? (b % 2 ? -1 : 1) : 0) : a ** b);
  switch (op) {
    // integer results past 2^53 are redone in BigInt and wrapped at 2^64, so
    // every dtype narrower than int64 keeps exact low bits (int64AsDouble);
    // int64 itself takes the plain double ops above and core.ts's exact redo
    case 'add': return integer ? (a, b) => exactInt(a + b, a, b, (x, y) => x + y) : (a, b) => a + b;
    case 'sub': return integer ? (a, b) => exactInt(a - b, a, b, (x, y) => x - y) : (a, b) => a - b;
    case 'mul': return integer ? (a, b) => exactInt(a * b, a, b, (x, y) => x * y) : (a, b) => a * b;
    case 'div': return (a, b) => a / b;
    case 'floordiv':
      return integer
        ? (a, b) => {
            if (b === 0) throw new RangeError('ZeroDivisionError');
            return Math.floor(a / b);
          }
        : (a, b) => {
            // ATen's div_floor_floating (c10/util/generic_math.h): fmod, not Python's mod, so
            // 1.0 // -inf is -1 and a zero quotient keeps the sign of a / b; a float32 result
            // rounds each step to float32, as the kernel computes in float (fmod is exact)
            const r = f32 ? Math.fround : (x: number) => x;
            if (b === 0) return a / b;
            const mod = a % b;
            let div = r(r(a - mod) / b);
            if (mod !== 0 && (b < 0) !== (mod < 0)) div = r(div - 1);
            if (div === 0) return Math.sign(a / b) < 0 || Object.is(a / b, -0) ? -0 : 0;
            const fl = Math.floor(div);
            return div - fl > 0.5 ? fl + 1 : fl;
          };
    case 'remainder':
      return integer
        ? (a, b) => {
            if (b === 0) throw new RangeError('ZeroDivisionError');
            return pyFloorMod(a, b);
          }
        : (a, b) => (b === 0 ? NaN : pyFloorMod(a, b));
    case 'fmod': return (a, b) => a % b;
    case 'pow':
      return integer ? (a, b) => (b < 0 ? (a === 1 ? 1 : a === -1 ? (b % 2 ? -1 : 1) : 0) : powInt(a, b)) : cPow;
    // std::max / std::min after the NaN check: on ties (0 vs -0) the first operand wins
    case 'maximum': return (a, b) => (Number.isNaN(a) || Number.isNaN(b) ? NaN : a < b ? b : a);
    case 'minimum': return (a, b) => (Number.isNaN(a) || Number.isNaN(b) ? NaN : b < a ? b : a);
    case 'lt': return (a, b) => (a < b ? 1 : 0);
    case 'le': return (a, b) => (a <= b ? 1 : 0);
    case 'gt': return (a, b) => (a > b ? 1 : 0);
    case 'ge': return (a, b) => (a >= b ? 1 : 0);
    case 'eq': return (a, b) => (a === b ? 1 : 0);
    case 'ne': return (a, b) => (a !== b ? 1 : 0);
    case 'and': return (a, b) => (a !== 0 && b !== 0 ? 1 : 0);
    case 'or': return (a, b) => (a !== 0 || b !== 0 ? 1 : 0);
    case 'xor': return (a, b) => ((a !== 0) !== (b !== 0) ? 1 : 0);
    case 'bitand': return (a, b) => Number(BigInt(a) & BigInt(b));
    case 'bitor': return (a, b) => Number(BigInt(a) | BigInt(b));
    case 'bitxor': return (a, b) => Number(BigInt(a) ^ BigInt(b));
    case 'lshift': return (a, b) => a * 2 ** b;
    case 'rshift': return (a, b) => Math.floor(a / 2 ** b);
    case 'atan2': return Math.atan2;
  }
}

/**
 * Walk `shape` row by row (rows are the innermost dimension): `row(out, offsets, steps, n)`
 * gets the output index of the row start, each operand's storage offset there,
 * each operand's innermost stride, and the row length, so kernels run a tight inner loop.
 */
/**
 * Elements an elementwise kernel computes between two checks of the time
 * budget: a unary op over millions of elements (the Annotated Transformer's
 * sin over its [5000, 256] positions takes 50-300 ms) must stop near the
 * deadline on its own, within the host's grace, or the host replaces the
 * worker and every value computed before is lost. Every caller writes a
 * fresh result, so an op stopped half-way leaves no tensor half-written.
 */
const DEADLINE_CHUNK = 1 << 16;

function stridedRows(
  shape: readonly number[],
  operands: readonly Operand[],
  row: (out: number, offsets: number[], steps: number[], n: number) => void,
): void {
  const nd = shape.length;
  const k = operands.length;
  let total = 1;
  for (const s of shape) total *= s;
  if (total === 0) return;
  const cur = operands.map((o) => o.offset);
  if (nd === 0) {
    row(0, cur, operands.map(() => 0), 1);
    return;
  }
  const inner = shape[nd - 1];
  const steps = operands.map((o) => o.strides[nd - 1]);
  const idx = new Array<number>(nd).fill(0);
  let since = 0;
  for (let out = 0; ; out += inner) {
    row(out, cur.slice(), steps, inner);
    since += inner;
    if (since >= DEADLINE_CHUNK && out + inner < total) {
      since = 0;
      checkDeadline();
    }
    let d = nd - 2;
    for (; d >= 0; d--) {
      idx[d]++;
      for (let q = 0; q < k; q++) cur[q] += operands[q].strides[d];
      if (idx[d] < shape[d]) break;
      for (let q = 0; q < k; q++) cur[q] -= operands[q].strides[d] * shape[d];
      idx[d] = 0;
    }
    if (d < 0) return;
  }
}

function isDense(o: Operand, shape: readonly number[]): boolean {
  let expected = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    if (shape[i] !== 1 && o.strides[i] !== expected) return false;
    expected *= shape[i];
  }
  return true;
}

function isScalar(o: Operand): boolean {
  for (const s of o.strides) if (s !== 0) return false;
  return true;
}

/**
 * Floating + - * / of dense operands, or a dense operand and a broadcast
 * scalar (x * 0.125, x / math.sqrt(d)): one loop per op without a call per
 * element. The expressions are binaryFn's, so the values are the same.
 * Returns false (nothing written) for any other case.
 */
function arithmetic(op: BinaryOp, a: Operand, b: Operand, shape: readonly number[], out: TypedData): boolean {
  if (op !== 'add' && op !== 'sub' && op !== 'mul' && op !== 'div') return false;
  const ad = a.data, bd = b.data, n = out.length;
  const aDense = isDense(a, shape), bDense = isDense(b, shape);
  let ao = a.offset, bo = b.offset;
  if (aDense && bDense) {
    switch (op) {
      case 'add': for (let i = 0; i < n; i++) out[i] = ad[ao++] + bd[bo++]; break;
      case 'sub': for (let i = 0; i < n; i++) out[i] = ad[ao++] - bd[bo++]; break;
      case 'mul': for (let i = 0; i < n; i++) out[i] = ad[ao++] * bd[bo++]; break;
      case 'div': for (let i = 0; i < n; i++) out[i] = ad[ao++] / bd[bo++]; break;
    }
    return true;
  }
  if (aDense && isScalar(b)) {
    const y = bd[bo];
    switch (op) {
      case 'add': for (let i = 0; i < n; i++) out[i] = ad[ao++] + y; break;
      case 'sub': for (let i = 0; i < n; i++) out[i] = ad[ao++] - y; break;
      case 'mul': for (let i = 0; i < n; i++) out[i] = ad[ao++] * y; break;
      case 'div': for (let i = 0; i < n; i++) out[i] = ad[ao++] / y; break;
    }
    return true;
  }
  if (bDense && isScalar(a)) {
    const x = ad[ao];
    switch (op) {
      case 'add': for (let i = 0; i < n; i++) out[i] = x + bd[bo++]; break;
      case 'sub': for (let i = 0; i < n; i++) out[i] = x - bd[bo++]; break;
      case 'mul': for (let i = 0; i < n; i++) out[i] = x * bd[bo++]; break;
      case 'div': for (let i = 0; i < n; i++) out[i] = x / bd[bo++]; break;
    }
    return true;
  }
  return false;
}

export const cpuBackend: Backend = {
  name: 'cpu',
  accepts: () => true,

  unary(op, x, shape, out, integer) {
    const f = unaryFn(op, integer);
    const xd = x.data;
    if (isDense(x, shape)) {
      const o = x.offset, n = out.length;
      for (let s = 0; s < n; s += DEADLINE_CHUNK) {
        if (s > 0) checkDeadline();
        const e = Math.min(n, s + DEADLINE_CHUNK);
        for (let i = s; i < e; i++) out[i] = f(xd[o + i]);
      }
      return;
    }
    stridedRows(shape, [x], (o, [p], [sp], n) => {
      for (let j = 0; j < n; j++, p += sp) out[o + j] = f(xd[p]);
    });
  },

  binary(op, a, b, shape, out, integer) {
    if (!integer && arithmetic(op, a, b, shape, out)) return;
    const f = binaryFn(op, integer, integer && out instanceof Float64Array, out instanceof Float32Array);
    const ad = a.data, bd = b.data;
    if (isDense(a, shape) && isDense(b, shape)) {
      const ao = a.offset, bo = b.offset, n = out.length;
      for (let s = 0; s < n; s += DEADLINE_CHUNK) {
        if (s > 0) checkDeadline();
        const e = Math.min(n, s + DEADLINE_CHUNK);
        for (let i = s; i < e; i++) out[i] = f(ad[ao + i], bd[bo + i]);
      }
      return;
    }
    stridedRows(shape, [a, b], (o, [pa, pb], [sa, sb], n) => {
      for (let j = 0; j < n; j++, pa += sa, pb += sb) out[o + j] = f(ad[pa], bd[pb]);
    });
  },

  where(cond, a, b, shape, out) {
    const cd = cond.data, ad = a.data, bd = b.data;
    stridedRows(shape, [cond, a, b], (o, [pc, pa, pb], [sc, sa, sb], n) => {
      for (let j = 0; j < n; j++, pc += sc, pa += sa, pb += sb) out[o + j] = cd[pc] !== 0 ? ad[pa] : bd[pb];
    });
  },

  reduce(op: ReduceOp, x: TypedData, outer: number, size: number, inner: number, out: TypedData) {
    const wide = x instanceof Float64Array && out instanceof Float64Array;
    if (op === 'sum' && ((x instanceof Float32Array && out instanceof Float32Array) || wide)) {
      // float32 and float64 sums round in PyTorch's accumulation order (exact for int64, also held in doubles)
      const [inSum, outSum] = wide ? [innerSum64, outerSum64] : [innerSum32, outerSum32];
      for (let o = 0; o < outer; o++) {
        for (let j = 0; j < inner; j++) {
          const base = o * size * inner + j;
          out[o * inner + j] = inner === 1 ? inSum(x, base, size) : outSum(x, base, size, inner);
        }
      }
      return;
    }
    for (let o = 0; o < outer; o++) {
      for (let j = 0; j < inner; j++) {
        const base = o * size * inner + j;
        let acc: number;
        switch (op) {
          case 'sum': acc = 0; for (let i = 0; i < size; i++) acc += x[base + i * inner]; break;
          case 'prod':
            // a float32 product rounds at each step (prod's kernel multiplies in float)
            acc = 1;
            if (out instanceof Float32Array) for (let i = 0; i < size; i++) acc = Math.fround(acc * x[base + i * inner]);
            else for (let i = 0; i < size; i++) acc *= x[base + i * inner];
            break;
          case 'any': acc = 0; for (let i = 0; i < size; i++) if (x[base + i * inner] !== 0) { acc = 1; break; } break;
          case 'all': acc = 1; for (let i = 0; i < size; i++) if (x[base + i * inner] === 0) { acc = 0; break; } break;
          case 'max': case 'min': case 'argmax': case 'argmin': {
            const isMax = op === 'max' || op === 'argmax';
            let best = x[base], at = 0;
            for (let i = 1; i < size && !Number.isNaN(best); i++) {
              const v = x[base + i * inner];
              // values: an equal later element wins (min_impl returns b on ties, so 0, -0 gives -0);
              // indices: the first occurrence
              const take = isMax ? (op === 'max' ? v >= best : v > best) : (op === 'min' ? v <= best : v < best);
              if (Number.isNaN(v) || take) { best = v; at = i; }
            }
            acc = op === 'max' || op === 'min' ? best : at;
            break;
          }
        }
        out[o * inner + j] = acc;
      }
    }
  },

  matmul(a, bm, batch, m, k, n, out, order = 'naive') {
    // float32 in the order PyTorch's CPU kernel for this call sums in (float32_matmul.ts):
    // rounding differs once a sum cancels
    if (out instanceof Float32Array) return matmul32(a, bm, batch, m, k, n, out, order, checkDeadline);
    const row = new Float64Array(n);
    for (let p = 0; p < batch; p++) {
      const ao = p * m * k, bo = p * k * n, oo = p * m * n;
      for (let i = 0; i < m; i++) {
        // a [b, m, k] @ [b, k, n] product can run for seconds: check the time budget per output row
        if (k * n > 1 << 16) checkDeadline();
        row.fill(0);
        for (let q = 0; q < k; q++) {
          const av = a[ao + i * k + q];
          const bb = bo + q * n;
          for (let j = 0; j < n; j++) row[j] += av * bm[bb + j];
        }
        for (let j = 0; j < n; j++) out[oo + i * n + j] = Number.isNaN(row[j]) && order === 'gemm' ? fusedSum64(a, bm, ao + i * k, bo + j, k, n) : row[j];
      }
    }
  },

  softmax(x, rows, cols, out, log) {
    if (out instanceof Float32Array) {
      for (let r = 0; r < rows; r++) softmaxRow32(x, r * cols, cols, out, log);
      return;
    }
    for (let r = 0; r < rows; r++) {
      const o = r * cols;
      let max = -Infinity;
      for (let c = 0; c < cols; c++) if (x[o + c] > max || Number.isNaN(x[o + c])) max = x[o + c];
      let sum = 0;
      for (let c = 0; c < cols; c++) sum += Math.exp(x[o + c] - max);
      if (log) {
        const lse = Math.log(sum);
        for (let c = 0; c < cols; c++) out[o + c] = x[o + c] - max - lse;
      } else {
        for (let c = 0; c < cols; c++) out[o + c] = Math.exp(x[o + c] - max) / sum;
      }
    }
  },
};

/**
 * One float64 output of a product PyTorch hands to MKL's dgemm (order
 * 'gemm') where the rounded-product sum gave NaN, summed again as dgemm does:
 * a fused multiply-add per step into one accumulator (fma64). A product of
 * finite operands that overflows then leaves an accumulator that is already
 * ±inf unchanged, where the rounded product made inf + -inf = NaN (sweep seed
 * 20261216: [1, 10, 300.7, -0.3] @ [2.5, inf, -1.8e308, 1] is inf in torch
 * 2.13). Only NaN outputs are redone: the last-bit differences of fused
 * float64 sums elsewhere are not modelled. (ddot and dgemv split the sum over
 * several accumulators, and torch 2.13 gives NaN there too.)
 *
 * @param a row-major left operand, its row starting at `ao` (k elements)
 * @param b row-major right operand, its column starting at `bo` (stride n)
 */
function fusedSum64(a: TypedData, b: TypedData, ao: number, bo: number, k: number, n: number): number {
  let acc = 0;
  for (let q = 0; q < k; q++) acc = fma64(a[ao + q], b[bo + q * n], acc);
  return acc;
}
