# masked_fill with a [B,1,T] key mask broadcast over [B,T,T] scores, then softmax.
import torch
import torch.nn.functional as F

torch.manual_seed(0)
scores = torch.randn(2, 3, 3)
lengths = torch.tensor([3, 2])
key_mask = torch.arange(3)[None, :] >= lengths[:, None]  # True = padding
masked = scores.masked_fill(key_mask.unsqueeze(1), -1e9)
probs = F.softmax(masked, dim=-1)
print(key_mask)
print(masked)
print(probs)
print(probs.sum(dim=-1))
