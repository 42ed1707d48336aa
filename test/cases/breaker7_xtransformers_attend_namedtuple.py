# Patterns from lucidrains/x-transformers (attend.py, x_transformers.py, autoregressive_wrapper.py):
# causal masks (triu and the onnx-able F.pad form), ALiBi bias buffers, top-k/top-p filtering, and the
# Intermediates namedtuple (_fields, _asdict, _replace, isinstance, typing.NamedTuple methods).
from functools import partial, wraps
from collections import namedtuple
import math
import torch
import torch.nn.functional as F
from torch import nn, einsum
from einops import rearrange, repeat, pack, unpack, reduce

Intermediates = namedtuple("Intermediates", ["qk_similarities", "pre_softmax_attn", "post_softmax_attn"])


def exists(val):
    return val is not None


def default(val, d):
    if exists(val):
        return val
    return d() if callable(d) else d


def max_neg_value(tensor):
    return -torch.finfo(tensor.dtype).max


def pad_at_dim(t, pad, dim=-1, value=0.):
    dims_from_right = (-dim - 1) if dim < 0 else (t.ndim - dim - 1)
    zeros = ((0, 0) * dims_from_right)
    return F.pad(t, (*zeros, *pad), value=value)


def create_causal_mask(i, j, device):
    return torch.ones((i, j), device=device, dtype=torch.bool).triu(j - i + 1)


def onnx_create_causal_mask(i, j, device):
    r = torch.arange(i, device=device)
    causal_mask = rearrange(r, "i -> i 1") < rearrange(r, "j -> 1 j")
    causal_mask = F.pad(causal_mask, (j - i, 0), value=False)
    return causal_mask


def prob_mask_like(t, prob):
    return torch.zeros_like(t).float().uniform_(0, 1) < prob


def top_k(logits, frac_num_tokens=0.1, k=None):
    num_tokens = logits.shape[-1]
    k = default(k, math.ceil(frac_num_tokens * num_tokens))
    val, ind = torch.topk(logits, k)
    probs = torch.full_like(logits, float("-inf"))
    probs.scatter_(1, ind, val)
    return probs


def top_p(logits, thres=0.9):
    sorted_logits, sorted_indices = torch.sort(logits, descending=True)
    cum_probs = torch.cumsum(F.softmax(sorted_logits, dim=-1), dim=-1)
    sorted_indices_to_remove = cum_probs > thres
    sorted_indices_to_remove = F.pad(sorted_indices_to_remove, (1, -1), value=False)
    sorted_logits[sorted_indices_to_remove] = float("-inf")
    return sorted_logits.scatter(1, sorted_indices, sorted_logits)


class AlibiPositionalBias(nn.Module):
    def __init__(self, heads, total_heads, **kwargs):
        super().__init__()
        self.heads = heads
        self.total_heads = total_heads
        slopes = torch.Tensor(self._get_slopes(heads))
        slopes = rearrange(slopes, "h -> h 1 1")
        self.register_buffer("slopes", slopes, persistent=False)
        self.register_buffer("bias", None, persistent=False)

    def get_bias(self, i, j, device):
        i_arange = torch.arange(j - i, j, device=device)
        j_arange = torch.arange(j, device=device)
        bias = -torch.abs(rearrange(j_arange, "j -> 1 1 j") - rearrange(i_arange, "i -> 1 i 1"))
        return bias

    @staticmethod
    def _get_slopes(heads):
        def get_slopes_power_of_2(n):
            start = (2 ** (-2 ** -(math.log2(n) - 3)))
            ratio = start
            return [start * ratio ** i for i in range(n)]

        if math.log2(heads).is_integer():
            return get_slopes_power_of_2(heads)
        closest_power_of_2 = 2 ** math.floor(math.log2(heads))
        return get_slopes_power_of_2(closest_power_of_2) + get_slopes_power_of_2(2 * closest_power_of_2)[0::2][:heads - closest_power_of_2]

    @property
    def device(self):
        return next(self.buffers()).device

    def forward(self, i, j):
        h, device = self.total_heads, self.device
        if exists(self.bias) and self.bias.shape[-1] >= j and self.bias.shape[-2] >= i:
            return self.bias[..., -i:, -j:]
        bias = self.get_bias(i, j, device)
        bias = bias * self.slopes
        num_heads_unalibied = h - bias.shape[0]
        bias = pad_at_dim(bias, (0, num_heads_unalibied), dim=0)
        self.register_buffer("bias", bias, persistent=False)
        return self.bias


