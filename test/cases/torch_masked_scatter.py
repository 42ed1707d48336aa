# masked_scatter writes a flat source into the True positions, in row-major order.
import torch

base = torch.zeros(2, 4)
mask = torch.tensor([[True, False, True, False], [False, True, True, True]])
src = torch.arange(1.0, 9.0).reshape(2, 4)
out = base.masked_scatter(mask, src)
print(out)
base.masked_scatter_(~mask, torch.full((2, 4), -1.0))
print(base)
