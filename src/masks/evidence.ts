// Mask evidence: which storages came out of a mask-building op, and which
// bool storages block where True. The frameworks note it at the ops that
// build masks (tril, triu, masked_fill, casts and arithmetic of those, a
// bool cast of an additive mask); the mask pass and checks read it. Kept in
// the evaluation's context (src/engine/context.ts), keyed by storage, so
// the engine itself holds no idea of a mask.
import { getSlot, setSlot, slot } from '../engine/context';
import type { Tensor } from '../engine/tensor';

// Storages whose values came out of a mask-building op: a comparison (any bool
// tensor), tril/triu, a masked_fill, and casts or arithmetic of those
// (`(ids == pad).float()`, `1 - torch.tril(ones)`, `(1 - m) * -1e4`). A 0/1 or
// 0/-inf tensor without such a history (torch.ones, probs.sum(-1)) is not a mask.
// null while nobody records (only a timeline is annotated).
const MASK_HISTORY = slot<WeakSet<object> | null>('mask-evidence', () => null);

/** Start (or stop) recording which storages a mask-building op made; either way forget what was recorded. */
export function recordMaskEvidence(on: boolean): void {
  setSlot(MASK_HISTORY, on ? new WeakSet() : null);
  setSlot(POSITIONS, on ? new WeakSet() : null);
  setSlot(FROM_LENGTHS, on ? new WeakSet() : null);
}

/** `t` was built by a mask-building op (tril, triu, masked_fill). Returns `t`. */
export function noteMaskSource(t: Tensor): Tensor {
  getSlot(MASK_HISTORY)?.add(t.storage);
  return t;
}

/** `result` of a cast or arithmetic has a mask history when an input has (a bool tensor, or one recorded). Returns `result`. */
export function carryMaskEvidence(result: Tensor, ...inputs: unknown[]): Tensor {
  const history = getSlot(MASK_HISTORY);
  if (!history || history.has(result.storage)) return result;
  for (const x of inputs) {
    if (typeof x === 'object' && x !== null && 'storage' in x && 'dtype' in x) {
      const t = x as Tensor;
      if (t.dtype === 'bool' || history.has(t.storage)) {
        history.add(result.storage);
        break;
      }
    }
  }
  return result;
}

/**
 * Whether the tensor in `storage` has a mask-building op in its history
 * (the storage-level record; classify.ts's mayBeMask weighs it with the
 * values and the name).
 */
export function hasMaskHistory(storage: object): boolean {
  return getSlot(MASK_HISTORY)?.has(storage) ?? false;
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

// Position indices (`torch.arange(T)`, its views, and arithmetic of it with
// scalars or other positions) and the bool masks made by comparing them with
// a lengths tensor (d2l's sequence_mask `arange(maxlen)[None, :] <
// valid_len[:, None]`, ESPnet's make_pad_mask `arange(T) >= lengths[:, None]`):
// such a mask is key padding whatever its values draw (lengths 1, 2 over 3
// positions look like a top-left tril). Positions compared with positions
// (`arange(T)[None, :] <= arange(T)[:, None]`) build causal masks, not padding.
// null while nobody records.
const POSITIONS = slot<WeakSet<object> | null>('mask-positions', () => null);
const FROM_LENGTHS = slot<WeakSet<object> | null>('mask-from-lengths', () => null);

const isTensorLike = (x: unknown): x is Tensor => typeof x === 'object' && x !== null && 'storage' in x && 'dtype' in x && 'shape' in x;

/** `t` holds position indices (torch.arange). Returns `t`. */
export function notePositions(t: Tensor): Tensor {
  getSlot(POSITIONS)?.add(t.storage);
  return t;
}

/**
 * The evidence a binary op's `result` inherits from its operands `a`, `b`
 * (a Tensor or a Python scalar): `positions < lengths` or `positions >=
 * lengths` (either side, a lengths tensor of more than one element, no
 * positions) is a mask built from lengths; arithmetic of positions with scalars or
 * positions stays positions. Returns `result`.
 */
export function carryPositions(result: Tensor, op: string, a: unknown, b: unknown): Tensor {
  const positions = getSlot(POSITIONS);
  if (!positions) return result;
  const isPos = (x: unknown) => isTensorLike(x) && positions.has(x.storage);
  const lengthsLike = (x: unknown) => isTensorLike(x) && !positions.has(x.storage) && x.shape.reduce((n, d) => n * d, 1) > 1 && x.dtype !== 'bool';
  if (/^[<>]=?$/.test(op)) {
    // only `positions < lengths` (keep) and `positions >= lengths` (pad) cut a row at a length; `positions >
    // other` / `<=` put the cut after the other's value: Hugging Face's `arange(K) > cache_position.reshape(-1, 1)`
    // (query positions, a literal tensor or not), a causal mask over cached keys that its values name
    const pos = isPos(a) ? op === '<' || op === '>=' : op === '>' || op === '<=';
    if (pos && ((isPos(a) && lengthsLike(b)) || (isPos(b) && lengthsLike(a)))) getSlot(FROM_LENGTHS)?.add(result.storage);
    return result;
  }
  if (/^([-+*]|\/\/)$/.test(op) && (isPos(a) || isPos(b)) && [a, b].every((x) => !isTensorLike(x) || isPos(x) || x.shape.length === 0)) positions.add(result.storage);
  return result;
}

/** `result` (a cast or `~` of `input`) was built from lengths when `input` was. Returns `result`. */
export function carryFromLengths(result: Tensor, input: Tensor): Tensor {
  const fromLengths = getSlot(FROM_LENGTHS);
  if (fromLengths?.has(input.storage)) fromLengths.add(result.storage);
  return result;
}

/**
 * `result` holds `input`'s values in another layout or dtype (clone,
 * contiguous, repeat, tile, a cast), so it keeps what `input` was evidence
 * of: a mask history, "built from lengths", a bool cast from an additive
 * mask, and positions (unless cast to bool, which holds no index). Returns
 * `result`. Views need none of this: they share `input`'s storage.
 */
export function carryCopyEvidence(result: Tensor, input: Tensor): Tensor {
  if (result.storage === input.storage) return result;
  carryFromLengths(carryMaskEvidence(result, input), input);
  const positions = getSlot(POSITIONS);
  if (positions?.has(input.storage) && result.dtype !== 'bool') positions.add(result.storage);
  if (result.dtype === 'bool' && isBlockingBool(input)) noteBlockingBool(result);
  return result;
}

/** Whether the tensor in `storage` is a comparison of positions with lengths (a key padding mask by how it was built). */
export function builtFromLengths(storage: object): boolean {
  return getSlot(FROM_LENGTHS)?.has(storage) ?? false;
}
