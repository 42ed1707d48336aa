# flex_attention has no backward on the CPU: inputs that need grad are refused
import torch
from torch.nn.attention.flex_attention import flex_attention

torch.manual_seed(0)
q = torch.randn(1, 2, 4, 8)
k = torch.randn(1, 2, 4, 8)
out = flex_attention(q, k, k, scale=0.25)
q.requires_grad_(True)
out2 = flex_attention(q, k, k)
