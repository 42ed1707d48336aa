// The page side of test/browser/inspector_gpu.mjs: the inspector's GPU view
// (webview/gpuView.ts) under the webview's strict CSP, loading the shipped
// dist/webview-gpu.js as the inspector does, on operands with a CPU
// reference computed here by the engine's CPU kernel (bit-identical to the
// evaluation worker's: test/unit/softmax_operands.test.ts). It reports;
// inspector_gpu.mjs judges.
import { maskedSoftmaxJs } from '../../src/engine/kernels/gpu';
import { rowChecksums } from '../../src/render/checksum';
import { loadGpuModule, probabilitiesOnGpu, type ComputedBy, type ViewOperands } from '../../webview/gpuView';

export interface ViewCase {
  name: string;
  by: ComputedBy;
  /** Whether gpuView handed back values to draw (else the worker's CPU values are drawn). */
  gpuValues: boolean;
  /** Largest |gpu - cpu| over finite cells, where gpu.js ran; NaN cells must coincide. */
  maxDiff: number | null;
  nanRowsAgree: boolean | null;
}

/** A deterministic [rows, cols] view: scores in [-4, 4), a padding + causal mask, the last `deadRows` rows fully masked. */
function operands(rows: number, cols: number, fill: number, deadRows: number): ViewOperands & { cpu: Float32Array } {
  let seed = 12345;
  const rand = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32) * 8 - 4;
  const scores = Float32Array.from({ length: rows * cols }, rand);
  const mask = new Uint8Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) mask[r * cols + c] = c > r + cols - rows || c >= cols - 37 || r >= rows - deadRows ? 1 : 0;
  const cpu = new Float32Array(rows * cols);
  maskedSoftmaxJs(scores, { data: mask, strides: [cols, 1], offset: 0 }, rows, cols, fill, cpu);
  return { rows, cols, scores, mask, fill, reference: rowChecksums(cpu, rows, cols), cpu };
}

function compare(a: Float32Array, b: Float32Array, rows: number, cols: number): { maxDiff: number; nanRowsAgree: boolean } {
  let maxDiff = 0, nanRowsAgree = true;
  for (let i = 0; i < a.length; i++) {
    if (Number.isNaN(a[i]) || Number.isNaN(b[i])) nanRowsAgree &&= Number.isNaN(a[i]) && Number.isNaN(b[i]);
    else maxDiff = Math.max(maxDiff, Math.abs(a[i] - b[i]));
  }
  void rows, void cols;
  return { maxDiff, nanRowsAgree };
}

export async function runInspectorGpu(src: string, nonce: string): Promise<{ cases: ViewCase[]; error: string | null }> {
  const cases: ViewCase[] = [];
  try {
    const gpu = await loadGpuModule(src, nonce);
    const run = (name: string, setting: 'auto' | 'on' | 'off', o: ReturnType<typeof operands>) => {
      const r = probabilitiesOnGpu(setting, gpu, o);
      const cmp = r.values ? compare(r.values, o.cpu, o.rows, o.cols) : null;
      cases.push({ name, by: r.by, gpuValues: r.values !== null, maxDiff: cmp?.maxDiff ?? null, nanRowsAgree: cmp?.nanRowsAgree ?? null });
    };
    const big = operands(1024, 1024, -Infinity, 3);
    run('on: 1024 x 1024, -inf fill, 3 fully masked rows', 'on', big);
    run('on: 300 x 777, finite fill -1e9', 'on', operands(300, 777, -1e9, 0));
    // fully masked rows under a finite fill: uniform rows on the CPU (1 / cols each)
    run('finite fill -1e9 with fully masked rows', 'on', operands(300, 777, -1e9, 2));
    run('auto: 1024 x 1024', 'auto', big);
    run('off: 1024 x 1024', 'off', big);
    // a reference whose row 100 is off by 1e-3 (as a wrong GPU value would be): the GPU values are refused
    const wrong = { ...big, reference: Float64Array.from(big.reference, (x, r) => (r === 100 ? x + 1e-3 : x)) };
    run('on: a reference off by 1e-3 in row 100', 'on', wrong);
    return { cases, error: null };
  } catch (e) {
    return { cases, error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) };
  }
}

(globalThis as unknown as { runInspectorGpu: typeof runInspectorGpu }).runInspectorGpu = runInspectorGpu;
