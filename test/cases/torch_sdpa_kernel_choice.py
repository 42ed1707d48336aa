# Which kernel F.scaled_dot_product_attention runs on the CPU decides its grad_fn and whether is_causal may be
# combined with attn_mask: the flash kernel needs no dropout, 4-D query/key/value with equal batch, heads and
# head dims, a last-dim stride of 1, and no mask or a 2-D / 4-D one that needs no grad (sdp_utils_cpp).
# Everything else runs the math path (UnsafeViewBackward0), which rejects is_causal with a mask.
import torch
import torch.nn.functional as F

torch.manual_seed(0)
q = torch.randn(1, 2, 3, 4, requires_grad=True)
k = torch.randn(1, 2, 5, 4)
v = torch.randn(1, 2, 5, 4)
print(F.scaled_dot_product_attention(q, k, v).grad_fn.name())
print(F.scaled_dot_product_attention(q, k, v, attn_mask=torch.ones(2, 3, 5, dtype=torch.bool)).grad_fn.name())
print(F.scaled_dot_product_attention(q, k, torch.randn(1, 2, 5, 6)).grad_fn.name())
print(F.scaled_dot_product_attention(q, k, v, attn_mask=torch.ones(3, 5, dtype=torch.bool), is_causal=True).grad_fn.name())
print(F.scaled_dot_product_attention(q, k.transpose(-1, -2).contiguous().transpose(-1, -2), v).grad_fn.name())
print(F.scaled_dot_product_attention(q, k, v, attn_mask=torch.zeros(3, 5, requires_grad=True)).grad_fn.name())
print(F.scaled_dot_product_attention(q.double(), k.double(), v.double()).grad_fn.name())
print(F.scaled_dot_product_attention(q, k[:1, :1], v[:1, :1]).grad_fn.name())
keep = torch.ones(3, 5, dtype=torch.bool)
keep[1] = False
print(F.scaled_dot_product_attention(q, k, v, attn_mask=keep)[0, 0])
try:
    F.scaled_dot_product_attention(q, k, v, attn_mask=torch.ones(2, 3, 5, dtype=torch.bool), is_causal=True)
except RuntimeError as e:
    print("RuntimeError:", e)
F.scaled_dot_product_attention(q, k, v, attn_mask=torch.ones(2, 3, 5, dtype=torch.bool), is_causal=True)
