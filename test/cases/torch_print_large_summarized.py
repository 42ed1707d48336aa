# Printing tensors over 1000 elements: torch summarizes with '...'.
import torch

big = torch.arange(1600.0).reshape(40, 40)
causal = torch.tril(torch.ones(40, 40, dtype=torch.bool))
long_row = torch.arange(1200)
print(big)
print(causal)
print(long_row)
print(causal.sum())
