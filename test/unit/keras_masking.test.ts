// Keras masking semantics against keras_masking_cases.json (NumPy port of the
// Keras source, float32, atol 1e-5), the keras seed goldens, and properties
// keras_masking.md states (masked RNN == RNN over the kept steps, go_backwards order).

import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { DType } from '../../src/engine/dtype';
import { Tensor, allocate } from '../../src/engine/tensor';
import {
  attentionLayer, causalMask, embeddingComputeMask, embeddingLayerComputeMask, embeddingLookup, globalAveragePooling1D,
  globalAveragePooling1DComputeMask, gru, GruWeights, kerasSupportsMasking, lstm, LstmWeights, maskDestroyedWarning,
  maskingApply, maskingCall, maskingComputeMask, maskNotSupportedError, mhaComputeAttentionMask, mhaMaskedSoftmax,
  rnnComputeMask, softmaxLayer, temporalSoftmaxGuide, temporalSoftmaxOverTime,
} from '../../src/frameworks/keras/masking';
import { KerasError, padSequences } from '../../src/frameworks/keras/pad_sequences';
import { evaluate } from '../../src/service/evaluate';

const root = join(__dirname, '..', '..');
function loadCases(name: string): Record<string, unknown>[] {
  const local = join(root, 'test', 'fixtures', name);
  const path = existsSync(local) ? local : join(root, '..', 'shared', 'reference', name);
  return JSON.parse(readFileSync(path, 'utf8')).cases;
}
type Case = Record<string, any>;
const cases = new Map(loadCases('keras_masking_cases.json').map((c) => [c.name as string, c as Case]));
const kase = (name: string): Case => {
  const c = cases.get(name);
  assert.ok(c, `case ${name} missing`);
  return c;
};

// null means NaN in the cases file; "inf"/"-inf"/"nan" strings are floats.
function num(v: unknown): number {
  if (v === null) return NaN;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'string') return v === 'inf' ? Infinity : v === '-inf' ? -Infinity : NaN;
  return v as number;
}
function shapeOf(x: unknown): number[] {
  const s: number[] = [];
  for (let p = x; Array.isArray(p); p = p[0]) s.push(p.length);
  return s;
}
const flat = (x: unknown): unknown[] => (Array.isArray(x) ? x.flatMap(flat) : [x]);
function tensor(x: unknown, dtype: DType = 'float32'): Tensor {
  const values = flat(x).map(num);
  const data = allocate(dtype, values.length);
  data.set(values);
  return Tensor.fromData(dtype, shapeOf(x), data);
}
const boolTensor = (x: unknown) => tensor(x, 'bool');

function assertClose(got: Tensor, expected: unknown, atol = 1e-5, label = ''): void {
  assert.deepEqual([...got.shape], shapeOf(expected), `${label} shape`);
  const want = flat(expected).map(num);
  const have = got.toArray();
  want.forEach((w, i) => {
    const h = have[i];
    if (Number.isNaN(w)) assert.ok(Number.isNaN(h), `${label}[${i}]: expected NaN, got ${h}`);
    else assert.ok(Math.abs(h - w) <= atol, `${label}[${i}]: expected ${w}, got ${h}`);
  });
}
function assertBoolTensor(got: Tensor | null, expected: unknown, label = ''): void {
  assert.ok(got, `${label}: expected a mask`);
  assert.equal(got.dtype, 'bool', label);
  assert.deepEqual([...got.shape], shapeOf(expected), `${label} shape`);
  assert.deepEqual(got.toArray(), flat(expected).map(num), label);
}

test('the cases file has its 18 cases', () => {
  assert.equal(cases.size, 18);
});

// ---------------------------------------------------------------- producers

test('embedding_mask_zero: mask = ids != 0, bool, shape of ids', () => {
  const c = kase('embedding_mask_zero');
  assertBoolTensor(embeddingComputeMask(tensor(c.inputs, 'int32')), c.expected_mask, c.name);
  assertBoolTensor(embeddingLayerComputeMask(tensor(c.inputs, 'int64'), true), c.expected_mask, c.name);
});

test('embedding_mask_zero_false: no mask at all', () => {
  const c = kase('embedding_mask_zero_false');
  assert.equal(c.expected_mask, null);
  assert.equal(embeddingLayerComputeMask(tensor(c.inputs, 'int32'), false), null);
});

