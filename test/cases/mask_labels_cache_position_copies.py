# Mask labels that went wrong in real code (stop 28): Hugging Face's
# cache_position given as a literal tensor, position indices copied before the
# comparison with lengths (clone, repeat, .to, ...), images padded up to a
# size divisibility of 32 (detectron2 / Mask2Former), a strictly-past window
# shifted by 2 over three positions, and square masks whose columns happen to
# be runs.
import math

import numpy as np
import torch


# transformers' _prepare_4d_causal_attention_mask_with_cache_position, cut down
def prepare_4d(sequence_length, target_length, dtype, cache_position, batch_size):
    min_dtype = torch.finfo(dtype).min
    causal_mask = torch.full((sequence_length, target_length), fill_value=min_dtype, dtype=dtype)
    if sequence_length != 1:
        causal_mask = torch.triu(causal_mask, diagonal=1)
    causal_mask *= torch.arange(target_length) > cache_position.reshape(-1, 1)
    return causal_mask[None, None, :, :].expand(batch_size, 1, -1, -1)


# two new queries after three cached keys; cache_position written out
cache_position = torch.tensor([3, 4])
mask4d = prepare_4d(2, 5, torch.float32, cache_position, 1)
after_cache = torch.arange(5) > cache_position.reshape(-1, 1)
sees_cache = torch.arange(5)[None, :] <= torch.tensor([3, 4])[:, None]

# d2l's sequence_mask with the positions copied first: still lengths 1, 2
valid_len = torch.tensor([1, 2])
pos = torch.arange(3)
keep_clone = pos.clone()[None, :] < valid_len[:, None]
keep_float = pos.float()[None, :] < valid_len[:, None]
keep_to = pos.to(torch.float32)[None, :] < valid_len[:, None]
keep_repeat = pos[None, :].repeat(2, 1) < valid_len[:, None]
keep_tile = pos.tile(2, 1) < valid_len[:, None]
keep_contig = pos[None, :].expand(2, 3).contiguous() < valid_len[:, None]
keep_detach = pos.detach()[None, :] < valid_len[:, None]
keep_np = np.tile(np.arange(3).astype(np.float32), (2, 1)).copy() < np.array([1, 2])[:, None]

# detectron2 ImageList.from_tensors(size_divisibility=32): 20x25 and 30x14 padded to 32x32
images = [torch.zeros(3, 20, 25), torch.zeros(3, 30, 14)]
stride = 32
H = int(math.ceil(max(im.shape[1] for im in images) / stride) * stride)
W = int(math.ceil(max(im.shape[2] for im in images) / stride) * stride)
pad_mask = torch.zeros((len(images), H, W), dtype=torch.bool)
for i, im in enumerate(images):
    pad_mask[i, im.shape[1]:, :] = True
    pad_mask[i, :, im.shape[2]:] = True
img_masks = torch.ones(len(images), H, W)
for i, im in enumerate(images):
    img_masks[i, : im.shape[1], : im.shape[2]] = 0
pixel_mask = torch.zeros(len(images), H, W, dtype=torch.long)
for i, im in enumerate(images):
    pixel_mask[i, : im.shape[1], : im.shape[2]] = 1

# a strictly-past window shifted by 2 over three positions: query 2 keeps key 0 only
T = 3
ones = torch.ones(T, T)
past2 = torch.tril(ones, diagonal=-2) == 0
scores = torch.zeros(T, T).masked_fill(past2, float("-inf"))
probs = torch.softmax(scores, dim=-1)

# square [T, B] masks: columns that are runs tell nothing by themselves (pad_sequence of lengths 4, 1, 3, 2
# compared with the pad id); a comparison of positions with lengths down dim 0 does
tokens = torch.nn.utils.rnn.pad_sequence([torch.tensor([5, 6, 7, 8]), torch.tensor([9]), torch.tensor([4, 3, 2]), torch.tensor([7, 1])])
square = tokens == 0
seq_first_keep = torch.arange(4)[:, None] < torch.tensor([4, 1, 3, 2])[None, :]
seq_first_pad = ~seq_first_keep
first_token = np.array([[True, True], [True, False], [False, False]])
print(mask4d.shape, probs[2])
