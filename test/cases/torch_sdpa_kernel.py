# torch.nn.attention as x-transformers' Attend(flash=True) uses it: the
# SDPBackend enum and the sdpa_kernel context manager around
# scaled_dot_product_attention (the kernel choice leaves the values alone).
from functools import partial

import torch
import torch.nn.functional as F
from torch.nn.attention import SDPBackend, sdpa_kernel

print(SDPBackend.MATH, repr(SDPBackend.FLASH_ATTENTION), int(SDPBackend.EFFICIENT_ATTENTION), SDPBackend.MATH.name)
print(list(SDPBackend.__members__), SDPBackend.MATH == SDPBackend.MATH, SDPBackend.MATH == 0)
str_to_backend = dict(enable_flash=SDPBackend.FLASH_ATTENTION, enable_math=SDPBackend.MATH)
sdp_kwargs = dict(enable_flash=True, enable_math=True)
backends = [str_to_backend[k] for k, on in sdp_kwargs.items() if on]
context = partial(torch.nn.attention.sdpa_kernel, backends)

torch.manual_seed(0)
q = torch.randn(1, 2, 3, 4)
mask = torch.tensor([True, True, False])[None, None, None, :]
with context():
    out = F.scaled_dot_product_attention(q, q, q, attn_mask=mask)
with sdpa_kernel(SDPBackend.MATH):
    out_math = F.scaled_dot_product_attention(q, q, q, is_causal=True)
print(out[0, 0])
print(out_math[0, 1])


class Level:
    def __init__(self, n):
        self.n = n

    def __index__(self):
        return self.n


class Bad:
    def __int__(self):
        return "3"


print(int(Level(4)), int(SDPBackend.CUDNN_ATTENTION))
int(Bad())
