// Runs differential dtype-sweep cases (written by test/sweep/generate.py from
// real PyTorch) through Mask Lens and reports every mismatch. Used by the CI
// unit test (test/unit/dtype_sweep.test.ts, the committed set) and by
// `npm run sweep -- --n 100000 --seed S` (a fresh seeded set, on demand).

import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { setDtypeAssertions } from '../../src/engine/dtype';
import { evaluate } from '../../src/service/evaluate';
import type { EncodedNumber, EncodedValue } from '../../src/python/result';

export interface SweepCase {
  id: number;
  family: string;
  /**
   * 'exact', or 'ulp' (transcendental kernels: libm vs SLEEF): within 4 units
   * in the last place at max(|value|, 1) of the least precise floating dtype
   * the case uses, since an ulp in a sum of exps moves log_softmax by that much.
   */
  tol: 'exact' | 'ulp';
  src: string;
  /**
   * The case holds an int64 value a double cannot (beyond 2^53, not a power
   * of two) in its source or result: the engine keeps those in its int64
   * storages' exact side arrays (issue #17). Counted apart in the report
   * (`wideCases`, `wideMismatches`) to show the coverage; a mismatch fails
   * like any other.
   */
  wide?: boolean;
  expect:
    | { error: [string, string] }
    | { dtype: string; shape: number[]; data: EncodedNumber[]; repr: string };
}

export interface Mismatch {
  case: SweepCase;
  /** Which part differed: error, dtype, shape, data, repr. */
  what: string;
  expected: string;
  actual: string;
}

export function loadCases(path: string): { meta: Record<string, unknown>; cases: SweepCase[] } {
  const lines = gunzipSync(readFileSync(path)).toString('utf8').split('\n').filter((l) => l.length > 0);
  return { meta: JSON.parse(lines[0]), cases: lines.slice(1).map((l) => JSON.parse(l) as SweepCase) };
}

const PRELUDE = 'import torch\nimport torch.nn.functional as F\nfrom torch.nn.utils.rnn import pad_sequence\n';

function decode(x: EncodedNumber): number {
  if (x === 'nan') return NaN;
  if (x === 'inf') return Infinity;
  if (x === '-inf') return -Infinity;
  return typeof x === 'boolean' ? (x ? 1 : 0) : x;
}

// Spacing of `dtype` at |x| (the unit in the last place).
function ulp(dtype: string, x: number): number {
  const bits: Record<string, [number, number]> = {
    'torch.float16': [10, -14], 'torch.bfloat16': [7, -126], 'torch.float32': [23, -126], 'torch.float64': [52, -1022],
  };
  const b = bits[dtype];
  if (!b) return 0;
  const e = Math.max(Math.floor(Math.log2(Math.abs(x) || 2 ** b[1])), b[1]);
  return 2 ** (e - b[0]);
}

function sameNumber(a: number, b: number, dtype: string, tol: 'exact' | 'ulp'): boolean {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b);
  if (Object.is(a, b)) return true;
  if (tol === 'exact' || !Number.isFinite(a) || !Number.isFinite(b)) return false;
  return Math.abs(a - b) <= 4 * ulp(dtype, Math.max(Math.abs(a), Math.abs(b), 1));
}

// The least precise floating dtype a case computes in: its tolerance unit.
const PRECISION_ORDER = ['torch.bfloat16', 'torch.float16', 'torch.float32', 'torch.float64'];
function toleranceDtype(c: SweepCase, result: string): string {
  return PRECISION_ORDER.find((d) => d === result || c.src.includes(d)) ?? result;
}

const show = (v: unknown) => JSON.stringify(v);

/** Run one case; undefined when Mask Lens agrees with PyTorch. A broken dtype invariant is a mismatch too. */
export function runCase(c: SweepCase): Mismatch | undefined {
  try {
    return compareCase(c);
  } catch (e) {
    return { case: c, what: 'invariant', expected: '(dtype invariant holds)', actual: e instanceof Error ? e.message : String(e) };
  }
}

