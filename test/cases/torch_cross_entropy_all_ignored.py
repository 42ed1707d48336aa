# Every target is padding: the mean loss is 0/0 = nan, the summed loss is 0.
import torch
import torch.nn.functional as F

logits = torch.tensor([[0.3, 0.7], [1.0, -1.0]])
target = torch.tensor([-100, -100])
mean = F.cross_entropy(logits, target)
total = F.cross_entropy(logits, target, reduction='sum')
per = F.cross_entropy(logits, target, reduction='none')
print(mean, total, per)
print(torch.isnan(mean).item())
