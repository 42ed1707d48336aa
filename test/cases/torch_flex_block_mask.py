# create_block_mask's BlockMask: block counts and indices as torch computes them,
# shape, BLOCK_SIZE, sparsity, to_dense, and its str / repr / to_string drawings.
import torch
from torch.nn.attention.flex_attention import create_block_mask, noop_mask, and_masks


def causal(b, h, q_idx, kv_idx):
    return q_idx >= kv_idx


lengths = torch.tensor([9, 4])


def padding(b, h, q_idx, kv_idx):
    return kv_idx < lengths[b]


bm = create_block_mask(causal, 2, None, 10, 14, device="cpu", BLOCK_SIZE=4)
print(bm)
print(repr(bm))
kv_num_blocks = bm.kv_num_blocks
kv_indices = bm.kv_indices
full_kv_num_blocks = bm.full_kv_num_blocks
full_kv_indices = bm.full_kv_indices
q_num_blocks = bm.q_num_blocks
q_indices = bm.q_indices
full_q_indices = bm.full_q_indices
dense = bm.to_dense()
shape = bm.shape
block_size = bm.BLOCK_SIZE
sparsity = bm.sparsity()
print(bm.mask_mod.__name__, bm.numel(), bm.seq_lengths)

square = create_block_mask(and_masks(causal, padding), 2, 2, 16, 16, device="cpu", BLOCK_SIZE=(4, 8))
print(square)
print(square.to_string(grid_size=2, limit=2))
sq_kv_num = square.kv_num_blocks
sq_full_kv_num = square.full_kv_num_blocks
sq_dense = square.to_dense()
sq_sparsity = square.sparsity()

merged = create_block_mask(causal, 1, 1, 8, 8, device="cpu", BLOCK_SIZE=2, separate_full_blocks=False)
print(repr(merged))
merged_indices = merged.kv_indices

default = create_block_mask(noop_mask, None, None, 256, 300, device="cpu")
print(default)
default_num = default.kv_num_blocks
default_sparsity = default.sparsity()
