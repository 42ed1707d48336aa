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
