# nn.MultiheadAttention: a sequence whose keys are all padding yields nan outputs.
import torch
import torch.nn as nn

torch.manual_seed(0)
mha = nn.MultiheadAttention(embed_dim=2, num_heads=1)
x = torch.randn(3, 2, 2)  # (L, N, E): batch_first=False
kpm = torch.tensor([[False, True, True], [True, True, True]])
with torch.no_grad():
    out, w = mha(x, x, x, key_padding_mask=kpm)
print(w)
print(torch.isnan(out).all(dim=-1))
