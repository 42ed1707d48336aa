// A bool tensor that only selects rows (whisper's alignment heads: zeros(n_layer,
// n_head, dtype=bool), then all_heads[n_layer // 2:] = True) is a bool
// selection, not a "combined" mask: its 2 × 2 form is also a lower triangle.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { evaluate } from '../../src/service/evaluate';
import { maskKindLabel } from '../../src/python/result';
import { hoverMarkdown } from '../../src/vscode/hoverMarkdown';
import { valueOfNameAt } from '../../src/vscode/variableLookup';

const kinds = (src: string, name: string) => evaluate(src, { recordTimeline: true, continueAfterError: true }).timeline.filter((s) => s.name === name).map((s) => [s.mask, s.maskSummary]);

test('whisper\'s alignment heads are a bool selection at every size, the 2 × 2 of a previewed model too', () => {
  for (const [layers, heads, chosen] of [[2, 2, 1], [4, 6, 2], [6, 8, 3]]) {
    const src = `import torch
n_text_layer, n_text_head = ${layers}, ${heads}
all_heads = torch.zeros(n_text_layer, n_text_head, dtype=torch.bool)
all_heads[n_text_layer // 2 :] = True
`;
    assert.deepEqual(kinds(src, 'all_heads')[1], ['selection', `bool selection · ${chosen} of ${layers} rows True`]);
    const r = evaluate(src, { recordTimeline: true, continueAfterError: true });
    assert.match(hoverMarkdown(valueOfNameAt(r, 'all_heads', 4)!), /^\*\*all_heads\*\* · `torch.Tensor` · dtype `torch.bool` · shape `\[\d+, \d+\]` · bool selection\n/);
  }
  assert.equal(maskKindLabel('selection'), 'bool selection');
  assert.equal(maskKindLabel('causal'), 'causal mask');
});

test('the same rows under a mask\'s name, or read as a mask, keep their mask labels', () => {
  const named = `import torch
attn_mask = torch.zeros(2, 2, dtype=torch.bool)
attn_mask[1:] = True
`;
  assert.equal(kinds(named, 'attn_mask')[1][0], 'combined');
  const read = `import torch
sel = torch.zeros(2, 2, dtype=torch.bool)
sel[1:] = True
scores = torch.zeros(2, 2).masked_fill(sel, float('-inf'))
`;
  assert.notEqual(kinds(read, 'sel').at(-1)![0], 'selection');
  // rows that differ inside are no selection: a causal keep-mask stays causal
  assert.equal(kinds('import torch\nkeep = torch.ones(3, 3, dtype=torch.bool).tril()\n', 'keep')[0][0], 'causal');
});
