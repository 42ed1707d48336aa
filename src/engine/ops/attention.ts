// Attention kernels the frameworks call as one op: PyTorch's CPU flash
// attention and the masked softmax of its native multi-head attention.

import { checkDeadline } from '../context';
import { flashAttention32 } from '../kernels/flash_attention32';
import { backendFor } from '../kernels/select';
import { glibcExpf } from '../kernels/sleef32';
import { Tensor } from '../tensor';
import { checkSize, contiguous } from './core';
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
  const f32 = (t: Tensor) => {
    const v = t.values(); // the kernel only reads its inputs
    return v instanceof Float32Array ? v : Float32Array.from(v);
  };
  flashAttention32(
    f32(query), f32(key), f32(value), mask, B, H, L, S, E, isCausal, scale, out.storage.data as Float32Array,
    (a, bm, batch, m, k, n, o) => backendFor(batch * m * k * n, 'float32').matmul(a, bm, batch, m, k, n, o, 'gemm'),
    checkDeadline,
  );
  return out;
}

/**
 * torch._masked_softmax on the CPU (ATen SoftMax.cpp, host_softmax with
 * MaskedSoftMax), over the last dim; nn.MultiheadAttention's eval fast path
 * (torch._native_multi_head_attention) normalises its masked scores with
 * it. x: float32 or float64 [..., S]; `masked`: bool broadcastable to x,
 * True = left out. Per row: the max of the kept scores (std::max), z =
 * exp(x - max) where kept (std::exp: glibc's expf for float32), 0 where
 * masked, summed in double; out = z * (1 / sum) rounded once. A row with
 * nothing kept (sum 0) comes out NaN. Returns x's dtype and shape.
 */
export function hostMaskedSoftmax(x: Tensor, masked: Tensor): Tensor {
  const xc = contiguous(x);
  const xv = xc.values();
  const m = expand(masked, x.shape).values();
  const out = Tensor.empty(x.dtype, x.shape);
  const o = out.storage.data;
  const S = x.shape[x.ndim - 1];
  const single = x.dtype === 'float32';
  const exp = single ? (v: number) => glibcExpf(Math.fround(v)) : Math.exp;
  const z = new Float64Array(S); // one row's exps, every entry rewritten per row
  for (let r = 0; r * S < x.numel; r++) {
    const base = r * S;
    let max = xv[base], seen = false;
    for (let d = 0; d < S; d++) {
      if (m[base + d]) continue;
      max = seen ? (max < xv[base + d] ? xv[base + d] : max) : xv[base + d];
      seen = true;
    }
    let sum = 0;
    for (let d = 0; d < S; d++) {
      z[d] = m[base + d] ? 0 : exp(xv[base + d] - max);
      sum += z[d];
    }
    const inv = sum === 0 ? NaN : 1 / sum;
    for (let d = 0; d < S; d++) o[base + d] = z[d] * inv; // the store rounds float32 once
  }
  return out;
}
