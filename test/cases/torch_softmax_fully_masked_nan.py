# A query row whose keys are all masked: -inf everywhere, softmax gives a row of nan.
import torch
import torch.nn.functional as F

scores = torch.tensor([[1.0, 2.0, 3.0], [0.5, 0.5, 0.5], [4.0, 1.0, 0.0]])
mask = torch.tensor([[True, True, False], [False, False, False], [True, False, False]])
attn = F.softmax(scores.masked_fill(~mask, float('-inf')), dim=-1)
print(attn)
has_nan = torch.isnan(attn)
print(has_nan.any(dim=-1))
safe = torch.nan_to_num(attn, nan=0.0)
print(safe)
uniform = F.softmax(scores.masked_fill(~mask, -1e9), dim=-1)
print(uniform)
