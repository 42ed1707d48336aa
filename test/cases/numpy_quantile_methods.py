# np.percentile / np.quantile with every method NumPy 2 names: picking a
# pad_sequences maxlen from the lengths' 90th or 95th percentile, the discrete
# methods keeping the int dtype, float32 lanes with NaN, the interpolation=
# keyword NumPy 2.4 removed, and the errors for an unknown method and weights.
import numpy as np

lengths = np.array([3, 7, 7, 12, 5, 9, 30, 4, 8, 11])
methods = ['inverted_cdf', 'averaged_inverted_cdf', 'closest_observation', 'interpolated_inverted_cdf', 'hazen', 'weibull',
           'linear', 'median_unbiased', 'normal_unbiased', 'lower', 'higher', 'midpoint', 'nearest']
p95 = [np.percentile(lengths, 95, method=m) for m in methods]
p50 = [np.percentile(lengths, 50, method=m) for m in methods]
q_arr = [np.quantile(lengths, [0.0, 0.1, 0.25, 0.5, 0.9, 1.0], method=m) for m in methods]
x32 = np.array([[0.5, 2.25, -1.0, 3.5], [1.0, 1.0, 4.0, np.nan]], dtype=np.float32)
q32 = [np.quantile(x32, 0.3, axis=1, method=m) for m in methods]
q32_arr = [np.quantile(x32, np.array([0.3, 0.75]), axis=-1, method=m) for m in methods]
q32_keep = [np.quantile(x32[:, :3], 0.6, axis=0, keepdims=True, method=m) for m in methods]
odd = [np.quantile(np.arange(7), 0.5, method=m) for m in methods]
even = [np.quantile(np.arange(8), 0.5, method=m) for m in methods]
small_q = [np.quantile(np.arange(5.0), 0.05, method=m) for m in methods]
maxlen = int(np.percentile(lengths, 90, method='higher'))
print(maxlen)
try:
    np.quantile(lengths, 0.5, method='median')
except ValueError as e:
    unknown = str(e)
try:
    np.quantile(lengths, 0.5, weights=np.ones(10))
except ValueError as e:
    weighted = str(e)
try:
    np.percentile(lengths, 50, interpolation='nearest')  # removed in NumPy 2.4
except TypeError as e:
    removed = str(e)
