// The host↔webview message guards, and the pure view helpers the messages'
// payloads are rendered with (hover markdown, slices, variable look-up).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { isHostToWebviewMessage, isWebviewToHostMessage } from '../../src/vscode/protocol';
import {
  finiteRange,
  isMaskLike,
  leadingIndices,
  numericTableText,
  sliceMatrix,
  type TensorValue,
} from '../../src/vscode/tensorView';
import { hoverMarkdown } from '../../src/vscode/hoverMarkdown';
import { cellFormatter } from '../../src/vscode/tensorSlice';
import { assignedNames, statementEndLine, valueOfNameAt, variableAtLine } from '../../src/vscode/variableLookup';
import type { RunResult } from '../../src/python/result';

const paddingMask: TensorValue = {
  type: 'torch.Tensor',
  dtype: 'torch.bool',
  shape: [2, 1, 1, 4],
  data: [false, false, true, true, false, false, false, true],
};

function result(partial: Partial<RunResult>): RunResult {
  return { variables: {}, stdout: '', warnings: [], error: null, errors: [], timeline: [], diagnostics: [], ...partial };
}

describe('protocol guards', () => {
  test('accept every webview→host message and reject malformed ones', () => {
    assert.ok(isWebviewToHostMessage({ type: 'ready' }));
    assert.ok(isWebviewToHostMessage({ type: 'refresh' }));
    assert.ok(isWebviewToHostMessage({ type: 'revealLine', documentUri: 'file:///a.py', line: 3 }));
    assert.ok(isWebviewToHostMessage({ type: 'variableSelected', name: 'mask' }));
    assert.ok(!isWebviewToHostMessage({ type: 'revealLine', documentUri: 'file:///a.py' }));
    assert.ok(!isWebviewToHostMessage({ type: 'variableSelected' }));
    assert.ok(!isWebviewToHostMessage({ type: 'showState' }));
    assert.ok(!isWebviewToHostMessage(null));
    assert.ok(!isWebviewToHostMessage('ready'));
  });

  test('accept every host→webview message and reject malformed ones', () => {
    assert.ok(isHostToWebviewMessage({ type: 'showEmpty', reason: 'nothing yet' }));
    assert.ok(isHostToWebviewMessage({ type: 'selectVariable', name: 'x' }));
    assert.ok(isHostToWebviewMessage({ type: 'showState', state: { variables: [] } }));
    assert.ok(!isHostToWebviewMessage({ type: 'showState', state: null }));
    assert.ok(!isHostToWebviewMessage({ type: 'ready' }));
    assert.ok(!isHostToWebviewMessage(undefined));
  });
});

describe('tensor views', () => {
  test('slices pick the last two axes at the given leading indices', () => {
    assert.deepEqual(leadingIndices(paddingMask.shape), [
      [0, 0],
      [1, 0],
    ]);
    const m = sliceMatrix(paddingMask, [1, 0]);
    assert.equal(m.rows, 1);
    assert.equal(m.cols, 4);
    assert.deepEqual([0, 1, 2, 3].map((c) => m.at(0, c)), [false, false, false, true]);
    const t: TensorValue = { type: 'torch.Tensor', dtype: 'torch.int64', shape: [2, 2, 3], data: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11] };
    assert.equal(sliceMatrix(t, [1]).at(1, 2), 11);
    // Out-of-range leading indices clamp instead of reading past the data.
    assert.equal(sliceMatrix(t, [7]).at(0, 0), 6);
    const scalar: TensorValue = { type: 'torch.Tensor', dtype: 'torch.float32', shape: [], data: [2.5] };
    assert.equal(sliceMatrix(scalar).at(0, 0), 2.5);
  });

  test('mask-like means bool or only 0/1', () => {
    assert.ok(isMaskLike(paddingMask));
    assert.ok(isMaskLike({ type: 'torch.Tensor', dtype: 'torch.float32', shape: [2], data: [0, 1] }));
    assert.ok(!isMaskLike({ type: 'torch.Tensor', dtype: 'torch.float32', shape: [2], data: [0, 0.5] }));
    assert.ok(!isMaskLike({ type: 'torch.Tensor', dtype: 'torch.float32', shape: [1], data: ['-inf'] }));
  });

  test('numeric tables summarise long axes with ... as print() does, in the one format torch picks for the tensor', () => {
    const wide: TensorValue = { type: 'torch.Tensor', dtype: 'torch.int64', shape: [10, 10], data: Array.from({ length: 100 }, (_, i) => i) };
    const cell = cellFormatter(wide);
    const lines = numericTableText(sliceMatrix(wide), (x) => cell.format(x), { maxRows: 8, maxCols: 8 }).split('\n');
    assert.deepEqual(lines, [
      '  0   1   2 ...   7   8   9',
      ' 10  11  12 ...  17  18  19',
      ' 20  21  22 ...  27  28  29',
      '... ... ...     ... ... ...',
      ' 70  71  72 ...  77  78  79',
      ' 80  81  82 ...  87  88  89',
      ' 90  91  92 ...  97  98  99',
    ]);
    // torch prints tensor([0.2497, 1.0000, -inf]): 1.0000, not 1.
    const f: TensorValue = { type: 'torch.Tensor', dtype: 'torch.float32', shape: [1, 3], data: [0.2497399151325226, 1, '-inf'] };
    const fc = cellFormatter(f);
    assert.equal(numericTableText(sliceMatrix(f), (x) => fc.format(x)), '0.2497 1.0000   -inf');
  });

  test('cells and ranges handle non-finite values', () => {
    const t: TensorValue = { type: 'torch.Tensor', dtype: 'torch.float32', shape: [3], data: ['nan', 1e-7, 3] };
    const cell = cellFormatter(t);
    assert.deepEqual(t.data.map((x) => cell.format(x)), ['nan', '1.0000e-07', '3.0000e+00']);
    assert.equal(cellFormatter({ type: 'torch.Tensor', dtype: 'torch.int64', shape: [1], data: [3] }).format(3), '3');
    assert.equal(cellFormatter({ type: 'torch.Tensor', dtype: 'torch.bool', shape: [1], data: [true] }).format(true), 'True');
    assert.deepEqual(finiteRange([1, '-inf', 3, 'nan']), { min: 1, max: 3 });
    assert.equal(finiteRange(['nan']), null);
  });
});

