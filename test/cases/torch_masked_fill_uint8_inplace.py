# In-place masked_fill_ with a uint8 mask: PyTorch 2.x rejects it (1.13 accepted it with a warning).
import torch

scores = torch.tensor([[0.5, 1.5, -0.3, 2.0], [1.0, 0.0, 0.25, -1.0]])
mask = torch.tensor([[0, 0, 1, 1], [0, 1, 1, 1]], dtype=torch.uint8)
print(mask.dtype)
scores.masked_fill_(mask, float('-inf'))
print(scores)
row_max = scores.max(dim=1).values
print(row_max)
