# complex64 as rotary embeddings use it (llama, mistral, gpt-fast): torch.polar, .real/.imag, view_as_complex,
# a broadcast complex product, view_as_real, indexing a complex table by positions. Complex values stay
# inside functions (the golden schema has no complex type); what comes out is real.
import torch

torch.manual_seed(0)


def precompute(dim, end):
    freqs = 1.0 / (10000.0 ** (torch.arange(0, dim, 2)[: (dim // 2)].float() / dim))
    t = torch.arange(end)
    freqs = torch.outer(t, freqs).float()
    return torch.polar(torch.ones_like(freqs), freqs)


def rotate(xq, freqs_cis):
    xq_ = torch.view_as_complex(xq.float().reshape(*xq.shape[:-1], -1, 2))
    fc = freqs_cis[: xq.shape[1]].view(1, xq.shape[1], 1, xq_.shape[-1])
    return torch.view_as_real(xq_ * fc).flatten(3).type_as(xq)


cis = precompute(4, 6)
cache = torch.stack([cis.real, cis.imag], dim=-1)
print(cis.shape, cis.shape == (6, 2), cis.is_complex(), cache.is_complex())
xq = torch.randn(1, 3, 2, 4)
xq_out = rotate(xq, cis)
print(xq_out)
picked = torch.view_as_real(cis[torch.tensor([0, 2])])
del cis
