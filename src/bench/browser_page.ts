// The page side of the bench's browser peer (browser.ts bundles it with
// esbuild for the browser and drives it in headless Chromium): the bench
// workloads, with the inputs of workloads.ts, on
//   'ours-gpu (chromium)'    our gpu.js backend forced into its WebGL2 mode
//                            (select.ts's auto rule would refuse a software
//                            renderer such as SwiftShader; the bench times it anyway
//                            and labels the renderer),
//   'tfjs-webgl (chromium)'  TensorFlow.js's WebGL backend,
//   'tfjs-wasm (chromium)'   TensorFlow.js's wasm backend (XNNPACK; threads
//                            when the page is cross-origin isolated).
// One engine call is timed here with performance.now(), around the call and
// its read-back to a Float32Array/Uint8Array (gpu.js reads back every
// dispatch; tfjs's dataSync), so the Node side's round trip is not counted.

import type * as TF from '@tensorflow/tfjs';
import { gpuBackend, type GpuBackend } from '../engine/kernels/gpu';
import type { BrowserEngine } from './browser_engines';
import { prepareOurs, type Prepared } from './ours';
import { tfjsWorkload } from './tfjs_workload';
import { checksum, type Checksum, type Sizes, type WorkloadName } from './workloads';


/** Where the page serves tfjs-backend-wasm's .wasm files from (browser.ts maps it to node_modules). */
export const TFJS_WASM_URL = '/tfjs-wasm/';

/** What init() found for one engine: usable, with its renderer and versions, or why not. */
export interface EngineInfo {
  engine: BrowserEngine;
  unavailable?: string;
  /** The WebGL renderer string (unmasked where Chromium allows), for the GL engines. */
  renderer?: string | null;
  [extra: string]: unknown;
}

export interface PageInfo {
  userAgent: string;
  /** Whether the page has SharedArrayBuffer (tfjs-wasm's threads need it). */
  crossOriginIsolated: boolean;
  hardwareConcurrency: number;
  engines: EngineInfo[];
}

const text = (e: unknown): string => (e instanceof Error ? e.message.split('\n')[0] : String(e));

