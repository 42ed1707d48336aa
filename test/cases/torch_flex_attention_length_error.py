# a BlockMask made for longer sequences than the query is refused with torch's ValueError
import torch
from torch.nn.attention.flex_attention import create_block_mask, flex_attention


def causal(b, h, q_idx, kv_idx):
    return q_idx >= kv_idx


block_mask = create_block_mask(causal, 1, 1, 8, 8, device="cpu")
q = torch.ones(1, 1, 6, 4)
out = flex_attention(q, q, q, block_mask=block_mask)
