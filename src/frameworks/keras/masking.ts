// Keras's mask rules as pure tensor functions: Embedding(mask_zero=True)
// masks id 0; Masking masks a timestep whose features all equal mask_value
// and zeroes it in the output.

import { binary, cast } from '../../engine/ops/core';
import { reduce } from '../../engine/ops/reduce';
import { unsqueeze } from '../../engine/ops/shape';
import type { Tensor } from '../../engine/tensor';

export function embeddingComputeMask(ids: Tensor): Tensor {
  return binary('ne', ids, 0n);
}

/** any(x != mask_value, axis=-1) */
export function maskingComputeMask(x: Tensor, maskValue: number): Tensor {
  return reduce('any', binary('ne', x, maskValue), -1);
}

/** x * cast(keep[..., None], x.dtype), as Masking.call does. */
export function maskingApply(x: Tensor, maskValue: number): Tensor {
  const keep = cast(unsqueeze(maskingComputeMask(x, maskValue), -1), x.dtype);
  return binary('mul', x, keep);
}
