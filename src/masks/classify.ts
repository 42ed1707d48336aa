// Mask classification: name the tensors a snippet builds (padding, causal,
// combined, sliding-window, block-diagonal, anti-causal, additive, constant, ...) by their
// values, with enough detail (lengths, side, polarity, offset) for a hover
// or the inspector to say what each cell means. Who reads a mask (and so
// what True means) is in consumers.ts; running this over a timeline, with
// the diagnostics it raises, is in annotate.ts.

import { additiveValued, binaryValued, blocksAdditively, isTensor, numberOf as num, type TensorValue } from './values';
import type { EncodedValue, MaskKind, MaskParts } from '../python/result';

/** Values of the last two dims as matrices [batch][row][col] (a 1-D tensor is one row). */
export function matrices(v: TensorValue): { rows: number; cols: number; mats: number[][][] } {
  const shape = v.shape.length === 0 ? [1] : v.shape;
  const cols = shape[shape.length - 1];
  const rows = shape.length >= 2 ? shape[shape.length - 2] : 1;
  const mats: number[][][] = [];
  const per = rows * cols;
  for (let b = 0; per > 0 && b < v.data.length / per; b++) {
    mats.push(Array.from({ length: rows }, (_, r) => Array.from({ length: cols }, (_, c) => num(v.data[b * per + r * cols + c]))));
  }
  return { rows, cols, mats };
}

/** A keep-mask (1 = attend) or block-mask (1 = masked) that is triangular over its last two dims. */
function triangular(mats: number[][][], rows: number, cols: number, blocked: (x: number) => boolean): 'lower-keep' | 'upper-block' | null {
  if (rows < 2 || cols < 2) return null;
  // rows that are all alike mask the same keys for every query (a key mask, or
  // nothing at all): an all-False or a CLS-only mask is not a triangle
  if (mats.every((m) => m.every((row) => row.every((x, c) => x === m[0][c])))) return null;
  let lowerKeep = true, upperBlock = true;
  for (const m of mats) {
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) {
        const b = blocked(m[r][c]);
        if (c > r && !b) upperBlock = false;
        if (c <= r && b) upperBlock = false;
        if (c > r && !b) lowerKeep = false;
      }
    }
  }
  if (upperBlock) return 'upper-block';
  return lowerKeep ? 'lower-keep' : null;
}

/** What a mask-like value is, in enough detail to name it to an ML engineer. */
export interface MaskDetails {
  kind: MaskKind;
  /** causal: 'tril' keep-mask (True/1 = attend) or 'triu' block-mask (True/1/-inf = masked, diagonal=1). */
  causalForm?: 'tril' | 'triu';
  /** padding: where the padded positions sit in each row. */
  side?: 'left' | 'right';
  /** padding on both sides in one batch: each batch row's side (instead of `side`; a row with no padding reads 'right'). */
  sides?: ('left' | 'right')[];
  /** padding: real (unpadded) length of each batch row. */
  lengths?: number[];
  /** Fraction of positions that are masked out, under the polarity guessed for the form. */
  maskedFraction?: number;
  /** The polarity guessed for the form: a keep-mask (True / 1 = attend) or a block-mask (True / 1 / -inf = masked). */
  keep?: boolean;
  /** sliding-window (causal): how many keys up to and including the query each query sees. */
  window?: number;
  /**
   * causal: how far the diagonal sits right of the top-left one (query r sees
   * keys c <= r + offset): cols - rows for a bottom-right-aligned mask
   * (`tril(ones(q, k), diagonal=k - q)`, the KV-cache / flash-attn layout).
   */
  causalOffset?: number;
  /** The (query, key) dims when they are not the last two (labml's `[query, key, batch]` with batch 1). */
  dims?: [number, number];
  /** An attention pattern its reader inverts (inReaderPolarity): no layer (causal, window) explains its cells. */
  inverted?: true;
  /** combined: the pattern ANDed with the padding when it is not plain causal (padding ∧ sliding window, prefix-LM, chunked causal). */
  part?: MaskKind;
  /** padding: a seq-first [T, B] mask (pad_sequence's default batch_first=False): `lengths` run down dim 0. */
  seqFirst?: true;
  /** 2-D (image) padding [B, H, W]: the valid [h, w] of each batch item, from the top-left corner (DETR's NestedTensor mask). */
  extents?: [number, number][];
  summary: string;
}

/**
 * What the evaluation saw of how a value was built or who reads it, beyond
 * its mask history (`provenance`) and its reader's polarity (`onMasks`).
 */
export interface MaskHints {
  /** Built by comparing positions (arange) with a lengths tensor (evidence.ts builtFromLengths): key padding, whatever its values draw. */
  fromLengths?: boolean;
  /** Read as nn.MultiheadAttention's key_padding_mask ([B, S], True = ignore that key): key padding by its reader. */
  keyPadding?: boolean;
}

export function classifyMask(name: string, v: EncodedValue): MaskKind | undefined {
  return maskDetails(name, v)?.kind;
}

function baseKind(name: string, v: TensorValue, binaryMask: boolean, additive: boolean, rows: number, cols: number, mats: number[][][]): { kind: MaskKind; form?: 'tril' | 'triu' } {
  const isUpperBlock = triangular(mats, rows, cols, (x) => (additive ? x !== 0 : x === 1));
  const isLowerKeep = binaryMask && triangular(mats, rows, cols, (x) => x === 0);
  const fullTriangle = (keepValue: number) =>
    mats.every((m) => m.every((row, r) => row.every((x, c) => (c <= r ? x === keepValue : x !== keepValue))));
  if (additive) return isUpperBlock && fullTriangle(0) ? { kind: 'causal', form: 'triu' } : { kind: isUpperBlock ? 'combined' : 'additive' };
  if (isUpperBlock && fullTriangle(0)) return { kind: 'causal', form: 'triu' };
  if (isLowerKeep && fullTriangle(1)) return { kind: 'causal', form: 'tril' };
  if (isUpperBlock || isLowerKeep) return { kind: 'combined' };
  // the first position alone in every row (a CLS / BOS mask) is neither padding nor causal
  if (mats.every((m) => m.every((row) => row.every((x, c) => (c === 0) === (x !== 0))))) return { kind: 'other' };
  if (v.shape.some((s) => s === 1) || /pad|mask|valid|keep|attn/i.test(name)) return { kind: 'padding' };
  return { kind: 'other' };
}

/** Which side each batch row is padded on; undefined for a row with no padding (its full length). */
type RowSides = ('left' | 'right' | undefined)[];

/**
 * Padding layout of a [B, T] or broadcastable [B, 1, 1, T] / [B, 1, T] mask, or
 * of one expanded over queries and heads (Hugging Face's
 * `mask[:, None, None, :].expand(B, 1, Q, K)`, every row of batch item b alike):
 * each row must be one run of one value then a run of the other. Polarity: a
 * 1-then-0 row is a keep-mask (right padding); 0-then-1 is a block-mask with
 * right padding (mask = ids == pad), unless the name says keep/valid/attention
 * or a row is all 1 (the longest sequence of a keep-mask), then a keep-mask
 * with left padding. Rows padded on different sides (`side`
 * 'mixed', each row's in `sides`) take their polarity from a row with no
 * padding (all 1 in a keep-mask: the batch's longest sequence), else the name.
 * A reader that fixes the polarity (`onMasks`: True / 1 = masked to
 * masked_fill and key_padding_mask, = keep to SDPA, Keras, Hugging Face's
 * attention_mask) wins over every guess. `keyPadding`: read as
 * key_padding_mask, so rows of one real token are padding, not a CLS mask.
 */
function paddingLayout(name: string, v: TensorValue, blocked: (x: number) => boolean, binaryMask: boolean, onMasks?: boolean, keyPadding?: boolean): { side: 'left' | 'right' | 'mixed'; sides: RowSides; lengths: number[]; keep: boolean } | undefined {
  const keyRows = keyPaddingRows(v);
  if (!keyRows) return undefined;
  const rows = keyRows.map((row) => row.map((x) => (blocked(num(x)) ? 1 : 0)));
  const leads = new Set<number>();
  const runs: number[] = [];
  for (const row of rows) {
    const flip = row.findIndex((x) => x !== row[0]);
    if (flip === -1) { runs.push(-1); continue; }
    if (row.slice(flip).some((x) => x === row[0])) return undefined;
    leads.add(row[0]);
    runs.push(flip);
  }
  if (leads.size === 0) return undefined;
  // every row flips after its first position: the mask singles out the first token (CLS, BOS), it is not padding
  // (unless its reader is key_padding_mask, which says so: sequences of one real token); rows that
  // lead with 0 then 1s (`ids != pad` with one left pad) stay padding, as the streamed reading has them
  if (!keyPadding && !leads.has(0) && runs.every((r) => r === 1 || r === -1)) return undefined;
  // With additive masks `blocked` already means masked; with 0/1 masks it means "value 1".
  const keepNamed = binaryMask && /keep|valid|attention|attn/i.test(name) && !/pad/i.test(name);
  // the values of the rows with no flip: all 1 is a keep-mask's longest sequence (a block-mask's would be all padding)
  const full = new Set(rows.filter((_, b) => runs[b] === -1).map((row) => row[0]));
  const fullOnes = full.size === 1 && full.has(1);
  let keep: boolean;
  if (!binaryMask) keep = false;
  else if (onMasks !== undefined) keep = !onMasks;
  // left- and right-padded rows together: the side no longer tells the polarity
  else if (leads.size === 2) keep = full.size === 1 ? fullOnes : keepNamed || !/pad|block|ignore/i.test(name);
  // 1-then-0 rows are keep-masks with right padding (arange < lengths, attention_mask) whatever the
  // name says: `pad_mask` names both polarities in the wild, and True-means-pad with left padding is rare.
  // An all-0 row beside them is a block-mask's unpadded sequence (`ids == pad` with left padding), not an empty one.
  // (a name that says keep still wins: `keep = [[T, T, F], [F, F, F]]` is a fully-masked query, not left padding)
  else if (leads.has(1)) keep = keepNamed || (!/block|ignore/i.test(name) && !(full.size === 1 && full.has(0)));
  // 0-then-1 rows: a block-mask padded on the right, unless the name or an all-1 row says keep
  else keep = keepNamed || fullOnes;
  const maskedValue = keep ? 0 : 1;
  const sides: RowSides = rows.map((row, b) => (runs[b] === -1 ? undefined : row[0] === maskedValue ? 'left' : 'right'));
  const lengths = rows.map((row) => row.filter((x) => x !== maskedValue).length);
  const both = new Set(sides.filter(Boolean));
  return { side: both.size === 2 ? 'mixed' : [...both][0]!, sides, lengths, keep };
}

/**
 * The one key row of each batch item of a key padding mask: [B, T] itself, a
 * broadcastable [B, 1, 1, T], or a [B, H, Q, T] expanded from one (every row of
 * an item alike). Undefined for anything else.
 */
