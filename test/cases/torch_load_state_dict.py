# Module.load_state_dict: nanoGPT's flash and manual attention paths compared
# by copying one module's weights into the other (strict=False: the manual
# path has an extra "bias" buffer, the causal mask), the result's repr, and
# the strict errors.
import math

import torch
import torch.nn as nn
from torch.nn import functional as F


class CausalSelfAttention(nn.Module):
    def __init__(self, n_embd, n_head, block_size, flash):
        super().__init__()
        self.c_attn = nn.Linear(n_embd, 3 * n_embd)
        self.n_head = n_head
        self.n_embd = n_embd
        self.flash = flash
        if not flash:
            self.register_buffer("bias", torch.tril(torch.ones(block_size, block_size)).view(1, 1, block_size, block_size))

    def forward(self, x):
        B, T, C = x.size()
        q, k, v = self.c_attn(x).split(self.n_embd, dim=2)
        k = k.view(B, T, self.n_head, C // self.n_head).transpose(1, 2)
        q = q.view(B, T, self.n_head, C // self.n_head).transpose(1, 2)
        v = v.view(B, T, self.n_head, C // self.n_head).transpose(1, 2)
        if self.flash:
            y = F.scaled_dot_product_attention(q, k, v, is_causal=True)
        else:
            att = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(k.size(-1)))
            att = att.masked_fill(self.bias[:, :, :T, :T] == 0, float("-inf"))
            y = F.softmax(att, dim=-1) @ v
        return y.transpose(1, 2).contiguous().view(B, T, C)


torch.manual_seed(0)
fast = CausalSelfAttention(8, 2, 6, flash=True)
slow = CausalSelfAttention(8, 2, 6, flash=False)
result = slow.load_state_dict(fast.state_dict(), strict=False)
print(result)
missing_keys, unexpected_keys = result.missing_keys, result.unexpected_keys
del result
print(slow.load_state_dict(slow.state_dict()))
same_weights = torch.equal(slow.c_attn.weight, fast.c_attn.weight)
x = torch.randn(2, 5, 8)
paths_agree = torch.allclose(fast(x), slow(x), atol=1e-6)
doubled = nn.Linear(2, 2)
doubled.load_state_dict({"weight": torch.ones(2, 2, dtype=torch.float64), "bias": torch.zeros(2)})
print(same_weights, paths_agree, doubled.weight, doubled.weight.dtype, missing_keys)
try:
    nn.Linear(2, 3).load_state_dict({"weight": torch.ones(2, 2), "bias": torch.zeros(3)})
except RuntimeError as e:
    print(str(e).splitlines()[0])
bad = slow.load_state_dict(fast.state_dict())
