// The page side of `npm run test:browser` (test/browser/run.mjs bundles it
// with esbuild for the browser, gpu.js included, and opens it in headless
// Chromium): the backend test table's cases (test/unit/backend_cases.ts)
// on gpu.js forced into its WebGL2 mode, once with whole dispatches and
// once with 37-element ones (as the Node table does), then on the CPU
// reference (for its time, and as a check of the page itself); what select.ts's
// auto rule makes of this page's GL context; and a few large workloads
// timed on gpu.js and on the CPU reference (figures only, never asserted).
//
// It reports; run.mjs judges. Every thrown error is caught and returned
// as text, so one failing case does not hide the others.

import { cases, randomF32, runOnGpu, softmaxInput } from '../unit/backend_cases';
import type { Backend, Operand } from '../../src/engine/kernels/backend';
import { cpuBackend } from '../../src/engine/kernels/cpu';
import { gpuBackend, type GpuBackend } from '../../src/engine/kernels/gpu';
import { activeBackendName, backendFor, currentGpuBackend, hasGraphicsApi, isAccelerated, setBackendPreference } from '../../src/engine/kernels/select';

export interface CaseResult {
  subject: string;
  name: string;
  error: string | null;
  ms: number;
}

export interface SubjectReport {
  subject: string;
  /** Why gpuBackend() gave nothing, if it did. */
  error: string | null;
  mode: string | null;
  renderer: string | null;
  /** The class of gpu.js's context object (WebGL2RenderingContext where WebGL2 ran). */
  context: string | null;
}

export interface AutoReport {
  hasGraphicsApi: boolean;
  /** Backend auto gives 1M float32 elements. */
  large: string;
  /** Backend auto gives 100 float32 elements. */
  small: string;
  active: string;
  gpuMode: string | null;
  gpuRenderer: string | null;
  accelerated: boolean | null;
  error: string | null;
}

export interface Timing {
  name: string;
  gpuMs: number;
  cpuMs: number;
  /** Largest |gpu - cpu| over the finite outputs (a sanity figure). */
  maxDiff: number;
}

export interface PageReport {
  userAgent: string;
  /** Cases in the table (each runs once per subject). */
  caseCount: number;
  subjects: SubjectReport[];
  cases: CaseResult[];
  auto: AutoReport;
  timings: Timing[];
  timingError: string | null;
}

const text = (e: unknown): string => (e instanceof Error ? `${e.name}: ${e.message}` : String(e));

function describeGpu(subject: string, g: GpuBackend | null): SubjectReport {
  if (!g) return { subject, error: 'gpuBackend({ mode: "webgl2" }) returned null (gpu.js could not make a working kernel)', mode: null, renderer: null, context: null };
  const ctx = (g as unknown as { gpu?: { context?: object | null } }).gpu?.context;
  return { subject, error: null, mode: g.mode, renderer: g.renderer, context: ctx ? ctx.constructor.name : null };
}

/** The table on one subject: a gpu.js backend (runOnGpu's checks), or the CPU reference (the figure to compare with). */
function runTable(subject: string, g: GpuBackend | null | 'cpu', out: CaseResult[]): void {
  for (const c of cases) {
    const t0 = performance.now();
    let error: string | null = null;
    try {
      if (g === 'cpu') c.run(cpuBackend);
      else if (!g) throw new Error(`${subject}: no gpu backend`);
      else runOnGpu(g, c);
    } catch (e) {
      error = text(e);
    }
    out.push({ subject, name: c.name, error, ms: performance.now() - t0 });
  }
}

/** select.ts's auto rule in this page: a software renderer must leave large float32 work to wasm (or the CPU). */
function autoRule(): AutoReport {
  try {
    setBackendPreference('auto', 0);
    const large = backendFor(1 << 20, 'float32').name;
    const small = backendFor(100, 'float32').name;
    const active = activeBackendName();
    const g = currentGpuBackend();
    return {
      hasGraphicsApi: hasGraphicsApi(),
      large,
      small,
      active,
      gpuMode: g ? g.mode : null,
      gpuRenderer: g ? g.renderer : null,
      accelerated: g ? isAccelerated(g) : null,
      error: null,
    };
  } catch (e) {
    return { hasGraphicsApi: hasGraphicsApi(), large: '', small: '', active: '', gpuMode: null, gpuRenderer: null, accelerated: null, error: text(e) };
  } finally {
    setBackendPreference('auto', 65536);
  }
}

