// numpy 2.x's new-style random (SeedSequence, PCG64, Generator methods) and
// the legacy RandomState.binomial, value for value. Every expected value was
// captured from real numpy 2.4.6 (/work/venv) by the script below: small
// cases verbatim, large ones as the SHA-256 of their float64 little-endian
// bytes plus the first values.
//
//   G = np.random.default_rng; legacy(f) = f(np.random.RandomState(0))
//   seedseq_*: np.random.SeedSequence(entropy).generate_state(n)
//   every other case: the call its name spells, on a fresh generator
//   (e.g. integers_7_m5_2p40_6 = G(7).integers(-5, 2**40, 6);
//   random_f32_9_6 = G(9).random(6, dtype=np.float32);
//   std_normal_f32_0_20000 = G(0).standard_normal(20000, dtype=np.float32);
//   interleaved_normal_1 = f32 x3, f64 x2, random f32 x1, f32 x1 on one G(1))

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { NumpyGenerator, checkChoiceP, entropyWords, seedSequenceState } from '../../src/engine/random/numpy_generator';
import { NumpyRandomState } from '../../src/engine/random/numpy_random';
import { ziggurat } from '../../src/engine/random/ziggurat';

type Digest = { readonly n: number; readonly sha256: string; readonly head: readonly number[] };
type Expected = readonly number[] | Digest;

