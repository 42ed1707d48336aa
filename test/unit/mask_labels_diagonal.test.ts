// Labels for masks the earlier tables left as padding or "other" (stop 27):
// what masked_fill of a keep-mask tril leaves (anti-causal, not "padding
// (left, …)"), triu(ones, diagonal=0) as a block-mask (strictly past, row 0
// fully masked), wenet's padding ∧ chunked causal mask, and the streamed
// path's sliding-window, prefix-LM and chunked causal readings of a large
// mask. The snippet test/cases/masks_past_diagonal_and_chunks.py has a golden
// file from real PyTorch (softmax rows 3 and 0 NaN); every label is read the
// small way and the streamed way (inlineElements: 0) and must agree.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { evaluate } from '../../src/service/evaluate';
import { maskDetails, maskPartsOf, streamedMaskDetails, type StridedView } from '../../src/masks/classify';
import type { EncodedValue } from '../../src/python/result';
import { maskedBy } from '../../src/vscode/maskLayers';
import { assertPartsExplainEveryCell, smallAndStreamed } from './mask_cells';

const SOURCE = readFileSync(new URL('../cases/masks_past_diagonal_and_chunks.py', import.meta.url), 'utf8');
const { small, streamed, last } = smallAndStreamed(SOURCE);

const LABELS: { case: string; name: string; kind: string; summary: string }[] = [
  {
    case: 'zeros.masked_fill(tril, -inf): a keep-mask filled where True means masked', name: 'anti', kind: 'anti-causal',
    summary: 'anti-causal (additive, tril diagonal=0: query i sees only keys > i; row 3 fully masked → NaN after softmax) · 62.5% masked',
  },
  {
    case: 'triu(ones, diagonal=0) under masked_fill', name: 'strict', kind: 'causal',
    summary: 'strictly past only (triu diagonal=0, True = masked: query i sees keys < i; row 0 fully masked → NaN after softmax if filled with -inf) · 62.5% masked',
  },
  {
    case: 'what masked_fill of triu(diagonal=0) leaves', name: 'strict_scores', kind: 'causal',
    summary: 'strictly past only (additive, triu diagonal=0: query i sees keys < i; row 0 fully masked → NaN after softmax) · 62.5% masked',
  },
  {
    case: "wenet's masks & subsequent_chunk_mask(6, 2)", name: 'chunk_masks', kind: 'combined',
    summary: 'padding (right, lengths 6, 3, 5) ∧ chunked causal (chunks of 2, each sees itself and every earlier chunk, 1 = attend) · 42.6% masked',
  },
  {
    case: "wenet's masks & subsequent_chunk_mask(6, 2, num_left_chunks=1)", name: 'limited_chunks', kind: 'combined',
    summary: 'padding (right, lengths 6, 3, 5) ∧ chunked causal (chunks of 2, each sees itself and 1 earlier chunk, 1 = attend) · 53.7% masked',
  },
  {
    case: 'the additive scores of the chunked padding mask', name: 'scores', kind: 'combined',
    summary: 'padding (right, lengths 6, 3, 5) ∧ chunked causal (chunks of 2, each sees itself and 1 earlier chunk, additive) · 53.7% masked',
  },
];

for (const row of LABELS) {
  test(`${row.case} is labelled as what it masks (small and streamed)`, () => {
    assert.equal(small.error, null);
    const s = last(row.name);
    assert.equal(s.mask, row.kind);
    assert.equal(s.maskSummary, row.summary);
  });
}

test('the anti-causal fill keeps its inverted-mask warning, and the NaN row it leaves is named', () => {
  for (const r of [small, streamed]) {
    const inverted = r.diagnostics.filter((d) => d.code === 'inverted-mask');
    assert.deepEqual(inverted.map((d) => d.line), [11]);
  }
  const nan = small.diagnostics.find((d) => d.code === 'fully-masked-row' && d.variable === 'anti_probs');
  assert.match(nan?.message ?? '', /^anti_probs: 1 row is entirely NaN \(row 3\)/);
  // no causal layer claims "key after query" for it
  assert.equal(last('anti').maskParts, undefined);
});

