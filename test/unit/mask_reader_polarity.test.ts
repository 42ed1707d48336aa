// A 0/1 mask's polarity comes from the code that reads it when that code
// fixes it (src/masks/consumers.ts): the same values [[F, F, T], [T, T, T]]
// are right padding of lengths 2, 0 under masked_fill and key_padding_mask
// (True = masked) and left padding of lengths 1, 3 under SDPA's bool
// attn_mask, Hugging Face's attention_mask and Keras (True / 1 = keep). The
// label (hover, CLI) must agree with the legend, read the small way and the
// streamed way (a tensor too large to inline).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { evaluate } from '../../src/service/evaluate';
import { maskDetails, streamedMaskDetails } from '../../src/masks/classify';

const PAD = `import torch
import torch.nn as nn
import torch.nn.functional as F
pad = torch.tensor([[False, False, True], [True, True, True]])
`;
const RIGHT = 'padding (right, lengths 2, 0) · 66.7% masked';
const LEFT = 'padding (left, lengths 1, 3) · 33.3% masked';

const TABLE: { reader: string; name: string; source: string; summary: string; legendOn: RegExp }[] = [
  { reader: 'masked_fill', name: 'pad', source: PAD + `out = torch.zeros(2, 3).masked_fill(pad, float('-inf'))\n`, summary: RIGHT, legendOn: /^masked/ },
  { reader: 'MultiheadAttention.key_padding_mask', name: 'pad', source: PAD + `mha = nn.MultiheadAttention(4, 1, batch_first=True)\nx = torch.ones(2, 3, 4)\nout, w = mha(x, x, x, key_padding_mask=pad)\n`, summary: RIGHT, legendOn: /^masked/ },
  { reader: 'scaled_dot_product_attention', name: 'pad', source: PAD + `q = torch.ones(2, 3, 4)\nout = F.scaled_dot_product_attention(q, q, q, attn_mask=pad[:, None, :])\n`, summary: LEFT, legendOn: /^attends/ },
  { reader: 'attention_mask (Hugging Face convention)', name: 'attention_mask', source: `import torch\nattention_mask = torch.tensor([[0, 0, 1], [1, 1, 1]])\n`, summary: LEFT, legendOn: /^attends/ },
  { reader: 'keras-mask', name: 'mask', source: `import numpy as np\nimport keras\nx = np.array([[0, 0, 3], [1, 2, 3]])\nmask = keras.layers.Embedding(10, 4, mask_zero=True).compute_mask(x)\n`, summary: LEFT, legendOn: /^kept/ },
];

for (const row of TABLE) {
  test(`a padding mask read by ${row.reader} is labelled in its reader's polarity`, () => {
    for (const options of [{}, { inlineElements: 0 }]) {
      const r = evaluate(row.source, { recordTimeline: true, ...options });
      assert.equal(r.error, null);
      const s = r.timeline.find((x) => x.name === row.name);
      assert.ok(s, `${row.name} not recorded`);
      assert.equal(s.consumer, row.reader);
      assert.match(s.legend!.on, row.legendOn);
      // the streamed summary also counts fully-masked rows (" · 1 fully-masked row")
      assert.ok(s.maskSummary?.startsWith(row.summary), `${row.reader}${'inlineElements' in options ? ' (streamed)' : ''}: ${s.maskSummary}`);
    }
  });
}

test('padding ∧ causal read by SDPA keeps its keep-form label', () => {
  const r = evaluate(`import torch
T = 4
lengths = torch.tensor([3, 4])
keep = (torch.arange(T)[None, :] < lengths[:, None])[:, None, :] & torch.tril(torch.ones(T, T, dtype=torch.bool))
q = torch.ones(2, T, 8)
out = torch.nn.functional.scaled_dot_product_attention(q, q, q, attn_mask=keep)
`, { recordTimeline: true });
  assert.equal(r.error, null);
  const keep = [...r.timeline].reverse().find((x) => x.name === 'keep');
  assert.equal(keep?.maskSummary, 'padding (right, lengths 3, 4) ∧ causal (1 = attend) · 40.6% masked');
});

// The causal family in its reader's polarity: tril(ones(T, T, dtype=bool)) is
// causal to SDPA's bool attn_mask (True = attend) but, read by masked_fill,
// key_padding_mask or MultiheadAttention's bool attn_mask (True = masked), it
// hides each query's past and diagonal and leaves only the future: the
// classic inverted causal mask. triu(diagonal=1) is the mirror case. Checked
// against torch 2.13: masked_fill(tril, -inf) then softmax leaves query 0 on
// keys 1 … 3 and the last query's row NaN.
const CAUSAL = `import torch
import torch.nn as nn
import torch.nn.functional as F
T = 4
scores = torch.zeros(T, T)
q = torch.ones(1, T, 8)
`;
const TRIL = 'torch.tril(torch.ones(T, T, dtype=torch.bool))';
const TRIU = 'torch.triu(torch.ones(T, T, dtype=torch.bool), diagonal=1)';
const INVERTED = (built: string, reader: 'masks' | 'attends') => `${built} read inverted: its reader ${reader} True, so query i sees only keys > i · 62.5% masked`;

