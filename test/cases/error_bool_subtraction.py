# RuntimeError: inverting a bool mask with 1 - mask is not allowed.
import torch

mask = torch.tensor([True, False, True])
inv_ok = ~mask
inv = 1 - mask
