# F.scaled_dot_product_attention (PyTorch 2.x): bool and additive masks, is_causal, a fully masked query row gives 0 (not nan).
import torch
import torch.nn.functional as F

torch.manual_seed(0)
q = torch.randn(1, 2, 3, 4)
k = torch.randn(1, 2, 3, 4)
v = torch.randn(1, 2, 3, 4)
keep = torch.tensor([[True, False, False], [True, True, False], [False, False, False]])
out_bool = F.scaled_dot_product_attention(q, k, v, attn_mask=keep)
additive = torch.zeros(3, 3).masked_fill(~keep, float("-inf"))
out_additive = F.scaled_dot_product_attention(q, k, v, attn_mask=additive)
out_causal = F.scaled_dot_product_attention(q, k, v, is_causal=True)
out_both = F.scaled_dot_product_attention(q, k, v, attn_mask=torch.ones(3, 3, dtype=torch.bool).triu(), is_causal=True)
out_scaled = F.scaled_dot_product_attention(q, k, v, scale=0.5)
out_large_negative = F.scaled_dot_product_attention(q, k, v, attn_mask=torch.zeros(3, 3).masked_fill(~keep, -1e9))
print(out_bool)
print(torch.equal(out_bool, out_additive), torch.isnan(out_bool).any().item())
print(out_large_negative[0, 0, 2])

q64 = q.double()
out_double = F.scaled_dot_product_attention(q64, q64, q64, attn_mask=additive)
try:
    F.scaled_dot_product_attention(q, k, v, attn_mask=keep.long())
except RuntimeError as e:
    mask_dtype_error = str(e)
print(mask_dtype_error)

q_train = q.clone().requires_grad_()
print(F.scaled_dot_product_attention(q_train, k, v, attn_mask=keep).grad_fn.name())
print(F.scaled_dot_product_attention(q_train[0], k[0], v[0]).grad_fn.name())
print(F.scaled_dot_product_attention(q_train[0, 0], k[0, 0], v[0, 0]).grad_fn.name())
try:
    F.scaled_dot_product_attention(q[0], k[0], v[0], attn_mask=keep, is_causal=True)
except RuntimeError as e:
    causal_with_mask_error = str(e)
print(causal_with_mask_error)
