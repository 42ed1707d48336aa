# RuntimeError: view() after transpose; the error suggests reshape().
import torch

x = torch.arange(6).reshape(2, 3)
t = x.transpose(0, 1)
r = t.reshape(6)
v = t.view(6)
