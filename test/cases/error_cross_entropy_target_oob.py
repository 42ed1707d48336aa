# IndexError: a target class id equal to the number of classes.
import torch
import torch.nn.functional as F

logits = torch.zeros(2, 3)
target = torch.tensor([1, 3])
loss = F.cross_entropy(logits, target)
