// TensorFlow.js peers: @tensorflow/tfjs on its 'cpu' backend (plain JS)
// and @tensorflow/tfjs-backend-wasm (XNNPACK; SIMD/threads as the runtime
// allows). Both are devDependencies, loaded at run time (esbuild leaves
// @tensorflow/* external), so a missing package is reported, not fatal.

import { dirname, join } from 'node:path';
import type * as TF from '@tensorflow/tfjs';
import type { Prepared } from './ours';
import { detF32, lengths, targets, type Sizes, type WorkloadName } from './workloads';

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

/** A workload on tfjs; tensors are created once, each run reads its result back (dataSync). */
export function tfjsWorkload(peer: TfjsPeer, name: Exclude<WorkloadName, 'hover_eval'>, sizes: Sizes): Prepared & { dispose(): void } {
  const tf = peer.tf;
  const keep: TF.Tensor[] = [];
  const hold = <T extends TF.Tensor>(t: T): T => {
    keep.push(t);
    return t;
  };
  let result: ArrayLike<number> = [];
  let compute: () => TF.Tensor;
  switch (name) {
    case 'combined_mask': {
      const { B, T } = sizes.combined_mask;
      const ar = hold(tf.range(0, T, 1, 'int32'));
      const len = hold(tf.tensor1d(lengths(B, T), 'int32'));
      compute = () => {
        const pad = tf.less(ar.reshape([1, T]), len.reshape([B, 1]));
        const causal = tf.greaterEqual(ar.reshape([T, 1]), ar.reshape([1, T]));
        return tf.logicalAnd(pad.reshape([B, 1, T]), causal.reshape([1, T, T]));
      };
      break;
    }
    case 'masked_softmax': {
      const { B, H, T } = sizes.masked_softmax;
      const x = hold(tf.tensor4d(detF32(B * H * T * T, 1), [B, H, T, T]));
      const causal = new Uint8Array(T * T);
      for (let i = 0; i < T; i++) causal.fill(1, i * T + i + 1, (i + 1) * T);
      const mask = hold(tf.tensor2d(causal, [T, T], 'bool'));
      const negInf = hold(tf.scalar(-Infinity));
      compute = () => tf.softmax(tf.where(mask, negInf as TF.Tensor, x as TF.Tensor));
      break;
    }
    case 'cross_entropy_ignore': {
      const { N, C, ignoreIndex } = sizes.cross_entropy_ignore;
      const logits = hold(tf.tensor2d(detF32(N * C, 2), [N, C]));
      const picked = targets(N, C, ignoreIndex).flatMap((t, i) => (t === ignoreIndex ? [] : [i * C + t]));
      const idx = hold(tf.tensor1d(picked, 'int32'));
      compute = () => tf.neg(tf.mean(tf.gather(tf.logSoftmax(logits).reshape([-1]), idx)));
      break;
    }
    case 'qk_matmul': {
      const { B, H, T, D } = sizes.qk_matmul;
      const q = hold(tf.tensor3d(detF32(B * H * T * D, 3), [B * H, T, D]));
      const kt = hold(tf.tensor3d(detF32(B * H * D * T, 4), [B * H, D, T]));
      compute = () => tf.matMul(q, kt);
      break;
    }
  }
  return {
    run() {
      const out = tf.tidy(compute);
      result = out.dataSync();
      out.dispose();
    },
    output: () => result,
    dispose() {
      for (const t of keep) t.dispose();
    },
  };
}
