// Engine semantics: type promotion, broadcasting, views and in-place writes,
// composed masking ops. Expected values come from the PyTorch 1.13 probe in
// ../shared/reference/torch_semantics.md.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DType } from '../../src/engine/dtype';
import { EngineError } from '../../src/engine/errors';
import { maskedFill, maskedFillInPlace, softmax, tril, triu } from '../../src/engine/ops/compose';
import { binary, broadcastShapes, resultType } from '../../src/engine/ops/core';
import { getItem, setItem } from '../../src/engine/ops/indexing';
import { reduce } from '../../src/engine/ops/reduce';
import { expand, permute, reshape, select, transpose, unsqueeze, view } from '../../src/engine/ops/shape';
import { Tensor, allocate } from '../../src/engine/tensor';

function t(dtype: DType, shape: number[], values: number[]): Tensor {
  const data = allocate(dtype, values.length);
  data.set(values);
  return Tensor.fromData(dtype, shape, data);
}

const empty = (d: DType, shape: number[] = [2]) => Tensor.empty(d, shape);

test('promotion follows torch.result_type tiers', () => {
  assert.equal(resultType(empty('bool'), empty('int64')), 'int64');
  assert.equal(resultType(empty('bool'), 1n), 'int64');
  assert.equal(resultType(empty('bool'), true), 'bool');
  assert.equal(resultType(empty('bool'), 1.5), 'float32');
  assert.equal(resultType(empty('int32'), 2.5), 'float32');
  assert.equal(resultType(empty('int64'), Tensor.empty('float64', [])), 'float64');
  assert.equal(resultType(empty('float32'), Tensor.empty('float64', [])), 'float32');
  assert.equal(resultType(empty('float32'), empty('float64')), 'float64');
  assert.equal(resultType(empty('int32'), Tensor.empty('int64', [])), 'int32');
  assert.equal(resultType(empty('uint8'), empty('int8')), 'int16');
  assert.equal(binary('div', t('int64', [2], [3, 4]), t('int64', [2], [2, 3])).dtype, 'float32');
  assert.equal(binary('bitand', empty('bool'), empty('uint8')).dtype, 'uint8');
  assert.equal(binary('lt', empty('int64'), 0.5).dtype, 'bool');
});

test('true division of ints and floor division', () => {
  assert.deepEqual(binary('div', t('int64', [2], [3, 4]), t('int64', [2], [2, 3])).toArray(), [1.5, Math.fround(4 / 3)]);
  assert.deepEqual(binary('floordiv', t('int64', [1], [-7]), 2n).toArray(), [-4]);
});

test('broadcasting and its error message', () => {
  assert.deepEqual(broadcastShapes([2, 1, 4], [3, 1]), [2, 3, 4]);
  assert.throws(
    () => broadcastShapes([2, 4], [2, 3]),
    (e: unknown) => e instanceof EngineError && e.message === 'The size of tensor a (4) must match the size of tensor b (3) at non-singleton dimension 1',
  );
});

test('bool + bool is logical or; comparisons cast the scalar to the tensor dtype first', () => {
  assert.deepEqual(binary('add', t('bool', [2], [1, 0]), t('bool', [2], [1, 0])).toArray(), [1, 0]);
  // 0.1 rounds to float32 before comparing, as in torch
  assert.deepEqual(binary('eq', t('float32', [1], [0.1]), 0.1).toArray(), [1]);
});

test('views share storage: in-place writes reach the base', () => {
  const base = t('float32', [2, 3], [0, 1, 2, 3, 4, 5]);
  const tr = transpose(base, 0, 1);
  assert.deepEqual(tr.shape, [3, 2]);
  assert.deepEqual(tr.toArray(), [0, 3, 1, 4, 2, 5]);
  const row = select(base, 0, 1);
  setItem(row, [{ kind: 'slice', start: 1, stop: null, step: null }], 9);
  assert.deepEqual(base.toArray(), [0, 1, 2, 3, 9, 9]);
  assert.throws(() => view(tr, [6]), /view size is not compatible/);
  assert.deepEqual(reshape(tr, [6]).toArray(), [0, 3, 1, 9, 2, 9]);
  assert.deepEqual(unsqueeze(base, 1).shape, [2, 1, 3]);
  assert.deepEqual(permute(t('int64', [1, 2, 3], [0, 1, 2, 3, 4, 5]), [2, 0, 1]).shape, [3, 1, 2]);
  assert.throws(() => expand(base, [2, 5]), /The expanded size of the tensor \(5\) must match the existing size \(3\)/);
});

