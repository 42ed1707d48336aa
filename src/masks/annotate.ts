// Masks over an evaluation's timeline: every snapshot classified
// (Snapshot.mask, maskSummary, maskParts), its reader and legend attached
// (consumer, legend), and the diagnostics that only the values show (rows
// softmax made entirely NaN). The interpreter's entry runs annotateMasks once
// the statements are done; it reaches this file through src/frameworks (the
// interpreter itself imports no mask vocabulary).

import { consumerOf, isRandom } from '../engine/diagnostics';
import { builtFromLengths, hasMaskHistory } from './evidence';
import type { Tensor } from '../engine/tensor';
import type { Diagnostic, EncodedValue, Snapshot } from '../python/result';
import { constantMaskSummary, kerasMaskDetails, maskDetails, maskPartsOf, matrices, streamedMaskDetails, type MaskHints } from './classify';
import { consumerLegend, nameLegend, onMeansMasked } from './consumers';
import { binaryValued, isTensor, numberOf } from './values';

/** Largest tensor (elements) whose snapshot is classified as a mask: a 1024 × 1024 grid. */
const MASK_ANALYSIS_LIMIT = 1 << 20;

/**
 * Mask kinds, summaries, consumers and legends of a timeline's snapshots
 * (the module's or one call's); returns the value-based diagnostics.
 * `storages` maps a snapshot to its tensor's storage (the key of the
 * engine's consumer and random records and of evidence.ts's mask history);
 * `elided` holds the tensors of snapshots whose data was too large to
 * inline, summarised here in one streamed pass.
 */
export function annotateMasks(timeline: Snapshot[], storages: ReadonlyMap<Snapshot, object>, elided: { get(s: Snapshot): Tensor | undefined }): Diagnostic[] {
  // classifying a mask reads every element: past this size it would cost more than the evaluation
  const readable = timeline.filter((s) => !('data' in s.value) || s.value.data.length <= MASK_ANALYSIS_LIMIT);
  const readableSet = new Set(readable);
  const findings = analyzeMasks(readable, (s) => {
    const storage = storages.get(s);
    return storage !== undefined && (hasMaskHistory(storage) || consumerOf(storage) !== undefined || isRandom(storage));
  }, (s) => readerPolarity(s, storages.get(s)), (s) => maskHints(storages.get(s)));
  unmarkIdMaps(readable, (s) => storages.get(s));
  // values too large to send: summarised here, where the tensor lies, one pass and no copy
  for (const s of timeline) {
    const t = 'elided' in s.value ? elided.get(s) : undefined;
    if (!t) continue;
    const nanRows = streamedNanRows(t);
    if (nanRows.length) findings.push(nanRowsDiagnostic(s, nanRows));
    const storage = storages.get(s);
    const evidence = storage !== undefined && (hasMaskHistory(storage) || consumerOf(storage) !== undefined);
    const streamed = streamedMaskDetails(s.name, { shape: t.shape, strides: t.strides, offset: t.offset, data: t.storage.data, dtype: t.dtype }, evidence, readerPolarity(s, storage), maskHints(storage));
    // a [B, T] mask Keras made or reads is padding by its convention, as the small path reads it below
    const keras = storage && consumerOf(storage)?.consumer === 'keras-mask' && t.dtype === 'bool' && t.shape.length === 2 && t.numel <= MASK_ANALYSIS_LIMIT
      ? kerasMaskDetails({ type: 'tf.Tensor', dtype: t.dtype, shape: [...t.shape], data: Array.from(t.values()) })
      : undefined;
    const d = keras ?? streamed;
    if (!d) continue;
    s.mask = d.kind;
    s.maskSummary = d.summary;
    // a constant mask's reader says which of its two readings holds, as namedConstantSummary says it of a small one
    const use = d.kind === 'constant' && storage ? consumerOf(storage) : undefined;
    const onMasks = use && onMeansMasked(use.consumer, use.dtype);
    if (onMasks !== undefined) s.maskSummary = constantMaskSummary(t.dtype, Number(t.storage.data[t.offset]), onMasks);
    const parts = maskPartsOf(d);
    if (parts) s.maskParts = parts;
  }
  for (const s of timeline) {
    const storage = storages.get(s);
    if (storage && isRandom(storage) && readableSet.has(s)) markRandom(s);
    const use = storage && consumerOf(storage);
    const named = use ? undefined : nameLegend(s.name, s.value);
    const keras = use?.consumer === 'keras-mask' && readableSet.has(s) ? kerasMaskDetails(s.value) : undefined;
    if (keras) {
      // Keras made or reads this mask: its convention ([B, T], True = keep) decides the kind
      s.mask = keras.kind;
      s.maskSummary = keras.summary;
      const parts = maskPartsOf(keras);
      if (parts) s.maskParts = parts;
    }
    if (use) Object.assign(s, { consumer: use.consumer, legend: consumerLegend(use.consumer, use.dtype) });
    else if (named) Object.assign(s, { consumer: named.consumer, legend: { on: named.on, off: named.off } });
    namedConstantSummary(s);
  }
  return findings;
}

