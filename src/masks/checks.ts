// Mask checks raised where a mask is consumed (issue #6), in the field's
// words: masked_fill's fill and dtype, softmax rows a mask emptied, ignored
// targets, key_padding_mask polarity, broadcasts. The frameworks call them;
// they read engine tensors through the engine's neutral hooks (sink, consumer
// record keyed by storage) and must never throw. Classification of the values
// a snippet leaves behind is in classify.ts; the consumers' vocabulary, which
// both share, is in consumers.ts.

import { DType, castValue, isFloating } from '../engine/dtype';
import { getSlot, slot } from '../engine/context';
import { diagnose, diagnosing, guarded, noteConsumer } from '../engine/diagnostics';
import { Tensor } from '../engine/tensor';
import { expand } from '../engine/ops/shape';
import { isBlockingBool } from './evidence';
import type { MaskConsumer } from './consumers';
import { ADDITIVE_MASK_FLOOR, additiveValues, blocksAdditively } from './values';

/** Record that `t` was read as a mask by `consumer` (the engine keeps it by storage). */
export function noteMaskConsumer(t: Tensor, consumer: MaskConsumer): void {
  noteConsumer(t, consumer);
}

// Finite fill values stored by masked_fill during this evaluation, as stored
// in the tensor's dtype: a softmax row made only of one of these was fully
// masked with a finite fill (uniform, not NaN).
const FILLS_SEEN = slot<Set<number>>('mask-fills', () => new Set());

const torchDtype = (d: DType) => `torch.${d}`;

function listIndices(ids: string[], max = 4): string {
  return ids.slice(0, max).join(', ') + (ids.length > max ? ', …' : '');
}

/** Rows along `dim` of a tensor: calls visit(rowValues, coordsOfOtherDims) for each. */
function forEachRow(x: Tensor, dim: number, visit: (row: number[], coords: number[]) => void, wanted?: (first: number, coords: number[]) => boolean): void {
  const vals = x.values();
  const shape = x.shape;
  const size = shape[dim];
  let inner = 1;
  for (let i = dim + 1; i < shape.length; i++) inner *= shape[i];
  const outer = size === 0 ? 0 : vals.length / (size * inner);
  const others = shape.filter((_, i) => i !== dim);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      let flat = o * inner + i;
      const coords = new Array(others.length).fill(0);
      for (let j = others.length - 1; j >= 0; j--) {
        coords[j] = flat % others[j];
        flat = Math.floor(flat / others[j]);
      }
      // a row its first element rules out is never built (softmax inputs of 67M elements: most rows)
      if (wanted && size > 0 && !wanted(Number(vals[o * size * inner + i]), coords)) continue;
      const row: number[] = new Array(size);
      for (let k = 0; k < size; k++) row[k] = Number(vals[o * size * inner + k * inner + i]);
      visit(row, coords);
    }
  }
}

const coordText = (c: number[]) => (c.length === 1 ? `${c[0]}` : `[${c.join(', ')}]`);

/**
 * True when every row (last dim) of a bool mask runs True…True then False…False
 * and at least one row ends in False: the shape of a keep-mask (`seq != pad`,
 * `arange < lengths`, `tril`), i.e. True on the positions that should stay.
 * A mask True on the first position alone in every row is not one: it masks
 * the CLS / BOS token on purpose.
 */
function looksLikeKeepMask(mask: Tensor): boolean {
  if (mask.dtype !== 'bool' || mask.ndim < 2) return false;
  const T = mask.shape[mask.ndim - 1];
  if (T < 2) return false;
  const v = mask.values();
  if (strictlyLowerTriangle(v, mask.shape[mask.ndim - 2], T)) return true;
  let sawPadding = false;
  let longerThanOne = false;
  for (let r = 0; r < v.length / T; r++) {
    const row = v.subarray(r * T, (r + 1) * T);
    if (row[0] === 0) return false;
    const flip = row.indexOf(0);
    if (flip === -1) continue;
    for (let c = flip; c < T; c++) if (row[c] !== 0) return false;
    sawPadding = true;
    if (flip > 1) longerThanOne = true;
  }
  // True on the first position only, in every row: a mask of the CLS / BOS token, meant as masked
  return sawPadding && longerThanOne;
}

/**
 * Every [T, T] matrix of `v` is `tril(ones, diagonal=d)` with d < 0 (T ≥ 3,
 * some row partly True): a keep-mask of the strict past whose first rows
 * are all False, which looksLikeKeepMask's row rule (row 0 leads with True)
 * misses. Under masked_fill it hides each query's past and keeps the future.
 */
