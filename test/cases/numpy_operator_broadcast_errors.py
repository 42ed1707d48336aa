# Arrays that do not broadcast, through the operators, the comparisons, the
# ufunc forms and an in-place operator: NumPy's ValueError "operands could not
# be broadcast together with shapes ...", naming the output for in-place ops.
# A padding mask [B, T] against scores [B, H, T, T] without the unsqueeze is
# the usual way to get there.
import numpy as np

lengths = np.array([3, 2])
mask = np.arange(4)[None, :] < lengths[:, None]          # [2, 4]
scores = np.zeros((2, 3, 4, 4))

errors = []
for f in (
    lambda: np.where(mask, scores, -1e9),
    lambda: scores + np.ones((3, 4)).T,
    lambda: np.ones(2) < np.ones((3, 1, 4)),
    lambda: np.less(np.ones(2), np.ones(3)),
    lambda: np.add(np.ones(2), np.ones(3)),
    lambda: np.ones((2, 3)) * np.ones((4, 3)) + 1,
):
    try:
        f()
    except ValueError as e:
        errors.append(str(e))
        print(type(e).__name__, e)

acc = np.ones(2)
try:
    acc += np.ones(3)
except ValueError as e:
    print(type(e).__name__, e)

ok = np.where(mask[:, None, None, :], scores, -1e9)
print(ok.shape)
