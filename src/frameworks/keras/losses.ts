// keras.losses.SparseCategoricalCrossentropy in engine terms: the per-target
// loss of integer labels against class scores on the last axis, with
// Keras 3's from_logits, ignore_class and reduction semantics
// (keras/src/losses/losses.py sparse_categorical_crossentropy; the TF
// backend clips probabilities to [1e-7, 1 - 1e-7] and takes their log).

import { clamp, crossEntropy } from '../../engine/ops/compose';
import { binary, cast, scalarTensor, unary, where } from '../../engine/ops/core';
import { reduce } from '../../engine/ops/reduce';
import { reshape } from '../../engine/ops/shape';
import { Tensor } from '../../engine/tensor';

/** Keras' backend epsilon, the clip of probabilities before their log. */
const KERAS_EPSILON = 1e-7;

export type KerasReduction = 'sum_over_batch_size' | 'sum' | 'none';

/**
 * Sparse categorical cross-entropy, as a Keras loss object computes it.
 * - `yTrue` integer labels `[...]`; `yPred` scores `[..., C]` (logits when
 *   `fromLogits`, else probabilities); the result is float32.
 * - `ignoreClass`: targets equal to it contribute 0 and are left out of the
 *   mean (Keras masks them), the Keras counterpart of PyTorch's ignore_index.
 * - `reduction` 'none' keeps the `[...]` shape; 'sum' sums; the default
 *   'sum_over_batch_size' averages over the counted targets.
 */
export function sparseCategoricalCrossentropy(
  yTrue: Tensor, yPred: Tensor, opts: { fromLogits: boolean; ignoreClass: number | null; reduction: KerasReduction },
): Tensor {
  const classes = yPred.shape[yPred.ndim - 1];
  const labels = cast(yTrue, 'int64');
  const valid = opts.ignoreClass === null ? null : binary('ne', labels, scalarTensor(opts.ignoreClass, 'int64'));
  // ignored targets point at class 0 so the gather stays in range; their loss is zeroed below
  const safeLabels = valid ? where(valid, labels, scalarTensor(0, 'int64')) : labels;
  const scores = opts.fromLogits ? cast(yPred, 'float32') : unary('log', clamp(cast(yPred, 'float32'), KERAS_EPSILON, 1 - KERAS_EPSILON));
  const per = reshape(
    crossEntropy(reshape(scores, [-1, classes]), reshape(safeLabels, [-1]), { reduction: 'none', ignoreIndex: -100 }),
    [...labels.shape],
  );
  const loss = valid ? where(valid, per, scalarTensor(0, 'float32')) : per;
  if (opts.reduction === 'none') return loss;
  const total = reduce('sum', loss);
  if (opts.reduction === 'sum') return total;
  const count = valid ? reduce('sum', cast(valid, 'float32')) : scalarTensor(Math.max(loss.numel, 1), 'float32');
  return binary('div', total, count);
}
