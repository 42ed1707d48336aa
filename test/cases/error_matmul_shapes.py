# RuntimeError: projecting a [2,3] batch with a [4,5] weight matrix.
import torch

x = torch.ones(2, 3)
w = torch.ones(4, 5)
h = torch.matmul(x, w)
