// Labels for three layouts a new user met on real files (stop 24): llama's
// KV-cache causal mask (and llama v1's shifted diagonal), Hugging Face's
// [B, 1, T, T] expanded padding mask, and a batch padded on both sides. The
// snippet is test/cases/masks_kv_cache_and_hf_4d.py, whose values the golden
// file pins to real PyTorch; here its hover labels (Snapshot.maskSummary) and
// inspector tooltips (maskedBy), read the small way and the streamed way
// (a tensor too large to inline is summarised without a copy).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { evaluate } from '../../src/service/evaluate';
import { kerasMaskDetails, maskPartsOf } from '../../src/masks/classify';
import type { Snapshot } from '../../src/python/result';
import { maskLayers, maskedBy } from '../../src/vscode/maskLayers';
import { assertPartsExplainEveryCell, smallAndStreamed } from './mask_cells';

const SOURCE = readFileSync(new URL('../cases/masks_kv_cache_and_hf_4d.py', import.meta.url), 'utf8');
const { small, streamed, last } = smallAndStreamed(SOURCE);

test("llama's KV-cache mask (hstack of cached zeros and triu(-inf)) is causal over the cached keys", () => {
  assert.equal(small.error, null);
  const s = last('mask');
  assert.equal(s.mask, 'causal');
  assert.equal(s.maskSummary, 'causal over 4 cached keys (bottom-right, 3×7, additive: query i sees keys 0 … i + 4) · 14.3% masked');
  assert.deepEqual(s.maskParts, { causal: true, keep: false, offset: 4 });
  assertPartsExplainEveryCell(s);
  assert.deepEqual(maskedBy(s.maskParts!, [3, 7], [0, 5]), ['causal, bottom-right (key 5 after query 0 + 4)']);
  // one cached key: singular
  const one = evaluate('import torch\nm = torch.ones(2, 3, dtype=torch.bool).tril(diagonal=1)\n', { recordTimeline: true }).timeline.at(-1)!;
  assert.equal(one.maskSummary, 'causal over 1 cached key (bottom-right, 2×3: query i sees keys 0 … i + 1) · 16.7% masked');
});

test('cat / hstack / vstack of a mask-built piece (triu of -inf) are mask-built, whatever the name', () => {
  const s = last('kv_cache_add');
  assert.equal(s.mask, 'causal');
  assert.equal(s.maskSummary, 'causal over 4 cached keys (bottom-right, 3×7, additive: query i sees keys 0 … i + 4) · 14.3% masked');
  assert.equal(last('stacked').maskSummary, 'causal (additive, triu diagonal=1) · 33.3% masked');
  // zeros joined to ones is no mask: no piece was mask-built
  assert.equal(last('plain').mask, undefined);
  const np = evaluate('import numpy as np\njoined = np.hstack([np.zeros((3, 4)), np.triu(np.full((3, 3), -np.inf), 1)])\n', { recordTimeline: true }).timeline.at(-1)!;
  assert.equal(np.mask, 'causal');
});

test("llama v1's triu(mask, diagonal=start_pos + 1) is a causal mask with its diagonal shifted, not a bare 'additive'", () => {
  const s = last('shifted');
  assert.equal(s.mask, 'causal');
  assert.equal(s.maskSummary, 'causal, diagonal shifted by 1 (triu diagonal=2, additive: query i sees keys 0 … i + 1) · 18.8% masked');
  assert.deepEqual(s.maskParts, { causal: true, keep: false, offset: 1 });
  assertPartsExplainEveryCell(s);
  // a square mask has no bottom-right alignment: the tooltip names the shift
  assert.deepEqual(maskedBy(s.maskParts!, [1, 1, 4, 4], [0, 0, 0, 2]), ['causal, diagonal shifted (key 2 after query 0 + 1)']);
  // the keep form: tril with a positive diagonal
  const keep = evaluate('import torch\nkeep = torch.ones(4, 4, dtype=torch.bool).tril(diagonal=1)\n', { recordTimeline: true }).timeline.at(-1)!;
  assert.equal(keep.maskSummary, 'causal, diagonal shifted by 1 (tril diagonal=1: query i sees keys 0 … i + 1) · 18.8% masked');
});

