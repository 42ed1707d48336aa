# IndexError: reading one position past the end of the lengths tensor.
import torch

lengths = torch.tensor([5, 3, 2])
first = lengths[0]
for i in range(4):
    n = lengths[i]
