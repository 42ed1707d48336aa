# Tensor factories used for masks: ones_like, zeros_like, full, full_like, eye, arange, linspace.
import torch

x = torch.tensor([[1, 2, 3], [4, 5, 6]])
o = torch.ones_like(x)
z = torch.zeros_like(x, dtype=torch.bool)
f = torch.full((2, 2), -1e9)
fl = torch.full_like(x, 7)
i = torch.eye(3, dtype=torch.bool)
ar = torch.arange(0, 1, 0.25)
ls = torch.linspace(0, 1, 5)
ones_b = torch.ones(2, 2).bool()
fi = torch.full((2,), 3)
print(o, z)
print(f, fl)
print(i)
print(ar, ls)
print(ones_b, fi, fi.dtype)
