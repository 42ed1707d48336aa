# tf.exp on float32 as TensorFlow's CPU kernel rounds it: Eigen's AVX packet
# exp (no FMA) on every full 8-lane packet, the scalar exp on the n % 8 left
# over, so the same input can print differently by position; results below
# float32's normal range flush to zero. The exp of a hand-written masked
# softmax (scores with -1e9 at masked keys) and keras.ops.exp.
import keras
import numpy as np
import tensorflow as tf

v = np.random.uniform(-20, 20, 61).astype(np.float32)
e = tf.exp(tf.constant(v))
print(e.numpy().tolist())
tail = tf.exp(tf.constant(v[:7]))
print(tail.numpy().tolist())
grid = tf.math.exp(tf.reshape(tf.constant(v[:48]), (6, 8)))
print(grid.numpy().tolist()[1])
edges = tf.exp(tf.constant([0.0, -87.5, -90.0, -103.9, -104.5, 88.7, 89.0, float('inf'), float('-inf'), float('nan'), 1e-8, -1e-8, 2.5, -2.5, 10.0, -10.0]))
print(edges.numpy().tolist())
scores = tf.constant(np.random.uniform(-3, 3, (2, 4, 8)).astype(np.float32))
mask = tf.sequence_mask([3, 6], 8)[:, None, :]
masked = tf.where(mask, scores, -1e9)
unnormalised = tf.exp(masked - tf.reduce_max(masked, axis=-1, keepdims=True))
print(unnormalised.numpy().tolist()[1])
k = keras.ops.exp(tf.constant(v[:16]))
print(k.numpy().tolist())
