# Batched causal masks: tril of a bool (B, T, T) tensor, and its complement for masked_fill.
import torch

B, T = 2, 4
causal = torch.tril(torch.ones(B, T, T)).bool()
blocked = ~causal
scores = torch.zeros(B, T, T).masked_fill(blocked, float('-inf'))
print(causal.dtype, causal.shape)
print(causal[0])
print(scores[1])
band = torch.ones(T, T, dtype=torch.bool).triu(-1).tril(1)
print(band)
print(band.sum().item())
