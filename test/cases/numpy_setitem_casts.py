# NumPy casts what is written into an array to the array's dtype, through a fancy
# index or a boolean mask as through a slice (float -> int truncates, -1 -> uint8
# wraps, int -> bool is != 0): no dtype error as PyTorch's index_put_ raises.
import numpy as np

a = np.zeros((2, 3), dtype=np.int32)
a[[0, 1], [1, 2]] = np.float64(3.7)
b = np.zeros((2, 3), dtype=np.int64)
b[[0, 1], [1, 2]] = np.array([1.5, -2.5])
c = np.zeros((2, 3), dtype=bool)
c[[0, 1], [1, 2]] = np.array([1, 0])
d = np.zeros((2, 3))
d[[0, 1], [1, 2]] = np.array([True, True])
labels = np.zeros((2, 3), dtype=np.int64)
labels[labels == 0] = np.arange(6.0) / 2
e = np.zeros((2, 3), dtype=np.float32)
e[:, [0, 2]] = np.array([[1 / 3, 2.0]])
f = np.zeros((2, 3), dtype=np.uint8)
f[[0], [0]] = np.array([-1])
rows = np.arange(2).reshape(2, 1)
g = np.zeros((2, 4), dtype=np.int32)
g[rows, np.array([[0, -1], [1, 2]])] = np.array([[1.9, 2.5], [3.7, -4.2]])
print(a, b, c, d, labels, e, f, g, sep="\n")

# NumPy's wording for what does not fit: the axis of the array, and a ValueError
z = np.zeros((2, 3))
for bad in [
    lambda: z[5],
    lambda: z[0, 7],
    lambda: z[[0, 1], [3, 0]],
    lambda: z[:, [5]],
]:
    try:
        bad()
    except IndexError as e:
        print(type(e).__name__, e)


def write(key, value):
    z[key] = value


for key, value in [
    ((1, [0, 7]), 1),
    (0, np.ones(2)),
    (([0, 1], [0, 1]), np.ones((2, 2))),
    (([0, 1], [0, 1]), np.ones(3)),
    (np.array([True, False]), np.ones((2, 3))),
    ([0, 1], np.ones((2, 2))),
]:
    try:
        write(key, value)
    except (IndexError, ValueError) as e:
        print(type(e).__name__, e)
z[0] = np.ones((1, 3))
print(z)
