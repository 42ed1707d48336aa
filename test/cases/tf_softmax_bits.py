# TensorFlow's float32 softmax to the last bit (values printed as Python floats): eager
# tf.nn.softmax runs oneDNN's kernel (16 lanes, four accumulators, e * (1 / sum)), and so do
# keras.ops.softmax, keras.layers.Softmax (masked too) and Dense(activation="softmax").
import numpy as np
import tensorflow as tf
import keras

rng = np.random.default_rng(7)
short = tf.constant(rng.standard_normal((2, 5)).astype("float32") * 3)
wide = tf.constant(rng.standard_normal((1, 70)).astype("float32") * 3)
cols = tf.constant(rng.standard_normal((6, 3)).astype("float32") * 3)
p_short = tf.nn.softmax(short)
p_wide = tf.nn.softmax(wide)
p_cols = tf.nn.softmax(cols, axis=0)
p_ops = keras.ops.softmax(short)
mask = tf.constant([[True, True, True, False, False], [True, False, True, True, True]])
p_layer = keras.layers.Softmax()(short, mask=mask)
dense = keras.layers.Dense(3, activation="softmax", kernel_initializer="ones", bias_initializer=keras.initializers.Constant(0.25))
p_dense = dense(tf.constant([[0.3, -1.7], [2.5, 0.125]]))
print(p_short.numpy().tolist())
print(p_wide.numpy()[0, ::7].tolist(), p_wide.numpy()[0, 64:].tolist())
print(p_cols.numpy().tolist())
print(p_ops.numpy().tolist() == p_short.numpy().tolist())
print(p_layer.numpy().tolist())
print(p_dense.numpy().tolist())