test("Hugging Face's expanded [B, 1, T, T] padding mask says which keys each batch row pads, as its [B, T] source does", () => {
  const source = last('attention_mask');
  assert.equal(source.maskSummary, 'padding (right, lengths 3, 5, 2) · 33.3% masked');
  for (const [name, summary, keep] of [
    ['expanded_mask', 'padding (right, lengths 3, 5, 2) · 33.3% masked', true],
    ['inverted_mask', 'padding (right, lengths 3, 5, 2) · 33.3% masked', false],
    ['mask_4d', 'padding (right, lengths 3, 5, 2, additive) · 33.3% masked', false],
  ] as const) {
    const s = last(name);
    assert.equal(s.mask, 'padding', name);
    assert.equal(s.maskSummary, summary, name);
    assert.deepEqual(s.maskParts, { lengths: [3, 5, 2], side: 'right', keep }, name);
    assertPartsExplainEveryCell(s);
  }
  // batch row 2 keeps 2 keys: key 3 of every query is padding
  assert.deepEqual(maskedBy(last('mask_4d').maskParts!, [3, 1, 5, 5], [2, 0, 4, 3]), ['padding (key 3 ≥ 2, length 2)']);
  // left padding expanded the same way
  const left = evaluate('import torch\nam = torch.tensor([[0, 0, 1, 1], [1, 1, 1, 1]])\nexpanded_mask = am[:, None, None, :].expand(2, 1, 4, 4).float()\n', { recordTimeline: true }).timeline.at(-1)!;
  assert.equal(left.maskSummary, 'padding (left, lengths 2, 4) · 25% masked');
  // rows of one batch item that differ (a causal part) are no expanded padding mask
  const combined = evaluate('import torch\nm = torch.tensor([[1, 1, 1, 0]]).bool()[:, None, None, :] & torch.ones(4, 4, dtype=torch.bool).tril()\n', { recordTimeline: true }).timeline.at(-1)!;
  assert.notEqual(combined.mask, 'padding');
});

test('a batch padded on both sides says which rows are padded where, instead of giving up or guessing one side', () => {
  for (const name of ['key_padding_mask', 'mixed_attention_mask']) {
    const s = last(name);
    assert.equal(s.mask, 'padding', name);
    assert.equal(s.maskSummary, 'padding (mixed sides: right in row 0, left in row 1; lengths 3, 3, 5) · 26.7% masked', name);
    assert.deepEqual(s.maskParts?.sides, ['right', 'left', 'right'], name);
    assert.equal(s.maskParts?.side, undefined, name);
    assertPartsExplainEveryCell(s);
  }
  // ids == 0 is True on padding: the row with no padding (all False) gives the polarity away
  assert.equal(last('key_padding_mask').maskParts?.keep, false);
  assert.equal(last('mixed_attention_mask').maskParts?.keep, true);
  const parts = last('key_padding_mask').maskParts!;
  assert.deepEqual(maskedBy(parts, [3, 5], [0, 4]), ['padding (key 4 ≥ 3, length 3)']);
  assert.deepEqual(maskedBy(parts, [3, 5], [1, 0]), ['padding (key 0 < 2, length 3)']);
  assert.deepEqual(maskedBy(parts, [3, 5], [1, 4]), []);
  assert.equal(maskLayers(parts)[0].label, 'padding (mixed sides, lengths 3, 3, 5)');
  // Keras's mask (True = keep) names both sides too
  const keras = kerasMaskDetails({ type: 'tf.Tensor', dtype: 'bool', shape: [2, 3], data: [true, true, false, false, true, true] })!;
  assert.equal(keras.summary, 'padding (mixed sides: right in row 0, left in row 1; lengths 2, 2) · 33.3% masked');
  assert.deepEqual(maskPartsOf(keras), { lengths: [2, 2], sides: ['right', 'left'], keep: true });
});

