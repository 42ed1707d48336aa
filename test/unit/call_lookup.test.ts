// The editor's view of recorded calls (src/vscode/callLookup.ts): which
// function a line is in, a name's value at a line of one call, the call a
// callee word made, and the arguments Preview with Arguments… offers.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { evaluate } from '../../src/service/evaluate';
import {
  callAtSite, callLabel, callsAtSite, callsOf, chooseCall, dottedPathAt, functionAt, lensRow, neighbours, returnedValue, valueInCall,
} from '../../src/vscode/callLookup';
import { prefillArguments } from '../../src/vscode/prefill';
import { hoverMarkdown } from '../../src/vscode/hoverMarkdown';

const source = readFileSync(join(__dirname, '../../examples/calls_attention_module.py'), 'utf8');
const lines = source.split('\n');
const lineOf = (prefix: string) => lines.findIndex((l) => l.startsWith(prefix)) + 1;
const result = evaluate(source, { recordTimeline: true, continueAfterError: true });

test('a line inside a method belongs to it; its calls step in order', () => {
  const fwd = functionAt(result, lineOf('        weights = '));
  assert.equal(fwd?.function, 'MaskedAttention.forward');
  assert.equal(functionAt(result, lineOf('attn = ')), undefined);
  const first = chooseCall(result, 'MaskedAttention.forward', undefined)!;
  assert.equal(callLabel(first, fwd!.calls), `call 1 of 2 · from line ${lineOf('out_a = ')}`);
  const { previous, next } = neighbours(result, first);
  assert.equal(previous, undefined);
  assert.equal(next?.call, 2);
  assert.equal(chooseCall(result, 'MaskedAttention.forward', 2)?.calledFrom, lineOf('out_b = '));
  assert.equal(chooseCall(result, 'MaskedAttention.forward', 7)?.call, 1, 'an unknown index falls back to call 1');
});

test('a name at a line of a call: the latest write at or above it, `self.mask` included', () => {
  const [c1, c2] = callsOf(result, 'MaskedAttention.forward');
  const padLine = lineOf('        scores = scores.masked_fill(key_padding');
  // `key_padding` is an argument, recorded on the def line
  assert.deepEqual((valueInCall(c2, 'key_padding', padLine)?.value as { data: boolean[] }).data, [false, false, false, true, false, true, true, true]);
  const before = valueInCall(c1, 'scores', padLine - 1)!;
  const after = valueInCall(c1, 'scores', padLine)!;
  assert.equal(before.line, padLine - 1);
  assert.equal(after.line, padLine);
  const mask = valueInCall(c1, 'self.mask', padLine)!;
  assert.equal(mask.value.type, 'torch.Tensor');
  assert.deepEqual((mask.value as { shape: number[] }).shape, [4, 4]);
  assert.equal(valueInCall(c1, 'weights', padLine), undefined, 'not bound yet at that line');
});

test('a callee word finds the call its expression made and what it returned', () => {
  const line = lineOf('pad_b = ');
  const col = lines[line - 1].indexOf('lengths_to_mask');
  const call = callAtSite(result, line, col, col + 'lengths_to_mask'.length)!;
  assert.deepEqual([call.function, call.call], ['lengths_to_mask', 2]);
  const v = returnedValue(call, 'lengths_to_mask(…)')!;
  assert.deepEqual((v.value as { data: boolean[] }).data, [false, false, false, true, false, true, true, true]);
  // its line is the callee's `return`, not the hovered line: the hover says so
  const md = hoverMarkdown(v);
  const returnLine = lines.findIndex((l, i) => i >= lineOf('def lengths_to_mask') && l.startsWith('    return mask')) + 1;
  assert.ok(md.includes(`_returned at line ${returnLine}_`) && !md.includes('_as of'), md);
  const torchCol = lines[line - 1].indexOf('torch.tensor');
  assert.equal(callAtSite(result, line, torchCol, torchCol + 5)?.function, 'lengths_to_mask', 'an argument lies inside the outer call');
  const attnLine = lineOf('out_b = ');
  const a = lines[attnLine - 1].indexOf('attn(');
  assert.equal(callAtSite(result, attnLine, a, a + 4)?.function, 'MaskedAttention.forward');
});

