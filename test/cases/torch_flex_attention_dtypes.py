# flex_attention with float16 / bfloat16 inputs (float32 scores, output in the input dtype), a
# tanh soft-cap score_mod, an all-masked BlockMask (zero output, -inf lse), and a
# create_block_mask whose mask_mod is not bool (AssertionError)
import torch
from torch.nn.attention.flex_attention import create_block_mask, create_mask, flex_attention, noop_mask
torch.manual_seed(0)
q = torch.randn(1, 2, 5, 4, dtype=torch.float16)
k = torch.randn(1, 2, 5, 4, dtype=torch.float16)
v = torch.randn(1, 2, 5, 4, dtype=torch.float16)
def causal(b, h, q_idx, kv_idx):
    return q_idx >= kv_idx
bm = create_block_mask(causal, 1, 2, 5, 5, device="cpu", BLOCK_SIZE=2)
half = flex_attention(q, k, v, block_mask=bm)
qb = q.bfloat16()
bf = flex_attention(qb, k.bfloat16(), v.bfloat16(), score_mod=lambda s, b, h, i, j: s * 2)
score_only = create_mask(lambda s, b, h, i, j: s, 1, 1, 2, 3)
softcap = flex_attention(q.float(), k.float(), v.float(), score_mod=lambda s, b, h, i, j: 3.0 * torch.tanh(s / 3.0))
all_masked = create_block_mask(lambda b, h, i, j: i < 0, 1, 1, 5, 5, device="cpu")
zeros, lse = flex_attention(q.float(), k.float(), v.float(), block_mask=all_masked, return_lse=True)
print(all_masked)
print(half.dtype, bf.dtype, zeros.abs().sum(), lse)
int_mask = create_block_mask(lambda b, h, i, j: (i >= j).int(), 1, 1, 4, 4, device="cpu")
