// Float32 matrix products sum in the order of PyTorch 2.13 CPU kernels
// (src/engine/kernels/float32_matmul.ts). Expected values were measured with
// PyTorch 2.13 (CPU, MKL 2024.2 on AVX512) on inputs from a formula both
// sides compute, with sums that cancel enough for the order to show.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { kChunks } from '../../src/engine/kernels/float32_matmul';
import { fma32 } from '../../src/engine/random/float_math';
import { matmul } from '../../src/engine/ops/reduce';
import { Tensor } from '../../src/engine/tensor';
import { evaluate } from '../../src/python';

// the inputs: ((i * 7919 + seed) % 1009 - 504) / 37 * 2 ** ((i * 5 + seed) % 17 - 8), rounded to float32
function input(shape: number[], seed: number): Tensor {
  const n = shape.reduce((x, y) => x * y, 1);
  const data = new Float32Array(n);
  for (let i = 0; i < n; i++) data[i] = (((i * 7919 + seed) % 1009) - 504) / 37 * 2 ** (((i * 5 + seed) % 17) - 8);
  return Tensor.fromData('float32', shape, data);
}

// [op, a shape, b shape, [seed a, seed b], torch result flattened]
const CASES: [string, number[], number[], number[], number[]][] = [
  ['mm', [3,7], [7,2], [11,29], [23693.20703125,21664.025390625,-40486.7109375,-268.9101257324219,-69761.625,-7626.0791015625]],
  ['mm', [3,390], [390,2], [12,30], [3502842.5,821149.5,-2449707.5,4286734.5,-1448495.5,-874351.875]],
  ['mm', [2,800], [800,3], [13,31], [2802149,331516.125,-29486730,4164325,-1391798.875,-4342488]],
  ['mm', [1,50], [50,1], [14,32], [10484524]],
  ['mv', [5,20], [20], [15,33], [5678837,-1322243.5,-313464.9375,-69489.765625,11666.318359375]],
  ['mv', [6,30], [30], [16,34], [3454829,-151436.3125,41414.86328125,1570.32666015625,-178453.6875,4453181]],
  ['mv', [3,33], [33], [17,35], [-4291013,-128986.0703125,102716.7890625]],
  ['mm', [4,17], [17,1], [18,36], [5725891,137508.125,-5187317.5,2357897.5]],
  ['dot', [70], [70], [19,37], [12006322]],
  ['dot', [45], [45], [20,38], [7291898]],
  ['vm', [30], [30,3], [21,39], [33353.74609375,35455.46484375,-899081.1875]],
  ['bmm', [2,3,5], [2,5,4], [22,40], [108904.578125,-15509.33984375,-2541.5751953125,-4917.44580078125,-64690.55859375,-17721.91796875,-385041.5625,-2602814.75,-73835.6328125,3013.5888671875,-251.1427459716797,-5821.326171875,-704449.3125,2154.94140625,53625.59375,815506,4753.43896484375,79998.359375,156.71127319335938,-177.58062744140625,123580.3359375,320152.90625,-23352.31640625,-145822.4375]],
  ['bmm', [2,5,20], [2,20,4], [23,41], [318791.9375,-344534.0625,-233000.734375,191623.296875,64007.39453125,-101430.109375,-442850.21875,-516125.84375,-493417.34375,317323.1875,-61203.7421875,-20323.8125,85837.2578125,79767.015625,-102202.515625,-44973.4765625,216556.765625,2502518.5,-31987.689453125,-40970.80859375,762711.25,1923649,-45272.953125,170561.15625,1251235.625,531436.9375,-522831.09375,-245678.046875,336321.21875,252816.1875,381471.5,-67948.953125,-1054987.125,32414.9140625,-70622.484375,-6919964,295193.1875,295873.46875,-1690163,-1635920.25]],
  ['fold', [2,3,9], [9,1], [24,42], [1443341.625,-34910.0625,-14306.30859375,938940.625,-14215.9833984375,-1078283.125]],
  ['fold', [2,2,9], [9,3], [25,43], [-3049517.25,-489372.34375,1267.849609375,-202216.546875,-2102.349853515625,-77796.6953125,-66054.671875,-125208.2109375,116849.484375,-2140854.5,-164087.40625,367.79779052734375]],
];

for (const [op, sa, sb, [s1, s2], want] of CASES) {
  test(`float32 ${op} [${sa}] @ [${sb}] sums as PyTorch\x27s CPU kernel does`, () => {
    const got = matmul(input(sa, s1), input(sb, s2));
    assert.deepEqual([...got.values()], want);
  });
}

test('mm with one column is MKL gemv: the sweep case whose sum cancels (seed 20261130)', () => {
  const res = evaluate('import torch\nr = torch.mm(torch.tensor([[1e-5, 10.0, -1.7, 1.5], [-1.7, 0.5, 0.5, 2.9]]), torch.tensor([[1.5], [-10000.0], [-1.0], [65504.0]]))\nprint(r.tolist())');
  assert.equal(res.stdout, '[[-1742.300048828125], [184958.5625]]\n');
});

test('an mm with k == 1 keeps -0 products; a fused multiply-add meets inf after an overflowing product', () => {
  const res = evaluate('import torch\ninf = float("inf")\nprint(torch.tensor([[-0.0], [0.5]]) @ torch.tensor([[3.25, -1.0, 1.0]]))\n'
    + 'print(torch.tensor([[-1.7, inf], [inf, -1.7]]) @ torch.tensor([[3.4e38, 1.0], [7.75, 1.0]]))');
  assert.equal(res.stdout, 'tensor([[-0.0000,  0.0000, -0.0000],\n        [ 1.6250, -0.5000,  0.5000]])\n'
    + 'tensor([[nan, inf],\n        [inf, inf]])\n');
});

test('fma32 rounds once, ties to even, where a double sum would round twice', () => {
  // 2^24 + 1 + 2^-30: the double sum is 2^24 + 1 (a float32 tie, which rounds to 2^24), the exact one rounds up
  assert.equal(fma32(2 ** -15, 2 ** -15, 2 ** 24 + 1), 2 ** 24 + 2);
  assert.equal(fma32(-(2 ** -15), 2 ** -15, 2 ** 24 + 1), 2 ** 24);
  assert.equal(fma32(1, 1, 2 ** 24), 2 ** 24); // an exact tie stays even
  assert.ok(Object.is(fma32(-0, 1, 0), 0));
  assert.ok(Number.isNaN(fma32(Infinity, 7.75, -Infinity)));
});

test('MKL cuts k into chunks of 384, the last two halves', () => {
  assert.deepEqual(kChunks(384), [[0, 384]]);
  assert.deepEqual(kChunks(390), [[0, 195], [195, 390]]);
  assert.deepEqual(kChunks(391), [[0, 196], [196, 391]]);
  assert.deepEqual(kChunks(777), [[0, 384], [384, 581], [581, 777]]);
  assert.deepEqual(kChunks(1000), [[0, 384], [384, 692], [692, 1000]]);
});
