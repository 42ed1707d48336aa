# Counting with masks: sum of bool is int64, float().mean() is a ratio, count_nonzero.
import torch

mask = torch.tensor([[True, True, False, False], [True, True, True, False]])
total = mask.sum()
per_row = mask.sum(dim=1)
ratio = mask.float().mean()
pads = (mask == 0).sum().item()
nz = torch.count_nonzero(mask, dim=1)
lengths = mask.long().sum(-1)
print(total, total.dtype)
print(per_row, ratio)
print(pads, nz, lengths)
print(mask.int(), mask.long().cumsum(dim=1))
