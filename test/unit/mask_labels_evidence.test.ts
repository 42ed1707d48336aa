// Labels a new user found wrong in real files (stop 27), where how a mask was
// built or who reads it must beat the pattern its values draw: d2l's
// sequence_mask (arange < valid_len, lengths 1, 2 over 3 positions, looked
// like a top-left tril), DETR's [B, H, W] image padding mask and its
// flattened form read as key_padding_mask (both were "other"), and a
// strictly-lower tril under masked_fill (anti-causal, no inverted-mask
// warning). The snippet is test/cases/masks_built_from_lengths_detr.py, whose
// values the golden file pins to real PyTorch; each label is read the small
// way and the streamed way (a tensor too large to inline), which must agree.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { evaluate } from '../../src/service/evaluate';
import { smallAndStreamed } from './mask_cells';

const SOURCE = readFileSync(new URL('../cases/masks_built_from_lengths_detr.py', import.meta.url), 'utf8');
const { small, streamed, last } = smallAndStreamed(SOURCE);

test('the snippet runs', () => {
  assert.equal(small.error, null);
  assert.equal(streamed.error, null);
});

// name, kind, label, parts
const TABLE: [string, string, string, object | undefined][] = [
  // d2l's sequence_mask, inside the call: arange (float32) < valid_len[:, None]
  ['mask', 'padding', 'padding (right, lengths 1, 2) · 50% masked', { lengths: [1, 2], side: 'right', keep: true }],
  ['keep', 'padding', 'padding (right, lengths 1, 2) · 50% masked', { lengths: [1, 2], side: 'right', keep: true }],
  ['keep_lt', 'padding', 'padding (right, lengths 1, 2) · 50% masked', { lengths: [1, 2], side: 'right', keep: true }],
  // ~keep and a cast keep the evidence
  ['pad', 'padding', 'padding (right, lengths 1, 2) · 50% masked', { lengths: [1, 2], side: 'right', keep: false }],
  ['keep_float', 'padding', 'padding (right, lengths 1, 2) · 50% masked', { lengths: [1, 2], side: 'right', keep: true }],
  // ESPnet's make_pad_mask: True = padded
  ['pad_mask', 'padding', 'padding (right, lengths 1, 2) · 50% masked', { lengths: [1, 2], side: 'right', keep: false }],
  // controls: positions compared with positions, and tril, stay causal
  ['causal', 'causal', 'causal (tril, 1 = attend) · 33.3% masked', { causal: true, keep: true }],
  ['shifted', 'causal', 'causal (tril, 1 = attend) · 33.3% masked', { causal: true, keep: true }],
  ['tril', 'causal', 'causal (tril, 1 = attend) · 33.3% masked', { causal: true, keep: true }],
  // DETR's image padding, and its flattened form as key_padding_mask
  ['mask#detr', 'padding', '2-D padding (image, bottom/right, True = padded): valid h×w per batch item 3×2, 2×4 of 3×4 · 41.7% masked', undefined],
  ['kpm', 'padding', 'padding (key_padding_mask: masked keys per batch row 6, 4 of 12, not contiguous) · 41.7% masked', undefined],
];

for (const [key, kind, label, parts] of TABLE) {
  test(`${key} reads ${label}`, () => {
    const name = key.split('#')[0];
    // DETR's `mask` is the module's; d2l's is the call's (read first by `last` otherwise)
    const s = key === 'mask#detr' ? [...small.timeline].reverse().find((x) => x.name === name)! : name === 'mask' ? small.calls![0].timeline.find((x) => x.name === 'mask')! : last(name);
    if (key === 'mask#detr' || name === 'mask') {
      const big = key === 'mask#detr' ? [...streamed.timeline].reverse().find((x) => x.name === name)! : streamed.calls![0].timeline.find((x) => x.name === 'mask')!;
      assert.ok('elided' in big.value);
      assert.equal(big.maskSummary, s.maskSummary);
    }
    assert.equal(s.mask, kind);
    assert.equal(s.maskSummary, label);
    assert.deepEqual(s.maskParts, parts);
  });
}

test('a tril(diagonal=-1) bool mask filled with -inf (each query keeps only keys ≥ itself) warns inverted-mask', () => {
  const below = last('below');
  assert.equal(below.mask, 'anti-causal');
  const line = SOURCE.split('\n').findIndex((l) => l.startsWith('scores =')) + 1;
  for (const r of [small, streamed]) {
    assert.ok(r.diagnostics.some((d) => d.code === 'inverted-mask' && d.line === line), 'no inverted-mask warning at the masked_fill');
  }
});

test('no inverted-mask warning for a left-padded block-mask with an unpadded row, nor for a causal triu', () => {
  const r = evaluate([
    'import torch',
    'ids = torch.tensor([[0, 0, 5, 6], [1, 2, 3, 4], [0, 7, 8, 9]])',
    'x = torch.zeros(3, 4).masked_fill(ids == 0, float("-inf"))',
    'y = torch.zeros(4, 4).masked_fill(torch.triu(torch.ones(4, 4, dtype=torch.bool), diagonal=1), float("-inf"))',
    'z = torch.zeros(4, 4).masked_fill(torch.tril(torch.ones(4, 4, dtype=torch.bool), diagonal=-3), float("-inf"))',
  ].join('\n'), { recordTimeline: true });
  assert.equal(r.error, null);
  assert.deepEqual(r.diagnostics.filter((d) => d.code === 'inverted-mask').map((d) => d.line), []);
});

test('a [1, Q, K] attention mask with a fully masked query is no image padding (Keras Softmax)', () => {
  const r = evaluate('import numpy as np\nmask = np.array([[[True, True, False], [False, False, False]]])\n', { recordTimeline: true });
  const s = r.timeline.find((x) => x.name === 'mask')!;
  assert.doesNotMatch(s.maskSummary ?? '', /image/);
});

// The NumPy form of d2l's sequence_mask (np.arange(maxlen)[None, :] <
// valid_len[:, None]) carries the same evidence as the torch one: np.arange
// is positions, and its comparison with a lengths array, `~`, np.logical_not,
// np.invert, np.less and astype keep "built from lengths"; positions against
// positions stay causal.
test('NumPy masks built from lengths read as padding, not a top-left tril', () => {
  const source = `import numpy as np
valid_len = np.array([1, 2])
keep = np.arange(3)[None, :] < valid_len[:, None]
pad = ~keep
keep_float = keep.astype(np.float32)
pad_ufunc = np.logical_not(np.less(np.arange(3)[None, :], valid_len[:, None]))
pad_invert = np.invert(keep)
causal = np.arange(3)[None, :] <= np.arange(3)[:, None]
`;
  for (const options of [{}, { inlineElements: 0 }]) {
    const r = evaluate(source, { recordTimeline: true, ...options });
    assert.equal(r.error, null);
    const label = (name: string) => r.timeline.find((s) => s.name === name)?.maskSummary;
    for (const name of ['keep', 'pad', 'keep_float', 'pad_ufunc', 'pad_invert']) {
      assert.equal(label(name), 'padding (right, lengths 1, 2) · 50% masked', `${name} ${JSON.stringify(options)}`);
    }
    assert.equal(label('causal'), 'causal (tril, 1 = attend) · 33.3% masked');
  }
});