/** The renderer of a fresh WebGL2 context in this page (what tfjs-webgl draws on). */
function webgl2Renderer(): string | null {
  const gl = document.createElement('canvas').getContext('webgl2');
  if (!gl) return null;
  const ext = gl.getExtension('WEBGL_debug_renderer_info');
  return String(gl.getParameter(ext ? ext.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
}

let gpu: GpuBackend | null = null;
let tf: typeof TF | null = null;
const usable = new Set<BrowserEngine>();
const prepared = new Map<BrowserEngine, Prepared & { dispose?(): void }>();

/** Create gpu.js's WebGL2 backend and load tfjs with its webgl and wasm backends; what each engine can do here. */
async function init(options: { tfjs: boolean }): Promise<PageInfo> {
  const engines: EngineInfo[] = [];
  try {
    gpu = gpuBackend({ threshold: 0, mode: 'webgl2' });
    if (!gpu) engines.push({ engine: 'ours-gpu (chromium)', unavailable: 'gpuBackend({ mode: "webgl2" }) returned null: gpu.js could not make a working WebGL2 kernel' });
    else {
      usable.add('ours-gpu (chromium)');
      engines.push({ engine: 'ours-gpu (chromium)', gpujs_mode: gpu.mode, renderer: gpu.renderer });
    }
  } catch (e) {
    engines.push({ engine: 'ours-gpu (chromium)', unavailable: `gpu.js: ${text(e)}` });
  }
  if (!options.tfjs) {
    for (const engine of ['tfjs-webgl (chromium)', 'tfjs-wasm (chromium)'] as const) engines.push({ engine, unavailable: 'skipped (--no-tfjs)' });
  } else {
    try {
      tf = (await import('@tensorflow/tfjs-core')) as unknown as typeof TF;
    } catch (e) {
      for (const engine of ['tfjs-webgl (chromium)', 'tfjs-wasm (chromium)'] as const) engines.push({ engine, unavailable: text(e) });
    }
    if (tf) {
      const core = { 'tfjs-core': tf.version_core };
      // Each backend package registers itself on import; setBackend then initializes it (compiles, fetches the .wasm).
      try {
        const webgl = (await import('@tensorflow/tfjs-backend-webgl')) as { version_webgl: string };
        if (!(await tf.setBackend('webgl'))) throw new Error("tf.setBackend('webgl') returned false");
        usable.add('tfjs-webgl (chromium)');
        engines.push({ engine: 'tfjs-webgl (chromium)', ...core, 'tfjs-backend-webgl': webgl.version_webgl, webgl_version: tf.env().getNumber('WEBGL_VERSION'), float32_render: tf.env().getBool('WEBGL_RENDER_FLOAT32_ENABLED'), renderer: webgl2Renderer() });
      } catch (e) {
        engines.push({ engine: 'tfjs-webgl (chromium)', unavailable: text(e) });
      }
      try {
        const wasm = (await import('@tensorflow/tfjs-backend-wasm')) as { setWasmPaths(p: string): void; version_wasm: string };
        wasm.setWasmPaths(TFJS_WASM_URL);
        if (!(await tf.setBackend('wasm'))) throw new Error("tf.setBackend('wasm') returned false (the .wasm files not served?)");
        usable.add('tfjs-wasm (chromium)');
        engines.push({ engine: 'tfjs-wasm (chromium)', ...core, 'tfjs-backend-wasm': wasm.version_wasm, simd: tf.env().getBool('WASM_HAS_SIMD_SUPPORT'), threads: tf.env().getBool('WASM_HAS_MULTITHREAD_SUPPORT') });
      } catch (e) {
        engines.push({ engine: 'tfjs-wasm (chromium)', unavailable: text(e) });
      }
    }
  }
  return { userAgent: navigator.userAgent, crossOriginIsolated: globalThis.crossOriginIsolated === true, hardwareConcurrency: navigator.hardwareConcurrency, engines };
}

/** tfjs runs on the active backend: each tfjs engine switches to its own before its calls. */
async function activate(engine: BrowserEngine): Promise<void> {
  if (engine === 'tfjs-webgl (chromium)') await tf!.setBackend('webgl');
  else if (engine === 'tfjs-wasm (chromium)') await tf!.setBackend('wasm');
}

/** Build `engine`'s inputs for workload `name` (untimed). */
async function setup(engine: BrowserEngine, name: Exclude<WorkloadName, 'hover_eval'>, sizes: Sizes): Promise<void> {
  if (!usable.has(engine)) throw new Error(`${engine} is unavailable in the page`);
  dispose(engine);
  await activate(engine);
  // The fused kernel, as the Node bench's ours-gpu row runs masked_softmax.
  prepared.set(engine, engine === 'ours-gpu (chromium)' ? prepareOurs(name, gpu!, sizes, name === 'masked_softmax' ? 'fused-kernel' : 'compose') : tfjsWorkload({ tf: tf! }, name, sizes));
}

/** One call of `engine`'s workload: its milliseconds, read-back included. */
async function once(engine: BrowserEngine): Promise<number> {
  const p = prepared.get(engine);
  if (!p) throw new Error(`${engine}: no workload set up`);
  await activate(engine);
  const t = performance.now();
  p.run();
  return performance.now() - t;
}

function outputChecksum(engine: BrowserEngine): Checksum {
  const p = prepared.get(engine);
  if (!p) throw new Error(`${engine}: no workload set up`);
  return checksum(p.output());
}

function dispose(engine: BrowserEngine): void {
  prepared.get(engine)?.dispose?.();
  prepared.delete(engine);
}

/** What browser.ts calls through page.evaluate. */
export const benchPage = { init, setup, once, checksum: outputChecksum, dispose, dispatches: () => gpu?.dispatches ?? 0 };
export type BenchPage = typeof benchPage;

(globalThis as unknown as { maskLensBenchPage: BenchPage }).maskLensBenchPage = benchPage;
