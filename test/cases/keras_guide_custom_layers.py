# The Keras masking guide's custom layers: a layer calling Embedding.compute_mask and LSTM(mask=...),
# CustomEmbedding with add_weight and compute_mask, and TemporalSoftmax consuming the mask in a
# functional model (its literal sum over the size-1 axis: 1.0 where kept, nan where masked).
# values not compared: lstm_out, custom_out
import numpy as np
import tensorflow as tf
import keras
from keras import layers


class MyLayer(layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.embedding = layers.Embedding(input_dim=5000, output_dim=16, mask_zero=True)
        self.lstm = layers.LSTM(32)

    def call(self, inputs):
        x = self.embedding(inputs)
        # Note that you could also prepare a `mask` tensor manually.
        mask = self.embedding.compute_mask(inputs)
        output = self.lstm(x, mask=mask)  # The layer will ignore the masked values
        return output


layer = MyLayer()
x = np.random.random((32, 10)) * 100
x = x.astype("int32")
lstm_out = layer(x)
print(layer, layer.embedding, layer.lstm)


class CustomEmbedding(keras.layers.Layer):
    def __init__(self, input_dim, output_dim, mask_zero=False, **kwargs):
        super().__init__(**kwargs)
        self.input_dim = input_dim
        self.output_dim = output_dim
        self.mask_zero = mask_zero

    def build(self, input_shape):
        self.embeddings = self.add_weight(
            shape=(self.input_dim, self.output_dim),
            initializer="random_normal",
            dtype="float32",
        )

    def call(self, inputs):
        return tf.nn.embedding_lookup(self.embeddings, inputs)

    def compute_mask(self, inputs, mask=None):
        if not self.mask_zero:
            return None
        return tf.not_equal(inputs, 0)


custom = CustomEmbedding(10, 32, mask_zero=True)
ids = np.random.random((3, 10)) * 9
ids = ids.astype("int32")
custom_out = custom(ids)
custom_mask = custom.compute_mask(ids)
attached_mask = custom_out._keras_mask
print(custom_mask)


@keras.saving.register_keras_serializable()
class TemporalSoftmax(keras.layers.Layer):
    def call(self, inputs, mask=None):
        broadcast_float_mask = tf.expand_dims(tf.cast(mask, "float32"), -1)
        inputs_exp = tf.exp(inputs) * broadcast_float_mask
        inputs_sum = tf.reduce_sum(
            inputs_exp * broadcast_float_mask, axis=-1, keepdims=True
        )
        return inputs_exp / inputs_sum


inputs = keras.Input(shape=(None,), dtype="int32")
h = layers.Embedding(input_dim=10, output_dim=32, mask_zero=True)(inputs)
h = layers.Dense(1)(h)
outputs = TemporalSoftmax()(h)
print(outputs)
model = keras.Model(inputs, outputs)
probs = model(np.array([[3, 1, 0, 0], [2, 5, 7, 0]]))
print(probs)
has_mask = hasattr(probs, "_keras_mask")
y = model(np.random.randint(0, 10, size=(32, 100)), np.random.random((32, 100, 1)))
