// The bench workloads on TensorFlow.js, on whichever backend is active:
// the same inputs as ours (workloads.ts), so checksums compare. No Node
// imports: tfjs.ts runs these in Node (tfjs-cpu, tfjs-wasm), browser_page.ts
// in Chromium (tfjs-webgl, tfjs-wasm).

import type * as TF from '@tensorflow/tfjs';
import type { Prepared } from './ours';
import { detF32, lengths, targets, type Sizes, type WorkloadName } from './workloads';

/** A workload on tfjs; tensors are created once, each run reads its result back (dataSync). */
export function tfjsWorkload(peer: { tf: typeof TF }, name: Exclude<WorkloadName, 'hover_eval'>, sizes: Sizes): Prepared & { dispose(): void } {
  // Op functions (tf.reshape(x, s)), not chained methods (x.reshape(s)): tfjs-core alone, as the page loads it, registers no chained ops.
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
        const pad = tf.less(tf.reshape(ar, [1, T]), tf.reshape(len, [B, 1]));
        const causal = tf.greaterEqual(tf.reshape(ar, [T, 1]), tf.reshape(ar, [1, T]));
        return tf.logicalAnd(tf.reshape(pad, [B, 1, T]), tf.reshape(causal, [1, T, T]));
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
      compute = () => tf.neg(tf.mean(tf.gather(tf.reshape(tf.logSoftmax(logits), [-1]), idx)));
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