function keyPaddingRows(v: TensorValue): TensorValue['data'][] | undefined {
  const dims = v.shape;
  const T = dims[dims.length - 1];
  if (dims.length < 2 || T < 2) return undefined;
  const B = dims[0];
  const per = v.data.length / B;
  const rows: TensorValue['data'][] = [];
  for (let b = 0; b < B; b++) {
    const base = b * per;
    for (let i = T; i < per; i++) if (v.data[base + i] !== v.data[base + (i % T)]) return undefined;
    rows.push(v.data.slice(base, base + T));
  }
  return rows;
}

/**
 * "right", or for a batch padded on both sides the rows on each
 * ("mixed sides: right in rows 0, 2, left in row 1").
 */
function sidesText(side: 'left' | 'right' | 'mixed', sides: RowSides): string {
  if (side !== 'mixed') return side;
  const rowsOn = (which: 'left' | 'right') => {
    const at = sides.flatMap((s, b) => (s === which ? [b] : []));
    return `${which} in row${at.length > 1 ? 's' : ''} ${at.slice(0, 4).join(', ')}${at.length > 4 ? ', …' : ''}`;
  };
  return `mixed sides: ${rowsOn('right')}, ${rowsOn('left')}`;
}

const percent = (f: number) => `${Number((f * 100).toFixed(1))}% masked`;

/**
 * Segments of a block-diagonal (document / packed-sequence) keep-matrix K
 * (square, K[r][c] = query r may see key c): queries see exactly the keys of
 * their own run of positions, or those up to themselves (causal). Undefined
 * for any other pattern, and for an identity (every run 1 long), which is a
 * diagonal selection rather than a document mask.
 */
function blockDiagonal(K: boolean[][]): { segments: number[]; causal: boolean } | undefined {
  const n = K.length;
  // segments from the first row of each block: K[s] keeps [s, e)
  const segs: [number, number][] = [];
  for (let s = 0; s < n && (segs.length === 0 || segs[segs.length - 1][1] > segs[segs.length - 1][0]);) {
    let e = s;
    while (e < n && K[s][e]) e++;
    const causalBlock = e === s + 1 && s + 1 < n && K[s + 1][s];
    if (causalBlock) for (e = s + 1; e < n && K[e][s]; e++);
    segs.push([s, e]); // an empty segment (diagonal not kept) ends the search
    s = e;
  }
  if (segs.length < 2 || !segs.every(([s, e]) => e > s) || !segs.some(([s, e]) => e - s >= 2)) return undefined;
  const seg = (i: number) => segs.findIndex(([s, e]) => s <= i && i < e);
  const fits = (p: (r: number, c: number) => boolean) => K.every((row, r) => row.every((k, c) => k === p(r, c)));
  const segments = segs.map(([s, e]) => e - s);
  if (fits((r, c) => seg(r) === seg(c))) return { segments, causal: false };
  if (fits((r, c) => seg(r) === seg(c) && c <= r)) return { segments, causal: true };
  return undefined;
}

/**
 * The keys one query row keeps, as one run [first, last] (inclusive); null
 * when it keeps none (a fully-masked row); undefined when its kept keys are
 * not one run. Square attention patterns whose every row is such a run are
 * told apart from these alone, so the small path (a row of the keep-matrix)
 * and the streamed one (a row's RowRun) read them by one rule.
 */
type Span = readonly [number, number] | null | undefined;

/** spanOfKeeps: the Span of one keep-matrix row. */
function spanOfKeeps(row: readonly boolean[]): Span {
  let first = -1, last = -1, n = 0;
  for (let c = 0; c < row.length; c++) {
    if (!row[c]) continue;
    if (first < 0) first = c;
    last = c;
    n++;
  }
  if (n === 0) return null;
  return last - first + 1 === n ? [first, last] : undefined;
}

const spanWidth = (s: Span) => (s ? s[1] - s[0] + 1 : 0);
const sameSpan = (a: Span, b: Span) => (a === null || b === null || a === undefined || b === undefined ? a === b : a[0] === b[0] && a[1] === b[1]);

/**
 * Chunked causal attention from its rows' spans (wenet's subsequent_chunk_mask(size,
 * chunk_size, num_left_chunks)): query r sees keys from max((⌊r/size⌋ − left)·size, 0), or 0
 * when left < 0, up to the end of its own chunk. Chunks of one are plain causal and a chunk
 * that sees only itself is block-diagonal; both are left to their own labels (undefined).
 */
function chunkedCausal(n: number, span: (r: number) => Span): { size: number; left: number } | undefined {
  const first = span(0), lastRow = span(n - 1);
  if (!first || first[0] !== 0 || !lastRow) return undefined;
  const size = spanWidth(first);
  if (size < 2 || size >= n || lastRow[0] % size !== 0) return undefined;
  const left = lastRow[0] === 0 ? -1 : Math.floor((n - 1) / size) - lastRow[0] / size;
  if (left === 0) return undefined;
  for (let r = 0; r < n; r++) if (!sameSpan(span(r), chunkSpan(r, n, size, left))) return undefined;
  return { size, left };
}

/** The keys query r keeps under chunked causal attention (chunkedCausal), as a span. */
function chunkSpan(r: number, n: number, size: number, left: number): [number, number] {
  const own = Math.floor(r / size);
  return [left < 0 ? 0 : Math.max((own - left) * size, 0), Math.min((own + 1) * size, n) - 1];
}

/** How a chunked causal label reads its chunks: "chunks of 2, each sees itself and every earlier chunk". */
function chunkText({ size, left }: { size: number; left: number }): string {
  const seen = left < 0 ? 'every earlier chunk' : `${left} earlier chunk${left === 1 ? '' : 's'}`;
  return `chunks of ${size}, each sees itself and ${seen}`;
}

/**
 * Square attention patterns whose every query row keeps one run of keys,
 * from those runs (`span(r)`, rows r of an n × n matrix): causal sliding
 * window (query r sees the `window` keys up to itself), bidirectional window,
 * prefix-LM (a prefix every query sees, causal after it) and chunked causal.
 * `detail` is the label's inside ("width 3, causal"); undefined for anything else.
 */
function spanPattern(n: number, span: (r: number) => Span): SpanPattern | undefined {
  if (n < 2) return undefined;
  const fits = (want: (r: number) => [number, number]) => {
    for (let r = 0; r < n; r++) if (!sameSpan(span(r), want(r))) return false;
    return true;
  };
  const w = spanWidth(span(n - 1));
  const window = (r: number): [number, number] => [Math.max(0, r - w + 1), r];
  if (w >= 2 && w < n && fits(window)) return { kind: 'sliding-window', window: w, detail: `width ${w}, causal`, span: window };
  const half = spanWidth(span(0)) - 1;
  const band = (r: number): [number, number] => [Math.max(0, r - half), Math.min(n - 1, r + half)];
  if (half >= 1 && half < n - 1 && fits(band)) return { kind: 'sliding-window', detail: `width ${2 * half + 1}, bidirectional`, span: band };
  const prefix = spanWidth(span(0));
  const prefixed = (r: number): [number, number] => [0, Math.max(r, prefix - 1)];
  if (prefix >= 2 && prefix < n && fits(prefixed)) return { kind: 'prefix-lm', detail: `prefix ${prefix}`, span: prefixed };
  // streaming ASR (wenet / ESPnet subsequent_chunk_mask): chunks of queries that see their own
  // chunk and every earlier one, or only num_left_chunks earlier ones
  const chunk = chunkedCausal(n, span);
  if (chunk) return { kind: 'chunked-causal', detail: chunkText(chunk), span: (r) => chunkSpan(r, n, chunk.size, chunk.left) };
  return undefined;
}

/** A spanPattern: its kind, the inside of its label, a causal window's width, and the keys each query r keeps. */
interface SpanPattern { kind: MaskKind; detail: string; window?: number; span: (r: number) => [number, number] }

/**
 * A causal mask shifted past its diagonal, so rows at one end keep no key
 * (n × n, from its rows' spans; n ≥ 3): strictly past (`shift` k ≥ 1: query
 * i sees keys 0 … i − k; `triu(ones, diagonal=0)` under masked_fill, k = 1,
 * masks the diagonal with the future and leaves row 0 fully masked) or
 * anti-causal (`shift` s ≥ 0: query i sees keys i + s … n − 1 only, what
 * `scores.masked_fill(tril, -inf)` leaves: a keep-mask used where True
 * means masked; the last s rows fully masked). `fully`: the fully-masked
 * rows, first and last. Undefined for anything else.
 */
function pastTheDiagonal(n: number, span: (r: number) => Span): { kind: 'causal' | 'anti-causal'; shift: number; fully?: [number, number] } | undefined {
  if (n < 3) return undefined;
  const fits = (want: (r: number) => [number, number] | null) => {
    for (let r = 0; r < n; r++) if (!sameSpan(span(r), want(r))) return false;
    return true;
  };
  let k = 0;
  while (k < n && span(k) === null) k++;
  // k = n − 1 leaves the last query one key (`tril(ones(3, 3), diagonal=-2)`): still that shift, not padding
  if (k >= 1 && k <= n - 1 && fits((r) => (r < k ? null : [0, r - k]))) return { kind: 'causal', shift: k, fully: [0, k - 1] };
  const head = span(0);
  const s = head ? head[0] : -1;
  if (head && head[1] === n - 1 && s <= n - 1 && fits((r) => (r + s <= n - 1 ? [r + s, n - 1] : null))) {
    return { kind: 'anti-causal', shift: s, ...(s > 0 ? { fully: [n - s, n - 1] as [number, number] } : {}) };
  }
  return undefined;
}

/**
 * The label of a pastTheDiagonal mask. `form`: '1 = attend', 'True = masked'
 * or 'additive', which names the call that builds it (tril / triu and its
 * diagonal); `masked`: the masked fraction; `infOnly`: an additive mask
 * blocks with -inf alone, so its fully-masked rows are NaN after softmax (a
 * finite fill such as -1e9 leaves them uniform; a 0/1 mask's rows depend on
 * the fill it is given).
 */
function pastTheDiagonalSummary(p: { kind: 'causal' | 'anti-causal'; shift: number; fully?: [number, number] }, form: string, masked: number, infOnly: boolean): string {
  const after = form !== 'additive' ? 'NaN after softmax if filled with -inf' : infOnly ? 'NaN after softmax' : 'uniform after softmax';
  const rows = p.fully ? `; ${p.fully[0] === p.fully[1] ? `row ${p.fully[0]}` : `rows ${p.fully[0]} … ${p.fully[1]}`} fully masked → ${after}` : '';
  // the keep-form is a tril / triu of the kept keys; the block-form and the additive one of the masked keys
  const keepForm = form === '1 = attend';
  if (p.kind === 'causal') {
    const call = keepForm ? `tril diagonal=${-p.shift}, 1 = attend` : `${form === 'additive' ? 'additive, ' : ''}triu diagonal=${1 - p.shift}${form === 'additive' ? '' : `, ${form}`}`;
    const sees = p.shift === 1 ? 'keys < i' : `keys 0 … i − ${p.shift}`;
    return `strictly past only (${call}: query i sees ${sees}${rows}) · ${percent(masked)}`;
  }
  const call = keepForm ? `triu diagonal=${p.shift}, 1 = attend` : `${form === 'additive' ? 'additive, ' : ''}tril diagonal=${p.shift - 1}${form === 'additive' ? '' : `, ${form}`}`;
  const sees = p.shift === 0 ? 'keys ≥ i' : p.shift === 1 ? 'only keys > i' : `only keys ≥ i + ${p.shift}`;
  return `anti-causal (${call}: query i sees ${sees}${rows}) · ${percent(masked)}`;
}