test("a collate_fn's seq-first [T, B] padding mask (pad_sequence's default layout) reads as padding, not 'other' / 'combined'", () => {
  const src = readFileSync(new URL('../cases/torch_collate_seq_first_mask.py', import.meta.url), 'utf8');
  const r = evaluate(src, { recordTimeline: true });
  assert.equal(r.error, null);
  const at = (name: string) => [...r.timeline].reverse().find((s) => s.name === name)!;
  // src == PAD: True on padding, down each column
  assert.equal(at('src_pad').mask, 'padding');
  assert.equal(at('src_pad').maskSummary, 'padding (seq-first [T, B]: right, lengths 4, 2, 3) · 25% masked');
  // arange(T)[:, None] < lengths[None, :]: True on real tokens
  assert.equal(at('keep').maskSummary, 'padding (seq-first [T, B]: right, lengths 4, 2, 3) · 25% masked');
  // padding_side='left': the unpadded column (all False) gives the polarity away
  assert.equal(at('left_pad').maskSummary, 'padding (seq-first [T, B]: left, lengths 4, 2, 3) · 25% masked');
  // the viewer's padding layer reads the keys down dim 0 (seqFirst), batch rows along dim 1
  assert.deepEqual(at('src_pad').maskParts, { lengths: [4, 2, 3], side: 'right', keep: false, seqFirst: true });
  assert.deepEqual(at('keep').maskParts, { lengths: [4, 2, 3], side: 'right', keep: true, seqFirst: true });
  assert.deepEqual(at('left_pad').maskParts, { lengths: [4, 2, 3], side: 'left', keep: false, seqFirst: true });
  for (const name of ['src_pad', 'keep', 'left_pad']) assertPartsExplainEveryCell(at(name));
  // a mask too large to inline, summarised where it lies, reads the same
  const streamed = evaluate(src, { recordTimeline: true, inlineElements: 0 });
  for (const name of ['src_pad', 'keep', 'left_pad']) {
    const big = [...streamed.timeline].reverse().find((s) => s.name === name)!;
    assert.ok('elided' in big.value, `${name} was not streamed`);
    assert.equal(big.maskSummary, at(name).maskSummary, name);
    assert.deepEqual(big.maskParts, at(name).maskParts, name);
  }
  // two positions per sequence are too few to tell a seq-first mask from any 0/1 matrix
  const short = evaluate('import torch\nmask = torch.tensor([[True, False, True], [False, False, True]])\n', { recordTimeline: true }).timeline.at(-1)!;
  assert.notEqual(short.mask, 'padding');
});

test("wenet's subsequent_chunk_mask is chunked causal (with or without num_left_chunks), not a padding mask with lengths per query", () => {
  const src = `import torch


def subsequent_chunk_mask(size, chunk_size, num_left_chunks=-1):
    ret = torch.zeros(size, size, dtype=torch.bool)
    for i in range(size):
        if num_left_chunks < 0:
            start = 0
        else:
            start = max((i // chunk_size - num_left_chunks) * chunk_size, 0)
        ending = min((i // chunk_size + 1) * chunk_size, size)
        ret[i, start:ending] = True
    return ret


chunk_masks = subsequent_chunk_mask(6, 2)
limited = subsequent_chunk_mask(6, 2, num_left_chunks=1)
own_chunk = subsequent_chunk_mask(6, 2, num_left_chunks=0)
per_step = subsequent_chunk_mask(4, 1)
`;
  const r = evaluate(src, { recordTimeline: true });
  assert.equal(r.error, null);
  const at = (name: string) => [...r.timeline].reverse().find((s) => s.name === name)!;
  assert.equal(at('chunk_masks').mask, 'chunked-causal');
  assert.equal(at('chunk_masks').maskSummary, 'chunked causal (chunks of 2, each sees itself and every earlier chunk) · 33.3% masked');
  assert.equal(at('chunk_masks').maskParts, undefined, 'no causal layer: a key later in its own chunk is seen');
  assert.equal(at('limited').maskSummary, 'chunked causal (chunks of 2, each sees itself and 1 earlier chunk) · 44.4% masked');
  // a chunk that sees only itself is block-diagonal; chunks of one are plain causal
  assert.equal(at('own_chunk').mask, 'block-diagonal');
  assert.equal(at('per_step').mask, 'causal');
});

test('(tokens != eos).cumprod(1), 1 until the first EOS, keeps the mask history of its comparison: a padding mask', () => {
  const r = evaluate(`import torch
tokens = torch.tensor([[5, 8, 2, 9, 2], [7, 2, 4, 4, 1]])
before_eos = (tokens != 2).cumprod(dim=1)
`, { recordTimeline: true });
  assert.equal(r.error, null);
  const s = [...r.timeline].reverse().find((x) => x.name === 'before_eos')!;
  assert.equal(s.maskSummary, 'padding (right, lengths 2, 1) · 70% masked');
});