/**
 * Whether True / non-zero means masked to the code that reads the snapshot's
 * tensor (its storage's recorded consumer, else Hugging Face's
 * `attention_mask` by name: 1 = keep); undefined when no reader says.
 */
function readerPolarity(s: Snapshot, storage: object | undefined): boolean | undefined {
  const use = storage && consumerOf(storage);
  if (use) return onMeansMasked(use.consumer, use.dtype);
  return nameLegend(s.name, s.value) ? false : undefined;
}

/** How the snapshot's tensor was built (from lengths) and whether key_padding_mask reads it (classify.ts MaskHints). */
function maskHints(storage: object | undefined): MaskHints {
  if (!storage) return {};
  return { fromLengths: builtFromLengths(storage), keyPadding: consumerOf(storage)?.consumer === 'MultiheadAttention.key_padding_mask' };
}

/** A constant mask's summary once its reader is known: "all False · nothing masked" under masked_fill. */
export function namedConstantSummary(s: Snapshot): void {
  if (s.mask !== 'constant' || !isTensor(s.value) || s.value.data.length === 0 || !s.consumer) return;
  const onMasks = onMeansMasked(s.consumer, s.value.dtype);
  if (onMasks !== undefined) s.maskSummary = constantMaskSummary(s.value.dtype, numberOf(s.value.data[0]), onMasks);
}

/**
 * Classify every snapshot's value (Snapshot.mask / maskSummary) and flag rows
 * that softmax made entirely NaN. `provenance(s)` says whether the evaluation
 * saw a mask-building op (or a mask consumer) in the value's history;
 * `polarity(s)` whether True / 1 means masked to the value's reader, when known;
 * `hints(s)` how it was built or who reads it (classify.ts MaskHints).
 */
export function analyzeMasks(timeline: Snapshot[], provenance?: (s: Snapshot) => boolean, polarity?: (s: Snapshot) => boolean | undefined, hints?: (s: Snapshot) => MaskHints): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const s of timeline) {
    const details = maskDetails(s.name, s.value, provenance?.(s), polarity?.(s), hints?.(s));
    s.mask = details?.kind;
    if (details) s.maskSummary = details.summary;
    const parts = details && maskPartsOf(details);
    if (parts) s.maskParts = parts;
    const v = s.value;
    // a 0-dim NaN (e.g. a loss) is not a masked row; the loss checks name its cause
    if (!isTensor(v) || v.data.length === 0 || v.shape.length === 0 || v.dtype.includes('int') || v.dtype.includes('bool')) continue;
    const { cols, mats } = matrices(v);
    const nanRows: string[] = [];
    mats.forEach((m, b) => m.forEach((row, r) => {
      if (cols > 0 && row.every((x) => Number.isNaN(x))) nanRows.push(mats.length > 1 ? `[${b}, ${r}]` : `${r}`);
    }));
    if (nanRows.length) out.push(nanRowsDiagnostic(s, nanRows));
  }
  return out;
}

/** The fully-masked-row warning for a snapshot whose rows `nanRows` ("0", or "[b, r]" past one matrix) are all NaN. */
function nanRowsDiagnostic(s: Snapshot, nanRows: readonly string[]): Diagnostic {
  return {
    code: 'fully-masked-row',
    severity: 'warning',
    line: s.line,
    variable: s.name,
    message: `${s.name}: ${nanRows.length} row${nanRows.length > 1 ? 's are' : ' is'} entirely NaN (${nanRows.length > 1 ? 'rows' : 'row'} ${nanRows.slice(0, 4).join(', ')}${nanRows.length > 4 ? ', …' : ''}): every position was masked with -inf before softmax, so the loss will be NaN.`,
  };
}

