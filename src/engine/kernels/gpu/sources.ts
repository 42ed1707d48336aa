// Kernel sources for gpu.js, generated per shape signature.
//
// Shapes, strides and sizes are baked into the source as literals, so one
// compiled kernel serves every dispatch with the same signature. The
// sources avoid what the GL backends cannot express: no Infinity/NaN
// literals (GLSL has none; gpu.js turns `Infinity` into FLT_MAX), and index
// arithmetic that stays exact in float32 (see plan.ts).

import type { BinaryOp, UnaryOp } from '../backend';
import type { Window } from './plan';

/** Largest finite float32, the stand-in for infinity inside kernels. */
export const FLT_MAX_LITERAL = '3.4028234663852886e38';

/** A number as a kernel float literal (always with a decimal point or exponent). */
export function lit(v: number): string {
  if (!Number.isFinite(v)) throw new Error(`non-finite literal ${v} cannot be baked into a kernel`);
  const s = String(v);
  return /[.eE]/.test(s) ? s : `${s}.0`;
}

/**
 * Statements that split the flat thread index `t` over `shape` into
 * `i0 .. i{n-1}`. Division is float division, then corrected by one
 * step either way: GL division is not correctly rounded, but the
 * dividend is below 2^24 so the quotient is off by at most one.
 */
export function decompose(shape: readonly number[], t: string): { code: string; idx: string[] } {
  const n = shape.length;
  if (n === 1) return { code: `let i0 = ${t};\n`, idx: ['i0'] };
  let code = `let r${n - 1} = ${t};\n`;
  for (let k = n - 1; k >= 1; k--) {
    const s = lit(shape[k]);
    const r = `r${k}`, q = `r${k - 1}`, i = `i${k}`;
    code +=
      `let ${q} = Math.floor((${r} + 0.5) / ${s});\n` +
      `let ${i} = ${r} - ${q} * ${s};\n` +
      `if (${i} < 0.0) { ${q} = ${q} - 1.0; ${i} = ${i} + ${s}; }\n` +
      `if (${i} >= ${s}) { ${q} = ${q} + 1.0; ${i} = ${i} - ${s}; }\n`;
  }
  code += `let i0 = r0;\n`;
  return { code, idx: shape.map((_, k) => `i${k}`) };
}

/** The offset expression of a window for the decomposed index. */
export function offsetExpr(w: Window, idx: readonly string[]): string {
  const terms: string[] = [];
  if (w.base !== 0) terms.push(lit(w.base));
  w.strides.forEach((s, k) => {
    if (s === 0) return;
    terms.push(s === 1 ? idx[k] : `${idx[k]} * ${lit(s)}`);
  });
  return terms.length ? terms.join(' + ') : '0.0';
}

/** NaN test that survives GL compilers which fold `v != v`: NaN fails every ordered comparison. */
const isNan = (v: string) => `!(${v} <= 0.0 || ${v} > 0.0)`;

/** Unary ops with a kernel body; the rest run on the CPU reference. */
export const GPU_UNARY: Partial<Record<UnaryOp, (x: string) => string>> = {
  neg: (x) => `return -${x};`,
  // GLSL leaves exp/log of NaN, log of 0 and of negatives undefined; SwiftShader's WebGL2 gives
  // exp(NaN) = inf, log(x) = log(|x|), log(0) = -88.03 (test:browser). So the specials are spelled out:
  // NaN passes through, log(+-0) = -1/|x| = -inf, log(x < 0) = sqrt(x) = NaN (as the sqrt kernel's).
  exp: (x) => `if (${isNan(x)}) { return ${x}; }\nreturn Math.exp(${x});`,
  log: (x) =>
    `if (${isNan(x)}) { return ${x}; }\nif (${x} == 0.0) { return -1.0 / Math.abs(${x}); }\nif (${x} < 0.0) { return Math.sqrt(${x}); }\nreturn Math.log(${x});`,
  sqrt: (x) => `return Math.sqrt(${x});`,
  rsqrt: (x) => `return 1.0 / Math.sqrt(${x});`,
  abs: (x) => `return Math.abs(${x});`,
  recip: (x) => `return 1.0 / ${x};`,
  not: (x) => `if (${x} == 0.0) { return 1.0; } return 0.0;`,
  floor: (x) => `return Math.floor(${x});`,
  ceil: (x) => `return Math.ceil(${x});`,
  trunc: (x) => `if (${x} < 0.0) { return Math.ceil(${x}); } return Math.floor(${x});`,
  sigmoid: (x) => `if (${isNan(x)}) { return ${x}; }\nreturn 1.0 / (1.0 + Math.exp(-${x}));`,
  identity: (x) => `return ${x};`,
};

const cmp = (expr: string) => `if (${expr}) { return 1.0; } return 0.0;`;

