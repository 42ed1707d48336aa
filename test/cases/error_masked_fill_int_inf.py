# RuntimeError: -inf cannot be stored in an int64 tensor by masked_fill.
import torch

ids = torch.tensor([[3, 5, 0]])
scores = ids.float().masked_fill(ids == 0, float('-inf'))
bad = ids.masked_fill(ids == 0, float('-inf'))
