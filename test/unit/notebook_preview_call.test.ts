// Preview with Arguments… in a notebook cell (from the palette or the hover's
// link) evaluates the call after every code cell before it, as Preview Mask
// at Cursor does (c1c3fe1): the cell run alone raised NameError for cell 1's
// `import torch`. The routing's pure parts: the function under the cell's
// cursor is found among the joined cells' functions (the cell's line mapped
// by sourceLine), and the notebook's evaluation with the preview call
// (NotebookEvaluations.setPreviewCall: cellStartLines + previewCall) records
// the call without an error.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { evaluate } from '../../src/service/evaluate';
import { layoutCells, sourceLine } from '../../src/python/notebook';
import { functionToPreview, previewOutcome } from '../../src/vscode/callLookup';
import { prefillArguments } from '../../src/vscode/prefill';

const CELL1 = 'import torch\nT = 4\n';
const CELL2 = 'def padding_mask(lengths):\n    return torch.arange(T)[None, :] < lengths[:, None]\n';
const layout = layoutCells([{ index: 0, source: CELL1 }, { index: 1, source: CELL2 }]);
const ARGS = 'torch.tensor([3, 1])';

test("the palette in cell 2 previews the function under the cursor, mapped into the joined cells", () => {
  const before = evaluate(layout.source, { recordTimeline: true, cellStartLines: layout.startLines });
  assert.equal(before.error, null);
  // the cursor on cell 2's line 2 (the return): in padding_mask, whose def is on the joined source's line 3+
  const info = functionToPreview(before, undefined, sourceLine(layout, 1, 2));
  assert.equal(info?.function, 'padding_mask');
  assert.equal(functionToPreview(before, undefined, 2), undefined, "cell 1's lines hold no function");
  assert.equal(functionToPreview(before, 'padding_mask', undefined)?.line, info!.line, "the hover link's name");
  assert.equal(typeof prefillArguments(info!, layout.source, before), 'string');
});

test("the notebook's evaluation with the preview call sees cell 1's import; the cell alone did not", () => {
  const before = evaluate(layout.source, { recordTimeline: true, cellStartLines: layout.startLines });
  const info = functionToPreview(before, 'padding_mask', undefined)!;
  const after = evaluate(layout.source, { recordTimeline: true, cellStartLines: layout.startLines, previewCall: { function: 'padding_mask', args: ARGS } });
  const { call, error } = previewOutcome(after, info, ARGS, before);
  assert.equal(error, undefined);
  assert.ok(call && !call.error, 'the call is recorded without an error');
  const returned = call.returned?.value;
  assert.ok(returned && 'data' in returned);
  assert.deepEqual(returned.data, [true, true, true, false, true, false, false, false]);
  // what the old routing did: the cell alone
  const alone = evaluate(CELL2, { recordTimeline: true, previewCall: { function: 'padding_mask', args: ARGS } });
  const aloneInfo = functionToPreview(alone, 'padding_mask', undefined)!;
  assert.match(previewOutcome(alone, aloneInfo, ARGS).error ?? '', /NameError/);
});
