// TensorFlow.js peers: @tensorflow/tfjs on its 'cpu' backend (plain JS)
// and @tensorflow/tfjs-backend-wasm (XNNPACK; SIMD/threads as the runtime
// allows). Both are devDependencies, loaded at run time (esbuild leaves
// @tensorflow/* external), so a missing package is reported, not fatal.
// The workloads themselves (tfjs_workload.ts) import nothing of Node: the
// browser peer (browser_page.ts) runs them on tfjs-webgl and tfjs-wasm.

import { dirname, join } from 'node:path';
import type * as TF from '@tensorflow/tfjs';
export { tfjsWorkload } from './tfjs_workload';

export type TfjsBackendName = 'cpu' | 'wasm';

export interface TfjsPeer {
  tf: typeof TF;
  backend: TfjsBackendName;
  /** Versions and, for wasm, which build (SIMD, threads) it loaded. */
  info: Record<string, string | boolean | number>;
}

/** Load tfjs and switch it to `backend`, or say why not. */
export async function loadTfjs(backend: TfjsBackendName): Promise<TfjsPeer | { unavailable: string }> {
  let tf: typeof TF;
  try {
    tf = require('@tensorflow/tfjs') as typeof TF;
  } catch (e) {
    return { unavailable: `@tensorflow/tfjs not installed (${(e as Error).message.split('\n')[0]})` };
  }
  const info: Record<string, string | boolean | number> = { 'tfjs-core': tf.version_core };
  try {
    if (backend === 'wasm') {
      const wasm = require('@tensorflow/tfjs-backend-wasm') as { setWasmPaths: (p: string) => void; version_wasm: string };
      const dist = dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'));
      wasm.setWasmPaths(dist + '/');
      info['tfjs-backend-wasm'] = wasm.version_wasm;
      info.wasm_dir = join(dist);
    }
    const ok = await tf.setBackend(backend);
    await tf.ready();
    if (!ok || tf.getBackend() !== backend) return { unavailable: `tf.setBackend('${backend}') failed (active: ${tf.getBackend()})` };
    if (backend === 'wasm') {
      info.simd = tf.env().getBool('WASM_HAS_SIMD_SUPPORT');
      info.threads = tf.env().getBool('WASM_HAS_MULTITHREAD_SUPPORT');
    }
  } catch (e) {
    return { unavailable: `${backend} backend failed to initialize: ${(e as Error).message.split('\n')[0]}` };
  }
  return { tf, backend, info };
}
