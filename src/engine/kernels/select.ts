// Which backend runs an op: the CPU reference unless the gpu.js backend
// asks for the work.
//
// 'auto' hands large float32 work to gpu.js only when gpu.js has a real GL
// or WebGPU context: its WebAssembly and JavaScript modes run on the CPU
// and were measured slower than the CPU reference here (see src/bench.ts
// and the figures in the commit that added it), so auto keeps the CPU
// there. 'gpu' forces gpu.js in whatever mode it found, for every float32
// op of at least `threshold` elements.
import type { Backend } from './backend';
import { cpuBackend } from './cpu';
import { gpuBackend, type GpuBackend, type GpuMode } from './gpu';

export type BackendPreference = 'auto' | 'cpu' | 'gpu';

/**
 * Default element count from which 'auto' uses a GL/WebGPU context.
 * Measured crossover for masked softmax (see bench): below about this size
 * the kernel dispatch and readback cost more than the CPU loop saves.
 */
export const DEFAULT_GPU_THRESHOLD = 65536;

/** gpu.js modes that run on an actual graphics device (or its emulation in a browser). */
const ACCELERATED: ReadonlySet<GpuMode> = new Set<GpuMode>(['webgpu', 'webgl2', 'webgl', 'headlessgl']);

let preference: BackendPreference = 'auto';
let threshold = DEFAULT_GPU_THRESHOLD;
// undefined: not probed yet; null: gpu.js has no usable context here.
let gpu: GpuBackend | null | undefined;

function gpuIfAny(): GpuBackend | null {
  if (gpu === undefined) {
    gpu = gpuBackend({ threshold });
  }
  return gpu;
}

export function setBackendPreference(pref: BackendPreference, minElements: number): void {
  preference = pref;
  threshold = Number.isFinite(minElements) && minElements >= 0 ? minElements : DEFAULT_GPU_THRESHOLD;
  if (gpu) gpu.threshold = threshold;
}

export function backendFor(numel: number, dtype: string): Backend {
  if (preference === 'cpu' || dtype !== 'float32' || numel < threshold) return cpuBackend;
  const g = gpuIfAny();
  if (!g || !g.accepts(numel, dtype)) return cpuBackend;
  if (preference === 'auto' && !ACCELERATED.has(g.mode)) return cpuBackend;
  return g;
}

/**
 * The backend large float32 work goes to under the current preference:
 * 'cpu', or 'gpu:<mode>' (e.g. 'gpu:webgl2', 'gpu:webasm'). Probes gpu.js
 * unless the preference is 'cpu'.
 */
export function activeBackendName(): string {
  if (preference === 'cpu') return 'cpu';
  const g = gpuIfAny();
  if (!g || !g.available) return 'cpu';
  if (preference === 'auto' && !ACCELERATED.has(g.mode)) return 'cpu';
  return `gpu:${g.mode}`;
}

/** The gpu.js backend if it has been created (for diagnostics and the bench). */
export function currentGpuBackend(): GpuBackend | null {
  return gpu ?? null;
}
