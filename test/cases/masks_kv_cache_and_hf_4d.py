# The three layouts behind the stop-24 labels, with the values real PyTorch
# gives them: llama's KV-cache causal mask (hstack of cached zeros and a
# triu of -inf), llama v1's triu with a shifted diagonal, Hugging Face's
# 4-D expanded padding mask, and a batch padded on both sides.
import torch

# llama (model.py, Transformer.forward) with start_pos > 0
seqlen, start_pos = 3, 4
h = torch.randn(2, seqlen, 8)
mask = torch.full((seqlen, seqlen), float("-inf"))
mask = torch.triu(mask, diagonal=1)
mask = torch.hstack([torch.zeros((seqlen, start_pos)), mask]).type_as(h)
# the same layout joined by cat / vstack, under names that say nothing of a mask:
# the triu piece makes the joined tensor mask-built, as it does for hstack
kv_cache_add = torch.cat([torch.zeros((seqlen, start_pos)), torch.triu(torch.full((seqlen, seqlen), float("-inf")), diagonal=1)], dim=-1)
stacked = torch.vstack([torch.triu(torch.full((2, 3), float("-inf")), diagonal=1), torch.zeros(1, 3)])
plain = torch.hstack([torch.zeros(2, 2), torch.ones(2, 2)])

# llama v1: the diagonal moved instead of the cached keys prepended
shifted = torch.full((1, 1, 4, 4), float("-inf"))
shifted = torch.triu(shifted, diagonal=1 + 1)

# Hugging Face: _prepare_4d_attention_mask / _expand_mask of a [B, T] attention_mask
attention_mask = torch.tensor([[1, 1, 1, 0, 0], [1, 1, 1, 1, 1], [1, 1, 0, 0, 0]])
bsz, src_len = attention_mask.shape
expanded_mask = attention_mask[:, None, None, :].expand(bsz, 1, src_len, src_len).to(torch.float32)
inverted_mask = 1.0 - expanded_mask
mask_4d = inverted_mask.masked_fill(inverted_mask.to(torch.bool), torch.finfo(torch.float32).min)

# one batch padded on the left (generation) and on the right (training)
ids = torch.tensor([[5, 6, 7, 0, 0], [0, 0, 8, 9, 4], [3, 4, 5, 6, 7]])
key_padding_mask = ids == 0
mixed_attention_mask = (ids != 0).long()
