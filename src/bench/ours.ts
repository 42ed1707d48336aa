// Our engine's side of each workload, called through the Backend interface
// the way the ops layer composes it (operands built here, so the bench does
// not depend on src/engine/ops).

import type { Backend, Operand } from '../engine/kernels/backend';
import { matmulOrder } from '../engine/kernels/float32_matmul';
import { maskedSoftmaxJs } from '../engine/kernels/gpu';
import { allocateUnfilled, type TypedData } from '../engine/tensor';
import type { WasmBackend } from '../engine/kernels/wasm';
import { detF32, lengths, targets, type Sizes, type WorkloadName } from './workloads';

export interface Prepared {
  run(): void;
  /** The last run's output (for the checksum). */
  output(): ArrayLike<number>;
}

const op = (data: TypedData, strides: number[], offset = 0): Operand => ({ data, strides, offset });

/** pad[b, j] = j < len[b]; causal[i, j] = i >= j; combined[b, i, j] = pad[b, j] & causal[i, j]. */
export function combinedMask(b: Backend, { B, T }: Sizes['combined_mask']): Prepared {
  const ar = Float32Array.from({ length: T }, (_, i) => i);
  const len = Float32Array.from(lengths(B, T));
  let out: Uint8Array = new Uint8Array(0);
  return {
    run() {
      const pad = new Uint8Array(B * T);
      b.binary('lt', op(ar, [0, 1]), op(len, [1, 0]), [B, T], pad, false);
      const causal = new Uint8Array(T * T);
      b.binary('ge', op(ar, [1, 0]), op(ar, [0, 1]), [T, T], causal, false);
      out = new Uint8Array(B * T * T);
      b.binary('and', op(pad, [T, 0, 1]), op(causal, [0, T, 1]), [B, T, T], out, false);
    },
    output: () => out,
  };
}

export type MaskedSoftmaxVia = 'compose' | 'fused-kernel' | 'fused-js';
/** 'causal': a [T, T] mask of j > i broadcast over batch and heads; 'padding': [B, 1, 1, T], j >= lengths[b]. */
export type MaskKind = 'causal' | 'padding';

/**
 * scores [B,H,T,T] with the mask's true positions filled with -inf, softmax
 * over the last dim. 'compose' is where + softmax (the ops layer's path on
 * a backend without a fused kernel); 'fused-kernel' the backend's
 * maskedSoftmax; 'fused-js' the plain-JS fused loop the gpu backend falls
 * back to.
 */
export function maskedSoftmax(b: Backend, { B, H, T }: Sizes['masked_softmax'], via: MaskedSoftmaxVia, kind: MaskKind = 'causal'): Prepared {
  const shape = [B, H, T, T];
  const n = B * H * T * T;
  const x = detF32(n, 1);
  let mask: Operand;
  if (kind === 'causal') {
    const causal = new Uint8Array(T * T);
    for (let i = 0; i < T; i++) causal.fill(1, i * T + i + 1, (i + 1) * T);
    mask = op(causal, [0, 0, T, 1]);
  } else {
    const pad = new Uint8Array(B * T);
    lengths(B, T).forEach((len, b) => pad.fill(1, b * T + len, (b + 1) * T));
    mask = op(pad, [T, 0, 0, 1]);
  }
  const rows = B * H * T;
  let out: Float32Array = new Float32Array(0);
  return {
    run() {
      out = new Float32Array(n);
      if (via === 'fused-js') {
        maskedSoftmaxJs(x, mask, rows, T, -Infinity, out, shape);
      } else if (via === 'fused-kernel') {
        if (!b.maskedSoftmax) throw new Error(`${b.name} has no fused masked softmax`);
        // `out` is fresh and only ours: the backend may lend it to a worker (as the ops layer does).
        out = (b.maskedSoftmax(x, mask, rows, T, -Infinity, out, shape, true) as Float32Array | undefined) ?? out;
      } else {
        const filled = new Float32Array(n);
        b.where(mask, op(Float32Array.of(-Infinity), [0, 0, 0, 0]), op(x, [H * T * T, T * T, T, 1]), shape, filled);
        out = (b.softmax!(filled, rows, T, out, false, true) as Float32Array | undefined) ?? out;
      }
    },
    output: () => out,
  };
}

/** F.cross_entropy(logits [N,C], target, ignore_index) with mean reduction: log_softmax, then the picked mean (same float64 sum on every backend). */
export function crossEntropy(b: Backend, { N, C, ignoreIndex }: Sizes['cross_entropy_ignore']): Prepared {
  const logits = detF32(N * C, 2);
  const t = targets(N, C, ignoreIndex);
  let loss = NaN;
  const pick = (b as Partial<WasmBackend>).logSoftmaxPick;
  return {
    run() {
      // The picked log-probabilities: from the fused row kernel where the
      // backend has one (no [N, C] log_softmax written), else from log_softmax.
      let picked: (i: number) => number;
      if (pick) {
        const p = new Float32Array(N);
        pick(logits, N, C, t, ignoreIndex, p);
        picked = (i) => p[i];
      } else {
        const logp = new Float32Array(N * C);
        b.softmax!(logits, N, C, logp, true);
        picked = (i) => logp[i * C + t[i]];
      }
      let sum = 0, count = 0;
      for (let i = 0; i < N; i++) {
        if (t[i] === ignoreIndex) continue;
        sum -= picked(i);
        count++;
      }
      loss = Math.fround(sum / count);
    },
    output: () => [loss],
  };
}

/**
 * q [B,H,T,D] @ kᵀ [B,H,D,T], summed in the order torch.matmul's CPU kernel
 * uses for these shapes (as the ops layer asks: MKL's gemm for this bmm).
 */
export function qkMatmul(b: Backend, { B, H, T, D }: Sizes['qk_matmul']): Prepared {
  const q = detF32(B * H * T * D, 3);
  const kt = detF32(B * H * D * T, 4);
  const order = matmulOrder(4, 4, B * H, T, D, T);
  let out: Float32Array = new Float32Array(0);
  return {
    run() {
      // As the ops layer allocates a product's output (unzeroed, see allocateUnfilled).
      out = allocateUnfilled('float32', B * H * T * T) as Float32Array;
      b.matmul(q, kt, B * H, T, D, T, out, order);
    },
    output: () => out,
  };
}

/** A workload on backend `b` (masked_softmax by `via`), inputs built, not yet run. */
export function prepareOurs(name: Exclude<WorkloadName, 'hover_eval'>, b: Backend, sizes: Sizes, via: MaskedSoftmaxVia = 'compose'): Prepared {
  switch (name) {
    case 'combined_mask': return combinedMask(b, sizes.combined_mask);
    case 'masked_softmax': return maskedSoftmax(b, sizes.masked_softmax, via);
    case 'cross_entropy_ignore': return crossEntropy(b, sizes.cross_entropy_ignore);
    case 'qk_matmul': return qkMatmul(b, sizes.qk_matmul);
  }
}