test('Preview with Arguments prefills from type hints, defaults and names', () => {
  const f = result.functions!.find((x) => x.name === 'causal_mask_like')!;
  assert.equal(f.calls, 0);
  assert.equal(prefillArguments(f), 'torch.tensor([[7, 6, 0, 0]])');
  assert.equal(prefillArguments({ ...f, params: ['lengths', 'max_len: int', 'pad_token=0', '*args', 'attention_mask'] }), 'torch.tensor([4, 2]), 4, pad_token=0, torch.tensor([[1, 1, 0, 0]])');
  assert.equal(prefillArguments({ ...f, function: 'MaskedAttention.forward', method: true, params: ['self', 'scores', 'size: Optional[int] = None'] }), 'MaskedAttention(), torch.randn(1, 4), size=None', 'scores are floats');
  const preview = evaluate(source, { recordTimeline: true, continueAfterError: true, previewCall: { function: f.function, args: prefillArguments(f) } });
  const call = chooseCall(preview, 'causal_mask_like', undefined)!;
  assert.equal(callLabel(call, 1), 'call 1 of 1 · with your arguments');
  assert.deepEqual((valueInCall(call, 'mask', f.endLine)?.value as { shape: number[] }).shape, [4, 4]);
});

test('the CodeLens row says each thing once: the call shown, stepping, one arguments action', () => {
  const titles = (r: typeof result, fn: string, chosen?: number) => lensRow(r, r.functions!.find((f) => f.function === fn)!, chosen).map((l) => l.title);
  assert.deepEqual(titles(result, 'causal_mask_like'), ['Preview with Arguments…']);
  assert.deepEqual(titles(result, 'MaskedAttention.forward'), [`Mask Lens: call 1 of 2 · from line ${lineOf('out_a = ')}`, 'next call ›']);
  assert.deepEqual(titles(result, 'MaskedAttention.forward', 2), [`Mask Lens: call 2 of 2 · from line ${lineOf('out_b = ')}`, '‹ previous call']);
  assert.deepEqual(lensRow(result, result.functions!.find((f) => f.function === 'MaskedAttention.forward')!, 1)[1].action, { kind: 'selectCall', call: 2 });
  // after Preview with Arguments…: the call it made, and the action to change its arguments (not the same words twice)
  const f = result.functions!.find((x) => x.name === 'causal_mask_like')!;
  const previewed = evaluate(source, { recordTimeline: true, continueAfterError: true, previewCall: { function: f.function, args: prefillArguments(f) } });
  const row = lensRow(previewed, previewed.functions!.find((x) => x.name === 'causal_mask_like')!, undefined);
  assert.deepEqual(row.map((l) => l.title), ['Mask Lens: call 1 of 1 · with your arguments', 'Change Arguments…']);
  assert.deepEqual(row.map((l) => l.action?.kind), [undefined, 'previewWithArguments']);
  const words = row.map((l) => l.title.replace(/…$/, '').toLowerCase());
  assert.equal(new Set(words).size, words.length);
  assert.ok(!row[0].title.includes('Preview with Arguments'), 'the label does not repeat the action');
});

test('dottedPathAt reads `self.mask` back from the word `mask`', () => {
  const text = '        scores = scores.masked_fill(~self.mask, 0)';
  const at = text.indexOf('mask,');
  assert.equal(dottedPathAt(text, at, at + 4), 'self.mask');
  assert.equal(dottedPathAt('x = y', 4, 5), 'y');
});

test('the inspector gets one scope per recorded call, and one per notebook cell', async () => {
  const { callScopes, cellScopes } = await import('../../src/vscode/inspectorScopes');
  const scopes = callScopes(result);
  assert.deepEqual(scopes.map((s) => s.id), ['MaskedAttention.__init__#1', 'MaskedAttention.forward#1', 'MaskedAttention.forward#2', 'lengths_to_mask#1', 'lengths_to_mask#2']);
  const fwd2 = scopes[2];
  assert.equal(fwd2.label, `MaskedAttention.forward · call 2 of 2 · from line ${lineOf('out_b = ')}`);
  assert.deepEqual(fwd2.variables.map((v) => v.name), ['scores', 'key_padding', 'self.mask', 'weights', 'return']);
  const { layoutCells } = await import('../../src/python/notebook');
  const { evaluateNotebook } = await import('../../src/service/evaluate');
  const layout = layoutCells([{ index: 0, source: 'import torch\na = torch.ones(2)' }, { index: 2, source: 'b = a * 2\na = b' }]);
  const cells = cellScopes(evaluateNotebook(layout, { recordTimeline: true }), layout);
  assert.deepEqual(cells.map((c) => [c.id, c.label, c.variables.map((v) => v.name)]), [['cell:0', 'cell 1', ['a']], ['cell:2', 'cell 2', ['b', 'a']]]);
});