const CAUSAL_TABLE: { case: string; source: string; reader: string; summary: string; streamedRows?: number }[] = [
  { case: 'tril read by masked_fill', source: `m = ${TRIL}\nout = scores.masked_fill(m, float('-inf'))\n`, reader: 'masked_fill', summary: INVERTED('causal (tril, 1 = attend)', 'masks'), streamedRows: 1 },
  { case: 'triu(diagonal=1) read by masked_fill', source: `m = ${TRIU}\nout = scores.masked_fill(m, float('-inf'))\n`, reader: 'masked_fill', summary: 'causal (triu, diagonal=1) · 37.5% masked' },
  { case: 'tril read by SDPA', source: `m = ${TRIL}\nout = F.scaled_dot_product_attention(q, q, q, attn_mask=m)\n`, reader: 'scaled_dot_product_attention', summary: 'causal (tril, 1 = attend) · 37.5% masked' },
  { case: 'triu(diagonal=1) read by SDPA', source: `m = ${TRIU}\nout = F.scaled_dot_product_attention(q, q, q, attn_mask=m)\n`, reader: 'scaled_dot_product_attention', summary: INVERTED('causal (triu, diagonal=1)', 'attends'), streamedRows: 1 },
  { case: 'tril read by MultiheadAttention attn_mask', source: `m = ${TRIL}\nmha = nn.MultiheadAttention(8, 1, batch_first=True)\nout, w = mha(q, q, q, attn_mask=m)\n`, reader: 'MultiheadAttention.attn_mask', summary: INVERTED('causal (tril, 1 = attend)', 'masks'), streamedRows: 1 },
  {
    case: 'a bottom-right (KV cache) tril read by masked_fill', source: `m = torch.tril(torch.ones(T, T + 2, dtype=torch.bool), diagonal=2)\nout = torch.zeros(T, T + 2).masked_fill(m, float('-inf'))\n`, reader: 'masked_fill',
    summary: 'causal over 2 cached keys (bottom-right, 4×6: query i sees keys 0 … i + 2) read inverted: its reader masks True, so query i sees only keys > i + 2 · 75% masked', streamedRows: 1,
  },
  {
    // Hugging Face's sliding window over cached keys: the top-left tril hides only keys older than
    // each query's own (bottom-right) key, filled into a causal mask; not an inverted mask
    case: 'a top-left tril over cached keys read by masked_fill_', source: `causal = torch.cat([torch.zeros(3, 4), torch.full((3, 3), float('-inf')).triu(1)], dim=-1)\nm = torch.tril(torch.ones_like(causal, dtype=torch.bool))\ncausal.masked_fill_(m, float('-inf'))\n`, reader: 'masked_fill',
    summary: 'causal (tril, 1 = attend, top-left) read as True = masked: query i loses keys 0 … i, all before its own key i + 4 (a sliding window\'s cut-off over cached keys) · 28.6% masked',
  },
  {
    case: 'a block-diagonal keep-mask read by masked_fill', source: `seg = torch.tensor([0, 0, 1, 1])\nm = seg[:, None] == seg[None, :]\nout = scores.masked_fill(m, float('-inf'))\n`, reader: 'masked_fill',
    summary: 'block-diagonal (segments 2, 2) read inverted: its reader masks True, so each query sees only the keys the pattern hides · 50% masked',
  },
];

for (const row of CAUSAL_TABLE) {
  test(`${row.case} is labelled in its reader's polarity (small and streamed)`, () => {
    for (const options of [{}, { inlineElements: 0 }]) {
      const streamed = 'inlineElements' in options;
      const r = evaluate(CAUSAL + row.source, { recordTimeline: true, ...options });
      assert.equal(r.error, null);
      const s = r.timeline.find((x) => x.name === 'm');
      assert.ok(s, 'm not recorded');
      assert.equal(s.consumer, row.reader);
      const rows = streamed && row.streamedRows ? ` · ${row.streamedRows} fully-masked row` : '';
      assert.equal(s.maskSummary, row.summary + rows, streamed ? 'streamed' : 'small');
      // no causal layer claims "key after query is masked" for a mask its reader inverts
      if (/read (inverted|as True = masked)/.test(row.summary)) assert.equal(s.maskParts?.causal, undefined);
    }
  });
}

test('a causal sliding-window keep-mask read by masked_fill is labelled inverted', () => {
  const r = evaluate(CAUSAL + `m = ${TRIL} & torch.triu(torch.ones(T, T, dtype=torch.bool), diagonal=-1)\nout = scores.masked_fill(m, float('-inf'))\n`, { recordTimeline: true });
  assert.equal(r.error, null);
  const s = r.timeline.find((x) => x.name === 'm');
  assert.equal(s?.maskSummary, 'sliding-window (width 2, causal) read inverted: its reader masks True, so each query sees only the keys the pattern hides · 43.8% masked');
});

test('a 0/1 causal mask follows its reader too (int64 tril, small and streamed)', () => {
  const T = 3;
  const data = Array.from({ length: T * T }, (_, k) => (k % T <= Math.floor(k / T) ? 1 : 0));
  const value = { shape: [T, T], dtype: 'int64', data } as unknown as Parameters<typeof maskDetails>[1];
  assert.equal(maskDetails('mask', value, true)?.summary, 'causal (tril, 1 = attend) · 33.3% masked');
  assert.equal(maskDetails('mask', value, true, false)?.summary, 'causal (tril, 1 = attend) · 33.3% masked');
  const inverted = 'causal (tril, 1 = attend) read inverted: its reader masks True, so query i sees only keys > i · 66.7% masked';
  assert.equal(maskDetails('mask', value, true, true)?.summary, inverted);
  const view = { shape: [T, T], strides: [T, 1], offset: 0, data, dtype: 'int64' };
  const streamed = streamedMaskDetails('mask', view, true, true);
  assert.equal(streamed?.summary, `${inverted} · 1 fully-masked row`);
  assert.equal(streamed?.fullyMaskedRows, 1);
  assert.equal(streamed?.keep, false);
});
