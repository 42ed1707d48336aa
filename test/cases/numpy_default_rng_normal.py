# np.random.default_rng(seed).standard_normal / .normal (PCG64 + NumPy's ziggurat, float64
# and float32) for random attention scores and noise, mixed with random() and integers()
# on the same generator, a random keep-mask, and the errors of bad calls.
import numpy as np

rng = np.random.default_rng(0)
scores = rng.standard_normal((2, 4, 4))
noise32 = rng.standard_normal((3, 5), dtype=np.float32)
u = rng.random(3)
z = rng.standard_normal()
shifted = rng.normal(2.0, 3.0, size=(2, 3))
per_row = rng.normal([0.0, 10.0], [1.0, 0.5])
scalar = rng.normal()
ids = rng.integers(0, 10, size=4)
half32 = rng.standard_normal(3, dtype=np.float32)
keep = rng.standard_normal((4, 6)) > 0.5
scores = np.where(np.tril(np.ones((4, 4), dtype=bool)), scores, -np.inf)
many = np.random.default_rng(42).standard_normal(1500)
stats = (many.mean(), many.std(), many.min(), many.max())
print(scores[0], noise32, z, scalar, type(z).__name__, shifted.dtype, half32.dtype, stats, sep='\n')
for call in (lambda: rng.normal(0, -1), lambda: rng.standard_normal(2, dtype=np.int32)):
    try:
        call()
    except Exception as e:
        print(type(e).__name__, e)