describe('hover markdown', () => {
  test('compact: name, dtype, shape, one picture of the first slice, the legend, the repr collapsed', () => {
    const md = hoverMarkdown({
      name: 'padding_mask',
      value: paddingMask,
      repr: 'tensor([[[[False, False,  True,  True]]],\n\n\n        [[[False, False, False,  True]]]])',
      line: 22,
    });
    assert.ok(md.startsWith('**padding_mask** · `torch.Tensor` · dtype `torch.bool` · shape `[2, 1, 1, 4]`'), md);
    // one picture, no ■/⬚ text grid beside it
    assert.equal(md.match(/!\[padding_mask mask grid\]\(data:image\/svg\+xml;base64,/g)?.length, 1, md);
    assert.ok(!/[■⬚]{2}/.test(md), md);
    assert.ok(md.includes('\\[0, 0, :, :\\] of 2 slices'), md);
    assert.ok(md.includes('■ true/nonzero · ⬚ false/zero'), md);
    // the picture shows the values: the repr is folded away
    assert.match(md, /<details><summary>repr \(4 lines\)<\/summary>\n\n```python\ntensor\(\[\[\[\[False, False,  True,  True\]\]\],/);
    assert.ok(md.includes('_as of line 22_'));
  });

  test('a short repr of a value without a picture stays open; a long one is collapsed', () => {
    const open = hoverMarkdown({ name: 'n', value: { type: 'int', value: 3 }, repr: '3' });
    assert.ok(open.includes('```python\n3\n```') && !open.includes('<details>'), open);
    const long = Array.from({ length: 30 }, (_, i) => `line ${i}`).join('\n');
    const md = hoverMarkdown({ name: 'xs', value: { type: 'list', items: [] }, repr: long }, { maxReprLines: 10 });
    assert.ok(md.includes('<details><summary>repr (30 lines)</summary>'), md);
    assert.ok(md.includes('line 9\n…\n```'), md);
    assert.ok(!md.includes('line 10'), md);
  });

  test('non-mask tensors get a numeric table; scalars their value', () => {
    const md = hoverMarkdown({ name: 'score', value: { type: 'torch.Tensor', dtype: 'torch.float32', shape: [3], data: [1.2000000476837158, 2.299999952316284, 4] } });
    assert.ok(md.includes('1.2000 2.3000 4.0000'), md);
    assert.ok(!md.includes('■'));
    assert.ok(hoverMarkdown({ name: 'n', value: { type: 'int', value: 3 } }).includes('```python\n3\n```'));
  });
});

describe('variable look-up', () => {
  const timeline = [
    { line: 21, endLine: 21, name: 'seq', value: { type: 'int' as const, value: 1 }, repr: '1' },
    { line: 22, endLine: 23, name: 'padding_mask', value: paddingMask, repr: 'pm' },
    { line: 26, endLine: 26, name: 'seq', value: { type: 'int' as const, value: 2 }, repr: '2' },
  ];
  const r = result({ timeline, variables: { seq: { type: 'int', value: 2 }, padding_mask: paddingMask } });

  test('the statement covering a line, else the nearest one above', () => {
    const none = () => '';
    assert.equal(variableAtLine(r, 23, none)?.name, 'padding_mask');
    assert.equal(variableAtLine(r, 25, none)?.name, 'padding_mask');
    assert.equal(variableAtLine(r, 26, none)?.repr, '2');
    assert.equal(variableAtLine(r, 5, none), undefined);
    assert.equal(statementEndLine(r, 22), 23);
    assert.equal(statementEndLine(r, 24), 24);
  });

  test('a name resolves to its binding as of the hovered line', () => {
    assert.deepEqual(valueOfNameAt(r, 'seq', 24)?.value, { type: 'int', value: 1 });
    assert.deepEqual(valueOfNameAt(r, 'seq', 30)?.value, { type: 'int', value: 2 });
    // Above its first binding: the final value.
    assert.deepEqual(valueOfNameAt(r, 'seq', 3)?.value, { type: 'int', value: 2 });
    assert.equal(valueOfNameAt(r, 'torch', 30), undefined);
  });

  test('without a timeline, assignments are read from the source', () => {
    const src = ['import torch', 'mask = make()', 'print(mask)', 'a, b = 1, 2', 'x == y'];
    const noTimeline = result({ variables: { mask: paddingMask, a: { type: 'int', value: 1 }, b: { type: 'int', value: 2 } } });
    const text = (n: number) => src[n - 1] ?? '';
    assert.equal(variableAtLine(noTimeline, 3, text)?.name, 'mask');
    assert.equal(variableAtLine(noTimeline, 4, text)?.name, 'b');
    assert.deepEqual(assignedNames('x == y'), []);
    assert.deepEqual(assignedNames('  total += 1'), ['total']);
    assert.deepEqual(assignedNames('y: int = 3'), ['y']);
  });
});
