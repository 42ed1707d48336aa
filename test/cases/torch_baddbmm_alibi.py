# torch.baddbmm as Hugging Face Bloom scores attention with its alibi bias:
# beta * alibi + alpha * (query @ key), alpha = 1/sqrt(head_dim); the naive
# loop (under 400 multiply-adds per matrix) and the gemm path; beta=0
# ignores the input, NaN included.
import math

import torch

torch.manual_seed(0)
batch_heads, q_len, head_dim = 4, 3, 4
alibi = torch.arange(q_len).float()[None, None, :].expand(batch_heads, 1, q_len) * -0.25
query = torch.randn(batch_heads, q_len, head_dim)
key = torch.randn(batch_heads, head_dim, q_len)
scores = torch.baddbmm(alibi, query, key, beta=1.0, alpha=1 / math.sqrt(head_dim))
causal = torch.triu(torch.ones(q_len, q_len, dtype=torch.bool), 1)
probs = scores.masked_fill(causal, torch.finfo(scores.dtype).min).softmax(-1)
print(scores[0], probs[1])
big_in = torch.randn(2, 8, 8) * 10
big1 = torch.randn(2, 8, 16)
big2 = torch.randn(2, 16, 8)
gemm = torch.baddbmm(big_in, big1, big2, beta=0.5, alpha=0.3)
small = big_in[:, :3, :5].baddbmm(big1[:, :3, :4], big2[:, :4, :5], beta=0.5, alpha=0.3)
nan_in = torch.full((2, 3, 5), float("nan"))
ignored = torch.baddbmm(nan_in, big1[:, :3, :4], big2[:, :4, :5], beta=0, alpha=0.7)
print(gemm[1, :2], small[0], ignored.isnan().any())
grad = torch.baddbmm(alibi, query.requires_grad_(), key)
print(grad.grad_fn.name())
torch.baddbmm(torch.zeros(2, 3, 5), torch.zeros(2, 3, 4), torch.zeros(3, 4, 5))
