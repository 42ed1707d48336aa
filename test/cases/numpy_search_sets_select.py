# NumPy searching, counting and set routines mask generators and collators call:
# np.searchsorted (side=, sorter=, NaN last), np.bincount (weights=, minlength=),
# np.digitize (increasing or decreasing bins, right=), np.setdiff1d / union1d /
# intersect1d (return_indices=) / setxor1d (assume_unique=), np.select, np.choose (modes).
import numpy as np
a = np.array([1, 2, 2, 3, 5])
s0 = np.searchsorted(a, 2)
s1 = np.searchsorted(a, [2, 4, 9], side='right')
s2 = np.searchsorted([3, 1, 2], [2, 3], sorter=[1, 2, 0])
s3 = np.searchsorted([1, np.nan], [np.nan, 2])
print(repr(s0), repr(s1), repr(s2), repr(s3), repr(np.searchsorted(a, 2.5)), repr(np.searchsorted([1., 2.], [[1.5, 2]])))
b0 = np.bincount([0, 1, 1, 3])
b1 = np.bincount([0, 1, 1], weights=[0.5, 1.5, 2], minlength=5)
b2 = np.bincount(np.array([], dtype=int), minlength=2)
print(repr(b0), repr(b1), repr(b2), repr(np.bincount([True, False, True])))
d0 = np.digitize([0.5, 1, 2.5, 4], [1, 2, 3])
d1 = np.digitize([0.5, 1, 2.5, 4], [1, 2, 3], right=True)
d2 = np.digitize([1, 2, 0.5], [3, 2, 1])
print(repr(d0), repr(d1), repr(d2), repr(np.digitize(2.5, [1, 2, 3])), repr(np.digitize([np.nan, 1], [0., 2.])))
u = np.union1d([3, 1], [2, 1.5])
sd = np.setdiff1d([5, 1, 3, 3], [3])
sd2 = np.setdiff1d(np.array([[3, 1], [2, 9]]), [9])
i0 = np.intersect1d([1, 3, 4, 3], [3, 1, 2, 1])
i1, ia, ib = np.intersect1d([1, 2, 3], [2, 3, 4], return_indices=True)
x0 = np.setxor1d([3, 3, 1], [1, 2])
print(repr(u), repr(sd), repr(sd2), repr(i0), repr(i1), repr(ia), repr(ib), repr(x0))
print(repr(np.setdiff1d([1, 2], [2], assume_unique=True)), repr(np.setxor1d([1, 2, 3], [2, 3, 4], assume_unique=True)), np.union1d(np.arange(3, dtype=np.int8), [1]).dtype)
x = np.arange(6)
sel = np.select([x < 2, x > 3], [x, x ** 2])
sel2 = np.select([x < 2], [x * 1.5], default=-1)
sel3 = np.select([x < 1], [x.astype(np.int8)])
ch = np.choose([0, 1, 2, 1], [[1, 2, 3, 4], [10, 20, 30, 40], [100, 200, 300, 400]])
chw = np.choose([0, 1, 2, 5], [[1], [2], [3]], mode='wrap')
chc = np.choose([0, -1, 2, 5], [[1], [2], [3]], mode='clip')
print(repr(sel), repr(sel2), sel3.dtype, repr(ch), repr(chw), repr(chc), repr(np.choose(1, [5, 6])), repr(np.select([[True, False]], [[1, 2]], default=0.5)))
for bad in [lambda: np.bincount([-1]), lambda: np.bincount([[1]]), lambda: np.bincount([1], minlength=-1),
            lambda: np.bincount([1, 2], weights=[1]), lambda: np.digitize([1], [1, 3, 2]), lambda: np.select([x < 2], [x, x]),
            lambda: np.choose([3], [[1], [2]]), lambda: np.searchsorted(a, 1, side='middle'), lambda: np.select([], []),
            lambda: np.choose([0, 1], [1, 2], mode='bad'), lambda: np.select([x < 2, x[:3] > 0], [x, x]),
            lambda: np.choose([0, 1, 0], [[1, 2], [3, 4]])]:
    try:
        bad()
    except ValueError as err:
        print('ValueError', err)
try:
    np.select([x], [x])
except TypeError as err:
    print('TypeError', err)
