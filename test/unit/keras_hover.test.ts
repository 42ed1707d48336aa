// The hover on a Keras layer output shows the `_keras_mask` it carries
// (note19, new-user test): Embedding(mask_zero=True) and Masking make one,
// a padding mask with Keras's polarity (True = keep the timestep).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { evaluate } from '../../src/service/evaluate';
import { hoverMarkdown } from '../../src/vscode/hoverMarkdown';
import { attachedMaskOf, valueOfNameAt } from '../../src/vscode/variableLookup';

const src = `import numpy as np
from tensorflow import keras
ids = np.array([[5, 3, 0, 0], [7, 0, 0, 0]])
emb = keras.layers.Embedding(input_dim=10, output_dim=2, mask_zero=True)
x = emb(ids)
plain = keras.layers.Embedding(input_dim=10, output_dim=2)(ids)
y = keras.layers.Masking(mask_value=0.0)(np.array([[[1.0, 2.0], [3.0, 4.0], [0.0, 0.0]], [[5.0, 6.0], [0.0, 0.0], [0.0, 0.0]]]))
`;

test("an Embedding(mask_zero=True) output hovers with its _keras_mask: padding, True = keep", () => {
  const r = evaluate(src, { recordTimeline: true });
  assert.equal(r.error, null);
  const x = valueOfNameAt(r, 'x', 5)!;
  const mask = attachedMaskOf(r, x);
  assert.ok(mask, 'x carries a mask');
  assert.equal(mask.name, 'x._keras_mask');
  assert.deepEqual((mask.value as { data: unknown[] }).data, [true, true, false, false, true, false, false, false]);
  assert.equal(mask.mask, 'padding');
  assert.equal(mask.maskSummary, 'padding (right, lengths 2, 1) · 62.5% masked');
  const md = hoverMarkdown(mask);
  assert.ok(md.includes('■ kept · ⬚ masked'), md);
  assert.match(md, /\*\*x\._keras_mask\*\*/);
  // the value's own hover says in one line what it carries
  const head = hoverMarkdown({ ...x, attachedMask: mask });
  assert.ok(head.includes('carries `_keras_mask`: padding \\(right, lengths 2, 1\\) · 62\\.5% masked · ■ kept · ⬚ masked'), head);
  // no mask without mask_zero
  assert.equal(attachedMaskOf(r, valueOfNameAt(r, 'plain', 6)!), undefined);
  // Masking: a timestep whose features all equal mask_value is masked
  const y = attachedMaskOf(r, valueOfNameAt(r, 'y', 7)!);
  assert.equal(y?.maskSummary, 'padding (right, lengths 2, 1) · 50% masked');
  assert.ok(hoverMarkdown(y).includes('■ kept · ⬚ masked'));
});
