// The CLI's --json writer for elided tensors (src/service/jsonOut.ts): its
// text must be byte-for-byte JSON.stringify of the inlined value.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { TypedData } from '../../src/engine/tensor';
import { encodeNumber } from '../../src/python/encode';
import { dataJson, writeJson } from '../../src/service/jsonOut';
import type { ValueRef } from '../../src/service/protocol';

const inlined = (data: TypedData, isBool: boolean) => JSON.stringify(Array.from(data, (x) => encodeNumber(x, isBool)));

test('dataJson writes what JSON.stringify writes for encoded numbers, across chunk boundaries', () => {
  const special = [0, -0, 1, -1.5, 0.1, 1e21, 1e-7, 5e-324, Number.MAX_VALUE, NaN, Infinity, -Infinity, 2 ** 53 + 2, -123456789, 10, 999999999999999, 1e15, -1e15, -(1e15 - 1), 2 ** 31, -(2 ** 31)];
  const big = new Float64Array((1 << 18) + 7).map((_, i) => (i % 97 === 0 ? special[i % special.length] : i / 3));
  for (const data of [new Float64Array(special), new Float32Array(special), big, new Int32Array([-5, 0, 7]), new Float64Array(0)]) {
    assert.equal([...dataJson(data, false)].join(''), inlined(data, false));
  }
  const bools = new Uint8Array((1 << 18) + 3).map((_, i) => i % 3 === 0 ? 1 : 0);
  assert.equal([...dataJson(bools, true)].join(''), inlined(bools, true));
  // runs of equal elements (copied text), across chunk boundaries, beside NaN, -0 and 0
  const runs = new Float32Array((1 << 19) + 5).fill(1);
  runs.fill(-0, 10, 20).fill(0, 20, 30).fill(NaN, 30, 40).fill(0.1, (1 << 18) - 3, (1 << 18) + 9).fill(-7, 100, 101);
  assert.equal([...dataJson(runs, false)].join(''), inlined(runs, false));
  const allTrue = new Uint8Array((1 << 18) * 2 + 1).fill(1);
  assert.equal([...dataJson(allTrue, true)].join(''), inlined(allTrue, true));
});

test('writeJson inlines each elided tensor once per place it appears, without the elided flag', async () => {
  const a = new Float32Array([1, NaN, 0.25]);
  const b = new Uint8Array([1, 0]);
  const x = { type: 'torch.Tensor', dtype: 'torch.float32', shape: [3], data: [], elided: true };
  const m = { type: 'numpy.ndarray', dtype: 'bool', shape: [2], data: [], elided: true };
  const value = { case: 'c.py', variables: { x, m, s: { type: 'str', value: '"data":' } }, continued: { x }, note: null };
  const refs = new Map<object, ValueRef>([
    [x, { evaluation: 1, address: { kind: 'variable', name: 'x' } }],
    [m, { evaluation: 1, address: { kind: 'variable', name: 'm' } }],
  ]);
  const fetched: string[] = [];
  let out = '';
  await writeJson((t) => (out += t), value, refs, async (ref) => {
    const name = (ref.address as { name: string }).name;
    fetched.push(name);
    return name === 'x' ? a : b;
  });
  const expected = (t: typeof x, data: TypedData, isBool: boolean) => ({ type: t.type, dtype: t.dtype, shape: t.shape, data: Array.from(data, (v) => encodeNumber(v, isBool)) });
  const full = { ...value, variables: { x: expected(x, a, false), m: expected(m, b, true), s: value.variables.s }, continued: { x: expected(x, a, false) } };
  assert.equal(out, JSON.stringify(full));
  assert.deepEqual(fetched, ['x', 'm']);
});