test('embedding_output_not_zeroed: id 0 looks up embeddings[0]', () => {
  const c = kase('embedding_output_not_zeroed');
  const out = embeddingLookup(tensor(c.embeddings), tensor(c.inputs, 'int32'));
  assert.equal(out.dtype, 'float32');
  assertClose(out, c.expected_output, 0, c.name);
});

test('Embedding lookup of an id outside [0, input_dim) fails as TF gather does', () => {
  const table = tensor([[0, 0], [1, 1], [2, 2]]);
  assert.throws(() => embeddingLookup(table, tensor([[0, 1], [5, 2]], 'int32')),
    (e: unknown) => e instanceof KerasError && e.pyType === 'InvalidArgumentError' && e.message === 'indices[1,0] = 5 is not in [0, 3)');
  assert.throws(() => embeddingLookup(table, tensor([-1], 'int64')), /indices\[0\] = -1 is not in \[0, 3\)/);
});

for (const name of ['masking_value0', 'masking_value_minus1']) {
  test(`${name}: mask = any(x != mask_value, -1); masked steps become 0`, () => {
    const c = kase(name);
    const mv = Number(/mask_value=(-?[\d.]+)/.exec(c.layer)![1]);
    const x = tensor(c.inputs);
    assertBoolTensor(maskingComputeMask(x, mv), c.expected_mask, name);
    const { output, mask } = maskingCall(x, mv);
    assertClose(output, c.expected_output, 0, name);
    assertBoolTensor(mask, c.expected_mask, name);
    assertClose(maskingApply(x, mv, 'keras2'), c.expected_output, 0, `${name} keras2`);
  });
}

test('masking_value_inf_k3_vs_k2: where() gives 0, multiplying gives inf*0 = NaN', () => {
  const c = kase('masking_value_inf_k3_vs_k2');
  const x = tensor(c.inputs);
  assertBoolTensor(maskingComputeMask(x, Infinity), c.expected_mask, c.name);
  assertClose(maskingApply(x, Infinity, 'keras3'), c.expected_output_keras3, 0, 'keras3');
  assertClose(maskingApply(x, Infinity, 'keras2'), c.expected_output_keras2, 0, 'keras2');
});

test('Masking details: NaN mask_value never masks; keras2 keeps the sign of zero', () => {
  const x = tensor([[[NaN, NaN], [1, 2]]]);
  assert.deepEqual(maskingComputeMask(x, NaN).toArray(), [1, 1]);
  const neg = tensor([[[-1, -1], [1, -1]]]);
  assert.ok(Object.is(maskingApply(neg, -1, 'keras2').toArray()[0], -0));
  assert.ok(Object.is(maskingApply(neg, -1, 'keras3').toArray()[0], 0));
  // Ints compare against the float32 mask value and stay ints.
  const ids = tensor([[[0, 0], [3, 0]]], 'int32');
  const out = maskingApply(ids, 0);
  assert.equal(out.dtype, 'int32');
  assert.deepEqual(maskingComputeMask(ids, 0).toArray(), [0, 1]);
});

test('seed_keras_mask_layers: Embedding and Masking masks of the post-padded ids (golden)', () => {
  const padded = padSequences([[711, 632, 71], [73, 8, 3215, 55, 927], [83, 91, 1, 645, 1253, 927]], { padding: 'post' });
  const expected = [1, 1, 1, 0, 0, 0, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1];
  const embMask = embeddingComputeMask(padded);
  assert.deepEqual([...embMask.shape], [3, 6]);
  assert.deepEqual(embMask.toArray(), expected);
  // tf.cast(tf.tile(tf.expand_dims(padded, -1), [1, 1, 10]), tf.float32)
  const tiled = Tensor.empty('float32', [3, 6, 10]);
  padded.toArray().forEach((v, i) => tiled.storage.data.fill(v, i * 10, i * 10 + 10));
  const { output, mask } = maskingCall(tiled, 0);
  assert.deepEqual(mask.toArray(), expected);
  assert.deepEqual(output.toArray(), tiled.toArray());
});