/** Binary ops with a kernel body (float semantics); the rest run on the CPU reference. */
export const GPU_BINARY: Partial<Record<BinaryOp, (x: string, y: string) => string>> = {
  add: (x, y) => `return ${x} + ${y};`,
  sub: (x, y) => `return ${x} - ${y};`,
  mul: (x, y) => `return ${x} * ${y};`,
  div: (x, y) => `return ${x} / ${y};`,
  // NaN-propagating like torch.maximum: x + y is NaN when either is.
  maximum: (x, y) => `if (${isNan(x)} || ${isNan(y)}) { return ${x} + ${y}; } return Math.max(${x}, ${y});`,
  minimum: (x, y) => `if (${isNan(x)} || ${isNan(y)}) { return ${x} + ${y}; } return Math.min(${x}, ${y});`,
  lt: (x, y) => cmp(`${x} < ${y}`),
  le: (x, y) => cmp(`${x} <= ${y}`),
  gt: (x, y) => cmp(`${x} > ${y}`),
  ge: (x, y) => cmp(`${x} >= ${y}`),
  eq: (x, y) => cmp(`${x} == ${y}`),
  ne: (x, y) => cmp(`!(${x} == ${y})`),
  and: (x, y) => cmp(`${x} != 0.0 && ${y} != 0.0`),
  or: (x, y) => cmp(`${x} != 0.0 || ${y} != 0.0`),
  xor: (x, y) => cmp(`(${x} != 0.0 && ${y} == 0.0) || (${x} == 0.0 && ${y} != 0.0)`),
};

function argList(n: number): string {
  return Array.from({ length: n }, (_, j) => `a${j}`).join(', ');
}

/** out[t] = body(operand values) over a chunk of `shape`. */
export function elementwiseSource(shape: readonly number[], windows: readonly Window[], body: (vals: string[]) => string): string {
  const { code, idx } = decompose(shape, 'this.thread.x');
  let src = `function(${argList(windows.length)}) {\n${code}`;
  const vals = windows.map((w, j) => {
    src += `const v${j} = a${j}[${offsetExpr(w, idx)}];\n`;
    return `v${j}`;
  });
  return `${src}${body(vals)}\n}`;
}

export type GpuReduceOp = 'sum' | 'max' | 'min' | 'argmax' | 'argmin' | 'any' | 'all';

/**
 * Reduce `size` elements `inner` apart, starting at each chunk element's
 * window offset. `sum` is compensated (Kahan) so float32 accumulation stays
 * within a rounding of the double-accumulated reference; a non-finite plain
 * sum is returned as is, since compensation turns inf into NaN.
 */
export function reduceSource(op: GpuReduceOp, shape: readonly number[], w: Window, size: number, inner: number): string {
  const { code, idx } = decompose(shape, 'this.thread.x');
  const base = offsetExpr(w, idx);
  const read = `a0[b + i * ${lit(inner)}]`;
  const loop = (bodyCode: string, from = 0) => `for (let i = ${from}; i < ${size}; i++) {\n${bodyCode}\n}\n`;
  let src = `function(a0) {\n${code}const b = ${base};\n`;
  switch (op) {
    case 'sum':
      src +=
        `let s = 0.0;\nlet c = 0.0;\nlet p = 0.0;\n` +
        loop(`const v = ${read};\np = p + v;\nconst y = v - c;\nconst z = s + y;\nc = (z - s) - y;\ns = z;`) +
        `if (${isNan('p')} || p > ${FLT_MAX_LITERAL} || p < -${FLT_MAX_LITERAL}) { return p; }\nreturn s;`;
      break;
    case 'any':
      src += `let acc = 0.0;\n` + loop(`if (${read} != 0.0) { acc = 1.0; }`) + `return acc;`;
      break;
    case 'all':
      src += `let acc = 1.0;\n` + loop(`if (${read} == 0.0) { acc = 0.0; }`) + `return acc;`;
      break;
    default: {
      // First NaN wins (value and index), else the first extreme.
      const better = op === 'max' || op === 'argmax' ? '>' : '<';
      const result = op === 'max' || op === 'min' ? 'best' : 'at';
      src +=
        `let best = a0[b];\nlet at = 0.0;\nlet done = 0.0;\nif (${isNan('best')}) { done = 1.0; }\n` +
        loop(
          `if (done == 0.0) {\nconst v = ${read};\n` +
            `if (${isNan('v')}) { best = v; at = i; done = 1.0; } else if (v ${better} best) { best = v; at = i; }\n}`,
          1,
        ) +
        `return ${result};`;
    }
  }
  return `${src}\n}`;
}

