# The guide's TemporalSplit on a symbolic input: call() is traced, but compute_mask receives
# KerasTensors, and tf.split refuses them (Keras 3 asks for keras.ops or a layer instead).
import numpy as np
import tensorflow as tf
import keras
from keras import layers


class TemporalSplit(keras.layers.Layer):
    def call(self, inputs):
        return tf.split(inputs, 2, axis=1)

    def compute_mask(self, inputs, mask=None):
        if mask is None:
            return None
        return tf.split(mask, 2, axis=1)


inputs = keras.Input((6, 3))
first, second = TemporalSplit()(inputs)
print(first, second)
steps = first.shape[1]
masked = layers.Masking()(inputs)
print(masked._keras_mask)
a, b = TemporalSplit()(masked)