test('seed_keras_custom_layers: CustomEmbedding mask, split Masking masks and the literal TemporalSoftmax (golden)', () => {
  const x = tensor([[1, 2, 0, 4, 5, 0, 7, 8, 9, 1], [0, 3, 3, 0, 2, 2, 2, 0, 1, 1], [9, 9, 9, 9, 9, 9, 9, 9, 9, 9]], 'int32');
  assert.deepEqual(embeddingComputeMask(x).toArray(),
    [1, 1, 0, 1, 1, 0, 1, 1, 1, 1, 0, 1, 1, 0, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]);
  const padded = padSequences([[711, 632, 71], [73, 8, 3215, 55, 927], [83, 91, 1, 645, 1253, 927]], { padding: 'post' });
  const mask = embeddingComputeMask(padded).toArray(); // == Masking's mask of the tiled floats
  const halves = [0, 3].map((o) => [0, 1, 2].flatMap((b) => mask.slice(b * 6 + o, b * 6 + o + 3)));
  assert.deepEqual(halves[0], [1, 1, 1, 1, 1, 1, 1, 1, 1]);
  assert.deepEqual(halves[1], [0, 0, 0, 1, 1, 0, 1, 1, 1]);
  const probs = temporalSoftmaxGuide(tensor([[[0.5], [1.0], [2.0], [0.0]], [[1.0], [1.0], [0.0], [0.0]]]),
    boolTensor([[true, true, true, false], [true, true, false, false]]));
  assert.equal(probs.dtype, 'float32');
  assertClose(probs, [[[1], [1], [1], [null]], [[1], [1], [null], [null]]], 0);
});

// ---------------------------------------------------------------- recurrent layers

const lstmWeights = (c: Case): LstmWeights => ({
  kernel: tensor(c.weights.kernel), recurrentKernel: tensor(c.weights.recurrent_kernel), bias: tensor(c.weights.bias),
});
const gruWeights = (c: Case): GruWeights => ({
  kernel: tensor(c.weights.kernel), recurrentKernel: tensor(c.weights.recurrent_kernel), bias: tensor(c.weights.bias),
  resetAfter: c.weights.reset_after,
});

for (const [name, kind] of [
  ['lstm_masked', 'lstm'], ['lstm_masked_zero_output', 'lstm'], ['lstm_no_mask', 'lstm'],
  ['gru_masked', 'gru'], ['gru_masked_zero_output', 'gru'], ['gru_no_mask', 'gru'],
] as const) {
  test(`${name}: outputs, final states and output masks`, () => {
    const c = kase(name);
    const opts = { mask: c.mask ? boolTensor(c.mask) : null, zeroOutputForMask: /zero_output_for_mask=True/.test(c.layer) };
    const x = tensor(c.inputs);
    const r = kind === 'lstm' ? lstm(x, lstmWeights(c), opts) : gru(x, gruWeights(c), opts);
    assertClose(r.lastOutput, c.expected_last_output, 1e-5, `${name} last_output`);
    assertClose(r.sequence, c.expected_sequence, 1e-5, `${name} sequence`);
    if (c.expected_final_states) {
      assert.equal(r.states.length, c.expected_final_states.length);
      r.states.forEach((s, k) => assertClose(s, c.expected_final_states[k], 1e-5, `${name} state ${k}`));
    }
    if ('expected_output_mask_return_sequences_true' in c) {
      assertBoolTensor(rnnComputeMask(opts.mask, true), c.expected_output_mask_return_sequences_true, `${name} mask`);
      assert.equal(rnnComputeMask(opts.mask, false), c.expected_output_mask_return_sequences_false);
    }
  });
}

test('lstm_all_masked: zero outputs, states stay at their initial zeros', () => {
  const c = kase('lstm_all_masked');
  const r = lstm(tensor(c.inputs), lstmWeights(kase('lstm_masked')), { mask: boolTensor(c.mask) });
  assertClose(r.lastOutput, c.expected_last_output, 0);
  assertClose(r.sequence, c.expected_sequence, 0);
  r.states.forEach((s, k) => assertClose(s, c.expected_final_states[k], 0));
});

function rowsOf(x: Tensor, b: number, steps: number[]): Tensor {
  const [, t, f] = x.shape;
  const v = x.toArray();
  return tensor([steps.map((s) => v.slice((b * t + s) * f, (b * t + s + 1) * f))]);
}