/**
 * Padding ∧ an attention pattern other than plain causal (spanPattern:
 * sliding window, prefix-LM, chunked causal): wenet's `masks &
 * subsequent_chunk_mask(T, size, left)` with masks
 * `~make_pad_mask(lengths)[:, None, :]` (True = real frame), or `causal &
 * sliding & ~key_padding_mask[:, None, :]`. Query r of batch matrix m keeps
 * the pattern's keys (SpanPattern.span) that lie before the matrix's length
 * (right padding; a padded query keeps the real keys its pattern reaches).
 * `span(m, r)`: the keys row r of matrix m keeps, under one polarity. The
 * pattern is read from a matrix of full length (the longest sequence sets T,
 * as a collate pads to it). Undefined for anything else, and when no
 * sequence is padded (the pattern alone).
 */
function patternAndPadding(mats: number, n: number, span: (m: number, r: number) => Span): (SpanPattern & { lengths: number[] }) | undefined {
  if (n < 3 || mats < 1) return undefined;
  const lengths: number[] = [];
  for (let m = 0; m < mats; m++) {
    let len = 0;
    for (let r = 0; r < n; r++) {
      const s = span(m, r);
      if (s === undefined) return undefined;
      if (s) len = Math.max(len, s[1] + 1);
    }
    lengths.push(len);
  }
  const full = lengths.indexOf(n);
  if (full < 0 || lengths.every((l) => l === n)) return undefined;
  const pattern = spanPattern(n, (r) => span(full, r));
  if (!pattern) return undefined;
  for (let m = 0; m < mats; m++) {
    for (let r = 0; r < n; r++) {
      const [a, b] = pattern.span(r);
      const last = Math.min(b, lengths[m] - 1);
      if (!sameSpan(span(m, r), a <= last ? [a, last] : null)) return undefined;
    }
  }
  return { ...pattern, lengths };
}

/** The MaskDetails of a patternAndPadding mask, worded as padding ∧ causal is. */
function patternAndPaddingDetails(p: SpanPattern & { lengths: number[] }, keep: boolean, additive: boolean, masked: number): MaskDetails {
  const listed = p.lengths.length > LISTED_LENGTHS ? `${p.lengths.slice(0, LISTED_LENGTHS).join(', ')}, …` : p.lengths.join(', ');
  return {
    kind: 'combined', lengths: p.lengths, side: 'right', keep, maskedFraction: masked, part: p.kind, ...(p.window ? { window: p.window } : {}),
    summary: `padding (right, lengths ${listed}) ∧ ${PATTERN_NAMES[p.kind] ?? p.kind} (${p.detail}${keep ? ', 1 = attend' : additive ? ', additive' : ''}) · ${percent(masked)}`,
  };
}

/**
 * The label of a causal mask aligned bottom-right (fewer queries than keys):
 * the layout of a KV cache, where the `cols - rows` keys before the queries
 * come from the cache and every query sees them (llama's
 * `hstack([zeros(seqlen, start_pos), triu(full(-inf), 1)])`, flash-attn's
 * causal with seqlen_q < seqlen_k). `form`: '' (1 = attend), 'additive' or
 * 'True = masked'.
 */
function bottomRightCausal(rows: number, cols: number, form: string): string {
  const cached = cols - rows;
  return `causal over ${cached} cached key${cached === 1 ? '' : 's'} (bottom-right, ${rows}×${cols}${form ? `, ${form}` : ''}: query i sees keys 0 … i + ${cached})`;
}

/**
 * Attention patterns told apart by their keep-matrix K[r][c] (query r may see
 * key c) when every batch slice is the same matrix: bottom-right causal
 * (query and key lengths differ), causal or bidirectional sliding window,
 * prefix-LM, chunked causal and block-diagonal (document) masks. Under a 0/1
 * mask both polarities are tried; each pattern keeps the (aligned) diagonal, so at most
 * one polarity fits. A reader that fixes the polarity (`onMasks`) has its own tried first.
 * Then, square only, the patterns with fully-masked rows (pastTheDiagonal:
 * strictly past, anti-causal), each the other's complement.
 */
function attentionPattern(additive: boolean, rows: number, cols: number, mats: number[][][], onMasks?: boolean): { kind: MaskKind; summary: string; masked: number; keep: boolean; window?: number; offset?: number } | undefined {
  if (rows < 2 || cols < 2 || mats.length === 0) return undefined;
  const first = mats[0];
  const polarities: [string, (x: number) => boolean][] = additive
    ? [['additive', (x) => x === 0]]
    : ([['1 = attend', (x) => x !== 0], ['True = masked', (x) => x === 0]] as [string, (x: number) => boolean][])
      // the reader's own polarity first; the other one still names a pattern the reader inverts (inReaderPolarity)
      .sort(([a]) => (onMasks !== undefined && (a === 'True = masked') !== onMasks ? 1 : -1));
  if (!mats.every((m) => m.every((row, r) => row.every((x, c) => x === first[r][c])))) {
    // packed sequences differ per batch row (NaViT, document masking): each slice its own block-diagonal
    if (rows !== cols) return undefined;
    for (const [form, keeps] of polarities) {
      // a batch row holding one sequence attends everywhere: one segment
      const per = mats.map((m) => (m.every((row) => row.every(keeps)) ? { segments: [cols], causal: undefined } : blockDiagonal(m.map((row) => row.map(keeps)))));
      const causal = new Set(per.map((b) => b?.causal).filter((c) => c !== undefined));
      if (per.some((b) => !b) || causal.size !== 1) continue;
      const kept = mats.reduce((n, m) => n + m.flat().filter(keeps).length, 0);
      const masked = 1 - kept / (mats.length * rows * cols);
      const listed = per.slice(0, 3).map((b) => `[${b!.segments.join(', ')}]`).join(' ') + (per.length > 3 ? ' …' : '');
      return {
        kind: 'block-diagonal', masked, keep: form === '1 = attend',
        summary: `block-diagonal (segments per batch row ${listed}${causal.has(true) ? ', causal' : ''}${form === '1 = attend' ? '' : `, ${form}`}) · ${percent(masked)}`,
      };
    }
    return undefined;
  }
  for (const [form, keeps] of polarities) {
    const K = first.map((row) => row.map(keeps));
    const fits = (p: (r: number, c: number) => boolean) => K.every((row, r) => row.every((k, c) => k === p(r, c)));
    const masked = K.flat().filter((k) => !k).length / (rows * cols);
    const keep = form === '1 = attend';
    const tail = (extra: string) => `${extra}${form === '1 = attend' ? '' : `, ${form}`}) · ${percent(masked)}`;
    const off = cols - rows;
    if (off > 0 && fits((r, c) => c <= r + off)) {
      return { kind: 'causal', masked, keep, offset: off, summary: `${bottomRightCausal(rows, cols, form === '1 = attend' ? '' : form)} · ${percent(masked)}` };
    }
    // the diagonal shifted right by `shift` (`triu(full(-inf), diagonal=shift + 1)`, llama v1's
    // `triu(mask, diagonal=start_pos + 1)`): query r sees keys up to r + shift
    const shift = K[0].filter(Boolean).length - 1;
    if (shift >= 1 && shift !== off && shift < cols - 1 && fits((r, c) => c <= r + shift)) {
      const call = form === '1 = attend' ? `tril diagonal=${shift}` : `triu diagonal=${shift + 1}${form === 'additive' ? ', additive' : `, ${form}`}`;
      return { kind: 'causal', masked, keep, offset: shift, summary: `causal, diagonal shifted by ${shift} (${call}: query i sees keys 0 … i + ${shift}) · ${percent(masked)}` };
    }
    const spans = rows === cols ? K.map(spanOfKeeps) : undefined;
    const run = spans && spanPattern(rows, (r) => spans[r]);
    if (run) return { kind: run.kind, masked, keep, ...(run.window ? { window: run.window } : {}), summary: `${PATTERN_NAMES[run.kind] ?? run.kind} (${run.detail}${tail('')}` };
    const blocks = rows === cols ? blockDiagonal(K) : undefined;
    if (blocks) return { kind: 'block-diagonal', masked, keep, summary: `block-diagonal (segments ${blocks.segments.join(', ')}${blocks.causal ? ', causal' : ''}${tail('')}` };
  }
  // rows at one end that keep no key (strictly past, anti-causal): each fits one polarity of
  // the other's values, so they are tried once nothing above fits either; the reader's polarity
  // first, else strictly past (a triu block-mask, a tril keep-mask) before anti-causal
  if (rows !== cols) return undefined;
  const found = polarities.map(([form, keeps]) => {
    const spans = first.map((row) => spanOfKeeps(row.map(keeps)));
    return { form, keeps, p: pastTheDiagonal(rows, (r) => spans[r]) };
  });
  const pick = onMasks !== undefined ? found.find((f) => f.p) : found.find((f) => f.p?.kind === 'causal') ?? found.find((f) => f.p);
  if (!pick?.p) return undefined;
  const masked = first.flat().filter((x) => !pick.keeps(x)).length / (rows * cols);
  return {
    kind: pick.p.kind, masked, keep: pick.form === '1 = attend', summary: pastTheDiagonalSummary(pick.p, pick.form, masked, first.every((row) => row.every((x) => x === 0 || x === -Infinity))),
    ...(pick.p.kind === 'causal' ? { offset: -pick.p.shift } : {}),
  };
}

/** How a label names the kinds spanPattern finds. */
const PATTERN_NAMES: Partial<Record<MaskKind, string>> = { 'prefix-lm': 'prefix-LM', 'chunked-causal': 'chunked causal' };

/** Names that say "mask" (the user's word counts as evidence for a non-constant 0/1 tensor). */
const MASK_NAME = /mask|pad|causal|keep|valid|attn|attention|look_?ahead|bias/i;

/**
 * Whether a value may be called a mask at all. A bool tensor is (comparisons
 * make them); so is one whose history holds a mask-building op (`provenance`:
 * a comparison cast to float, tril/triu, a masked_fill, or a consumer read
 * it). Otherwise a 0/1 or 0/-inf tensor needs a mask-like name and both
 * values: `torch.ones(...)` and `probs.sum(-1)` (all 1.0) are not masks.
 */
