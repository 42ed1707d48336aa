# A 1024 x 1024 causal mask and attention-sized scores: the inspector fits
# them to the panel, pooling blocks so that no masked position disappears.
import torch

torch.manual_seed(0)
n = 1024
causal_mask = torch.triu(torch.ones(n, n, dtype=torch.bool), diagonal=1)
scores = torch.rand(n, n).masked_fill(causal_mask, float('-inf'))