test('a value after an error says Python would have stopped, in the hover', async () => {
  const { hoverMarkdown } = await import('../../src/vscode/hoverMarkdown');
  const { valueOfNameAt } = await import('../../src/vscode/variableLookup');
  const r = evaluate('import torch\nif True:\n    a = torch.ones(2).unsequeeze(0)\n    m = torch.ones(2) > 0\n', { recordTimeline: true, continueAfterError: true });
  const md = hoverMarkdown(valueOfNameAt(r, 'm', 4)!);
  assert.ok(md.includes('after an error at line 3; Python would have stopped'), md);
});

test('a notebook names lines as "cell N, line M", N counting code cells as In[N] / Out[N] do (markdown cells have no number)', async () => {
  const { hoverMarkdown, unresolvedHover } = await import('../../src/vscode/hoverMarkdown');
  const { valueOfNameAt } = await import('../../src/vscode/variableLookup');
  const { callsOf: calls, callLabel: label } = await import('../../src/vscode/callLookup');
  const { cellLineLabel, layoutCells, sourceLine } = await import('../../src/python/notebook');
  const { evaluateNotebook } = await import('../../src/service/evaluate');
  // notebook indices 0 (markdown), 1, 2 (markdown), 3: the code cells are cells 1 and 2
  const layout = layoutCells([
    { index: 1, source: 'import torch\ndef f(x):\n    return x * 2' },
    { index: 3, source: 'if True:\n    bad = torch.ones(2).unsequeeze(0)\n    m = torch.ones(2) > 0\ny = f(m)\nz = bad + 1' },
  ]);
  const r = evaluateNotebook(layout, { recordTimeline: true, continueAfterError: true, cellStartLines: layout.startLines });
  const at = (line: number) => cellLineLabel(layout, line);
  const line = (n: number) => sourceLine(layout, 3, n)!;
  const md = hoverMarkdown(valueOfNameAt(r, 'm', line(3))!, { at });
  assert.ok(md.includes('_as of cell 2, line 3_'), md);
  assert.ok(md.includes('after an error at cell 2, line 2; Python would have stopped'), md);
  const knockOn = unresolvedHover(r, 'bad', 'z = bad + 1', line(5), false, '', at)!;
  assert.ok(knockOn.includes('was not bound because cell 2, line 2 failed'), knockOn);
  assert.equal(label(calls(r, 'f')[0], 1, at), 'call 1 of 1 · from cell 2, line 4');
  // the inspector's call scopes name the calling line the same way
  const { callScopes } = await import('../../src/vscode/inspectorScopes');
  assert.equal(callScopes(r, at)[0].label, 'f · call 1 of 1 · from cell 2, line 4');
});