function strictlyLowerTriangle(v: ArrayLike<number>, rows: number, cols: number): boolean {
  if (rows !== cols || rows < 3 || v.length === 0) return false;
  const d = -Array.from({ length: rows }, (_, r) => v[r * cols]).indexOf(1);
  if (d >= 0 || d <= -(rows - 1)) return false;
  for (let i = 0; i < v.length; i++) {
    const r = Math.floor(i / cols) % rows, c = i % cols;
    if ((v[i] !== 0) !== (c <= r + d)) return false;
  }
  return true;
}

const sameShape = (a: Tensor, b: Tensor) => a.ndim === b.ndim && a.shape.every((n, i) => n === b.shape[i]);

/**
 * `inv.masked_fill(inv.bool(), min)`: a 0/1 float tensor filled exactly where
 * it holds 1, Hugging Face's `_expand_mask` (inv = 1.0 - attention_mask). The
 * tensor's own 1s say which positions are masked, so a True-leading mask here
 * is left padding under a block-mask, not an inverted keep-mask.
 */
function fillsOwnOnes(x: Tensor, mask: Tensor): boolean {
  if (!isFloating(x.dtype) || !sameShape(x, mask)) return false;
  const xv = x.values();
  const mv = mask.values();
  for (let i = 0; i < xv.length; i++) {
    if (xv[i] !== 0 && xv[i] !== 1) return false;
    if ((xv[i] === 1) !== (mv[i] !== 0)) return false;
  }
  return true;
}

/**
 * `mask.masked_fill_(tril(ones_like(mask, bool), diagonal=d), min)` on an
 * additive attention mask, Hugging Face's sliding window: the tril masks keys
 * too far in the past. Every query still sees its own key, the one on the
 * diagonal aligned bottom-right (key c = query r + keys - queries, the
 * KV-cache layout), which the existing mask keeps and the new one leaves
 * alone; an inverted keep-mask (a tril reaching the diagonal, or padding)
 * would mask it.
 */
function masksPastOnly(x: Tensor, mask: Tensor): boolean {
  if (!isFloating(x.dtype) || !sameShape(x, mask) || x.ndim < 2) return false;
  const rows = x.shape[x.ndim - 2];
  const cols = x.shape[x.ndim - 1];
  if (rows < 2 || cols < rows) return false;
  const xv = x.values();
  // x must already be an additive mask that blocks something (the causal part)
  if (!additiveValues(xv)) return false;
  const mv = mask.values();
  const offset = cols - rows;
  for (let m = 0; m < xv.length / (rows * cols); m++) {
    for (let r = 0; r < rows; r++) {
      const at = m * rows * cols + r * cols + r + offset;
      if (mv[at] !== 0 || xv[at] !== 0) return false;
    }
  }
  return true;
}

function invertedMaskMessage(consumer: string): string {
  return `${consumer} treats True as "masked", but this mask is True on each row's leading positions and False on the trailing ones: it looks like a keep-mask (seq != pad, arange < lengths, tril), so the real tokens get masked and the padding (or the future) is kept. Pass ~mask (or mask == 0) if True should mean "keep".`;
}

/** masked_fill / masked_fill_: mask dtype and fill value against self's dtype. */
export function checkMaskedFill(x: Tensor, mask: Tensor, value: Tensor | boolean | bigint | number, op: string): void {
  guarded(() => {
    const fill = value instanceof Tensor ? (value.numel === 1 ? value.item() : 0) : Number(value);
    if (blocksAdditively(fill) && looksLikeKeepMask(mask) && !isBlockingBool(mask) && !fillsOwnOnes(x, mask) && !masksPastOnly(x, mask)) {
      diagnose('inverted-mask', 'warning', invertedMaskMessage(`${op} with ${fill === -Infinity ? '-inf' : fill}`));
    }
    if (mask.dtype === 'uint8') {
      diagnose('uint8-mask', 'info', `${op} got a torch.uint8 mask: PyTorch 2.x raises for byte masks (1.13 accepted them with a deprecation warning). Use mask.bool().`);
    } else if (mask.dtype !== 'bool') {
      diagnose('non-bool-mask', 'warning',
        `${op} got a ${torchDtype(mask.dtype)} mask, but it needs torch.bool: PyTorch 2.x raises (1.13 read only the low byte of each element, so a float 1.0 filled nothing). Convert with mask.bool() (or mask == 0 if 1 means "keep").`);
    }
    if (value instanceof Tensor || typeof value === 'boolean') return;
    const v = Number(value);
    if (!isFloating(x.dtype)) return;
    const stored = castValue(x.dtype, v);
    if (Number.isFinite(v) && !Number.isFinite(stored)) {
      diagnose('fill-overflow', 'warning',
        `${op} value ${v} overflows ${torchDtype(x.dtype)} and is stored as ${stored}: rows where every position is masked will be NaN after softmax. Use torch.finfo(${torchDtype(x.dtype)}).min or float('-inf') deliberately.`);
    }
    if (Number.isFinite(stored)) getSlot(FILLS_SEEN).add(stored);
  });
}

