# Decoder mask: padding [B,1,1,T] AND causal [T,T] -> [B,1,T,T], applied to attention scores.
import torch
import torch.nn.functional as F

tokens = torch.tensor([[5, 3, 8, 0], [2, 9, 0, 0]])
pad_mask = (tokens != 0).unsqueeze(1).unsqueeze(2)
T = tokens.size(1)
causal = torch.tril(torch.ones(T, T, dtype=torch.bool))
mask = pad_mask & causal
scores = torch.ones(2, 1, T, T)
weights = F.softmax(scores.masked_fill(mask == 0, -1e9), dim=-1)
print(pad_mask.shape, causal.shape, mask.shape)
print(mask[1, 0])
print(weights[1, 0])
