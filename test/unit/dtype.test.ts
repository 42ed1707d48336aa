// The dtype invariant: conversions as PyTorch does them (c10 TypeCast on
// x86), PyTorch's overflow checks on fill values, and the debug assertion
// that no storage holds a value its dtype cannot. Expected values were
// measured with PyTorch 2.13 (CPU).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertDtype, castValue, holdsExactly, intToDtype, setDtypeAssertions } from '../../src/engine/dtype';
import { checkedConvert, full } from '../../src/engine/ops/core';
import { Tensor } from '../../src/engine/tensor';
import { evaluate } from '../../src/service/evaluate';
import { TorchTensor } from '../../src/frameworks/torch/tensor';
import { encodeValue } from '../../src/service/evaluate';

test('castValue converts as PyTorch does on x86', () => {
  const xs = [-1.7, 300.7, -300.7, NaN, Infinity, -Infinity, 1e20, 255.9, -0.5];
  // torch.tensor(xs).to(torch.uint8) / torch.int8
  assert.deepEqual(xs.map((x) => castValue('uint8', x)), [255, 44, 212, 0, 0, 0, 0, 255, 0]);
  assert.deepEqual([-1.7, 300.7, -300.7, NaN, Infinity, 127.9, -128.9].map((x) => castValue('int8', x)), [-1, 44, -44, 0, 0, 127, -128]);
  assert.deepEqual([-1.7, 40000.7, NaN, Infinity, 1e20, 3e9].map((x) => castValue('int16', x)), [-1, -25536, 0, 0, 0, 0]);
  assert.deepEqual([-1.7, 3e9, NaN, Infinity].map((x) => castValue('int32', x)), [-1, -(2 ** 31), -(2 ** 31), -(2 ** 31)]);
  assert.deepEqual([-1.7, 3e19, NaN, -Infinity].map((x) => castValue('int64', x)), [-1, -(2 ** 63), -(2 ** 63), -(2 ** 63)]);
  // uint8 goes through int64 (2^40 + 7 keeps its low byte), int8 through int32 (it does not)
  assert.equal(castValue('uint8', 2 ** 40 + 7), 7);
  assert.equal(castValue('int8', 2 ** 40 + 7), 0);
  // a double reaches float16 through float32: 2049.0000001 rounds to 2049, a tie, then to even 2048
  assert.deepEqual([65519.99, 65520, 2.9802322387695312e-8, 5.960464477539063e-8, 2049.0000001, 2051.0000001].map((x) => castValue('float16', x)),
    [65504, Infinity, 0, 5.960464477539063e-8, 2048, 2052]);
  assert.ok(Object.is(castValue('float16', -1e-9), -0));
  assert.equal(castValue('bfloat16', 1e39), Infinity);
  assert.equal(castValue('bool', NaN), 1);
  assert.ok(Object.is(castValue('int64', -0.5), 0));
});

test('checkedConvert raises where c10::checked_convert does', () => {
  const raises = (s: boolean | bigint | number, d: Parameters<typeof checkedConvert>[1], ctype: string) =>
    assert.throws(() => checkedConvert(s, d), { message: `value cannot be converted to type ${ctype} without overflow` });
  raises(300n, 'uint8', 'uint8_t');
  raises(-1.5, 'uint8', 'uint8_t');
  raises(1e6, 'int16', 'int16_t');
  raises(NaN, 'int32', 'int');
  raises(2n ** 63n, 'int64', 'int64_t');
  raises(1e6, 'float16', 'c10::Half');
  raises(65504.5, 'float16', 'c10::Half');
  raises(70000n, 'float16', 'c10::Half');
  raises(1e39, 'bfloat16', 'c10::BFloat16');
  raises(1e39, 'float32', 'float');
  assert.equal(checkedConvert(-1n, 'uint8'), 255); // a negative int wraps into an unsigned type
  assert.equal(checkedConvert(-255n, 'uint8'), 1);
  raises(127.9, 'int8', 'int8_t'); // compared with max, not 2^digits, in PyTorch 2.13
  assert.equal(checkedConvert(-128.0, 'int8'), -128);
  assert.equal(checkedConvert(-2.5, 'int8'), -2);
  assert.equal(checkedConvert(Infinity, 'float16'), Infinity);
  assert.ok(Number.isNaN(checkedConvert(NaN, 'bfloat16')));
  assert.equal(checkedConvert(1e300, 'bool'), 1);
  assert.equal(checkedConvert(1e300, 'float64'), 1e300);
  assert.equal(checkedConvert(true, 'int8'), 1);
});

