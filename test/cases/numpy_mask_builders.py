# NumPy functions mask tutorials build masks with: np.finfo(...).min as the
# additive mask value, logical_and / logical_or / logical_xor, isinf /
# isfinite on masked scores, broadcast_to, full_like, linspace, flip, square,
# power, vstack / hstack, outer, sign, identity, argwhere and the
# triu/tril index helpers.
import numpy as np

lengths = np.array([3, 5, 2])
positions = np.arange(5)
keep = positions[None, :] < lengths[:, None]
causal = np.tril(np.ones((5, 5), dtype=bool))
both = np.logical_and(keep[:, None, :], causal[None])
either = np.logical_or(keep[0], ~keep[2])
differs = np.logical_xor(keep[0], keep[1])
neg = np.finfo(np.float32).min
bias = np.where(both, 0.0, neg).astype(np.float32)
scores = np.where(both, np.linspace(-1, 1, 5), -np.inf)
finite = np.isfinite(scores)
infinite = np.isinf(scores).sum()
heads = np.broadcast_to(causal, (2, 5, 5))
pad_fill = np.full_like(lengths, 7)
reversed_keep = np.flip(keep, axis=1)
all_flipped = np.flip(causal)
sq = np.square(np.arange(4))
pw = np.power(2.0, np.arange(4))
stacked = np.vstack([keep[0], keep[1]])
joined = np.hstack([lengths, lengths])
pair = np.outer(keep[0], keep[2])
signs = np.sign(np.array([-2.5, 0.0, 3.0]))
eye = np.identity(3, dtype=np.int64)
where_masked = np.argwhere(~keep)
rows, cols = np.triu_indices(4, k=1)
lrows, lcols = np.tril_indices(3)
info = np.finfo(np.float16)
int_max = np.iinfo(np.int32).max
print(neg, type(neg), info.min == -65504, info.eps, np.finfo(np.float64).tiny, int_max, np.iinfo(np.uint8).min)
print(bias[1], scores[2], finite.sum(), infinite, heads.shape, pad_fill, reversed_keep, all_flipped.astype(int), sq, pw, sep="\n")
print(stacked, joined, pair, signs, eye, where_masked, rows, cols, lrows, lcols, np.linspace(0, 1, 4, endpoint=False), sep="\n")
bad = np.finfo(np.int64)
