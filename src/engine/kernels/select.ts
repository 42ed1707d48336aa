// Which backend runs an op: the CPU reference unless the gpu.js backend
// or the WebAssembly SIMD backend asks for the work.
//
// 'auto' hands large float32 work to gpu.js only when it has a WebGL2,
// WebGL or WebGPU context on a hardware renderer. Measured on the 2-core
// reference machine (npm run bench -- --sweep), gpu.js's CPU-bound modes
// never beat the CPU reference for masked softmax at any size from 1K to
// 4M elements: webasm (WebAssembly SIMD) and headlessgl (Mesa llvmpipe
// under Xvfb) were 1.5-3x slower. So auto keeps the CPU there, and also
// for software GL renderers (SwiftShader, llvmpipe) in a browser or
// webview. 'gpu' forces gpu.js in whatever mode it found, for every
// float32 op of at least `threshold` elements. The extension's worker
// bundle leaves gpu.js out (scripts/build.mjs: in the desktop host it would
// find only those CPU-bound modes), so there gpuBackend() is null and 'gpu'
// computes as 'auto'; the benchmark and the unit tests load gpu.js.
//
// Large float32 and bool work that gpu.js does not take goes to the
// WebAssembly SIMD backend (wasm.ts: softmax, log_softmax, masked softmax,
// matmul, float32 where/masked_fill, comparisons and bool logic; the rest of its ops are the CPU
// reference's) from WASM_THRESHOLD elements, unless the preference is 'cpu'
// or the module is not built.
import type { Backend } from './backend';
import { cpuBackend } from './cpu';
import { gpuBackend, type GpuBackend, type GpuMode } from './gpu';
import { wasmBackend, type WasmBackend } from './wasm';

export type BackendPreference = 'auto' | 'cpu' | 'gpu';

/**
 * Default element count from which 'auto' uses a hardware GL/WebGPU
 * context. No crossover could be measured here (no hardware GPU; see
 * above); 65536 is where the CPU masked softmax takes about 1.4 ms, the
 * order of one GL dispatch plus readback, so smaller work cannot win.
 */
export const DEFAULT_GPU_THRESHOLD = 65536;

/**
 * Element count from which float32 and bool work goes to the wasm backend.
 * Below it the CPU reference runs, so small tensors (hovers, the golden
 * cases) keep Math.exp; the wasm kernels' exp is Sleef's algorithm.
 */
export const WASM_THRESHOLD = 65536;

/** gpu.js modes that can run on a graphics device. headless-gl is left out: in Node it renders through Xvfb's software GL. */
const DEVICE_MODES: ReadonlySet<GpuMode> = new Set<GpuMode>(['webgpu', 'webgl2', 'webgl']);
const SOFTWARE_RENDERER = /swiftshader|llvmpipe|softpipe|software|lavapipe/i;

/**
 * Whether this runtime has a WebGL or WebGPU API at all. Without one (plain
 * Node, e.g. the desktop extension host) gpu.js can only reach its CPU-bound
 * modes, which auto never uses, so auto does not load gpu.js (1 MB, ~150 ms)
 * just to find that out.
 */
export function hasGraphicsApi(g: Record<string, unknown> = globalThis as unknown as Record<string, unknown>): boolean {
  const nav = g.navigator as Record<string, unknown> | undefined;
  return g.WebGL2RenderingContext !== undefined || g.WebGLRenderingContext !== undefined || (nav !== undefined && nav.gpu !== undefined);
}

/** Whether 'auto' should use this gpu.js backend at all. */
export function isAccelerated(g: Pick<GpuBackend, 'mode' | 'renderer'>): boolean {
  return DEVICE_MODES.has(g.mode) && !(g.renderer && SOFTWARE_RENDERER.test(g.renderer));
}

let preference: BackendPreference = 'auto';
let threshold = DEFAULT_GPU_THRESHOLD;
// undefined: not probed yet; null: gpu.js has no usable context here.
let gpu: GpuBackend | null | undefined;
let wasm: WasmBackend | null | undefined;

function wasmIfAny(): WasmBackend | null {
  if (wasm === undefined) wasm = wasmBackend({ threshold: WASM_THRESHOLD });
  return wasm;
}

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
  if (preference === 'cpu' || (dtype !== 'float32' && dtype !== 'bool')) return cpuBackend;
  // Without a graphics API, auto does not load gpu.js at all (see hasGraphicsApi).
  if (dtype === 'float32' && numel >= threshold && (preference === 'gpu' || hasGraphicsApi())) {
    const g = gpuIfAny();
    if (g && g.accepts(numel, dtype) && (preference === 'gpu' || isAccelerated(g))) return g;
  }
  // Small work (every hover) stays on the CPU without instantiating the module.
  if (numel < WASM_THRESHOLD) return cpuBackend;
  const w = wasmIfAny();
  return w && w.accepts(numel, dtype) ? w : cpuBackend;
}

/**
 * The backend large float32 work goes to under the current preference:
 * 'cpu', 'wasm', or 'gpu:<mode>' (e.g. 'gpu:webgl2', 'gpu:webasm'). Probes
 * gpu.js unless the preference is 'cpu', or 'auto' without a graphics API.
 */
export function activeBackendName(): string {
  if (preference === 'cpu') return 'cpu';
  if (preference === 'gpu' || hasGraphicsApi()) {
    const g = gpuIfAny();
    if (g && g.available && (preference === 'gpu' || isAccelerated(g))) return `gpu:${g.mode}`;
  }
  return wasmIfAny() ? 'wasm' : 'cpu';
}

/** The wasm backend if it has been created (tests check which kernels ran). */
export function currentWasmBackend(): WasmBackend | null {
  return wasm ?? null;
}

/** The gpu.js backend if it has been created (for diagnostics and the bench). */
export function currentGpuBackend(): GpuBackend | null {
  return gpu ?? null;
}
