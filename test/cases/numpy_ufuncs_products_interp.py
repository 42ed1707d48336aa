# More NumPy ufuncs and products tutorial and positional-encoding code calls: np.arctan2,
# np.hypot, np.log2 / log10 / exp2 (ints through float16/float64), np.reciprocal, np.left_shift /
# right_shift, np.logspace, np.tensordot, np.kron, np.trace, np.vdot, np.inner, np.interp and
# np.convolve (full / same / valid), with NumPy's dtypes and errors.
import numpy as np
x = np.array([0.3, 1.7, 5., 1e-3])
f32 = x.astype(np.float32)
r64 = np.random.RandomState(1).rand(40) * 10
at = np.arctan2(x, [1., -2., 0.5, -1e-3])
at32 = np.arctan2(f32, 1)
hy = np.hypot(x, 2)
# float32 transcendentals: NumPy's SIMD kernels may differ from Mask Lens in the last float32 digit
print(repr(at), repr(np.arctan2(1, 2)), at32.dtype, repr(np.hypot(3, 4)), repr(hy), np.hypot(r64, 1.3).tolist())
del at32
l2, l10, e2 = np.log2(x), np.log10(x), np.exp2(x)
print(repr(l2), repr(l10), repr(e2), repr(np.log2(8)), repr(np.log10(np.arange(1, 4))), repr(np.exp2(np.arange(3))), np.log2(f32).dtype)
print(repr(np.log2(np.array([2, 4], dtype=np.int8))), repr(np.exp2(np.array([1, 3], dtype=np.int16))))
r = np.random.RandomState(0).rand(50) * 10
lr, er, ar = np.log2(r), np.log10(r), np.exp2(r)
print(repr(np.reciprocal(x)), repr(np.reciprocal(np.array([1, 2, -1]))), repr(np.reciprocal(2.0)))
print(repr(np.left_shift(1, [0, 3, 62])), repr(np.right_shift(np.array([16, -16]), 2)), repr(np.left_shift(np.uint8(255), 1)), repr(np.left_shift(np.array([1], dtype=np.int8), 7)))
ls = np.logspace(0, 3, 4)
print(repr(ls), repr(np.logspace(0, 1, 5, base=2)), repr(np.logspace(1, 2, 3, endpoint=False)))
a = np.arange(24.).reshape(2, 3, 4)
b = np.arange(12.).reshape(4, 3)
td = np.tensordot(a, b, axes=([1, 2], [1, 0]))
print(repr(td), np.tensordot(a, a, axes=0).shape, repr(np.tensordot([1, 2], [3, 4], axes=1)), repr(np.tensordot(np.eye(2), np.ones((2, 2)))))
kr = np.kron([1, 10], [[1, 2], [3, 4]])
print(repr(kr), repr(np.kron(np.eye(2, dtype=int), [1, 2])), repr(np.trace(np.arange(9).reshape(3, 3))), repr(np.trace(np.arange(9.).reshape(3, 3), offset=1)), repr(np.trace(a)))
print(repr(np.vdot([1, 2], [3, 4])), repr(np.vdot(np.ones((2, 2)), np.ones(4))), repr(np.inner([1, 2], [3, 4])), repr(np.inner(np.ones((2, 3)), np.arange(6).reshape(2, 3))), repr(np.inner(2, [1, 2])))
it = np.interp([0, 1.5, 5], [1, 2, 3], [3, 2, 0])
print(repr(np.interp(2.5, [1, 2, 3], [3, 2, 0])), repr(it), repr(np.interp([0, 5], [1, 2, 3], [3, 2, 0], left=-1, right=9)), repr(np.interp(r[:5], np.arange(10), np.sqrt(np.arange(10.)))))
cf = np.convolve([1, 2, 3], [0, 1, 0.5])
print(repr(cf), repr(np.convolve([1, 2, 3], [0, 1, 0.5], 'same')), repr(np.convolve([1, 2, 3], [0, 1, 0.5], mode='valid')), repr(np.convolve([1, 2], [1, 2, 3, 4], 'valid')), repr(np.convolve([1, 2, 3], [1, 1])))
for bad in [lambda: np.tensordot(a, b, axes=([1], [0])), lambda: np.convolve([], [1]), lambda: np.convolve([1], [1], 'bad'),
            lambda: np.interp([1], [1, 2], [1]), lambda: np.inner([1, 2], [1, 2, 3]), lambda: np.trace([1, 2]), lambda: np.interp(1, [], []),
            lambda: np.arctan2([1, 2], [1, 2, 3]), lambda: np.left_shift([1, 2], [1, 2, 3])]:
    try:
        bad()
    except ValueError as err:
        print('ValueError', err)
try:
    np.left_shift(1.5, 1)
except TypeError as err:
    print('TypeError', err)
