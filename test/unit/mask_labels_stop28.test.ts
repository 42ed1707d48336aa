// Labels found wrong at stop 28, over test/cases/mask_labels_cache_position_copies.py
// (whose values the golden file pins to real PyTorch / NumPy): Hugging Face's
// cache_position written as a literal tensor read "padding" (the comparison
// `arange(K) > cache_position[:, None]` was taken for one with lengths);
// positions copied before the comparison with lengths (clone, .float(), .to,
// repeat, tile, contiguous, np.tile / astype / copy) lost their evidence and
// read as a top-left tril; images padded to a size divisibility of 32 read
// "other"; `tril(ones(3, 3), diagonal=-2) == 0` read as seq-first padding;
// a square [T, B] mask was guessed seq-first with nothing to say so. Each
// label is read small and streamed (a tensor too large to inline): both must agree.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { evaluate } from '../../src/service/evaluate';
import { smallAndStreamed } from './mask_cells';

const SOURCE = readFileSync(new URL('../cases/mask_labels_cache_position_copies.py', import.meta.url), 'utf8');
const { small, streamed, last } = smallAndStreamed(SOURCE);

test('the snippet runs', () => {
  assert.equal(small.error, null);
  assert.equal(streamed.error, null);
});

const LENGTHS_1_2 = 'padding (right, lengths 1, 2) · 50% masked';
const IMAGE = 'valid h×w per batch item 20×25, 30×14 of 32×32 · 55.1% masked';
const PAST_2 = 'query i sees keys 0 … i − 2; rows 0 … 1 fully masked';

// name, kind, label, parts
const TABLE: [string, string, string, object | undefined][] = [
  // cache_position = torch.tensor([3, 4]): positions compared with positions after them, not lengths
  ['mask4d', 'causal', 'causal over 3 cached keys (bottom-right, 2×5, additive: query i sees keys 0 … i + 3) · 10% masked', { causal: true, keep: false, offset: 3 }],
  ['after_cache', 'causal', 'causal over 3 cached keys (bottom-right, 2×5, True = masked: query i sees keys 0 … i + 3) · 10% masked', { causal: true, keep: false, offset: 3 }],
  ['sees_cache', 'causal', 'causal over 3 cached keys (bottom-right, 2×5: query i sees keys 0 … i + 3) · 10% masked', { causal: true, keep: true, offset: 3 }],
  // copies of positions keep them
  ...['keep_clone', 'keep_float', 'keep_to', 'keep_repeat', 'keep_tile', 'keep_contig', 'keep_detach', 'keep_np'].map(
    (n): [string, string, string, object] => [n, 'padding', LENGTHS_1_2, { lengths: [1, 2], side: 'right', keep: true }],
  ),
  // detectron2's size_divisibility=32: no image reaches the padded 32 × 32
  ['pad_mask', 'padding', `2-D padding (image, bottom/right, True = padded): ${IMAGE}`, undefined],
  ['img_masks', 'padding', `2-D padding (image, bottom/right, True = padded): ${IMAGE}`, undefined],
  ['pixel_mask', 'padding', `2-D padding (image, bottom/right, 1 = valid): ${IMAGE}`, undefined],
  // a strictly-past window shifted by 2 over three positions
  ['past2', 'causal', `strictly past only (triu diagonal=-1, True = masked: ${PAST_2} → NaN after softmax if filled with -inf) · 88.9% masked`, { causal: true, keep: false, offset: -2 }],
  ['scores', 'causal', `strictly past only (additive, triu diagonal=-1: ${PAST_2} → NaN after softmax) · 88.9% masked`, { causal: true, keep: false, offset: -2 }],
  // a square [T, B]: seq-first only when built from lengths down dim 0
  ['square', 'other', 'other · 37.5% True/1 · its columns read as seq-first [T, B] padding (right, lengths 4, 1, 3, 2), but a square mask does not say which dim is the batch', undefined],
  ['seq_first_keep', 'padding', 'padding (seq-first [T, B]: right, lengths 4, 1, 3, 2) · 37.5% masked', { lengths: [4, 1, 3, 2], side: 'right', keep: true, seqFirst: true }],
  ['seq_first_pad', 'padding', 'padding (seq-first [T, B]: right, lengths 4, 1, 3, 2) · 37.5% masked', { lengths: [4, 1, 3, 2], side: 'right', keep: false, seqFirst: true }],
  // [3, 2]: the streamed reading called it "mixed sides: right in row 1, left in row ;"
  ['first_token', 'padding', 'padding (seq-first [T, B]: right, lengths 2, 1) · 50% masked', { lengths: [2, 1], side: 'right', keep: true, seqFirst: true }],
];

for (const [name, kind, label, parts] of TABLE) {
  test(`${name} reads ${label}`, () => {
    const s = last(name);
    assert.equal(s.mask, kind, name);
    assert.equal(s.maskSummary, label, name);
    assert.deepEqual(s.maskParts, parts, name);
  });
}

