# keras.layers.Softmax with a mask (Keras 3.15: where(mask, x, -1e9), softmax, where(mask, out, 0):
# a fully masked row is zeros), axis int or list, float masks (> 0.5), the broadcast check.
import numpy as np
import keras
from keras import layers

scores = np.array([[[1.0, 2.0, 3.0], [0.5, 0.5, 4.0]]], dtype="float32")
mask = np.array([[[True, True, False], [False, False, False]]])
sm = layers.Softmax()
# TensorFlow's softmax and ours agree to a float ulp: printed rounded
print(np.round(keras.ops.convert_to_numpy(sm(scores)), 5))
print(np.round(keras.ops.convert_to_numpy(sm(scores, mask=mask)), 5))
print(np.round(keras.ops.convert_to_numpy(layers.Softmax(axis=1)(scores)), 5))
print(np.round(keras.ops.convert_to_numpy(layers.Softmax(axis=[1, 2])(scores)), 5))
print(np.round(keras.ops.convert_to_numpy(sm(scores, mask=np.array([[1.0, 0.0, 1.0]]))), 5))
try:
    sm(scores, mask=np.array([[True, False]]))
except ValueError as e:
    print(type(e).__name__)