export function mayBeMask(name: string, v: TensorValue, provenance: boolean | undefined): boolean {
  if (v.dtype === 'bool' || v.dtype === 'torch.bool' || provenance) return true;
  const first = num(v.data[0]);
  const constant = v.data.every((x) => num(x) === first);
  return !constant && MASK_NAME.test(name);
}

/**
 * Kind, form and masked fraction of a mask-like value, or undefined when it is
 * not one. `provenance` (true / false) says whether the evaluation saw the value
 * built by a mask-building op; undefined when nothing is known (a lone value).
 * `onMasks` is the reader's polarity when one is known (onMeansMasked in
 * consumers.ts: true for masked_fill and key_padding_mask, false for SDPA's
 * bool attn_mask, Keras, Hugging Face's attention_mask): it decides a 0/1
 * mask's polarity instead of its values and name. `hints`: how it was built
 * (from lengths) or who reads it (key_padding_mask), which beat the pattern
 * its values happen to draw (lengths 1, 2 over 3 positions are no tril).
 */
export function maskDetails(name: string, v: EncodedValue, provenance?: boolean, onMasks?: boolean, hints: MaskHints = {}): MaskDetails | undefined {
  const d = maskDetailsAsWritten(name, v, provenance, onMasks, hints);
  return isTensor(v) && v.shape.length >= 2 ? inReaderPolarity(d, onMasks, v.shape.slice(-2) as [number, number]) : d;
}

/** Attention patterns whose label says which keys each query sees. */
const PATTERN_KINDS: readonly MaskKind[] = ['causal', 'anti-causal', 'sliding-window', 'prefix-lm', 'chunked-causal', 'block-diagonal'];

/**
 * An attention pattern (causal, sliding window, prefix-LM, chunked causal,
 * block-diagonal) relabelled in its reader's polarity when the reader
 * inverts it: `tril(ones(T, T, dtype=bool))` passed to masked_fill (True =
 * masked) hides each query's past and diagonal and lets it see only the
 * future; `triu(..., diagonal=1)` as SDPA's bool attn_mask (True = attend)
 * does the same. The summary keeps the pattern as built and adds what the
 * reader makes of it; the masked fraction and `keep` become the reader's.
 * With fewer queries than keys a top-left tril under masked_fill may hide
 * only keys before each query's own (bottom-right) key: Hugging Face's
 * sliding-window cut-off over cached keys, filled into a causal mask; that
 * one is said so, not called inverted. `last2`: the last two dims (queries,
 * keys). `fullyMasked(keep)` recounts fully-masked rows for a streamed
 * summary. Unchanged when no reader is known or it agrees with the pattern.
 */
function inReaderPolarity<T extends MaskDetails>(d: T | undefined, onMasks: boolean | undefined, [rows, cols]: [number, number], fullyMasked?: (keep: boolean) => number): T | undefined {
  if (!d || onMasks === undefined || d.keep !== onMasks || d.maskedFraction === undefined || !PATTERN_KINDS.includes(d.kind)) return d;
  const at = / · [\d.]+% masked/.exec(d.summary);
  if (!at) return d;
  const masked = 1 - d.maskedFraction;
  const off = d.causalOffset ?? 0;
  const sees = d.kind === 'causal' ? `query i sees only keys > i${off > 0 ? ` + ${off}` : off < 0 ? ` − ${-off}` : ''}` : 'each query sees only the keys the pattern hides';
  let rest = d.summary.slice(at.index + at[0].length);
  if (fullyMasked) {
    const n = fullyMasked(!onMasks);
    rest = rest.replace(/ · \d+ fully-masked rows?/, '') + (n > 0 ? ` · ${n} fully-masked row${n > 1 ? 's' : ''}` : '');
  }
  const own = cols - rows;
  const label = d.summary.slice(0, at.index);
  const summary = d.kind === 'causal' && onMasks && !d.dims && off >= 0 && off < own
    ? `${label} read as True = masked: query i loses keys 0 … i${off ? ` + ${off}` : ''}, all before its own key i + ${own} (a sliding window's cut-off over cached keys) · ${percent(masked)}${rest}`
    : `${label} read inverted: its reader ${onMasks ? 'masks' : 'attends'} True, so ${sees} · ${percent(masked)}${rest}`;
  return { ...d, keep: !onMasks, maskedFraction: masked, inverted: true, summary };
}

/** maskDetails as the values and name read it, before inReaderPolarity. */
function maskDetailsAsWritten(name: string, v: EncodedValue, provenance?: boolean, onMasks?: boolean, hints: MaskHints = {}): MaskDetails | undefined {
  if (!isTensor(v) || v.data.length === 0 || v.shape.length === 0) return undefined;
  if (!mayBeMask(name, v, provenance)) return undefined;
  const binaryMask = binaryValued(v);
  const additive = !binaryMask && additiveValued(v);
  if (!binaryMask && !additive) return undefined;
  const constant = constantMask(v, binaryMask);
  if (constant) return constant;
  const selection = provenance === false ? boolSelection(name, v) : undefined;
  if (selection) return selection;
  // built from lengths, or read as key_padding_mask: padding by construction, before any pattern its values draw
  if (hints.fromLengths || (hints.keyPadding && v.shape.length === 2)) {
    const ones = v.data.filter((x) => num(x) !== 0).length / v.data.length;
    const layout = paddingLayout(name, v, (x) => x !== 0, binaryMask, onMasks, hints.keyPadding);
    if (layout) return paddingDetails(layout, ones, additive);
    if (hints.keyPadding) return scatteredKeyPadding(v, onMasks !== false);
    // `arange(T)[:, None] < lengths[None, :]`: lengths compared down dim 0, before any pattern its values draw
    const seqFirst = seqFirstPadding(name, v, binaryMask, additive, ones, true);
    if (seqFirst) return seqFirst;
  }
  const moved = otherAxesPattern(name, v, provenance, onMasks);
  if (moved) return moved;
  const { rows, cols, mats } = matrices(v);
  const { kind, form } = baseKind(name, v, binaryMask, additive, rows, cols, mats);
  // a [B, T] padding mask can look like an attention pattern; its name says which
  const pattern = kind === 'causal' || /pad|valid|len|attention_mask/i.test(name) ? undefined : attentionPattern(additive, rows, cols, mats, onMasks);
  if (pattern) {
    return {
      kind: pattern.kind, maskedFraction: pattern.masked, keep: pattern.keep, summary: pattern.summary,
      ...(pattern.window ? { window: pattern.window } : {}), ...(pattern.offset ? { causalOffset: pattern.offset } : {}),
    };
  }
  const values = v.data.map(num);
  const ones = values.filter((x) => x !== 0).length / values.length;
  if (kind === 'causal') {
    // tril keep-mask: 0 = masked; triu block-mask / additive: non-zero = masked
    const masked = form === 'tril' ? 1 - ones : ones;
    const how = (additive ? 'additive, triu diagonal=1' : form === 'tril' ? 'tril, 1 = attend' : 'triu, diagonal=1') + (rows !== cols ? ', top-left' : '');
    return { kind, causalForm: form, maskedFraction: masked, keep: form === 'tril', summary: `causal (${how}) · ${percent(masked)}` };
  }
  if (kind === 'padding' || kind === 'other' || kind === 'additive') {
    const layout = paddingLayout(name, v, (x) => x !== 0, binaryMask, onMasks);
    if (layout) return paddingDetails(layout, ones, additive);
  }
  // 'padding' too: a [B, 1, Q, K] mask is called padding by its size-1 head dim before its rows are read
  if (kind === 'combined' || kind === 'other' || kind === 'additive' || kind === 'padding') {
    const parts = causalAndPadding(mats, rows, cols, binaryMask, onMasks);
    if (parts) {
      return {
        kind: 'combined', lengths: parts.lengths, side: parts.side, maskedFraction: parts.masked, keep: parts.keep, ...(parts.offset ? { causalOffset: parts.offset } : {}),
        // ', additive' as the streamed summary words it (and as an additive padding mask's label says)
        summary: `padding (${parts.side}, lengths ${parts.lengths.join(', ')}) ∧ causal${parts.offset || parts.keep ? ` (${[parts.offset ? 'bottom-right' : '', parts.keep ? '1 = attend' : ''].filter(Boolean).join(', ')})` : ''}${additive ? ', additive' : ''} · ${percent(parts.masked)}`,
      };
    }
    // wenet's `masks & subsequent_chunk_mask(...)`: a [B, 1, T] padding mask and chunked causal (or a window, prefix-LM)
    if (rows === cols) {
      // the polarity as causalAndPadding guesses it: a set first cell is kept (right padding keeps key 0)
      const keep = binaryMask && (onMasks !== undefined ? !onMasks : mats[0][0][0] !== 0);
      const attended = (x: number) => (keep ? x !== 0 : x === 0);
      const spans = mats.map((m) => m.map((row) => spanOfKeeps(row.map(attended))));
      const chunked = patternAndPadding(mats.length, rows, (m, r) => spans[m][r]);
      if (chunked) {
        const masked = (v.data.length - mats.reduce((n, m) => n + m.flat().filter(attended).length, 0)) / v.data.length;
        return patternAndPaddingDetails(chunked, keep, additive, masked);
      }
    }
  }
  // a left-padded keep-mask (`ids != pad` = [[0, 1, 1], [1, 1, 1]]) sets every cell above the diagonal, which
  // baseKind calls 'combined'; no causal part explains it, its rows one padding layout (as the streamed path reads it)
  if (kind === 'combined') {
    const layout = paddingLayout(name, v, (x) => x !== 0, binaryMask, onMasks);
    if (layout) return paddingDetails(layout, ones, additive);
  }
  const image = binaryMask && v.shape.length === 3 ? imagePadding(mats.length, rows, cols, (m, r, v0) => prefixOf(mats[m][r], v0), mats[0][0][0] !== 0, onMasks, ones) : undefined;
  if (image) return image;
  const seqFirst = seqFirstPadding(name, v, binaryMask, additive, ones, hints.fromLengths);
  if (seqFirst) return seqFirst;
  // Only its name called it padding and its rows are no padding layout (MAE's random `mask`,
  // BEiT's block mask, wav2vec2's span mask, a special_tokens_mask): no kind can be named.
  const named = kind === 'padding' && !v.shape.some((s) => s === 1) ? 'other' : kind;
  if (additive) return { kind: named, maskedFraction: ones, summary: `${named} · ${percent(ones)}` };
  return { kind: named, summary: `${named} · ${Number((ones * 100).toFixed(1))}% True/1` };
}

/** The MaskDetails of a paddingLayout; `ones`: the fraction of non-zero cells. */
function paddingDetails(layout: NonNullable<ReturnType<typeof paddingLayout>>, ones: number, additive: boolean): MaskDetails {
  const masked = layout.keep ? 1 - ones : ones;
  return {
    kind: 'padding', lengths: layout.lengths, maskedFraction: masked, keep: layout.keep,
    ...(layout.side === 'mixed' ? { sides: layout.sides.map((x) => x ?? 'right') } : { side: layout.side }),
    summary: `padding (${sidesText(layout.side, layout.sides)}${layout.side === 'mixed' ? ';' : ','} lengths ${layout.lengths.join(', ')}${additive ? ', additive' : ''}) · ${percent(masked)}`,
  };
}

