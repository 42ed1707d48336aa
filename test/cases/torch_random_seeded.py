# Seeded torch.rand / randn / randint, then a random keep-mask from a threshold.
import torch

torch.manual_seed(42)
u = torch.rand(2, 3)
g = torch.randn(3)
ids = torch.randint(1, 10, (2, 4))
keep = torch.rand(2, 4) > 0.3
ids = ids.masked_fill(~keep, 0)
torch.manual_seed(42)
u2 = torch.rand(2, 3)
print(u)
print(g)
print(ids)
print(keep)
print(torch.equal(u, u2))