function compareCase(c: SweepCase): Mismatch | undefined {
  // repr(r) is taken in the same run, on a line of its own, so its failure is told apart
  const res = evaluate(`${PRELUDE}${c.src}\nr_repr = repr(r)`);
  const reprLine = PRELUDE.split('\n').length + c.src.split('\n').length;
  if (res.error && res.error.line === reprLine && !('error' in c.expect)) {
    return { case: c, what: 'repr', expected: c.expect.repr, actual: `${res.error.type}: ${res.error.message}` };
  }
  const e = c.expect;
  const got = res.variables.r as EncodedValue | undefined;
  const mismatch = (what: string, expected: unknown, actual: unknown): Mismatch => ({
    case: c, what, expected: typeof expected === 'string' ? expected : show(expected), actual: typeof actual === 'string' ? actual : show(actual),
  });
  if ('error' in e) {
    if (!res.error) return mismatch('error', `${e.error[0]}: ${e.error[1]}`, got ?? '(no error)');
    const actual = `${res.error.type}: ${res.error.message}`;
    return actual === `${e.error[0]}: ${e.error[1]}` ? undefined : mismatch('error', `${e.error[0]}: ${e.error[1]}`, actual);
  }
  if (res.error) return mismatch('error', '(no error)', `${res.error.type}: ${res.error.message}`);
  if (!got || got.type !== 'torch.Tensor') return mismatch('type', 'torch.Tensor', got?.type ?? '(unset)');
  if (got.dtype !== e.dtype) return mismatch('dtype', e.dtype, got.dtype);
  if (show(got.shape) !== show(e.shape)) return mismatch('shape', e.shape, got.shape);
  let exact = true;
  const tolDtype = toleranceDtype(c, e.dtype);
  for (let i = 0; i < e.data.length; i++) {
    const a = decode(got.data[i]), b = decode(e.data[i]);
    if (!sameNumber(a, b, e.dtype, 'exact')) {
      exact = false;
      if (!sameNumber(a, b, tolDtype, c.tol)) return mismatch('data', e.data, got.data);
    }
  }
  if (!exact) return undefined; // within tolerance: the printed digits may legitimately differ
  const repr = res.variables.r_repr as { value?: string } | undefined;
  if (repr?.value !== e.repr) return mismatch('repr', e.repr, repr?.value ?? '(no repr)');
  return undefined;
}

/** Run every case with the engine's dtype assertions on. */
export function runSweep(cases: readonly SweepCase[]): Mismatch[] {
  const prev = setDtypeAssertions(true);
  try {
    return cases.map(runCase).filter((m): m is Mismatch => m !== undefined);
  } finally {
    setDtypeAssertions(prev);
  }
}

/**
 * Group mismatches by family, failing part and input/result dtypes, and keep
 * the shortest snippet of each group: the minimal case that shows the bug.
 */
export function minimalCases(ms: readonly Mismatch[]): { key: string; count: number; example: Mismatch }[] {
  const groups = new Map<string, { count: number; example: Mismatch }>();
  for (const m of ms) {
    const dtypes = [...new Set(m.case.src.match(/torch\.(bool|uint8|int8|int16|int32|int64|float16|bfloat16|float32|float64)\b/g) ?? [])].sort().join(',');
    const key = `${m.case.family} ${m.what} [${dtypes}]`;
    const g = groups.get(key);
    if (!g) groups.set(key, { count: 1, example: m });
    else {
      g.count++;
      if (m.case.src.length < g.example.case.src.length) g.example = m;
    }
  }
  return [...groups].map(([key, g]) => ({ key, ...g })).sort((a, b) => b.count - a.count);
}

export function formatMismatch(m: Mismatch): string {
  return `#${m.case.id} ${m.case.family} (${m.what})\n  ${m.case.src.replace(/\n/g, '\n  ')}\n  expected: ${m.expected}\n  actual:   ${m.actual}`;
}
