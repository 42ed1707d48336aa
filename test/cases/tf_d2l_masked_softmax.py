# d2l.ai's TensorFlow attention chapter: sequence_mask with tf.where,
# masked_softmax over tf.random.uniform scores with tf.repeat'ed valid lengths
# (1-D and 2-D), and DotProductAttention as a Keras layer.
import numpy as np
import tensorflow as tf


def sequence_mask(X, valid_len, value=0):
    """Mask irrelevant entries in sequences."""
    maxlen = X.shape[1]
    mask = tf.range(start=0, limit=maxlen, dtype=tf.float32)[
        None, :] < tf.cast(valid_len[:, None], dtype=tf.float32)
    if len(X.shape) == 3:
        return tf.where(tf.expand_dims(mask, axis=-1), X, value)
    else:
        return tf.where(mask, X, value)


def masked_softmax(X, valid_lens):
    """Perform softmax operation by masking elements on the last axis."""
    def _sequence_mask(X, valid_len, value=0):
        maxlen = X.shape[1]
        mask = tf.range(start=0, limit=maxlen, dtype=tf.float32)[
            None, :] < tf.cast(valid_len[:, None], dtype=tf.float32)
        if len(X.shape) == 3:
            return tf.where(tf.expand_dims(mask, axis=-1), X, value)
        else:
            return tf.where(mask, X, value)

    if valid_lens is None:
        return tf.nn.softmax(X, axis=-1)
    else:
        shape = X.shape
        if len(valid_lens.shape) == 1:
            valid_lens = tf.repeat(valid_lens, repeats=shape[1])
        else:
            valid_lens = tf.reshape(valid_lens, shape=-1)
        X = _sequence_mask(tf.reshape(X, shape=(-1, shape[-1])), valid_lens,
                           value=-1e6)
        return tf.nn.softmax(tf.reshape(X, shape=shape), axis=-1)


class DotProductAttention(tf.keras.layers.Layer):
    def __init__(self, dropout):
        super().__init__()
        self.dropout = tf.keras.layers.Dropout(dropout)

    def call(self, queries, keys, values, valid_lens=None, **kwargs):
        d = queries.shape[-1]
        scores = tf.matmul(queries, keys, transpose_b=True)/tf.math.sqrt(
            tf.cast(d, dtype=tf.float32))
        self.attention_weights = masked_softmax(scores, valid_lens)
        return tf.matmul(self.dropout(self.attention_weights, **kwargs), values)


tf.random.set_seed(0)
# (rounded: TensorFlow's CPU softmax is oneDNN's, whose exp differs from a correctly rounded one)
print(np.round(masked_softmax(tf.random.uniform(shape=(2, 2, 4)), tf.constant([2, 3])).numpy(), 5))
print(np.round(masked_softmax(tf.random.uniform((2, 2, 4)), tf.constant([[1, 3], [2, 4]])).numpy(), 5))
X = tf.constant([[1, 2, 3], [4, 5, 6]])
print(sequence_mask(X, tf.constant([1, 2])))
X = tf.ones((2, 3, 4))
print(sequence_mask(X, tf.constant([1, 2]), value=-1))

queries = tf.ones((2, 1, 2))
keys = tf.ones((2, 10, 2))
values = tf.repeat(tf.reshape(tf.range(40, dtype=tf.float32), shape=(1, 10, 4)), repeats=2, axis=0)
valid_lens = tf.constant([2, 6])
attention = DotProductAttention(dropout=0.5)
print(attention(queries, keys, values, valid_lens, training=False))
print(attention.attention_weights)
