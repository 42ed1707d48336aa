# np.put_along_axis as SpecAugment-style span masking uses it (wav2vec2/HuBERT time masks):
# span starts drawn with np.random.choice, widened by an arange offset, clipped to the
# sequence, then scattered into a bool [batch, time] mask. Plus the other write forms
# (scalar and array values, casting, negative indices, broadcast dims, axis=None, which
# writes through a C-contiguous array's flat view) and the errors NumPy raises.
import numpy as np

np.random.seed(0)
batch, seq_len, span = 3, 12, 3
num_spans = 2
starts = np.stack([np.random.choice(np.arange(seq_len - span + 1), num_spans, replace=False) for _ in range(batch)])
idx = (starts[:, :, None] + np.arange(span)[None, None, :]).reshape(batch, num_spans * span)
idx[idx > seq_len - 1] = seq_len - 1
time_mask = np.zeros((batch, seq_len), dtype=bool)
out = np.put_along_axis(time_mask, idx, 1, -1)
print(out)
print(time_mask.astype(np.int64))

a = np.array([[10, 30, 20], [60, 40, 50]])
ai = np.argmax(a, axis=1, keepdims=True)
np.put_along_axis(a, ai, 99, axis=1)
print(a)
b = np.zeros((2, 4), dtype=np.int32)
np.put_along_axis(b, np.array([[0, -1], [1, 2]]), np.array([[1.9, 2.5], [3.7, -4.2]]), axis=1)
print(b)
c = np.zeros((3, 3))
np.put_along_axis(c, np.array([[2, 0, 1]]), np.array([7.0, 8.0, 9.0]), axis=0)
print(c)
d = np.arange(6).reshape(2, 3)
np.put_along_axis(d, np.array([0, 5]), -1, axis=None)
print(d)

for bad in [
    lambda: np.put_along_axis(np.zeros((2, 3)), np.array([[0.0, 1.0]]), 1, axis=1),
    lambda: np.put_along_axis(np.zeros((2, 3)), np.array([0, 1]), 1, axis=1),
    lambda: np.put_along_axis(np.zeros((2, 3)), np.array([[3], [0]]), 1, axis=1),
    lambda: np.put_along_axis(np.zeros((2, 3)), np.array([[0], [1]]), 1, axis=2),
    lambda: np.put_along_axis(np.zeros((2, 3)), np.array([[0], [1]]), 1, axis=None),
    lambda: np.put_along_axis(np.zeros((2, 3)), np.array([[0, 1]]), np.ones(3), axis=1),
    lambda: np.put_along_axis([[0, 0]], np.array([[0]]), 1, axis=1),
    lambda: np.put_along_axis(np.arange(6).reshape(2, 3).T, np.array([0, 5]), -1, axis=None),
]:
    try:
        bad()
    except Exception as e:
        print(type(e).__name__, e)
