# Embedding(max_norm=...) renormalises the rows each lookup reads, in place (torch.embedding_renorm_), before
# returning them: later lookups and the weight itself see the scaled rows; F.embedding(max_norm=...) alike.
# The repr lists max_norm, norm_type, scale_grad_by_freq and sparse when set.
import torch
import torch.nn as nn
import torch.nn.functional as F
torch.manual_seed(0)
e = nn.Embedding(5, 3, max_norm=1.0)
first = e(torch.tensor([1, 2, 1]))
norms = (e.weight ** 2).sum(1).sqrt()
print(first, norms)
e1 = nn.Embedding(4, 3, max_norm=0.5, norm_type=1.0, padding_idx=0)
print(e1, e1(torch.tensor([[0, 3], [3, 2]])), e1.weight.abs().sum(1))
w = torch.randn(4, 2) * 3
out = F.embedding(torch.tensor([0, 2]), w, max_norm=2.0)
print(out, w)
print(nn.Embedding(5, 3, scale_grad_by_freq=True), nn.Embedding(5, 3, sparse=True, max_norm=2))