test('triu/tril select rather than multiply, so -inf stays exact', () => {
  const a = t('int64', [3, 4], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  assert.deepEqual(triu(a, 1).toArray(), [0, 2, 3, 4, 0, 0, 7, 8, 0, 0, 0, 12]);
  assert.deepEqual(tril(a, -1).toArray(), [0, 0, 0, 0, 5, 0, 0, 0, 9, 10, 0, 0]);
  const inf = t('float32', [2, 2], [-Infinity, -Infinity, -Infinity, -Infinity]);
  assert.deepEqual(triu(inf, 1).toArray(), [0, -Infinity, 0, 0]);
  assert.throws(() => triu(t('int64', [3], [1, 2, 3])), /triu: input tensor must have at least 2 dimensions/);
  assert.throws(() => tril(t('int64', [], [1])), /tril: input tensor must have at least 2 dimensions/);
});

test('masked_fill: out-of-place broadcasts, in-place must fit self', () => {
  const x = t('float32', [3, 2], [1, 2, 3, 4, 5, 6]);
  const mask = t('bool', [2, 3, 2], [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
  assert.deepEqual(maskedFill(x, mask, -1).shape, [2, 3, 2]);
  assert.throws(() => maskedFillInPlace(x, mask, -1), /output with shape \[3, 2\] doesn't match the broadcast shape \[2, 3, 2\]/);
  assert.throws(() => maskedFill(t('int64', [2], [1, 2]), t('bool', [2], [1, 0]), -Infinity), /value cannot be converted to type int64_t without overflow/);
});

test('softmax: fully masked row is NaN, partially masked is exact', () => {
  const scores = t('float32', [2, 3], [0, 1, -Infinity, -Infinity, -Infinity, -Infinity]);
  const p = softmax(scores, -1).toArray();
  assert.ok(Math.abs(p[0] - 0.2689414) < 1e-6 && Math.abs(p[1] - 0.7310586) < 1e-6 && p[2] === 0);
  assert.ok(p.slice(3).every(Number.isNaN));
  assert.throws(() => softmax(t('int64', [2], [1, 2]), 0), /"softmax_lastdim_kernel_impl" not implemented for 'Long'/);
});

test('reductions: bool sum is int64, any/all and argmax', () => {
  const m = t('bool', [2, 3], [1, 0, 1, 0, 0, 0]);
  const s = reduce('sum', m, 1);
  assert.equal(s.dtype, 'int64');
  assert.deepEqual(s.toArray(), [2, 0]);
  assert.deepEqual(reduce('any', m, 1).toArray(), [1, 0]);
  assert.deepEqual(reduce('argmax', t('float32', [4], [1, 5, 5, 2]), 0).toArray(), [1]);
});

test('advanced indexing with a bool mask and integer lists', () => {
  const x = t('int64', [2, 3], [1, 2, 3, 4, 5, 6]);
  const m = t('bool', [2, 3], [1, 0, 1, 0, 1, 0]);
  assert.deepEqual(getItem(x, [{ kind: 'tensor', value: m }]).toArray(), [1, 3, 5]);
  const idx = t('int64', [2], [1, 0]);
  assert.deepEqual(getItem(x, [{ kind: 'tensor', value: idx }]).toArray(), [4, 5, 6, 1, 2, 3]);
  setItem(x, [{ kind: 'tensor', value: m }], 0n);
  assert.deepEqual(x.toArray(), [0, 2, 0, 4, 0, 6]);
});
