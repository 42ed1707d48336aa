# In-place slice assignment through views writes into the base tensor.
import torch

x = torch.zeros(3, 4)
row = x[1]
row[2:] = 5.0
col = x[:, 0]
col += 1
x[2, :2] = torch.tensor([7.0, 8.0])
v = x.view(12)
v[-1] = -1.0
t = x.t()
t[0, 2] = 9.0
mask = torch.ones(2, 3, dtype=torch.bool)
mask[:, -1] = False
seq = torch.tensor([4, 5, 6, 7])
seq[2:] = 0
print(x)
print(row, col)
print(mask)
print(seq)
