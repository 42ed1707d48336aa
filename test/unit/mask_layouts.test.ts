// Mask layouts the classifier used to misname (note19, new-user test): a
// causal mask over dims other than the last two (labml's [query, key, batch]),
// a bottom-right-aligned causal mask (KV cache / flash-attn), and constant
// masks (all False / all True) whatever their names say.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { evaluate } from '../../src/python/index';
import { streamedMaskDetails, maskPartsOf } from '../../src/masks/classify';
import type { MaskParts, Snapshot } from '../../src/python/result';
import { maskedBy } from '../../src/vscode/maskLayers';
import { assertPartsExplainEveryCell } from './mask_cells';

const run = (src: string) => evaluate(`import torch\n${src.trim()}\n`, { recordTimeline: true });
const snap = (src: string, name: string): Snapshot => {
  const s = [...run(src).timeline].reverse().find((x) => x.name === name);
  assert.ok(s, `${name} not recorded`);
  return s;
};

test("labml's [query, key, batch] causal mask is causal, with its query and key dims", () => {
  const s = snap('mask = torch.tril(torch.ones(5, 5)).bool().unsqueeze(-1)', 'mask');
  assert.equal(s.mask, 'causal');
  assert.equal(s.maskSummary, 'causal (tril, 1 = attend) · 40% masked · dims 0, 1 of [5, 5, 1] are query × key');
  assert.deepEqual(s.maskParts, { causal: true, keep: true, dims: [0, 1] });
  assertPartsExplainEveryCell(s);
  assert.deepEqual(maskedBy(s.maskParts!, [5, 5, 1], [1, 3, 0]), ['causal (key 3 after query 1)']);
  // leading and middle singleton dims, and the block form
  assert.equal(snap('m = torch.triu(torch.ones(4, 4, dtype=torch.bool), 1)[:, None, :, None]', 'm').mask, 'causal');
  assertPartsExplainEveryCell(snap('m = torch.triu(torch.ones(4, 4, dtype=torch.bool), 1)[:, None, :, None]', 'm'));
  // two long dims of different lengths, or three long dims, are not read this way
  assert.notEqual(snap('m = torch.ones(5, 3, 1, dtype=torch.bool).tril()', 'm').mask, 'causal');
  // a padding mask [B, T, 1] stays a padding mask (its dims differ)
  assert.equal(snap('pad = (torch.arange(4)[None, :] < torch.tensor([2, 3, 4])[:, None]).unsqueeze(-1)', 'pad').mask, 'padding');
});

test('a bottom-right-aligned causal mask carries its offset, so the layers and tooltips match its values', () => {
  const s = snap('br = torch.tril(torch.ones(3, 5, dtype=torch.bool), diagonal=2)', 'br');
  assert.equal(s.mask, 'causal');
  assert.deepEqual(s.maskParts, { causal: true, keep: true, offset: 2 });
  assertPartsExplainEveryCell(s);
  // query 0 is key position 2: key 2 is kept, key 3 is after it
  assert.deepEqual(maskedBy(s.maskParts!, [3, 5], [0, 2]), []);
  assert.deepEqual(maskedBy(s.maskParts!, [3, 5], [0, 3]), ['causal, bottom-right (key 3 after query 0 + 2)']);
  // top-left stays top-left
  const tl = snap('tl = torch.ones(3, 5, dtype=torch.bool).tril()', 'tl');
  assert.equal(tl.maskParts?.offset, undefined);
  assertPartsExplainEveryCell(tl);
});

test('padding ∧ bottom-right causal is a combined mask with both parts', () => {
  const s = snap(`
lengths = torch.tensor([5, 4])
pad = torch.arange(5)[None, :] < lengths[:, None]
comb = pad[:, None, :] & torch.tril(torch.ones(3, 5, dtype=torch.bool), diagonal=2)[None]`, 'comb');
  assert.equal(s.mask, 'combined');
  assert.equal(s.maskSummary, 'padding (right, lengths 5, 4) ∧ causal (bottom-right, 1 = attend) · 23.3% masked');
  assert.deepEqual(s.maskParts, { lengths: [5, 4], side: 'right', causal: true, keep: true, offset: 2 });
  assertPartsExplainEveryCell(s);
  // block form (True = masked)
  const b = snap(`
lengths = torch.tensor([5, 3])
pad = torch.arange(5)[None, :] >= lengths[:, None]
comb = pad[:, None, :] | torch.triu(torch.ones(2, 5, dtype=torch.bool), diagonal=4)[None]`, 'comb');
  assert.equal(b.mask, 'combined');
  assert.equal(b.maskParts?.offset, 3);
  assertPartsExplainEveryCell(b);
});

