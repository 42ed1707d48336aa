# flex_attention in eager mode on the CPU: the math path's values with no mask,
# a causal block_mask, a score_mod (relative bias), both, document masking with
# fully masked rows, GQA, a batch-1 key/value, a custom scale and return_lse.
import torch
from torch.nn.attention.flex_attention import create_block_mask, flex_attention, and_masks

torch.manual_seed(0)
q = torch.randn(2, 4, 6, 8)
k = torch.randn(2, 4, 6, 8)
v = torch.randn(2, 4, 6, 8)


def causal(b, h, q_idx, kv_idx):
    return q_idx >= kv_idx


def relative_bias(score, b, h, q_idx, kv_idx):
    return score + (kv_idx - q_idx) * 0.1 * (h + 1)


lengths = torch.tensor([6, 3])


def padding(b, h, q_idx, kv_idx):
    return (q_idx < lengths[b]) & (kv_idx < lengths[b])


plain = flex_attention(q, k, v)
block_mask = create_block_mask(causal, 2, 4, 6, 6, device="cpu", BLOCK_SIZE=4)
masked = flex_attention(q, k, v, block_mask=block_mask)
biased = flex_attention(q, k, v, score_mod=relative_bias)
both = flex_attention(q, k, v, score_mod=relative_bias, block_mask=block_mask, scale=0.5)
pad_mask = create_block_mask(and_masks(causal, padding), 2, None, 6, 6, device="cpu")
padded, lse = flex_attention(q, k, v, block_mask=pad_mask, return_lse=True)

kv_heads = torch.randn(2, 2, 6, 8)
gqa = flex_attention(q, kv_heads, kv_heads, block_mask=block_mask, enable_gqa=True)
k1 = torch.randn(1, 4, 6, 8)
shared_kv = flex_attention(q, k1, k1, block_mask=block_mask)
q64 = q.double()
out64 = flex_attention(q64, k.double(), v.double(), score_mod=relative_bias)
print(masked[0, 0])
print(padded[1, 0])
print(lse[1])
