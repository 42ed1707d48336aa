// The inspector's scopes (issue #10): the picker's choices and fallbacks
// (webview/scopes.ts), where a cursor takes the inspector (followTarget), and
// each scope variable's address in the evaluation worker, for its slices.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { evaluate } from '../../src/service/evaluate';
import { callScopes, cellFollowTarget, cellScopeId, cellScopes, followTarget, parseCallScope } from '../../src/vscode/inspectorScopes';
import { MODULE_SCOPE, type InspectorState } from '../../src/vscode/protocol';
import { moduleLabel, resolveScope, scopeVariables } from '../../webview/scopes';
import { documentNoun, errorBanner, lineCell, problemRows } from '../../webview/problems';
import { layoutCells } from '../../src/python/notebook';
import { evaluateNotebook } from '../../src/service/evaluate';
import { isMaskLensLimit } from '../../src/python/result';

const source = readFileSync(join(__dirname, '../../examples/calls_attention_module.py'), 'utf8');
const lines = source.split('\n');
const lineOf = (prefix: string) => lines.findIndex((l) => l.startsWith(prefix)) + 1;
const text = (n: number) => lines[n - 1] ?? '';
const result = evaluate(source, { recordTimeline: true, continueAfterError: true });

function state(extra: Partial<InspectorState> = {}): InspectorState {
  return {
    documentUri: 'file:///x.py', fileName: 'x.py', mode: 'all', variables: [{ name: 'attn', value: { type: 'int', value: 1 } as never }],
    scopes: callScopes(result), stdout: '', warnings: [], errors: [], diagnostics: [], elapsedMs: 1, ...extra,
  };
}

test('a cursor inside a method goes to its chosen call and the local bound there; outside, to the module', () => {
  const at = lineOf('        weights = ');
  assert.deepEqual(followTarget(result, at, text, () => undefined, MODULE_SCOPE), { scope: 'MaskedAttention.forward#1', selected: 'weights' });
  // the call chosen in the hover or the CodeLens
  assert.deepEqual(followTarget(result, at, text, (fn) => (fn === 'MaskedAttention.forward' ? 2 : undefined), MODULE_SCOPE), { scope: 'MaskedAttention.forward#2', selected: 'weights' });
  // the line after a binding shows that binding
  assert.equal(followTarget(result, lineOf('    return mask'), text, () => undefined, MODULE_SCOPE).selected, 'mask');
  assert.deepEqual(followTarget(result, lineOf('labels[pad_b] = -100'), text, () => 2, MODULE_SCOPE), { scope: MODULE_SCOPE, selected: 'labels' });
  // a function the file never calls has no call to show: the module's scope stays
  assert.equal(followTarget(result, lineOf('    size = seq.size(1)'), text, () => undefined, MODULE_SCOPE).scope, MODULE_SCOPE);
});

test('a call scope id reads back as function and call; the module and cells are no calls', () => {
  assert.deepEqual(parseCallScope('MaskedAttention.forward#2'), { function: 'MaskedAttention.forward', call: 2 });
  assert.deepEqual(parseCallScope('outer.<locals>.inner#10'), { function: 'outer.<locals>.inner', call: 10 });
  assert.equal(parseCallScope(MODULE_SCOPE), undefined);
  assert.equal(parseCallScope(cellScopeId(3)), undefined);
});

test('the picker shows the host\'s scope, else the one kept, else the module', () => {
  assert.equal(resolveScope(state({ scope: 'lengths_to_mask#2' }), 'MaskedAttention.forward#1'), 'lengths_to_mask#2');
  assert.equal(resolveScope(state(), 'MaskedAttention.forward#1'), 'MaskedAttention.forward#1');
  assert.equal(resolveScope(state({ scope: 'gone#1' }), 'gone#2'), MODULE_SCOPE);
  assert.equal(resolveScope(state({ scopes: undefined }), 'MaskedAttention.forward#1'), MODULE_SCOPE);
  assert.deepEqual(scopeVariables(state(), 'lengths_to_mask#1').map((v) => v.name), ['lengths', 'max_len', 'mask', 'return']);
  assert.deepEqual(scopeVariables(state(), MODULE_SCOPE).map((v) => v.name), ['attn']);
  assert.equal(moduleLabel(state()), 'module · x.py');
  assert.equal(moduleLabel(state({ fileName: 'two.ipynb' })), 'notebook · every cell');
});

