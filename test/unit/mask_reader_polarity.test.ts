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
