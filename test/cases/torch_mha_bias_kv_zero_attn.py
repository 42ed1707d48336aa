# nn.MultiheadAttention(add_bias_kv=True, add_zero_attn=True): bias_k / bias_v drawn by
# xavier_normal_ after in_proj_weight, one more key column each for bias_kv and the zero
# attention, the masks padded to match; the parameter order of state_dict; kdim/vdim.
import torch
from torch import nn

torch.manual_seed(0)
mha = nn.MultiheadAttention(6, 2, add_bias_kv=True, add_zero_attn=True)
print(list(mha.state_dict().keys()))
print(mha.bias_k, mha.bias_v.shape, mha.add_zero_attn)
x = torch.randn(3, 2, 6)
kpm = torch.tensor([[False, False, True], [False, False, False]])
causal = torch.triu(torch.ones(3, 3, dtype=torch.bool), diagonal=1)
out, weights = mha(x, x, x, key_padding_mask=kpm, attn_mask=causal)
print(weights.shape)
print(weights)
plain = nn.MultiheadAttention(6, 2, add_zero_attn=True)
out2, w2 = plain(x, x, x)
print(w2.shape, plain.bias_k)
same_dims = nn.MultiheadAttention(6, 2, kdim=6, vdim=6)
print(same_dims(x, x, x)[0].shape)