test('a scope variable carries where the worker holds it: its call and snapshot, a cell name its timeline index', () => {
  const fwd2 = callScopes(result).find((s) => s.id === 'MaskedAttention.forward#2')!;
  const weights = fwd2.variables.find((v) => v.name === 'weights')!;
  assert.equal(weights.address?.kind, 'call');
  const a = weights.address as { kind: 'call'; call: number; index: number };
  assert.equal(result.calls![a.call].timeline[a.index].value, weights.value);
  const ret = fwd2.variables.find((v) => v.name === 'return')!;
  assert.deepEqual(ret.address, { kind: 'call', call: a.call, index: -1 });
  // the softmax's derivation travels too: the inspector draws scores -> mask -> probabilities
  assert.equal(weights.derived?.op, 'softmax');
  const layout = layoutCells([{ index: 0, source: 'import torch\na = torch.ones(2)' }, { index: 1, source: 'b = a > 0' }]);
  const r = evaluateNotebook(layout, { recordTimeline: true });
  const b = cellScopes(r, layout)[1].variables[0];
  assert.deepEqual(b.address, { kind: 'timeline', index: r.timeline.findIndex((s) => s.name === 'b') });
});

test('a cursor in a notebook cell goes to that cell\'s scope and the variable there', () => {
  const layout = layoutCells([{ index: 0, source: 'import torch\na = torch.ones(2)' }, { index: 2, source: 'b = a > 0\nc = b.sum()' }]);
  const r = evaluateNotebook(layout, { recordTimeline: true });
  const joined = layout.source.split('\n');
  const t = followTarget(r, layout.startLines[1] + 1, (n) => joined[n - 1] ?? '', () => undefined, cellScopeId(2));
  assert.deepEqual(t, { scope: 'cell:2', selected: 'c' });
});

test('a cursor in a notebook cell\'s function body goes to its chosen call (Preview Masks, at Cursor, following); elsewhere to the cell', () => {
  // d2l's layout: a cell of defs only (it binds no value of its own), called from a later cell
  const defs = 'def key_padding_mask(lengths, T):\n    keep = torch.arange(T)[None, :] < lengths[:, None]\n    return ~keep';
  const layout = layoutCells([{ index: 0, source: 'import torch' }, { index: 2, source: defs }, { index: 3, source: 'kpm = key_padding_mask(torch.tensor([3, 1]), 4)\nkpm2 = key_padding_mask(torch.tensor([2, 2]), 4)' }]);
  const r = evaluateNotebook(layout, { recordTimeline: true });
  const cellText = (n: number) => defs.split('\n')[n - 1] ?? '';
  assert.deepEqual(cellFollowTarget(r, layout, 2, 3, cellText, () => undefined), { scope: 'key_padding_mask#1', selected: 'keep' });
  assert.deepEqual(cellFollowTarget(r, layout, 2, 3, cellText, () => 2), { scope: 'key_padding_mask#2', selected: 'keep' });
  // no cursor in the cell (it is selected, not edited): the cell's scope
  assert.deepEqual(cellFollowTarget(r, layout, 2, undefined, cellText, () => undefined), { scope: 'cell:2' });
  // a module line of a later cell: that cell's scope and its variable
  const calls = (n: number) => ['kpm = key_padding_mask(torch.tensor([3, 1]), 4)', 'kpm2 = key_padding_mask(torch.tensor([2, 2]), 4)'][n - 1] ?? '';
  assert.deepEqual(cellFollowTarget(r, layout, 3, 2, calls, () => undefined), { scope: 'cell:3', selected: 'kpm2' });
});

