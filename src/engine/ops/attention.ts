// Attention kernels the frameworks call as one op.

import { checkDeadline } from '../context';
import { flashAttention32 } from '../kernels/flash_attention32';
import { backendFor } from '../kernels/select';
import { Tensor } from '../tensor';
import { checkSize } from './core';
import { expand } from './shape';

/**
 * PyTorch 2.13's CPU flash-attention kernel (ATen
 * _scaled_dot_product_flash_attention_for_cpu, FlashAttentionKernel.cpp)
 * for float32, bit for bit on its AVX512 build (see flash_attention32.ts):
 * query [B, H, L, E], key and value [B, H, S, E] -> [B, H, L, E] float32.
 * `attnMask` is null, bool (true = attend) or float32 (added to the scaled
 * scores; the caller casts another float dtype), 2-D [L or 1, S or 1] or 4-D [B or 1, H or 1, L or 1, S or 1];
 * `isCausal` lets query i attend keys j <= i (applied together with a
 * mask, as this kernel does); `scale` multiplies q @ k^T. A query whose
 * every key is masked comes out as zeros. Raises nothing itself: the caller
 * checks dtypes and shapes as sdp_utils_cpp's use_flash_attention_cpp does,
 * and checkSize may raise for the [B, H, L, S] scores.
 */
export function flashAttention(query: Tensor, key: Tensor, value: Tensor, attnMask: Tensor | null, isCausal: boolean, scale: number): Tensor {
  const [B, H, L, E] = query.shape;
  const S = key.shape[2];
  checkSize(B * H * L * S);
  const out = Tensor.empty('float32', [B, H, L, E]);
  let mask = null;
  if (attnMask) {
    // ATen's convert_boolean_attn_mask: True keeps a key (0), False drops it (-inf)
    const additive = attnMask.dtype === 'bool'
      ? Tensor.fromData('float32', attnMask.shape, Float32Array.from(attnMask.values(), (keep) => (keep ? 0 : -Infinity)))
      : attnMask;
    const m = expand(additive, [B, H, L, S]);
    mask = { data: m.storage.data, offset: m.offset, strides: m.strides as [number, number, number, number] };
  }
  const f32 = (t: Tensor) => Float32Array.from(t.values());
  flashAttention32(
    f32(query), f32(key), f32(value), mask, B, H, L, S, E, isCausal, scale, out.storage.data as Float32Array,
    (a, bm, batch, m, k, n, o) => backendFor(batch * m * k * n, 'float32').matmul(a, bm, batch, m, k, n, o, 'gemm'),
    checkDeadline,
  );
  return out;
}
