# The Keras masking guide's functional and Sequential models: keras.Input's KerasTensors,
# masks carried through Embedding(mask_zero) -> custom layer -> LSTM, and the models run on padded ids.
# values not compared: functional_out, sequential_out, sequences_out
import numpy as np
import tensorflow as tf
import keras
from keras import layers

padded_inputs = keras.utils.pad_sequences([[711, 632, 71], [73, 8, 3215, 55, 927], [83, 91, 1, 645, 1253, 927]], padding="post")


@keras.saving.register_keras_serializable()
class MyActivation(keras.layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        # Signal that the layer is safe for mask propagation
        self.supports_masking = True

    def call(self, inputs):
        return tf.nn.relu(inputs)


inputs = keras.Input(shape=(None,), dtype="int32")
print(inputs)
x = layers.Embedding(input_dim=5000, output_dim=16, mask_zero=True)(inputs)
x = MyActivation()(x)  # Will pass the mask along
print("Mask found:", x._keras_mask)
outputs = layers.LSTM(32)(x)  # Will receive the mask
print(outputs)
model = keras.Model(inputs, outputs)
print(model)
print(model.layers)
functional_out = model(padded_inputs)
input_shape = inputs.shape
input_dtype = inputs.dtype

sequential = keras.Sequential(
    [
        layers.Embedding(input_dim=5000, output_dim=16, mask_zero=True),
        layers.LSTM(32),
    ]
)
print(sequential)
sequential_out = sequential(padded_inputs)
print(sequential)

seq_in = keras.Input(shape=(None,), dtype="int32", name="ids")
seq_x = layers.Embedding(input_dim=5000, output_dim=8, mask_zero=True)(seq_in)
seq_y = layers.LSTM(4, return_sequences=True)(seq_x)
print(seq_y, seq_y._keras_mask)
state_out = layers.LSTM(4, return_state=True)(seq_x)
print(state_out)
sequences_model = keras.Model(seq_in, seq_y)
sequences_out = sequences_model(padded_inputs)
sequences_mask = sequences_out._keras_mask
print(sequences_mask)

dense = layers.Dense(2, kernel_initializer="ones", bias_initializer=keras.initializers.Constant(0.5))
feats = tf.constant([[[1.0, 2.0, 3.0], [0.0, 0.0, 0.0]], [[4.0, 5.0, 6.0], [1.0, 1.0, 1.0]]])
masked_feats = layers.Masking()(feats)
dense_out = dense(masked_feats)
dense_mask = dense_out._keras_mask
relu_dense = layers.Dense(3, activation="relu", kernel_initializer="ones", use_bias=False)(tf.constant([[-1.0, 0.5], [2.0, 1.0]]))
print(dense_out)
print(dense_mask)
print(relu_dense)
print(dense.name, dense.get_weights()[1])