test('a masked LSTM/GRU equals the same layer run on the kept steps only, holes included', () => {
  const c = kase('lstm_masked'), g = kase('gru_masked');
  const x = tensor(c.inputs);
  const mask: boolean[][] = c.mask;
  const full = lstm(x, lstmWeights(c), { mask: boolTensor(mask) });
  const fullGru = gru(x, gruWeights(g), { mask: boolTensor(mask) });
  mask.forEach((row, b) => {
    const kept = row.flatMap((m, t) => (m ? [t] : []));
    const alone = lstm(rowsOf(x, b, kept), lstmWeights(c));
    assert.deepEqual(alone.states[0].toArray(), full.states[0].toArray().slice(b * 2, b * 2 + 2));
    assert.deepEqual(alone.states[1].toArray(), full.states[1].toArray().slice(b * 2, b * 2 + 2));
    assert.deepEqual(alone.lastOutput.toArray(), full.lastOutput.toArray().slice(b * 2, b * 2 + 2));
    assert.deepEqual(gru(rowsOf(x, b, kept), gruWeights(g)).states[0].toArray(), fullGru.states[0].toArray().slice(b * 2, b * 2 + 2));
  });
});

test('go_backwards processes reversed steps and returns outputs in processing order', () => {
  const c = kase('lstm_masked');
  const x = tensor(c.inputs);
  const mask: boolean[][] = c.mask;
  const back = lstm(x, lstmWeights(c), { mask: boolTensor(mask), goBackwards: true });
  const revX = tensor(mask.map((_, b) => [3, 2, 1, 0].map((t) => x.toArray().slice((b * 4 + t) * 3, (b * 4 + t + 1) * 3))));
  const fwd = lstm(revX, lstmWeights(c), { mask: boolTensor(mask.map((r) => [...r].reverse())) });
  assert.deepEqual(back.sequence.toArray(), fwd.sequence.toArray());
  assert.deepEqual(back.lastOutput.toArray(), fwd.lastOutput.toArray());
});

test('masked leading steps output the previous output (TF: 0) or the carried h (NumPy/JAX: h0)', () => {
  const c = kase('gru_masked');
  const x = tensor(c.inputs);
  const mask = boolTensor([[false, true, true, true], [false, false, true, true], [true, true, true, true]]);
  const h0 = tensor([[0.5, -0.5], [0.25, 0.25], [0, 0]]);
  const tf = gru(x, gruWeights(c), { mask, initialState: [h0] });
  const np = gru(x, gruWeights(c), { mask, initialState: [h0], backend: 'numpy' });
  assert.deepEqual(tf.sequence.toArray().slice(0, 2), [0, 0]);
  assert.deepEqual(np.sequence.toArray().slice(0, 2), [0.5, -0.5]);
  assert.deepEqual(np.sequence.toArray().slice(8, 12), [0.25, 0.25, 0.25, 0.25]);
  assert.deepEqual(tf.states[0].toArray(), np.states[0].toArray());
});

// ---------------------------------------------------------------- softmax consumers

test('temporal_softmax_guide_literal: exactly 1.0 at kept steps, NaN at masked ones', () => {
  const c = kase('temporal_softmax_guide_literal');
  assertClose(temporalSoftmaxGuide(tensor(c.inputs), boolTensor(c.mask)), c.expected_output, 0);
});

test('temporal_softmax_intended_axis1: softmax over the kept steps', () => {
  const c = kase('temporal_softmax_intended_axis1');
  assertClose(temporalSoftmaxOverTime(tensor(c.inputs), boolTensor(c.mask)), c.expected_output, 1e-7);
});

test('softmax_layer_mask_head: a fully masked row is all zeros', () => {
  const c = kase('softmax_layer_mask_head');
  assertClose(softmaxLayer(tensor(c.inputs), boolTensor(c.mask)), c.expected_output, 1e-7);
});

test('softmax_layer_mask_v3_0: a fully masked row comes out uniform', () => {
  const c = kase('softmax_layer_mask_v3_0');
  assertClose(softmaxLayer(tensor(c.inputs), boolTensor(c.mask), { version: 'v3.0' }), c.expected_output, 1e-7);
  assertClose(softmaxLayer(tensor(c.inputs), boolTensor(c.mask), { version: 'tf2' }), c.expected_output, 1e-7);
});

