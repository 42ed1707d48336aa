# A [B,1,1,T] key padding mask broadcast over [B,H,T,T] scores (True = ignore).
import torch
import torch.nn.functional as F

torch.manual_seed(0)
B, H, T = 2, 2, 3
scores = torch.randn(B, H, T, T)
key_padding_mask = torch.tensor([[False, False, True], [False, True, True]])
expanded = key_padding_mask[:, None, None, :]
attn = F.softmax(scores.masked_fill(expanded, float('-inf')), dim=-1)
avg = attn.mean(dim=1)
print(expanded.shape)
print(attn[1])
print(avg)
