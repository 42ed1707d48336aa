# Type promotion in mask arithmetic: int+float scalar, bool+bool, uint8&bool, int/int, //.
import torch

ints = torch.tensor([3, 4, -7])
a = ints + 0.5
b = torch.tensor([True, False]) + torch.tensor([True, True])
c = torch.tensor([1, 0, 1], dtype=torch.uint8) & torch.tensor([True, True, False])
d = ints / torch.tensor([2, 3, 2])
e = ints // 2
f = torch.tensor([True, False]) * 1.5
g = torch.tensor([True, False]).sum()
h = ints * torch.tensor(2.0, dtype=torch.float64)
i = torch.tensor([1.0, 2.0]) + torch.tensor([1.0, 2.0], dtype=torch.float64)
j = (ints > 0) + 1
k = torch.tensor([True, False]) & True
print(a.dtype, b.dtype, c.dtype, d.dtype, e.dtype, f.dtype)
print(g.dtype, h.dtype, i.dtype, j.dtype, k.dtype)
print(a, b, c)
print(d, e)
print(f, g, h, i, j, k)