test('the dtype assertion catches a storage holding a value outside its dtype', () => {
  const prev = setDtypeAssertions(true);
  try {
    const t = Tensor.empty('int64', [2]);
    t.storage.data[0] = -1.7; // what torch.full((3,), -1.7, dtype=torch.int64) used to store
    assert.throws(() => assertDtype(t.dtype, t.values(), 'test'), /dtype invariant violated in test: -1.7 stored in a int64 tensor/);
    assert.throws(() => encodeValue(new TorchTensor(t)), /dtype invariant violated/);
    const b = Tensor.empty('bool', [1]);
    b.storage.data[0] = 2;
    assert.throws(() => assertDtype('bool', b.values(), 'test'), /2 stored in a bool tensor/);
    const h = Tensor.empty('float16', [1]);
    h.storage.data[0] = 0.1; // a float32 value, not a float16 one
    assert.throws(() => assertDtype('float16', h.values(), 'test'), /stored in a float16 tensor/);
    assert.ok(!holdsExactly('int64', -0));
    assert.ok(holdsExactly('float16', -0));
    assert.ok(holdsExactly('float32', NaN) && !holdsExactly('int32', NaN));
    // every op result passes the check
    assert.doesNotThrow(() => assertDtype('int8', full([3], 1000n - 1000n, 'int8').values(), 'test'));
  } finally {
    setDtypeAssertions(prev);
  }
  // off by default outside debug runs: a no-op
  const t = Tensor.empty('int64', [1]);
  t.storage.data[0] = 0.5;
  if (!process.env.MASKLENS_DEBUG) assert.doesNotThrow(() => assertDtype('int64', t.values(), 'test'));
});

test('the issue #17 snippets match PyTorch 2.13', () => {
  const prev = setDtypeAssertions(true);
  try {
    const r = evaluate(`
import torch
a = torch.full((3,), -1.7, dtype=torch.int64)
b = torch.zeros(2, dtype=torch.long).new_full((2,), 2.9)
x = torch.tensor([1.0, 2.0, 0.5], dtype=torch.bfloat16)
p = torch.softmax(x, dim=-1)
print(a, b, p)
q = torch.zeros(2, dtype=torch.bfloat16).masked_fill(torch.tensor([True, False]), 1e39)
`);
    assert.equal(r.stdout, 'tensor([-1, -1, -1]) tensor([2, 2]) tensor([0.2314, 0.6289, 0.1406], dtype=torch.bfloat16)\n');
    assert.deepEqual((r.variables.p as { data: number[] }).data, [0.2314453125, 0.62890625, 0.140625]);
    assert.deepEqual(r.error && [r.error.type, r.error.message, r.error.line], ['RuntimeError', 'value cannot be converted to type c10::BFloat16 without overflow', 8]);
  } finally {
    setDtypeAssertions(prev);
  }
});

test('printing an integer tensor never reaches a JavaScript BigInt error', () => {
  const r = evaluate(`
import torch
x = torch.tensor([-9223372036854775808, 5])
print(x, torch.full((2,), float('nan'), dtype=torch.float32).long(), torch.tensor([3e9]).int())
`);
  assert.equal(r.error, null);
  assert.equal(r.stdout, 'tensor([-9223372036854775808,                    5]) tensor([-9223372036854775808, -9223372036854775808]) tensor([-2147483648], dtype=torch.int32)\n');
});

// Each line's result as the snippet prints it, or its error; expected values measured with PyTorch 2.13 (CPU).
function outcomes(lines: string[]): string[] {
  return lines.map((l) => {
    const r = evaluate(`import torch\nprint(${l})`);
    return r.error ? `${r.error.type}: ${r.error.message}` : r.stdout.trimEnd();
  });
}

test('Python ints beyond int64 become uint64 scalars or raise as in python_arg_parser', () => {
  assert.deepEqual(outcomes([
    'torch.tensor([1, 2]) + (-2**63 - 1)',
    'torch.tensor([1., 2]) * 2**64',
    'torch.tensor([1, 2]).fill_(-2**63 - 1)',
    'torch.tensor([True, False]) * 2**63',
    'torch.clamp(torch.tensor([1, 2]), 2**63, 3)',
    'torch.clamp(torch.tensor([1., 2]), 2**63, 3)',
    'torch.tensor([1, 2], dtype=torch.int8) * 2**63',
    'torch.tensor([2**63, 1])',
    'torch.tensor(2**63, dtype=torch.bool)',
    'torch.tensor([2**64, 1.5])',
  ]), [
    "OverflowError: can't convert negative int to unsigned",
    'OverflowError: int too big to convert',
    "OverflowError: can't convert negative int to unsigned",
    'RuntimeError: Promotion for uint16, uint32, uint64 types is not supported, attempted to promote Bool and UInt64',
    'RuntimeError: Promotion for uint16, uint32, uint64 types is not supported, attempted to promote UInt64 and Long',
    'tensor([3., 3.])',
    'tensor([0, 0], dtype=torch.int8)',
    'ValueError: Overflow when unpacking long long',
    'tensor(True)',
    'tensor([1.8447e+19, 1.5000e+00])',
  ]);
});

