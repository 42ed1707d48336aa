// keras.Input / Model / Sequential and the built-in layers of the Keras masking
// guide, checked against Keras 3.15.1 (TensorFlow backend) behaviour.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { evaluate } from '../../src/service/evaluate';

const run = (src: string) => evaluate(`import numpy as np\nimport tensorflow as tf\nimport keras\nfrom keras import layers\n${src}`);

test('keras.Input gives a KerasTensor; layers called on it give KerasTensors with shapes and the mask', () => {
  const r = run(`inputs = keras.Input(shape=(None,), dtype="int32")
x = layers.Embedding(input_dim=50, output_dim=16, mask_zero=True)(inputs)
y = layers.Dense(3)(x)
print(inputs)
print(x._keras_mask)
print(y, y._keras_mask is x._keras_mask)
print(keras.Input((4,), batch_size=2, name="ids"))
shape = y.shape
`);
  assert.equal(r.error, null);
  assert.equal(r.stdout, '<KerasTensor shape=(None, None), dtype=int32, sparse=False, ragged=False, name=keras_tensor>\n'
    + '<KerasTensor shape=(None, None), dtype=bool, sparse=False, ragged=False, name=keras_tensor_2>\n'
    + '<KerasTensor shape=(None, None, 3), dtype=float32, sparse=False, ragged=False, name=keras_tensor_3> True\n'
    + '<KerasTensor shape=(2, 4), dtype=float32, sparse=False, ragged=False, name=ids>\n');
});

test('a functional model replays its graph on padded ids: the mask reaches the LSTM, return_sequences keeps it', () => {
  const r = run(`inputs = keras.Input(shape=(None,), dtype="int32")
x = layers.Embedding(input_dim=50, output_dim=4, mask_zero=True)(inputs)
seq = layers.LSTM(3, return_sequences=True)(x)
model = keras.Model(inputs, [layers.LSTM(3)(x), seq])
last, full = model(np.array([[5, 2, 0], [7, 0, 0]]))
m = full._keras_mask
has = hasattr(last, "_keras_mask")
`);
  assert.equal(r.error, null);
  assert.deepEqual(r.variables.m, { type: 'tf.Tensor', dtype: 'bool', shape: [2, 3], data: [true, true, false, true, false, false] });
  assert.deepEqual(r.variables.has, { type: 'bool', value: false });
  // a masked step carries the previous output forward (TensorFlow backend)
  const f = (r.variables.full as { data: number[] }).data;
  assert.deepEqual(f.slice(6, 9), f.slice(3, 6));
  assert.deepEqual(f.slice(12, 18), [...f.slice(9, 12), ...f.slice(9, 12)]);
});

test('creating and building layers leaves np.random alone (Keras draws weights from its own generator)', () => {
  const r = run(`np.random.seed(0)
a = np.random.random(3)
np.random.seed(0)
emb = layers.Embedding(10, 4)
emb(np.array([[1, 2]]))
layers.Dense(2)(np.ones((1, 3)))
b = np.random.random(3)
same = bool((a == b).all())
`);
  assert.equal(r.error, null);
  assert.deepEqual(r.variables.same, { type: 'bool', value: true });
});

test('Dense with deterministic initializers is exact; tf ops on a KerasTensor and a 2-arg model call fail as Keras does', () => {
  const r = run(`d = layers.Dense(2, kernel_initializer="ones", bias_initializer=keras.initializers.Constant(0.5))
y = d(tf.constant([[1.0, 2.0, 3.0]]))
w = d.get_weights()
`);
  assert.equal(r.error, null);
  assert.deepEqual(r.variables.y, { type: 'tf.Tensor', dtype: 'float32', shape: [1, 2], data: [6.5, 6.5] });
  const bad = run('x = keras.Input((3,))\ny = tf.exp(x)\n');
  assert.equal(bad.error?.type, 'ValueError');
  assert.match(bad.error!.message, /^A KerasTensor cannot be used as input to a TensorFlow function/);
  assert.equal(bad.error?.line, 6);
  const two = run('i = keras.Input((2,))\nm = keras.Model(i, layers.Dense(1)(i))\ny = m(np.ones((1, 2)), np.ones((1, 2)))\n');
  assert.equal(two.error?.type, 'TypeError');
  assert.equal(two.error?.message, "Functional.call() got multiple values for argument 'training'");
});

test("the shape probes of a symbolic call stay out of the timeline: a custom layer's call() runs there only on real data", () => {
  const r = evaluate(`import numpy as np
import keras
from keras import layers
class Double(layers.Layer):
    def call(self, inputs, mask=None):
        return inputs * 2.0
inputs = keras.Input(shape=(None,), dtype="int32")
h = layers.Embedding(input_dim=10, output_dim=2, mask_zero=True)(inputs)
out = Double()(h)
model = keras.Model(inputs, out)
y = model(np.array([[1, 0]]))
`, { recordTimeline: true });
  assert.equal(r.error, null);
  const calls = (r.calls ?? []).filter((c) => c.function === 'Double.call');
  assert.equal(calls.length, 1);
  assert.equal(calls[0].calledFrom, 11);
});

