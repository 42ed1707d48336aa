# torch.cumprod / Tensor.cumprod: the 'everything before the first EOS' mask ((tokens != eos).cumprod(1)),
# diffusion's alphas_cumprod, dtypes (bool and ints to int64, dtype=, half), int64 wrap, grad_fn.
import torch
tokens = torch.tensor([[5, 8, 2, 9, 2], [7, 2, 4, 4, 1]])
eos = 2
before_eos = (tokens != eos).cumprod(dim=1)
print(before_eos)
upto_eos = torch.cat([torch.ones(2, 1, dtype=torch.long), before_eos[:, :-1]], dim=1)
print(upto_eos.bool())
betas = torch.linspace(1e-4, 0.02, 6)
alphas_cumprod = torch.cumprod(1.0 - betas, dim=0)
print(alphas_cumprod)
print(torch.cumprod(torch.tensor([[1.5, 2.0], [3.0, 0.5]], dtype=torch.float64), 0))
print(torch.cumprod(torch.tensor([True, True, False, True]), 0))
print(torch.cumprod(torch.tensor([3, 4, 5], dtype=torch.int8), 0, dtype=torch.int16))
print(torch.cumprod(torch.tensor([1.5, 3.0, 7.0]).half(), 0))
x = torch.tensor([2.0, 3.0], requires_grad=True)
print(x.cumprod(0))
big = torch.cumprod(torch.full((5,), 10**4), 0)
print(big)
print(torch.tensor(2.5).cumprod(0))
try:
    torch.cumprod(torch.tensor([1.0, 2.0]), dim=3)
except IndexError as e:
    print(e)
try:
    torch.cumsum(torch.tensor([1.0, 2.0]), dim=-2)
except IndexError as e:
    print(e)