test('float16 products round every step; a 0-dim cumsum is a copy', () => {
  assert.deepEqual(outcomes([
    'torch.tensor([300., 300., 0.001], dtype=torch.float16).prod()',
    'torch.tensor([300., 300., 0.0], dtype=torch.float16).prod()',
    'torch.tensor([[65504., 2.], [0.5, 3.]], dtype=torch.float16).prod(0)',
    'torch.tensor(-0.0).cumsum(0)',
    'torch.tensor([-0.0]).cumsum(0)',
  ]), [
    'tensor(inf, dtype=torch.float16)',
    'tensor(nan, dtype=torch.float16)',
    'tensor([3.2752e+04, 6.0000e+00], dtype=torch.float16)',
    'tensor(-0.)',
    'tensor([0.])',
  ]);
});

test('nll_loss reduces through a cascade of float16 partial sums as ATen does', () => {
  assert.deepEqual(outcomes([
    'torch.nn.functional.cross_entropy(torch.tensor([[1.5, -2.25, 0.1], [3.25, 0.5, -1.7], [10.0, -4.0, 0.3]], dtype=torch.float16), '
      + 'torch.tensor([2, 1, 1]), weight=torch.tensor([0.3, 0.7, 1.1], dtype=torch.float16))',
    'torch.nn.functional.nll_loss(torch.tensor([[1.5, -2.25], [3.25, 0.5]], dtype=torch.float16), torch.tensor([-100, -100]))',
  ]), ['tensor(5.4336, dtype=torch.float16)', 'tensor(nan, dtype=torch.float16)']);
});

test('integer arithmetic past 2^53 wraps exactly where the result fits (int32 products, int64 wrapping back)', () => {
  const res = evaluate('import torch\n'
    + 'print(torch.tensor([2147483647, -3], dtype=torch.int32) * torch.tensor([2147483647, 1000000007], dtype=torch.int32))\n'
    + 'print(torch.tensor([5], dtype=torch.int8) + (2**53 + 1), torch.tensor([6]) * 9223372036854773760, torch.tensor(9223372036854775807) > 0)\n'
    + 'print(torch.tensor([2**62, 3]) * 4 + 1)');
  assert.equal(res.error, null);
  // measured with PyTorch 2.13
  assert.equal(res.stdout, 'tensor([         1, 1294967275], dtype=torch.int32)\n'
    + 'tensor([6], dtype=torch.int8) tensor([-12288]) tensor(True)\ntensor([ 1, 13])\n');
});

test('a Python int beyond 2^53 keeps its sign in int64 storage and its low bits in narrower dtypes', () => {
  assert.equal(intToDtype('int64', 2n ** 63n - 1n), 2 ** 63 - 1024); // the largest double below 2^63, not -2^63
  assert.equal(intToDtype('int64', -(2n ** 63n)), -(2 ** 63));
  assert.equal(intToDtype('int64', 2n ** 53n + 1n), 2 ** 53); // the storage's limit: nearest double
  assert.equal(intToDtype('int8', 2n ** 53n + 1n), 1);
  assert.equal(intToDtype('uint8', -(2n ** 60n) - 1n), 255);
  assert.equal(intToDtype('int32', 2n ** 40n + 7n), 7);
  assert.equal(intToDtype('bool', 2n ** 70n), 1);
  assert.ok(holdsExactly('int64', intToDtype('int64', 2n ** 63n - 1n)));
});

test('a 0-dim bool index adds a dim and keeps or drops it; cumsum without dim says so as PyTorch does', () => {
  const res = evaluate('import torch\nx = torch.tensor(-8)\nprint(x[torch.tensor(True)], x[torch.tensor(False)])\n'
    + 'x[torch.tensor(True)] = 6\ny = torch.tensor([1, 2, 3])\nprint(x, y[torch.tensor(True)].shape, y[torch.tensor(False)].shape)\n'
    + 'y.cumsum()');
  assert.equal(res.stdout, 'tensor([-8]) tensor([], dtype=torch.int64)\ntensor(6) torch.Size([1, 3]) torch.Size([0, 3])\n');
  assert.equal(res.error?.type, 'TypeError');
  assert.equal(res.error?.message, 'cumsum() missing 1 required positional arguments: "dim"');
});