/**
 * A [B, S] key_padding_mask whose masked keys are no one run per row (DETR's
 * `mask.flatten(1)`: each image row's padded pixels, then the padded rows):
 * padding by its reader, named by each batch row's masked-key count, and
 * "not contiguous" when some row's masked keys are not a suffix or prefix.
 * `onMasks`: True / non-zero masks (bool), else zero masks.
 * Source: torch.nn.MultiheadAttention.forward (key_padding_mask (N, S), True = ignore).
 */
function scatteredKeyPadding(v: TensorValue, onMasks: boolean): MaskDetails {
  const [B, S] = v.shape;
  const counts: number[] = [];
  let contiguous = true;
  for (let b = 0; b < B; b++) {
    const row = v.data.slice(b * S, (b + 1) * S).map((x) => (num(x) !== 0) === onMasks);
    const n = row.filter(Boolean).length;
    counts.push(n);
    const suffix = row.every((m, c) => m === c >= S - n);
    const prefix = row.every((m, c) => m === c < n);
    if (!suffix && !prefix) contiguous = false;
  }
  const masked = counts.reduce((a, b) => a + b, 0) / (B * S);
  const listed = counts.length > LISTED_LENGTHS ? `${counts.slice(0, LISTED_LENGTHS).join(', ')}, …` : counts.join(', ');
  return {
    kind: 'padding', keep: !onMasks, maskedFraction: masked,
    summary: `padding (key_padding_mask: masked keys per batch row ${listed} of ${S}${contiguous ? '' : ', not contiguous'}) · ${percent(masked)}`,
  };
}

/** How many leading cells of `row` are `v0` (non-zero when true) with every later cell the other value; undefined otherwise. */
function prefixOf(row: readonly number[], v0: boolean): number | undefined {
  let n = 0;
  while (n < row.length && (row[n] !== 0) === v0) n++;
  for (let c = n; c < row.length; c++) if ((row[c] !== 0) === v0) return undefined;
  return n;
}

/**
 * Whether an image batch of valid extents [h, w] was padded to H × W by a
 * collate: to its largest image (some item is H tall, some W wide: DETR's
 * nested_tensor_from_tensor_list), or up to the next multiple of a size
 * divisibility of 32 or a multiple of it above the largest (detectron2's
 * ImageList.from_tensors(size_divisibility=32), which Mask2Former and
 * Deformable DETR batch through). Smaller multiples are left out: a
 * [B, Tq, Tk] query ∧ key padding mask of text padded to a multiple of 8
 * (pad_to_multiple_of) draws the same rectangles.
 */
function paddedToBatch(extents: readonly [number, number][], H: number, W: number): boolean {
  const maxH = Math.max(...extents.map(([h]) => h)), maxW = Math.max(...extents.map(([, w]) => w));
  if (maxH === H && maxW === W) return true;
  for (let d = 32; d <= Math.min(H, W); d += 32) if (H % d === 0 && W % d === 0 && H - maxH < d && W - maxW < d) return true;
  return false;
}

/**
 * 2-D (image) padding [B, H, W]: each batch item valid on a top-left h × w
 * rectangle and padded below and to the right (DETR's NestedTensor:
 * `mask = torch.ones((b, h, w), dtype=torch.bool)`, `mask[i, :img_h, :img_w]
 * = False`, True = padded pixel). `prefix(m, r, v0)`: the leading cells of
 * row r of item m equal to v0 with the rest the other value (undefined when
 * the row is no such run). `first`: item 0's top-left cell, the valid value
 * unless the reader says (`onMasks`). The batch is padded to its largest
 * image or to a size divisibility above it (paddedToBatch). Undefined for anything else, and for
 * an H × H mask whose every item is h × h (a query ∧ key padding mask, not an image).
 * Source: facebookresearch/detr util/misc.py nested_tensor_from_tensor_list.
 */
function imagePadding(B: number, H: number, W: number, prefix: (m: number, r: number, v0: boolean) => number | undefined, first: boolean, onMasks: boolean | undefined, ones: number): MaskDetails | undefined {
  if (H < 2 || W < 2 || B < 1) return undefined;
  const v0 = onMasks !== undefined ? !onMasks : first;
  const extents: [number, number][] = [];
  for (let m = 0; m < B; m++) {
    const w = prefix(m, 0, v0);
    if (!w) return undefined;
    let h = 1;
    while (h < H && prefix(m, h, v0) === w) h++;
    for (let r = h; r < H; r++) if (prefix(m, r, v0) !== 0) return undefined;
    extents.push([h, w]);
  }
  // padded to the batch's largest image (some item reaches H and some W; a [1, Q, K] attention mask with a
  // masked query does not), or to the next multiple of a size divisibility above it
  if (!paddedToBatch(extents, H, W) || extents.every(([h, w]) => h === H && w === W)) return undefined;
  // every row alike (h = H) is key padding over queries; a square h × h in an H × H mask is query ∧ key padding
  if (extents.every(([h]) => h === H) || (H === W && extents.every(([h, w]) => h === w))) return undefined;
  const masked = v0 ? 1 - ones : ones;
  const listed = extents.slice(0, LISTED_LENGTHS).map(([h, w]) => `${h}×${w}`).join(', ') + (extents.length > LISTED_LENGTHS ? ', …' : '');
  return {
    kind: 'padding', keep: v0, maskedFraction: masked, extents,
    summary: `2-D padding (image, bottom/right${v0 ? ', 1 = valid' : ', True = padded'}): valid h×w per batch item ${listed} of ${H}×${W} · ${percent(masked)}`,
  };
}

/**
 * A seq-first [T, B] padding mask: `pad_sequence(seqs)` (batch_first=False
 * by default) compared with the pad value in a DataLoader collate_fn, or
 * `lengths` compared down dim 0. Its rows are no padding layout, but each
 * column (one sequence) is a run of real positions then padding (or the
 * reverse with padding_side='left'). Read as the transposed [B, T] mask
 * with paddingLayout's polarity rules. Undefined unless the value is 2-D
 * and its columns are such runs. A square one (T = B) not built from
 * lengths (`fromLengths`) is 'other', its summary giving the columns'
 * reading as a possibility. Called only once no row-wise reading
 * (padding, causal, attention pattern) fitted.
 * Source: torch.nn.utils.rnn.pad_sequence (output T × B × * unless batch_first).
 */
function seqFirstPadding(name: string, v: TensorValue, binaryMask: boolean, additive: boolean, ones: number, fromLengths?: boolean): MaskDetails | undefined {
  if (v.shape.length !== 2) return undefined;
  const [T, B] = v.shape;

  // two positions, or sides that differ per column, are too weak a sign: any column of two cells is a
  // run, and pad_sequence pads every sequence on one side
  if (T < 3) return undefined;
  const data = Array.from({ length: B * T }, (_, k) => v.data[(k % T) * B + Math.floor(k / T)]);
  const layout = paddingLayout(name, { ...v, shape: [B, T], data }, (x) => x !== 0, binaryMask);
  if (!layout || layout.side === 'mixed') return undefined;
  // a square mask's shape says nothing of which dim is time: only how it was built (a comparison with
  // lengths) says seq-first; otherwise the columns' reading is offered, not claimed (no padding layer)
  if (T === B && !fromLengths) {
    return { kind: 'other', summary: `other · ${Number((ones * 100).toFixed(1))}% True/1 · its columns read as seq-first [T, B] padding (${layout.side}, lengths ${layout.lengths.join(', ')}), but a square mask does not say which dim is the batch` };
  }
  const masked = layout.keep ? 1 - ones : ones;
  return {
    kind: 'padding', lengths: layout.lengths, maskedFraction: masked, keep: layout.keep, seqFirst: true, side: layout.side,
    summary: `padding (seq-first [T, B]: ${layout.side}, lengths ${layout.lengths.join(', ')}${additive ? ', additive' : ''}) · ${percent(masked)}`,
  };
}

/**
 * A bool matrix of whole rows True or False that no mask-building op made
 * and no consumer read, under a name that says no mask (whisper's
 * `all_heads[n_layer // 2:] = True`, which heads to align with): a
 * selection of rows. Undefined for anything else; its 2 × 2 form is also a
 * lower triangle, which must not make it a "combined" mask.
 */
function boolSelection(name: string, v: TensorValue): MaskDetails | undefined {
  if (!/bool/.test(v.dtype) || v.shape.length !== 2 || MASK_NAME.test(name)) return undefined;
  const [rows, cols] = v.shape;
  if (rows < 2 || cols < 1) return undefined;
  let chosen = 0;
  for (let r = 0; r < rows; r++) {
    const first = v.data[r * cols];
    for (let c = 1; c < cols; c++) if (v.data[r * cols + c] !== first) return undefined;
    if (first === true) chosen++;
  }
  return { kind: 'selection', summary: `bool selection · ${chosen} of ${rows} rows True` };
}

/**
 * A mask whose values are all alike: all False / 0 (a `*_mask` that masks
 * nothing yet, e.g. `torch.zeros(T, dtype=torch.bool)`) or all True / 1 / -inf.
 * What it masks depends on the polarity of its reader, not on its name, so the
 * summary says both until a consumer says which (constantMaskSummary).
 */
function constantMask(v: TensorValue, binaryMask: boolean): MaskDetails | undefined {
  const first = num(v.data[0]);
  if (!v.data.every((x) => num(x) === first)) return undefined;
  return { kind: 'constant', summary: constantMaskSummary(v.dtype, first, binaryMask ? undefined : true) };
}

/**
 * The summary of a constant mask ("all False · nothing masked"), by its
 * dtype and its one value `first`: `onMasks` says whether True / non-zero means masked to the code
 * that reads it (masked_fill: yes; SDPA's bool attn_mask, Keras: no; an
 * additive mask: yes). Undefined when no reader says: both readings are given.
 */
export function constantMaskSummary(dtype: string, first: number, onMasks: boolean | undefined): string {
  const bool = /bool/.test(dtype);
  const label = bool ? (first !== 0 ? 'True' : 'False') : first === -Infinity ? '-inf' : String(first);
  const on = first !== 0;
  if (onMasks === undefined) {
    const one = bool ? 'True' : '1';
    return `all ${label} · ${on ? 'everything' : 'nothing'} masked if ${one} = masked (masked_fill, key_padding_mask), ${on ? 'nothing' : 'everything'} if ${one} = attend (SDPA, Keras)`;
  }
  return `all ${label} · ${on === onMasks ? 'everything' : 'nothing'} masked`;
}

/**
 * labml's `[query, key, batch]` layout and the like: a mask whose only two
 * dims longer than 1 are of equal length but are not the last two (the rest
 * broadcast). Classified as that query × key matrix; undefined unless it is
 * an attention pattern (causal, sliding window, prefix-LM, block-diagonal).
 */
