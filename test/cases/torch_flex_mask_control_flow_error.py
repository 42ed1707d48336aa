# a mask_mod with Python control flow on its index tensors is vmap's RuntimeError
import torch
from torch.nn.attention.flex_attention import create_mask


def branchy(b, h, q_idx, kv_idx):
    if q_idx >= kv_idx:
        return torch.tensor(True)
    return torch.tensor(False)


ok = create_mask(lambda b, h, q_idx, kv_idx: q_idx >= kv_idx, 1, 1, 3, 3, device="cpu")
mask = create_mask(branchy, 1, 1, 3, 3, device="cpu")
