# keras.layers.GlobalAveragePooling1D / GlobalMaxPooling1D as keras-io text classifiers end with them:
# the masked mean over kept steps (Embedding(mask_zero=True) upstream), data_format, keepdims.
import numpy as np
import keras
from keras import layers, ops
x = np.array([[[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]], [[1.0, 1.0], [2.0, 2.0], [9.0, 9.0]]], dtype="float32")
mask = np.array([[True, True, False], [True, False, False]])
gap = layers.GlobalAveragePooling1D()
print(gap(x))
print(gap(x, mask=mask))
gmp = layers.GlobalMaxPooling1D()
print(gmp(x))
inp = keras.Input(shape=(None,), dtype="int32")
emb = layers.Embedding(20, 2, mask_zero=True)(inp)
pooled = layers.GlobalAveragePooling1D()(emb)
print(pooled.shape)
tokens = np.array([[4, 7, 0, 0], [3, 0, 0, 0]])
e = layers.Embedding(20, 2, mask_zero=True)
# the embedding's random weights are not reproduced: only shapes and the (absent) mask are kept
print([(a.shape, hasattr(a, "_keras_mask")) for a in [layers.GlobalAveragePooling1D()(e(tokens))]])
cf = layers.GlobalAveragePooling1D(data_format="channels_first", keepdims=True)
print(cf(x).shape, layers.GlobalMaxPooling1D(keepdims=True)(x).shape)
