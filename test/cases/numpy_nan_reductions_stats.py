# NumPy nan-reductions and statistics d2l and mask-ratio code calls: np.nansum / nanmean /
# nanmax / nanmin (the RuntimeWarnings of empty and all-NaN slices) / nanargmax / nanargmin,
# np.median, np.percentile and np.quantile (linear method, float32 kept with a scalar q),
# np.average (weights=, returned=) and np.ptp, with NumPy's errors.
import numpy as np
a = np.array([[1., np.nan, 3.], [np.nan, np.nan, np.nan], [0.1, 0.2, np.nan]])
ns = np.nansum(a)
ns1 = np.nansum(a, axis=1)
nm = np.nanmean(a, axis=1)
nmx = np.nanmax(a, axis=1)
nmn = np.nanmin(a, axis=0, keepdims=True)
print(repr(ns), repr(ns1), repr(nm), repr(nmx), repr(nmn), repr(np.nanmin(a)))
print(repr(np.nanargmax(a[0])), repr(np.nanargmin(a[2])), repr(np.nanargmax(a[[0, 2]], axis=1)), repr(np.nanargmin(a)))
print(repr(np.nanmean([1, 2])), repr(np.nansum([1, 2])), repr(np.nanmax([1, 2])), repr(np.nanmean(np.array([1, np.nan, 0.3], dtype=np.float32))))
r = np.random.RandomState(0).rand(5, 7)
med = np.median(r, axis=0)
print(repr(np.median([3, 1, 2, 4])), repr(np.median([1., np.nan])), repr(np.median(np.array([1, 2, 3], dtype=np.float32))), repr(med), repr(np.median(r)))
q = np.quantile(r, [0.1, 0.5, 0.9], axis=1)
p = np.percentile(r, 33.3, axis=0, keepdims=True)
print(repr(q), repr(p))
print(repr(np.quantile(np.array([1, 2, 3, 4], dtype=np.float32), 0.3)), repr(np.quantile(np.array([1, 2, 3, 4], dtype=np.float32), [0.3])))
print(repr(np.percentile([1, 2, 3, 4], [10, 50, 90])), repr(np.quantile([[1, 2], [3, 4]], 0.5, axis=0)), repr(np.percentile([1, 2, 3, 4], 33.3)), repr(np.quantile(r, 1.0)))
avg = np.average(r, axis=1, weights=np.arange(1, 8))
print(repr(np.average([1, 2, 3])), repr(np.average([1, 2, 3], weights=[3, 2, 1])), repr(np.average([[1, 2], [3, 4]], axis=1, weights=[1, 3])), repr(avg))
print(repr(np.average([1, 2], weights=[1, 1], returned=True)), repr(np.average(r, weights=r)))
print(repr(np.ptp([[3, 1], [7, 2]], axis=0)), repr(np.ptp(np.array([250, 3], dtype=np.uint8))), repr(np.ptp(r)))
for bad in [lambda: np.nanargmax([np.nan]), lambda: np.quantile([1, 2], 1.5), lambda: np.percentile([1, 2], -1),
            lambda: np.average([[1, 2]], axis=0, weights=[1, 2])]:
    try:
        bad()
    except ValueError as err:
        print('ValueError', err)
for bad in [lambda: np.average([[1, 2]], weights=[1, 2]), lambda: np.average([1, 2], weights=[1])]:
    try:
        bad()
    except TypeError as err:
        print('TypeError', err)
try:
    np.average([1, 2], weights=[1, -1])
except ZeroDivisionError as err:
    print('ZeroDivisionError', err)
