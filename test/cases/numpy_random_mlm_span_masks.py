# NumPy random mask builders: an MLM collator's numpy path (legacy
# np.random.binomial / randint, as Hugging Face's DataCollatorForLanguageModeling)
# and wav2vec-style span masks from np.random.default_rng (PCG64: integers,
# choice with and without replacement, permutation, shuffle, binomial, uniform).
import numpy as np

np.random.seed(0)
inputs = np.array([[1, 5, 6, 7, 8, 9, 2, 0], [1, 10, 11, 12, 13, 2, 0, 0]])
labels = inputs.copy()
probability_matrix = np.full(labels.shape, 0.5)
special = labels <= 2  # [PAD], [CLS], [SEP]
probability_matrix[special] = 0
masked_indices = np.random.binomial(1, probability_matrix, size=probability_matrix.shape).astype(bool)
labels[~masked_indices] = -100
indices_replaced = np.random.binomial(1, 0.8, size=labels.shape).astype(bool) & masked_indices
inputs[indices_replaced] = 3
indices_random = np.random.binomial(1, 0.5, size=labels.shape).astype(bool) & masked_indices & ~indices_replaced
random_words = np.random.randint(low=0, high=20, size=np.count_nonzero(indices_random), dtype=np.int64)
inputs[indices_random] = random_words
big = np.random.binomial(200, 0.4, size=5)
legacy_pick = np.random.choice([10, 20, 30], size=4, p=[0.2, 0.3, 0.5])
legacy_perm = np.random.permutation(np.arange(5) * 10)
one = np.random.binomial(3, 0.5)

rng = np.random.default_rng(1234)
span_mask = np.full((2, 12), False)
for i in range(2):
    num_mask = int(0.4 * 12 / 3 + rng.random())
    starts = rng.choice(12 - 3, num_mask, replace=False)
    idc = np.unique(np.asarray([s + k for s in starts for k in range(3)]))
    span_mask[i, idc] = True
keep = rng.binomial(1, [0.9, 0.5, 0.1, 0.7])
token_ids = rng.integers(0, 100, size=(2, 3))
low_high = rng.integers(5, endpoint=True, size=4)
weighted = rng.choice(5, 3, replace=False, p=[0.1, 0.2, 0.3, 0.2, 0.2])
order = rng.permutation(6)
rows = rng.permutation(np.arange(6).reshape(3, 2))
deck = np.arange(7)
rng.shuffle(deck)
noise = rng.uniform(-1.0, 1.0, size=3)
u, first, inverse, counts = np.unique(np.array([[3, 1], [3, 2]]), return_index=True, return_inverse=True, return_counts=True)
print(inputs)
print(labels)
print(span_mask.astype(int))
print(rng.random(), rng.integers(10), rng.choice(4), one, type(one).__name__)
try:
    rng.choice(3, p=[0.5, 0.4, 0.2])
except ValueError as e:
    print(e)
try:
    np.random.binomial(1, 1.5)
except ValueError as e:
    print(e)
for bad in (lambda: rng.choice(2.5), lambda: np.random.choice(2.5), lambda: np.random.rand(-1),
            lambda: np.random.choice([]), lambda: rng.choice([]), lambda: np.random.choice([[1, 2], [3, 4]]),
            lambda: rng.choice(3, 5, replace=False), lambda: np.random.choice(3, 5, replace=False),
            lambda: np.random.permutation(np.array(3)), lambda: rng.shuffle(np.array(3)),
            lambda: np.random.binomial(1, [0.5, 0.2], size=3), lambda: np.random.default_rng(-1)):
    try:
        bad()
    except (ValueError, IndexError, TypeError) as e:
        print(type(e).__name__, e)
# a RandomState object keeps its own stream; Generator.random also draws float32
rs = np.random.RandomState(3)
rs_mask = rs.binomial(1, 0.3, size=(2, 4)).astype(bool)
rs_pick = rs.choice(5, 2, replace=False)
g9 = np.random.default_rng(9)
f32 = g9.random(3, dtype=np.float32)
print(g9.random(dtype=np.float32), rs.rand(2), rs.permutation(4))
# Poisson span lengths (fairseq's mask_type="poisson", BART-style infilling)
span_lengths = rng.poisson(3.0, size=6)
long_spans = np.random.poisson(12.5, size=(2, 3))
print(rng.poisson(2), np.random.poisson(0.5, size=4))
