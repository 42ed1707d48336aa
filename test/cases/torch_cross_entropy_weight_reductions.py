# CrossEntropyLoss with class weights, ignore_index and each reduction.
import torch
import torch.nn as nn
import torch.nn.functional as F

logits = torch.tensor([[2.0, 0.5, -1.0], [0.1, 0.2, 0.3], [1.0, -1.0, 0.0], [0.0, 3.0, 1.0]])
target = torch.tensor([0, 2, -100, 1])
w = torch.tensor([1.0, 2.0, 0.5])
none = nn.CrossEntropyLoss(weight=w, reduction='none')(logits, target)
total = nn.CrossEntropyLoss(weight=w, reduction='sum')(logits, target)
mean = nn.CrossEntropyLoss(weight=w)(logits, target)
plain = F.cross_entropy(logits, target)
manual = none.sum() / w[target[target != -100]].sum()
print(none)
print(total, mean, plain)
print(torch.allclose(mean, manual))
