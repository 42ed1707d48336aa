# and_masks / or_masks refuse a non-callable with torch's RuntimeError
from torch.nn.attention.flex_attention import and_masks, or_masks


def causal(b, h, q_idx, kv_idx):
    return q_idx >= kv_idx


union = or_masks(causal)
print(union.__name__)
bad = and_masks(1, 2)
