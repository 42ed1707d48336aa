// Where a tensor came from, for the few ops an inspector explains: softmax,
// masked_fill and the class-index losses. Keyed by the result's storage (a
// fresh one for each of these ops), recorded only while an evaluation listens,
// so the engine stays free of any idea of variables or masks.
import { getSlot, setSlot, slot } from './context';
import type { Tensor } from './tensor';

export type Derivation =
  | {
      op: 'softmax' | 'log_softmax';
      dim: number;
      input: Tensor;
      /** The softmax read input.masked_fill(mask, fill), computed in the same kernel (never materialised). */
      masked?: { mask: Tensor; fill: number };
    }
  | { op: 'masked_fill'; input: Tensor; mask: Tensor; fill: number }
  | {
      op: 'cross_entropy' | 'nll_loss';
      /** The loss of each target, as reduction='none' gives it (0 where ignored). */
      perToken: Tensor;
      target: Tensor;
      ignoreIndex: number;
      reduction: 'none' | 'mean' | 'sum';
    };

// null while nobody records (the evaluation's context holds it)
const DERIVATIONS = slot<Map<object, Derivation> | null>('derivations', () => null);

/** Start (or, with false, stop) recording; either way forget what was recorded. */
export function recordDerivations(on: boolean): void {
  setSlot(DERIVATIONS, on ? new Map() : null);
}

/** Record how `result` was computed (the first record of a storage wins). Returns `result`. */
export function noteDerivation(result: Tensor, d: Derivation): Tensor {
  const derivations = getSlot(DERIVATIONS);
  if (derivations && !derivations.has(result.storage)) derivations.set(result.storage, d);
  return result;
}

export function derivationOf(storage: object): Derivation | undefined {
  return getSlot(DERIVATIONS)?.get(storage);
}

/** Whether anyone records: callers skip the extra work (per-token losses) otherwise. */
export function recordingDerivations(): boolean {
  return getSlot(DERIVATIONS) !== null;
}

// Storages whose values came out of a mask-building op: a comparison (any bool
// tensor), tril/triu, a masked_fill, and casts or arithmetic of those
// (`(ids == pad).float()`, `1 - torch.tril(ones)`, `(1 - m) * -1e4`). A 0/1 or
// 0/-inf tensor without such a history (torch.ones, probs.sum(-1)) is not a mask.
const MASK_EVIDENCE = slot<WeakSet<object> | null>('mask-evidence', () => null);

/** Start (or stop) recording mask evidence. */
export function recordMaskEvidence(on: boolean): void {
  setSlot(MASK_EVIDENCE, on ? new WeakSet() : null);
}

/** `t` was built by a mask-building op (tril, triu, masked_fill). Returns `t`. */
export function noteMaskSource(t: Tensor): Tensor {
  getSlot(MASK_EVIDENCE)?.add(t.storage);
  return t;
}

/** `result` of a cast or arithmetic is mask evidence when an input is (a bool tensor, or one recorded). */
export function carryMaskEvidence(result: Tensor, ...inputs: unknown[]): Tensor {
  const maskEvidence = getSlot(MASK_EVIDENCE);
  if (!maskEvidence || maskEvidence.has(result.storage)) return result;
  for (const x of inputs) {
    if (typeof x === 'object' && x !== null && 'storage' in x && 'dtype' in x) {
      const t = x as Tensor;
      if (t.dtype === 'bool' || maskEvidence.has(t.storage)) {
        maskEvidence.add(result.storage);
        break;
      }
    }
  }
  return result;
}

/** Whether the tensor in `storage` has a mask-building op in its history. */
export function hasMaskEvidence(storage: object): boolean {
  return getSlot(MASK_EVIDENCE)?.has(storage) ?? false;
}

// Bool storages cast from an additive mask (`additive.bool()`, Hugging Face's
// to_4d: `causal.masked_fill(expanded.bool(), min)`): True there is where the
// additive mask blocks, whatever its rows look like (left padding leads with
// True). Kept in every evaluation: the mask checks read it.
const BLOCKING_BOOLS = slot<WeakSet<object>>('blocking-bools', () => new WeakSet());

/** `t` (bool) is True exactly where an additive mask blocked. Returns `t`. */
export function noteBlockingBool(t: Tensor): Tensor {
  getSlot(BLOCKING_BOOLS).add(t.storage);
  return t;
}

/** Whether `t` was cast from an additive mask, so True means blocked. */
export function isBlockingBool(t: Tensor): boolean {
  return getSlot(BLOCKING_BOOLS).has(t.storage);
}