test('strictly past: the fully-masked-row warning names row 0, and the causal layer explains each cell', () => {
  // a softmax output too large to send is scanned where it lies: the same warning
  for (const r of [small, streamed]) {
    const nan = r.diagnostics.find((d) => d.code === 'fully-masked-row' && d.variable === 'strict_probs');
    assert.match(nan?.message ?? '', /^strict_probs: 1 row is entirely NaN \(row 0\)/, r === small ? 'small' : 'streamed');
    assert.equal(nan?.line, 17);
  }
  for (const name of ['strict', 'strict_scores']) {
    const s = last(name);
    assert.deepEqual(s.maskParts, { causal: true, keep: false, offset: -1 }, name);
    assertPartsExplainEveryCell(s);
  }
  // the diagonal is masked too: the tooltip says why
  assert.deepEqual(maskedBy(last('strict').maskParts!, [4, 4], [2, 2]), ['causal, strictly past (key 2 ≥ query 2)']);
  assert.deepEqual(maskedBy(last('strict').maskParts!, [4, 4], [2, 1]), []);
});

test('padding ∧ chunked causal gets the padding layer and no causal one (a later key of its own chunk is seen)', () => {
  for (const name of ['chunk_masks', 'limited_chunks']) {
    assert.deepEqual(last(name).maskParts, { lengths: [6, 3, 5], side: 'right', keep: true }, name);
  }
  // one sequence per batch at full length: plain chunked causal stays so
  const plain = evaluate(SOURCE.replace('xs_lens = torch.tensor([6, 3, 5])', 'xs_lens = torch.tensor([6, 6, 6])'), { recordTimeline: true });
  const s = [...plain.timeline].reverse().find((x) => x.name === 'chunk_masks')!;
  assert.equal(s.mask, 'chunked-causal');
});

test('strictly past and anti-causal follow the reader: triu(diagonal=0) read by SDPA attends True', () => {
  const src = `import torch
import torch.nn.functional as F
T = 4
m = torch.triu(torch.ones(T, T, dtype=torch.bool), diagonal=0)
q = torch.ones(1, T, 8)
out = F.scaled_dot_product_attention(q, q, q, attn_mask=m)
below = torch.tril(torch.ones(T, T, dtype=torch.bool), diagonal=-1)
`;
  for (const options of [{}, { inlineElements: 0 }]) {
    const r = evaluate(src, { recordTimeline: true, ...options });
    const at = (name: string) => [...r.timeline].reverse().find((s) => s.name === name)!;
    assert.equal(at('m').maskSummary, 'anti-causal (triu diagonal=0, 1 = attend: query i sees keys ≥ i) · 37.5% masked');
    // no reader: a tril keep-mask of the keys before each query
    assert.equal(at('below').maskSummary, 'strictly past only (tril diagonal=-1, 1 = attend: query i sees keys < i; row 0 fully masked → NaN after softmax if filled with -inf) · 62.5% masked');
  }
});

test('a finite fill (-1e9) leaves the fully-masked row uniform after softmax, not NaN: the label says so', () => {
  const src = `import torch
T = 4
tril = torch.tril(torch.ones(T, T, dtype=torch.bool))
anti = torch.zeros(T, T).masked_fill(tril, -1e9)
`;
  for (const options of [{}, { inlineElements: 0 }]) {
    const r = evaluate(src, { recordTimeline: true, ...options });
    const s = [...r.timeline].reverse().find((x) => x.name === 'anti')!;
    assert.equal(s.maskSummary, 'anti-causal (additive, tril diagonal=0: query i sees only keys > i; row 3 fully masked → uniform after softmax) · 62.5% masked');
    assert.ok(r.diagnostics.some((d) => d.code === 'inverted-mask' && d.line === 4));
  }
});