test('TemporalSplit on a KerasTensor: call() traces, but compute_mask gets KerasTensors and tf.split refuses them', () => {
  const r = evaluate(`import tensorflow as tf
import keras
from keras import layers
class TemporalSplit(keras.layers.Layer):
    def call(self, inputs):
        return tf.split(inputs, 2, axis=1)
    def compute_mask(self, inputs, mask=None):
        if mask is None:
            return None
        return tf.split(mask, 2, axis=1)
i = keras.Input((4, 3))
first, second = TemporalSplit()(i)
steps = first.shape[1]
batch_unknown = first.shape[0] is None
m = layers.Masking()(i)
a, b = TemporalSplit()(m)
`);
  assert.equal(r.error?.type, 'ValueError');
  assert.equal(r.error?.line, 10);
  assert.deepEqual(r.variables.steps, { type: 'int', value: 2 });
  assert.deepEqual(r.variables.batch_unknown, { type: 'bool', value: true });
});

test('values computed from stand-in random weights carry a note in the timeline; set_weights values and masks do not', () => {
  const r = evaluate(`import numpy as np
import keras
from keras import layers
ids = np.array([[1, 2, 0]])
emb = layers.Embedding(5, 2, mask_zero=True)
x = emb(ids)
y = layers.LSTM(2)(x) * 2.0
m = x._keras_mask
emb.set_weights([np.ones((5, 2), dtype="float32")])
x2 = emb(ids)
d = layers.Dense(1, kernel_initializer="ones")(x2)
`, { recordTimeline: true });
  assert.equal(r.error, null);
  const note = (name: string) => r.timeline?.find((s) => s.name === name)?.note;
  assert.match(note('x') ?? '', /^values come from stand-in random weights/);
  assert.match(note('y') ?? '', /^values come from stand-in random weights/);
  assert.equal(note('m'), undefined);
  assert.equal(note('x2'), undefined);
  assert.equal(note('d'), undefined);
});

test("a custom layer's call() called on a KerasTensor prints once, as Keras's single trace does", () => {
  const r = evaluate('import keras\nfrom keras import layers\nclass L(layers.Layer):\n    def call(self, x):\n        print("tracing")\n        return x\ny = L()(keras.Input((3,)))\nprint(y.shape)\n');
  assert.equal(r.error, null);
  assert.equal(r.stdout, 'tracing\n(None, 3)\n');
});

test('bad calls fail with the errors Keras raises, never an internal error', () => {
  const err = (src: string) => {
    const r = run(src);
    return [r.error?.type, r.error?.message.split('\n')[0]];
  };
  assert.deepEqual(err('layers.MultiHeadAttention(2, 4)(np.ones((2, 3, 4)))\n'), ['TypeError', "missing a required argument: 'value'"]);
  assert.deepEqual(err('layers.MultiHeadAttention(2, 4)(np.ones((2, 3, 4)), np.ones((2, 3, 4)), attention_mask=np.ones((2, 5, 5), bool))\n'),
    ['InvalidArgumentError', 'Exception encountered when calling MultiHeadAttention.call().']);
  assert.deepEqual(err('layers.Dense(2)(np.ones((2,)))\n'),
    ['ValueError', "Input 0 with name 'None' of layer 'dense' is incompatible with the layer: expected min_ndim=2, found ndim=1. Full shape received: (2,)"]);
  assert.deepEqual(err('keras.Sequential([1])\n'), ['ValueError', "Only instances of `keras.Layer` can be added to a Sequential model. Received: 1 (of type <class 'int'>)"]);
});

test('dict outputs and dict inputs: a symbolic call returns KerasTensors in the dict (never probe values), models take and give dicts', () => {
  const r = run(`class D(layers.Layer):
    def call(self, x):
        return {"y": x * 2.0}
out = D()(keras.Input((3,)))
print(out)
i = keras.Input((3,), name="a")
m = keras.Model({"a": i}, {"b": layers.Dense(2, kernel_initializer="ones")(i)})
y = m({"a": np.ones((1, 3))})["b"]
`);
  assert.equal(r.error, null);
  assert.equal(r.stdout, "{'y': <KerasTensor shape=(None, 3), dtype=float32, sparse=False, ragged=False, name=keras_tensor_1>}\n");
  assert.deepEqual(r.variables.y, { type: 'tf.Tensor', dtype: 'float32', shape: [1, 2], data: [3, 3] });
});