/** Best of `reps` runs, in ms (the first run, which compiles the kernels, is a warm-up). */
function best(reps: number, f: () => void): number {
  f();
  let min = Infinity;
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    f();
    min = Math.min(min, performance.now() - t0);
  }
  return min;
}

function maxDiff(a: Float32Array, b: Float32Array): number {
  let d = 0;
  for (let i = 0; i < a.length; i++) if (Number.isFinite(a[i]) && Number.isFinite(b[i])) d = Math.max(d, Math.abs(a[i] - b[i]));
  return d;
}

function timings(g: GpuBackend): Timing[] {
  const out: Timing[] = [];
  const time = (name: string, run: (b: Backend, o: Float32Array) => void, n: number) => {
    const go = new Float32Array(n), co = new Float32Array(n);
    const gpuMs = best(3, () => run(g, go));
    const cpuMs = best(3, () => run(cpuBackend, co));
    out.push({ name, gpuMs, cpuMs, maxDiff: maxDiff(go, co) });
  };
  {
    // masked softmax over [B,H,T,T] scores with a causal [T,T] mask (the engine's fused path)
    const [B, H, T] = [2, 8, 256];
    const n = B * H * T * T;
    const x = randomF32(n, 7, 8);
    const causal = new Uint8Array(T * T);
    for (let i = 0; i < T; i++) causal.fill(1, i * T + i + 1, (i + 1) * T);
    const mask: Operand = { data: causal, strides: [0, 0, T, 1], offset: 0 };
    const shape = [B, H, T, T];
    time(`masked softmax [${shape}] causal, fill -inf`, (b, o) => {
      const fused = b as Backend & { maskedSoftmax?: GpuBackend['maskedSoftmax'] };
      if (fused.maskedSoftmax) fused.maskedSoftmax(x, mask, B * H * T, T, -Infinity, o, shape);
      else {
        const filled = new Float32Array(n);
        b.where(mask, { data: Float32Array.of(-Infinity), strides: [0, 0, 0, 0], offset: 0 }, { data: x, strides: [H * T * T, T * T, T, 1], offset: 0 }, shape, filled);
        b.softmax!(filled, B * H * T, T, o, false);
      }
    }, n);
  }
  {
    const [rows, cols] = [2048, 512];
    const x = softmaxInput(rows, cols, 9);
    time(`log_softmax [${rows},${cols}]`, (b, o) => b.softmax!(x, rows, cols, o, true), rows * cols);
  }
  {
    const [batch, m, k, n] = [8, 256, 64, 256];
    const a = randomF32(batch * m * k, 10, 2), bm = randomF32(batch * k * n, 11, 2);
    time(`matmul [${batch},${m},${k}] @ [${batch},${k},${n}]`, (b, o) => b.matmul(a, bm, batch, m, k, n, o), batch * m * n);
  }
  return out;
}

/** Runs everything; what run.mjs reads back through page.evaluate. */
export function runBackendTable(): PageReport {
  const subjects: SubjectReport[] = [];
  const results: CaseResult[] = [];
  const made: [string, GpuBackend | null][] = [];
  for (const [subject, maxDispatch] of [['gpu webgl2', undefined], ['gpu webgl2 (dispatch 37)', 37]] as const) {
    let g: GpuBackend | null = null;
    try {
      g = gpuBackend({ threshold: 0, mode: 'webgl2', maxDispatch });
    } catch (e) {
      subjects.push({ subject, error: text(e), mode: null, renderer: null, context: null });
      continue;
    }
    subjects.push(describeGpu(subject, g));
    made.push([subject, g]);
    runTable(subject, g, results);
  }
  runTable('cpu reference (in Chromium)', 'cpu', results);
  const auto = autoRule();
  let timed: Timing[] = [];
  let timingError: string | null = null;
  const first = made[0]?.[1];
  try {
    if (first) timed = timings(first);
  } catch (e) {
    timingError = text(e);
  }
  for (const [, g] of made) g?.dispose();
  return { userAgent: navigator.userAgent, caseCount: cases.length, subjects, cases: results, auto, timings: timed, timingError };
}

(globalThis as unknown as { runBackendTable: typeof runBackendTable }).runBackendTable = runBackendTable;