test('Preview with Arguments… always ends in the call to preview or an error to show', async () => {
  const { previewOutcome } = await import('../../src/vscode/callLookup');
  const src = `import torch
def pad_list(xs, pad_value):
    assert pad_value is not None
    pad = xs[0].new(len(xs), 4).fill_(pad_value)
    return pad
`;
  const info = evaluate(src, { recordTimeline: true }).functions![0];
  const run = (args: string, extra = {}) => previewOutcome(evaluate(src, { recordTimeline: true, continueAfterError: true, previewCall: { function: 'pad_list', args }, ...extra }), info, args);
  const ok = run('[torch.ones(4)], 0');
  assert.equal(ok.error, undefined);
  assert.equal(ok.call?.calledFrom, 0);
  // the call raised: its locals still preview, and the error says where
  const raised = run('[torch.ones(4)], torch.ones(2)');
  assert.ok(raised.call, 'the failing call is still shown');
  assert.equal(raised.error, 'pad_list([torch.ones(4)], torch.ones(2)) raised RuntimeError: fill_ only supports 0-dimension value tensor but got tensor with 1 dimensions. (line 4)');
  // the arguments themselves fail: no call, the error
  assert.deepEqual(run('nope, 0'), { error: "pad_list(nope, 0) was not called: NameError: name 'nope' is not defined (line 2)" });
  assert.match(run('[torch.ones(4)], (').error ?? '', /^pad_list\(\[torch\.ones\(4\)\], \(\) was not called: SyntaxError: /);
  // an exception with no message reads as Python prints it (flash-attn's `assert input.ndim >= 2`)
  assert.equal(run('[torch.ones(4)], None').error, 'pad_list([torch.ones(4)], None) raised AssertionError (line 3)');
  // no call recorded at all (maskLens.calls.maxRecorded = 0): said, not silent
  assert.match(run('[torch.ones(4)], 0', { maxRecordedCalls: 0 }).error ?? '', /its call was not recorded/);
});

test('Preview with Arguments… on a method whose self fails to build says so, not that no call was recorded (llama: fairscale layers in __init__)', async () => {
  const { previewOutcome } = await import('../../src/vscode/callLookup');
  const src = `import torch


class Block(torch.nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.proj = make_proj(dim)

    def forward(self, x):
        return self.proj(x)


def make_proj(dim):
    raise NotImplementedError('no projection')
`;
  const base = evaluate(src, { recordTimeline: true });
  const info = base.functions!.find((f) => f.function === 'Block.forward')!;
  const run = (args: string) => previewOutcome(evaluate(src, { recordTimeline: true, continueAfterError: true, previewCall: { function: 'Block.forward', args } }), info, args, base);
  // the constructor raised on a line outside forward (in make_proj): the error is the outcome
  assert.equal(run('Block(4), torch.ones(2, 4)').error,
    'Block.forward(Block(4), torch.ones(2, 4)) was not called: NotImplementedError: no projection (building self for Block.forward: Block(4)) (line 14)');
  // an argument expression that calls a function raising elsewhere in the file
  assert.equal(run('None, make_proj(4)').error, 'Block.forward(None, make_proj(4)) was not called: NotImplementedError: no projection (line 14)');
  // the fallback message is a whole sentence
  const none = previewOutcome(evaluate(src, { recordTimeline: true, continueAfterError: true, maxRecordedCalls: 0, previewCall: { function: 'make_proj', args: '4' } }), base.functions!.find((f) => f.function === 'make_proj')!, '4', base);
  assert.match(none.error ?? '', /raised|not called/);
});

test("an error in Preview with Arguments' arguments is placed on the function's name in its def line, not at the columns of the one-line call it was parsed from", () => {
  const src = `import torch


class Masks:
    @staticmethod
    def key_padding_mask(ids, pad_id):
        return ids == pad_id
`;
  for (const args of ['token_ids, 0', 'x, (', 'torch.ones(2)']) {
    const r = evaluate(src, { recordTimeline: true, continueAfterError: true, previewCall: { function: 'Masks.key_padding_mask', args } });
    assert.equal(r.errors.length, 1, JSON.stringify(r.errors));
    const { line, column, endLine, endColumn } = r.errors[0];
    assert.deepEqual({ line, column, endLine, endColumn }, { line: 6, column: 8, endLine: 6, endColumn: 24 }, `${args}: ${JSON.stringify(r.errors[0])}`);
  }
});

test("lenses only in a file that imports a tensor library: a Flask app's defs get no Preview with Arguments… row", async () => {
  const { importsTensorLibrary } = await import('../../src/vscode/callLookup');
  assert.equal(importsTensorLibrary('from flask import Flask\n\n\ndef index():\n    return "hi"\n'), false);
  assert.equal(importsTensorLibrary('import os\n# import torch in a comment\ns = "import numpy"\n'), false);
  assert.equal(importsTensorLibrary('import torchvision_like_name\n'), false);
  for (const line of ['import torch', 'import numpy as np', 'from torch import nn', 'import tensorflow as tf', 'from keras import layers', 'from einops import rearrange', '    import torch.nn.functional as F']) {
    assert.equal(importsTensorLibrary(`import os\n${line}\n`), true, line);
  }
});

test('a callee in a loop: the hover shows the call picked for that function (hover links, CodeLens, inspector), else the first', () => {
  const loop = [
    'import torch',
    'def key_padding(lengths, T):',
    '    return torch.arange(T)[None, :] >= lengths[:, None]',
    'for n in [4, 3, 2]:',
    '    pad = key_padding(torch.tensor([n]), 4)',
  ].join('\n');
  const r = evaluate(loop, { recordTimeline: true });
  const col = '    pad = '.length;
  const end = col + 'key_padding'.length;
  assert.deepEqual(callsAtSite(r, 5, col, end).map((c) => c.call), [1, 2, 3]);
  assert.equal(callAtSite(r, 5, col, end)?.call, 1);
  // call 2 picked (the hover's "next ›"): its lengths, not call 1's
  const second = callAtSite(r, 5, col, end, (fn) => (fn === 'key_padding' ? 2 : undefined))!;
  assert.equal(second.call, 2);
  assert.deepEqual((returnedValue(second, 'key_padding(…)')!.value as { data: boolean[] }).data, [false, false, false, true]);
  // a call picked that this site did not make: the first of this site's
  assert.equal(callAtSite(r, 5, col, end, () => 9)?.call, 1);
});