function otherAxesPattern(name: string, v: TensorValue, provenance: boolean | undefined, onMasks?: boolean): MaskDetails | undefined {
  const long = v.shape.flatMap((n, d) => (n > 1 ? [d] : []));
  if (long.length !== 2) return undefined;
  const [q, k] = long;
  const nd = v.shape.length;
  if (v.shape[q] !== v.shape[k] || (q === nd - 2 && k === nd - 1)) return undefined;
  // dropping size-1 dims keeps the row-major order of the elements
  const inner = maskDetails(name, { ...v, shape: [v.shape[q], v.shape[k]] }, provenance, onMasks);
  if (!inner || !['causal', 'sliding-window', 'prefix-lm', 'block-diagonal'].includes(inner.kind)) return undefined;
  return { ...inner, dims: [q, k], summary: `${inner.summary} · dims ${q}, ${k} of [${v.shape.join(', ')}] are query × key` };
}

/**
 * A combined mask named by its parts: every slice is causal AND a key-padding
 * mask of its own length (pad_mask.unsqueeze(-2) & tril), the padding on the
 * right, or on the left (Hugging Face's to_4d of a left-padded batch: the
 * padded queries' rows are all masked). Keep-form (1 = attend) when the cell
 * every layout keeps (top-left for right padding, bottom-right for left) is
 * set on a 0/1 mask; block-form (non-zero = masked) otherwise, unless the
 * reader fixes the polarity (`onMasks`).
 */
function causalAndPadding(mats: number[][][], rows: number, cols: number, binaryMask: boolean, onMasks?: boolean): { lengths: number[]; keep: boolean; masked: number; offset: number; side: 'left' | 'right' } | undefined {
  // fewer queries than keys: the causal part is aligned bottom-right (queries are the last `rows` positions)
  if (rows < 2 || rows > cols || mats.length === 0) return undefined;
  const offset = cols - rows;
  for (const side of ['right', 'left'] as const) {
    const keep = binaryMask && (onMasks !== undefined ? !onMasks : (side === 'right' ? mats[0][0][0] : mats[0][rows - 1][cols - 1]) !== 0);
    const attended = (x: number) => (keep ? x !== 0 : x === 0);
    const lengths: number[] = [];
    let masked = 0;
    const fits = mats.every((m) => {
      const len = m[rows - 1].filter(attended).length;
      for (let r = 0; r < rows; r++) {
        for (let c = 0; c < cols; c++) {
          const want = c <= r + offset && (side === 'right' ? c < len : c >= cols - len);
          if (attended(m[r][c]) !== want) return false;
          if (!want) masked++;
        }
      }
      lengths.push(len);
      return true;
    });
    if (!fits) continue;
    if (lengths.every((l) => l === cols)) return undefined; // plain causal
    if (side === 'right' && lengths.every((l) => l === 1)) return undefined; // one kept key everywhere: a first-token (CLS) mask, not padding
    return { lengths, keep, offset, side, masked: masked / (mats.length * rows * cols) };
  }
  return undefined;
}

/**
 * A mask Keras made or reads (Embedding(mask_zero=True), Masking,
 * compute_mask, a layer's `mask=`): Keras's masking convention is a [B, T]
 * padding mask with True = keep, so its producer decides the kind, not the
 * pattern its values happen to draw (`[[T, F, F], [T, T, F]]` is two
 * sequences of lengths 1 and 2, not a causal triangle). Side is where the
 * False positions sit when every row has them on one side. Undefined for a
 * value that is not a 2-D non-constant 0/1 tensor (a constant mask keeps its
 * own summary; other ranks are not Keras padding masks).
 * Source: keras.io/guides/understanding_masking_and_padding.
 */
export function kerasMaskDetails(v: EncodedValue): MaskDetails | undefined {
  if (!isTensor(v) || v.shape.length !== 2 || v.data.length === 0 || !binaryValued(v)) return undefined;
  const [B, T] = v.shape;
  const rows = Array.from({ length: B }, (_, b) => v.data.slice(b * T, (b + 1) * T).map((x) => num(x) !== 0));
  const lengths = rows.map((row) => row.filter(Boolean).length);
  const kept = lengths.reduce((a, b) => a + b, 0);
  if (kept === 0 || kept === B * T) return undefined;
  const isRight = (row: boolean[], b: number) => row.every((k, t) => k === t < lengths[b]);
  const isLeft = (row: boolean[], b: number) => row.every((k, t) => k === t >= T - lengths[b]);
  const right = rows.every(isRight);
  const left = rows.every(isLeft);
  // some rows padded on the left, some on the right (a row with no padding is both)
  const sides: RowSides = rows.map((row, b) => (lengths[b] === T || lengths[b] === 0 ? undefined : isRight(row, b) ? 'right' : isLeft(row, b) ? 'left' : undefined));
  const mixed = !right && !left && rows.every((_, b) => sides[b] !== undefined || lengths[b] === T || lengths[b] === 0);
  const side = right ? 'right' : left ? 'left' : undefined;
  const masked = 1 - kept / (B * T);
  return {
    kind: 'padding', lengths, maskedFraction: masked, keep: true, ...(side ? { side } : mixed ? { sides: sides.map((x) => x ?? 'right') } : {}),
    summary: `padding (${side ? `${side}, ` : mixed ? `${sidesText('mixed', sides)}; ` : ''}lengths ${lengths.join(', ')}) · ${percent(masked)}`,
  };
}

/** What a viewer needs to name (and toggle) the part of a mask that masked a cell: padding, causal, window. */
export function maskPartsOf(d: MaskDetails): MaskParts | undefined {
  // a seq-first [T, B] mask pads down dim 0: its padding layer reads the keys there (MaskParts.seqFirst)
  if (d.seqFirst) return d.lengths && d.side ? { lengths: d.lengths, side: d.side, ...(d.keep !== undefined ? { keep: d.keep } : {}), seqFirst: true } : undefined;
  // "keys after the query are masked" is the opposite of what an inverted reader does
  if (d.inverted) return d.dims ? { dims: d.dims, keep: d.keep } : undefined;
  // a chunked, prefix-LM or bidirectional part is no causal layer (a later key is seen); a causal window is one
  const causal = d.kind === 'causal' || (d.kind === 'combined' && d.lengths !== undefined && !d.part) || d.window !== undefined;
  if (!d.lengths && !causal) return undefined;
  return {
    ...(d.lengths ? { lengths: d.lengths, ...(d.sides ? { sides: d.sides } : { side: d.side ?? 'right' }) } : {}),
    ...(causal ? { causal } : {}),
    ...(d.window !== undefined ? { window: d.window } : {}),
    ...(d.keep !== undefined ? { keep: d.keep } : {}),
    ...(causal && d.causalOffset ? { offset: d.causalOffset } : {}),
    ...(d.dims ? { dims: d.dims } : {}),
  };
}


/**
 * A tensor read in place, without copying: `data[offset + Σ index·stride]`.
 * The engine's Tensor (with `data` = its storage's) fits this shape.
 */
export interface StridedView {
  shape: readonly number[];
  strides: readonly number[];
  offset: number;
  data: ArrayLike<number>;
  /** Engine dtype ('bool', 'float32', ...). */
  dtype: string;
}

/** Per row of the last dim: how many cells are non-zero, where the first and last sit, and where the first and last zero sit (-1: none). */
interface RowRun { on: number; first: number; last: number; zFirst: number; zLast: number }

/** The keys one row keeps as one run [a, b] (non-zero cells when `keepOnes`, else zero cells), or undefined when they are not one run. */
function keptRun(r: RowRun, cols: number, keepOnes: boolean): [number, number] | undefined {
  if (keepOnes) return r.on > 0 && r.last - r.first + 1 === r.on ? [r.first, r.last] : undefined;
  const zeros = cols - r.on;
  return zeros > 0 && r.zLast - r.zFirst + 1 === zeros ? [r.zFirst, r.zLast] : undefined;
}

/**
 * blockDiagonal for a square matrix read as runs: segments where each query
 * keeps exactly the keys of its own segment (or those up to itself: causal).
 * Same rules: at least two segments, one of them 2 long or more.
 */
function segmentsOfRuns(kept: readonly ([number, number] | undefined)[]): { segments: number[]; causal: boolean } | undefined {
  const n = kept.length;
  const fits = (causal: boolean): number[] | undefined => {
    const segments: number[] = [];
    for (let s = 0; s < n;) {
      const k = kept[s];
      if (!k || k[0] !== s) return undefined;
      // non-causal: every row of [s, e) keeps [s, e); causal: row r keeps [s, r]
      const e = causal ? s + 1 + kept.slice(s + 1).findIndex((x) => x?.[0] !== s) : k[1] + 1;
      const end = causal && e === s ? n : e;
      for (let r = s; r < end; r++) if (kept[r]?.[0] !== s || kept[r]![1] !== (causal ? r : end - 1)) return undefined;
      segments.push(end - s);
      s = end;
    }
    return segments;
  };
  for (const causal of [false, true]) {
    const segments = fits(causal);
    if (segments && segments.length >= 2 && segments.some((l) => l >= 2)) return { segments, causal };
  }
  return undefined;
}

/** Rows (of the last dim) a streamed summary reads at most: 8 × 8 × 1024 queries is 65536. */
const STREAMED_ROWS_LIMIT = 1 << 22;

/** Elements of a 2-D mask the streamed summary copies to read it seq-first ([T, B] padding), at most. */
const SEQ_FIRST_COPY_LIMIT = 1 << 20;

/** Rows (over the last dim) that a large mask's summary lists lengths for, at most. */
const LISTED_LENGTHS = 8;

/**
 * A large mask's block-diagonal (packed sequences) reading from its row runs,
 * worded as attentionPattern words a small one: one matrix's segments when
 * every [rows, rows] matrix has the same, else each batch row's (a matrix
 * that keeps everything is one segment there). `ones` is the fraction of
 * non-zero cells; under a 0/1 mask both polarities are tried.
 */
function packedSequences(runs: readonly RowRun[], rows: number, mats: number, additive: boolean, ones: number): MaskDetails | undefined {
  const polarities: [string, boolean][] = additive ? [['additive', false]] : [['1 = attend', true], ['True = masked', false]];
  for (const [form, keepOnes] of polarities) {
    const per: ({ segments: number[]; causal?: boolean } | undefined)[] = [];
    for (let m = 0; m < mats; m++) {
      const kept = runs.slice(m * rows, (m + 1) * rows).map((r) => keptRun(r, rows, keepOnes));
      per.push(kept.every((k) => k?.[0] === 0 && k[1] === rows - 1) ? { segments: [rows] } : segmentsOfRuns(kept));
    }
    const causal = new Set(per.map((b) => b?.causal).filter((c) => c !== undefined));
    if (per.some((b) => !b) || causal.size !== 1) continue;
    const masked = keepOnes ? 1 - ones : ones;
    const tail = `${causal.has(true) ? ', causal' : ''}${form === '1 = attend' ? '' : `, ${form}`}) · ${percent(masked)}`;
    const same = per.every((b) => b!.causal === per[0]!.causal && b!.segments.join() === per[0]!.segments.join());
    const listed = same ? per[0]!.segments.join(', ') : `per batch row ${per.slice(0, 3).map((b) => `[${b!.segments.join(', ')}]`).join(' ')}${per.length > 3 ? ' …' : ''}`;
    return { kind: 'block-diagonal', maskedFraction: masked, keep: keepOnes, summary: `block-diagonal (segments ${listed}${tail}` };
  }
  return undefined;
}

