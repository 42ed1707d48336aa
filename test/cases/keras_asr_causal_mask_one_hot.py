# The Keras ASR-transformer guide (keras-io examples/audio/transformer_asr.py):
# TransformerDecoder.causal_attention_mask tiled over the batch, and the
# train_step's one-hot targets with the padding mask as sample weights.
import tensorflow as tf


def causal_attention_mask(batch_size, n_dest, n_src, dtype):
    i = tf.range(n_dest)[:, None]
    j = tf.range(n_src)
    m = i >= j - n_src + n_dest
    mask = tf.cast(m, dtype)
    mask = tf.reshape(mask, [1, n_dest, n_src])
    mult = tf.concat([tf.expand_dims(batch_size, -1), tf.constant([1, 1], dtype=tf.int32)], 0)
    return tf.tile(mask, mult)


target = tf.constant([[27, 4, 5, 28, 0], [27, 2, 28, 0, 0]])
input_shape = tf.shape(target)
causal_mask = causal_attention_mask(input_shape[0], input_shape[1], input_shape[1], tf.bool)
kv_cache_mask = causal_attention_mask(tf.constant(1), 3, 5, tf.int32)
dec_target = target[:, 1:]
one_hot = tf.one_hot(dec_target, depth=30)
pad_mask = tf.math.logical_not(tf.math.equal(dec_target, 0))
print(causal_mask)
print(one_hot[1, :, 25:])
print(pad_mask)
hits = tf.one_hot(tf.constant([1, 4, -1]), 3, on_value=1, off_value=0)
print(hits)
columns = tf.one_hot(tf.constant([1, 0, 2]), 3, axis=0)
print(columns)
scaled = tf.one_hot([1, 2], 3, on_value=5.0, off_value=-1.0)
print(scaled)