/** out[p, i, j] = sum_q a[p, i, q] * b[p, q, j] for a chunk of output `shape`; windows give each output's a-row and b-column start. */
export function matmulSource(shape: readonly number[], wa: Window, wb: Window, k: number, n: number): string {
  const { code, idx } = decompose(shape, 'this.thread.x');
  return (
    `function(a0, a1) {\n${code}const oa = ${offsetExpr(wa, idx)};\nconst ob = ${offsetExpr(wb, idx)};\n` +
    `let acc = 0.0;\nfor (let q = 0; q < ${k}; q++) {\nacc = acc + a0[oa + q] * a1[ob + q * ${lit(n)}];\n}\nreturn acc;\n}`
  );
}

/** How a masked position's value is formed inside the softmax kernels. */
export type FillKind = 'none' | 'neginf' | 'finite' | 'poison';

/**
 * Per-row statistics for softmax over [rows, cols] (rows = output x):
 * thread y = 0 gives the row's max, y = 1 the sum of exp(v - max), y = 2 a
 * flag that is 1 when the row's softmax is all NaN in PyTorch (a NaN or
 * +inf after the fill, or no element above -inf). Flagged rows are written
 * as NaN by the host, so no kernel has to produce or compare infinities.
 * The max and the sum stay apart (as in ATen's softmax): folding them into
 * one log-sum-exp loses log(cols) against a large fill such as -1e9, and a
 * fully masked row then reads 1 in every column instead of 1/cols.
 * Arguments: x window, then (masked) the mask window and each row's mask
 * offset.
 */
export function softmaxStatsSource(cols: number, fill: FillKind, fillValue: number, maskColStride: number): string {
  const masked = fill !== 'none';
  const args = masked ? 'x, m, mo' : 'x';
  // Sets `v` and `skip` for column c.
  let value = `let v = x[xb + c];\nlet skip = 0.0;\n`;
  if (masked) {
    value += `const mv = m[mb + c * ${lit(maskColStride)}];\nif (mv != 0.0) {\n`;
    if (fill === 'neginf') value += `skip = 1.0;\n`;
    else if (fill === 'finite') value += `v = ${lit(fillValue)};\n`;
    else value += `poison = 1.0;\n`;
    value += `}\n`;
  }
  const loop = (body: string) => `for (let c = 0; c < ${cols}; c++) {\n${value}${body}\n}\n`;
  return (
    `function(${args}) {\nconst xb = this.thread.x * ${lit(cols)};\n` +
    (masked ? `const mb = mo[this.thread.x];\n` : '') +
    `let poison = 0.0;\n` +
    `if (this.thread.y == 0) {\n` +
    `let mx = -${FLT_MAX_LITERAL};\n` +
    loop(`if (skip == 0.0 && v > mx) { mx = v; }`) +
    `return mx;\n}\n` +
    `if (this.thread.y == 1) {\n` +
    `let mx = -${FLT_MAX_LITERAL};\n` +
    loop(`if (skip == 0.0 && v > mx) { mx = v; }`) +
    `let s = 0.0;\n` +
    loop(`if (skip == 0.0) { s = s + Math.exp(v - mx); }`) +
    `return s;\n}\n` +
    `let live = 0.0;\n` +
    loop(
      `if (skip == 0.0) {\nif (${isNan('v')} || v > ${FLT_MAX_LITERAL}) { poison = 1.0; }\nif (v >= -${FLT_MAX_LITERAL}) { live = 1.0; }\n}`,
    ) +
    `if (poison > 0.0 || live == 0.0) { return 1.0; }\nreturn 0.0;\n}`
  );
}

/**
 * out = exp(v - max[row]) / sum[row] (or v - max[row] - log(sum[row]) for
 * log-softmax, ATen's order) over a chunk of [rows, cols]; a masked
 * position with a -inf fill is 0.
 * Arguments: x window, row maxima, row sums, then (masked) mask window and
 * mask row offsets.
 */
export function softmaxApplySource(cols: number, log: boolean, fill: FillKind, fillValue: number, maskColStride: number): string {
  const masked = fill !== 'none';
  const { code } = decompose([1, cols], 'this.thread.x');
  let src = `function(${masked ? 'x, mx, sm, m, mo' : 'x, mx, sm'}) {\n${code}let v = x[this.thread.x];\n`;
  if (masked) {
    // Read into a variable first: gpu.js mistypes a comparison of a nested index read inside `if` on GL.
    src += `const mv = m[mo[i0] + i1 * ${lit(maskColStride)}];\nif (mv != 0.0) {\n`;
    if (fill === 'neginf') src += `return 0.0;\n`;
    else if (fill === 'finite') src += `v = ${lit(fillValue)};\n`;
    src += `}\n`;
  }
  src += log ? `return (v - mx[i0]) - Math.log(sm[i0]);\n}` : `return Math.exp(v - mx[i0]) / sm[i0];\n}`;
  return src;
}
