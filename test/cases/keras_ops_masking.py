# keras.ops on the TensorFlow backend, as a Keras masking example uses them: a causal mask
# from ops.tril(ops.ones), a padding mask from ops.arange, combined with ops.logical_and,
# applied with ops.where before ops.softmax; ops.cast / expand_dims / matmul / transpose /
# shape / convert_to_numpy, Keras's dtype promotion (weak Python scalars), and the repr of
# eager tensors.
import numpy as np
import keras
from keras import ops

seq_len = 4
causal = ops.cast(ops.tril(ops.ones((seq_len, seq_len))), 'bool')
lengths = ops.convert_to_tensor([4, 2])
padding = ops.arange(seq_len)[None, :] < lengths[:, None]
combined = ops.logical_and(ops.expand_dims(padding, 1), causal[None, :, :])
q = ops.convert_to_tensor(np.linspace(-1, 1, 2 * seq_len * 3).reshape(2, seq_len, 3).astype('float32'))
scores = ops.matmul(q, ops.transpose(q, (0, 2, 1))) / 3.0
masked = ops.where(combined, scores, -1e9)
weights = ops.softmax(masked, axis=-1)
weights_np = ops.convert_to_numpy(weights)
row_sums = ops.sum(weights, axis=-1)
print(ops.shape(weights), type(weights_np).__name__, weights_np.dtype, combined.dtype, masked.dtype)
print(repr(causal))
print(combined)
print(repr(ops.arange(1, 3)), repr(ops.arange(0.0, 1.0, 0.25)), repr(ops.arange(5, dtype='float32')))
ints = ops.where(causal, 1, 0)
mixed = ops.where(causal, ops.ones((seq_len, seq_len), dtype='int32'), 2.5)
wide = ops.where(causal, np.zeros((seq_len, seq_len)), 1.0)
index_pairs = ops.where(causal)
upper = ops.triu(ops.ones((3, 3)), -1)
prod64 = ops.matmul(ops.ones((2, 2)), np.eye(2))
iprod = ops.matmul(np.ones((2, 3), dtype='int32'), np.ones((3,), dtype='int32'))
print(ints.dtype, mixed.dtype, wide.dtype, prod64.dtype, iprod.dtype, len(index_pairs), index_pairs[0].dtype)
print(repr(ops.cast(np.array([1.7, -1.2]), 'int32')), repr(ops.cast(ops.ones(2), np.int64)), repr(ops.sum(ops.ones((2, 4)))))
print(repr(keras.ops.full((2, 2), -1e9)), ops.mean(ops.ones((2, 4)), axis=-1, keepdims=True), ops.logical_not(causal)[0])
not_tensor = ops.convert_to_numpy(padding)
bad_calls = [
    lambda: ops.matmul(ops.ones((2, 3)), ops.ones((2, 3))),
    lambda: ops.matmul(ops.ones((2, 2, 3)), ops.ones((2, 2, 3))),
    lambda: ops.where(causal, 1.0),
    lambda: ops.where(ops.ones((2,)) > 0, ops.ones((3,)), 0.0),
    lambda: ops.cast(ops.ones(2), 'float'),
    lambda: ops.ones((2, 3), dtype='foo'),
    lambda: ops.tril(ops.ones((3,))),
    lambda: ops.expand_dims(ops.ones((2,)), 3),
    lambda: ops.transpose(ops.ones((2, 3)), (0,)),
    lambda: ops.logical_and(ops.ones((2,)), ops.ones((3,))),
    lambda: ops.equal(ops.ones((2,)), ops.ones((3,))),
    lambda: ops.softmax(ops.ones((2, 3)), axis=2),
    lambda: ops.arange(0, 5, 0),
]
for call in bad_calls:
    try:
        call()
    except Exception as e:
        print(type(e).__name__, e)
