# nn.MultiheadAttention with a bool causal attn_mask and a bool key_padding_mask (True = not allowed).
import torch
import torch.nn as nn

torch.manual_seed(0)
mha = nn.MultiheadAttention(embed_dim=4, num_heads=2, batch_first=True)
x = torch.randn(2, 3, 4)
causal = torch.triu(torch.ones(3, 3, dtype=torch.bool), diagonal=1)
kpm = torch.tensor([[False, False, False], [False, False, True]])
with torch.no_grad():
    out, weights = mha(x, x, x, attn_mask=causal, key_padding_mask=kpm)
    out2, w_heads = mha(x, x, x, key_padding_mask=kpm, average_attn_weights=False)
print(out.shape, weights.shape, w_heads.shape)
print(weights)
print(w_heads[1])
print(out)