/** A [1, 1, n, n] keep-mask (1 = attend) as a strided view over a Uint8Array, `keeps(r, c)`. */
function view(n: number, keeps: (r: number, c: number) => boolean, dtype = 'bool'): StridedView {
  const data = new Uint8Array(n * n);
  for (let r = 0; r < n; r++) for (let c = 0; c < n; c++) data[r * n + c] = keeps(r, c) ? 1 : 0;
  return { shape: [1, 1, n, n], strides: [n * n, n * n, n, 1], offset: 0, data, dtype };
}

/** The same mask as a small encoded value, for maskDetails. */
function encoded(v: StridedView): EncodedValue {
  return { type: 'torch.Tensor', dtype: 'torch.bool', shape: [...v.shape], data: Array.from(v.data, (x) => x !== 0) } as EncodedValue;
}

const WINDOWS: { case: string; keeps: (w: number) => (r: number, c: number) => boolean; big: string; small: string; kind: string }[] = [
  { case: 'causal sliding window', keeps: (w) => (r, c) => c <= r && c > r - w, kind: 'sliding-window', big: 'sliding-window (width 512, causal) · 88.3% masked', small: 'sliding-window (width 8, causal) · 88.2% masked' },
  { case: 'prefix-LM', keeps: (p) => (r, c) => c <= r || c < p, kind: 'prefix-lm', big: 'prefix-LM (prefix 100) · 50% masked', small: 'prefix-LM (prefix 8) · 48.5% masked' },
  { case: 'bidirectional window', keeps: (w) => (r, c) => Math.abs(r - c) <= w, kind: 'sliding-window', big: 'sliding-window (width 33, bidirectional) · 99.2% masked', small: 'sliding-window (width 7, bidirectional) · 89.4% masked' },
  { case: 'chunked causal', keeps: (s) => (r, c) => c < (Math.floor(r / s) + 1) * s, kind: 'chunked-causal', big: 'chunked causal (chunks of 256, each sees itself and every earlier chunk) · 46.9% masked', small: 'chunked causal (chunks of 8, each sees itself and every earlier chunk) · 43.8% masked' },
];
const PARAMS: Record<string, [number, number]> = { 'causal sliding window': [512, 8], 'prefix-LM': [100, 8], 'bidirectional window': [16, 3], 'chunked causal': [256, 8] };

for (const row of WINDOWS) {
  test(`a large [1, 1, 4096, 4096] ${row.case} is read from its row runs as a small one is read from its cells`, () => {
    const [bigP, smallP] = PARAMS[row.case];
    const big = streamedMaskDetails('mask', view(4096, row.keeps(bigP)), true);
    assert.equal(big?.kind, row.kind);
    assert.equal(big?.summary, row.big);
    assert.equal(big?.fullyMaskedRows, 0);
    // the same rule as the small path: a 64 × 64 copy reads alike both ways
    const v = view(64, row.keeps(smallP));
    const streamedSmall = streamedMaskDetails('mask', v, true);
    const inline = maskDetails('mask', encoded(v), true);
    assert.equal(inline?.summary, row.small);
    assert.equal(streamedSmall?.summary, inline?.summary);
    assert.deepEqual(maskPartsOf(streamedSmall!), maskPartsOf(inline!));
    // under masked_fill (True = masked) the keep-mask is read inverted, as the small path reads it
    const read = streamedMaskDetails('mask', v, true, true);
    assert.match(read!.summary, new RegExp(`^${row.small.replace(/ · .*/, '').replace(/[()]/g, '\\$&')} read inverted: its reader masks True`));
    assert.equal(read!.summary.replace(/ · \d+ fully-masked rows?$/, ''), maskDetails('mask', encoded(v), true, true)!.summary);
  });
}

test('a large block-form (True = masked) sliding window under masked_fill, expanded over 8 heads (stride 0), reads as its keep-form does', () => {
  const n = 4096;
  const keep = view(n, (r, c) => c <= r && c > r - 512);
  const block = new Uint8Array(keep.data.length);
  for (let i = 0; i < block.length; i++) block[i] = keep.data[i] ? 0 : 1;
  const heads: StridedView = { shape: [1, 8, n, n], strides: [n * n, 0, n, 1], offset: 0, data: block, dtype: 'bool' };
  const d = streamedMaskDetails('mask', heads, true, true);
  assert.equal(d?.summary, 'sliding-window (width 512, causal, True = masked) · 88.3% masked');
  assert.equal(d?.rows, 8 * n);
  assert.deepEqual(maskPartsOf(d!), { causal: true, window: 512, keep: false });
});