/** masked_select / x[mask]: only the byte mask is worth a word here (an error for masked_select in 2.x, deprecated for x[mask]). */
export function checkSelectMask(mask: Tensor, op: string): void {
  guarded(() => {
    if (mask.dtype === 'uint8') {
      const why = op === 'masked_select' ? 'PyTorch 2.x raises for byte masks' : 'byte masks are deprecated';
      diagnose('uint8-mask', 'info', `${op} got a torch.uint8 mask: ${why}. Use mask.bool().`);
    }
  });
}

/** softmax / log_softmax input (dim already normalized): size-one axis and uniformly filled rows. */
export function checkSoftmax(x: Tensor, dim: number, log: boolean, masked?: { mask: Tensor; fill: number }): void {
  guarded(() => {
    const fn = log ? 'log_softmax' : 'softmax';
    if (x.ndim === 0 || !isFloating(x.dtype)) return;
    const d = dim < 0 ? dim + x.ndim : dim;
    if (d < 0 || d >= x.ndim) return;
    // softmax(x.masked_fill(mask, fill)) in one step: each row as the masked copy would hold it
    const filler = masked && maskRowFiller(x, d, masked.mask, castValue(x.dtype, masked.fill));
    // [..., 1, 1] over the last dim: one query meeting one key (a decoder's
    // first step, the Annotated Transformer's greedy_decode), where 1 is right
    const oneQueryOneKey = x.ndim >= 3 && d === x.ndim - 1 && x.shape[d - 1] === 1;
    if (x.shape[d] === 1 && x.numel > 0 && !oneQueryOneKey) {
      diagnose('softmax-size-one', 'warning',
        `${fn} over dim ${dim}, which has size 1: the result is always ${log ? '0' : '1'}. The softmax probably belongs on another axis (e.g. the sequence axis, dim=-1 of [B, T]).`);
      return;
    }
    if (x.shape[d] < 2) return;
    const uniform: string[] = [];
    let fill = 0;
    const fills = getSlot(FILLS_SEEN);
    const fillLike = (v: number) => Number.isFinite(v) && (fills.has(v) || v <= ADDITIVE_MASK_FLOOR);
    forEachRow(x, d, (row, coords) => {
      filler?.fill(row, coords);
      const v = row[0];
      if (!fillLike(v)) return;
      if (row.every((y) => y === v)) {
        uniform.push(coordText(coords));
        fill = v;
      }
    }, (first, coords) => fillLike(filler ? filler.first(first, coords) : first));
    if (uniform.length) {
      diagnose('uniform-row', 'warning',
        `${fn} input has ${uniform.length} row${uniform.length > 1 ? 's' : ''} (${listIndices(uniform)}) where every position holds the fill ${fill}: a fully masked row under a finite fill becomes uniform 1/${x.shape[d]} instead of NaN, so it silently attends to padding.`);
    }
  });
}

/**
 * Rows of x.masked_fill(mask, fill) along `dim` from rows of `x` (as
 * forEachRow hands them out, with the coordinates of the other dims):
 * `fill` overwrites a row where `mask`, broadcast to x's shape, is true;
 * `first` gives the masked row's first element from x's.
 */
function maskRowFiller(x: Tensor, dim: number, mask: Tensor, fill: number) {
  const m = expand(mask, x.shape);
  const data = m.storage.data;
  const others = x.shape.map((_, i) => i).filter((i) => i !== dim);
  const step = m.strides[dim];
  const start = (coords: number[]) => {
    let off = m.offset;
    for (let j = 0; j < others.length; j++) off += coords[j] * m.strides[others[j]];
    return off;
  };
  return {
    fill(row: number[], coords: number[]): void {
      const off = start(coords);
      for (let k = 0; k < row.length; k++) if (data[off + k * step]) row[k] = fill;
    },
    first: (v: number, coords: number[]): number => (data[start(coords)] ? fill : v),
  };
}

