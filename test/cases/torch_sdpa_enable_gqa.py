# F.scaled_dot_product_attention(..., enable_gqa=True): grouped-query
# attention, each key/value head shared by q_heads // kv_heads query heads,
# equal to repeating the key/value heads (Llama's repeat_kv); kv heads that do
# not divide the query heads are a RuntimeError.
import torch
import torch.nn.functional as F

torch.manual_seed(0)
q = torch.randn(2, 4, 5, 8)
k = torch.randn(2, 2, 5, 8)
v = torch.randn(2, 1, 5, 8)
pad = torch.tensor([[True, True, True, False, False], [True] * 5])
mask = pad[:, None, None, :] & torch.ones(5, 5, dtype=torch.bool).tril()
out = F.scaled_dot_product_attention(q, k, v, attn_mask=mask, enable_gqa=True)
k_rep = k.repeat_interleave(2, dim=1)
v_rep = v.expand(2, 4, 5, 8)
ref = F.scaled_dot_product_attention(q, k_rep, v_rep, attn_mask=mask)
same = torch.allclose(out, ref, atol=1e-6)
unbatched = F.scaled_dot_product_attention(q[0], k[0], v[0], is_causal=True, enable_gqa=True)
print(out.shape, unbatched.shape, same)
bad = F.scaled_dot_product_attention(q, torch.randn(2, 3, 5, 8), torch.randn(2, 3, 5, 8), enable_gqa=True)
