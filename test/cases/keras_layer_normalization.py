# keras.layers.LayerNormalization as keras-io's Transformer blocks use it: moments over the last
# axis (or several), gamma ones / beta zeros, epsilon 1e-3; the Embedding mask passes through.
import numpy as np
import keras
from keras import layers

x = np.array([[[0.5, -1.0, 2.0, 3.5], [1.0, 1.0, 1.0, 1.0]], [[-2.0, 0.0, 4.0, 1.5], [0.1, 0.2, 0.3, 0.4]]], dtype="float32")
ln = layers.LayerNormalization()
y = ln(x)
print(np.round(keras.ops.convert_to_numpy(y), 5))
print(ln.epsilon, ln.axis, [tuple(w.shape) for w in ln.get_weights()])
ln2 = layers.LayerNormalization(axis=[1, 2], epsilon=1e-6)
y2 = ln2(x)
print(np.round(keras.ops.convert_to_numpy(y2), 5))
print([tuple(w.shape) for w in ln2.get_weights()])
ln3 = layers.LayerNormalization(center=False, gamma_initializer="zeros")
print(keras.ops.convert_to_numpy(ln3(x))[0, 0])
emb = layers.Embedding(10, 4, mask_zero=True)
tok = np.array([[3, 5, 0]])
# the embedding's random weights are not reproduced: only its mask is kept
print(ln(emb(tok))._keras_mask)
try:
    layers.LayerNormalization(axis="last")
except TypeError as e:
    print(e)
