# Bool-mask indexing to read and to write, with 1-D and 2-D masks.
import torch

x = torch.tensor([[0.5, -1.0, 2.0], [3.0, -0.5, 0.0]])
neg = x < 0
vals = x[neg]
x[neg] = 0.0
rows = torch.tensor([True, False])
first_rows = x[rows]
y = torch.arange(6).reshape(2, 3)
y[y % 2 == 0] += 10
z = torch.zeros(2, 3)
z[:, torch.tensor([True, False, True])] = 1.0
print(vals)
print(x)
print(first_rows, first_rows.shape)
print(y)
print(z)
