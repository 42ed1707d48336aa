# Keras 3: masks made by Embedding(mask_zero=True) and Masking(mask_value) travel through layers that support masking.
# values not compared: embedded, scaled
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

raw = [[5, 3], [7, 2, 9, 4], [1]]
ids = keras.utils.pad_sequences(raw, padding="post")
ids_pre = keras.utils.pad_sequences(raw, maxlen=3)
ids_trunc = keras.utils.pad_sequences(raw, maxlen=3, padding="post", truncating="post", value=-1)
floats = keras.utils.pad_sequences([[0.5, 1.5], [2.5]], dtype="float32", padding="post", value=0.0)

embedding = layers.Embedding(input_dim=10, output_dim=4, mask_zero=True)
embedded = embedding(ids)
embedding_mask = embedded._keras_mask
direct_mask = embedding.compute_mask(ids)


class Scale(keras.layers.Layer):
    """Multiplies by 2 and passes the mask on unchanged."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True

    def call(self, inputs):
        return inputs * 2.0


scaled = Scale()(embedded)
propagated_mask = scaled._keras_mask


class MaskedMean(keras.layers.Layer):
    """Averages over time, counting only the unmasked steps."""

    def call(self, inputs, mask=None):
        weights = tf.cast(tf.expand_dims(mask, -1), inputs.dtype)
        return tf.reduce_sum(inputs * weights, axis=1) / tf.reduce_sum(weights, axis=1)


features = tf.constant(
    [[[1.0, 2.0], [3.0, 4.0], [-1.0, -1.0]], [[5.0, 6.0], [-1.0, -1.0], [-1.0, -1.0]]]
)
masked = layers.Masking(mask_value=-1.0)(features)
masking_mask = masked._keras_mask
pooled = MaskedMean()(masked)
lengths_mask = tf.sequence_mask([2, 1, 3], maxlen=4)
print(ids)
print(ids_pre)
print(ids_trunc)
print(embedding_mask)
print(propagated_mask)
print(masking_mask)
print(pooled)
print(lengths_mask)
