// TensorFlow's Philox-4x32-10 (engine/random/tf_philox.ts): Random123's
// known-answer vectors, and the counter carry into the seed2 words.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { philox4x32, philoxStream } from '../../src/engine/random/tf_philox';

test('philox4x32 gives Random123 known answers', () => {
  assert.deepEqual(philox4x32([0, 0, 0, 0], [0, 0]), [0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8]);
  assert.deepEqual(philox4x32([0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff], [0xffffffff, 0xffffffff]), [0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd]);
});

test('philoxStream counts blocks in the low 64 counter bits and carries into seed2', () => {
  const seed = 5n, seed2 = 7n;
  const key = [5, 0];
  assert.deepEqual(Array.from(philoxStream(seed, seed2, 3n, 2)), [...philox4x32([3, 0, 7, 0], key), ...philox4x32([4, 0, 7, 0], key)]);
  assert.deepEqual(Array.from(philoxStream(seed, seed2, (1n << 64n) - 1n, 2)), [
    ...philox4x32([0xffffffff, 0xffffffff, 7, 0], key), ...philox4x32([0, 0, 8, 0], key),
  ]);
});
