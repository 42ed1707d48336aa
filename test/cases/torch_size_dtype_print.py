# Printing .shape, .size(), .dtype, torch.Size and using sizes as Python values.
import torch

x = torch.zeros(2, 3, 5)
shape = x.shape
B, T, D = x.size()
last = x.size(-1)
dims = list(x.shape)
t = tuple(x.size())
print(shape)
print(x.size())
print(x.dtype, torch.tensor([1]).dtype, torch.tensor([True]).dtype)
print(torch.tensor(1.0).shape)
print(B, T, D, last, dims, t)
print(len(shape), shape[1:], shape == (2, 3, 5), shape.numel())
print(torch.Size([4, 4]))
print(type(shape).__name__, x.dtype == torch.float32, x.dtype is torch.float)
