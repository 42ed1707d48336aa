# NumPy function forms of the ndarray methods (np.any/all/sum/argmax/cumsum/...), np.count_nonzero,
# and the boolean-mask assignment error in NumPy's own words.
import numpy as np
x = np.array([[1, 0, 3], [0, 0, 2]])
print(np.any(x, axis=-1), np.all(x > -1), np.sum(x, axis=0), np.argmax(x, axis=1), np.cumsum(x, axis=1), np.cumsum(x))
print(np.min(x), np.prod(x, axis=1), np.argmin(x), np.mean(x > 0, axis=1), np.count_nonzero(x), np.count_nonzero(x, axis=1))
print(np.copy(x), np.transpose(x), np.reshape(x, (3, 2)), np.amax(x, axis=0), np.nonzero(x), x.nonzero(), np.squeeze(x[None]))
lengths = np.array([3, 1, 2])
mask = np.arange(4)[None, :] < lengths[:, None]
print(mask, np.sum(mask, axis=1), np.cumsum(mask, axis=1), np.any(~mask, axis=1), np.sin(x), np.floor(x / 2))
a = np.arange(6)
a[a > 2] = np.arange(6)