test('the softmax of the shifted window is NaN on its two fully-masked rows, as torch gives it', () => {
  const nan = small.diagnostics.filter((d) => d.code === 'fully-masked-row');
  assert.deepEqual(nan.map((d) => d.line), [62]);
});

test('positions compared the lengths way still read as lengths, either side of the comparison', () => {
  const source = `import torch
lengths = torch.tensor([1, 2])
a = lengths[:, None] > torch.arange(3)
b = lengths[:, None] <= torch.arange(3)
c = torch.arange(3) >= lengths[:, None]
`;
  const r = evaluate(source, { recordTimeline: true });
  const label = (n: string) => r.timeline.find((s) => s.name === n)?.maskSummary;
  for (const n of ['a', 'b', 'c']) assert.equal(label(n), LENGTHS_1_2, n);
});

test('a streamed first-token mask (one real token a row) is not "mixed sides" with an empty side', () => {
  const source = 'import torch\nm = torch.tensor([[True, False, False], [True, True, True]])\n';
  const read = (options: object) => evaluate(source, { recordTimeline: true, ...options }).timeline.find((x) => x.name === 'm')!;
  const big = read({ inlineElements: 0 });
  assert.doesNotMatch(big.maskSummary ?? '', /mixed sides/);
  assert.equal(big.maskSummary, read({}).maskSummary);
});

// Keras's convention ([B, T], True = keep) decides a mask it made, streamed as well as small
test('a streamed Keras compute_mask reads as the small one: padding, not a first-token mask', () => {
  const source = readFileSync(new URL('../cases/keras_compute_mask_padding.py', import.meta.url), 'utf8');
  const read = (options: object) => evaluate(source, { recordTimeline: true, ...options }).timeline.find((x) => x.name === 'first_token_mask')!;
  const big = read({ inlineElements: 0 });
  assert.ok('elided' in big.value);
  assert.equal(big.maskSummary, 'padding (right, lengths 1, 3) · 33.3% masked');
  assert.equal(big.maskSummary, read({}).maskSummary);
  assert.deepEqual(big.maskParts, { lengths: [1, 3], side: 'right', keep: true });
});

/** The last snapshot of `name` in `source`, read small and streamed; both must say `label`. */
function bothRead(source: string, name: string, label: string, kind: string): void {
  for (const options of [{}, { inlineElements: 0 }]) {
    const r = evaluate(source, { recordTimeline: true, ...options });
    const s = [...r.timeline].reverse().find((x) => x.name === name)!;
    assert.equal(s.maskSummary?.replace(/ · \d+ fully-masked rows?/, ''), label, `${name} ${JSON.stringify(options)}`);
    assert.equal(s.mask, kind, `${name} ${JSON.stringify(options)}`);
  }
}

// `input_ids != pad` with one left pad: every cell above the diagonal is set, which read "combined"
// (small) while the streamed reading said left padding
test('a left-padded keep-mask with one pad token reads as left padding, small and streamed', () => {
  bothRead('import torch\ninput_ids = torch.tensor([[0, 5, 6], [7, 8, 9]])\nam = (input_ids != 0).long()\n', 'am', 'padding (left, lengths 2, 3) · 16.7% masked', 'padding');
});

// examples/error_and_fully_masked_row.py: `keep` with an all-False row is a fully-masked query
// under a keep-mask (as its name says), not a block-mask's unpadded row after a left-padded one
test("a mask named keep with an all-False row stays a keep-mask (right, lengths 2, 0), small and streamed", () => {
  const source = readFileSync(new URL('../../examples/error_and_fully_masked_row.py', import.meta.url), 'utf8');
  bothRead(source, 'keep', 'padding (right, lengths 2, 0) · 66.7% masked', 'padding');
});

// a constant mask too large to inline is named in its reader's polarity, as a small one is
test('a streamed constant mask read by SDPA says what it masks, as the small one does', () => {
  const source = `import torch
import torch.nn.functional as F
q = torch.randn(1, 2, 4, 8)
keep = torch.ones(4, 4, dtype=torch.bool)
out = F.scaled_dot_product_attention(q, q, q, attn_mask=keep)
blocked = torch.zeros(2, 4)
scores = torch.randn(2, 4).masked_fill(blocked.bool(), float("-inf"))
`;
  bothRead(source, 'keep', 'all True · nothing masked', 'constant');
});

// a [B, T] mask named for padding reads as padding when streamed too: its rows (lengths 2, 3 of 4)
// also draw a causal mask over cached keys, which the small path leaves to the name
test('a streamed padding-named mask is not read as causal over cached keys', () => {
  bothRead('import torch\nlengths = torch.tensor([2, 3])\nvalid = torch.tensor([[1, 1, 0, 0], [1, 1, 1, 0]]).bool()\n', 'valid', 'padding (right, lengths 2, 3) · 37.5% masked', 'padding');
});
