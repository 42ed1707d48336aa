# IndexError: softmax over dim=2 of a 2-D score matrix.
import torch
import torch.nn.functional as F

scores = torch.tensor([[0.1, 0.2], [0.3, 0.4]])
probs = F.softmax(scores, dim=-1)
bad = F.softmax(scores, dim=2)
