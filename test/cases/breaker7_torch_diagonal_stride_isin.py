# Tensor.diagonal / torch.diagonal views (offset, dim1, dim2, written through), Tensor.stride,
# storage_offset, and torch.isin's promotion, invert, scalar forms and errors.
import torch
x = torch.arange(24.).view(2, 3, 4).requires_grad_()
d = x.diagonal()
print(d.shape, x.diagonal(1, 1, 2), x.diagonal(-1, -1, -2), x.diagonal(5).shape, torch.diagonal(x, offset=-2, dim1=2, dim2=1).shape)
print(x.diagonal(dim1=1, dim2=2).grad_fn.name(), x.diagonal(dim1=1, dim2=2).is_contiguous(), x.diagonal(dim1=1, dim2=2).stride())
for f in [lambda: x.diagonal(0, 1, 1), lambda: torch.arange(3).diagonal(), lambda: x.diagonal(0, 0, 3), lambda: torch.tensor(1.).diagonal()]:
    try: f()
    except Exception as e: print(type(e).__name__, e)
m = torch.zeros(2, 3, 3, dtype=torch.bool)
m.diagonal(dim1=1, dim2=2).copy_(torch.Tensor([True]))
print(m)
e = torch.eye(4)
e.diagonal(1).fill_(5)
e.diagonal(-1)[:] = 7
print(e, torch.diagonal(e, 2))
x = torch.tensor([[1, 2], [3, 4]])
print(torch.isin(x, torch.tensor([2, 3])), torch.isin(x, 2), torch.isin(3, x), torch.isin(x, torch.tensor([2.0, 3.5]), invert=True), torch.isin(torch.tensor([1.5, float('nan')]), torch.tensor([1.5, float('nan')])))
print(torch.isin(elements=x, test_elements=torch.tensor([4])), torch.isin(x, torch.tensor([[1],[4]]), assume_unique=True))
print(torch.isin(torch.tensor([300, 44], dtype=torch.uint8 if False else torch.int16), torch.tensor([44], dtype=torch.int8)), torch.isin(torch.tensor([0.1], dtype=torch.float16), torch.tensor([0.1])))
for f in [lambda: torch.isin(1, 2), lambda: torch.isin(x, [1, 2]), lambda: torch.isin(x, 2.5), lambda: torch.isin(x, torch.tensor([True]))]:
    try: print(f())
    except Exception as e: print(type(e).__name__, e)
print(x.t().stride(), x[:, 1:].storage_offset(), x.stride(-1), torch.tensor(1.).stride())
for f in [lambda: x.stride(2), lambda: x.stride('a'), lambda: torch.tensor(1.).stride(0)]:
    try: f()
    except Exception as e: print(type(e).__name__, e)
