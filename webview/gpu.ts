// The inspector's GPU module, dist/webview-gpu.js: gpu.js and the engine's
// gpu.js kernels (src/engine/kernels/gpu.ts), loaded by the webview only when
// it draws a large softmax view (webview/main.ts loads it with the page's
// nonce), so the page's own bundle stays small. It computes the view's
// masked softmax on the webview's WebGL2 context. gpu.js compiles our kernels
// to GLSL, which needs no eval: its only `new Function` calls are its CPU
// fallback and `gpu.alias`, which this module never reaches (a kernel that
// fails falls back to the engine's own CPU kernel instead), so the page's
// strict CSP (no 'unsafe-eval') holds.
import { gpuBackend, type GpuBackend } from '../src/engine/kernels/gpu';
import { isAccelerated } from '../src/engine/kernels/select';

export interface GpuProbe {
  /** gpu.js's mode ('webgl2', 'webgl', ...); null when gpu.js made no working kernel here. */
  mode: string | null;
  /** The GL renderer, e.g. 'ANGLE (NVIDIA ...)' or 'Google SwiftShader'. */
  renderer: string | null;
  /** select.ts's rule: a WebGL2/WebGL/WebGPU context on a hardware renderer. */
  accelerated: boolean;
}

export interface GpuSoftmax {
  /** Row-major [rows, cols] probabilities. */
  values: Float32Array;
  /** False when a kernel failed and the engine's CPU kernel computed the values. */
  onGpu: boolean;
  failure: string | null;
  ms: number;
}

export interface MaskLensGpu {
  probe(): GpuProbe;
  /**
   * softmax(scores.masked_fill(mask, fill), dim=-1) of one [rows, cols] view:
   * scores float32 row-major, mask 0/1 per cell (null: a plain softmax).
   */
  maskedSoftmax(scores: Float32Array, mask: Uint8Array | null, rows: number, cols: number, fill: number): GpuSoftmax;
}

let backend: GpuBackend | null | undefined;

function gpu(): GpuBackend | null {
  // every large view this page draws, whatever its size, goes to the kernels
  if (backend === undefined) backend = gpuBackend({ mode: 'webgl2', threshold: 0 }) ?? gpuBackend({ threshold: 0 });
  return backend;
}

const api: MaskLensGpu = {
  probe() {
    const g = gpu();
    return g ? { mode: g.mode, renderer: g.renderer, accelerated: isAccelerated(g) } : { mode: null, renderer: null, accelerated: false };
  },
  maskedSoftmax(scores, mask, rows, cols, fill) {
    const g = gpu();
    const out = new Float32Array(rows * cols);
    const t0 = performance.now();
    if (!g) return { values: out, onGpu: false, failure: 'gpu.js made no working kernel', ms: 0 };
    const before = g.dispatches;
    if (mask) g.maskedSoftmax(scores, { data: mask, strides: [cols, 1], offset: 0 }, rows, cols, fill, out);
    else g.softmax(scores, rows, cols, out, false);
    return { values: out, onGpu: g.available && g.dispatches > before, failure: g.failure, ms: performance.now() - t0 };
  },
};

(globalThis as unknown as { maskLensGpu: MaskLensGpu }).maskLensGpu = api;
