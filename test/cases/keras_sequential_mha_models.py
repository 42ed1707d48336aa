# Sequential models starting from keras.Input (built at once), Dropout at inference, GRU and SimpleRNN
# behind Embedding/Masking masks, a two-input functional model around MultiHeadAttention, keras.ops on KerasTensors.
# values not compared: out, p, ro, rs, r
import numpy as np
import tensorflow as tf
import keras
from keras import layers
seq = keras.Sequential([keras.Input(shape=(None,), dtype="int32"), layers.Embedding(20, 4, mask_zero=True), layers.Dropout(0.5), layers.GRU(3, return_sequences=True)])
print(seq, seq.layers)
out = seq(np.array([[1, 2, 0], [3, 0, 0]]))
print(out.shape, out._keras_mask)
p = seq.predict(np.array([[1, 2, 0]]), verbose=0)
print(type(p).__name__, p.shape)
q_in = keras.Input((None,), dtype="int32")
v_in = keras.Input((None,), dtype="int32")
q = layers.Embedding(20, 8, mask_zero=True)(q_in)
v = layers.Embedding(20, 8, mask_zero=True)(v_in)
att = layers.MultiHeadAttention(num_heads=2, key_dim=4)
o, s = att(q, v, return_attention_scores=True)
print(o, s, o._keras_mask)
m = keras.Model([q_in, v_in], [o, s])
print(m.layers)
ro, rs = m([np.array([[1, 2, 0]]), np.array([[4, 0, 0, 0]])])
print(rs.shape, ro._keras_mask)
print(tf.reduce_sum(tf.cast(tf.equal(rs, 0.0), tf.int32)).numpy())
f = keras.Sequential([layers.Masking(mask_value=-1.0), layers.SimpleRNN(2)])
r = f(np.array([[[1.0], [-1.0]]]))
print(r.shape, hasattr(r, "_keras_mask"))
x = keras.Input((3, 2))
y = layers.Dense(4, activation="softmax")(x) * 2.0 + 1
# the sum's last bits depend on Dense's random initial weights, which Mask Lens does not reproduce
print(y, round(float(keras.Model(x, y)(np.ones((1, 3, 2))).numpy().sum()), 4))
print(keras.ops.not_equal(keras.Input((None,)), 0))