class Attend(nn.Module):
    def __init__(self, *, dropout=0., causal=False, heads=None, scale=None, onnxable=False):
        super().__init__()
        self.scale = scale
        self.causal = causal
        self.create_causal_mask = onnx_create_causal_mask if onnxable else create_causal_mask
        self.attn_fn = partial(F.softmax, dtype=torch.float32)
        self.dropout = dropout
        self.attn_dropout = nn.Dropout(dropout)

    def forward(self, q, k, v, mask=None, attn_bias=None, prev_attn=None):
        n, heads, kv_heads, device = q.shape[-2], q.shape[1], k.shape[1], q.device
        scale = default(self.scale, q.shape[-1] ** -0.5)
        causal = self.causal
        if exists(mask) and mask.ndim == 2:
            mask = rearrange(mask, "b j -> b 1 1 j")
        if n == 1 and causal:
            causal = False
        kv_einsum_eq = "b j d" if k.ndim == 3 else "b h j d"
        dots = einsum(f"b h i d, {kv_einsum_eq} -> b h i j", q, k) * scale
        if exists(prev_attn):
            dots = dots + prev_attn
        qk_similarities = dots.clone()
        if exists(attn_bias):
            dots = dots + attn_bias
        i, j, dtype = *dots.shape[-2:], dots.dtype
        mask_value = -torch.finfo(dots.dtype).max
        if exists(mask):
            dots = dots.masked_fill(~mask, mask_value)
        if causal:
            causal_mask = self.create_causal_mask(i, j, device=device)
            dots = dots.masked_fill(causal_mask, mask_value)
        pre_softmax_attn = dots.clone()
        attn = self.attn_fn(dots, dim=-1)
        attn = attn.type(dtype)
        post_softmax_attn = attn.clone()
        attn = self.attn_dropout(attn)
        out = einsum(f"b h i j, {kv_einsum_eq} -> b h i d", attn, v)
        intermediates = Intermediates(qk_similarities=qk_similarities, pre_softmax_attn=pre_softmax_attn,
                                      post_softmax_attn=post_softmax_attn)
        return out, intermediates


torch.manual_seed(0)
print(create_causal_mask(3, 5, "cpu"))
print(onnx_create_causal_mask(3, 5, "cpu"))
print(torch.equal(create_causal_mask(3, 5, "cpu"), onnx_create_causal_mask(3, 5, "cpu")))
x = torch.randn(2, 3, 4)
padded = pad_at_dim(x, (1, 0), dim=1, value=-1.)
print(padded.shape, padded[0, 0])
alibi = AlibiPositionalBias(heads=3, total_heads=4)
ab = alibi(3, 5)
print(ab.shape, ab[:, -1])
print(alibi(2, 4).shape)
q = torch.randn(2, 4, 3, 8)
k = torch.randn(2, 4, 5, 8)
v = torch.randn(2, 4, 5, 8)
mask = torch.tensor([[True, True, True, True, False], [True, True, False, False, False]])
attend = Attend(causal=True)
out, inter = attend(q, k, v, mask=mask, attn_bias=ab)
print(out.shape, inter.post_softmax_attn[1, 0])
print(inter._fields, type(inter).__name__)
out_onnx, inter2 = Attend(causal=True, onnxable=True)(q, k, v, mask=mask, attn_bias=ab)
print(torch.allclose(out, out_onnx))
mqa_out, _ = Attend()(q, k[:, 0], v[:, 0], mask=mask)
print(mqa_out.shape)
logits = torch.randn(2, 10)
print(top_k(logits, k=3))
print(top_p(logits.clone(), thres=0.5))
pm = prob_mask_like(torch.ones(2, 6), 0.3)
print(pm)
packed, ps = pack([torch.ones(2, 4), torch.zeros(2, 3, 4)], "b * d")
print(packed.shape, ps)
a, b = unpack(packed, ps, "b * d")
print(a.shape, b.shape)
print(reduce(inter.post_softmax_attn, "b h i j -> b i", "max").shape, repeat(mask, "b j -> b h j", h=2).shape)
print(max_neg_value(torch.zeros(1, dtype=torch.bfloat16)))
print(inter._asdict().keys(), inter._replace(qk_similarities=None).qk_similarities, isinstance(inter, tuple), isinstance(inter, Intermediates))
from typing import NamedTuple
P = namedtuple("P", ["x", "y"], defaults=[0])
p = P(1)
print(type(p).__name__, isinstance(p, P), isinstance(p, tuple), p, p._fields, P._fields, p._asdict(), p._replace(y=5))
try:
    p._replace(z=1)
except ValueError as e:
    print(e)


class LayerIntermediates(NamedTuple):
    hiddens: list
    last_hidden: torch.Tensor = None

    def depth(self):
        return len(self.hiddens)

    @property
    def has_last(self):
        return self.last_hidden is not None


li = LayerIntermediates([x, x], last_hidden=x[0])
print(li.depth(), li.has_last, li._fields, type(li) is LayerIntermediates, li == ([x, x], x[0]) if False else len(li))
print(isinstance(torch.max(torch.tensor([[1, 5], [7, 2]]), 1), tuple), isinstance(torch.Size([2]), tuple))
