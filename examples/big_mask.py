# A 1024 x 1024 causal mask and attention-sized scores: the inspector fits
# them to the panel, pooling blocks so that no masked position disappears.
import torch

n = 1024
causal_mask = torch.triu(torch.ones(n, n, dtype=torch.bool), diagonal=1)
positions = torch.arange(n, dtype=torch.float32)
distance = (positions[None, :] - positions[:, None]).abs()
scores = (-distance / 64).masked_fill(causal_mask, float('-inf'))
