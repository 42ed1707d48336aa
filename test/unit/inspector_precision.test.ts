// The inspector's slices keep every digit print() shows: float64 cells are
// not rounded through float32 on their way to the webview, and int64 cells
// beyond 2^53 show their exact digits (as torch prints them), not the
// nearest double, whether the tensor travels inlined or is sliced by the worker.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { evaluateLive } from '../../src/service/evaluate';
import { sliceOf } from '../../src/service/values';
import { fromWire, sliceTensor, toWire } from '../../src/vscode/tensorSlice';
import type { TensorValue } from '../../src/vscode/tensorView';

const whole = { rowDim: 0, colDim: 1, index: [0, 0], maxRows: 64, maxCols: 64 };
const roundTrip = (t: TensorValue) => fromWire(JSON.parse(JSON.stringify(toWire(sliceTensor(t, whole)))));

test('float64 cells cross postMessage unrounded; float32 data still travels as float32', () => {
  // torch.tensor([[0.1, 1/3]], dtype=torch.float64): print shows tensor([[0.1000, 0.3333]], dtype=torch.float64)
  const f64: TensorValue = { type: 'torch.Tensor', dtype: 'torch.float64', shape: [1, 3], data: [0.1, 1 / 3, 'nan'] };
  const back = roundTrip(f64);
  assert.equal(back.values[0], 0.1);
  assert.equal(back.values[1], 1 / 3);
  assert.ok(Number.isNaN(back.values[2]));
  // an int past 2^24 (float32 holds 16777216 for 16777217)
  assert.equal(roundTrip({ type: 'torch.Tensor', dtype: 'torch.int32', shape: [1, 1], data: [16777217] }).values[0], 16777217);
  const f32 = toWire(sliceTensor({ type: 'torch.Tensor', dtype: 'torch.float32', shape: [1, 2], data: [0.5, Math.fround(0.1)] }, whole));
  assert.equal(f32.float64, undefined, 'float32 values keep the smaller wire');
  assert.equal(f32.values.length, 12);
});

test('int64 beyond 2^53: the exact digits of each cell, inlined or sliced by the worker', () => {
  const src = `import torch
big = torch.tensor([[2**53 + 1, 7], [-(2**62) - 3, 2**63 - 1]])
wide = torch.full((300, 300), 2**60 + 1)
`;
  const live = evaluateLive(src, { recordTimeline: true, inlineElements: 1000 });
  const big = live.result.variables.big as TensorValue;
  const local = roundTrip(big);
  // print(big): tensor([[    9007199254740993,                    7],
  //                    [-4611686018427387907,  9223372036854775807]])
  assert.deepEqual([...local.exact!], [[0, '9007199254740993'], [2, '-4611686018427387907'], [3, '9223372036854775807']]);
  assert.equal(local.values[1], 7);
  // elided: the worker slices the live tensor
  const wide = live.result.variables.wide as TensorValue & { elided?: true };
  assert.equal(wide.elided, true);
  const t = live.tensorAt({ kind: 'variable', name: 'wide' });
  const s = sliceOf(wide, t, { maxRows: 4, maxCols: 4 })!;
  assert.equal(s.rowStep, 75);
  assert.deepEqual(s.exact?.slice(0, 2), [[0, '1152921504606846977'], [1, '1152921504606846977']]);
  assert.equal(s.exact?.length, 16);
  // pooled cells are a block's max, not one element: no digits claimed
  assert.equal(sliceOf(wide, t, { maxRows: 4, maxCols: 4, pool: true })!.exact, undefined);
});
