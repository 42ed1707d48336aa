# einops in mask code (lucidrains-style): rearrange with parentheses,
# ellipsis and anonymous axes, repeat with axis lengths, reduce, einsum with
# named axes, pack/unpack, the Rearrange layer, and einops' own errors.
# Golden: einops 0.8.2 with PyTorch 2.13.
import torch
import numpy as np
from einops import rearrange, repeat, reduce, einsum, pack, unpack
from einops.layers.torch import Rearrange

torch.manual_seed(0)
b, n, h, d = 2, 4, 2, 3
x = torch.randn(b, n, h * d)
lengths = torch.tensor([4, 2])
key_mask = torch.arange(n)[None, :] < lengths[:, None]

q = rearrange(x, "b n (h d) -> b h n d", h=h)
k = rearrange(x, "b n (h d) -> b h n d", d=d)
sim = einsum(q, k, "b h i d, b h j d -> b h i j") * d ** -0.5
mask4 = rearrange(key_mask, "b j -> b 1 1 j")
causal = torch.ones(n, n, dtype=torch.bool).triu(1)
causal_b = repeat(causal, "i j -> b h i j", b=b, h=h)
sim = sim.masked_fill(~mask4 | causal_b, -torch.finfo(sim.dtype).max)
attn = sim.softmax(dim=-1)
out = rearrange(attn @ q, "b h n d -> b n (h d)")
pooled = reduce(x * key_mask[..., None], "b n d -> b d", "sum") / reduce(key_mask.float(), "b n -> b 1", "sum")
maxed = reduce(x, "b (n2 2) d -> b n2 d", "mean")
flat = rearrange(x, "b ... -> b (...)")
heads_first = rearrange(x, "b n (h d) -> (b h) n d", h=h)
tokens_mask = repeat(key_mask, "b n -> (b h) n", h=h)
packed, ps = pack([torch.zeros(b, h * d), x], "b * d")
cls_tok, body = unpack(packed, ps, "b * d")
layer = Rearrange("b n (h d) -> b h n d", h=h)
print(layer)
same = torch.equal(layer(x), q)
np_mask = rearrange(np.array([[1, 1, 0], [1, 0, 0]], dtype=bool), "b j -> j b")
print(q.shape, sim.shape, packed.shape, ps, same)
for pattern, kw in [("b n d -> b d", {}), ("b (n k) d -> b n k d", {"k": 3}), ("b n d -> b n d e", {})]:
    try:
        rearrange(x, pattern, **kw)
    except Exception as e:
        print(type(e).__name__, str(e).splitlines())
try:
    repeat(key_mask, "b n -> b n r")
except Exception as e:
    print(type(e).__name__, str(e).splitlines())
