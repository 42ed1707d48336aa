# An additive float mask (mask * -1e9) versus masked_fill: same softmax up to rounding.
import torch
import torch.nn.functional as F

scores = torch.tensor([[0.3, 1.2, -0.7], [2.0, 0.1, 0.4]])
look_ahead = torch.triu(torch.ones(3, 3), diagonal=1)[:2]
additive = F.softmax(scores + look_ahead * -1e9, dim=-1)
filled = F.softmax(scores.masked_fill(look_ahead.bool(), float('-inf')), dim=-1)
print(look_ahead)
print(additive)
print(filled)
print(torch.allclose(additive, filled), (additive - filled).abs().max())
