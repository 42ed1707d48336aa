# PyTorch 2.x: a bool attn_mask with a float key_padding_mask. F._canonical_mask makes
# both additive (True -> -inf) and the two are summed, so the causal mask and the padding
# both apply (1.13 mixed them up; Mask Lens follows 2.x). Also: grad_fn of the averaged
# weights is MeanBackward1 (mean over a dim), of a full mean MeanBackward0.
import torch
import torch.nn as nn

torch.manual_seed(0)
mha = nn.MultiheadAttention(4, 1, batch_first=True)
x = torch.randn(1, 3, 4)
kpm = torch.tensor([[0.0, 0.0, float('-inf')]])
causal = torch.triu(torch.ones(3, 3, dtype=torch.bool), 1)
out, w = mha(x, x, x, attn_mask=causal, key_padding_mask=kpm)
print(w)
print(out.mean())
print(out.sum(dim=-1))
print(out.max(dim=0).values.grad_fn.name(), out.max().grad_fn.name(), out.prod(1).grad_fn.name())
both_bool, w2 = mha(x, x, x, attn_mask=causal, key_padding_mask=kpm == float('-inf'))
print(w2)