/** prefixOf for a streamed row: its leading run of `v0` (non-zero when true) when every later cell is the other value. */
function prefixOfRun(r: RowRun, cols: number, v0: boolean): number | undefined {
  const [n, first, last] = v0 ? [r.on, r.first, r.last] : [cols - r.on, r.zFirst, r.zLast];
  if (n === 0) return 0;
  return first === 0 && last === n - 1 ? n : undefined;
}

const sameRun = (a: RowRun, b: RowRun) => a.on === b.on && a.first === b.first && a.last === b.last;

/** The Span of one streamed row: its non-zero cells when `keepOnes`, else its zero cells. */
function spanOfRun(r: RowRun, cols: number, keepOnes: boolean): Span {
  const [n, first, last] = keepOnes ? [r.on, r.first, r.last] : [cols - r.on, r.zFirst, r.zLast];
  if (n === 0) return null;
  return last - first + 1 === n ? [first, last] : undefined;
}

/**
 * spanPattern and pastTheDiagonal for a large square mask whose matrices are
 * all alike, from the runs of its first matrix (`runs[0 … n)`): the labels
 * attentionPattern gives the small path, in the same order (the reader's
 * polarity first; strictly past before anti-causal when no reader says).
 * `onTotal` / `total`: non-zero cells and all cells; `infOnly`: every
 * blocking value is -inf. O(n) reads of the runs.
 */
function streamedSpanPattern(runs: readonly RowRun[], n: number, additive: boolean, onMasks: boolean | undefined, onTotal: number, total: number, infOnly: boolean): MaskDetails | undefined {
  const polarities: [string, boolean][] = additive
    ? [['additive', false]]
    : ([['1 = attend', true], ['True = masked', false]] as [string, boolean][]).sort(([a]) => (onMasks !== undefined && (a === 'True = masked') !== onMasks ? 1 : -1));
  const spansOf = (keepOnes: boolean) => runs.slice(0, n).map((r) => spanOfRun(r, n, keepOnes));
  const maskedOf = (keepOnes: boolean) => (keepOnes ? total - onTotal : onTotal) / total;
  for (const [form, keepOnes] of polarities) {
    const spans = spansOf(keepOnes);
    const run = spanPattern(n, (r) => spans[r]);
    if (!run) continue;
    const masked = maskedOf(keepOnes);
    return {
      kind: run.kind, maskedFraction: masked, keep: keepOnes, ...(run.window ? { window: run.window } : {}),
      summary: `${PATTERN_NAMES[run.kind] ?? run.kind} (${run.detail}${form === '1 = attend' ? '' : `, ${form}`}) · ${percent(masked)}`,
    };
  }
  const found = polarities.map(([form, keepOnes]) => {
    const spans = spansOf(keepOnes);
    return { form, keepOnes, p: pastTheDiagonal(n, (r) => spans[r]) };
  });
  const pick = onMasks !== undefined ? found.find((f) => f.p) : found.find((f) => f.p?.kind === 'causal') ?? found.find((f) => f.p);
  if (!pick?.p) return undefined;
  const masked = maskedOf(pick.keepOnes);
  return {
    kind: pick.p.kind, maskedFraction: masked, keep: pick.keepOnes, summary: pastTheDiagonalSummary(pick.p, pick.form, masked, infOnly),
    ...(pick.p.kind === 'causal' ? { causalOffset: -pick.p.shift } : {}),
  };
}

/**
 * Kind, masked fraction and fully-masked rows of a mask too large to be sent
 * (an elided value), read in one pass over the tensor where it lies (the
 * evaluation worker) and summarised per row: one run of non-zero cells at the
 * start (prefix) or the end (suffix) of each row is what causal, padding and
 * padding ∧ causal masks are made of. Recognises causal (tril keep-mask, triu
 * block-mask or additive), key padding (one run per row, the same in every
 * row of a matrix, or [B, T]), padding ∧ causal, and, from each row's one run
 * of kept keys, sliding-window, prefix-LM, chunked causal, strictly past,
 * anti-causal and padding ∧ chunked causal as maskDetails names them (the
 * same span rules); anything else is `other` (or `additive`). Undefined when the values are not a mask's (0/1, bool, or
 * 0 / ≤ ADDITIVE_MASK_FLOOR) or, without `provenance`, a non-bool tensor has
 * no mask-like name. Polarity follows maskDetails: a prefix run of 1s is a
 * keep-mask, a suffix run a block-mask; additive non-zero is masked; a
 * reader's known polarity (`onMasks`) decides a 0/1 padding mask's.
 */
export function streamedMaskDetails(name: string, t: StridedView, provenance?: boolean, onMasks?: boolean, hints: MaskHints = {}): (MaskDetails & { fullyMaskedRows?: number; rows: number }) | undefined {
  let fullyMasked: ((keep: boolean) => number) | undefined;
  const d = streamedAsWritten(name, t, provenance, onMasks, (f) => { fullyMasked = f; }, hints);
  const read = t.shape.length >= 2 ? inReaderPolarity(d, onMasks, t.shape.slice(-2) as [number, number], fullyMasked) : d;
  return read === d || !read || !fullyMasked ? read : { ...read, fullyMaskedRows: fullyMasked(!onMasks) };
}