test('Softmax mask checks and non-bool masks (HEAD)', () => {
  const x = tensor([[1, 2, 3], [1, 2, 3]]);
  assert.throws(() => softmaxLayer(x, boolTensor([[[true, true, true]]])), (e: unknown) => e instanceof KerasError
    && e.message === 'The `mask` must be broadcastable to `inputs` and must not have more dimensions. Received: inputs.shape=(2, 3), mask.shape=(1, 1, 3)');
  assert.throws(() => softmaxLayer(x, boolTensor([[true, false]])), (e: unknown) => e instanceof KerasError
    && e.message === 'The `mask` must be broadcastable to `inputs`. Each mask dimension must be 1 or match the corresponding input dimension. Received: inputs.shape=(2, 3), mask.shape=(1, 2)');
  // A float mask keeps positions > 0.5; a (3,) mask broadcasts over rows.
  assertClose(softmaxLayer(x, tensor([0.6, 0.5, 1])), [[0.11920292, 0, 0.88079708], [0.11920292, 0, 0.88079708]], 1e-7);
  assertClose(softmaxLayer(x), [[0.09003057, 0.24472847, 0.66524096], [0.09003057, 0.24472847, 0.66524096]], 1e-7);
});

test('global_avg_pool_1d_masked: mean of kept steps, NaN for a fully masked row, no output mask', () => {
  const c = kase('global_avg_pool_1d_masked');
  assertClose(globalAveragePooling1D(tensor(c.inputs), boolTensor(c.mask)), c.expected_output, 1e-6);
  assert.equal(globalAveragePooling1DComputeMask(), null);
});

test('GlobalAveragePooling1D: keras2 multiplies (inf*0 = NaN), channels_first, keepdims, no mask', () => {
  const x = tensor([[[1, 2], [Infinity, 4], [3, 6]]]);
  const m = boolTensor([[true, false, true]]);
  assertClose(globalAveragePooling1D(x, m), [[2, 4]], 0);
  assertClose(globalAveragePooling1D(x, m, { flavor: 'keras2' }), [[null, 4]], 0);
  assertClose(globalAveragePooling1D(x, m, { keepdims: true }), [[[2, 4]]], 0);
  assertClose(globalAveragePooling1D(tensor([[[1, 5, 3], [2, 7, 6]]]), m, { dataFormat: 'channels_first' }), [[2, 4]], 0);
  assertClose(globalAveragePooling1D(tensor([[[1, 2], [3, 4]]])), [[2, 3]], 0);
});

// ---------------------------------------------------------------- attention and propagation

test('MultiHeadAttention mask: query (B,T,1) & value (B,1,S) & causal (1,T,S) & attention_mask', () => {
  const q = boolTensor([[true, true, false]]);
  const v = boolTensor([[true, false, true]]);
  const m = mhaComputeAttentionMask({ queryLength: 3, valueLength: 3, queryMask: q, valueMask: v, useCausalMask: true });
  assertBoolTensor(m, [[[true, false, false], [true, false, false], [false, false, false]]], 'combined');
  assertBoolTensor(causalMask(2, 3), [[[true, false, false], [true, true, false]]], 'causal');
  assert.equal(mhaComputeAttentionMask({ queryLength: 2, valueLength: 2 }), null);
  const explicit = tensor([[[1, 0], [1, 1]]], 'int32');
  assertBoolTensor(mhaComputeAttentionMask({ queryLength: 2, valueLength: 2, attentionMask: explicit }), [[[true, false], [true, true]]], 'explicit');
  assertBoolTensor(mhaComputeAttentionMask({ queryLength: 2, valueLength: 2, attentionMask: explicit, keyMask: boolTensor([[false, true]]) }),
    [[[false, false], [false, true]]], 'explicit & key');
  assertBoolTensor(mhaComputeAttentionMask({ queryLength: 3, valueLength: 3, slidingWindow: 2 }),
    [[[true, true, false], [true, true, true], [false, true, true]]], 'window');
  // The (B,T,S) mask gains the heads axis; a fully masked query row softmaxes to zeros.
  const scores = tensor([[[[1, 2, 3], [1, 2, 3], [1, 2, 3]], [[0, 0, 0], [0, 0, 0], [0, 0, 0]]]]);
  const p = mhaMaskedSoftmax(scores, m);
  assertClose(p, [[[[1, 0, 0], [1, 0, 0], [0, 0, 0]], [[1, 0, 0], [1, 0, 0], [0, 0, 0]]]], 0);
});