/** Rows (of the last dim) a large tensor's NaN scan reads at most, as the streamed mask summary does. */
const NAN_SCAN_ROWS_LIMIT = 1 << 22;

/**
 * The rows (of the last dim) of a float tensor too large to send that are
 * all NaN, named as analyzeMasks names them ("0", or "[b, r]" with b the
 * matrix over the leading dims): read in place, without a copy; a row whose
 * first element is a number costs one read, so a softmax output costs one
 * read per row unless rows are NaN.
 */
function streamedNanRows(t: Tensor): string[] {
  const nd = t.shape.length;
  if (nd === 0 || !/float|half|double/.test(t.dtype)) return [];
  const cols = t.shape[nd - 1];
  const total = t.shape.reduce((a, b) => a * b, 1);
  if (total === 0 || cols === 0 || total / cols > NAN_SCAN_ROWS_LIMIT) return [];
  const rows = nd >= 2 ? t.shape[nd - 2] : 1;
  const nrows = total / cols;
  const data = t.storage.data as ArrayLike<number>;
  const colStride = t.strides[nd - 1];
  const index = new Array<number>(Math.max(0, nd - 1)).fill(0);
  const out: string[] = [];
  for (let row = 0; row < nrows; row++) {
    let base = t.offset;
    for (let d = 0; d < nd - 1; d++) base += index[d] * t.strides[d];
    let all = true;
    for (let c = 0, at = base; c < cols && all; c++, at += colStride) all = Number.isNaN(data[at]);
    if (all) out.push(nrows > rows ? `[${Math.floor(row / rows)}, ${row % rows}]` : `${row}`);
    for (let d = nd - 2; d >= 0; d--) {
      if (++index[d] < t.shape[d]) break;
      index[d] = 0;
    }
  }
  return out;
}

/**
 * Non-negative integer ids beyond 0/1 (timm Swin's `img_mask`: window region
 * ids 0..8 written by slice assignments). Such a tensor is an id map; while it
 * is being filled it may hold only 0 and 1 for a while, and is not a mask then either.
 */
export function isIdMap(v: EncodedValue): boolean {
  if (!isTensor(v) || v.data.length === 0 || v.dtype.endsWith('bool')) return false;
  let max = 0;
  for (const x of v.data) {
    const n = numberOf(x);
    if (!Number.isInteger(n) || n < 0) return false;
    if (n > max) max = n;
  }
  return max >= 2;
}

/**
 * Clear the mask kind of every snapshot whose storage (`storageOf`) at some
 * point of the timeline held an id map (isIdMap): the 0/1 stages of a
 * region-id map being written are not padding masks.
 */
export function unmarkIdMaps(timeline: readonly Snapshot[], storageOf: (s: Snapshot) => object | undefined): void {
  const idMaps = new Set<object>();
  for (const s of timeline) {
    const st = storageOf(s);
    if (st && isIdMap(s.value)) idMaps.add(st);
  }
  for (const s of timeline) {
    const st = storageOf(s);
    if (!st || !idMaps.has(st)) continue;
    delete s.mask;
    delete s.maskSummary;
    delete s.maskParts;
  }
}

/**
 * A 0/1 mask drawn from a generator (torch.rand(...) < p, bernoulli, dropout)
 * is random, not padding or causal, whatever pattern this draw happens to show.
 */
export function markRandom(s: Snapshot): void {
  const v = s.value;
  if (!isTensor(v) || v.data.length === 0 || !binaryValued(v)) return;
  const ones = v.data.filter((x) => numberOf(x) !== 0).length / v.data.length;
  // a draw that came out all False (or all True) keeps its constant summary: it says what that masks
  if (ones === 0 || ones === 1) return;
  s.mask = 'random';
  s.maskSummary = `random (p ≈ ${Number(ones.toFixed(2))}, e.g. dropout or MLM) · ${Number((ones * 100).toFixed(1))}% True/1`;
}
