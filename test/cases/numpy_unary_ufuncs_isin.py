# NumPy unary ufuncs masking code calls by name: np.invert / np.bitwise_not of a bool
# mask, np.negative, np.absolute, np.rint (half to even), np.trunc, and np.isin for
# special-token masks (np.isin(ids, special_ids)), np.ravel, np.flatnonzero.
import numpy as np
a = np.array([-2, 0, 3]); f = np.array([-1.5, 0.5, 2.5, -0.0]); m = np.array([True, False, True])
print(repr(np.negative(a)), repr(np.negative(f)), repr(np.negative(2)), repr(np.negative(2.5)))
print(repr(np.positive(a)), repr(np.absolute(a)), repr(np.absolute(f)), repr(np.absolute(-3)))
print(repr(np.invert(m)), repr(np.bitwise_not(a)), repr(np.invert(np.uint8(3))), repr(np.invert(True)))
print(repr(np.rint(f)), repr(np.trunc(f)), repr(np.rint(a)), repr(np.trunc(2.7)))
print(repr(np.isin(np.array([[1, 5], [101, 102]]), [101, 102, 0])), repr(np.isin(3, [1, 3])), repr(np.isin(a, [0], invert=True)))
print(repr(np.ravel(np.arange(6).reshape(2, 3))), repr(np.ravel([[1, 2], [3, 4]])), repr(np.flatnonzero(np.array([[0, 1], [2, 0]]))))
for bad in [lambda: np.negative(m), lambda: np.invert(f)]:
    try:
        bad()
    except TypeError as e:
        print('TypeError', e)
