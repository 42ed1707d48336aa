// From the engine's derivation records (src/engine/provenance.ts) to the
// `Snapshot.derived` the inspector reads: encoded tensors, the mask broadcast
// to the scores' shape, the names of the variables involved, counted targets.
import { maskedFill } from '../engine/ops/compose';
import { expand } from '../engine/ops/shape';
import { derivationOf } from '../engine/provenance';
import type { Tensor } from '../engine/tensor';
import type { Derived, EncodedNumber, EncodedValue, MaskedBy } from './result';

/** Tensors larger than this are not attached (the inspector gets them from the snapshot itself). */
export const MAX_DERIVED_ELEMENTS = 1 << 16;

const encodeNumber = (x: number): EncodedNumber => (Number.isNaN(x) ? 'nan' : x === Infinity ? 'inf' : x === -Infinity ? '-inf' : x);

/**
 * The derivation of the tensor held in `storage`, encoded, or undefined when
 * nothing was recorded or a tensor involved is too large to send.
 * `encode` turns an engine tensor into the golden-JSON form; `nameOf` names a storage.
 */
export function derivedFor(storage: object, encode: (t: Tensor) => EncodedValue, nameOf: (storage: object) => string | undefined): Derived | undefined {
  const d = derivationOf(storage);
  if (!d) return undefined;
  const small = (...ts: Tensor[]) => ts.every((t) => t.numel <= MAX_DERIVED_ELEMENTS);
  const maskedBy = (input: Tensor, mask: Tensor, fill: number): MaskedBy | undefined => {
    if (!small(input)) return undefined;
    let wide: Tensor;
    try {
      wide = expand(mask, input.shape);
    } catch {
      return undefined; // masks that broadcast the scores up are shown as they are, without hatching
    }
    const name = nameOf(mask.storage);
    return { mask: encode(wide), fill: encodeNumber(fill), before: encode(input), ...(name ? { name } : {}) };
  };
  switch (d.op) {
    case 'softmax':
    case 'log_softmax': {
      if (!small(d.input)) return undefined;
      if (d.masked) {
        // a fused masked softmax: its input, the masked scores, was a temporary nobody named
        const masked = maskedBy(d.input, d.masked.mask, d.masked.fill);
        return { op: d.op, dim: d.dim, scores: encode(maskedFill(d.input, d.masked.mask, d.masked.fill)), ...(masked ? { masked } : {}) };
      }
      const fill = derivationOf(d.input.storage);
      const masked = fill?.op === 'masked_fill' ? maskedBy(fill.input, fill.mask, fill.fill) : undefined;
      const scoresName = nameOf(d.input.storage);
      return { op: d.op, dim: d.dim, scores: encode(d.input), ...(scoresName ? { scoresName } : {}), ...(masked ? { masked } : {}) };
    }
    case 'masked_fill': {
      const masked = maskedBy(d.input, d.mask, d.fill);
      return masked ? { op: 'masked_fill', masked } : undefined;
    }
    case 'cross_entropy':
    case 'nll_loss': {
      if (!small(d.perToken, d.target)) return undefined;
      const targets = d.target.values();
      let counted = 0;
      for (let i = 0; i < targets.length; i++) if (targets[i] !== d.ignoreIndex) counted++;
      return {
        op: d.op, perToken: encode(d.perToken), target: encode(d.target), ignoreIndex: d.ignoreIndex,
        reduction: d.reduction, counted, total: targets.length,
      };
    }
  }
}
