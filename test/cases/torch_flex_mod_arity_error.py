# create_mask tells a mask_mod (4 positional args) from a score_mod (5) by its
# positional parameters without defaults; anything else is an AssertionError
import torch
from torch.nn.attention.flex_attention import create_mask


def with_default(b, h, q_idx, kv_idx, window=2):
    return (q_idx - kv_idx).abs() <= window


ok = create_mask(with_default, 1, 1, 4, 4, device="cpu")
bad = create_mask(lambda b, h: b, 1, 1, 2, 2, device="cpu")
