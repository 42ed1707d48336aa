# NumPy attention tutorials: a @ b and np.matmul are matrix products (not
# element-wise), np.dot, bool @ bool, NumPy's own promotion of mixed array
# dtypes (int64 + float32 is float64 in NumPy, float32 in torch), and
# NumPy's matmul / dot errors.
import math
import numpy as np

np.random.seed(0)
L, d_k = 4, 8
q = np.random.randn(L, d_k)
k = np.random.randn(L, d_k)
v = np.random.randn(L, d_k)
mask = np.tril(np.ones((L, L)))
mask[mask == 0] = -np.inf
mask[mask == 1] = 0
scaled = np.matmul(q, k.T) / math.sqrt(d_k) + mask
attention = np.exp(scaled) / np.sum(np.exp(scaled), axis=-1, keepdims=True)
out = attention @ v
square = np.ones((2, 2)) @ np.full((2, 2), 3.0)
batched = np.arange(24.0).reshape(2, 3, 4) @ np.ones((4, 2))
vec = np.arange(3) @ np.arange(3)
row = [[1, 2]] @ np.ones((2, 1), dtype=np.float32)
reach = np.eye(3, dtype=bool) @ np.tril(np.ones((3, 3), dtype=bool))
inner = np.dot(np.ones(3), np.arange(3.0))
scaled_dot = np.dot(np.ones((2, 3)), 2.0)
mixed = np.ones(3, dtype=np.int64) + np.ones(3, dtype=np.float32)
mixed_mm = np.ones((2, 2), dtype=np.int32) @ np.ones((2, 2), dtype=np.float32)
strong_scalar = np.float64(2.0) * np.ones(2, dtype=np.float32)
small = np.ones(2, dtype=np.uint8) + np.ones(2, dtype=np.int8)
rt = np.result_type(np.int16, np.float16)
print(out.round(4), batched, vec, row, reach, inner, mixed.dtype, mixed_mm.dtype, strong_scalar.dtype, small.dtype, rt, sep="\n")
try:
    np.ones((2, 3)) @ np.ones((2, 2))
except ValueError as e:
    print(e)
try:
    np.ones((2, 2, 3)) @ np.ones((3, 3, 4))
except ValueError as e:
    print(e)
try:
    np.dot(np.ones((2, 3)), np.ones((2, 3)))
except ValueError as e:
    print(e)
bad = np.matmul(np.array(2.0), np.ones(2))
