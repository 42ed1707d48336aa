// The interpreter without any framework registered: plain Python runs, and a
// framework's module is simply not there (Python's ModuleNotFoundError), so
// src/python stands on its own (see mask_layering.test.ts for its imports).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { evaluate } from '../../src/python';
import { evaluate as evaluateWithFrameworks } from '../../src/service/evaluate';

test('plain Python evaluates with no framework registered', () => {
  const r = evaluate(['xs = [i * i for i in range(4)]', 'pair = (xs[-1], "a" * 2)', 'print(sum(xs), len(pair))'].join('\n'));
  assert.equal(r.error, null);
  assert.equal(r.stdout, '14 2\n');
  assert.deepEqual(r.variables.xs, { type: 'list', items: [0, 1, 4, 9].map((value) => ({ type: 'int', value })) });
  assert.deepEqual(r.variables.pair, { type: 'tuple', items: [{ type: 'int', value: 9 }, { type: 'str', value: 'aa' }] });
});

test('import torch without frameworks is Python\'s ModuleNotFoundError, and the file still runs up to it', () => {
  for (const [line, name] of [['import torch', 'torch'], ['import numpy as np', 'numpy'], ['from torch import nn', 'torch'], ['import torch.nn.functional as F', 'torch']]) {
    const r = evaluate(`x = 1\n${line}\ny = 2`);
    assert.deepEqual(r.error && { type: r.error.type, message: r.error.message, line: r.error.line }, { type: 'ModuleNotFoundError', message: `No module named '${name}'`, line: 2 }, line);
    assert.deepEqual(r.variables.x, { type: 'int', value: 1 });
  }
  // the same file with the frameworks registered imports torch (a guard: the lines above fail for want of a registration, not of torch)
  assert.equal(evaluateWithFrameworks('import torch\nx = torch.ones(2)').error, null);
});

test('a standalone timeline records plain values, with no framework pass to annotate them', () => {
  const r = evaluate('a = [1, 2]\nb = len(a)', { recordTimeline: true });
  assert.equal(r.error, null);
  assert.deepEqual(r.timeline.map((s) => s.name), ['a', 'b']);
  assert.deepEqual(r.diagnostics, []);
});
