# F.cross_entropy with label_smoothing, alone and with ignore_index.
import torch
import torch.nn as nn
import torch.nn.functional as F

logits = torch.tensor([[1.2, 0.3, -0.8, 0.0], [0.5, 2.5, 0.1, -1.0], [-0.3, 0.0, 0.9, 1.4]])
target = torch.tensor([0, 1, 3])
ls = F.cross_entropy(logits, target, label_smoothing=0.1)
ls_ign = F.cross_entropy(logits, torch.tensor([0, 0, 3]), ignore_index=0, label_smoothing=0.2)
ls_none = nn.CrossEntropyLoss(label_smoothing=0.1, reduction='none')(logits, target)
hard = F.cross_entropy(logits, target)
print(ls, ls_ign)
print(ls_none)
print(hard)
