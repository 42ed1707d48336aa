# AttributeError: a typo in a Tensor method name (unsequeeze for unsqueeze).
import torch

seq = torch.tensor([[7, 6, 0, 0], [1, 2, 3, 0]])
pad = seq == 0
mask = pad.unsequeeze(1)
print(mask)