test('a large (streamed) bottom-right causal mask is read with its offset too', () => {
  const rows = 3, cols = 6;
  const keepData = Array.from({ length: rows * cols }, (_, k) => (k % cols <= Math.floor(k / cols) + 3 ? 1 : 0));
  const view = (data: number[]) => ({ shape: [rows, cols], strides: [cols, 1], offset: 0, data, dtype: 'bool' });
  const keep = streamedMaskDetails('m', view(keepData))!;
  assert.equal(keep.kind, 'causal');
  assert.equal(keep.causalOffset, 3);
  assert.deepEqual(maskPartsOf(keep), { causal: true, keep: true, offset: 3 } satisfies MaskParts);
  const block = streamedMaskDetails('m', view(keepData.map((x) => 1 - x)))!;
  assert.equal(block.kind, 'causal');
  assert.equal(block.causalOffset, 3);
  assert.equal(block.keep, false);
});

test('an all-False or all-True mask is named by its values, not by its name', () => {
  const none = snap('key_padding_mask = torch.zeros(2, 5, dtype=torch.bool)', 'key_padding_mask');
  assert.equal(none.mask, 'constant');
  assert.match(none.maskSummary!, /^all False · nothing masked if True = masked .*, everything if True = attend/);
  const all = snap('pad_mask = torch.ones(2, 5, dtype=torch.bool)', 'pad_mask');
  assert.equal(all.mask, 'constant');
  assert.match(all.maskSummary!, /^all True · everything masked if True = masked/);
  // the reader's polarity settles it: masked_fill masks where True
  const filled = snap(`
key_padding_mask = torch.zeros(2, 5, dtype=torch.bool)
s = torch.zeros(2, 5).masked_fill(key_padding_mask, float('-inf'))`, 'key_padding_mask');
  assert.equal(filled.maskSummary, 'all False · nothing masked');
  // SDPA's bool attn_mask is True = attend: all True masks nothing
  const sdpa = snap(`
q = torch.zeros(1, 3, 4)
attn_mask = torch.ones(3, 3, dtype=torch.bool)
o = torch.nn.functional.scaled_dot_product_attention(q, q, q, attn_mask=attn_mask)`, 'attn_mask');
  assert.equal(sdpa.maskSummary, 'all True · nothing masked');
  // an all -inf additive mask masks everything
  const inf = snap("bias_mask = torch.full((2, 2), float('-inf')).masked_fill(torch.tensor(False), 0.0)", 'bias_mask');
  assert.equal(inf.maskSummary, 'all -inf · everything masked');
  // one True is no longer constant
  assert.notEqual(snap('key_padding_mask = torch.zeros(2, 5, dtype=torch.bool)\nkey_padding_mask[1, 4] = True', 'key_padding_mask').mask, 'constant');
});

test('a large (streamed) packed-sequence mask is block-diagonal, worded as the small path words it', () => {
  const cases: [string, string][] = [
    // one matrix: non-causal, causal, True = masked, additive
    ['seg = torch.tensor([0, 0, 1, 1, 1, 2])\nd = seg[:, None] == seg[None, :]', 'd'],
    ['seg = torch.tensor([0, 0, 1, 1, 1])\ni = torch.arange(5)\nd = (seg[:, None] == seg[None, :]) & (i[None, :] <= i[:, None])', 'd'],
    ['seg = torch.tensor([0, 0, 0, 1, 1])\nd = seg[:, None] != seg[None, :]', 'd'],
    ["seg = torch.tensor([0, 0, 1, 1, 1])\nd = torch.zeros(5, 5).masked_fill(seg[:, None] != seg[None, :], float('-inf'))", 'd'],
    // NaViT: segments differ per batch row, one row holds one image (one segment)
    ['ids = torch.tensor([[0, 0, 0, 1, 1, 2], [0, 0, 1, 1, 2, 2], [0, 0, 0, 0, 0, 0], [0, 1, 1, 1, 1, 1]])\nm = ids[:, None, :, None] == ids[:, None, None, :]', 'm'],
  ];
  for (const [src, name] of cases) {
    const small = snap(src, name);
    assert.equal(small.mask, 'block-diagonal', src);
    // the same tensor left in the evaluation (inlineElements 0): summarised where it lies
    const big = [...evaluate(`import torch\n${src}\n`, { recordTimeline: true, inlineElements: 0 }).timeline].reverse().find((x) => x.name === name)!;
    assert.ok('elided' in big.value, src);
    assert.equal(big.mask, 'block-diagonal', src);
    assert.equal(big.maskSummary, small.maskSummary, src);
  }
  // not packed: a diagonal selection, and rows whose kept keys are not their own segment
  const eye = Array.from({ length: 16 }, (_, k) => (k % 5 === 0 ? 1 : 0));
  assert.notEqual(streamedMaskDetails('m', { shape: [4, 4], strides: [4, 1], offset: 0, data: eye, dtype: 'bool' })?.kind, 'block-diagonal');
  const shifted = [1, 1, 0, 0, 1, 1, 0, 0, 0, 0, 1, 1, 0, 1, 1, 1];
  assert.notEqual(streamedMaskDetails('m', { shape: [4, 4], strides: [4, 1], offset: 0, data: shifted, dtype: 'bool' })?.kind, 'block-diagonal');
});
