# NumPy 2.2+ appends shape=(...) to the repr (not the str) of an array summarised with '...'
# (more than 1000 elements), before dtype=; small and empty arrays print as before.
import numpy as np

ids = np.arange(1001)
mask = (np.arange(1020).reshape(30, 34) % 7) == 0
scores = np.linspace(-1, 1, 1010, dtype=np.float32).reshape(2, 505)
small = np.arange(6).reshape(2, 3)
empty = np.zeros((2, 0), dtype=np.int32)
print(repr(ids))
print(repr(mask))
print(repr(scores))
print(repr(small), repr(empty), repr(np.zeros(0)))
print(ids)
print([mask[:1, :3], ids[:2]])
print(repr(np.ones(1001, dtype=np.uint8)), repr(np.ones(1000, dtype=np.uint8)))
