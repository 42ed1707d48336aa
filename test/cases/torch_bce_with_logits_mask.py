# Multi-label BCEWithLogitsLoss per element, masked to the valid positions and averaged.
import torch
import torch.nn as nn
import torch.nn.functional as F

logits = torch.tensor([[1.5, -0.5, 0.2], [-2.0, 0.7, 3.0]])
labels = torch.tensor([[1.0, 0.0, 1.0], [0.0, 1.0, 0.0]])
valid = torch.tensor([[1, 1, 0], [1, 1, 1]]).bool()
crit = nn.BCEWithLogitsLoss(reduction='none')
per = crit(logits, labels)
masked = (per * valid).sum() / valid.sum()
mean_all = nn.BCEWithLogitsLoss()(logits, labels)
weighted = F.binary_cross_entropy_with_logits(logits, labels, weight=valid.float(), reduction='sum')
pos_w = nn.BCEWithLogitsLoss(pos_weight=torch.tensor([2.0, 1.0, 0.5]))(logits, labels)
print(per)
print(masked, mean_all)
print(weighted, pos_w)
