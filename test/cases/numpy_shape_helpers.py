# NumPy shape helpers data collators and mask generators call: np.empty_like (shape and
# dtype only: its memory is uninitialised), np.shape / np.size / np.ndim of arrays, lists
# and scalars, np.ascontiguousarray, np.atleast_1d/2d/3d (a tuple for several arguments),
# np.fliplr / np.flipud / np.rot90 (k, axes) and their ValueErrors.
import numpy as np
x = np.arange(6).reshape(2, 3)
e = np.empty_like(x, dtype=np.float32)
print(e.shape, e.dtype, np.empty_like([1.5, 2.5]).dtype, np.empty_like(x, shape=(4,)).shape)
del e
print(np.shape(x), np.shape([[1, 2]]), np.shape(3), np.size(x), np.size(x, 1), np.size(x, -2), np.ndim(x), np.ndim(2.5), np.ndim([[1]]))
c = np.ascontiguousarray(x.T)
c32 = np.ascontiguousarray([1, 2], dtype=np.float32)
c0 = np.ascontiguousarray(5)
print(repr(c), repr(c32), repr(c0), np.ascontiguousarray(x) is x)
a1 = np.atleast_1d(3.0)
a2 = np.atleast_2d([1, 2])
a3 = np.atleast_3d([1, 2])
a3b = np.atleast_3d(x)
pair = np.atleast_1d(1, [2, 3])
print(repr(a1), repr(a2), a3.shape, a3b.shape, np.atleast_3d(7).shape, pair, np.atleast_2d(x) is x)
lr = np.fliplr(x)
ud = np.flipud(x)
r1 = np.rot90(x)
r2 = np.rot90(x, 2)
r3 = np.rot90(x, -1)
r4 = np.rot90(np.arange(8).reshape(2, 2, 2), 1, axes=(1, 2))
print(lr, ud, r1, r2, r3, r4, sep='\n')
print(np.rot90(x, 4) is x, np.flipud([1, 2, 3]))
for bad in [lambda: np.fliplr([1, 2]), lambda: np.flipud(np.float64(1)), lambda: np.rot90([1, 2]),
            lambda: np.rot90(x, axes=(0, 0)), lambda: np.rot90(x, axes=(0, 1, 2)), lambda: np.rot90(x, axes=(0, 5))]:
    try:
        bad()
    except ValueError as err:
        print('ValueError', err)
try:
    np.size(x, 3)
except np.exceptions.AxisError as err:
    print('AxisError', err)