/** cross_entropy / nll_loss with class-index targets. */
export function checkClassTargets(target: Tensor, ignoreIndex: number, reduction: string, fn: string): void {
  guarded(() => {
    if (isFloating(target.dtype) || target.dtype === 'bool' || target.numel === 0) return;
    const tv = Array.from(target.values(), Number);
    if (reduction === 'mean' && tv.every((t) => t === ignoreIndex)) {
      diagnose('all-targets-ignored', 'warning',
        `${fn}: every target equals ignore_index=${ignoreIndex}, so the mean is 0/0 = NaN. Skip such batches or use reduction='sum'.`);
      return;
    }
    // Conservative pad heuristic: mean reduction (with 'none' people often mask by
    // hand), default ignore_index, nothing marked -100, and some sequence (last
    // axis, at least 4 long) ends or starts with a run of ≥2 zeros after/before
    // real tokens: the shape of right- or left-padded token ids with pad id 0.
    if (reduction !== 'mean' || ignoreIndex !== -100 || tv.some((t) => t === -100)) return;
    const T = target.ndim === 0 ? 1 : target.shape[target.ndim - 1];
    if (T < 4) return;
    const padded: number[] = [];
    for (let r = 0; T > 0 && r < tv.length / T; r++) {
      const row = tv.slice(r * T, (r + 1) * T);
      if (!row.some((t) => t !== 0)) continue;
      const trailing = row.length - 1 - findLastIndex(row, (t) => t !== 0);
      const leading = row.findIndex((t) => t !== 0);
      if (trailing >= 2 || leading >= 2) padded.push(r);
    }
    if (padded.length) {
      diagnose('pad-counted-in-loss', 'info',
        `${fn}: ignore_index is the default -100, but the targets end (or start) with runs of 0 that look like padding${target.ndim > 1 ? ` (rows ${listIndices(padded.map(String))})` : ''}. If 0 is the pad id, those positions are counted in the loss; pass ignore_index=0 or set padded targets to -100.`);
    }
  });
}

function findLastIndex<T>(xs: T[], p: (x: T) => boolean): number {
  for (let i = xs.length - 1; i >= 0; i--) if (p(xs[i])) return i;
  return -1;
}

/** nn.MultiheadAttention key_padding_mask [N, S] (True / -inf = ignore this key). */
export function checkKeyPaddingMask(kpm: Tensor, batch: number, keys: number): void {
  guarded(() => {
    if (keys === 0 || kpm.numel !== batch * keys) return;
    const vals = kpm.values();
    const ignored = (x: number) => (kpm.dtype === 'bool' ? x !== 0 : x === -Infinity);
    const rows: string[] = [];
    for (let b = 0; b < batch; b++) {
      let all = true;
      for (let s = 0; s < keys && all; s++) all = ignored(Number(vals[b * keys + s]));
      if (all) rows.push(String(b));
    }
    if (!rows.length && looksLikeKeepMask(kpm)) {
      diagnose('inverted-mask', 'warning', invertedMaskMessage('key_padding_mask of nn.MultiheadAttention'));
    }
    if (rows.length) {
      diagnose('inverted-key-padding-mask', 'warning',
        `key_padding_mask ignores every key of batch row${rows.length > 1 ? 's' : ''} ${listIndices(rows)}, so ${rows.length > 1 ? 'they come' : 'it comes'} out NaN. For nn.MultiheadAttention True means "ignore this key": a mask built as seq != pad (True = keep) must be inverted (seq == pad, or ~mask).`);
    }
  });
}

/**
 * nn.MultiheadAttention's bool attn_mask [L, S] or [N*H, L, S]: True means
 * "not allowed to attend" (torch.nn.MultiheadAttention docs), the opposite of
 * SDPA's bool attn_mask. A tril or an `arange < lengths` mask passed here
 * hides each query's past and lets it see the future.
 */
export function checkMultiheadAttnMask(mask: Tensor): void {
  guarded(() => {
    if (looksLikeKeepMask(mask)) diagnose('inverted-mask', 'warning', invertedMaskMessage('attn_mask of nn.MultiheadAttention (bool)'));
  });
}

