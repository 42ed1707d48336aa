// Float32 matrix products sum in the order of PyTorch 2.13 CPU kernels
// (src/engine/kernels/float32_matmul.ts). Expected values were measured with
// PyTorch 2.13 (CPU, MKL 2024.2 on AVX512) on inputs from a formula both
// sides compute, with sums that cancel enough for the order to show.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { kChunks } from '../../src/engine/kernels/float32_matmul';
import { backendFor } from '../../src/engine/kernels/select';
import type { WasmBackend } from '../../src/engine/kernels/wasm';
import { fma32 } from '../../src/engine/random/float_math';
import { matmul } from '../../src/engine/ops/reduce';
import { Tensor } from '../../src/engine/tensor';
import { evaluate } from '../../src/service/evaluate';

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

// Products big enough (batch * m * n * k >= 65536) for the ops layer to run
// them on the wasm backend: its fused kernel where relaxed SIMD fuses, else
// the CPU reference; either way the values are torch's. k = 2000 is cut
// into 384 * 4 + 232 + 232, k = 700 into 350 + 350; n = 5 and 9 leave
// ragged column blocks. Torch's values, 1 and 2 threads alike.
const WASM_CASES: [string, number[], number[], number[], number[]][] = [
  ['mm', [8,2000], [2000,5], [26,44], [2919790.5,-30466296,-19062668,-11633112,-6679313.5,-4304842,3759360.25,8254586,170665.34375,-1504347.25,-1437751.5,-1677953.75,-16559092,6238164,13465311,13003028,2037467,-3015278.25,-2581354.5,-989197.375,-30082436,19686596,11989292,13355682,-5537892.5,-6319200,-6324494.5,-2480349.5,-576595.5625,94104152,2704605.25,548385.25,311833.625,-9175418,-9819754,-3492127,-1763584.875,2611069.25,1518373.25,-140229.625]],
  ['bmm', [2,6,700], [2,700,9], [27,45], [1690505.25,-161476.5,-1552431.625,-1593.625,-2249874.5,977056.125,490348,2504887.25,14337.5,-2091299.5,402689.9375,4646876,-1861897.75,-209488.5,-2129170.5,-228088.09375,20502950,312826.4375,-5750311,221709.25,1430815.625,2225635,192040.6875,-3300691.75,-1195878.625,7846.75,575099.75,-468750.75,-765611.1875,-51783.75,-2226979.75,291183,7899091.5,-449513.25,-364998.25,-738413.75,1008037.1875,1362977.5,-600971.625,-22573712,-52333.79296875,6067430,7613392,252732.875,2719025,-42521.046875,3183068.25,1936972.125,6093421.5,-678679.3125,649363.8125,-10261816,-110382.59375,6064174.5,-150272.96875,6088768.5,1655237.125,7586327.5,-748711.4375,-578999.1875,-9000531,-85784.5546875,13038200,-378003.59375,-761346,560050.5,690260.125,3172387.25,-279992,-1987079,-86129.3125,-139283.6875,-47776.96875,-1409220.75,-2892446.5,-479843.625,-831590.5,851522.4375,2972034.75,-234196.125,-170425.8125,-545079.75,857273.0625,-3945798,-47541.2890625,-120172.8125,-1385011.25,-522642.4375,3377488,597574.3125,-473783.4375,-784765.6875,7853004,-235902.875,4105856.75,2615282.5,-167982.375,-1911446.75,365811.625,4354902,-948092.75,-5171827.5,-95427.859375,-420870.75,7935503.5,272053.28125,738307.25,-2116832.5]],
];

for (const [op, sa, sb, [s1, s2], want] of WASM_CASES) {
  test(`float32 ${op} [${sa}] @ [${sb}] on the wasm path sums as PyTorch\x27s MKL gemm does`, () => {
    const w = backendFor(sa.concat(sb.slice(-1)).reduce((x, y) => x * y, 1), 'float32') as Partial<WasmBackend>;
    assert.equal(w.name, 'wasm', 'the product should go to the wasm backend (npm run build)');
    const before = w.dispatches!;
    const got = matmul(input(sa, s1), input(sb, s2));
    assert.deepEqual([...got.values()], want);
    if (w.fma) assert.ok(w.dispatches! > before, 'the fused kernel ran');
  });
}

test('the inputs of the wasm-path cases tell a fused sum from a rounded product', () => {
  // the same product with each product rounded (the 'naive' kernel) differs from torch: the cases can fail
  const a = input([8, 2000], 26), b = input([2000, 5], 44);
  const out = new Float32Array(40);
  (backendFor(80000, 'float32') as WasmBackend).matmul(a.values() as Float32Array, b.values() as Float32Array, 1, 8, 2000, 5, out, 'naive');
  assert.notDeepEqual([...out], WASM_CASES[0][4]);
});
