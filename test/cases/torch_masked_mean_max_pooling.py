# Masked mean and masked max pooling over time, with clamp to avoid dividing by zero.
import torch

h = torch.tensor([[[1.0, 2.0], [3.0, 4.0], [9.0, 9.0]], [[5.0, -1.0], [7.0, 7.0], [7.0, 7.0]]])
lengths = torch.tensor([2, 1])
mask = torch.arange(h.size(1))[None, :] < lengths[:, None]
m = mask.unsqueeze(-1)
mean = (h * m).sum(1) / m.sum(1).clamp(min=1)
mx = h.masked_fill(~m, float('-inf')).max(dim=1).values
empty_mask = torch.zeros(1, 3, 1, dtype=torch.bool)
safe_mean = (h[:1] * empty_mask).sum(1) / empty_mask.sum(1).clamp(min=1)
print(mean)
print(mx)
print(safe_mean)
