# tf.random.uniform as TensorFlow's CPU kernels draw it (Philox-4x32-10 keyed
# by the op's seeds): the TensorFlow Transformer tutorial sizes its look-ahead
# mask from `tf.random.uniform((1, 3))`, d2l.ai's masked_softmax runs on
# uniform scores. Global seed (tf.random.set_seed, keras.utils.set_random_seed),
# operation seeds, a kernel called again with the same seed, float64, int32 /
# int64 ranges and minval / maxval scaling.
import keras
import tensorflow as tf

x = tf.random.uniform((1, 3))
look_ahead_mask = 1 - tf.linalg.band_part(tf.ones((x.shape[1], x.shape[1])), -1, 0)
print(x)
print(look_ahead_mask)
scores = tf.random.uniform(shape=(2, 2, 4))
valid = tf.range(4, dtype=tf.float32)[None, :] < tf.cast(tf.constant([2, 3])[:, None], tf.float32)
print(scores)
print(tf.where(tf.expand_dims(valid, 1), scores, -1e6))

tf.random.set_seed(3)
a = tf.random.uniform((3,), seed=1)
b = tf.random.uniform((5,), seed=1)
c = tf.random.uniform((2, 2), seed=1, dtype=tf.float64)
ints = tf.random.uniform((6,), minval=2, maxval=9, dtype=tf.int32, seed=5)
longs = tf.random.uniform((3,), minval=-2**40, maxval=9, dtype=tf.int64, seed=5)
shifted = tf.random.uniform((3,), minval=-1.5, maxval=2.5)
scaled = tf.random.uniform((3,), maxval=2.5)
float_zero = tf.random.uniform((3,), minval=0.0, maxval=2.5)
doubles = tf.random.uniform([2, 5], dtype=tf.float64)
ones = tf.ones((2, 3))
from_shape_tensor = tf.random.uniform(tf.shape(ones))
from_static_shape = tf.random.uniform(ones.shape)
print(a, b, c, ints, longs, shifted, scaled, float_zero, doubles, from_shape_tensor, from_static_shape, sep='\n')
tf.random.set_seed(0)
zero_zero = tf.random.uniform((3,), seed=0)
tf.random.set_seed(2**40)
big_seed = tf.random.uniform((3,))
keras.utils.set_random_seed(7)
after_keras_seed = tf.random.uniform((4,))
print(zero_zero, big_seed, after_keras_seed, sep='\n')
try:
    tf.random.uniform((2,), dtype=tf.int32)
except ValueError as e:
    print('ValueError:', e)
