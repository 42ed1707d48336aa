// Preview with Arguments… of a function that returns `~keep` (a padding mask
// inverted): the inspector's call scope must label what it returned as the
// hover labels `keep`, padding. `~` made a new tensor with no mask history, so a
// [T, 1] seq-first mask under the name `return` (no mask word) read as a "bool
// selection" of rows beside its `keep`'s "padding". Built as the extension
// builds it (buildInspectorState), from the prefilled arguments.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { evaluate } from '../../src/service/evaluate';
import { buildInspectorState } from '../../src/vscode/inspectorState';
import { prefillArguments } from '../../src/vscode/prefill';

const SOURCE = [
  'import torch',
  'from torch.nn.utils.rnn import pad_sequence',
  '',
  'def collate_mask(batch):',
  '    padded = pad_sequence(batch)',
  '    keep = padded != 0',
  '    return ~keep',
  '',
  'def pad_mask(tokens, pad_id=0):',
  '    keep = tokens != pad_id',
  '    return torch.logical_not(keep)',
  '',
].join('\n');

function previewed(fn: string) {
  const first = evaluate(SOURCE, { recordTimeline: true });
  const info = first.functions!.find((f) => f.function === fn)!;
  const args = prefillArguments(info, SOURCE, first);
  const result = evaluate(SOURCE, { recordTimeline: true, previewCall: { function: fn, args } });
  assert.equal(result.error, null);
  const state = buildInspectorState('file:///m.py', '/w/m.py', { uri: 'file:///m.py', version: 1, options: {}, result, elapsedMs: 1, id: 1 }, 'all');
  const scope = state.scopes?.find((s) => s.function === fn);
  assert.ok(scope, `no scope for ${fn}`);
  const v = (name: string) => scope.variables.find((x) => x.name === name)!;
  return { keep: v('keep'), returned: v('return') };
}

for (const fn of ['collate_mask', 'pad_mask']) {
  test(`${fn} previewed with its prefilled arguments: what it returned (~keep) is a padding mask, as keep is`, () => {
    const { keep, returned } = previewed(fn);
    assert.equal(keep.mask, 'padding');
    assert.equal(returned.mask, 'padding');
    assert.equal(returned.maskSummary, keep.maskSummary);
    assert.equal(returned.maskParts?.keep, !keep.maskParts?.keep);
  });
}
