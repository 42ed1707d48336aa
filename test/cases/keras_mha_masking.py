# MultiHeadAttention with Keras masks: the query's and value's _keras_mask, use_causal_mask and an
# explicit attention_mask combine; weights "ones"/"zeros" make the values deterministic.
import numpy as np
import tensorflow as tf
import keras
from keras import layers

ids = np.array([[3, 1, 2, 0], [4, 2, 0, 0]])
embedding = layers.Embedding(input_dim=6, output_dim=4, mask_zero=True)
embedding.build(None)
embedding.set_weights([np.linspace(-1.0, 1.0, 24, dtype="float32").reshape(6, 4)])
x = embedding(ids)

mha = layers.MultiHeadAttention(num_heads=2, key_dim=2, kernel_initializer="ones", bias_initializer="zeros")
out, scores = mha(x, x, return_attention_scores=True)
out_mask = out._keras_mask
input_mask_after = hasattr(x, "_keras_mask")
print("after the call:", input_mask_after, x._keras_mask)
x = embedding(ids)
causal_out, causal_scores = mha(x, x, use_causal_mask=True, return_attention_scores=True)
fast_out = mha(x, x, use_causal_mask=True)
explicit = tf.constant([[[True, True, False, True]] * 4, [[True, False, True, True]] * 4])
plain = tf.constant(np.linspace(0.0, 1.0, 32, dtype="float32").reshape(2, 4, 4))
explicit_out, explicit_scores = mha(plain, plain, attention_mask=explicit, return_attention_scores=True)
explicit_fast = mha(plain, plain, attention_mask=explicit)
weights_shapes = [w.shape for w in mha.get_weights()]
print(weights_shapes)
print(out_mask)
print(causal_scores[0, 0])
print(tf.equal(explicit_scores[1, 1], 0.0))

q = keras.Input((None, 4))
v = keras.Input((7, 6))
sym = layers.MultiHeadAttention(num_heads=2, key_dim=3)
sym_out, sym_scores = sym(q, v, return_attention_scores=True)
print(sym_out)
print(sym_scores)
ids_in = keras.Input((None,), dtype="int32")
emb = layers.Embedding(10, 8, mask_zero=True)(ids_in)
attended = layers.MultiHeadAttention(num_heads=2, key_dim=4)(emb, emb, use_causal_mask=True)
print(attended, attended._keras_mask is emb._keras_mask)
