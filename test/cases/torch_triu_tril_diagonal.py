# torch.triu / torch.tril with diagonal=+-k on a non-square matrix.
import torch

a = torch.arange(1, 13).reshape(3, 4)
u1 = torch.triu(a, diagonal=1)
l_1 = torch.tril(a, diagonal=-1)
u_1 = a.triu(-1)
l2 = a.tril(2)
tall = torch.ones(4, 2)
tall_u = torch.triu(tall)
tall_l = torch.tril(tall, -2)
print(u1)
print(l_1)
print(u_1)
print(l2)
print(tall_u)
print(tall_l)