/** F.scaled_dot_product_attention given both is_causal=True and attn_mask. */
export function checkCausalWithMask(isCausal: boolean, hasMask: boolean): void {
  guarded(() => {
    if (isCausal && hasMask) {
      diagnose('is-causal-with-mask', 'warning',
        'scaled_dot_product_attention got is_causal=True and an explicit attn_mask: PyTorch 2.x applies both only in its CPU flash kernel (4-D inputs, no dropout); its math path and GPU kernels raise "Explicit attn_mask should not be set when is_causal=True". Fold the causal part into attn_mask or drop is_causal.');
    }
  });
}

/**
 * A broadcast that expands two operands along different axes (mask (B,1,S,1)
 * against scores (B,1,1,S) gives (B,1,S,S)) builds an outer product nobody
 * asked for more often than not. Scalars and operands already of the result's
 * shape are never suspicious.
 */
export function checkBroadcast(operands: { label: string; t: Tensor }[], op: string): void {
  guarded(() => {
    const ts = operands.filter((o) => o.t.numel > 1);
    if (ts.length < 2) return;
    const nd = Math.max(...ts.map((o) => o.t.ndim));
    const padded = ts.map((o) => [...new Array(nd - o.t.ndim).fill(1), ...o.t.shape]);
    const result = Array.from({ length: nd }, (_, i) => Math.max(...padded.map((s) => s[i])));
    if (padded.some((s) => s.every((d, i) => d === result[i]))) return;
    // each of two operands is stretched along an axis where the other brings the size
    const stretched = padded.map((s) => new Set(s.flatMap((d, i) => (d === 1 && result[i] > 1 ? [i] : []))));
    let pair: [number, number] | undefined;
    for (let a = 0; a < ts.length && !pair; a++) {
      for (let b = 0; b < ts.length && !pair; b++) {
        if (a !== b && [...stretched[a]].some((i) => padded[b][i] > 1) && [...stretched[b]].some((i) => padded[a][i] > 1)) pair = [a, b];
      }
    }
    if (!pair) return;
    const [a, b] = pair;
    if (perHeadBias(padded, stretched, ts.map((o) => o.label), a, b)) return;
    const shape = (s: readonly number[]) => `(${s.join(', ')})`;
    diagnose('suspicious-broadcast', 'warning',
      `${op}: ${ts[a].label} ${shape(ts[a].t.shape)} and ${ts[b].label} ${shape(ts[b].t.shape)} broadcast to ${shape(result)}, larger than either: both are expanded along different axes. If a mask of shape (B, 1, 1, S) or (B, 1, S, S) was meant, check the unsqueeze axes.`);
  });
}

/**
 * A bias shared by the batch, per head, plus a [B, 1, 1, S] or [B, 1, S, S]
 * mask: T5's `position_bias (1, H, Q, K) + mask`, ALiBi's `(1, H, 1, K)`. The
 * bias is stretched along batch (and query) only, the mask along heads (and
 * query) only: each brings the axes it is about, as meant.
 */
function perHeadBias(padded: number[][], stretched: Set<number>[], labels: string[], a: number, b: number): boolean {
  if (padded[a].length !== 4) return false;
  const [m, bias] = labels[a] === 'mask' ? [a, b] : labels[b] === 'mask' ? [b, a] : [-1, -1];
  if (m < 0) return false;
  return padded[m][1] === 1 && [...stretched[bias]].every((i) => i === 0 || i === 2) && [...stretched[m]].every((i) => i === 1 || i === 2);
}

/**
 * `scores + mask` / `scores += mask`: when one float operand is an additive
 * mask (every value 0, ≤ ADDITIVE_MASK_FLOOR or -inf, some of them not 0) record it as
 * consumed by addition and check the broadcast. Large tensors are skipped:
 * this runs on a hot path.
 */
/** Additive-mask detection scans every element on each `+`: beyond a million it costs more than it tells. */
const LARGEST_SCANNED_MASK = 1 << 20;

export function noteAdditiveMask(a: Tensor, b: Tensor, op: string): void {
  guarded(() => {
    if (!diagnosing()) return;
    for (const [mask, other, label] of [[b, a, 'mask'], [a, b, 'mask']] as const) {
      if (!isFloating(mask.dtype) || mask.numel > LARGEST_SCANNED_MASK || mask.numel < 2) continue;
      if (additiveValues(mask.values())) {
        noteMaskConsumer(mask, 'added');
        checkBroadcast([{ label: 'scores', t: other }, { label, t: mask }], op);
        return;
      }
    }
  });
}
