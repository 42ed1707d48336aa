# FlexAttention mask_mods materialised by create_mask (torch.nn.attention.flex_attention):
# causal, sliding window, prefix-LM, document masking, padding via lengths[b],
# and_masks / or_masks / noop_mask, a score_mod, B/H None.
import torch
from torch.nn.attention.flex_attention import and_masks, create_mask, noop_mask, or_masks


def causal(b, h, q_idx, kv_idx):
    return q_idx >= kv_idx


def sliding_window(b, h, q_idx, kv_idx):
    return (q_idx - kv_idx).abs() <= 2


prefix_len = 3


def prefix_lm(b, h, q_idx, kv_idx):
    return kv_idx < prefix_len


document_id = torch.tensor([0, 0, 0, 1, 1, 2, 2, 2])


def document(b, h, q_idx, kv_idx):
    return document_id[q_idx] == document_id[kv_idx]


lengths = torch.tensor([5, 8, 3])


def padding(b, h, q_idx, kv_idx):
    return kv_idx < lengths[b]


def head_offset(b, h, q_idx, kv_idx, offset=1):
    return q_idx + h * offset >= kv_idx


causal_mask = create_mask(causal, None, None, 6, 6, device="cpu")
window = create_mask(sliding_window, 1, 1, 6, 8, device="cpu")
prefix = create_mask(or_masks(causal, prefix_lm), 1, 1, 6, 6, device="cpu")
docs = create_mask(and_masks(causal, document), 1, 1, 8, 8, device="cpu")
padded = create_mask(padding, 3, 2, 4, 8, device="cpu")
heads = create_mask(head_offset, 1, 3, 4, 4, device="cpu")
everything = create_mask(noop_mask, 2, 1, 2, 3)
nothing = create_mask(or_masks(), 1, 1, 2, 2)
all_true = create_mask(and_masks(), 1, 1, 2, 2)
causal_lambda = create_mask(lambda b, h, q, kv: q >= kv, 1, 1, 3, 5)
where_mask = create_mask(lambda b, h, q, kv: torch.where(b == 0, q >= kv, q <= kv), 2, 1, 3, 3)


def alibi_ish(score, b, h, q_idx, kv_idx):
    return torch.where(q_idx >= kv_idx, score + (q_idx - kv_idx), -float("inf"))


from_score_mod = create_mask(alibi_ish, 1, 2, 4, 4, device="cpu")
print(causal_mask.shape, causal_mask.dtype, padded.shape, everything.shape)
print(docs.int())
print(padded.sum(dim=-1))
