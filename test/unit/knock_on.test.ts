// Knock-on NameErrors (note19, new-user test): when a statement fails, later
// NameErrors for the names it would have bound are consequences of it, shown
// as "not evaluated" information; the first error (Python's) is unchanged.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { evaluate } from '../../src/service/evaluate';
import { notEvaluatedMessage } from '../../src/python/result';

const src = `import torch
x = torch.ones(3).unsequeeze(0)
y = x * 2
z = y + 1
print(z)
for i in range(2):
    w = x + i
q = w
if flag:
    a = 1
b = a
print(nope)
`;

test('a failed statement: later NameErrors for the names it would bind are its consequences', () => {
  const r = evaluate(src, { recordTimeline: true, continueAfterError: true });
  const rows = r.errors.map((e) => [e.line, e.type, e.consequenceOf ? `${e.consequenceOf.name}@${e.consequenceOf.line}` : '']);
  assert.deepEqual(rows, [
    [2, 'AttributeError', ''],
    [3, 'NameError', 'x@2'],
    // y was not bound because line 3 did not run, which goes back to line 2
    [4, 'NameError', 'y@2'],
    [5, 'NameError', 'z@2'],
    // inside a loop body, then a name only the loop body binds
    [7, 'NameError', 'x@2'],
    [8, 'NameError', 'w@2'],
    // a failing `if` test: its body's names are unbound because of it
    [9, 'NameError', ''],
    [11, 'NameError', 'a@9'],
    // a name nothing tried to bind is an error of its own
    [12, 'NameError', ''],
  ]);
  assert.equal(notEvaluatedMessage(r.errors[1]), 'not evaluated: `x` was not bound because line 2 failed');
  assert.equal(notEvaluatedMessage(r.errors[0]), undefined);
  // Python's own error (what --json's `error` is) is the cause, unchanged
  assert.deepEqual(r.error, r.errors[0]);
  const stopped = evaluate(src, { recordTimeline: true });
  assert.deepEqual(stopped.errors.map((e) => [e.line, e.type, e.message]), [[2, 'AttributeError', "'Tensor' object has no attribute 'unsequeeze'"]]);
  assert.equal(stopped.error?.consequenceOf, undefined);
});

test('a name bound before the failing statement keeps its value: no knock-on', () => {
  const r = evaluate('x = 1\nx = undefined_fn()\ny = x + 1\n', { recordTimeline: true, continueAfterError: true });
  assert.deepEqual(r.errors.map((e) => e.line), [2]);
  // rebinding after the failure: a later NameError for it (after del) is not blamed on the old failure
  const r2 = evaluate('x = undefined_fn()\nx = 2\ndel x\nprint(x)\n', { recordTimeline: true, continueAfterError: true });
  assert.deepEqual(r2.errors.map((e) => [e.line, e.consequenceOf?.line]), [[1, undefined], [4, undefined]]);
});
