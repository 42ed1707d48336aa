# NumPy array functions masking code calls: einsum (any operand count, '...', implicit
# output, sublists), var/std (ddof, axis, keepdims; pairwise sums), sort/argsort (NaN
# last), split/array_split, diag, take, take_along_axis, cumprod, diff, moveaxis,
# nan_to_num, np.linalg.norm, pad, roll, meshgrid, and the errors of bad calls.
import numpy as np

rng = np.random.default_rng(3)
q = rng.standard_normal((2, 3, 4))
k = rng.standard_normal((2, 5, 4))
scores = np.einsum('bqd,bkd->bqk', q, k) / np.sqrt(4)
lengths = np.array([3, 5])
key_mask = np.arange(5)[None, :] < lengths[:, None]
masked = np.where(key_mask[:, None, :], scores, -np.inf)
trace = np.einsum('ii', np.arange(9).reshape(3, 3))
diag_e = np.einsum('ii->i', np.arange(9).reshape(3, 3))
dot = np.einsum('i,i', np.array([1, 2, 3]), np.array([4, 5, 6]))
outer_b = np.einsum('i,j->ij', np.array([True, False]), np.array([True, True]))
chain = np.einsum('ij,jk,kl->il', np.ones((2, 3)), np.ones((3, 4)), np.ones((4, 2)))
ell = np.einsum('b...d,b...d->b...', q, q)
implicit = np.einsum('ji', np.arange(6).reshape(2, 3))
sub = np.einsum(np.arange(6).reshape(2, 3), [0, 1], [1])
col32 = np.einsum('ij->j', np.arange(6, dtype=np.float32).reshape(2, 3))

x = rng.standard_normal((4, 37))
x32 = x.astype(np.float32)
total, row_sums, total32 = x.sum(), x.sum(axis=1), x32.sum()
v_all, s_ddof = np.var(x), np.std(x, ddof=1)
v_rows, s_cols32 = np.var(x, axis=1), np.std(x32, axis=0)
v_keep = x.var(axis=(0, 1), keepdims=True)
v_int, s_bool = np.var(np.arange(10)), np.std(np.array([True, False, True]))
m32 = x32.mean()
print(repr(total), repr(total32), repr(v_all), repr(s_ddof), repr(m32), v_int, s_bool)

s = np.array([[3.0, np.nan, 1.0, 2.0], [np.nan, -1.0, 0.0, -0.5]])
sorted_rows, order_rows = np.sort(s), np.argsort(s)
sorted_cols, sorted_flat, order_flat = np.sort(s, axis=0), np.sort(s, axis=None), np.argsort(s, axis=None)
inplace = np.array([[5, 2, 9], [1, 7, 3]])
inplace[:, 1:].sort(axis=1)
stable = np.argsort(np.array([2, 1, 2, 1, 0]), kind='stable')
topk = np.argsort(-masked[0, 0])[:2]

parts = np.array_split(np.arange(7), 3)
halves = np.split(np.arange(6).reshape(2, 3), [1, 5], axis=1)
below = np.diag(np.arange(9).reshape(3, 3), -1)
square = np.diag([1.5, 2.0], 1)
taken = np.take(np.arange(10) * 2, [[1, 2], [3, -1]])
cols = np.take(np.arange(6).reshape(2, 3), [2, 0], axis=1)
one = np.arange(5).take(3)
wrapped, clipped = np.take([1, 2, 3], [5, -5], mode='wrap'), np.take([1, 2, 3], [5, -5], mode='clip')
probs = np.array([[0.1, 0.7, 0.2], [0.5, 0.3, 0.9]])
ranked = np.take_along_axis(probs, np.argsort(probs, axis=1), axis=1)
best = np.take_along_axis(probs, np.argmax(probs, axis=1)[:, None], axis=1)
cp, cp_rows, cp_bool = np.cumprod([1, 2, 3, 4]), np.array([[1, 2], [3, 4]]).cumprod(axis=1), np.cumprod(np.array([True, True, False]))
cp32 = np.cumprod(np.array([1.5, 2.5, 0.1], dtype=np.float32))
d1, d2 = np.diff([1, 4, 9, 16]), np.diff([1, 4, 9, 16], n=2)
d_axis0 = np.diff(np.array([[1, 3, 6], [0, 5, 5]]), axis=0)
boundaries = np.diff(np.array([True, True, False, False, True]))
d_pre, d_app = np.diff([1, 2, 4], prepend=0), np.diff([1, 2, 4], append=[10, 20])
moved = np.moveaxis(np.arange(24).reshape(2, 3, 4), 0, -1)
moved2 = np.moveaxis(np.zeros((2, 3, 4)), [0, 1], [-1, -2]).shape
clean = np.nan_to_num(np.array([np.nan, np.inf, -np.inf, 1.0]))
clean32 = np.nan_to_num(np.array([np.nan, np.inf], dtype=np.float32), nan=-1, posinf=9)
clean_scalar = np.nan_to_num(np.nan)
softmax_rows = np.exp(masked - masked.max(-1, keepdims=True))
softmax_rows = np.nan_to_num(softmax_rows / softmax_rows.sum(-1, keepdims=True))

