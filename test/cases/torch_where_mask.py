# torch.where: choose between tensors by a mask, and the one-argument form giving indices.
import torch

x = torch.tensor([[1.5, -2.0, 3.0], [-0.5, 4.0, -1.0]])
mask = x > 0
pos = torch.where(mask, x, torch.zeros_like(x))
clipped = torch.where(x < 0, torch.tensor(-1.0), x)
ints = torch.where(mask, torch.tensor([1, 2, 3]), torch.tensor(0))
rows, cols = torch.where(mask)
print(pos)
print(clipped)
print(ints, ints.dtype)
print(rows, cols)