const FIXTURES: Record<string, Expected> = {"std_normal_0_20000":{"n":20000,"sha256":"b31c46643d69f90d2f515fbbd924273f925a4b5fe94929f364f708434f937ef3","head":[0.1257302210933933,-0.1321048632913019,0.6404226504432821,0.10490011715303971,-0.535669373161111,0.36159505490948474,1.3040000451301372,0.9470809631292422]},"std_normal_f32_0_20000":{"n":20000,"sha256":"0ab3ace2af0869a24afb14976a9f51a96d2c2ce46406d626b024043b3aebdb8f","head":[1.1176220178604126,-1.3871248960494995,-0.4265716075897217,-0.8035872578620911,0.6014277338981628,-0.07499324530363083,0.059693194925785065,-0.03200608864426613]},"std_normal_7_8":[0.0012301533574825742,0.2987455375084699,-0.2741378553622176,-0.8905918387572742,-0.45467078517172255,-0.9916465549964624,0.060143602597438485,1.3402152455545335],"normal_3_loc2_scale3_6":[8.122757364155547,-5.666995093942545,3.2542965401773367,0.29669118161621055,0.6420521236686625,1.3532085107307024],"interleaved_normal_1":[1.7291035652160645,-1.4284534454345703,1.0277447700500488,0.33043707618338714,-1.303157231604361,0.9504636526107788,0.45616060495376587],"gen_poisson_3_3000":{"n":3000,"sha256":"02e838a9923fdf013c08b890361473a6f9d2a7889531b8e5da6854087c72f0d9","head":[2.0,0.0,7.0,1.0,4.0,1.0,3.0,6.0]},"gen_poisson_25p5_3000":{"n":3000,"sha256":"957f899cbb2d102cd5960c871005079990403e69806e096946f22f237676657d","head":[28.0,13.0,27.0,26.0,31.0,32.0,29.0,32.0]},"legacy_poisson_3_3000":{"n":3000,"sha256":"46110baaae395d26c323784a895c51f851ba602b4f57b8836b940a393b37501d","head":[5.0,6.0,2.0,0.0,7.0,3.0,3.0,1.0]},"legacy_poisson_1000p5_3000":{"n":3000,"sha256":"695dff8230d78500ade3da82fcdaeebc71e3a235e22da92e1e7e85a803673dcb","head":[1005.0,1010.0,994.0,995.0,1088.0,1030.0,1007.0,942.0]},"random_f32_9_6":[0.4215473532676697,0.8702491521835327,0.9610445499420166,0.28681719303131104,0.11435908079147339,0.6031481027603149],"seedseq_0_8":[2968811710.0,3677149159.0,745650761.0,2884920346.0,2642120001.0,549907821.0,574372308.0,742431198.0],"seedseq_2p100_4":[1523537530.0,7724331.0,1975607920.0,2869613165.0],"seedseq_list6_4":[488360481.0,3956080669.0,2986500235.0,3488252836.0],"random_0_5":[0.6369616873214543,0.2697867137638703,0.04097352393619469,0.016527635528529094,0.8132702392002724],"random_42_5000":{"n":5000,"sha256":"c0b340f1a3151198de7ba6b291b5db21241e519be66edfbe2be861a0f75b9424","head":[0.7739560485559633,0.4388784397520523,0.8585979199113825,0.6973680290593639,0.09417734788764953,0.9756223516367559,0.761139701990353,0.7860643052769538]},"integers_42_0_10_20":[0.0,7.0,6.0,4.0,4.0,8.0,0.0,6.0,2.0,0.0,5.0,9.0,7.0,7.0,7.0,7.0,5.0,1.0,8.0,4.0],"integers_7_m5_2p40_6":[687299734000.0,986497006766.0,852875435922.0,247617924049.0,330036320522.0,960482170696.0],"integers_7_0_2p63m1_4":[2.8827440235230945e+18,4.1376683414714957e+18,3.5772188523979663e+18,1.0385848493289361e+18],"integers_3_int32_m100_100_9":[62.0,-83.0,-65.0,-53.0,-64.0,60.0,73.0,16.0,-93.0],"integers_endpoint_5_0_3_12":[2.0,3.0,0.0,3.0,1.0,2.0,2.0,1.0,3.0,0.0,1.0,1.0],"interleaved_1":[4.0,5.0,7.0,0.14415961271963373,0.9486494471372439,950.0,249.0,311.0],"choice_noreplace_0_10_4":[2.0,4.0,5.0,7.0],"choice_noreplace_noshuffle_0_10_4":[5.0,7.0,4.0,2.0],"choice_tail_0_20000_1000":{"n":1000,"sha256":"95fdf5ff3ca57038c2d1eaaf7c9cfe9dab4610dfa68eda0d2bee84d398f77c68","head":[16018.0,4005.0,8133.0,3418.0,18734.0,10614.0,10753.0,8058.0]},"choice_replace_0_7_12":[5.0,4.0,3.0,1.0,2.0,0.0,0.0,0.0,1.0,5.0,4.0,6.0],"choice_p_0_4_12":[3.0,1.0,0.0,0.0,3.0,3.0,3.0,3.0,2.0,3.0,3.0,0.0],"choice_p_noreplace_0_6_4":[4.0,2.0,0.0,5.0],"permutation_0_10":[4.0,6.0,2.0,7.0,3.0,5.0,9.0,0.0,8.0,1.0],"permutation_0_1000":{"n":1000,"sha256":"cc0370aa1125666586be3623c8721111a280d7c68bce0a5ee5f71eec9d3ddb46","head":[459.0,206.0,222.0,162.0,711.0,814.0,350.0,890.0]},"uniform_0_m2_3_6":[1.1848084366072715,-0.6510664311806484,-1.7951323803190267,-1.9173618223573545,2.066351196001362,2.5637778863886087],"gen_binomial_1_half_20":[1.0,0.0,0.0,0.0,1.0,1.0,1.0,1.0,1.0,1.0,1.0,0.0,1.0,0.0,1.0,0.0,1.0,1.0,0.0,0.0],"gen_binomial_10_095_20":[9.0,10.0,10.0,10.0,9.0,9.0,9.0,9.0,10.0,8.0,9.0,10.0,9.0,10.0,9.0,10.0,9.0,10.0,10.0,10.0],"gen_binomial_100_half_3000":{"n":3000,"sha256":"dad009b038c491c1bcd806e589e5b7fe838d3d02bcf017e5229e91d5a3145c5c","head":[51.0,57.0,31.0,53.0,40.0,52.0,49.0,46.0]},"gen_binomial_1000_03_3000":{"n":3000,"sha256":"77dc905542a75db7ad54a07333adafe2c0c88b9108886aef9c8cd33c09ae8482","head":[320.0,301.0,305.0,297.0,304.0,313.0,285.0,314.0]},"gen_binomial_5000_07_3000":{"n":3000,"sha256":"8ccf4cef4f43dd3d17fa765358b91f35d62f1c6ca7fa49ce17fcf94213e458a5","head":[3460.0,3497.0,3493.0,3513.0,3516.0,3490.0,3445.0,3487.0]},"legacy_binomial_1_half_20":[1.0,1.0,1.0,1.0,0.0,1.0,0.0,1.0,1.0,0.0,1.0,1.0,1.0,1.0,0.0,0.0,0.0,1.0,1.0,1.0],"legacy_binomial_1_p0_5":[0.0,0.0,0.0,0.0,0.0,0.6458941130666561],"legacy_binomial_10_095_20":[10.0,9.0,9.0,10.0,10.0,9.0,10.0,9.0,8.0,10.0,9.0,10.0,10.0,8.0,10.0,10.0,10.0,9.0,9.0,9.0],"legacy_binomial_100_half_3000":{"n":3000,"sha256":"8b4a8d30cb8a9a5607453507b38c288e09ffccd869e347f97ad8bd06bfa0e601","head":[52.0,51.0,61.0,51.0,43.0,47.0,45.0,48.0]},"legacy_binomial_1000_03_3000":{"n":3000,"sha256":"fef1d81a2415fc4a6d09b48e89fe84757b449c51d1ac40aa4d5976683967c5bf","head":[303.0,310.0,300.0,293.0,298.0,301.0,277.0,330.0]},"legacy_binomial_5000_07_3000":{"n":3000,"sha256":"f1ecd6f392caee29f5c9176ce631e0f701a840c627bf1363a90d27ab840310f0","head":[3498.0,3481.0,3505.0,3520.0,3582.0,3531.0,3510.0,3499.0]}};

