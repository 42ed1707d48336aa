# NumPy helpers attention tutorials use: np.swapaxes for K^T in batched
# attention, np.maximum / np.minimum / np.clip, np.isclose / np.allclose to
# check that weights sum to 1, np.repeat / np.tile to build head and batch
# copies of a mask, and NumPy's AxisError.
import numpy as np


def softmax(x, axis=-1):
    x_max = np.max(x, axis=axis, keepdims=True)
    exps = np.exp(x - x_max)
    return exps / np.sum(exps, axis=axis, keepdims=True)


np.random.seed(1)
q = np.random.randn(2, 3, 4).astype(np.float32)
k = np.random.randn(2, 3, 4).astype(np.float32)
causal = np.triu(np.ones((3, 3), dtype=bool), k=1)
scores = np.matmul(q, np.swapaxes(k, -1, -2)) / np.sqrt(4)
scores = np.where(causal[None], -1e9, scores)
weights = softmax(scores)
rows_sum_to_one = np.allclose(weights.sum(-1), 1.0)
close = np.isclose(weights.sum(-1), 1.0)
nan_close = np.isclose(np.array([np.nan, np.inf, 1.0]), [np.nan, np.inf, 1.1], equal_nan=True)
relu = np.maximum(scores, 0)
floor = np.minimum(np.arange(5), 2.5)
clipped = np.clip(np.arange(-3, 4), -1, 1)
clipped_low = np.clip(weights, 0.2, None)
head_masks = np.repeat(causal[None], 4, axis=0)
flat_repeat = np.repeat(np.array([[1, 2], [3, 4]]), 2)
batch_masks = np.tile(causal, (2, 1, 1))
tiled_row = np.tile(np.arange(3), 2)
swapped = weights.swapaxes(0, 2)
print(rows_sum_to_one, close, nan_close, floor, clipped, head_masks.shape, flat_repeat, batch_masks.shape, tiled_row, swapped.shape, sep="\n")
try:
    np.swapaxes(weights, 0, 5)
except np.exceptions.AxisError as e:
    print(type(e).__name__, e, isinstance(e, ValueError), isinstance(e, IndexError))
bad = np.repeat(causal, 2, axis=2)