vec = np.array([3.0, -4.0, 12.0])
mat = np.array([[1, -2], [3, 4]])
n2, n1, ninf, n0, n3 = np.linalg.norm(vec), np.linalg.norm(vec, 1), np.linalg.norm(vec, np.inf), np.linalg.norm(vec, 0), np.linalg.norm(vec, 3)
fro, m1, minf = np.linalg.norm(mat), np.linalg.norm(mat, 1), np.linalg.norm(mat, np.inf)
row_norms, col_norms = np.linalg.norm(mat, axis=1), np.linalg.norm(mat, axis=0, keepdims=True)
unit = q / np.linalg.norm(q, axis=-1, keepdims=True)

padded = np.pad(np.array([[1, 2], [3, 4]]), 1)
padded_ends = np.pad(np.array([1, 2, 3]), (2, 1), constant_values=(-1, 9))
corners = np.pad(np.array([[1, 2], [3, 4]]), ((0, 1), (2, 0)), constant_values=((5, 6), (7, 8)))
reflect, symmetric, wrap = np.pad(np.array([1, 2, 3]), 5, mode='reflect'), np.pad(np.array([1, 2, 3]), 4, mode='symmetric'), np.pad(np.array([1, 2, 3]), 4, mode='wrap')
edge = np.pad(np.array([[1, 2], [3, 4]]), 1, mode='edge')
mask_pad = np.pad(key_mask, ((0, 0), (0, 2)), constant_values=False)
rolled, rolled_neg = np.roll(np.arange(10), 2), np.roll(np.arange(10), -12)
rolled2 = np.roll(np.arange(6).reshape(2, 3), (1, 1), axis=(0, 1))
rolled_flat = np.roll(np.arange(6).reshape(2, 3), 1)
gx, gy = np.meshgrid(np.arange(3), np.array([10.0, 20.0]))
gi, gj = np.meshgrid(np.arange(3), np.arange(2), indexing='ij')
band = np.abs(gi - gj) <= 1
sparse = np.meshgrid(np.arange(2), np.arange(3), sparse=True)
heads = np.repeat(np.array([[1, 2, 3]]), [2], axis=0)
spans = np.repeat(np.array([1, 2, 3]), [1, 0, 2])
rows2 = np.repeat(np.arange(6).reshape(2, 3), [1, 2], axis=0)
grid, step = np.linspace(0, 1, 4, retstep=True, endpoint=False)
a6 = np.arange(6).reshape(2, 3)
none_taken, float_list = np.take(a6, []), np.take(a6, [1.5, 2.0])
rolled_twice = np.roll(np.arange(5), [1, 2])
print(sorted_flat, stable, parts, halves, best, clean, n3, m1, corners, band, spans, step, sep='\n')

a = np.arange(6).reshape(2, 3)
bad_calls = [
    lambda: np.einsum('ij,jk->ik', a),
    lambda: np.einsum('ij->ij', a, a),
    lambda: np.einsum('i->i', a),
    lambda: np.einsum('ij,jk->ik', a, a),
    lambda: np.einsum('ij->k', a),
    lambda: np.einsum('ii->i', a),
    lambda: np.einsum('ij-<k', a),
    lambda: np.einsum('i1', a),
    lambda: np.var(a, axis=2),
    lambda: np.split(a, 2, axis=1),
    lambda: np.array_split(a, 0),
    lambda: np.split(a, 2, axis=2),
    lambda: np.diag(np.ones((2, 2, 2))),
    lambda: np.take(a, 6),
    lambda: np.take(a, [0, -7]),
    lambda: np.take(a, [1], axis=2),
    lambda: np.take_along_axis(a, np.array([0, 1]), axis=1),
    lambda: np.take_along_axis(a, np.array([[3]]), axis=1),
    lambda: np.take_along_axis(a, np.array([[0.5]]), axis=1),
    lambda: np.take_along_axis(a, np.array([[0, 1, 2, 0]]), axis=None),
    lambda: np.cumprod(a, axis=2),
    lambda: np.diff(a, n=-1),
    lambda: np.diff(np.array(3)),
    lambda: np.moveaxis(a, 0, 2),
    lambda: np.moveaxis(a, [0, 1], [1]),
    lambda: np.moveaxis(a, [0, 0], [0, 1]),
    lambda: np.linalg.norm(a, ord='fro', axis=0),
    lambda: np.linalg.norm(np.ones((2, 2, 2)), ord=2),
    lambda: np.pad(a, ((1, 2), (1, 2), (1, 2))),
    lambda: np.pad(a, -1),
    lambda: np.pad(a, 1, mode='foo'),
    lambda: np.pad(a, 1, mode='edge', constant_values=1),
    lambda: np.pad(np.ones((0,)), 1, mode='reflect'),
    lambda: np.roll(a, 1, axis=3),
    lambda: np.meshgrid(a, a, indexing='foo'),
    lambda: np.sort(a, axis=2),
    lambda: np.argsort(a, kind='foo'),
    lambda: np.repeat(np.array([1, 2, 3]), [1, 2]),
    lambda: np.repeat(np.array([1, 2, 3]), [1, -1, 2]),
    lambda: np.broadcast_to(np.arange(3), (2, 4)),
    lambda: np.broadcast_to(np.ones((2, 3)), (3,)),
    lambda: np.take(a, np.array([1.0])),
]
for call in bad_calls:
    try:
        call()
    except Exception as e:
        print(type(e).__name__, e)
