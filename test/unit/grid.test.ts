// The CLI's text grid (src/render/grid.ts): which cells it draws as kept (■)
// and which as masked (⬚), for boolean, 0/1 and additive masks.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { evaluate } from '../../src/service/evaluate';
import type { EncodedValue } from '../../src/python/result';
import { maskGrid } from '../../src/render/grid';

type TensorValue = Extract<EncodedValue, { data: unknown }>;

function valueOf(src: string, name: string): TensorValue {
  const r = evaluate(src);
  const v = r.variables[name];
  assert.ok(v && 'data' in v, `${name} has no data: ${JSON.stringify(r.error)}`);
  return v as TensorValue;
}

test('an additive mask draws its 0s as kept and its -inf as masked, whatever the float dtype (fairseq buffered_future_mask)', () => {
  for (const dtype of ['float32', 'float16', 'bfloat16']) {
    const v = valueOf(`import torch
m = torch.triu(torch.zeros([3, 3]).float().fill_(float("-inf")), 1).to(torch.${dtype})
`, 'm');
    assert.equal(maskGrid(v), '■⬚⬚\n■■⬚\n■■■', dtype);
  }
});

test('a finite additive fill (-1e4, BERT and fairseq) is drawn like -inf, not like a nonzero True', () => {
  const v = valueOf(`import torch
m = torch.tensor([[0., 1., 1.], [0., 0., 1.]])
m = m.masked_fill(m.to(torch.bool), -1e4)
`, 'm');
  assert.equal(maskGrid(v), '■⬚⬚\n■■⬚');
});

test('boolean and 0/1 masks keep ■ for True/1 and ⬚ for False/0', () => {
  assert.equal(maskGrid(valueOf('import torch\nm = torch.tensor([[True, False]])\n', 'm')), '■⬚');
  assert.equal(maskGrid(valueOf('import torch\nm = torch.tensor([[1., 0.]])\n', 'm')), '■⬚');
});
