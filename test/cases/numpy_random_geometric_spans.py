# np.random.geometric as span masking draws span lengths (SpanBERT, fairseq's span
# masks): legacy RandomState streams, both of NumPy's algorithms (the CDF search for
# p >= 1/3, inversion below), scalars and arrays, broadcasting against size, and the
# draws after it staying in step; then the bad p NumPy refuses.
import numpy as np

np.random.seed(3)
span_lengths = np.random.geometric(0.2, size=5)
one = np.random.geometric(0.5)
per_p = np.random.geometric([0.1, 0.6])
grid = np.random.geometric(0.3, size=(2, 2))
certain = np.random.geometric(1.0, 3)
after = np.random.rand(2)
rs = np.random.RandomState(0)
long_spans = rs.geometric(0.05, 8)
tiny = rs.geometric(1e-4, 4)
seq_len = 20
mask = np.zeros(seq_len, dtype=bool)
start = 0
for length in np.clip(span_lengths, 1, 5):
    start = (start + 3 * int(length)) % seq_len
    mask[start:start + int(length)] = True
print(span_lengths, one, type(one).__name__, per_p, grid.dtype, certain, long_spans, tiny)
for p in [0, 1.5, float("nan"), -1]:
    try:
        np.random.geometric(p)
    except ValueError as e:
        print(e)
