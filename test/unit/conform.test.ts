// The golden comparison of test/conform.mjs: values_not_compared variables
// are checked for type, dtype and shape only; the rest as conform.py does.
import assert from 'node:assert/strict';
import { test } from 'node:test';
// @ts-expect-error: a plain .mjs script without type declarations
import { check } from '../conform.mjs';

const golden = {
  case: 'x.py',
  versions: { python: '3.11.7', torch: '2.13.0+cpu', numpy: '2.4.6', tensorflow: '2.21.0', keras: '3.15.1' },
  stdout: null,
  error: null,
  variables: { mask: { type: 'tf.Tensor', dtype: 'bool', shape: [2], data: [true, false] } },
  values_not_compared: {
    y: { type: 'tf.Tensor', dtype: 'float32', shape: [2, 3] },
    pair: { type: 'tuple', items: [{ type: 'float' }, { type: 'numpy.ndarray', dtype: 'int32', shape: [1] }] },
  },
};
const mask = { type: 'tf.Tensor', dtype: 'bool', shape: [2], data: [true, false] };
const pair = { type: 'tuple', items: [{ type: 'float', value: 0.5 }, { type: 'numpy.ndarray', dtype: 'int32', shape: [1], data: [7] }] };

test('values_not_compared: any values pass when type, dtype and shape match', () => {
  const y = { type: 'tf.Tensor', dtype: 'float32', shape: [2, 3], data: [1, 2, 3, 4, 5, 6] };
  assert.deepEqual(check(golden, { variables: { mask, y, pair }, error: null }), []);
});

test('values_not_compared: a wrong shape, dtype, item count or a missing variable fails', () => {
  const y = { type: 'tf.Tensor', dtype: 'float32', shape: [3, 2], data: [1, 2, 3, 4, 5, 6] };
  assert.deepEqual(check(golden, { variables: { mask, y, pair }, error: null }), ['y: shape [3, 2], expected [2, 3]']);
  const y64 = { type: 'tf.Tensor', dtype: 'float64', shape: [2, 3], data: [1, 2, 3, 4, 5, 6] };
  assert.deepEqual(check(golden, { variables: { mask, y: y64, pair }, error: null }), ["y: dtype 'float64', expected 'float32'"]);
  const short = { type: 'tuple', items: [{ type: 'float', value: 0.5 }] };
  assert.deepEqual(check(golden, { variables: { mask, y: { ...y, shape: [2, 3] }, pair: short }, error: null }), [
    'pair: 1 items, expected 2',
  ]);
  assert.deepEqual(check(golden, { variables: { mask, pair }, error: null }), ['y: missing']);
});

test('compared variables still need their values', () => {
  const y = { type: 'tf.Tensor', dtype: 'float32', shape: [2, 3], data: [0, 0, 0, 0, 0, 0] };
  const wrong = { ...mask, data: [true, true] };
  assert.deepEqual(check(golden, { variables: { mask: wrong, y, pair }, error: null }), [
    'mask: value [1] True, expected False',
  ]);
});
