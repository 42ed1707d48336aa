// Who reads a tensor as a mask, and what True / non-zero means to that
// reader: masked_fill fills where True, scaled_dot_product_attention's bool
// attn_mask attends where True, MultiheadAttention's key_padding_mask masks
// where True, Keras keeps where True. The frameworks name the consumer when
// they read a mask (checks.ts, noteMaskConsumer); the engine keeps that name
// by storage as an opaque string (src/engine/diagnostics.ts); the hover, the
// inspector and the webview phrase it from here. No engine import: the
// webview bundles this file.

import type { EncodedValue, MaskLegend } from '../python/result';
import { binaryValued, isTensor } from './values';

/**
 * Who reads a tensor as a mask, so the UI can give its legend in the
 * consumer's convention (True = filled for masked_fill, True = attend for
 * scaled_dot_product_attention, ...).
 */
export type MaskConsumer =
  | 'masked_fill'
  | 'where'
  | 'scaled_dot_product_attention'
  | 'MultiheadAttention.key_padding_mask'
  | 'MultiheadAttention.attn_mask'
  | 'keras-mask'
  | 'added';

/**
 * How the UI names the reader of a mask: a call is "read by `masked_fill`"
 * (text + code); an additive mask summed into the scores has no call to name,
 * so it reads "added to scores"; a `_keras_mask` is "read by Keras layers"
 * (the mask-consuming layers it reaches, not one call).
 */
export function consumerPhrase(consumer: MaskConsumer | string): { text: string; code?: string } {
  if (consumer === 'added') return { text: 'added to scores' };
  if (consumer === 'keras-mask') return { text: 'read by Keras layers' };
  return { text: 'read by', code: consumer };
}

/** The legend of a mask grid under the convention of the code that consumed it. */
export function consumerLegend(consumer: MaskConsumer | string, dtype: string): MaskLegend {
  const additive = dtype !== 'bool' && /float|half|double/.test(dtype);
  switch (consumer) {
    case 'masked_fill':
      return { on: 'masked (filled)', off: 'kept' };
    case 'where':
      return { on: 'takes input', off: 'takes other' };
    case 'scaled_dot_product_attention':
      return additive ? { on: 'added (−inf = masked)', off: 'attends' } : { on: 'attends', off: 'masked' };
    case 'MultiheadAttention.key_padding_mask':
    case 'MultiheadAttention.attn_mask':
      return additive ? { on: 'added (−inf = masked)', off: 'attends' } : { on: 'masked (not allowed)', off: 'attends' };
    case 'keras-mask':
      return { on: 'kept', off: 'masked' };
    case 'added':
      return { on: 'masked (large negative added)', off: 'attends (0 added)' };
    default:
      return { on: 'true/nonzero', off: 'false/zero' }; // a consumer this vocabulary does not name
  }
}

/**
 * Whether True / non-zero means masked to the code that reads the mask
 * (masked_fill, key_padding_mask: yes; SDPA's bool attn_mask, Keras, Hugging
 * Face's attention_mask, also as the name convention nameLegend gives: no;
 * an additive mask: yes); undefined when the reader does not say
 * (torch.where).
 */
export function onMeansMasked(consumer: MaskConsumer | string, dtype: string): boolean | undefined {
  if (/attention_mask/.test(consumer)) return false;
  const legend = consumerLegend(consumer, dtype);
  if (/^(masked|added)/.test(legend.on)) return true;
  if (/^masked/.test(legend.off)) return false;
  return undefined;
}

/**
 * Which value of a mask means masked, for pooling a downsampled grid so that
 * no masked cell drops out of its block (src/render/pool.ts): 'zero' for a
 * keep-mask (SDPA's bool attn_mask, Keras, Hugging Face's attention_mask, a
 * tril keep-mask: False / 0 = masked), 'nonzero' for a block-mask
 * (masked_fill, key_padding_mask: True = masked) and for an additive one
 * (-inf = masked), and for a mask of unknown polarity (True wins, as before).
 * Undefined for a value that is no mask. The reader's convention wins over
 * the polarity read from the values (`maskParts.keep`).
 */
export function maskedCells(s: { value: EncodedValue; mask?: string; consumer?: string; maskParts?: { keep?: boolean } }): 'zero' | 'nonzero' | undefined {
  if (!isTensor(s.value)) return undefined;
  const onMasks = s.consumer ? onMeansMasked(s.consumer, s.value.dtype) : undefined;
  const keep = onMasks !== undefined ? !onMasks : s.maskParts?.keep;
  if (keep === undefined && !s.mask && !s.consumer) return undefined;
  return keep ? 'zero' : 'nonzero';
}

/** A convention known from the name alone: Hugging Face's `attention_mask` is 1 = keep. */
export function nameLegend(name: string, v: EncodedValue): (MaskLegend & { consumer: string }) | undefined {
  if (!/(^|_)attention_mask$/.test(name) || !isTensor(v) || !binaryValued(v)) return undefined;
  return { consumer: 'attention_mask (Hugging Face convention)', on: 'attends (1 = keep)', off: 'masked' };
}