function assertSame(name: string, got: ArrayLike<number>, expected: Expected): void {
  const g = Array.from(got);
  if ('sha256' in expected) {
    assert.equal(g.length, expected.n, `${name}: length`);
    assert.deepEqual(g.slice(0, expected.head.length), expected.head, `${name}: first values`);
    const digest = createHash('sha256').update(new Uint8Array(Float64Array.from(g).buffer)).digest('hex');
    assert.equal(digest, expected.sha256, `${name}: digest of all ${expected.n} values`);
  } else {
    assert.deepEqual(g, expected, name);
  }
}

const G = (seed: bigint | bigint[]) => new NumpyGenerator(entropyWords(seed));
const legacy = (f: (r: NumpyRandomState) => number[]) => f(new NumpyRandomState(0));
const times = (k: number, f: () => number) => Array.from({ length: k }, f);
const P4 = Float64Array.from([0.1, 0.2, 0.3, 0.4]);
const P6 = Float64Array.from([0.05, 0.05, 0.2, 0.3, 0.2, 0.2]);

const CASES: Record<string, () => ArrayLike<number>> = {
  seedseq_0_8: () => seedSequenceState(entropyWords(0n), 8),
  seedseq_2p100_4: () => seedSequenceState(entropyWords(2n ** 100n + 7n), 4),
  seedseq_list6_4: () => seedSequenceState(entropyWords([1n, 2n, 3n, 4n, 5n, 6n]), 4),
  random_0_5: () => G(0n).random(5),
  random_42_5000: () => G(42n).random(5000),
  random_f32_9_6: () => G(9n).randomFloat32(6),
  integers_42_0_10_20: () => G(42n).integers(20, 0n, 10n),
  integers_7_m5_2p40_6: () => G(7n).integers(6, -5n, 2n ** 40n),
  integers_7_0_2p63m1_4: () => G(7n).integers(4, 0n, 2n ** 62n + 12345n),
  integers_3_int32_m100_100_9: () => G(3n).integers(9, -100n, 100n),
  integers_endpoint_5_0_3_12: () => G(5n).integers(12, 0n, 3n, true),
  interleaved_1: () => {
    const g = G(1n);
    return [...g.integers(3, 0n, 10n), ...g.random(2), ...g.integers(3, 0n, 1000n)];
  },
  // 20000 draws pass through the ziggurat's tail and strip tests many times
  std_normal_0_20000: () => G(0n).standardNormal(20000),
  std_normal_f32_0_20000: () => G(0n).standardNormalFloat32(20000),
  std_normal_7_8: () => G(7n).standardNormal(8),
  normal_3_loc2_scale3_6: () => G(3n).normal(new Float64Array(6).fill(2), new Float64Array(6).fill(3)),
  // float32 draws take 32-bit halves, float64 draws whole words: the buffered half survives a 64-bit draw
  interleaved_normal_1: () => {
    const g = G(1n);
    return [...g.standardNormalFloat32(3), ...g.standardNormal(2), ...g.randomFloat32(1), ...g.standardNormalFloat32(1)];
  },
  choice_noreplace_0_10_4: () => G(0n).choice(10, 4, false),
  choice_noreplace_noshuffle_0_10_4: () => G(0n).choice(10, 4, false, undefined, false),
  choice_tail_0_20000_1000: () => G(0n).choice(20000, 1000, false),
  choice_replace_0_7_12: () => G(0n).choice(7, 12),
  choice_p_0_4_12: () => G(0n).choice(4, 12, true, P4),
  choice_p_noreplace_0_6_4: () => G(0n).choice(6, 4, false, P6),
  permutation_0_10: () => G(0n).permutation(10),
  permutation_0_1000: () => G(0n).permutation(1000),
  uniform_0_m2_3_6: () => G(0n).uniform(new Float64Array(6).fill(-2), new Float64Array(6).fill(3)),
  gen_binomial_1_half_20: () => G(0n).binomial(new Float64Array(20).fill(1), new Float64Array(20).fill(0.5)),
  gen_binomial_10_095_20: () => G(0n).binomial(new Float64Array(20).fill(10), new Float64Array(20).fill(0.95)),
  gen_binomial_100_half_3000: () => G(0n).binomial(new Float64Array(3000).fill(100), new Float64Array(3000).fill(0.5)),
  gen_binomial_1000_03_3000: () => G(0n).binomial(new Float64Array(3000).fill(1000), new Float64Array(3000).fill(0.3)),
  gen_binomial_5000_07_3000: () => G(0n).binomial(new Float64Array(3000).fill(5000), new Float64Array(3000).fill(0.7)),
  gen_poisson_3_3000: () => G(0n).poisson(new Float64Array(3000).fill(3)),
  gen_poisson_25p5_3000: () => G(0n).poisson(new Float64Array(3000).fill(25.5)),
  legacy_poisson_3_3000: () => legacy((r) => times(3000, () => r.poisson(3))),
  legacy_poisson_1000p5_3000: () => legacy((r) => times(3000, () => r.poisson(1000.5))),
  legacy_binomial_1_half_20: () => legacy((r) => times(20, () => r.binomial(1, 0.5))),
  // p = 0 still draws one double per value in the legacy code
  legacy_binomial_1_p0_5: () => legacy((r) => [...times(5, () => r.binomial(1, 0)), ...r.randomSample(1)]),
  legacy_binomial_10_095_20: () => legacy((r) => times(20, () => r.binomial(10, 0.95))),
  legacy_binomial_100_half_3000: () => legacy((r) => times(3000, () => r.binomial(100, 0.5))),
  legacy_binomial_1000_03_3000: () => legacy((r) => times(3000, () => r.binomial(1000, 0.3))),
  legacy_binomial_5000_07_3000: () => legacy((r) => times(3000, () => r.binomial(5000, 0.7))),
};