test('a large padding mask named so is not read as an attention pattern', () => {
  // key padding (rows alike per batch item) stays padding; a square [T, T] named *pad* is no window
  const v = view(64, (r, c) => c <= r && c > r - 8);
  assert.notEqual(streamedMaskDetails('pad_mask', v, true)?.kind, 'sliding-window');
  assert.notEqual(maskDetails('pad_mask', encoded(v), true)?.kind, 'sliding-window');
  assert.equal(streamedMaskDetails('mask', v, true)?.kind, 'sliding-window');
});

test("a large padding ∧ chunked causal mask (wenet, [3, 512, 512]) reads as the small path reads it", () => {
  const n = 512, size = 64, lengths = [512, 300, 450];
  const data = new Uint8Array(lengths.length * n * n);
  lengths.forEach((len, b) => {
    for (let r = 0; r < n; r++) {
      const end = (Math.floor(r / size) + 1) * size;
      for (let c = 0; c < Math.min(end, len); c++) data[b * n * n + r * n + c] = 1;
    }
  });
  const v: StridedView = { shape: [3, n, n], strides: [n * n, n, 1], offset: 0, data, dtype: 'bool' };
  const big = streamedMaskDetails('chunk_masks', v, true);
  assert.equal(big?.summary, 'padding (right, lengths 512, 300, 450) ∧ chunked causal (chunks of 64, each sees itself and every earlier chunk, 1 = attend) · 48% masked');
  assert.equal(maskDetails('chunk_masks', encoded(v), true)?.summary, big?.summary);
  assert.deepEqual(maskPartsOf(big!), { lengths, side: 'right', keep: true });
});

test('causal & sliding & ~key_padding_mask is padding ∧ a causal window, with padding, causal and window layers (not "combined · 42% True/1")', () => {
  const src = readFileSync(new URL('../cases/torch_sliding_window_combined.py', import.meta.url), 'utf8');
  const at = (r: ReturnType<typeof evaluate>) => [...r.timeline].reverse().find((x) => x.name === 'combined')!;
  const s = at(evaluate(src, { recordTimeline: true }));
  const big = at(evaluate(src, { recordTimeline: true, inlineElements: 0 }));
  assert.equal(s.mask, 'combined');
  assert.equal(s.maskSummary, 'padding (right, lengths 5, 3) ∧ sliding-window (width 3, causal, 1 = attend) · 58% masked');
  assert.deepEqual(s.maskParts, { lengths: [5, 3], side: 'right', causal: true, window: 3, keep: true });
  assertPartsExplainEveryCell(s);
  assert.equal(big.maskSummary, s.maskSummary);
  assert.deepEqual(big.maskParts, s.maskParts);
  // batch row 1 (length 3), query 4: key 1 is out of the window, key 3 is padding
  assert.deepEqual(maskedBy(s.maskParts!, [2, 5, 5], [1, 4, 1]), ['window (key 1 is 3 before query 4, width 3)']);
  assert.deepEqual(maskedBy(s.maskParts!, [2, 5, 5], [1, 4, 3]), ['padding (key 3 ≥ 3, length 3)']);
});

test('an additive padding ∧ causal mask says additive in both readings (the small one used to drop it)', () => {
  const src = readFileSync(new URL('../cases/numpy_mask_builders.py', import.meta.url), 'utf8');
  for (const options of [{}, { inlineElements: 0 }]) {
    const s = [...evaluate(src, { recordTimeline: true, ...options }).timeline].reverse().find((x) => x.name === 'bias')!;
    assert.equal(s.maskSummary, 'padding (right, lengths 3, 5, 2) ∧ causal, additive · 52% masked');
  }
});
