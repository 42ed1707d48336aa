# Seeded NumPy random arrays handed to torch with torch.from_numpy (float64 stays float64).
import numpy as np
import torch

r = np.random.rand(2, 3)
np.random.seed(42)
n = np.random.randn(3)
ints = np.random.randint(0, 10, size=(2, 4))
u = np.random.random((2, 2))
t = torch.from_numpy(r)
t32 = torch.from_numpy(r).float()
ti = torch.from_numpy(ints)
mask = torch.from_numpy(ints > 4)
print(r)
print(n)
print(ints, ints.dtype)
print(t.dtype, t32.dtype, ti.dtype, mask.dtype)
print(t32)
print(mask)
