# F.multi_head_attention_forward as fairseq's MultiheadAttention calls it (separate
# q/k/v projection weights, an empty in_proj_weight, a uint8-free bool key_padding_mask
# and an additive future mask), and its other forms: packed in_proj_weight, bias_k/bias_v,
# add_zero_attn, per-head weights, need_weights=False, unbatched input, dropout while
# training (torch's generator), and the errors it raises.
import math
import torch
import torch.nn.functional as F
from torch import nn

torch.manual_seed(0)
T, B, C, H = 4, 2, 8, 2
x = torch.randn(T, B, C)
q_proj, k_proj, v_proj, out_proj = (nn.Linear(C, C) for _ in range(4))
for lin in (q_proj, k_proj, v_proj):
    nn.init.xavier_uniform_(lin.weight, gain=1 / math.sqrt(2))
src_tokens = torch.tensor([[5, 6, 7, 1], [5, 6, 1, 1]])
key_padding_mask = src_tokens.eq(1)
future_mask = torch.triu(torch.zeros(T, T).fill_(float("-inf")), 1)
in_bias = torch.cat((q_proj.bias, k_proj.bias, v_proj.bias))


def fairseq_attn(**kw):
    return F.multi_head_attention_forward(
        x, x, x, C, H, torch.empty([0]), in_bias, None, None, False, 0.0,
        out_proj.weight, out_proj.bias, False, key_padding_mask, kw.pop("need_weights", True), future_mask,
        use_separate_proj_weight=True, q_proj_weight=q_proj.weight, k_proj_weight=k_proj.weight, v_proj_weight=v_proj.weight, **kw)


attn, attn_weights = fairseq_attn()
print(attn.grad_fn.name(), attn_weights.grad_fn.name(), attn.shape, attn_weights.shape)
heads_attn, head_weights = fairseq_attn(average_attn_weights=False)
print(head_weights.shape, head_weights.grad_fn.name())
fast_attn, none_weights = fairseq_attn(need_weights=False)
print(none_weights, torch.allclose(fast_attn, attn, atol=1e-6))

packed = torch.cat((q_proj.weight, k_proj.weight, v_proj.weight))
with torch.no_grad():
    packed_attn, packed_weights = F.multi_head_attention_forward(
        x, x, x, C, H, packed, in_bias, None, None, False, 0.0, out_proj.weight, out_proj.bias,
        training=False, key_padding_mask=key_padding_mask)
    bias_k = torch.randn(1, 1, C)
    bias_v = torch.randn(1, 1, C)
    kv_attn, kv_weights = F.multi_head_attention_forward(
        x, x, x, C, H, packed, in_bias, bias_k, bias_v, True, 0.0, out_proj.weight, out_proj.bias,
        training=False, key_padding_mask=key_padding_mask, attn_mask=future_mask)
    one_attn, one_weights = F.multi_head_attention_forward(
        x[:, 0], x[:, 0], x[:, 0], C, H, packed, in_bias, None, None, False, 0.0, out_proj.weight, out_proj.bias, training=False)
print(kv_weights.shape, one_attn.shape, one_weights.shape)

torch.manual_seed(3)
drop_attn, drop_weights = F.multi_head_attention_forward(
    x, x, x, C, H, packed, in_bias, None, None, False, 0.5, out_proj.weight, out_proj.bias, training=True)
after_dropout = torch.rand(3)
drop_fast, _ = F.multi_head_attention_forward(
    x, x, x, C, H, packed, in_bias, None, None, False, 0.5, out_proj.weight, out_proj.bias, training=True, need_weights=False)
print((drop_weights == 0).sum().item())

for label, kw in [
    ("embed dim", dict(embed_dim_to_check=6)),
    ("no in_proj", dict(in_proj_weight=None)),
    ("no q_proj", dict(use_separate_proj_weight=True)),
    ("3-D mask", dict(attn_mask=torch.zeros(3, T, T))),
    ("causal hint", dict(is_causal=True)),
]:
    args = dict(query=x, key=x, value=x, embed_dim_to_check=C, num_heads=H, in_proj_weight=packed, in_proj_bias=in_bias,
                bias_k=None, bias_v=None, add_zero_attn=False, dropout_p=0.0, out_proj_weight=out_proj.weight,
                out_proj_bias=out_proj.bias, training=False)
    args.update(kw)
    try:
        F.multi_head_attention_forward(**args)
    except (AssertionError, RuntimeError) as e:
        print(label, type(e).__name__, e)
