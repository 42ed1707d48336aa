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

/**
 * The operands of a large softmax over the last dim, which the inspector
 * webview recomputes for the view it draws (issue #15): `scores` before the
 * fill, `mask` broadcast to their shape (absent for a plain softmax), and
 * the fill. The evaluation worker keeps them with the result.
 */
export interface SoftmaxOperands {
  scores: Tensor;
  mask?: Tensor;
  fill: number;
}

/**
 * The operands of the float32 softmax over the last dim held in `storage`,
 * larger than MAX_DERIVED_ELEMENTS, reading a masked_fill (fused or a step
 * before) where there was one; undefined for anything else. Reads the
 * derivations recorded during the evaluation, so call it before they are
 * dropped.
 */
export function softmaxOperandsOf(storage: object): SoftmaxOperands | undefined {
  const d = derivationOf(storage);
  if (d?.op !== 'softmax' || d.input.numel <= MAX_DERIVED_ELEMENTS || d.input.dtype !== 'float32') return undefined;
  const nd = d.input.shape.length;
  if (nd === 0 || (d.dim + nd) % nd !== nd - 1) return undefined;
  const widen = (mask: Tensor, input: Tensor): Tensor | undefined => {
    try {
      return expand(mask, input.shape);
    } catch {
      return undefined;
    }
  };
  if (d.masked) {
    const mask = widen(d.masked.mask, d.input);
    return mask ? { scores: d.input, mask, fill: d.masked.fill } : undefined;
  }
  const fill = derivationOf(d.input.storage);
  if (fill?.op === 'masked_fill' && fill.input.dtype === 'float32' && fill.input.shape.length === nd) {
    const mask = widen(fill.mask, fill.input);
    if (mask) return { scores: fill.input, mask, fill: fill.fill };
  }
  return { scores: d.input, fill: 0 };
}

const encodeNumber = (x: number): EncodedNumber => (Number.isNaN(x) ? 'nan' : x === Infinity ? 'inf' : x === -Infinity ? '-inf' : x);

/**
 * A large softmax's derivation with its tensors as elided stubs (shape and
 * dtype, no data): the inspector draws scores → mask → probabilities from
 * the view's operands (SoftmaxOperands), which the worker serves on request.
 */
function largeSoftmax(storage: object, encode: (t: Tensor, inlineElements?: number) => EncodedValue, nameOf: (storage: object) => string | undefined): Derived | undefined {
  const o = softmaxOperandsOf(storage);
  const d = derivationOf(storage);
  if (!o || d?.op !== 'softmax') return undefined;
  const stub = (t: Tensor) => encode(t, 0);
  const scoresName = nameOf(o.scores.storage);
  const maskName = o.mask && nameOf((d.masked?.mask ?? (derivationOf(d.input.storage) as { mask?: Tensor } | undefined)?.mask ?? o.mask).storage);
  return {
    op: 'softmax', dim: d.dim, scores: stub(d.input),
    ...(o.mask ? { masked: { mask: stub(o.mask), fill: encodeNumber(o.fill), before: stub(o.scores), ...(maskName ? { name: maskName } : {}) } } : {}),
    ...(scoresName ? { scoresName } : {}),
  };
}

/**
 * The derivation of the tensor held in `storage`, encoded, or undefined when
 * nothing was recorded or a tensor involved is too large to send.
 * `encode` turns an engine tensor into the golden-JSON form; `nameOf` names a storage.
 */
export function derivedFor(storage: object, encode: (t: Tensor, inlineElements?: number) => EncodedValue, nameOf: (storage: object) => string | undefined): Derived | undefined {
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
      if (!small(d.input)) return largeSoftmax(storage, encode, nameOf);
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