/** streamedMaskDetails before inReaderPolarity; `counter` receives the fully-masked-row count under a polarity. */
function streamedAsWritten(name: string, t: StridedView, provenance: boolean | undefined, onMasks: boolean | undefined, counter: (fully: (keep: boolean) => number) => void, hints: MaskHints): (MaskDetails & { fullyMaskedRows?: number; rows: number }) | undefined {
  const nd = t.shape.length;
  if (nd === 0) return undefined;
  const cols = t.shape[nd - 1];
  const total = t.shape.reduce((a, b) => a * b, 1);
  if (total === 0 || cols === 0) return undefined;
  const bool = t.dtype === 'bool';
  if (!bool && !provenance && !MASK_NAME.test(name)) return undefined;
  const nrows = total / cols;
  // past this many rows (an expand to 10**12, say) the summary would cost more than the evaluation
  if (nrows > STREAMED_ROWS_LIMIT) return undefined;
  const runs: RowRun[] = new Array(nrows);
  const colStride = t.strides[nd - 1];
  const index = new Array<number>(Math.max(0, nd - 1)).fill(0);
  let binary = true, additive = true, sawBlock = false, sawFiniteBlock = false, onTotal = 0;
  /** One row's run, or undefined as soon as a value is neither 0/1 nor additive. */
  const readRow = (base: number): RowRun | undefined => {
    let on = 0, first = -1, last = -1, zFirst = -1, zLast = -1;
    for (let c = 0, at = base; c < cols; c++, at += colStride) {
      const x = t.data[at];
      if (x === 0) {
        if (zFirst < 0) zFirst = c;
        zLast = c;
        continue;
      }
      if (x !== 1) binary = false;
      if (blocksAdditively(x)) {
        sawBlock = true;
        if (x !== -Infinity) sawFiniteBlock = true;
      }
      else additive = false;
      if (!binary && !additive) return undefined;
      on++;
      if (first < 0) first = c;
      last = c;
    }
    return { on, first, last, zFirst, zLast };
  };
  // an expanded view (stride 0) reads the same row many times: read each once
  const seen = new Map<number, RowRun>();
  for (let row = 0; row < nrows; row++) {
    let base = t.offset;
    for (let d = 0; d < nd - 1; d++) base += index[d] * t.strides[d];
    let run = seen.get(base);
    if (!run) {
      run = readRow(base);
      if (!run) return undefined;
      seen.set(base, run);
    }
    runs[row] = run;
    onTotal += run.on;
    for (let d = nd - 2; d >= 0; d--) {
      if (++index[d] < t.shape[d]) break;
      index[d] = 0;
    }
  }
  const isAdditive = !binary && additive && sawBlock;
  if (!binary && !isAdditive) return undefined;
  // a constant tensor (all 0 or all 1) is no mask without evidence: torch.ones(...) is a helper
  if (!bool && !provenance && (onTotal === 0 || onTotal === total)) return undefined;
  const rows = nd >= 2 ? t.shape[nd - 2] : 1;
  const mats = nrows / rows;
  const prefix = (r: RowRun, n: number) => r.on === n && (n === 0 || (r.first === 0 && r.last === n - 1));
  const suffix = (r: RowRun, n: number) => r.on === n && (n === 0 || (r.last === cols - 1 && r.first === cols - n));
  const every = (p: (r: RowRun, i: number, m: number) => boolean) => runs.every((r, k) => p(r, k % rows, Math.floor(k / rows)));
  const ones = onTotal / total;
  const pct = (f: number) => percent(f);
  const fully = (keep: boolean) => runs.filter((r) => (keep ? r.on === 0 : r.on === cols)).length;
  counter(fully);
  const done = (d: MaskDetails, keep: boolean | undefined) => ({ ...d, rows: nrows, ...(keep === undefined ? {} : { fullyMaskedRows: fully(keep) }) });
  const rowsNote = (keep: boolean) => {
    const n = fully(keep);
    return n > 0 ? ` · ${n} fully-masked row${n > 1 ? 's' : ''}` : '';
  };
  const listed = (lengths: number[]) => lengths.length > LISTED_LENGTHS ? `${lengths.slice(0, LISTED_LENGTHS).join(', ')}, …` : lengths.join(', ');
  if (binary && (onTotal === 0 || onTotal === total)) {
    return done({ kind: 'constant', summary: constantMaskSummary(t.dtype, onTotal > 0 ? 1 : 0, undefined) }, undefined);
  }
  // built from lengths (arange < lengths) or read as a [B, S] key_padding_mask: key padding, whatever pattern its values draw
  const patterned = !hints.fromLengths && !(hints.keyPadding && nd === 2);
  if (patterned && rows >= 2 && cols >= 2) {
    // bottom-right aligned (fewer queries than keys, the KV-cache layout): query i sees keys up to i + cols - rows
    const off = cols - rows;
    // a name that says padding (`valid`, `pad_mask`, `attention_mask`) keeps a [B, T] mask from reading as a
    // bottom-right or shifted causal one, as attentionPattern is skipped for it on the small path
    const padNamed = /pad|valid|len|attention_mask/i.test(name);
    if (off > 0 && binary && !padNamed && every((r, i) => prefix(r, i + 1 + off))) {
      return done({ kind: 'causal', causalForm: 'tril', keep: true, causalOffset: off, maskedFraction: 1 - ones, summary: `${bottomRightCausal(rows, cols, '')} · ${pct(1 - ones)}${rowsNote(true)}` }, true);
    }
    if (off > 0 && !padNamed && every((r, i) => suffix(r, cols - i - 1 - off))) {
      return done({ kind: 'causal', causalForm: 'triu', keep: false, causalOffset: off, maskedFraction: ones, summary: `${bottomRightCausal(rows, cols, isAdditive ? 'additive' : 'True = masked')} · ${pct(ones)}${rowsNote(false)}` }, false);
    }
    // the diagonal shifted right (triu diagonal=shift + 1), as attentionPattern reads a small mask
    const keepShift = runs[0].on - 1;
    if (binary && !padNamed && keepShift >= 1 && keepShift !== off && keepShift < cols - 1 && every((r, i) => prefix(r, Math.min(i + 1 + keepShift, cols)))) {
      return done({ kind: 'causal', causalForm: 'tril', keep: true, causalOffset: keepShift, maskedFraction: 1 - ones, summary: `causal, diagonal shifted by ${keepShift} (tril diagonal=${keepShift}: query i sees keys 0 … i + ${keepShift}) · ${pct(1 - ones)}${rowsNote(true)}` }, true);
    }
    const blockShift = cols - runs[0].on - 1;
    if (!padNamed && blockShift >= 1 && blockShift !== off && blockShift < cols - 1 && every((r, i) => suffix(r, Math.max(0, cols - i - 1 - blockShift)))) {
      return done({ kind: 'causal', causalForm: 'triu', keep: false, causalOffset: blockShift, maskedFraction: ones, summary: `causal, diagonal shifted by ${blockShift} (triu diagonal=${blockShift + 1}, ${isAdditive ? 'additive' : 'True = masked'}: query i sees keys 0 … i + ${blockShift}) · ${pct(ones)}${rowsNote(false)}` }, false);
    }
    if (binary && every((r, i) => prefix(r, Math.min(i + 1, cols)))) {
      return done({ kind: 'causal', causalForm: 'tril', keep: true, maskedFraction: 1 - ones, summary: `causal (tril, 1 = attend${rows !== cols ? ', top-left' : ''}) · ${pct(1 - ones)}${rowsNote(true)}` }, true);
    }
    if (every((r, i) => suffix(r, Math.max(0, cols - i - 1)))) {
      const how = isAdditive ? 'additive, triu diagonal=1' : 'triu, diagonal=1';
      return done({ kind: 'causal', causalForm: 'triu', keep: false, maskedFraction: ones, summary: `causal (${how}${rows !== cols ? ', top-left' : ''}) · ${pct(ones)}${rowsNote(false)}` }, false);
    }
    // sliding window, prefix-LM, chunked causal, strictly past, anti-causal: every matrix alike and
    // each row one run of kept keys, read from the runs as attentionPattern reads a small mask
    if (rows === cols && !padNamed && every((r, i) => sameRun(r, runs[i]))) {
      const spanned = streamedSpanPattern(runs, rows, isAdditive, onMasks, onTotal, total, !sawFiniteBlock);
      if (spanned) return done(spanned, spanned.keep);
    }
    // padding ∧ causal, keep-form: row i of matrix m keeps min(i + 1, length of m)
    if (binary && rows === cols) {
      const lengths = Array.from({ length: mats }, (_, m) => runs[m * rows + rows - 1].on);
      if (lengths.some((l) => l < cols) && lengths.some((l) => l > 1) && every((r, i, m) => prefix(r, Math.min(i + 1, lengths[m])))) {
        return done({ kind: 'combined', lengths, keep: true, maskedFraction: 1 - ones, summary: `padding (right, lengths ${listed(lengths)}) ∧ causal (1 = attend) · ${pct(1 - ones)}${rowsNote(true)}` }, true);
      }
    }
    // block-form (True / -inf = masked): row i of matrix m masks all but min(i + 1, length of m)
    if (rows === cols) {
      const lengths = Array.from({ length: mats }, (_, m) => cols - runs[m * rows + rows - 1].on);
      if (lengths.some((l) => l < cols) && lengths.some((l) => l > 1) && every((r, i, m) => suffix(r, cols - Math.min(i + 1, lengths[m])))) {
        return done({ kind: 'combined', lengths, keep: false, maskedFraction: ones, summary: `padding (right, lengths ${listed(lengths)}) ∧ causal${isAdditive ? ', additive' : ''} · ${pct(ones)}${rowsNote(false)}` }, false);
      }
    }
  }
  // padding ∧ chunked causal (wenet), a window or prefix-LM, as maskDetails reads a small one
  if (patterned && rows >= 3 && rows === cols) {
    const keep = binary && (onMasks !== undefined ? !onMasks : runs[0].first === 0);
    const chunked = patternAndPadding(mats, rows, (m, r) => spanOfRun(runs[m * rows + r], cols, keep));
    if (chunked) {
      const masked = (keep ? total - onTotal : onTotal) / total;
      return done(patternAndPaddingDetails(chunked, keep, isAdditive, masked), keep);
    }
  }
  // packed sequences (document masking, NaViT): block-diagonal, as attentionPattern reads a small mask
  if (patterned && rows >= 2 && rows === cols && !/pad|valid|len|attention_mask/i.test(name)) {
    const packed = packedSequences(runs, rows, mats, isAdditive, ones);
    if (packed) return done(packed, packed.keep);
  }
  // key padding: one run per row, every row of a matrix alike ([B, T] is B matrices of one row)
  const perMatrix = nd === 2 || t.shape.slice(1, -1).every((d) => d === 1) ? 1 : rows;
  const groups = nrows / perMatrix;
  const alike = runs.every((r, k) => {
    const head = runs[k - (k % perMatrix)];
    return r.on === head.on && r.first === head.first && r.last === head.last;
  });
  if (alike && cols >= 2) {
    const heads = Array.from({ length: groups }, (_, g) => runs[g * perMatrix]);
    const mixed = heads.filter((r) => r.on > 0 && r.on < cols);
    const allPrefix = heads.every((r) => prefix(r, r.on));
    const allSuffix = heads.every((r) => suffix(r, r.on));
    if (mixed.length > 0 && (allPrefix || allSuffix) && !mixed.every((r) => allPrefix && r.on === 1)) {
      let keep: boolean, side: 'left' | 'right';
      const keepNamed = binary && /keep|valid|attention|attn/i.test(name) && !/pad/i.test(name);
      if (isAdditive) { keep = false; side = allPrefix ? 'left' : 'right'; }
      else if (onMasks !== undefined) { keep = !onMasks; side = allPrefix === keep ? 'right' : 'left'; }
      else if (allPrefix) { keep = !/block|ignore/i.test(name); side = keep ? 'right' : 'left'; }
      // a row all 1 is a keep-mask's longest sequence (as paddingLayout reads it)
      else if (keepNamed || (heads.some((r) => r.on === cols) && !heads.some((r) => r.on === 0))) { keep = true; side = 'left'; }
      else { keep = false; side = 'right'; }
      const lengths = heads.map((r) => (keep ? r.on : cols - r.on));
      const masked = keep ? 1 - ones : ones;
      return done({
        kind: 'padding', side, lengths, maskedFraction: masked, keep,
        summary: `padding (${side}, lengths ${listed(lengths)}${isAdditive ? ', additive' : ''}) · ${pct(masked)}${rowsNote(keep)}`,
      }, keep);
    }
    // left- and right-padded rows in one batch: polarity from a row with no padding, else the name (as paddingLayout)
    if (mixed.length > 0 && mixed.every((r) => prefix(r, r.on) || suffix(r, r.on))) {
      const full = new Set(heads.filter((r) => r.on === 0 || r.on === cols).map((r) => r.on > 0));
      const keepNamed = binary && /keep|valid|attention|attn/i.test(name) && !/pad/i.test(name);
      const keep = isAdditive ? false : onMasks !== undefined ? !onMasks : full.size === 1 ? full.has(true) : keepNamed || !/pad|block|ignore/i.test(name);
      const sides: RowSides = heads.map((r) => (r.on === 0 || r.on === cols ? undefined : prefix(r, r.on) === keep ? 'right' : 'left'));
      const lengths = heads.map((r) => (keep ? r.on : cols - r.on));
      const masked = keep ? 1 - ones : ones;
      // both sides, as paddingLayout reads a small mask: padded rows all on one side were refused above
      // (one real token each: a first-token mask), so they are no padding here either
      if (new Set(sides.filter(Boolean)).size === 2) return done({
        kind: 'padding', sides: sides.map((x) => x ?? 'right'), lengths, maskedFraction: masked, keep,
        summary: `padding (${sidesText('mixed', sides)}; lengths ${listed(lengths)}${isAdditive ? ', additive' : ''}) · ${pct(masked)}${rowsNote(keep)}`,
      }, keep);
    }
  }
  // DETR's [B, H, W] image padding, as maskDetails reads a small one
  if (binary && nd === 3) {
    const image = imagePadding(mats, rows, cols, (m, r, v0) => prefixOfRun(runs[m * rows + r], cols, v0), t.data[t.offset] !== 0, onMasks, ones);
    if (image) return done(image, image.keep);
  }
  // a seq-first [T, B] padding mask (pad_sequence's default layout): read from a copy as maskDetails reads it
  if (nd === 2 && total <= SEQ_FIRST_COPY_LIMIT) {
    const data: number[] = new Array(total);
    for (let r = 0; r < t.shape[0]; r++) for (let c = 0; c < cols; c++) data[r * cols + c] = t.data[t.offset + r * t.strides[0] + c * colStride];
    // (`type` is not read there: any library's tensor)
    const seqFirst = seqFirstPadding(name, { type: 'torch.Tensor', dtype: t.dtype, shape: [...t.shape], data }, binary, isAdditive, ones, hints.fromLengths);
    // no fully-masked row count: its rows are time steps, not queries
    if (seqFirst) return done(seqFirst, undefined);
  }
  // read as key_padding_mask with masked keys that are no one run (DETR's flattened image mask), as maskDetails reads a small one
  if (hints.keyPadding && nd === 2) {
    const masks = onMasks !== false;
    const counts = runs.map((r) => (masks ? r.on : cols - r.on));
    const contiguous = runs.every((r, b) => { const n = counts[b]; return n === 0 || prefixOfRun(r, cols, masks) === n || prefixOfRun(r, cols, !masks) === cols - n; });
    const masked = masks ? ones : 1 - ones;
    return done({ kind: 'padding', keep: !masks, maskedFraction: masked, summary: `padding (key_padding_mask: masked keys per batch row ${listed(counts)} of ${cols}${contiguous ? '' : ', not contiguous'}) · ${pct(masked)}` }, !masks);
  }
  if (isAdditive) return done({ kind: 'additive', maskedFraction: ones, summary: `additive · ${pct(ones)}${rowsNote(false)}` }, false);
  return done({ kind: 'other', summary: `other · ${Number((ones * 100).toFixed(1))}% True/1` }, undefined);
}
