// The status-bar summary of an evaluation counts problems as the Problems view does.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { evaluate, evaluateNotebook } from '../../src/service/evaluate';
import { layoutCells } from '../../src/python/notebook';
import { summarizeEvaluation } from '../../src/vscode/evaluationSummary';

test("the status bar counts the code's own errors; a knock-on and a line Mask Lens does not model are not errors", () => {
  const r = evaluate('from flask import Flask\napp = Flask(__name__)\nroute = app.route\nname = "x"\n', { recordTimeline: true, continueAfterError: true });
  assert.equal(summarizeEvaluation(r, 12.4), 'Mask Lens: 1 variable in 12 ms · 1 line not modelled');
  const bad = evaluate('import torch\nx = torch.ones(3).view(2, 2)\ny = x + 1\nz = 1\n', { recordTimeline: true, continueAfterError: true });
  assert.equal(summarizeEvaluation(bad, 3), 'Mask Lens: 1 variable in 3 ms · 1 error (RuntimeError on line 2)');
});

test('in a notebook the status bar names the cell and its line, not a line of the joined source', () => {
  const layout = layoutCells([{ index: 0, source: 'import torch\n' }, { index: 2, source: 'a = 1\nb = torch.ones(3).view(2, 2)\n' }]);
  const r = evaluateNotebook(layout, { recordTimeline: true, continueAfterError: true });
  assert.match(summarizeEvaluation(r, 1, layout.startLines), /· 1 error \(RuntimeError on cell 2, line 2\)$/);
});