test('Attention layer: masked keys get scores - 1e9, query-masked rows are 0 (float32, NumPy port)', () => {
  const q = tensor([[[1, 0], [0, 1], [1, 1]]]);
  const k = tensor([[[1, 0], [0, 2], [5, 5]]]);
  const v = tensor([[[1, 2], [3, 4], [100, 100]]]);
  const r = attentionLayer(q, v, { key: k, queryMask: boolTensor([[true, false, true]]), valueMask: boolTensor([[true, true, false]]) });
  assertClose(r.scores, [[[0.7310585975646973, 0.26894140243530273, 0], [0.11920291930437088, 0.8807970285415649, 0],
    [0.26894140243530273, 0.7310585975646973, 0]]], 1e-7);
  assertClose(r.output, [[[1.5378828048706055, 2.5378828048706055], [0, 0], [2.4621171951293945, 3.4621171951293945]]], 1e-6);
  const causal = attentionLayer(q, v, { key: k, useCausalMask: true });
  assertClose(causal.output, [[[1, 2], [2.76159405708313, 3.76159405708313], [99.95526885986328, 99.95572662353516]]], 1e-4);
});

test('mask propagation rules and messages', () => {
  assert.equal(kerasSupportsMasking('Dense'), true);
  assert.equal(kerasSupportsMasking('Flatten'), false);
  assert.equal(kerasSupportsMasking('Conv1D'), false);
  assert.equal(kerasSupportsMasking('Embedding'), false);
  assert.equal(kerasSupportsMasking('Embedding', { maskZero: true }), true);
  assert.equal(kerasSupportsMasking('LSTM'), true);
  assert.equal(kerasSupportsMasking('LSTM', { release: 'head' }), false);
  assert.equal(maskDestroyedWarning('flatten', 'Flatten'),
    "Layer 'flatten' (of type Flatten) was passed an input with a mask attached to it. However, this layer does not support masking and will therefore destroy the mask information. Downstream layers will not see the mask.");
  const e = maskNotSupportedError('conv1d', 'tf.Tensor(...)');
  assert.equal(e.pyType, 'TypeError');
  assert.equal(e.message, 'Layer conv1d does not support masking, but was passed an input_mask: tf.Tensor(...)');
});

test('tf.math functions of the TF transformer tutorial, tf.keras.Model and LearningRateSchedule subclasses', () => {
  const r = evaluate(`import tensorflow as tf
step = tf.constant(100.0)
lr = tf.math.rsqrt(tf.cast(128, tf.float32)) * tf.math.minimum(tf.math.rsqrt(step), step * (4000 ** -1.5))
best = tf.argmax(tf.constant([[1.0, 3.0, 2.0], [0.5, 0.1, 0.2]]), axis=-1)
root = tf.math.sqrt(tf.constant([4.0, 9.0]))
class Sched(tf.keras.optimizers.schedules.LearningRateSchedule):
    def __init__(self, d):
        super().__init__()
        self.d = d
class M(tf.keras.Model):
    def call(self, x):
        return x * 2
doubled = M()(root)
d = Sched(4).d
`);
  assert.equal(r.error, null);
  const v = r.variables;
  assert.deepEqual(v.best, { type: 'tf.Tensor', dtype: 'int64', shape: [2], data: [1, 0] });
  assert.deepEqual(v.root, { type: 'tf.Tensor', dtype: 'float32', shape: [2], data: [2, 3] });
  assert.deepEqual(v.doubled, { type: 'tf.Tensor', dtype: 'float32', shape: [2], data: [4, 6] });
  // rsqrt(128) * min(0.1, 100 * 4000**-1.5) in float32
  assert.ok(Math.abs((v.lr as { data: number[] }).data[0] - 3.4938563e-05) < 1e-11);
  assert.deepEqual(v.d, { type: 'int', value: 4 });
});
