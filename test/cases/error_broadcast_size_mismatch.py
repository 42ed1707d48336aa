# RuntimeError: a [2,4] score matrix multiplied by a [2,3] mask cannot broadcast.
import torch

scores = torch.ones(2, 4)
mask = torch.tensor([[1.0, 1.0, 0.0], [1.0, 0.0, 0.0]])
print(scores.shape, mask.shape)
masked = scores * mask
print(masked)