test('the PROBLEMS tab: errors and mask warnings by line, then the evaluator warnings with no line (not "0")', () => {
  const r = evaluate(
    'import torch\nimport timm_layers_stub\n\n@timm_layers_stub.register_notrace_function\ndef add_mask(s, m=None):\n    return s\n\nx = torch.ones(2).unsequeeze(0)\ny = x\n',
    { recordTimeline: true, continueAfterError: true },
  );
  const rows = problemRows({ errors: r.errors, diagnostics: r.diagnostics, warnings: r.warnings });
  assert.deepEqual(rows.map((row) => [row.line, row.kind]), [[8, 'AttributeError'], [9, 'info: not-evaluated'], [null, 'warning']]);
  assert.match(rows[2].message, /register_notrace_function is not modelled by Mask Lens: add_mask is used as written/);
});

test("the PROBLEMS tab: what Mask Lens does not model (flask.Flask, open()) is information, the code's own errors stay errors", () => {
  const r = evaluate(
    'from flask import Flask\napp = Flask(__name__)\ncfg = open("config.json").read()\n\n\ndef todo():\n    raise NotImplementedError("subclass me")\n\n\ntodo()\nx = 1 / 0\n',
    { recordTimeline: true, continueAfterError: true },
  );
  const rows = problemRows({ errors: r.errors, diagnostics: r.diagnostics, warnings: r.warnings });
  assert.deepEqual(rows.map((row) => [row.line, row.kind]), [
    [2, 'info: NotImplementedError'], [3, 'info: NotImplementedError'], [7, 'NotImplementedError'], [11, 'ZeroDivisionError'],
  ]);
  assert.deepEqual(r.errors.map(isMaskLensLimit), [true, true, false, false]);
});

test('the PROBLEMS tab in a notebook: lines as "cell N, line M", a lineless warning still blank', () => {
  assert.equal(lineCell(5, [1, 4]), 'cell 2, line 2');
  assert.equal(lineCell(5, undefined), '5');
  assert.equal(lineCell(null, [1, 4]), '');
  const rows = problemRows({
    errors: [{ type: 'NameError', message: "name 'x' is not defined", line: 6, consequenceOf: { name: 'x', line: 5 } }],
    diagnostics: [], warnings: ['w'], cellStartLines: [1, 4],
  } as never);
  assert.equal(rows[0].message, 'not evaluated: `x` was not bound because cell 2, line 2 failed');
});

test('the banner and the header name a notebook a notebook: "The rest of the notebook still previews", "whole notebook"', () => {
  // d2l's notebook: its helper library is not modelled (information), the code's own error comes first
  const layout = layoutCells([{ index: 0, source: 'import torch\nfrom d2l import torch as d2l' }, { index: 2, source: 'd2l.check_shape(torch.ones(2), (2,))\nx = torch.ones(2).unsqueeze(5)' }]);
  const r = evaluateNotebook(layout, { recordTimeline: true, continueAfterError: true });
  const notebook = errorBanner({ errors: r.errors, cellStartLines: layout.startLines });
  assert.deepEqual(notebook, { text: 'IndexError: Dimension out of range (expected to be in range of [-2, 1], but got 5) (cell 2, line 2) and 1 more. The rest of the notebook still previews.', limit: false });
  assert.equal(documentNoun({ cellStartLines: layout.startLines }), 'notebook');
  // a file, and a file whose only problem is a limit
  const file = evaluate('import torch\nfrom flask import Flask\napp = Flask(__name__)\n', { recordTimeline: true, continueAfterError: true });
  assert.deepEqual(errorBanner({ errors: file.errors }), { text: 'NotImplementedError: flask.Flask is not modelled by Mask Lens (line 3). The rest of the file still previews.', limit: true });
  assert.equal(documentNoun({}), 'file');
  assert.equal(errorBanner({ errors: [] }), undefined);
});
