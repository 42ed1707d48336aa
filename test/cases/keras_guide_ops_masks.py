# The Keras guide "Understanding masking & padding": Masking over token ids tiled into fake embeddings
# (keras.ops.tile), a layer that splits its input and its mask in time (keras.ops.split), and a custom
# embedding that looks its vectors up with keras.ops.take and masks zeros; plus take's axis / negative
# indices, tile's short repeats and split's section indices; the seq2seq guide's decoder mask (ops.minimum);
# GatherV2's error for an index out of range.
import numpy as np
import keras
from keras import layers
from keras import ops

raw_inputs = [
    [711, 632, 71],
    [73, 8, 3215, 55, 927],
    [83, 91, 1, 645, 1253, 927],
]
padded_inputs = keras.utils.pad_sequences(raw_inputs, padding="post")

masking_layer = layers.Masking()
unmasked_embedding = ops.cast(ops.tile(ops.expand_dims(padded_inputs, axis=-1), [1, 1, 10]), "float32")
masked_embedding = masking_layer(unmasked_embedding)
print(masked_embedding._keras_mask)


class TemporalSplit(keras.layers.Layer):
    """Split the input tensor into 2 tensors along the time dimension."""

    def call(self, inputs):
        return ops.split(inputs, 2, axis=1)

    def compute_mask(self, inputs, mask=None):
        if mask is None:
            return None
        return ops.split(mask, 2, axis=1)


first_half, second_half = TemporalSplit()(masked_embedding)
first_mask = first_half._keras_mask
second_mask = second_half._keras_mask
print(first_mask)
print(second_mask)

table = np.arange(12, dtype="float32").reshape(4, 3)
looked_up = ops.take(table, np.array([[0, 3], [1, -1]]))
columns = ops.take(table, np.array([1, 0]), axis=1)
flat_pick = ops.take(table, 5)
tiled = ops.tile(np.array([[1, 2, 0], [3, 0, 0]]), [2])
pieces = ops.split(np.arange(6), [2, 3])
print(looked_up, columns, flat_pick, tiled)
print(pieces)
ids = np.array([[2, 3, 0, 0], [1, 0, 0, 0]])
vectors = ops.take(table, ids, axis=0)
id_mask = ops.not_equal(ids, 0)
print(vectors.shape, id_mask)


# the Keras English-to-Spanish Transformer guide's decoder mask: a tiled causal mask, ops.minimum with padding
def get_causal_attention_mask(inputs):
    input_shape = ops.shape(inputs)
    batch_size, sequence_length = input_shape[0], input_shape[1]
    i = ops.arange(sequence_length)[:, None]
    j = ops.arange(sequence_length)
    mask = ops.cast(i >= j, dtype="int32")
    mask = ops.reshape(mask, (1, input_shape[1], input_shape[1]))
    mult = ops.concatenate([ops.expand_dims(batch_size, -1), ops.convert_to_tensor([1, 1])], axis=0)
    return ops.tile(mask, mult)


decoder_inputs = np.array([[5, 6, 7, 0, 0], [3, 4, 0, 0, 0]])
causal_mask = get_causal_attention_mask(decoder_inputs)
padding_mask = ops.cast(ops.not_equal(decoder_inputs, 0)[:, None, :], dtype="int32")
decoder_mask = ops.minimum(padding_mask, causal_mask)
upper = ops.maximum(np.array([1, 5]), 2.5)
print(decoder_mask, upper)
ops.take(table, np.array([[1, 2], [0, 4]]), axis=0)
