# Masks labelled by how they were built and who reads them (stop 27): d2l's
# sequence_mask (arange < valid_len: lengths 1, 2 over 3 positions, whose values
# look like a top-left tril), ESPnet's make_pad_mask (arange >= lengths), and
# DETR's image padding mask [B, H, W] (True = padded pixel) with its flattened
# form read as nn.MultiheadAttention's key_padding_mask.
import torch
import torch.nn as nn


def sequence_mask(X, valid_len, value=0):
    maxlen = X.size(1)
    mask = torch.arange((maxlen), dtype=torch.float32, device=X.device)[None, :] < valid_len[:, None]
    X[~mask] = value
    return X


X = sequence_mask(torch.ones(2, 3), torch.tensor([1, 2]))
valid_lens = torch.tensor([1, 2])
keep = torch.arange(3)[None, :] < valid_lens[:, None]
keep_lt = torch.arange(3).unsqueeze(0).lt(valid_lens.unsqueeze(1))
pad = ~keep
pad_mask = torch.arange(3)[None, :] >= valid_lens[:, None]
keep_float = keep.float()
# positions against positions build causal masks, and tril stays causal
causal = torch.arange(3)[None, :] <= torch.arange(3)[:, None]
shifted = torch.arange(3)[None, :] < torch.arange(3)[:, None] + 1
tril = torch.tril(torch.ones(3, 3, dtype=torch.bool))

# DETR util/misc.py nested_tensor_from_tensor_list: two images, 3x2 and 2x4, padded to 3x4
b, h, w = 2, 3, 4
mask = torch.ones((b, h, w), dtype=torch.bool)
for i, (ih, iw) in enumerate([(3, 2), (2, 4)]):
    mask[i, :ih, :iw] = False
kpm = mask.flatten(1)
mha = nn.MultiheadAttention(8, 2, batch_first=True)
src = torch.randn(2, 12, 8)
out, weights = mha(src, src, src, key_padding_mask=kpm)
print(out.shape, weights.shape, kpm.sum(1))
# the inverted warning for a strictly-lower tril under masked_fill (query i keeps the keys >= i)
below = torch.tril(torch.ones(4, 4, dtype=torch.bool), diagonal=-1)
scores = torch.zeros(4, 4).masked_fill(below, float("-inf"))