for (const [name, expected] of Object.entries(FIXTURES)) {
  test(`numpy Generator: ${name}`, () => assertSame(name, CASES[name](), expected));
}

test('every fixture has a case and every case a fixture', () => {
  assert.deepEqual(Object.keys(CASES).sort(), Object.keys(FIXTURES).sort());
});

test('numpy Generator: errors worded as NumPy', () => {
  assert.throws(() => entropyWords(-1n), /expected non-negative integer/);
  assert.throws(() => G(0n).integers(1, 5n, 5n), /low >= high/);
  assert.throws(() => G(0n).choice(3, 5, false), /Cannot take a larger sample than population when replace is False/);
  assert.throws(() => G(0n).choice(3, 3, false, Float64Array.from([0.5, 0.5, 0])), /Fewer non-zero entries in p than size/);
  assert.throws(() => checkChoiceP(Float64Array.from([0.5, 0.4, 0.2]), 3), /Probabilities do not sum to 1/);
  assert.throws(() => checkChoiceP(Float64Array.from([0.5, 0.5]), 3), /a and p must have same size/);
  assert.throws(() => checkChoiceP(Float64Array.from([1.5, -0.5]), 2), /Probabilities are not non-negative/);
});

// SHA-256 of each table of NumPy 2.4's ziggurat_constants.h, every value as a float64
// (little-endian); the tables are rebuilt from a few constants and corrections (ziggurat.ts).
const ZIGGURAT_DIGESTS = {
  kiDouble: 'd3c6847aee4edccce48020e66271d2c4cc11056c0013e69e082c1c6ef30bd23b',
  wiDouble: '33c6472209e1d09ea3548f0291e5e1ad67fb4f1d0305e9f1086689584b7bb7fa',
  fiDouble: 'acd898d9d87e212f657755ba43b21e40958090a7ff2103c9e79f4ea1b0fe2bc5',
  kiFloat: 'beefe98f9725f35f6fb18861ff30a0987b429ce24abfc07848fba656c32892eb',
  wiFloat: '5a3746c11a94e8869367648970a6741b5333b21ff4138eafa9cdcc7573115a9c',
  fiFloat: '1571612c1e306b51b7e967ec8cdaf5aa62c8dd8c8454701a4f838dc0074138c6',
};

test('numpy ziggurat: the rebuilt tables are NumPy\'s, value for value', () => {
  const tables = ziggurat();
  for (const [name, digest] of Object.entries(ZIGGURAT_DIGESTS)) {
    const values = Float64Array.from(tables[name as keyof typeof tables]);
    assert.equal(values.length, 256, name);
    assert.equal(createHash('sha256').update(new Uint8Array(values.buffer)).digest('hex'), digest, name);
  }
});
